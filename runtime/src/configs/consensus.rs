//! Aura block production and GRANDPA finality.

use crate::{Runtime, RuntimeEvent};
use ballast_primitives::time::SLOT_DURATION;
use frame_support::traits::{ConstBool, ConstU32, ConstU64};
use sp_consensus_aura::sr25519::AuthorityId as AuraId;

/// Upper bound on the validator set (Aura authorities and GRANDPA voters).
pub type MaxAuthorities = ConstU32<32>;

impl pallet_aura::Config for Runtime {
	type AuthorityId = AuraId;
	type DisabledValidators = ();
	type MaxAuthorities = MaxAuthorities;
	// One block per slot: a second block in the same slot is an equivocation.
	type AllowMultipleBlocksPerSlot = ConstBool<false>;
	type SlotDuration = ConstU64<SLOT_DURATION>;
}

impl pallet_grandpa::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = ();
	type MaxAuthorities = MaxAuthorities;
	type MaxNominators = ConstU32<0>;
	type MaxSetIdSessionEntries = ConstU64<0>;
	// No session/staking pallets yet, so equivocations are not provable on chain.
	type KeyOwnerProof = sp_core::Void;
	type EquivocationReportSystem = ();
}
