//! The tracks, the records of pending and awaiting changes, and the names the scheduler knows
//! them by.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

/// A change's number, from `NextChangeId`: never reused, so a cancelled change's number can
/// never be enacted again.
pub type ChangeId = u32;

/// The prefix of the scheduler task names of this pallet's enactments.
pub const TASK_PREFIX: [u8; 11] = *b"ballast/gov";

/// The scheduler's name of change `id`'s enactment: `blake2_256(("ballast/gov", id))`.
pub fn task_name(id: ChangeId) -> [u8; 32] {
	(TASK_PREFIX, id).using_encoded(sp_io::hashing::blake2_256)
}

/// How a change is approved and which origin it runs with.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
pub enum Track {
	/// Approved by `ParametersOrigin` (the council's majority); runs with
	/// `Origin::Parameters` after `ParametersDelay`.
	Parameters,
	/// Proposed by `RootProposeOrigin` (the council's supermajority), approved by
	/// `RootApproveOrigin` (the technical committee); runs with the root origin after
	/// `RootDelay`.
	Root,
}

/// A change scheduled to run: what anyone can check before it does.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo, MaxEncodedLen)]
pub struct PendingChange<BlockNumber, Hash> {
	/// Its track, which fixes the origin it runs with.
	pub track: Track,
	/// The hash of the call's SCALE encoding (the call the council voted on).
	pub call_hash: Hash,
	/// The block at whose start the scheduler runs it.
	pub at: BlockNumber,
}

/// A root change the council proposed, awaiting the technical committee.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo, MaxEncodedLen)]
pub struct RootProposal<BlockNumber, BoundedCall> {
	/// The number the change is scheduled under once approved.
	pub id: ChangeId,
	/// Its enactment (`Call::enact { id, call }`), bounded: inline, or a preimage this pallet
	/// keeps requested until the proposal is approved or rejected.
	pub enactment: BoundedCall,
	/// The block it was proposed in.
	pub proposed_at: BlockNumber,
}
