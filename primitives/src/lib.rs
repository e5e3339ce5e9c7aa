//! Types and constants shared by every Ballast crate: the runtime, the node, the pallets and the
//! relayer. Pallets talk to each other through the traits that later live here, never through
//! each other's storage.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

use sp_runtime::{
	generic,
	traits::{BlakeTwo256, IdentifyAccount, Verify},
	MultiAddress, MultiSignature, OpaqueExtrinsic,
};

/// Block number: u32 lasts ~800 years at 6-second blocks.
pub type BlockNumber = u32;

/// Signature on extrinsics: sr25519 (default for polkadot.js), ed25519 or ecdsa.
pub type Signature = MultiSignature;

/// An account on Ballast: the 32-byte public key (or its hash, for ecdsa) behind a `Signature`.
pub type AccountId = <<Signature as Verify>::Signer as IdentifyAccount>::AccountId;

/// The form accounts take in calls (`MultiAddress` is what polkadot.js expects).
pub type Address = MultiAddress<AccountId, ()>;

/// Balances of BAL and of every `pallet-assets` asset. u128 holds 18-decimal ETH amounts.
pub type Balance = u128;

/// Identifier of a `pallet-assets` asset (LRTs, bridged ETH).
pub type AssetId = u32;

/// Transaction counter of an account.
pub type Nonce = u32;

/// Block and state hash.
pub type Hash = sp_core::H256;

/// Block header.
pub type Header = generic::Header<BlockNumber, BlakeTwo256>;

/// Block type as seen by the node, which does not decode extrinsics.
pub type OpaqueBlock = generic::Block<Header, OpaqueExtrinsic>;

/// The native token.
pub mod currency {
	use super::Balance;

	/// Ticker of the native token.
	pub const TOKEN_SYMBOL: &str = "BAL";
	/// Decimals of BAL: 1 BAL = 10^12 plancks.
	pub const TOKEN_DECIMALS: u8 = 12;

	/// One BAL, in plancks (10^12).
	pub const BAL: Balance = 1_000_000_000_000;
	/// One thousandth of a BAL, in plancks (10^9).
	pub const MILLI_BAL: Balance = BAL / 1_000;
	/// One millionth of a BAL, in plancks (10^6).
	pub const MICRO_BAL: Balance = MILLI_BAL / 1_000;

	/// Storage deposit: what `items` storage items and `bytes` bytes lock up.
	pub const fn deposit(items: u32, bytes: u32) -> Balance {
		items as Balance * 100 * MILLI_BAL + bytes as Balance * 100 * MICRO_BAL
	}
}

/// Network identity.
pub mod network {
	/// SS58 address prefix of Ballast accounts. Not taken in the SS58 registry, and different from
	/// Polkadot's (0), Kusama's (2) and the generic Substrate one (42), so a Ballast address is never
	/// mistaken for an account on those networks.
	pub const SS58_PREFIX: u16 = 7771;
}

/// Block timing and the calendar.
pub mod time {
	use super::BlockNumber;

	/// Seconds in a year: 365.25 days (the Julian year), the average calendar year including leap
	/// years. Every per-year figure (interest rates, the valuation's yearly growth cap) converts
	/// to per-second with this one number, so a rate quoted per year accrues exactly that over
	/// any four calendar years.
	pub const SECONDS_PER_YEAR: u64 = 31_557_600;

	/// Target block time. Aura slots last this long; GRANDPA finalizes about one round behind.
	pub const MILLI_SECS_PER_BLOCK: u64 = 6_000;
	/// Aura slot duration, equal to the block time.
	pub const SLOT_DURATION: u64 = MILLI_SECS_PER_BLOCK;

	/// Blocks per minute.
	pub const MINUTES: BlockNumber = 60_000 / (MILLI_SECS_PER_BLOCK as BlockNumber);
	/// Blocks per hour.
	pub const HOURS: BlockNumber = MINUTES * 60;
	/// Blocks per day.
	pub const DAYS: BlockNumber = HOURS * 24;
}

/// Well-known asset ids. Every LRT and every borrowable asset is a `pallet-assets` asset.
pub mod assets {
	use super::AssetId;

