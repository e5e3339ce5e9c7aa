//! Releases proven against Ballast's finality: `BallastGateway.release` checks the withdrawal
//! against its block's withdrawal root, that root's MMR leaf against the MMR root Snowbridge's
//! `BeefyClient` accepted, and BeefyClient accepts a root only when more than two thirds of
//! Ballast's current BEEFY validators signed it (sampled interactively or by Fiat-Shamir). Each
//! forgery below is refused with its own error; the gas and calldata figures are printed
//! (`cargo test --release -p ballast-ethereum-harness --test release -- --nocapture gas`).

mod support;

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::{SolCall, SolConstructor, SolError};
use ballast_ethereum_harness::calls::*;
use ballast_ethereum_harness::evm::ether;
use ballast_ethereum_harness::finality::{
	abi_withdrawal, beefy_client_artifact, withdrawal_root, AuthoritySet, BeefyClientParams,
	BeefyLightClient, Burn, Commitment, Finality, Submission,
};
use ballast_ethereum_harness::Ethereum;
use ballast_gateway::abi;
use ballast_gateway::release::abi::{
	self as beefy, InvalidBitfield, InvalidCommitment, InvalidMMRLeaf, InvalidSignature,
	InvalidValidatorProof, InvalidValidatorProofLength, PrevRandaoNotCaptured, StaleCommitment,
	WaitPeriodNotOver,
};
use ballast_gateway::release::set_bits;
use support::*;

const DAY: u64 = 86_400;

/// `from` sends `call` to the gateway.
fn send(
	bridge: &mut Bridge,
	from: Address,
	call: &releaseCall,
) -> ballast_ethereum_harness::TxResult {
	let gateway = bridge.gateway;
	bridge.eth.call(from, gateway, call.abi_encode())
}

#[test]
fn a_proven_release_pays_once_to_the_committed_recipient_whoever_sends_it() {
	let mut bridge = Bridge::new();
	let (lrt, gateway) = (bridge.lrt, bridge.gateway);
	assert!(bridge.deposit(lrt, ether(10)).success);
	let recipient = Address::repeat_byte(0x42);
	bridge.burn(lrt, recipient, ether(4), 1);
	// Through the interactive protocol this time (Bridge::release uses Fiat-Shamir).
	let gas = bridge.finality.finalize_interactive(&mut bridge.eth, RELAYER).expect("accepted");
	assert!(gas.submit_initial > 0 && gas.commit_prev_randao > 0 && gas.submit_final > 0);
	let client = bridge.finality.client;
	let accepted = bridge.finality.accepted();
	assert_eq!(client.latest_beefy_block(&mut bridge.eth), accepted as u64);
	let root = bridge.finality.ballast.mmr_root(accepted);
	assert_eq!(client.latest_mmr_root(&mut bridge.eth), root);

	let call = bridge.release_call(1);
	// The sender cannot redirect it.
	let mut redirected = call.clone();
	redirected.withdrawal.recipient = STRANGER;
	assert!(send(&mut bridge, STRANGER, &redirected).reverted_with::<InvalidWithdrawalProof>());
	// A stranger sends it; the recipient burned for is paid.
	let released = send(&mut bridge, STRANGER, &call);
	assert!(released.success, "{:?}", released.output);
	let event = emitted::<abi::Released>(&released, gateway);
	assert_eq!(
		(event.lrt, event.recipient, event.amount, event.withdrawalNonce),
		(lrt, recipient, ether(4), 1)
	);
	assert_eq!(bridge.balance_of(lrt, recipient), ether(4));
	assert_eq!(bridge.balance_of(lrt, STRANGER), U256::ZERO);
	assert_eq!(bridge.locked(lrt), ether(6));
	assert!(bridge.eth.read(gateway, releasedCall { withdrawalNonce: 1 }).expect("released"));
	// Once, whoever sends it again.
	for from in [STRANGER, RELAYER, recipient] {
		assert!(send(&mut bridge, from, &call).reverted_with::<AlreadyReleased>());
	}
	// And still once with proofs under BeefyClient's next root.
	bridge.finalize();
	assert!(bridge.send_release(USER, 1).reverted_with::<AlreadyReleased>());
	assert_eq!(bridge.balance_of(lrt, recipient), ether(4));
	assert_eq!(bridge.locked(lrt), ether(6));
}

