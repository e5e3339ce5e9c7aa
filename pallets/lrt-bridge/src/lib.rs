//! # LRT bridge
//!
//! Liquid restaking tokens enter Ballast only against Ethereum proofs, and leave by burning:
//!
//! - governance registers each LRT as its own `pallet-assets` asset with a profile
//!   ([`LrtProfile`]): its ERC-20 and gateway addresses on Ethereum, the EigenLayer operators and
//!   AVSs it is exposed to, a mint rate limit and a state ([`LrtState`]);
//! - anyone submits a `Deposited` event of the LRT's `BallastGateway` with its proof
//!   ([`Pallet::submit_deposit`]): Snowbridge's `Verifier` checks the receipt, the execution
//!   header and its ancestry to a finalized beacon header; the pallet checks the emitter, the
//!   token, the nonce, the LRT's state and the rate limit, then mints to the recipient;
//! - a holder burns with [`Pallet::withdraw`]; the withdrawal gets a nonce and its message
//!   (`abi.encode(gateway, token, recipient, amount, nonce)`) joins the block's keccak Merkle
//!   tree, whose root goes into the block header's digest. The runtime API gives any message's
//!   proof for the gateway's releaser (see `docs/bridge.md` for the release-side trust model)
//!   for `CommitmentRetention` blocks, after which the commitment and its withdrawals are
//!   pruned.
//!
//! A successful deposit pays no fee for its weight but its submitter pays for the proof's bytes
//! (`LengthToFee`); proofs are bounded (`MaxProofSize`) and weighed by their length; deposits
//! below `MinDeposit` are refused; the rate limit is a token bucket (`math.rs`). The README's
//! "Rules" give the exact rules and their trade-offs.
//!
//! The other pallets read the registry through `ballast_primitives::lrt::LrtRegistry`.
//!
//! ## Invariants
//!
//! Checked by `Pallet::do_try_state` (try-runtime after every block; the tests after every test
//! and after every step of the property test):
//!
//! - for every LRT, its asset's supply equals proven deposits minted minus withdrawals
//!   ([`Totals`]), and its withdrawals kept add up to `Totals.withdrawn` (to less once some are
//!   pruned);
//! - every deposit minted used one gateway nonce, and each used nonce minted at least one unit;
//! - the withdrawal nonces kept run from [`OldestWithdrawal`] to [`NextWithdrawalNonce`]
//!   without a gap, and each withdrawal kept is either pending in its own block or committed,
//!   once, in its own block's [`Commitments`], whose root is the keccak root of its withdrawals'
//!   messages;
//! - the registry is consistent: every profile's token maps back to it ([`LrtOfToken`]), every
//!   registered LRT has its asset, and nothing is booked for an unregistered LRT.
//!
//! See the README (`pallets/lrt-bridge/README.md`) for the calls, events, errors and the file
//! map.
//!
//! Files: `functions.rs` (the calls' bodies and helpers), `impls.rs` (`LrtRegistry`),
//! `math.rs` (the rate limit's token bucket), `try_state.rs` (the books' checks), `types.rs`.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod functions;
mod impls;
mod math;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
mod try_state;
pub mod types;
pub mod weights;

pub use types::*;
pub use weights::WeightInfo;

/// What benchmarks need from the runtime around the pallet.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AssetId> {
	/// A `Deposited` event with a proof the runtime's verifier accepts, after making the
	/// verifier hold what it needs (e.g. the light client's checkpoint).
	fn valid_deposit() -> snowbridge_verification_primitives::EventProof;
	/// The `n`th LRT asset id.
	fn lrt(n: u32) -> AssetId;
}

