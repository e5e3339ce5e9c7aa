//! Deposits proven from BallastGateway's own receipts (the contract run in revm), withdrawals and
//! their commitments, every error path, and a property test of the supply invariant.

use crate::{
	mock::{ethereum::*, *},
	*,
};
use alloy_sol_types::SolCall;
use ballast_ethereum_harness::calls::depositCall;
use ballast_ethereum_harness::{evm::ether, BeaconBlock, SYNTHETIC_SLOT};
use frame_support::{assert_noop, assert_ok, dispatch::Pays, traits::Hooks};
use snowbridge_verification_primitives::EventProof;
use sp_core::{H160, H256};
use sp_runtime::{traits::Keccak256, DigestItem, DispatchError};

fn register(gateway: &Gateway, limit: u128, window: u64) {
	assert_ok!(LrtBridge::register_lrt(
		RuntimeOrigin::root(),
		LRT,
		h160(gateway.token),
		h160(gateway.gateway),
		limit,
		window,
	));
}

fn balance(who: AccountId) -> u128 {
	<Assets as frame_support::traits::fungibles::Inspect<AccountId>>::balance(LRT, &who)
}

fn submit(proof: EventProof) -> frame_support::dispatch::DispatchResultWithPostInfo {
	LrtBridge::submit_deposit(RuntimeOrigin::signed(BOB), Box::new(proof))
}

#[test]
fn registration_is_governance_only_and_unique() {
	new_test_ext().execute_with(|| {
		let gateway = Gateway::new();
		let (token, address) = (h160(gateway.token), h160(gateway.gateway));
		assert_noop!(
			LrtBridge::register_lrt(RuntimeOrigin::signed(ALICE), LRT, token, address, UNIT, 10),
			DispatchError::BadOrigin
		);
		assert_noop!(
			LrtBridge::register_lrt(RuntimeOrigin::root(), LRT, token, address, UNIT, 0),
			Error::<Test>::ZeroWindow
		);
		register(&gateway, 100 * UNIT, 10);
		assert!(pallet_assets::Asset::<Test>::contains_key(LRT));
		assert_eq!(Lrts::<Test>::get(LRT).expect("profile").state, LrtState::Active);
		assert_noop!(
			LrtBridge::register_lrt(
				RuntimeOrigin::root(),
				LRT,
				H160::repeat_byte(9),
				address,
				UNIT,
				10
			),
			Error::<Test>::AssetExists
		);
		assert_noop!(
			LrtBridge::register_lrt(RuntimeOrigin::root(), LRT + 1, token, address, UNIT, 10),
			Error::<Test>::TokenAlreadyRegistered
		);
		// An asset created elsewhere cannot be taken over.
		assert_ok!(Assets::force_create(RuntimeOrigin::root(), 5, ALICE, true, 1));
		assert_noop!(
			LrtBridge::register_lrt(
				RuntimeOrigin::root(),
				5,
				H160::repeat_byte(9),
				address,
				UNIT,
				10
			),
			Error::<Test>::AssetExists
		);

		let operators = vec![H160::repeat_byte(0x0a); 9];
		assert_noop!(
			LrtBridge::set_exposure(RuntimeOrigin::root(), LRT, operators, vec![]),
			Error::<Test>::TooManyEntries
		);
		assert_ok!(LrtBridge::set_exposure(
			RuntimeOrigin::root(),
			LRT,
			vec![H160::repeat_byte(0x0a)],
			vec![H160::repeat_byte(0xa5)]
		));
		use ballast_primitives::lrt::LrtRegistry;
		assert_eq!(
			<LrtBridge as LrtRegistry<AssetId>>::operators(LRT),
			vec![H160::repeat_byte(0x0a)]
		);
		assert_eq!(<LrtBridge as LrtRegistry<AssetId>>::gateway(LRT), Some(address));
		assert_noop!(
			LrtBridge::set_state(RuntimeOrigin::root(), LRT + 7, LrtState::Frozen),
			Error::<Test>::UnknownLrt
		);
	});
}