#[test]
fn a_forged_mmr_leaf_is_refused() {
	let mut bridge = Bridge::new();
	let (lrt, gateway) = (bridge.lrt, bridge.gateway);
	assert!(bridge.deposit(lrt, ether(100)).success);
	bridge.burn(lrt, USER, ether(1), 1);
	bridge.finality.ballast.seal();
	bridge.burn(lrt, STRANGER, ether(2), 2);
	bridge.finalize();
	let valid = bridge.release_call(1);
	let other = bridge.release_call(2);
	assert_ne!(valid.leaf.withdrawalRoot, other.leaf.withdrawalRoot, "two blocks, two roots");
	assert!(!valid.leafProof.is_empty());

	// Any field of the leaf changed.
	let leaf = valid.leaf.clone();
	let forged_leaves = [
		("version", MMRLeaf { version: 1, ..leaf.clone() }),
		("parentNumber", MMRLeaf { parentNumber: leaf.parentNumber + 1, ..leaf.clone() }),
		("parentHash", MMRLeaf { parentHash: B256::repeat_byte(0x77), ..leaf.clone() }),
		(
			"nextAuthoritySetID",
			MMRLeaf { nextAuthoritySetID: leaf.nextAuthoritySetID + 1, ..leaf.clone() },
		),
		(
			"nextAuthoritySetLen",
			MMRLeaf { nextAuthoritySetLen: leaf.nextAuthoritySetLen + 1, ..leaf.clone() },
		),
		(
			"nextAuthoritySetRoot",
			MMRLeaf { nextAuthoritySetRoot: B256::repeat_byte(0x78), ..leaf.clone() },
		),
	];
	for (field, forged) in forged_leaves {
		let call = releaseCall { leaf: forged, ..valid.clone() };
		let result = send(&mut bridge, STRANGER, &call);
		assert!(result.reverted_with::<InvalidMMRLeafProof>(), "{field}: {:?}", result.output);
	}
	// The leaf of withdrawal 1's block claiming the other block's withdrawal root, with the
	// other withdrawal proven under it.
	let swapped = releaseCall {
		withdrawal: other.withdrawal.clone(),
		leaf: MMRLeaf { withdrawalRoot: other.leaf.withdrawalRoot, ..leaf.clone() },
		..valid.clone()
	};
	assert!(send(&mut bridge, STRANGER, &swapped).reverted_with::<InvalidMMRLeafProof>());
	// A withdrawal root of the sender's own making.
	let own = [Burn {
		gateway,
		token: lrt,
		recipient: STRANGER,
		amount: 50u128 * 10u128.pow(18),
		nonce: 99,
	}];
	let made_up = releaseCall {
		withdrawal: abi_withdrawal(&own, 0),
		leaf: MMRLeaf { withdrawalRoot: withdrawal_root(&own), ..leaf.clone() },
		..valid.clone()
	};
	assert!(send(&mut bridge, STRANGER, &made_up).reverted_with::<InvalidMMRLeafProof>());
	// The genuine leaf with its proof broken: an item changed, the order flipped, an item
	// dropped, an item added.
	let mut changed = valid.clone();
	changed.leafProof[0] = B256::repeat_byte(0x79);
	let flipped =
		releaseCall { leafProofOrder: valid.leafProofOrder ^ U256::from(1u8), ..valid.clone() };
	let mut dropped = valid.clone();
	dropped.leafProof.pop();
	let mut added = valid.clone();
	added.leafProof.push(B256::repeat_byte(0x7a));
	for (what, call) in
		[("changed", changed), ("flipped", flipped), ("dropped", dropped), ("added", added)]
	{
		let result = send(&mut bridge, STRANGER, &call);
		assert!(result.reverted_with::<InvalidMMRLeafProof>(), "{what}: {:?}", result.output);
	}
	// The gateway hashes a leaf as Ballast's MMR does.
	let leaf_hash = bridge.eth.read(gateway, mmrLeafHashCall { leaf: leaf.clone() }).expect("hash");
	let (block, _) = bridge.finality.ballast.burned(1).expect("burned");
	assert_eq!(leaf_hash, bridge.finality.ballast.leaf(block as u64).hash());
	// The genuine ones go.
	assert!(send(&mut bridge, STRANGER, &valid).success);
	assert!(send(&mut bridge, STRANGER, &other).success);
	assert_eq!(bridge.balance_of(lrt, USER), ether(900) + ether(1));
	assert_eq!(bridge.balance_of(lrt, STRANGER), ether(2));
}

#[test]
fn a_leaf_not_under_beefy_clients_latest_root_is_refused() {
	let mut bridge = Bridge::new();
	let lrt = bridge.lrt;
	assert!(bridge.deposit(lrt, ether(100)).success);
	bridge.burn(lrt, USER, ether(1), 1);
	bridge.finalize();
	let under_first_root = bridge.release_call(1);
	// Ballast goes on (withdrawal 2) without BeefyClient accepting its root yet.
	bridge.burn(lrt, USER, ether(2), 2);
	bridge.finality.ballast.seal();
	bridge.finality.ballast.seal();
	let ballast = &bridge.finality.ballast;
	let ahead = ballast.release_call(2, ballast.number());
	assert!(send(&mut bridge, STRANGER, &ahead).reverted_with::<InvalidMMRLeafProof>());
	// BeefyClient accepts the new root: withdrawal 1's proof under the former root no longer
	// proves (BeefyClient keeps its latest root only); under the new one it does.
	bridge.finalize();
	let stale = send(&mut bridge, STRANGER, &under_first_root);
	assert!(stale.reverted_with::<InvalidMMRLeafProof>(), "{:?}", stale.output);
	assert!(bridge.send_release(STRANGER, 1).success);
	assert!(bridge.send_release(STRANGER, 2).success);
	assert_eq!(bridge.locked(lrt), ether(97));
}

/// `call` with its withdrawal changed.
fn changed(call: &releaseCall, change: impl Fn(&mut Withdrawal)) -> releaseCall {
	let mut call = call.clone();
	change(&mut call.withdrawal);
	call
}

