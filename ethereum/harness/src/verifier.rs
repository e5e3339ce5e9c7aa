//! A verifier for pallet mocks: it checks the receipt proof and the log exactly as Snowbridge's
//! does (its own receipt code), and takes the execution block's finality from a list the test
//! declares instead of a beacon light client.

use snowbridge_verification_primitives::{
	receipt::verify_receipt_proof, Log, Proof, VerificationError, Verifier,
};
use sp_core::H256;
use std::{cell::RefCell, collections::BTreeSet};

thread_local! {
	static FINALIZED_BLOCKS: RefCell<BTreeSet<H256>> = const { RefCell::new(BTreeSet::new()) };
}

/// Declares an execution block (by hash) final, as the light client would once its beacon block
/// is finalized.
pub fn finalize_execution_block(hash: H256) {
	FINALIZED_BLOCKS.with(|blocks| blocks.borrow_mut().insert(hash));
}

/// Forgets every finalized block (a test's fresh start).
pub fn reset() {
	FINALIZED_BLOCKS.with(|blocks| blocks.borrow_mut().clear());
}

/// Snowbridge's `Verifier` for mocks: accepts a log whose receipt proof checks out against an
/// execution block declared final with [`finalize_execution_block`].
pub struct TestVerifier;

impl Verifier for TestVerifier {
	fn verify(log: &Log, proof: &Proof) -> Result<(), VerificationError> {
		let header = &proof.execution_proof.execution_header;
		if !FINALIZED_BLOCKS.with(|blocks| blocks.borrow().contains(&header.block_hash())) {
			return Err(VerificationError::HeaderNotFound);
		}
		let receipt =
			verify_receipt_proof(header.receipts_root(), log.tx_index, &proof.receipt_proof)
				.ok_or(VerificationError::InvalidProof)?;
		receipt
			.logs()
			.iter()
			.any(|l| {
				l.address.0 .0 == log.address.0
					&& l.data.data.as_ref() == log.data.as_slice()
					&& l.topics().iter().map(|t| t.0).eq(log.topics.iter().map(|t| t.0))
			})
			.then_some(())
			.ok_or(VerificationError::LogNotFound)
	}
}