#[test]
fn a_proven_deposit_mints_once() {
	new_test_ext().execute_with(|| {
		let mut gateway = Gateway::new();
		register(&gateway, 100 * UNIT, 10);
		let proof = gateway.deposit(10, ALICE);
		let result = submit(proof.clone()).expect("minted");
		assert_eq!(result.pays_fee, Pays::No);
		assert_eq!(balance(ALICE), 10 * UNIT);
		assert_eq!(Totals::<Test>::get(LRT), BridgeTotals { deposited: 10 * UNIT, withdrawn: 0 });
		System::assert_last_event(
			Event::Deposited {
				lrt: LRT,
				recipient: ALICE,
				amount: 10 * UNIT,
				sender: h160(USER),
				nonce: 1,
			}
			.into(),
		);
		// The same event again: refused, nothing minted.
		assert_noop!(submit(proof), Error::<Test>::NonceAlreadyUsed);
		assert_eq!(LrtBridge::supply(LRT), 10 * UNIT);
	});
}

#[test]
fn forged_foreign_and_unfinalized_logs_mint_nothing() {
	new_test_ext().execute_with(|| {
		let mut gateway = Gateway::new();
		register(&gateway, 1_000 * UNIT, 10);
		let proof = gateway.deposit(10, ALICE);

		// An altered amount: the log is no longer in the receipt.
		let mut forged = proof.clone();
		forged.event_log.data[3 * 32 + 31] ^= 1;
		assert_noop!(submit(forged), Error::<Test>::InvalidProof);
		// Another recipient.
		let mut forged = proof.clone();
		forged.event_log.data[2 * 32] ^= 1;
		assert_noop!(submit(forged), Error::<Test>::InvalidProof);
		// Another emitter.
		let mut forged = proof.clone();
		forged.event_log.address = H160::repeat_byte(0x66);
		assert_noop!(submit(forged), Error::<Test>::WrongGateway);
		// A receipt proof with a changed node.
		let mut forged = proof.clone();
		let node = forged.proof.receipt_proof.last_mut().expect("nodes");
		let at = node.len() - 5;
		node[at] ^= 1;
		assert_noop!(submit(forged), Error::<Test>::InvalidProof);
		// The ERC-20 Transfer of the same receipt is not a deposit.
		let mut transfer = proof.clone();
		transfer.event_log.topics =
			vec![H256::from(alloy_primitives::keccak256("Transfer(address,address,uint256)").0)];
		assert_noop!(submit(transfer), Error::<Test>::NotADeposit);
		// A token the gateway lists but Ballast does not.
		let other = gateway.deposit_of(gateway.other_token, 5, ALICE);
		assert_noop!(submit(other), Error::<Test>::UnknownToken);
		// A block the light client has not finalized.
		let unfinalized = {
			let result = gateway.eth.call(
				USER,
				gateway.gateway,
				depositCall {
					lrt: gateway.token,
					amount: ether(1),
					recipient: recipient(ALICE).into(),
				}
				.abi_encode(),
			);
			let block = gateway.eth.seal();
			let beacon = BeaconBlock::new(SYNTHETIC_SLOT, &block);
			let log = result.logs.iter().find(|l| l.address == gateway.gateway).expect("event");
			beacon.event_proof(log, result.tx_index)
		};
		assert_noop!(submit(unfinalized), Error::<Test>::InvalidProof);

		assert_eq!(LrtBridge::supply(LRT), 0);
		assert_ok!(submit(proof));
		assert_eq!(LrtBridge::supply(LRT), 10 * UNIT);
	});
}