#[test]
fn a_withdrawal_not_in_the_commitment_is_refused() {
	let mut bridge = Bridge::new();
	let (lrt, gateway, fee_token) = (bridge.lrt, bridge.gateway, bridge.fee_token);
	assert!(bridge.deposit(lrt, ether(100)).success);
	assert!(bridge.deposit(fee_token, ether(100)).success);
	// One block, three withdrawals: a tree of three leaves (the last one promoted).
	for nonce in 1..=3u64 {
		bridge.burn(lrt, USER, ether(nonce), nonce);
	}
	bridge.finalize();
	let second = bridge.release_call(2);
	assert_eq!(second.withdrawal.leafIndex, U256::from(1u8));
	assert_eq!(second.withdrawal.leafCount, U256::from(3u8));
	let mismatches = [
		("amount", changed(&second, |w| w.amount += U256::from(1u8))),
		("recipient", changed(&second, |w| w.recipient = STRANGER)),
		("token", changed(&second, |w| w.token = fee_token)),
		("nonce", changed(&second, |w| w.nonce = 4)),
		("leafIndex 0", changed(&second, |w| w.leafIndex = U256::ZERO)),
		("leafIndex 2", changed(&second, |w| w.leafIndex = U256::from(2u8))),
		("leafIndex past the tree", changed(&second, |w| w.leafIndex = U256::from(3u8))),
		("leafCount 2", changed(&second, |w| w.leafCount = U256::from(2u8))),
		("leafCount 0", changed(&second, |w| w.leafCount = U256::ZERO)),
		("a proof item", changed(&second, |w| w.proof[0] = B256::repeat_byte(0x66))),
		("a proof item dropped", changed(&second, |w| w.proof.truncate(1))),
		("a proof item added", changed(&second, |w| w.proof.push(B256::ZERO))),
	];
	for (what, call) in mismatches {
		let result = send(&mut bridge, STRANGER, &call);
		assert!(result.reverted_with::<InvalidWithdrawalProof>(), "{what}: {:?}", result.output);
	}
	// The last, promoted leaf: its count decides its path.
	let third = bridge.release_call(3);
	for count in [2u8, 4] {
		let mut call = third.clone();
		call.withdrawal.leafCount = U256::from(count);
		assert!(send(&mut bridge, STRANGER, &call).reverted_with::<InvalidWithdrawalProof>());
	}
	// Where a count gives the same path (leaf 0 goes left at every level of a tree of three
	// and of four), it proves the same message: harmless, since the message, its nonce
	// included, is what is proven and is paid once.
	let mut first = bridge.release_call(1);
	first.withdrawal.leafCount = U256::from(4u8);
	assert!(send(&mut bridge, STRANGER, &first).success);
	assert!(bridge.send_release(STRANGER, 1).reverted_with::<AlreadyReleased>());

	// Another gateway following the same BeefyClient: Ballast's withdrawals name this gateway,
	// so the other refuses them, and this one refuses the other's.
	let client = bridge.finality.client.address;
	let other = bridge.eth.deploy(
		OWNER,
		"BallastGateway",
		&constructorCall { owner: OWNER, beefyClient: client }.abi_encode(),
	);
	let source = bridge.source;
	let configure = configureLrtCall { lrt, backingSource: source, depositsOpen: false };
	assert!(bridge.eth.call(OWNER, other, configure.abi_encode()).success);
	ballast_ethereum_harness::scenarios::open_deposits(&mut bridge.eth, other, lrt);
	let approve = approveCall { spender: other, amount: U256::MAX };
	assert!(bridge.eth.call(USER, lrt, approve.abi_encode()).success);
	let deposit = depositCall { lrt, amount: ether(10), recipient: RECIPIENT.into() };
	assert!(bridge.eth.call(USER, other, deposit.abi_encode()).success);
	let ours = bridge.release_call(2);
	let elsewhere = bridge.eth.call(STRANGER, other, ours.abi_encode());
	assert!(elsewhere.reverted_with::<InvalidWithdrawalProof>(), "{:?}", elsewhere.output);
	bridge.finality.ballast.set_gateway(other);
	bridge.burn(lrt, USER, ether(5), 5);
	bridge.finality.ballast.set_gateway(gateway);
	bridge.finalize();
	let theirs = bridge.release_call(5);
	assert!(send(&mut bridge, STRANGER, &theirs).reverted_with::<InvalidWithdrawalProof>());
	assert!(bridge.eth.call(STRANGER, other, theirs.abi_encode()).success);
	// This gateway's own go.
	assert!(bridge.send_release(STRANGER, 2).success);
	assert!(bridge.send_release(STRANGER, 3).success);
	assert_eq!(bridge.locked(lrt), ether(94));
}

#[test]
fn commitments_signed_by_fewer_than_two_thirds_are_refused() {
	let mut bridge = Bridge::new();
	let client = bridge.finality.client;
	bridge.finality.ballast.seal();
	let set = bridge.finality.ballast.current_set().clone();
	let commitment = bridge.finality.ballast.commitment();
	assert_eq!((set.len(), set.quorum()), (4, 3));
	let eth = &mut bridge.eth;

	// Two of four claim to have signed: under the quorum, whichever protocol.
	let mut few = Submission::new(commitment, &set);
	few.claimed = vec![0, 1];
	assert!(client.submit_initial(eth, RELAYER, &few, 0).reverted_with::<InvalidBitfield>());
	assert!(client.submit_fiat_shamir(eth, RELAYER, &few).reverted_with::<InvalidBitfield>());

	// Three claim it, but two of them signed something else: the initial proof must be a real
	// signature, of a claimed validator of the set.
	let elsewhere = Commitment { block_number: commitment.block_number + 1, ..commitment }.hash();
	let mut forged = Submission::new(commitment, &set);
	forged.claimed = vec![0, 1, 2];
	for index in [1, 2] {
		forged.forged.insert(index, set.validators[index].sign(elsewhere));
	}
	assert!(client.submit_initial(eth, RELAYER, &forged, 1).reverted_with::<InvalidSignature>());
	assert!(client
		.submit_initial(eth, RELAYER, &forged, 3)
		.reverted_with::<InvalidValidatorProof>());
	let not_in_set = beefy::submitInitialCall {
		commitment: commitment.abi(),
		bitfield: forged.bitfield(),
		proof: beefy::ValidatorProof { account: STRANGER, ..forged.validator_proof(0) },
	};
	let result = eth.call(RELAYER, client.address, not_in_set.abi_encode());
	assert!(result.reverted_with::<InvalidValidatorProof>());
	// With validator 0's real signature the ticket opens; the sample then asks for two of the
	// three claimed, so at least one forged signature.
	assert!(client.submit_initial(eth, RELAYER, &forged, 0).success);
	let too_early = client.submit_final(eth, RELAYER, &forged, &[U256::from(0b111u8)]);
	assert!(too_early.reverted_with::<PrevRandaoNotCaptured>());
	for _ in 1..client.params.randao_commit_delay {
		eth.seal();
	}
	assert!(client.commit_prev_randao(eth, RELAYER, &forged).reverted_with::<WaitPeriodNotOver>());
	eth.seal();
	assert!(client.commit_prev_randao(eth, RELAYER, &forged).success);
	let sampled = client.final_bitfield(eth, RELAYER, &forged).expect("the ticket's sample");
	let indices = set_bits(&sampled);
	assert_eq!(indices.len(), 2);
	assert!(indices.iter().all(|i| forged.claimed.contains(i)));
	let result = client.submit_final(eth, RELAYER, &forged, &sampled);
	assert!(result.reverted_with::<InvalidSignature>(), "{:?}", result.output);
	// A missing signature replaced by a validator that was not sampled, or left out.
	let honest =
		Submission { claimed: forged.claimed.clone(), ..Submission::new(commitment, &set) };
	let unsampled = (0..set.len()).find(|i| !indices.contains(i)).expect("one not sampled");
	let swapped = vec![honest.validator_proof(unsampled), honest.validator_proof(indices[0])];
	let result = client.submit_final_with(eth, RELAYER, &honest, swapped);
	assert!(result.reverted_with::<InvalidValidatorProof>(), "{:?}", result.output);
	let short = vec![honest.validator_proof(indices[0])];
	let result = client.submit_final_with(eth, RELAYER, &honest, short);
	assert!(result.reverted_with::<InvalidValidatorProofLength>(), "{:?}", result.output);
	// Fiat-Shamir samples two of four: with three forged, at least one is.
	let mut forged_fs = Submission::new(commitment, &set);
	for index in 1..4 {
		forged_fs.forged.insert(index, set.validators[index].sign(elsewhere));
	}
	assert!(client
		.submit_fiat_shamir(eth, RELAYER, &forged_fs)
		.reverted_with::<InvalidSignature>());
	assert_eq!(client.latest_beefy_block(eth), 0, "nothing was accepted");

	// Signed by all, it is accepted (the open ticket's sample, signed for real).
	let result = client.submit_final(eth, RELAYER, &honest, &sampled);
	assert!(result.success, "{:?}", result.output);
	assert_eq!(client.latest_beefy_block(eth), commitment.block_number as u64);
	assert_eq!(client.latest_mmr_root(eth), commitment.mmr_root);
}