	/// Ether bridged from Ethereum: the asset the lending markets lend.
	pub const ETH: AssetId = 1;
}

/// Ethereum as Ballast sees it through its light client and proofs. Pallets implement and use
/// these traits instead of reading each other's storage.
pub mod ethereum {
	use sp_core::H256;
	use sp_runtime::Weight;

	/// Beacon blocks the on-chain Ethereum light client has verified as finalized.
	pub trait FinalizedBeaconBlocks {
		/// The slot of the finalized beacon block whose root is `block_root`, if the light client
		/// holds it.
		fn finalized_slot(block_root: &H256) -> Option<u64>;

		/// The genesis validators root of the Ethereum network the light client follows (it
		/// identifies the network), once it holds a checkpoint.
		fn genesis_validators_root() -> Option<H256>;

		/// The slot of the newest finalized beacon block the light client holds.
		fn latest_finalized_slot() -> Option<u64>;

		/// Whether the light client is halted (governance suspects a compromise): nothing it
		/// holds may anchor a proof meanwhile. Light clients that cannot halt say `false`.
		fn is_halted() -> bool {
			false
		}
	}

	/// How fresh the validator proofs behind an LRT are.
	pub trait ValidatorFreshness<AssetId> {
		/// Slot of the oldest proof still standing for one of the LRT's validators (`None`
		/// without tracked validators).
		fn oldest_proof_slot(lrt: AssetId) -> Option<u64>;
	}

	/// Told when a proof shows that a validator backing an LRT has been slashed on Ethereum.
	///
	/// A proof that newly shows a validator slashed tells this hook only, never
	/// [`OnValidatorBalanceChanged`] as well: the slashing took its initial penalty from the
	/// balance, and the slash's expected penalties account for the balance change that proof
	/// shows (so a receiver that books both books that loss once).
	///
	/// A receiver may defer work that does not need to run per validator (the valuation
	/// re-rates each LRT once per call) to [`OnValidatorProofsApplied`], which the caller calls
	/// at the end of every call that told this hook anything.
	pub trait OnValidatorSlashed<AssetId: Copy> {
		/// `effective_balance` is in Gwei, as of the proof at `slot`; `withdrawable_epoch` as
		/// proven (slashing sets it to at least the slashing epoch plus
		/// `EPOCHS_PER_SLASHINGS_VECTOR`, which bounds when the slash happened).
		fn on_validator_slashed(
			lrt: AssetId,
			validator_index: u64,
			effective_balance: u64,
			slot: u64,
			withdrawable_epoch: u64,
		);
		/// The most one call may weigh, for the caller's own weight (what it defers to
		/// [`OnValidatorProofsApplied`] is counted there).
		fn weight() -> Weight;
	}