#[test]
fn paused_frozen_and_rate_limited_lrts_mint_nothing() {
	new_test_ext().execute_with(|| {
		let mut gateway = Gateway::new();
		register(&gateway, 15 * UNIT, 10);
		let first = gateway.deposit(10, ALICE);
		let second = gateway.deposit(10, ALICE);

		assert_ok!(LrtBridge::set_state(RuntimeOrigin::root(), LRT, LrtState::DepositsPaused));
		assert_noop!(submit(first.clone()), Error::<Test>::DepositsPaused);
		assert_ok!(LrtBridge::set_state(RuntimeOrigin::root(), LRT, LrtState::Frozen));
		assert_noop!(submit(first.clone()), Error::<Test>::Frozen);
		assert_ok!(LrtBridge::set_state(RuntimeOrigin::root(), LRT, LrtState::Active));

		assert_ok!(submit(first));
		assert_noop!(submit(second.clone()), Error::<Test>::RateLimitExceeded);
		// The window (10 blocks from the first mint) passes: room again.
		System::set_block_number(11);
		assert_ok!(submit(second));
		assert_eq!(balance(ALICE), 20 * UNIT);
		assert_eq!(MintWindows::<Test>::get(LRT), MintWindow { started: 11, minted: 10 * UNIT });
	});
}

#[test]
fn withdrawals_burn_and_are_committed_with_proofs() {
	new_test_ext().execute_with(|| {
		let mut gateway = Gateway::new();
		register(&gateway, 1_000 * UNIT, 10);
		assert_ok!(submit(gateway.deposit(100, ALICE)));
		let to = H160::repeat_byte(0xee);

		assert_noop!(
			LrtBridge::withdraw(RuntimeOrigin::signed(ALICE), LRT, 0, to),
			Error::<Test>::ZeroAmount
		);
		assert_noop!(
			LrtBridge::withdraw(RuntimeOrigin::signed(ALICE), LRT, UNIT, H160::zero()),
			Error::<Test>::ZeroRecipient
		);
		assert_noop!(
			LrtBridge::withdraw(RuntimeOrigin::signed(ALICE), LRT + 1, UNIT, to),
			Error::<Test>::UnknownLrt
		);
		assert!(LrtBridge::withdraw(RuntimeOrigin::signed(BOB), LRT, UNIT, to).is_err());
		assert_eq!(NextWithdrawalNonce::<Test>::get(), 0);

		for amount in [1, 2, 3, 4] {
			assert_ok!(LrtBridge::withdraw(RuntimeOrigin::signed(ALICE), LRT, amount * UNIT, to));
		}
		assert_noop!(
			LrtBridge::withdraw(RuntimeOrigin::signed(ALICE), LRT, UNIT, to),
			Error::<Test>::TooManyWithdrawalsThisBlock
		);
		assert_eq!(balance(ALICE), 90 * UNIT);
		assert_eq!(
			Totals::<Test>::get(LRT),
			BridgeTotals { deposited: 100 * UNIT, withdrawn: 10 * UNIT }
		);
		assert_eq!(LrtBridge::withdrawal_proof(0), None, "not committed before the block ends");

		LrtBridge::on_finalize(1);
		let (root, nonces) = Commitments::<Test>::get(1).expect("committed");
		assert_eq!(nonces.into_inner(), vec![0, 1, 2, 3]);
		let digest = System::digest();
		let mut expected = WITHDRAWALS_DIGEST_PREFIX.to_vec();
		expected.extend_from_slice(root.as_bytes());
		assert!(digest.logs.contains(&DigestItem::Other(expected)));
		for nonce in 0..4u64 {
			let proof = LrtBridge::withdrawal_proof(nonce).expect("committed");
			assert_eq!(proof.root, root);
			assert_eq!(
				proof.message,
				ballast_gateway::withdrawal_message(
					h160(gateway.gateway),
					h160(gateway.token),
					to,
					(nonce as u128 + 1) * UNIT,
					nonce
				)
			);
			assert!(binary_merkle_tree::verify_proof::<Keccak256, _, _>(
				&proof.root,
				proof.proof.clone(),
				proof.leaf_count,
				proof.leaf_index,
				&proof.message,
			));
		}
		// A new block starts a new tree.
		System::set_block_number(2);
		assert_ok!(LrtBridge::withdraw(RuntimeOrigin::signed(ALICE), LRT, UNIT, to));
		LrtBridge::on_finalize(2);
		assert_eq!(LrtBridge::withdrawal_proof(4).expect("committed").leaf_count, 1);

		// Frozen: withdrawals stop too.
		assert_ok!(LrtBridge::set_state(RuntimeOrigin::root(), LRT, LrtState::Frozen));
		assert_noop!(
			LrtBridge::withdraw(RuntimeOrigin::signed(ALICE), LRT, UNIT, to),
			Error::<Test>::Frozen
		);
	});
}