#[test]
fn only_the_current_authority_set_signs_and_the_next_takes_over_through_the_leaf() {
	let mut bridge = Bridge::new();
	let lrt = bridge.lrt;
	assert!(bridge.deposit(lrt, ether(100)).success);
	let client = bridge.finality.client;
	bridge.finality.ballast.seal();
	// A set two ahead of BeefyClient's (it knows set 0, and set 1 as next).
	let two_ahead = AuthoritySet::generate(2, VALIDATORS);
	let commitment = Commitment { validator_set_id: 2, ..bridge.finality.ballast.commitment() };
	let submission = Submission::new(commitment, &two_ahead);
	let eth = &mut bridge.eth;
	assert!(client
		.submit_initial(eth, RELAYER, &submission, 0)
		.reverted_with::<InvalidCommitment>());
	assert!(client
		.submit_fiat_shamir(eth, RELAYER, &submission)
		.reverted_with::<InvalidCommitment>());
	assert!(bridge.release(lrt, USER, ether(1), 1).success, "set 0 signs");

	// The session changes: set 1 signs from now on, and its first commitment carries the leaf
	// naming set 2, proven under the commitment's root.
	bridge.finality.ballast.rotate(VALIDATORS);
	let ballast = &bridge.finality.ballast;
	let handover = ballast.submission(0);
	let (leaf, proof) = handover.handover.clone().expect("a handover");
	assert_eq!(leaf.next_authority_set.0, 2);
	let without_leaf = Submission { handover: None, ..handover.clone() };
	let at = handover.commitment.block_number as u64;
	let older_leaf = Submission {
		handover: Some((ballast.leaf(0).clone(), ballast.mmr().proof(0, at))),
		..handover.clone()
	};
	let mut unproven_leaf = leaf.clone();
	unproven_leaf.withdrawal_root = [0x55; 32];
	let unproven = Submission { handover: Some((unproven_leaf, proof)), ..handover.clone() };
	let eth = &mut bridge.eth;
	for (what, submission) in [("no leaf", &without_leaf), ("set 1's leaf", &older_leaf)] {
		let result = client.submit_fiat_shamir(eth, RELAYER, submission);
		assert!(result.reverted_with::<InvalidMMRLeaf>(), "{what}: {:?}", result.output);
	}
	let result = client.submit_fiat_shamir(eth, RELAYER, &unproven);
	assert!(result.reverted_with::<InvalidMMRLeafProof>(), "{:?}", result.output);
	assert_eq!(client.current_set_id(eth), 0);
	bridge.finality.finalize_interactive(&mut bridge.eth, RELAYER).expect("the handover");
	assert_eq!(client.current_set_id(&mut bridge.eth), 1);

	// Set 0 is refused now, as is a set two ahead again.
	bridge.finality.ballast.seal();
	let latest = bridge.finality.ballast.commitment();
	let set_0 = bridge.finality.ballast.set(0).clone();
	let three = AuthoritySet::generate(3, VALIDATORS);
	for set in [&set_0, &three] {
		let submission = Submission::new(Commitment { validator_set_id: set.id, ..latest }, set);
		let eth = &mut bridge.eth;
		assert!(client
			.submit_initial(eth, RELAYER, &submission, 0)
			.reverted_with::<InvalidCommitment>());
		assert!(client
			.submit_fiat_shamir(eth, RELAYER, &submission)
			.reverted_with::<InvalidCommitment>());
	}
	// Releases go on under set 1, and through the next handover (set 2, naming set 3).
	assert!(bridge.release(lrt, USER, ether(2), 2).success);
	bridge.finality.ballast.rotate(VALIDATORS);
	assert!(bridge.release(lrt, USER, ether(3), 3).success);
	assert_eq!(client.current_set_id(&mut bridge.eth), 2);
	assert_eq!(bridge.locked(lrt), ether(94));
}

#[test]
fn an_old_commitment_is_stale() {
	let mut bridge = Bridge::new();
	let client = bridge.finality.client;
	bridge.finality.ballast.seal();
	let first = bridge.finality.ballast.submission(0);
	assert!(client.submit_fiat_shamir(&mut bridge.eth, RELAYER, &first).success);
	bridge.finality.accepted_submission(&first);
	bridge.finality.ballast.seal();
	let second = bridge.finality.ballast.submission(0);
	let eth = &mut bridge.eth;
	// Someone opens a ticket for the second; another relayer gets it accepted first.
	assert!(client.submit_initial(eth, STRANGER, &second, 0).success);
	assert!(client.submit_fiat_shamir(eth, RELAYER, &second).success);
	bridge.finality.accepted_submission(&second);
	let eth = &mut bridge.eth;
	// Both again, however well signed: stale (block ≤ latestBeefyBlock).
	for submission in [&first, &second] {
		assert!(client
			.submit_initial(eth, RELAYER, submission, 0)
			.reverted_with::<StaleCommitment>());
		assert!(client
			.submit_fiat_shamir(eth, RELAYER, submission)
			.reverted_with::<StaleCommitment>());
	}
	// The ticket opened before is stale too.
	for _ in 0..client.params.randao_commit_delay {
		eth.seal();
	}
	assert!(client.commit_prev_randao(eth, STRANGER, &second).success);
	let sampled = client.final_bitfield(eth, STRANGER, &second).expect("the ticket's sample");
	let result = client.submit_final(eth, STRANGER, &second, &sampled);
	assert!(result.reverted_with::<StaleCommitment>(), "{:?}", result.output);
	assert_eq!(client.latest_beefy_block(eth), second.commitment.block_number as u64);
}

