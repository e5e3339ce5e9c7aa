//! The Ethereum half of the Ballast → Ethereum direction against the real contracts, without a
//! Ballast node: Snowbridge's `BeefyClient` (the compiled artifact of its npm package) and
//! `BallastGateway` on anvil (a block a second), a BEEFY set of four development keys that sign
//! commitments here as Ballast's validators would, and the relayer's own code submitting them
//! (`submit_commitment`: `submitInitial`, `commitPrevRandao`, `createFinalBitfield`,
//! `submitFinal`) and building releases (`build_release`).
//!
//! 1. A commitment signed by three of the four keys is accepted; two withdrawals under it are
//!    released, and the same release again reverts `AlreadyReleased`.
//! 2. A handover: a commitment of the next set with the MMR leaf naming the set after it moves
//!    `BeefyClient` on; one without the leaf, or whose leaf names another set, is refused before
//!    anything is sent, as are a stale commitment and one of a set `BeefyClient` does not take.
//!
//! Needs anvil and `@snowbridge/contracts` (`npm ci` in ethereum/).

mod common;

use alloy_primitives::{keccak256, Address, B256, U256};
use alloy_sol_types::{SolCall, SolError, SolValue};
use ballast_gateway::release::{
	abi, authority_set, simplified_mmr_proof, simplified_mmr_root, ScaleMmrLeaf,
};
use ballast_relayer::{
	beefy::{
		beefy_client_state, ethereum_address, submit_commitment, BeefySignedCommitment, ClientArgs,
		Error, HandoverLeaf, SignerSet,
	},
	ethereum::{EthereumKey, FeePolicy, Transactor},
	execution::ExecutionApi,
	release::{build_release, Message},
};
use codec::Encode;
use common::{anvil::Anvil, gateway::*};
use serde_json::json;
use sp_consensus_beefy::{
	ecdsa_crypto::{Public, Signature},
	known_payloads::MMR_ROOT_ID,
	Commitment, Payload,
};
use sp_core::Pair;

/// Anvil's second default account: the relayer's key.
const RELAYER_KEY: &str = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";

alloy_sol_types::sol! {
	function balanceOf(address who) returns (uint256);
	error AlreadyReleased(uint64 withdrawalNonce);
}

fn keys(seeds: &[&str]) -> Vec<sp_core::ecdsa::Pair> {
	seeds.iter().map(|seed| sp_core::ecdsa::Pair::from_string(seed, None).expect("seed")).collect()
}

fn signer_set(id: u64, keys: &[sp_core::ecdsa::Pair]) -> SignerSet {
	SignerSet {
		id,
		addresses: keys
			.iter()
			.map(|key| ethereum_address(&Public::from(key.public())).expect("a point"))
			.collect(),
	}
}

fn abi_set(set: &SignerSet) -> abi::ValidatorSet {
	abi::ValidatorSet {
		id: u128::from(set.id),
		length: set.addresses.len() as u128,
		root: set.root(),
	}
}

/// The commitment of `block` by set `set` to MMR root `root`, signed by the keys `signing`
/// marks (as BEEFY signs: keccak-256 of the SCALE commitment).
fn signed(
	block: u32,
	set: u64,
	root: B256,
	keys: &[sp_core::ecdsa::Pair],
	signing: &[bool],
) -> BeefySignedCommitment {
	let commitment = Commitment {
		payload: Payload::from_single_entry(MMR_ROOT_ID, root.to_vec()),
		block_number: block,
		validator_set_id: set,
	};
	let hash = keccak256(commitment.encode());
	let signatures = keys
		.iter()
		.zip(signing)
		.map(|(key, signs)| signs.then(|| Signature::from(key.sign_prehashed(&hash.0))))
		.collect();
	BeefySignedCommitment { commitment, signatures }
}

fn leaf(block: u32, next: &SignerSet, withdrawal_root: B256) -> ScaleMmrLeaf {
	ScaleMmrLeaf {
		version: 0,
		parent_number_and_hash: (block - 1, [block as u8; 32]),
		next_authority_set: (next.id, next.addresses.len() as u32, next.root().0),
		withdrawal_root: withdrawal_root.0,
	}
}