	#[impl_trait_for_tuples::impl_for_tuples(8)]
	impl<AssetId: Copy> OnValidatorSlashed<AssetId> for Tuple {
		fn on_validator_slashed(
			lrt: AssetId,
			index: u64,
			effective_balance: u64,
			slot: u64,
			withdrawable_epoch: u64,
		) {
			for_tuples!( #( Tuple::on_validator_slashed(lrt, index, effective_balance, slot, withdrawable_epoch); )* );
		}
		fn weight() -> Weight {
			let mut weight = Weight::zero();
			for_tuples!( #( weight = weight.saturating_add(Tuple::weight()); )* );
			weight
		}
	}

	/// Told when a newer proof shows a different balance for a validator backing an LRT (not
	/// when the same proof newly shows it slashed: see [`OnValidatorSlashed`]).
	///
	/// A receiver may defer work that does not need to run per validator to
	/// [`OnValidatorProofsApplied`], which the caller calls at the end of every call that told
	/// this hook anything.
	pub trait OnValidatorBalanceChanged<AssetId: Copy> {
		/// Balances in Gwei: `previous` as last proven, `current` as proven at `slot`.
		fn on_validator_balance_changed(
			lrt: AssetId,
			validator_index: u64,
			previous: u64,
			current: u64,
			slot: u64,
		);
		/// The most one call may weigh, for the caller's own weight (what it defers to
		/// [`OnValidatorProofsApplied`] is counted there).
		fn weight() -> Weight;
	}

	#[impl_trait_for_tuples::impl_for_tuples(8)]
	impl<AssetId: Copy> OnValidatorBalanceChanged<AssetId> for Tuple {
		fn on_validator_balance_changed(
			lrt: AssetId,
			index: u64,
			previous: u64,
			current: u64,
			slot: u64,
		) {
			for_tuples!( #( Tuple::on_validator_balance_changed(lrt, index, previous, current, slot); )* );
		}
		fn weight() -> Weight {
			let mut weight = Weight::zero();
			for_tuples!( #( weight = weight.saturating_add(Tuple::weight()); )* );
			weight
		}
	}

	/// Told once a call has told [`OnValidatorSlashed`] and [`OnValidatorBalanceChanged`]
	/// everything its proofs revealed: the receiver does here, once per call, the work it
	/// deferred across them (the valuation re-rates each LRT they touched and tells lending of
	/// its fall once, however many of its validators the call proved).
	///
	/// Whoever calls those hooks calls this at the end of the same call, after the last of them
	/// and after its own books are written (a receiver may read them, e.g. proof freshness).
	pub trait OnValidatorProofsApplied {
		/// Does the deferred work; returns its weight.
		fn on_validator_proofs_applied() -> Weight;
		/// The most [`Self::on_validator_proofs_applied`] may weigh after `hook_calls` calls of
		/// the hooks within one call.
		fn weight(hook_calls: u32) -> Weight;
	}

	#[impl_trait_for_tuples::impl_for_tuples(8)]
	impl OnValidatorProofsApplied for Tuple {
		fn on_validator_proofs_applied() -> Weight {
			let mut weight = Weight::zero();
			for_tuples!( #( weight = weight.saturating_add(Tuple::on_validator_proofs_applied()); )* );
			weight
		}
		fn weight(hook_calls: u32) -> Weight {
			let mut weight = Weight::zero();
			for_tuples!( #( weight = weight.saturating_add(Tuple::weight(hook_calls)); )* );
			weight
		}
	}
}

/// The one rule the emergency origin's state changes follow, for every pausable thing (an LRT on
/// the bridge, a lending market).
pub mod protective {
	/// The order of a thing's states by what they shut: each state allows a subset of what the
	/// one before allows, so moving up the order only ever takes something away. The emergency
	/// origin may only move up (each pallet's `set_state`).
	pub trait Strictness: Copy {
		/// The state's rank in the order (exhaustive: a new state must be placed in it).
		fn strictness(self) -> u8;

		/// Whether this state allows strictly less than `other`; the same state or a looser one
		/// is not protective.
		fn is_stricter_than(self, other: Self) -> bool {
			self.strictness() > other.strictness()
		}
	}
}

/// LRTs as the bridge registers them; the valuation and lending read them through these traits.
pub mod lrt {
	use alloc::vec::Vec;
	use sp_core::H160;

	/// Whether an LRT can be bridged.
	#[derive(
		Clone,
		Copy,
		Debug,
		PartialEq,
		Eq,
		codec::Encode,
		codec::Decode,
		codec::DecodeWithMemTracking,
		codec::MaxEncodedLen,
		scale_info::TypeInfo,
	)]
	pub enum LrtState {
		/// Deposits mint, withdrawals burn.
		Active,
		/// No new deposits; withdrawals continue (e.g. while a risk is assessed).
		DepositsPaused,
		/// Nothing moves over the bridge (e.g. a suspected compromise of the LRT or the gateway).
		Frozen,
	}

	/// `Active` 0 < `DepositsPaused` 1 < `Frozen` 2: `DepositsPaused` stops deposits, `Frozen`
	/// withdrawals too.
	impl crate::protective::Strictness for LrtState {
		fn strictness(self) -> u8 {
			match self {
				LrtState::Active => 0,
				LrtState::DepositsPaused => 1,
				LrtState::Frozen => 2,
			}
		}
	}

	/// The registered LRTs and their Ethereum identities.
	pub trait LrtRegistry<AssetId> {
		/// The LRT's ERC-20 address on Ethereum.
		fn token(lrt: AssetId) -> Option<H160>;
		/// The LRT whose ERC-20 is `token`.
		fn lrt_of_token(token: H160) -> Option<AssetId>;
		/// The gateway contract whose events speak for the LRT.
		fn gateway(lrt: AssetId) -> Option<H160>;
		/// The EigenLayer operators the LRT is exposed to.
		fn operators(lrt: AssetId) -> Vec<H160>;
		/// The AVSs the LRT is exposed to.
		fn avss(lrt: AssetId) -> Vec<H160>;
		/// Whether the LRT can be bridged now; `None` if it is not registered.
		fn state(lrt: AssetId) -> Option<LrtState>;
		/// Every registered LRT.
		fn lrts() -> Vec<AssetId>;
	}
}

/// LRT valuation: each LRT's backing rate (ETH per LRT), as the lending markets read it.
pub mod valuation {
	use sp_runtime::{FixedU128, Weight};

	/// An LRT's backing rate.
	pub trait BackingRate<AssetId> {
		/// ETH per LRT for liquidations: the proven backing, whatever the data's age (`None` only
		/// when the LRT has never been valued).
		fn backing_rate(lrt: AssetId) -> Option<FixedU128>;
		/// ETH per LRT for opening or growing a position: `None` while the valuation's data is
		/// stale, which blocks new borrowing but not liquidations.
		fn borrow_rate(lrt: AssetId) -> Option<FixedU128>;
	}

	/// Told, in the same block, whenever an LRT's backing rate falls.
	pub trait OnBackingRateDecreased<AssetId: Copy> {
		/// `lrt`'s backing rate fell from `previous` to `current` (ETH per LRT).
		fn on_backing_rate_decreased(lrt: AssetId, previous: FixedU128, current: FixedU128);
		/// The most one call may weigh, for the caller's own weight.
		fn weight() -> Weight;
	}

	#[impl_trait_for_tuples::impl_for_tuples(8)]
	impl<AssetId: Copy> OnBackingRateDecreased<AssetId> for Tuple {
		fn on_backing_rate_decreased(lrt: AssetId, previous: FixedU128, current: FixedU128) {
			for_tuples!( #( Tuple::on_backing_rate_decreased(lrt, previous, current); )* );
		}
		fn weight() -> Weight {
			let mut weight = Weight::zero();
			for_tuples!( #( weight = weight.saturating_add(Tuple::weight()); )* );
			weight
		}
	}
}

/// What a free proof pays for its bytes. Proofs relayed from Ethereum (deposits, backing
/// reports, AVS slashings) are free when they succeed (`Pays::No`), and transaction payment
/// then refunds the length fee too; without a bound and a charge, one large receipt would buy
/// many free multi-megabyte extrinsics. The bridge implements it once for every such call.
pub mod proofs {
	use sp_runtime::{DispatchError, Weight};

	/// A proof's size: the bytes of its SCALE encoding (saturating at `u32::MAX`), what the
	/// bound, the weight and the length fee count.
	pub fn proof_size(proof: &impl codec::Encode) -> u32 {
		u32::try_from(proof.encoded_size()).unwrap_or(u32::MAX)
	}

	/// Bounds a free proof's size, weighs its bytes and charges its submitter for them.
	pub trait ProofLengthFee<AccountId> {
		/// The largest proof accepted, in bytes of its SCALE encoding.
		fn max_proof_size() -> u32;
		/// The verifier's work on a proof of `size` bytes, on top of a call's own weight.
		fn proof_bytes_weight(size: u32) -> Weight;
		/// Charges `who` the length fee of a `size`-byte proof (withdrawn, keeping the account
		/// alive, and disposed of as transaction fees are). Fails if `who` cannot pay.
		fn charge(who: &AccountId, size: u32) -> Result<(), DispatchError>;
	}
}

/// Risk scores' shared types and traits: the model's inputs (validator summaries, booked losses),
/// the score it produces, and the limits accepted scores put on lending markets. The model itself
/// is `pallet_risk::model` (documented in `docs/risk-model.md`).
pub mod risk;