#[test]
fn proven_releases_are_still_paused_and_rate_limited() {
	let mut bridge = Bridge::new();
	let (lrt, gateway) = (bridge.lrt, bridge.gateway);
	assert!(bridge.deposit(lrt, ether(100)).success);
	bridge.burn(lrt, USER, ether(10), 1);
	bridge.burn(lrt, USER, ether(5), 2);
	bridge.finalize();
	assert!(bridge.call(GUARDIAN, pauseCall {}).success);
	assert!(bridge.send_release(STRANGER, 1).reverted_with::<EnforcedPause>());
	assert!(bridge.call(OWNER, unpauseCall {}).success);
	assert!(bridge.call(GUARDIAN, pauseReleasesCall {}).success);
	assert!(bridge.send_release(STRANGER, 1).reverted_with::<ReleasesPaused>());
	assert!(bridge.call(OWNER, unpauseReleasesCall {}).success);
	let limit = setReleaseLimitCall { token: lrt, limit: ether(12), window: DAY };
	assert!(bridge.call(OWNER, limit).success);
	assert!(bridge.send_release(STRANGER, 1).success);
	let over = bridge.send_release(STRANGER, 2);
	assert!(over.reverted_with::<ReleaseLimitExceeded>(), "{:?}", over.output);
	bridge.eth.advance_time(DAY);
	assert!(bridge.send_release(STRANGER, 2).success);
	assert_eq!(bridge.locked(lrt), ether(85));
	assert_eq!(bridge.balance_of(lrt, gateway), ether(85));
}

#[test]
fn beefy_client_verifies_every_leaf_of_ballasts_mmr() {
	for size in [1u32, 2, 3, 5, 7, 8, 13, 40] {
		let mut eth = Ethereum::new();
		let mut finality = Finality::deploy(&mut eth, OWNER, 4, BeefyClientParams::default());
		while finality.ballast.number() < size {
			finality.ballast.seal();
		}
		finality.finalize(&mut eth, RELAYER).expect("accepted");
		let client = finality.client;
		let ballast = &finality.ballast;
		assert_eq!(client.latest_mmr_root(&mut eth), ballast.mmr_root(size));
		for index in 0..size as u64 {
			let leaf_hash = ballast.leaf(index).hash();
			let proof = ballast.mmr().proof(index, size as u64);
			assert!(client.verify_mmr_leaf_proof(&mut eth, leaf_hash, &proof), "{index} of {size}");
			if size > 1 {
				let other = ballast.leaf((index + 1) % size as u64).hash();
				assert!(!client.verify_mmr_leaf_proof(&mut eth, other, &proof));
				let mut flipped = proof.clone();
				flipped.order ^= U256::from(1u8);
				assert!(!client.verify_mmr_leaf_proof(&mut eth, leaf_hash, &flipped));
			}
		}
	}
}

/// The release ABI declared in `ballast_gateway::release::abi` is the compiled contracts':
/// every function and error it declares has its selector in `BallastGateway`'s artifact or in
/// Snowbridge's `BeefyClient` artifact.
#[test]
fn the_release_abi_is_the_compiled_contracts() {
	fn selectors(abi: &serde_json::Value, kind: &str) -> Vec<[u8; 4]> {
		fn ty(input: &serde_json::Value) -> String {
			let name = input["type"].as_str().expect("type");
			match name.strip_prefix("tuple") {
				Some(rest) => {
					let inner: Vec<String> = input["components"]
						.as_array()
						.expect("components")
						.iter()
						.map(ty)
						.collect();
					format!("({}){rest}", inner.join(","))
				},
				None => name.to_string(),
			}
		}
		abi.as_array()
			.expect("abi")
			.iter()
			.filter(|entry| entry["type"] == kind)
			.map(|entry| {
				let inputs: Vec<String> =
					entry["inputs"].as_array().expect("inputs").iter().map(ty).collect();
				let signature =
					format!("{}({})", entry["name"].as_str().expect("name"), inputs.join(","));
				let hash = alloy_primitives::keccak256(signature.as_bytes());
				[hash[0], hash[1], hash[2], hash[3]]
			})
			.collect()
	}
	let gateway = ballast_ethereum_harness::evm::artifact("BallastGateway")["abi"].clone();
	let client = beefy_client_artifact()["abi"].clone();
	let gateway_functions = selectors(&gateway, "function");
	let client_functions = selectors(&client, "function");
	for selector in [
		beefy::releaseCall::SELECTOR,
		beefy::mmrLeafHashCall::SELECTOR,
		beefy::releasedCall::SELECTOR,
		beefy::beefyClientCall::SELECTOR,
	] {
		assert!(gateway_functions.contains(&selector), "gateway: {selector:?}");
	}
	for selector in [
		beefy::submitInitialCall::SELECTOR,
		beefy::commitPrevRandaoCall::SELECTOR,
		beefy::createFinalBitfieldCall::SELECTOR,
		beefy::submitFinalCall::SELECTOR,
		beefy::createFiatShamirFinalBitfieldCall::SELECTOR,
		beefy::submitFiatShamirCall::SELECTOR,
		beefy::verifyMMRLeafProofCall::SELECTOR,
		beefy::latestBeefyBlockCall::SELECTOR,
		beefy::latestMMRRootCall::SELECTOR,
		beefy::randaoCommitDelayCall::SELECTOR,
		beefy::currentValidatorSetCall::SELECTOR,
		beefy::nextValidatorSetCall::SELECTOR,
	] {
		assert!(client_functions.contains(&selector), "BeefyClient: {selector:?}");
	}
	let gateway_errors = selectors(&gateway, "error");
	for selector in [beefy::InvalidWithdrawalProof::SELECTOR, beefy::InvalidMMRLeafProof::SELECTOR]
	{
		assert!(gateway_errors.contains(&selector), "gateway: {selector:?}");
	}
	let client_errors = selectors(&client, "error");
	for selector in [
		InvalidBitfield::SELECTOR,
		InvalidCommitment::SELECTOR,
		InvalidMMRLeaf::SELECTOR,
		beefy::InvalidMMRLeafProof::SELECTOR,
		InvalidSignature::SELECTOR,
		InvalidValidatorProof::SELECTOR,
		InvalidValidatorProofLength::SELECTOR,
		StaleCommitment::SELECTOR,
		WaitPeriodNotOver::SELECTOR,
		PrevRandaoNotCaptured::SELECTOR,
	] {
		assert!(client_errors.contains(&selector), "BeefyClient: {selector:?}");
	}
	// The constructor takes what `BeefyClient`'s does.
	let constructor = client
		.as_array()
		.expect("abi")
		.iter()
		.find(|entry| entry["type"] == "constructor")
		.expect("a constructor")
		.clone();
	assert_eq!(constructor["inputs"].as_array().expect("inputs").len(), 7);
}