/// The pallet: its configuration, storage, events, errors, hooks and calls. The calls check
/// their origin and arguments and delegate to `Pallet::do_*` (`functions.rs`).
#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::{boxed::Box, vec::Vec};
	use frame_support::{
		dispatch::{DispatchResultWithPostInfo, Pays},
		pallet_prelude::*,
		traits::{
			fungible,
			fungibles::{self, roles, Create, Mutate},
			OnUnbalanced,
		},
		weights::WeightToFee,
		PalletId,
	};
	use frame_system::pallet_prelude::*;
	use snowbridge_verification_primitives::{EventProof, Verifier};
	use sp_core::{H160, H256};
	use sp_runtime::traits::Zero;

	/// Amounts of every LRT (18 decimals, as on Ethereum): the project's one `Balance`.
	pub type BalanceOf = ballast_primitives::Balance;
	/// Amounts of the native currency deposits pay their length fee in.
	pub type FeeOf<T> = <<T as Config>::Currency as fungible::Inspect<
		<T as frame_system::Config>::AccountId,
	>>::Balance;
	/// An LRT's profile as the runtime bounds it.
	pub type ProfileOf<T> = LrtProfile<
		BalanceOf,
		BlockNumberFor<T>,
		<T as Config>::MaxOperators,
		<T as Config>::MaxAvss,
	>;
	/// A withdrawal as the runtime stores it.
	pub type WithdrawalOf<T> = Withdrawal<
		<T as frame_system::Config>::AccountId,
		<T as Config>::AssetId,
		BalanceOf,
		BlockNumberFor<T>,
	>;

	/// The LRT bridge.
	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// What the runtime provides to the bridge.
	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// An LRT's `pallet-assets` asset id.
		type AssetId: Member + Parameter + Copy + MaxEncodedLen + Ord;
		/// The assets LRTs and bridged ether are minted in (the bridge creates each LRT's asset,
		/// or adopts one created at genesis with the bridge's account in every role).
		type Assets: fungibles::Inspect<Self::AccountId, AssetId = Self::AssetId, Balance = BalanceOf>
			+ Mutate<Self::AccountId>
			+ Create<Self::AccountId>
			+ roles::Inspect<Self::AccountId>;
		/// Snowbridge's proof verifier (the Ethereum light client).
		type Verifier: Verifier;
		/// Registers LRTs and changes their profiles (any state), and cancels deposits.
		type GovernanceOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// The emergency origin (e.g. a technical committee, acting without delay). It may only
		/// tighten: pause or freeze. Its one call is `set_state` to a state stricter than the
		/// LRT's (`Strictness::is_stricter_than`); it can never re-activate, unpause or unfreeze
		/// an LRT, nor call anything else.
		type EmergencyOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Owner of the LRT assets the bridge creates.
		#[pallet::constant]
		type PalletId: Get<PalletId>;
		/// Most EigenLayer operators an LRT's profile lists.
		#[pallet::constant]
		type MaxOperators: Get<u32>;
		/// Most AVSs an LRT's profile lists.
		#[pallet::constant]
		type MaxAvss: Get<u32>;
		/// Withdrawals one block commits (a bounded tree per block).
		#[pallet::constant]
		type MaxWithdrawalsPerBlock: Get<u32>;
		/// The native currency a successful deposit pays its length fee in.
		type Currency: fungible::Balanced<Self::AccountId>;
		/// The price of a deposit proof's bytes. The runtime uses transaction payment's own
		/// `LengthToFee`, so a free deposit still pays for its bytes what any extrinsic pays.
		type LengthToFee: WeightToFee<Balance = FeeOf<Self>>;
		/// Receives the length fees (the runtime burns them, as it does transaction fees).
		type OnLengthFee: OnUnbalanced<fungible::Credit<Self::AccountId, Self::Currency>>;
		/// The largest deposit proof accepted, in bytes of its SCALE encoding; a larger one is
		/// refused (`ProofTooLarge`) before its log is decoded, or anything looked up or
		/// verified.
		#[pallet::constant]
		type MaxProofSize: Get<u32>;
		/// The smallest deposit minted (in the LRT's smallest unit); smaller ones are refused
		/// (`DepositTooSmall`). Also the smallest withdrawal (`WithdrawalTooSmall`): a release
		/// on Ethereum costs its relayer gas whatever the amount, so dust must not cross.
		#[pallet::constant]
		type MinDeposit: Get<BalanceOf>;
		/// Blocks a block's withdrawal commitment is kept: the commitment of block `b`, and its
		/// withdrawals, are pruned at the start of block `b + CommitmentRetention` (at least 1).
		#[pallet::constant]
		type CommitmentRetention: Get<BlockNumberFor<Self>>;
		/// Weights of the calls and of the block's commitment (`weights.rs`).
		type WeightInfo: WeightInfo;
		/// Builds the benchmarks' deposit proofs and LRT ids.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: crate::BenchmarkHelper<Self::AssetId>;
	}

	/// Every registered LRT's profile.
	#[pallet::storage]
	pub type Lrts<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AssetId, ProfileOf<T>, OptionQuery>;

	/// The LRT of an Ethereum token address (each token is one LRT).
	#[pallet::storage]
	pub type LrtOfToken<T: Config> = StorageMap<_, Blake2_128Concat, H160, T::AssetId, OptionQuery>;

	/// Each LRT's mint rate limit: a token bucket holding `mint_limit`, refilled continuously at
	/// `mint_limit` per `mint_window` blocks (absent: full).
	#[pallet::storage]
	pub type MintBuckets<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		T::AssetId,
		MintBucket<BalanceOf, BlockNumberFor<T>>,
		ValueQuery,
	>;

	/// Everything that crossed the bridge, per LRT.
	#[pallet::storage]
	pub type Totals<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AssetId, BridgeTotals<BalanceOf>, ValueQuery>;

	/// The asset of bridged ether, once registered (`register_ether`): bridged like an LRT
	/// (minted against proven deposits of the gateway's WETH, burned by withdrawals) but not an
	/// LRT: the registry (`LrtRegistry`) does not list it, so nothing values or scores it.
	#[pallet::storage]
	pub type BridgedEther<T: Config> = StorageValue<_, T::AssetId, OptionQuery>;

	/// Gateway event nonces already used (a deposit is minted once), by gateway.
	#[pallet::storage]
	pub type UsedNonces<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, H160, Twox64Concat, u64, (), OptionQuery>;

	/// Gateway deposits governance cancelled unminted (`cancel_deposit`), by gateway: never
	/// minted, so the gateway's owner may refund them on Ethereum (`refundDeposit`).
	#[pallet::storage]
	pub type CancelledNonces<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, H160, Twox64Concat, u64, (), OptionQuery>;

	/// The nonce the next withdrawal gets.
	#[pallet::storage]
	pub type NextWithdrawalNonce<T: Config> = StorageValue<_, u64, ValueQuery>;

	/// The nonce of the oldest withdrawal still stored: every lower nonce was pruned with its
	/// block's commitment, `CommitmentRetention` blocks after that block.
	#[pallet::storage]
	pub type OldestWithdrawal<T: Config> = StorageValue<_, u64, ValueQuery>;

	/// Every withdrawal not yet pruned, by nonce.
	#[pallet::storage]
	pub type Withdrawals<T: Config> =
		StorageMap<_, Twox64Concat, u64, WithdrawalOf<T>, OptionQuery>;

	/// Withdrawals of the current block, committed in `on_finalize`.
	#[pallet::storage]
	pub type PendingWithdrawals<T: Config> =
		StorageValue<_, BoundedVec<u64, T::MaxWithdrawalsPerBlock>, ValueQuery>;

	/// Each block's withdrawal root and the nonces of its leaves, in leaf order, kept
	/// `CommitmentRetention` blocks.
	#[pallet::storage]
	pub type Commitments<T: Config> = StorageMap<
		_,
		Twox64Concat,
		BlockNumberFor<T>,
		(H256, BoundedVec<u64, T::MaxWithdrawalsPerBlock>),
		OptionQuery,
	>;

	/// What the bridge did.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// An LRT was registered, with its asset, and is active.
		LrtRegistered {
			/// The LRT's asset id.
			lrt: T::AssetId,
			/// Its ERC-20 address on Ethereum.
			token: H160,
			/// The `BallastGateway` whose events mint it.
			gateway: H160,
		},
		/// Bridged ether was registered: its asset is minted against the gateway's deposits of
		/// `token` (WETH; the gateway wraps native ETH into it).
		EtherRegistered {
			/// Bridged ether's asset id.
			asset: T::AssetId,
			/// The WETH address on Ethereum.
			token: H160,
			/// The `BallastGateway` whose events mint it.
			gateway: H160,
		},
		/// A gateway deposit was cancelled unminted: no proof of it can mint any more, and the
		/// gateway's owner may refund it on Ethereum once this block is final.
		DepositCancelled {
			/// The gateway that took the deposit.
			gateway: H160,
			/// The deposit's gateway event nonce.
			nonce: u64,
		},
		/// An LRT's exposure lists were replaced.
		ExposureSet {
			/// The LRT's asset id.
			lrt: T::AssetId,
			/// How many EigenLayer operators it now lists.
			operators: u32,
			/// How many AVSs it now lists.
			avss: u32,
		},
		/// An LRT's mint rate limit was set.
		MintLimitSet {
			/// The LRT's asset id.
			lrt: T::AssetId,
			/// The rate limit's capacity, refilled at this much per window.
			limit: BalanceOf,
			/// The blocks in which the bucket refills `limit`.
			window: BlockNumberFor<T>,
		},
		/// An LRT's state was set (by governance, or by the emergency origin, only ever to a
		/// stricter state).
		StateChanged {
			/// The LRT's asset id.
			lrt: T::AssetId,
			/// Its new state.
			state: LrtState,
		},
		/// A proven deposit was minted.
		Deposited {
			/// The LRT's asset id.
			lrt: T::AssetId,
			/// The Ballast account minted to.
			recipient: T::AccountId,
			/// The amount minted (the deposit's, in the token's smallest unit).
			amount: BalanceOf,
			/// Who deposited on Ethereum.
			sender: H160,
			/// The gateway's nonce of the deposit.
			nonce: u64,
		},
		/// LRTs were burned for release on Ethereum.
		WithdrawalQueued {
			/// The withdrawal's nonce (its key in `Withdrawals`).
			nonce: u64,
			/// The LRT's asset id.
			lrt: T::AssetId,
			/// The Ballast account that burned.
			who: T::AccountId,
			/// The Ethereum address to release to.
			recipient: H160,
			/// The amount burned.
			amount: BalanceOf,
		},
		/// A block's withdrawals were committed (the root is also in the header digest).
		WithdrawalsCommitted {
			/// The keccak Merkle root of the block's withdrawal messages.
			root: H256,
			/// How many withdrawals the tree holds.
			count: u32,
		},
		/// A block's withdrawal commitment and its withdrawals were pruned, `CommitmentRetention`
		/// blocks after that block (`withdrawal_proof` no longer serves them; the root stays in
		/// that block's header digest).
		CommitmentPruned {
			/// The block whose commitment was pruned.
			block: BlockNumberFor<T>,
			/// How many withdrawals it held (their records are gone too).
			count: u32,
		},
	}

	/// Why a call failed.
	#[pallet::error]
	pub enum Error<T> {
		/// No LRT with this asset id is registered.
		UnknownLrt,
		/// The asset id is already used: by a registered LRT or ether, or by an asset the bridge
		/// cannot adopt (one whose owner, issuer, admin or freezer is not the bridge's account,
		/// or that has units in circulation).
		AssetExists,
		/// Bridged ether is already registered (there is one ether asset).
		EtherAlreadyRegistered,
		/// The asset is bridged ether, which has no EigenLayer exposure.
		NotAnLrt,
		/// Governance cancelled this deposit (to be refunded on Ethereum): it cannot be minted.
		DepositWasCancelled,
		/// Another LRT already uses this Ethereum token.
		TokenAlreadyRegistered,
		/// The asset could not be created.
		CannotCreateAsset,
		/// The proof does not show the log in a finalized Ethereum block.
		InvalidProof,
		/// The log is not a `Deposited` event (or does not decode).
		NotADeposit,
		/// The log was not emitted by the LRT's gateway.
		WrongGateway,
		/// No LRT is registered for the deposited token.
		UnknownToken,
		/// This gateway nonce was already minted.
		NonceAlreadyUsed,
		/// Deposits of this LRT are paused.
		DepositsPaused,
		/// The LRT is frozen: nothing crosses the bridge.
		Frozen,
		/// The LRT's mint rate limit has less room than this deposit (its bucket refills
		/// continuously; see `mint_room`).
		RateLimitExceeded,
		/// Amounts must be positive.
		ZeroAmount,
		/// The Ethereum recipient must not be the zero address.
		ZeroRecipient,
		/// The block's withdrawal tree is full; try in the next block.
		TooManyWithdrawalsThisBlock,
		/// The mint window must be at least one block.
		ZeroWindow,
		/// More operators or AVSs than the profile holds.
		TooManyEntries,
		/// An amount overflowed.
		Overflow,
		/// The deposit proof is larger than `MaxProofSize` bytes.
		ProofTooLarge,
		/// The deposit is smaller than `MinDeposit`.
		DepositTooSmall,
		/// The submitter cannot pay the deposit proof's length fee.
		CannotPayLengthFee,
		/// The emergency origin may only move an LRT to a stricter state (`Active` →
		/// `DepositsPaused` → `Frozen`); this state is the LRT's own or a looser one.
		NotProtective,
		/// The withdrawal is smaller than `MinDeposit`, the smallest amount that crosses the
		/// bridge either way (a release costs Ethereum gas whatever its size).
		WithdrawalTooSmall,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// Prunes the commitments older than `CommitmentRetention` (at most two a block) and
		/// reserves the commitment's fixed cost.
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			// Each withdrawal pays for its own leaf (see `withdraw`'s weight).
			T::WeightInfo::commit_withdrawals(0).saturating_add(Self::prune_commitments(now))
		}

		/// Commits the block's withdrawals (root into the digest and into `Commitments`).
		fn on_finalize(now: BlockNumberFor<T>) {
			Self::commit_withdrawals(now);
		}

		/// Checks the bridge's books (`do_try_state`).
		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}

		/// A commitment is kept at least one block, and a deposit proof may have some bytes.
		fn integrity_test() {
			assert!(
				!T::CommitmentRetention::get().is_zero(),
				"CommitmentRetention must be at least one block"
			);
			assert!(T::MaxProofSize::get() > 0, "MaxProofSize must be positive");
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Registers an LRT: creates its asset (administered by the bridge; sufficient, so holders
		/// need no BAL; minimum balance 1) and its profile, active, with no exposure listed. The
		/// asset must not exist (bridged ether's, created at genesis, is not an LRT).
		/// Governance sets the asset's name and symbol with `assets.forceSetMetadata`.
		///
		/// - Origin: `GovernanceOrigin`.
		/// - `lrt`: the asset id to create; no asset may use it yet.
		/// - `token`: the LRT's ERC-20 address on Ethereum; no other LRT may use it.
		/// - `gateway`: the `BallastGateway` whose `Deposited` events mint the LRT.
		/// - `mint_limit`, `mint_window`: the mint rate limit, a token bucket holding `mint_limit`
		///   and refilled continuously at `mint_limit` per `mint_window` blocks.
		///
		/// Emits `LrtRegistered`. Errors: `BadOrigin`, `ZeroWindow`, `AssetExists`,
		/// `TokenAlreadyRegistered`, `CannotCreateAsset`.
		/// Weight: `WeightInfo::register_lrt`.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::register_lrt())]
		pub fn register_lrt(
			origin: OriginFor<T>,
			lrt: T::AssetId,
			token: H160,
			gateway: H160,
			mint_limit: BalanceOf,
			mint_window: BlockNumberFor<T>,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			ensure!(!mint_window.is_zero(), Error::<T>::ZeroWindow);
			Self::do_register_asset(lrt, token, gateway, mint_limit, mint_window, false)?;
			Self::deposit_event(Event::LrtRegistered { lrt, token, gateway });
			Ok(())
		}

		/// Sets the EigenLayer operators and AVSs the LRT is exposed to (replacing the lists).
		///
		/// - Origin: `GovernanceOrigin`.
		/// - `lrt`: a registered LRT.
		/// - `operators`: at most `MaxOperators` operator addresses.
		/// - `avss`: at most `MaxAvss` AVS addresses.
		///
		/// Emits `ExposureSet`. Errors: `BadOrigin`, `TooManyEntries`, `NotAnLrt`, `UnknownLrt`.
		/// Weight: `WeightInfo::set_exposure`.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::set_exposure())]
		pub fn set_exposure(
			origin: OriginFor<T>,
			lrt: T::AssetId,
			operators: Vec<H160>,
			avss: Vec<H160>,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			let operators: BoundedVec<_, T::MaxOperators> =
				operators.try_into().map_err(|_| Error::<T>::TooManyEntries)?;
			let avss: BoundedVec<_, T::MaxAvss> =
				avss.try_into().map_err(|_| Error::<T>::TooManyEntries)?;
			Self::do_set_exposure(lrt, operators, avss)
		}

		/// Sets the LRT's mint rate limit: a bucket of `limit`, refilled at `limit` per `window`
		/// blocks. The bucket keeps what was taken from it; its refill since the last mint is
		/// counted at the new rate (a lowered limit leaves no room until the bucket drains
		/// below it).
		///
		/// - Origin: `GovernanceOrigin`.
		/// - `lrt`: a registered LRT.
		/// - `limit`: the bucket's capacity, and its refill per window.
		/// - `window`: the window, in blocks (at least one).
		///
		/// Emits `MintLimitSet`. Errors: `BadOrigin`, `ZeroWindow`, `UnknownLrt`.
		/// Weight: `WeightInfo::set_mint_limit`.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::set_mint_limit())]
		pub fn set_mint_limit(
			origin: OriginFor<T>,
			lrt: T::AssetId,
			limit: BalanceOf,
			window: BlockNumberFor<T>,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			ensure!(!window.is_zero(), Error::<T>::ZeroWindow);
			Self::do_set_mint_limit(lrt, limit, window)
		}

		/// Activates, pauses deposits of, or freezes an LRT (or bridged ether).
		///
		/// - Origin: `GovernanceOrigin`, any state; or `EmergencyOrigin`, only a state stricter
		///   than the LRT's (`Active` → `DepositsPaused` → `Frozen`: pause or freeze, never
		///   loosen, never the same state). The governance origin is tried first.
		/// - `lrt`: a registered LRT.
		/// - `state`: `Active`, `DepositsPaused` (withdrawals continue) or `Frozen` (nothing
		///   moves).
		///
		/// Emits `StateChanged`. Errors: `BadOrigin` (neither origin), `UnknownLrt`,
		/// `NotProtective` (the emergency origin asked for the same or a looser state).
		/// Weight: `WeightInfo::set_state`. Both paths read and write the same storage; the
		/// emergency path adds a refused origin check and a comparison (see the benchmark).
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::set_state())]
		pub fn set_state(origin: OriginFor<T>, lrt: T::AssetId, state: LrtState) -> DispatchResult {
			let may_loosen = T::GovernanceOrigin::try_origin(origin)
				.map(|_| true)
				.or_else(|origin| T::EmergencyOrigin::try_origin(origin).map(|_| false))
				.map_err(|_| DispatchError::BadOrigin)?;
			Self::do_set_state(lrt, state, may_loosen)
		}

		/// Mints a deposit proven by its gateway's `Deposited` event. Anyone may submit it (the
		/// depositor or a relayer). A successful deposit pays no fee for its weight
		/// (`Pays::No`), but its submitter pays for the proof's bytes: `LengthToFee` of its
		/// encoded size, withdrawn from the submitter's BAL by the call itself and handed to
		/// `OnLengthFee` (the runtime burns it). A failed one pays its transaction's full fee.
		///
		/// Checks, cheapest first: the proof is at most `MaxProofSize` bytes; the log decodes
		/// as `Deposited`; its token is a registered LRT; the log's emitter is that LRT's
		/// gateway; the LRT is `Active`; the amount is positive and at least `MinDeposit`; the
		/// gateway nonce is unused; the rate limit has room; then the `Verifier`; then the
		/// submitter pays the length fee. Nothing changes unless every check passes.
		///
		/// - Origin: signed, anyone (pays the length fee).
		/// - `event`: the gateway's `Deposited` log and its proof (receipt, execution header,
		///   ancestry to a finalized beacon header), at most `MaxProofSize` bytes encoded.
		///
		/// Emits `Deposited`. Errors: `BadOrigin`, `ProofTooLarge`, `NotADeposit`,
		/// `UnknownToken`, `UnknownLrt`, `WrongGateway`, `DepositsPaused`, `Frozen`,
		/// `ZeroAmount`, `DepositTooSmall`, `NonceAlreadyUsed`, `RateLimitExceeded`,
		/// `InvalidProof`, `CannotPayLengthFee`, `Overflow`, and the assets' minting errors.
		/// Weight: `WeightInfo::submit_deposit` plus `WeightInfo::proof_bytes` of the proof's
		/// encoded size (the weight grows with the proof; not paid when it succeeds).
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::submit_deposit().saturating_add(
			T::WeightInfo::proof_bytes(Pallet::<T>::proof_size(event))
		))]
		pub fn submit_deposit(
			origin: OriginFor<T>,
			event: Box<EventProof>,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let size = Self::proof_size(&event);
			ensure!(size <= T::MaxProofSize::get(), Error::<T>::ProofTooLarge);
			Self::do_submit_deposit(&who, &event, size)?;
			Ok(Pays::No.into())
		}

		/// Burns `amount` of an LRT for `recipient` on Ethereum. The withdrawal gets the next
		/// withdrawal nonce and is committed in this block's withdrawal root; the gateway
		/// releases it.
		///
		/// - Origin: signed, the holder.
		/// - `lrt`: a registered LRT that is not `Frozen`.
		/// - `amount`: at least `MinDeposit`; burned from the holder. A burn that would leave the
		///   holder less than the asset's minimum balance burns the rest too, and the withdrawal
		///   carries it.
		/// - `recipient`: the Ethereum address to release to (not zero).
		///
		/// Emits `WithdrawalQueued` (and `WithdrawalsCommitted` at the end of the block).
		/// Errors: `BadOrigin`, `UnknownLrt`, `Frozen`, `ZeroAmount`, `WithdrawalTooSmall`,
		/// `ZeroRecipient`, `TooManyWithdrawalsThisBlock`, `Overflow`, and the assets' burning errors (e.g. too
		/// low a balance).
		/// Weight: `WeightInfo::withdraw` plus one leaf of `WeightInfo::commit_withdrawals`.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::withdraw().saturating_add(
			T::WeightInfo::commit_withdrawals(1).saturating_sub(T::WeightInfo::commit_withdrawals(0))
		))]
		pub fn withdraw(
			origin: OriginFor<T>,
			lrt: T::AssetId,
			amount: BalanceOf,
			recipient: H160,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_withdraw(who, lrt, amount, recipient)
		}

		/// Registers bridged ether, the asset the lending markets lend: minted only against
		/// proven `Deposited` events of `token` (WETH; the gateway's `depositEth` wraps native
		/// ETH into it) and burned by `withdraw`, with the LRTs' rate limit, nonces and books.
		/// It is not an LRT: the registry other pallets read does not list it.
		///
		/// `asset` may already exist if it was created (at genesis) with the bridge's account as
		/// its owner, issuer, admin and freezer and no units: the bridge adopts it, so no signed
		/// account, the old sudo key included, can mint, move or freeze bridged ether.
		///
		/// - Origin: `GovernanceOrigin`.
		/// - `asset`, `token`, `gateway`, `mint_limit`, `mint_window`: as for `register_lrt`.
		///
		/// Emits `EtherRegistered`. Errors: `BadOrigin`, `ZeroWindow`, `EtherAlreadyRegistered`,
		/// `AssetExists`, `TokenAlreadyRegistered`, `CannotCreateAsset`.
		/// Weight: `WeightInfo::register_lrt`.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::register_lrt())]
		pub fn register_ether(
			origin: OriginFor<T>,
			asset: T::AssetId,
			token: H160,
			gateway: H160,
			mint_limit: BalanceOf,
			mint_window: BlockNumberFor<T>,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			ensure!(!mint_window.is_zero(), Error::<T>::ZeroWindow);
			ensure!(!BridgedEther::<T>::exists(), Error::<T>::EtherAlreadyRegistered);
			Self::do_register_asset(asset, token, gateway, mint_limit, mint_window, true)?;
			BridgedEther::<T>::put(asset);
			Self::deposit_event(Event::EtherRegistered { asset, token, gateway });
			Ok(())
		}

		/// Cancels a gateway deposit that was never minted, so that the gateway's owner can refund
		/// it on Ethereum (`refundDeposit`, at least 7 days after the deposit): a deposit Ballast
		/// refuses for good (over the mint limit, under `MinDeposit`, its LRT frozen) would
		/// otherwise stay locked. A deposit is minted or cancelled, never both: this fails if the
		/// nonce was used by a mint, and a cancelled nonce never mints.
		///
		/// - Origin: `GovernanceOrigin`.
		/// - `asset`: the registered LRT or ether the deposit was of (its gateway's nonces).
		/// - `nonce`: the deposit's gateway event nonce.
		///
		/// Emits `DepositCancelled`. Errors: `BadOrigin`, `UnknownLrt`, `NonceAlreadyUsed`
		/// (minted), `DepositWasCancelled` (already cancelled).
		/// Weight: `WeightInfo::set_state` (one profile read and write) plus two nonce reads.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::set_state().saturating_add(T::DbWeight::get().reads(2)))]
		pub fn cancel_deposit(
			origin: OriginFor<T>,
			asset: T::AssetId,
			nonce: u64,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_cancel_deposit(asset, nonce)
		}
	}
}
