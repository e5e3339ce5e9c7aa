//! The validator set: sessions and their keys, who validates (governance-approved
//! invulnerables plus bonded candidates), block authors' rewards, and punishment of proven
//! GRANDPA and BEEFY equivocations.
//!
//! A validator joins by setting its session keys (`session.setKeys`, the output of
//! `author_rotateKeysWithOwner`) and bonding (`collatorSelection.registerAsCandidate`); it
//! validates from the second session boundary after that, and leaves the same way
//! (`leaveIntent`). Governance seats invulnerables (`collatorSelection.addInvulnerable`). A
//! candidate that authors nothing for `KickThreshold` blocks is removed and its bond
//! returned (held while the sessions it was planned into are provable); one proven to
//! equivocate in GRANDPA or BEEFY is disabled for the session, loses its bond and its seat
//! (`pallet_validator_set`).

use crate::{
	configs::governance::ParametersOrigin, AccountId, Aura, Balance, Balances, BlockNumber,
	CollatorSelection, Historical, Offences, Runtime, RuntimeEvent, RuntimeHoldReason, SessionKeys,
	Treasury, ValidatorSet,
};
use ballast_primitives::{
	currency::{deposit, BAL},
	time::HOURS,
};
use frame_support::{
	parameter_types,
	traits::{ConstU32, ConstU64},
	PalletId,
};
use sp_runtime::Perbill;

/// Upper bound on the validator set (Aura authorities and GRANDPA voters): every invulnerable
/// and every candidate fit (`MaxInvulnerables + MaxCandidates`), so Aura never truncates the
/// session's list and author and disabling indices stay aligned.
pub type MaxAuthorities = ConstU32<32>;

parameter_types! {
	/// Sessions last an hour unless the chain's genesis says otherwise (test networks rotate
	/// every few blocks: `validatorSet.sessionPeriod`).
	pub const DefaultSessionPeriod: BlockNumber = HOURS;
	/// Session keys hold a deposit for the storage they take.
	pub const SessionKeyDeposit: Balance = deposit(2, 128);
	/// The account that collects the authors' share of fees and pays them out.
	pub const PotId: PalletId = PalletId(*b"bal/pot_");
	/// Sessions whose validator sets stay provable (GRANDPA equivocation reports for older
	/// sessions are refused): a week of hour-long sessions.
	pub const HistoryDepth: u32 = 168;
	/// At least this share of a candidate's bond goes for an equivocation, more if many
	/// validators equivocate together (GRANDPA's `(3k/n)²`).
	pub const MinEquivocationSlash: Perbill = Perbill::from_percent(10);
	/// Unsigned equivocation reports stay in the pool this long (blocks).
	pub const ReportLongevity: u64 = HistoryDepth::get() as u64 * HOURS as u64;
}

/// The bond a candidate puts up unless governance changes it (`setCandidacyBond`).
pub const DEFAULT_CANDIDACY_BOND: Balance = 10_000 * BAL;

/// Candidate seats a preset opens: one. Bonded candidates vote in GRANDPA and report risk
/// like the governance-approved validators, and their bond is returned when they leave (after
/// the sessions they validated are no longer provable), so
/// governance keeps them well under a third of the set (`setDesiredCandidates` as the
/// approved set grows; docs/running-a-node.md).
pub const GENESIS_CANDIDATE_SEATS: u32 = 1;

impl pallet_authorship::Config for Runtime {
	type FindAuthor = pallet_session::FindAccountFromAuthorIndex<Self, Aura>;
	// The author takes half the pot (its share of fees, `monetary::DealWithFees`) each block.
	type EventHandler = (CollatorSelection,);
}

impl pallet_session::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type ValidatorId = AccountId;
	type ValidatorIdOf = pallet_collator_selection::IdentityCollator;
	type ShouldEndSession = ValidatorSet;
	type NextSessionRotation = ValidatorSet;
	type SessionManager = pallet_session::historical::NoteHistoricalRoot<
		Self,
		pallet_validator_set::SessionManagerWithHistory<Self, CollatorSelection>,
	>;
	// The same order as `SessionKeys`' fields.
	type SessionHandler = <SessionKeys as sp_runtime::traits::OpaqueKeys>::KeyTypeIdProviders;
	type Keys = SessionKeys;
	// Polkadot's: at most a third of the set disabled, the worst offenders first.
	type DisablingStrategy = pallet_session::disabling::UpToLimitWithReEnablingDisablingStrategy;
	type WeightInfo = pallet_session::weights::SubstrateWeight<Runtime>;
	type Currency = Balances;
	type KeyDeposit = SessionKeyDeposit;
}

impl pallet_session::historical::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type FullIdentification = ();
	type FullIdentificationOf = pallet_validator_set::UnitIdentification;
}

impl pallet_collator_selection::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	// Balances, but a recent validator's bond that it unreserves goes on hold while its
	// sessions are still provable (pallet-validator-set's `BondsAtStake`).
	type Currency = pallet_validator_set::CurrencyKeepingBondsAtStake<Runtime>;
	// Seating invulnerables, the bond and the number of candidate seats are parameters: the
	// council, after its delay (or root). The validator set holds finality and the risk
	// oracle, so it never changes without notice.
	type UpdateOrigin = ParametersOrigin;
	type PotId = PotId;
	type MaxCandidates = ConstU32<16>;
	// A removal never takes the set below one validator: the chain keeps producing blocks.
	type MinEligibleCollators = ConstU32<1>;
	type MaxInvulnerables = ConstU32<16>;
	// Two default sessions: a candidate is kicked only if it missed a whole session it
	// validated in (a constant, as collator-selection's metadata needs; test networks with
	// shorter sessions give candidates longer).
	type KickThreshold = ConstU32<{ 2 * HOURS }>;
	type ValidatorId = AccountId;
	type ValidatorIdOf = pallet_collator_selection::IdentityCollator;
	type ValidatorRegistration = crate::Session;
	type WeightInfo = pallet_collator_selection::weights::SubstrateWeight<Runtime>;
}

impl pallet_validator_set::Config for Runtime {
	type DefaultSessionPeriod = DefaultSessionPeriod;
	type HistoryDepth = HistoryDepth;
	type MinSlash = MinEquivocationSlash;
	type Slash = Treasury;
	type BondCurrency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
}

impl pallet_offences::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type IdentificationTuple = pallet_session::historical::IdentificationTuple<Self>;
	type OnOffenceHandler = ValidatorSet;
}

impl pallet_aura::Config for Runtime {
	type AuthorityId = sp_consensus_aura::sr25519::AuthorityId;
	// A disabled validator's blocks are refused for the rest of the session.
	type DisabledValidators = crate::Session;
	type MaxAuthorities = MaxAuthorities;
	// One block per slot: a second block in the same slot is an equivocation.
	type AllowMultipleBlocksPerSlot = frame_support::traits::ConstBool<false>;
	type SlotDuration = ConstU64<{ ballast_primitives::time::SLOT_DURATION }>;
}

impl pallet_grandpa::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = ();
	type MaxAuthorities = MaxAuthorities;
	type MaxNominators = ConstU32<0>;
	// Every session starts a new authority set: keep as many set ids as provable sessions.
	type MaxSetIdSessionEntries = ConstU64<{ HistoryDepth::get() as u64 }>;
	type KeyOwnerProof = sp_session::MembershipProof;
	type EquivocationReportSystem =
		pallet_grandpa::EquivocationReportSystem<Self, Offences, Historical, ReportLongevity>;
}