/// Gas of getting a commitment accepted (each of the interactive protocol's three
/// transactions; Fiat-Shamir; a handover) and of a release, and a release's calldata, for 4 and
/// for 100 validators, over an MMR of a week of 6-second blocks.
#[test]
fn gas_of_commitments_and_releases() {
	const WEEK_OF_BLOCKS: u32 = 7 * 24 * 600;
	for validators in [4usize, 100] {
		let mut bridge = Bridge::with_validators(validators);
		let lrt = bridge.lrt;
		assert!(bridge.deposit(lrt, ether(500)).success);
		let client = bridge.finality.client;
		// A withdrawal a week old by the time it is released: its leaf is in the MMR's oldest,
		// highest peak (the longest proof).
		bridge.burn(lrt, USER, ether(1), 50);
		while bridge.finality.ballast.number() < WEEK_OF_BLOCKS {
			bridge.finality.ballast.seal();
		}

		// Interactive.
		bridge.burn(lrt, USER, ether(1), 1);
		let submission = bridge.finality.next_submission();
		let eth = &mut bridge.eth;
		let initial = client.submit_initial(eth, RELAYER, &submission, 0);
		assert!(initial.success, "{:?}", initial.output);
		for _ in 0..client.params.randao_commit_delay {
			eth.seal();
		}
		let randao = client.commit_prev_randao(eth, RELAYER, &submission);
		assert!(randao.success);
		let sampled = client.final_bitfield(eth, RELAYER, &submission).expect("sample");
		let last = client.submit_final(eth, RELAYER, &submission, &sampled);
		assert!(last.success, "{:?}", last.output);
		bridge.finality.accepted_submission(&submission);
		let interactive_signatures = set_bits(&sampled).len();

		// Fiat-Shamir.
		bridge.burn(lrt, USER, ether(1), 2);
		let submission = bridge.finality.next_submission();
		let fs_sample = client.fiat_shamir_bitfield(&mut bridge.eth, &submission).expect("sample");
		let fs_signatures = set_bits(&fs_sample).len();
		let fiat_shamir = bridge.finality.finalize(&mut bridge.eth, RELAYER).expect("accepted");

		// A handover, through Fiat-Shamir.
		bridge.finality.ballast.rotate(validators);
		bridge.burn(lrt, USER, ether(1), 3);
		let handover = bridge.finality.finalize(&mut bridge.eth, RELAYER).expect("handover");

		// A release: the only withdrawal of its block, then one of 64.
		let call = bridge.release_call(3);
		let calldata = call.abi_encode().len();
		let release = bridge.send_release(STRANGER, 3);
		assert!(release.success, "{:?}", release.output);
		for nonce in 100..164 {
			bridge.burn(lrt, USER, ether(1), nonce);
		}
		bridge.finalize();
		let call_of_64 = bridge.release_call(130);
		let calldata_of_64 = call_of_64.abi_encode().len();
		let release_of_64 = bridge.send_release(STRANGER, 130);
		assert!(release_of_64.success);
		let old_call = bridge.release_call(50);
		let old_calldata = old_call.abi_encode().len();
		let old_release = bridge.send_release(STRANGER, 50);
		assert!(old_release.success);

		let leaves = bridge.finality.accepted();
		eprintln!(
			"{validators} validators (quorum {}): interactive submitInitial {} + commitPrevRandao {} + \
			 submitFinal {} ({interactive_signatures} signatures) = {} gas; Fiat-Shamir {fiat_shamir} gas \
			 ({fs_signatures} signatures); handover (Fiat-Shamir) {handover} gas",
			bridge.finality.ballast.current_set().quorum(),
			initial.gas_used,
			randao.gas_used,
			last.gas_used,
			initial.gas_used + randao.gas_used + last.gas_used,
		);
		eprintln!(
			"  release (MMR of {leaves} leaves): a recent withdrawal alone in its block's tree {} \
			 gas, {calldata} bytes of calldata ({} MMR proof items); one of 64 in its block's tree \
			 {} gas, {calldata_of_64} bytes; a week-old one (oldest peak) {} gas, {old_calldata} \
			 bytes ({} MMR proof items)",
			release.gas_used,
			call.leafProof.len(),
			release_of_64.gas_used,
			old_release.gas_used,
			old_call.leafProof.len(),
		);
		// Bounds: a release costs what a few hashes and a token transfer cost, and sampling
		// never asks for more than a third of the set plus one.
		for gas in [release.gas_used, release_of_64.gas_used, old_release.gas_used] {
			assert!(gas < 200_000, "{gas}");
		}
		assert!(interactive_signatures <= validators / 3 + 1);
		assert!(fs_signatures <= validators / 3 + 1);
		assert!(last.gas_used < 10_000_000 && fiat_shamir < 10_000_000);
	}
}

