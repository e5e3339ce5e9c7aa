//! What a deposit pays and what bounds it: a free deposit still pays for its proof's bytes, a
//! proof above `MaxProofSize` is refused before anything else, the declared weight grows with
//! the proof, deposits below `MinDeposit` are refused, and a replay by another account is
//! refused and pays.

use super::{bal, balance, register, submit, submit_as};
use crate::{
	mock::{ethereum::*, *},
	*,
};
use alloy_primitives::U256;
use codec::Encode;
use frame_support::{
	assert_noop, assert_ok,
	dispatch::{GetDispatchInfo, Pays},
};
use snowbridge_verification_primitives::EventProof;

/// BAL in existence.
fn issuance() -> u128 {
	<Balances as frame_support::traits::fungible::Inspect<AccountId>>::total_issuance()
}

/// What a deposit of `proof` pays for its length.
fn length_fee(proof: &EventProof) -> u128 {
	LENGTH_FEE_PER_BYTE * proof.encoded_size() as u128
}

#[test]
fn a_free_deposit_still_pays_for_its_length() {
	ExtBuilder::default().build_and_execute(|| {
		let mut gateway = Gateway::new();
		register(&gateway, 100 * UNIT, 10);
		let proof = gateway.deposit(10, ALICE);
		let fee = length_fee(&proof);
		assert!(fee > 0);
		let issued = issuance();

		let result = submit(proof).expect("minted");
		// No fee for its weight (the transaction's fee is refunded)...
		assert_eq!(result.pays_fee, Pays::No);
		// ... but the submitter pays for the proof's bytes, and the fee is burned.
		assert_eq!(bal(BOB), ENDOWMENT - fee);
		assert_eq!(issuance(), issued - fee);
		// The recipient pays nothing.
		assert_eq!(balance(ALICE), 10 * UNIT);
		assert_eq!(bal(ALICE), ENDOWMENT);
	});
}

#[test]
fn a_deposit_whose_submitter_cannot_pay_its_length_mints_nothing() {
	ExtBuilder::default().build_and_execute(|| {
		let mut gateway = Gateway::new();
		register(&gateway, 100 * UNIT, 10);
		let proof = gateway.deposit(10, ALICE);
		// Account 42 holds no BAL.
		assert_noop!(submit_as(42, proof.clone()), Error::<Test>::CannotPayLengthFee);
		assert_eq!(LrtBridge::supply(LRT), 0);
		assert_ok!(submit(proof));
	});
}

#[test]
fn a_proof_over_the_size_bound_is_refused_and_changes_nothing() {
	ExtBuilder::default().build_and_execute(|| {
		let mut gateway = Gateway::new();
		register(&gateway, 100 * UNIT, 10);
		let proof = gateway.deposit(10, ALICE);
		let size = proof.encoded_size();
		assert!(size < 4 * 1024, "the harness's proofs are small ({size} bytes)");

		// One byte over the bound: refused, nothing minted, nothing paid.
		let mut over = proof.clone();
		over.proof.receipt_proof.push(vec![0; MAX_PROOF_SIZE as usize - size - 2 + 1]);
		assert_eq!(over.encoded_size(), MAX_PROOF_SIZE as usize + 1);
		assert_noop!(submit(over.clone()), Error::<Test>::ProofTooLarge);
		// At the bound: the size passes, and the verifier refuses the junk node.
		let mut at = proof.clone();
		at.proof.receipt_proof.push(vec![0; MAX_PROOF_SIZE as usize - size - 2]);
		assert_eq!(at.encoded_size(), MAX_PROOF_SIZE as usize);
		assert_noop!(submit(at), Error::<Test>::InvalidProof);
		// Much larger: the same.
		let mut huge = proof.clone();
		huge.proof.receipt_proof.push(vec![0; 4 * 1024 * 1024]);
		assert_noop!(submit(huge), Error::<Test>::ProofTooLarge);

		// The size is checked first: even a used nonce is refused as too large.
		assert_ok!(submit(proof));
		assert_noop!(submit(over), Error::<Test>::ProofTooLarge);
		assert_eq!(LrtBridge::supply(LRT), 10 * UNIT);
	});
}

#[test]
fn the_declared_weight_grows_with_the_proof_length() {
	ExtBuilder::default().build_and_execute(|| {
		let mut gateway = Gateway::new();
		let proof = gateway.deposit(10, ALICE);
		let weight = |proof: &EventProof| {
			crate::Call::<Test>::submit_deposit { event: Box::new(proof.clone()) }
				.get_dispatch_info()
				.call_weight
		};
		let mut longer = proof.clone();
		longer.proof.receipt_proof.push(vec![0; 4 * 1024]);
		let mut longest = longer.clone();
		longest.proof.receipt_proof.push(vec![0; 4 * 1024]);
		assert!(weight(&proof).ref_time() < weight(&longer).ref_time());
		assert!(weight(&longer).ref_time() < weight(&longest).ref_time());
		// Linear in the bytes: 4 KiB more costs the same at any length.
		assert_eq!(
			weight(&longer).ref_time() - weight(&proof).ref_time(),
			weight(&longest).ref_time() - weight(&longer).ref_time()
		);
	});
}

#[test]
fn a_deposit_below_the_minimum_is_refused() {
	ExtBuilder::default().build_and_execute(|| {
		let mut gateway = Gateway::new();
		register(&gateway, 100 * UNIT, 10);
		let token = gateway.token;
		let below = gateway.deposit_amount(token, U256::from(MIN_DEPOSIT - 1), ALICE);
		assert_noop!(submit(below), Error::<Test>::DepositTooSmall);
		let exact = gateway.deposit_amount(token, U256::from(MIN_DEPOSIT), ALICE);
		assert_ok!(submit(exact));
		assert_eq!(balance(ALICE), MIN_DEPOSIT);
	});
}

#[test]
fn a_second_account_replaying_a_deposit_is_refused_and_pays() {
	ExtBuilder::default().build_and_execute(|| {
		let mut gateway = Gateway::new();
		register(&gateway, 100 * UNIT, 10);
		let proof = gateway.deposit(10, ALICE);
		let fee = length_fee(&proof);
		assert_ok!(submit_as(BOB, proof.clone()));

		// Another relayer submits the same event: refused, and not free (a failed call pays
		// its transaction's whole fee).
		let error = submit_as(CHARLIE, proof.clone()).expect_err("a replay");
		assert_eq!(error.error, Error::<Test>::NonceAlreadyUsed.into());
		assert_eq!(error.post_info.pays_fee, Pays::Yes);
		assert_noop!(submit_as(CHARLIE, proof), Error::<Test>::NonceAlreadyUsed);
		// Minted once, its length paid once.
		assert_eq!(balance(ALICE), 10 * UNIT);
		assert_eq!(bal(BOB), ENDOWMENT - fee);
		assert_eq!(bal(CHARLIE), ENDOWMENT);
	});
}