mod invariant {
	use super::*;
	use proptest::prelude::*;

	#[derive(Clone, Debug)]
	enum Op {
		/// A new deposit of `whole` tokens for account `to`.
		Deposit {
			whole: u64,
			to: AccountId,
		},
		/// Resubmit an earlier deposit's proof.
		Replay(usize),
		/// Resubmit an earlier deposit with its amount changed.
		Forge(usize),
		Withdraw {
			from: AccountId,
			whole: u64,
		},
		NextBlock,
	}

	fn op() -> impl Strategy<Value = Op> {
		prop_oneof![
			4 => (1u64..30, 1u64..4).prop_map(|(whole, to)| Op::Deposit { whole, to }),
			1 => (0usize..8).prop_map(Op::Replay),
			1 => (0usize..8).prop_map(Op::Forge),
			3 => (1u64..4, 1u64..40).prop_map(|(from, whole)| Op::Withdraw { from, whole }),
			1 => Just(Op::NextBlock),
		]
	}

	proptest! {
		#![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

		/// Whatever is submitted, the LRT's supply equals the distinct proven deposits minted
		/// minus withdrawals, and never exceeds what was proven on Ethereum minus withdrawals.
		#[test]
		fn supply_is_proven_deposits_minus_withdrawals(ops in proptest::collection::vec(op(), 1..14)) {
			new_test_ext().execute_with(|| {
				let mut gateway = Gateway::new();
				register(&gateway, 60 * UNIT, 5);
				let mut proofs: Vec<(EventProof, u128)> = Vec::new();
				let (mut proven, mut minted, mut withdrawn) = (0u128, 0u128, 0u128);
				let mut block = 1u64;
				for op in ops {
					match op {
						Op::Deposit { whole, to } => {
							let proof = gateway.deposit(whole, to);
							proven += whole as u128 * UNIT;
							if submit(proof.clone()).is_ok() {
								minted += whole as u128 * UNIT;
							}
							proofs.push((proof, whole as u128 * UNIT));
						},
						Op::Replay(i) => if let Some((proof, _)) = proofs.get(i % proofs.len().max(1)) {
							let before = LrtBridge::supply(LRT);
							let result = submit(proof.clone());
							// A replay mints only if the first attempt was rate limited.
							if result.is_ok() {
								minted += LrtBridge::supply(LRT) - before;
							}
						},
						Op::Forge(i) => if let Some((proof, _)) = proofs.get(i % proofs.len().max(1)) {
							let mut forged = proof.clone();
							forged.event_log.data[3 * 32 + 31] ^= 1;
							prop_assert!(submit(forged).is_err());
						},
						Op::Withdraw { from, whole } => {
							let amount = whole as u128 * UNIT / 2;
							if LrtBridge::withdraw(RuntimeOrigin::signed(from), LRT, amount, H160::repeat_byte(1)).is_ok() {
								withdrawn += amount;
							}
						},
						Op::NextBlock => {
							LrtBridge::on_finalize(block);
							block += 1;
							System::set_block_number(block);
						},
					}
					let totals = Totals::<Test>::get(LRT);
					let supply = LrtBridge::supply(LRT);
					prop_assert_eq!(supply, totals.deposited - totals.withdrawn);
					prop_assert_eq!(totals.deposited, minted);
					prop_assert_eq!(totals.withdrawn, withdrawn);
					prop_assert!(supply <= proven - withdrawn);
				}
				Ok(())
			})?;
		}
	}
}