/// `beefyClient`, `pendingBeefyClient` and `pendingBeefyClientAt` of the gateway.
fn beefy_clients(bridge: &mut Bridge) -> (Address, Address, u64) {
	let gateway = bridge.gateway;
	let eth = &mut bridge.eth;
	(
		eth.read(gateway, beefyClientCall {}).expect("beefyClient"),
		eth.read(gateway, pendingBeefyClientCall {}).expect("pendingBeefyClient"),
		eth.read(gateway, pendingBeefyClientAtCall {}).expect("pendingBeefyClientAt"),
	)
}

/// The BEEFY client is replaced only seven days after a public announcement, which the guardian
/// can cancel; until the switch releases prove against the current client, from then on only
/// against the new one.
#[test]
fn the_beefy_client_is_replaced_only_after_a_public_delay() {
	let mut bridge = Bridge::new();
	let (lrt, gateway) = (bridge.lrt, bridge.gateway);
	assert!(bridge.deposit(lrt, ether(100)).success);
	assert_eq!(bridge.eth.read(gateway, BEEFY_CLIENT_DELAYCall {}).expect("the delay"), 7 * DAY);
	bridge.burn(lrt, USER, ether(1), 1);
	bridge.finalize();
	let under_old = bridge.release_call(1);
	let old_root_block = bridge.finality.accepted();
	// A second BeefyClient following the same Ballast (the same validator sets), from its latest
	// block; the simulated finality drives it from now on.
	let old = bridge.finality.replace_client(&mut bridge.eth, OWNER);
	let new = bridge.finality.client;
	assert_ne!(old.address, new.address);
	assert_eq!(beefy_clients(&mut bridge), (old.address, Address::ZERO, 0));

	let announce = announceBeefyClientCall { next: new.address };
	let announced = bridge.call(OWNER, announce.clone());
	assert!(announced.success, "{:?}", announced.output);
	let event = emitted::<BeefyClientAnnounced>(&announced, gateway);
	let effective_at = bridge.eth.timestamp() + 7 * DAY;
	assert_eq!((event.beefyClient, event.effectiveAt), (new.address, effective_at));
	assert_eq!(beefy_clients(&mut bridge), (old.address, new.address, effective_at));
	let early = bridge.call(STRANGER, applyBeefyClientCall {});
	assert!(early.reverted_with::<BeefyClientChangeNotDue>(), "{:?}", early.output);
	assert_eq!(
		BeefyClientChangeNotDue::abi_decode(&early.output).expect("the error").effectiveAt,
		effective_at
	);
	// The new client accepts a later root; the gateway still proves against the old one.
	bridge.finalize();
	assert!(bridge.finality.accepted() > old_root_block);
	assert!(bridge.send_release(STRANGER, 1).reverted_with::<InvalidMMRLeafProof>());
	assert!(send(&mut bridge, STRANGER, &under_old).success, "releases go on until the switch");

	// The guardian cancels (a stranger cannot); nothing is pending, however long one waits.
	assert!(bridge.call(STRANGER, cancelBeefyClientCall {}).reverted_with::<NotGuardian>());
	let cancelled = bridge.call(GUARDIAN, cancelBeefyClientCall {});
	assert!(cancelled.success, "{:?}", cancelled.output);
	assert_eq!(emitted::<BeefyClientChangeCancelled>(&cancelled, gateway).beefyClient, new.address);
	assert_eq!(beefy_clients(&mut bridge), (old.address, Address::ZERO, 0));
	bridge.eth.advance_time(8 * DAY);
	assert!(bridge.call(STRANGER, applyBeefyClientCall {}).reverted_with::<NoPendingBeefyClient>());
	assert!(bridge
		.call(GUARDIAN, cancelBeefyClientCall {})
		.reverted_with::<NoPendingBeefyClient>());

	// Announced again, a second before it is due it is not, and then a stranger applies it.
	let announced = bridge.call(OWNER, announce);
	assert!(announced.success);
	let effective_at = emitted::<BeefyClientAnnounced>(&announced, gateway).effectiveAt;
	assert_eq!(effective_at, bridge.eth.timestamp() + 7 * DAY);
	bridge.eth.advance_time(7 * DAY - 1);
	assert!(bridge
		.call(STRANGER, applyBeefyClientCall {})
		.reverted_with::<BeefyClientChangeNotDue>());
	bridge.eth.advance_time(1);
	let applied = bridge.call(STRANGER, applyBeefyClientCall {});
	assert!(applied.success, "{:?}", applied.output);
	let changed = emitted::<BeefyClientChanged>(&applied, gateway);
	assert_eq!((changed.previous, changed.beefyClient), (old.address, new.address));
	assert_eq!(beefy_clients(&mut bridge), (new.address, Address::ZERO, 0));
	assert!(bridge.call(STRANGER, applyBeefyClientCall {}).reverted_with::<NoPendingBeefyClient>());

	// Withdrawal 2: the old client accepts a root above it, the new one a later root.
	bridge.burn(lrt, USER, ether(2), 2);
	bridge.finality.ballast.seal();
	bridge.finality.ballast.seal();
	let ballast = &bridge.finality.ballast;
	let old_root_block = ballast.number();
	let commitment = Submission::new(ballast.commitment(), ballast.current_set());
	let under_old = ballast.release_call(2, old_root_block);
	assert!(old.submit_fiat_shamir(&mut bridge.eth, RELAYER, &commitment).success);
	bridge.finality.ballast.seal();
	bridge.finalize();
	assert!(bridge.finality.accepted() > old_root_block);
	// The proof under the old client's root holds there, but the gateway no longer asks it.
	let leaf_hash = bridge.eth.read(gateway, mmrLeafHashCall { leaf: under_old.leaf.clone() });
	let proof = ballast_gateway::release::SimplifiedMmrProof {
		items: under_old.leafProof.clone(),
		order: under_old.leafProofOrder,
	};
	assert!(old.verify_mmr_leaf_proof(&mut bridge.eth, leaf_hash.expect("hash"), &proof));
	let refused = send(&mut bridge, STRANGER, &under_old);
	assert!(refused.reverted_with::<InvalidMMRLeafProof>(), "{:?}", refused.output);
	// Under the new client's root it is paid.
	assert!(bridge.send_release(STRANGER, 2).success);
	assert_eq!(bridge.balance_of(lrt, USER), ether(900) + ether(3));
	assert_eq!(bridge.locked(lrt), ether(97));
}

