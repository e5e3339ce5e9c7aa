//! Withdrawals: burned, queued with nonces, committed per block in a keccak root (header
//! digest and storage), each with a Merkle proof.

use super::{balance, register, submit};
use crate::{
	mock::{ethereum::*, *},
	*,
};
use frame_support::{assert_noop, assert_ok, traits::Hooks};
use sp_core::H160;
use sp_runtime::{traits::Keccak256, DigestItem};

#[test]
fn withdrawals_burn_and_are_committed_with_proofs() {
	ExtBuilder::default().build_and_execute(|| {
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
		// Dust never crosses: a release costs Ethereum gas whatever its size.
		assert_noop!(
			LrtBridge::withdraw(RuntimeOrigin::signed(ALICE), LRT, MIN_DEPOSIT - 1, to),
			Error::<Test>::WithdrawalTooSmall
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

		assert_eq!(LrtBridge::withdrawal_root(1), None, "not committed before the block ends");
		LrtBridge::on_finalize(1);
		let (root, nonces) = Commitments::<Test>::get(1).expect("committed");
		assert_eq!(nonces.into_inner(), vec![0, 1, 2, 3]);
		// What the runtime puts into the next block's MMR leaf.
		assert_eq!(LrtBridge::withdrawal_root(1), Some(root));
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
		assert_ne!(LrtBridge::withdrawal_root(2), Some(root));
		// A block without withdrawals commits no root.
		System::set_block_number(3);
		LrtBridge::on_finalize(3);
		assert_eq!(LrtBridge::withdrawal_root(3), None);

		// Frozen: withdrawals stop too.
		assert_ok!(LrtBridge::set_state(RuntimeOrigin::root(), LRT, LrtState::Frozen));
		assert_noop!(
			LrtBridge::withdraw(RuntimeOrigin::signed(ALICE), LRT, UNIT, to),
			Error::<Test>::Frozen
		);
	});
}