fn balance(anvil: &Anvil, token: Address, who: Address) -> U256 {
	let output = anvil.rpc(
		"eth_call",
		json!([{ "to": token.to_string(), "data": common::anvil::hex(balanceOfCall { who }.abi_encode()) }, "latest"]),
	);
	let bytes = alloy_primitives::hex::decode(output.as_str().expect("hex")).expect("hex");
	balanceOfCall::abi_decode_returns(&bytes).expect("a balance")
}

fn pair_hash(left: B256, right: B256) -> B256 {
	keccak256([left.as_slice(), right.as_slice()].concat())
}

#[tokio::test(flavor = "multi_thread")]
async fn commitments_and_releases_pass_the_real_contracts() {
	let four = keys(&["//Alice", "//Bob", "//Charlie", "//Dave"]);
	let three = keys(&["//Alice", "//Bob", "//Charlie"]);
	let (set0, set1, set2) = (signer_set(0, &four), signer_set(1, &four), signer_set(2, &three));
	assert_eq!(set0.root(), authority_set::root(&set0.addresses));

	// BeefyClient at Ballast block 10, set 0 current and 1 next; the gateway on it.
	let anvil = Anvil::start_with(&["--block-time", "1"]);
	let code = beefy_client_creation_code();
	let args =
		ClientArgs { initial_beefy_block: 10, current: abi_set(&set0), next: abi_set(&set1) };
	let client = anvil.deploy_code(code, &args.constructor_args(3, 60, 1, 101));
	let d = deploy_with_beefy_client(anvil, client);
	d.deposit(ether(100), 0xb0);
	let hash = d.anvil.send(json!({
		"to": d.gateway.to_string(),
		"data": common::anvil::hex(depositEthCall { recipient: B256::repeat_byte(0xb0) }.abi_encode()),
		"value": format!("{:#x}", ether(10)),
	}));
	d.anvil.successful_receipt(hash);
	let api = ExecutionApi::new(&d.anvil.url);
	let tx = tokio::task::block_in_place(|| {
		Transactor::new(
			ExecutionApi::new(&d.anvil.url),
			EthereumKey::from_hex(RELAYER_KEY).expect("key"),
			FeePolicy::default(),
		)
	})
	.expect("anvil answers");
	let state = beefy_client_state(&api, client).expect("BeefyClient answers");
	assert_eq!((state.latest_block, state.current.id, state.next.id), (10, 0, 1));
	assert_eq!(state.current.root, set0.root());

	// Block 10 committed two withdrawals (its root is in block 11's leaf).
	let (r1, r2) = (Address::repeat_byte(0xa1), Address::repeat_byte(0xa2));
	let messages = [
		Message { gateway: d.gateway, token: d.token, recipient: r1, amount: ether(40), nonce: 0 },
		Message { gateway: d.gateway, token: d.weth, recipient: r2, amount: ether(3), nonce: 1 },
	];
	let encoded: Vec<Vec<u8>> = messages
		.iter()
		.map(|m| (m.gateway, m.token, m.recipient, m.amount, m.nonce).abi_encode())
		.collect();
	let hashes: Vec<B256> = encoded.iter().map(keccak256).collect();
	let withdrawal_root = pair_hash(hashes[0], hashes[1]);
	let proofs: Vec<ballast_relayer::beefy::WithdrawalProof> = (0..2)
		.map(|i| ballast_relayer::beefy::WithdrawalProof {
			block: 10,
			root: withdrawal_root.0,
			message: encoded[i].clone(),
			leaf_index: i as u32,
			leaf_count: 2,
			proof: vec![hashes[1 - i].0],
		})
		.collect();
	// The MMR of blocks 11 and 12: one peak over the two leaves.
	let leaf11 = leaf(11, &set1, withdrawal_root);
	let leaf12 = leaf(12, &set1, B256::ZERO);
	let mmr_root = pair_hash(leaf11.hash(), leaf12.hash());
	let leaf11_proof = simplified_mmr_proof(0, 2, &[leaf12.hash()]).expect("a proof");
	assert_eq!(simplified_mmr_root(leaf11.hash(), &leaf11_proof), mmr_root);

	// 1. Block 12's commitment, signed by Alice, Charlie and Dave.
	let commitment = signed(12, 0, mmr_root, &four, &[true, false, true, true]);
	let submitted =
		submit_commitment(&tx, client, &commitment, &set0, &state, None).await.expect("accepted");
	assert!(!submitted.handover);
	let state = beefy_client_state(&api, client).expect("answers");
	assert_eq!((state.latest_block, state.latest_root), (12, mmr_root));
	for (what, included) in &submitted.transactions {
		eprintln!(
			"MEASURED {what} (4 validators, 3 signed): {} gas, {} bytes of call data",
			included.outcome.gas_used, included.calldata_bytes
		);
	}
	for (i, message) in messages.iter().enumerate() {
		let call = build_release(i as u64, &proofs[i], message, &leaf11, &leaf11_proof, &state)
			.expect("a release");
		let data = call.abi_encode();
		let included =
			tokio::task::block_in_place(|| tx.transact("release", d.gateway, &data)).expect("paid");
		eprintln!(
			"MEASURED release {i}: {} gas, {} bytes of call data",
			included.outcome.gas_used, included.calldata_bytes
		);
		// The same again: AlreadyReleased.
		let replay = common::anvil::rpc_call(
			&d.anvil.url,
			"eth_call",
			json!([{ "to": d.gateway.to_string(), "data": common::anvil::hex(&data) }, "latest"]),
		)
		.expect_err("a second release reverts");
		assert_eq!(
			replay["data"].as_str(),
			Some(
				common::anvil::hex(AlreadyReleased { withdrawalNonce: i as u64 }.abi_encode())
					.as_str()
			),
			"{replay}"
		);
	}
	assert_eq!(balance(&d.anvil, d.token, r1), ether(40));
	assert_eq!(balance(&d.anvil, d.weth, r2), ether(3));
	// A message not in the root, or a leaf not in BeefyClient's root, is refused here.
	let forged = Message { amount: ether(41), ..messages[0] };
	let mut forged_proof = proofs[0].clone();
	forged_proof.message =
		(forged.gateway, forged.token, forged.recipient, forged.amount, 0u64).abi_encode();
	assert!(matches!(
		build_release(0, &forged_proof, &forged, &leaf11, &leaf11_proof, &state),
		Err(Error::Refused(_))
	));
	assert!(matches!(
		build_release(0, &proofs[0], &messages[0], &leaf11, &leaf11_proof, &{
			let mut other = state;
			other.latest_root = B256::repeat_byte(1);
			other
		}),
		Err(Error::Refused(_))
	));

	// 2. Handovers. Refused before anything is sent: a stale commitment, one of set 2 (not
	// BeefyClient's current or next), a handover without its leaf or with a leaf naming set 3.
	let stale = signed(12, 0, mmr_root, &four, &[true; 4]);
	let refused = |result: Result<_, Error>| matches!(result, Err(Error::Refused(_)));
	assert!(matches!(
		submit_commitment(&tx, client, &stale, &set0, &state, None).await,
		Err(Error::Stale { block: 12, latest: 12 })
	));
	let set2_commitment = signed(20, 2, B256::repeat_byte(5), &three, &[true; 3]);
	assert!(refused(submit_commitment(&tx, client, &set2_commitment, &set2, &state, None).await));
	let leaf20 = leaf(20, &set2, B256::ZERO);
	let handover = signed(20, 1, leaf20.hash(), &four, &[true, true, false, true]);
	let empty = simplified_mmr_proof(0, 1, &[]).expect("a one-leaf MMR");
	assert!(refused(submit_commitment(&tx, client, &handover, &set1, &state, None).await));
	let set3 = SignerSet { id: 3, ..set2.clone() };
	let wrong_leaf = leaf(20, &set3, B256::ZERO);
	let wrong = signed(20, 1, wrong_leaf.hash(), &four, &[true; 4]);
	assert!(refused(
		submit_commitment(
			&tx,
			client,
			&wrong,
			&set1,
			&state,
			Some(HandoverLeaf { leaf: wrong_leaf, proof: empty.clone() })
		)
		.await
	));
	assert_eq!(beefy_client_state(&api, client).expect("answers"), state, "nothing was sent");

	let submitted = submit_commitment(
		&tx,
		client,
		&handover,
		&set1,
		&state,
		Some(HandoverLeaf { leaf: leaf20, proof: empty }),
	)
	.await
	.expect("the handover is accepted");
	assert!(submitted.handover);
	eprintln!("MEASURED a handover (4 validators, 3 signed): {} gas in all", submitted.gas_used());
	let state = beefy_client_state(&api, client).expect("answers");
	assert_eq!((state.latest_block, state.current.id, state.next.id), (20, 1, 2));
	assert_eq!((state.next.length, state.next.root), (3, set2.root()));
}