/// The auditor's case: BeefyClient fell behind Ballast's validator sets (sessions passed with no
/// commitment carried, and none of theirs is carried later), so it refuses every commitment
/// Ballast's validators now sign and withdrawals burned since cannot be proven. A new client,
/// deployed from a checkpoint of Ballast and applied a week after its announcement, releases
/// them.
#[test]
fn withdrawals_stuck_behind_a_stalled_beefy_client_are_released_through_its_replacement() {
	let mut bridge = Bridge::new();
	let lrt = bridge.lrt;
	assert!(bridge.deposit(lrt, ether(100)).success);
	assert!(bridge.release(lrt, USER, ether(1), 1).success);
	// Two sessions pass unrelayed: set 2 signs, and the client knows sets 0 and 1 only.
	bridge.burn(lrt, USER, ether(2), 2);
	bridge.finality.ballast.rotate(VALIDATORS);
	bridge.finality.ballast.rotate(VALIDATORS);
	bridge.finality.ballast.seal();
	let ballast = &bridge.finality.ballast;
	assert_eq!(ballast.current_set().id, 2);
	let latest = Submission::new(ballast.commitment(), ballast.current_set());
	let unprovable = ballast.release_call(2, ballast.number());
	let stalled = bridge.finality.client;
	let eth = &mut bridge.eth;
	assert!(stalled.submit_fiat_shamir(eth, RELAYER, &latest).reverted_with::<InvalidCommitment>());
	assert!(stalled.submit_initial(eth, RELAYER, &latest, 0).reverted_with::<InvalidCommitment>());
	assert!(send(&mut bridge, STRANGER, &unprovable).reverted_with::<InvalidMMRLeafProof>());

	// A new client from Ballast's checkpoint (set 2 signing, set 3 next), announced, applied.
	let replaced = bridge.finality.replace_client(&mut bridge.eth, OWNER);
	assert_eq!(replaced.address, stalled.address);
	let new = bridge.finality.client.address;
	assert!(bridge.call(OWNER, announceBeefyClientCall { next: new }).success);
	bridge.eth.advance_time(7 * DAY);
	assert!(bridge.call(RELAYER, applyBeefyClientCall {}).success);
	// Set 2's commitment is accepted by the new client, and withdrawal 2 is paid; releases and
	// handovers go on from there.
	bridge.finalize();
	assert!(bridge.send_release(STRANGER, 2).success);
	bridge.finality.ballast.rotate(VALIDATORS);
	assert!(bridge.release(lrt, USER, ether(3), 3).success);
	assert_eq!(bridge.finality.client.current_set_id(&mut bridge.eth), 3);
	assert_eq!(bridge.locked(lrt), ether(94));
}

#[test]
fn only_the_owner_announces_a_beefy_client_and_only_a_contract() {
	let mut bridge = Bridge::new();
	let gateway = bridge.gateway;
	let current = bridge.finality.client.address;
	let other = BeefyLightClient::deploy(
		&mut bridge.eth,
		OWNER,
		&bridge.finality.ballast,
		BeefyClientParams::default(),
	)
	.address;
	let announce = |next| announceBeefyClientCall { next };
	for from in [STRANGER, GUARDIAN, RELAYER] {
		let refused = bridge.call(from, announce(other));
		assert!(refused.reverted_with::<OwnableUnauthorizedAccount>(), "{from}");
	}
	assert!(bridge.call(OWNER, announce(Address::ZERO)).reverted_with::<ZeroAddress>());
	// An account without code (an externally owned account, or a contract not deployed yet).
	for codeless in [STRANGER, Address::repeat_byte(0x77)] {
		let refused = bridge.call(OWNER, announce(codeless));
		assert!(refused.reverted_with::<InvalidBeefyClient>(), "{codeless}");
	}
	assert!(bridge.call(OWNER, announce(current)).reverted_with::<InvalidBeefyClient>());
	// Nothing pending: nothing to apply or cancel.
	assert!(bridge.call(STRANGER, applyBeefyClientCall {}).reverted_with::<NoPendingBeefyClient>());
	assert!(bridge.call(OWNER, cancelBeefyClientCall {}).reverted_with::<NoPendingBeefyClient>());
	assert_eq!(beefy_clients(&mut bridge), (current, Address::ZERO, 0));

	// A second announcement replaces the first (and its delay starts again); the owner too
	// can cancel.
	let lrt = bridge.lrt;
	assert!(bridge.call(OWNER, announce(lrt)).success, "any contract: the owner's to choose");
	bridge.eth.advance_time(3 * DAY);
	let again = bridge.call(OWNER, announce(other));
	assert!(again.success);
	let effective_at = bridge.eth.timestamp() + 7 * DAY;
	let event = emitted::<BeefyClientAnnounced>(&again, gateway);
	assert_eq!((event.beefyClient, event.effectiveAt), (other, effective_at));
	assert_eq!(beefy_clients(&mut bridge), (current, other, effective_at));
	bridge.eth.advance_time(4 * DAY);
	assert!(bridge
		.call(STRANGER, applyBeefyClientCall {})
		.reverted_with::<BeefyClientChangeNotDue>());
	let cancelled = bridge.call(OWNER, cancelBeefyClientCall {});
	assert_eq!(emitted::<BeefyClientChangeCancelled>(&cancelled, gateway).beefyClient, other);
	assert_eq!(beefy_clients(&mut bridge), (current, Address::ZERO, 0));
	// The gateway's nonce counts only the events Ballast proves: these are configuration.
	assert_eq!(bridge.eth.read(gateway, nonceCall {}).expect("nonce"), 0);
}
