//! Benchmarks on synthetic beacon states built with the same trees the prover uses
//! (`ballast_ethereum_proofs::state::StateTrees`), so every proof is a real Merkle proof of the
//! full depth (41 + 39 hashes per validator, 46 for a slashing).
//!
//! `submit_validator_proofs` is measured on its heaviest path: every validator in the batch is
//! already tracked and proven again at a later slot with a lower balance, so each proof reads
//! and rewrites a record, moves a proof-slot count and tells the balance-change hook of a drop.
//! The LRT is made as costly as the runtime can make it for its hooks first
//! ([`BenchmarkHelper::make_lrt_costly`]: valued, with markets), so in the runtime every drop
//! is booked as a loss and the end of the batch re-rates the LRT and marks its markets: the
//! measured figure includes the hooks' real work (the mock's hooks only record).
//! `report_slashing` likewise books its slash. `untrack_validators` removes each record and its
//! [`ValidatorsByLrt`] entry.

use super::*;
use crate::{functions::AggregateChanges, Pallet as ValidatorHealth};
use alloc::{vec, vec::Vec};
use ballast_ethereum_proofs::{
	consensus::SLOTS_PER_EPOCH, state::StateTrees, BeaconBlockHeader, Fork, ForkSchedule, Root,
	ValidatorFields,
};
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{EnsureOrigin, Get},
	BoundedVec,
};
use frame_system::RawOrigin;

/// A Deneb slot on Sepolia (epoch 142836), like the real fixtures.
const SLOT: u64 = 4_570_752;
const GWEI_PER_ETH: u64 = 1_000_000_000;

fn credentials() -> Root {
	let mut bytes = [0x11u8; 32];
	bytes[0] = 1;
	bytes[1..12].fill(0);
	Root::from(bytes)
}

fn validator(index: u64, slashed: bool) -> ValidatorFields {
	let mut pubkey_root = [0u8; 32];
	pubkey_root[24..].copy_from_slice(&(index + 1).to_be_bytes());
	ValidatorFields {
		pubkey_root: Root::from(pubkey_root),
		withdrawal_credentials: credentials(),
		effective_balance: 32 * GWEI_PER_ETH,
		slashed,
		activation_eligibility_epoch: 1,
		activation_epoch: 2,
		exit_epoch: u64::MAX,
		withdrawable_epoch: u64::MAX,
	}
}

/// The balance `track` proves validators with.
const TRACKED_BALANCE: u64 = 32 * GWEI_PER_ETH;

/// A state of `count` validators at `slot`, its header finalized in the light client. Each
/// validator's balance is below [`TRACKED_BALANCE`] (0.001 ETH and a few Gwei): a loss.
fn finalized_state<T: Config>(
	count: u64,
	slot: u64,
	slashed: Option<u64>,
) -> (StateTrees, BeaconBlockHeader) {
	let validators: Vec<_> = (0..count).map(|i| validator(i, Some(i) == slashed)).collect();
	let balances: Vec<u64> = (0..count).map(|i| TRACKED_BALANCE - 1_000_000 - i).collect();
	let trees = StateTrees::new(Fork::Deneb, vec![Root::repeat_byte(7); 28], validators, &balances);
	let header = BeaconBlockHeader {
		slot,
		proposer_index: 1,
		parent_root: Root::repeat_byte(1),
		state_root: trees.state_root(),
		body_root: Root::repeat_byte(2),
	};
	let network = Root::repeat_byte(0xd8);
	GenesisValidatorsRoot::<T>::put(network);
	EthereumForks::<T>::put(ForkSchedule::sepolia());
	T::BenchmarkHelper::finalize(&header, network);
	(trees, header)
}

/// Registers the credentials and tracks validators `0..count` as proven at `slot` with
/// [`TRACKED_BALANCE`] (first proofs tell no hook), through the pallet's own `apply`, so each
/// is also indexed under its LRT in [`ValidatorsByLrt`].
fn track<T: Config>(count: u64, slot: u64) {
	let lrt = T::BenchmarkHelper::lrt();
	Credentials::<T>::insert(credentials(), CredentialsInfo { lrt, validators: 0 });
	let mut changes = AggregateChanges::<T>::default();
	for index in 0..count {
		let fields = validator(index, false);
		let told =
			ValidatorHealth::<T>::apply(&mut changes, index, &fields, TRACKED_BALANCE, slot, None);
		debug_assert!(told.is_none());
	}
	changes.flush();
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register_credentials() -> Result<(), BenchmarkError> {
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let lrt = T::BenchmarkHelper::lrt();
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, lrt, credentials());
		assert!(Credentials::<T>::contains_key(credentials()));
		Ok(())
	}

	#[benchmark]
	fn deregister_credentials() -> Result<(), BenchmarkError> {
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let lrt = T::BenchmarkHelper::lrt();
		track::<T>(0, SLOT);
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, lrt, credentials());
		assert!(!Credentials::<T>::contains_key(credentials()));
		Ok(())
	}

	/// Every proof drops a balance of an LRT made costly for the hooks.
	#[benchmark]
	fn submit_validator_proofs(n: Linear<1, { T::MaxProofsPerBatch::get() }>) {
		let count = n as u64;
		track::<T>(count, SLOT - SLOTS_PER_EPOCH);
		T::BenchmarkHelper::make_lrt_costly(T::BenchmarkHelper::lrt());
		let (trees, header) = finalized_state::<T>(count, SLOT, None);
		let anchor = trees.anchor(&header).expect("the header is the state's");
		let proofs: Vec<_> =
			(0..count).map(|i| trees.batch_proof(i).expect("index in range")).collect();
		let caller: T::AccountId = whitelisted_caller();
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), anchor, proofs);
		assert_eq!(Aggregates::<T>::get(T::BenchmarkHelper::lrt()).oldest_proof_slot, Some(SLOT));
		let dropped = TRACKED_BALANCE - 1_000_000;
		assert!(Validators::<T>::get(0).is_some_and(|record| record.balance == dropped));
	}

	#[benchmark]
	fn report_slashing() {
		let count = 1_000;
		track::<T>(count, SLOT - SLOTS_PER_EPOCH);
		T::BenchmarkHelper::make_lrt_costly(T::BenchmarkHelper::lrt());
		let (trees, header) = finalized_state::<T>(count, SLOT, Some(count - 1));
		let proof = trees.slashing_proof(count - 1).expect("index in range");
		let caller: T::AccountId = whitelisted_caller();
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), header, proof);
		assert_eq!(Aggregates::<T>::get(T::BenchmarkHelper::lrt()).slashed, 1);
	}

	#[benchmark]
	fn untrack_validators(
		n: Linear<1, { T::MaxProofsPerBatch::get() }>,
	) -> Result<(), BenchmarkError> {
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		track::<T>(n as u64, SLOT);
		let indices: BoundedVec<u64, T::MaxProofsPerBatch> =
			BoundedVec::truncate_from((0..n as u64).collect());
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, indices);
		assert_eq!(Aggregates::<T>::get(T::BenchmarkHelper::lrt()).validators, 0);
		assert!(ValidatorsByLrt::<T>::iter_key_prefix(T::BenchmarkHelper::lrt()).next().is_none());
		Ok(())
	}

	#[benchmark]
	fn set_ethereum_forks() -> Result<(), BenchmarkError> {
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, ForkSchedule::mainnet());
		assert_eq!(EthereumForks::<T>::get(), Some(ForkSchedule::mainnet()));
		Ok(())
	}

	impl_benchmark_test_suite!(
		ValidatorHealth,
		crate::mock::ExtBuilder::default().build(),
		crate::mock::Test
	);
}
