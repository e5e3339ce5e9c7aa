//! Prints, as JSON, the call arguments that bring the real Sepolia fixtures onto a Ballast dev
//! chain: the governance checkpoint (4570752), the finality update signed in block 4570818 with
//! the next sync committee, the two EigenPod-like credentials, and a validator batch anchored in
//! the checkpoint header. Each argument is SCALE-encoded (hex; the batch as one `Vec`), ready for polkadot.js; `expected`
//! lists what the prover read from the state, for the e2e test to compare with the chain.
//!
//! `cargo run --release -p ballast-ethereum-prover --example sepolia_calls > calls.json`

use ballast_ethereum_proofs::{ForkSchedule, Root};
use ballast_ethereum_prover::{
	fixtures,
	light_client::{self, signed_block_from_json, UpdateInputs},
};
use codec::Encode;
use serde_json::json;

/// The two execution addresses behind 100 Sepolia validators each, standing in for two LRTs'
/// EigenPods, and the asset ids the e2e test gives those LRTs.
const PODS: [(u32, &str); 2] = [
	(100, "25c4a76e7d118705e7ea2e9b7d8c59930d8acd3b"),
	(101, "e276bc378a527a8792b353cdca5b5e53263dfb9e"),
];

fn hex(bytes: impl AsRef<[u8]>) -> String {
	format!("0x{}", alloy_primitives::hex::encode(bytes))
}

fn main() {
	let checkpoint_state = fixtures::sepolia_prover(4_570_752);
	let attested_state = fixtures::sepolia_prover(4_570_816);
	let checkpoint_header = fixtures::sepolia_header(4_570_752);
	let checkpoint = light_client::checkpoint(&checkpoint_header, &checkpoint_state)
		.expect("the fixtures are consistent");
	let signed = signed_block_from_json(&fixtures::sepolia_block(4_570_818)).expect("real block");
	let update = light_client::update(UpdateInputs {
		attested: (&fixtures::sepolia_header(4_570_816), &attested_state),
		finalized: (&checkpoint_header, &checkpoint_state),
		signed: &signed,
		with_next_sync_committee: true,
		forks: &ForkSchedule::sepolia(),
	})
	.expect("the fixtures are consistent");

	let mut credentials = Vec::new();
	let mut proofs = Vec::new();
	let mut expected = Vec::new();
	for (lrt, address) in PODS {
		let mut bytes = [0u8; 32];
		bytes[0] = 1;
		bytes[12..].copy_from_slice(&alloy_primitives::hex::decode(address).expect("hex"));
		let pod = Root::from(bytes);
		credentials.push(json!({ "lrt": lrt, "credentials": hex(pod) }));
		for (index, fields) in checkpoint_state.validators().iter().enumerate() {
			if fields.withdrawal_credentials != pod {
				continue;
			}
			let index = index as u64;
			let proof = checkpoint_state.batch_proof(index).expect("index in range");
			let balance = checkpoint_state.balance_in_list(index).expect("index in range");
			proofs.push(proof);
			expected.push(json!({
				"index": index,
				"lrt": lrt,
				"balance": balance.balance.to_string(),
				"effectiveBalance": fields.effective_balance.to_string(),
				"slashed": fields.slashed,
				"exitEpoch": fields.exit_epoch.to_string(),
				"pubkeyRoot": hex(fields.pubkey_root),
			}));
		}
	}
	let anchor = checkpoint_state.anchor(&checkpoint_header).expect("the header is the state's");
	// A record proven against the state root itself (46 hashes, gindex 43·2^41 + i ≈ 2^46.4: the
	// path a 32-bit `usize` index would get wrong), for the runtime API's check.
	let deepest = checkpoint_state.validator_count() - 1;
	let full_proof = checkpoint_state.slashing_proof(deepest).expect("index in range");
	let mut tampered_full_proof = full_proof.clone();
	tampered_full_proof.branch[45].0[0] ^= 1;
	// One proof with one bit of its record's branch flipped: the chain must refuse it.
	let mut tampered = proofs[0].clone();
	tampered.validator_branch[20].0[7] ^= 1;

	let out = json!({
		"checkpoint": hex(checkpoint.encode()),
		"update": hex(update.encode()),
		"checkpointSlot": checkpoint_header.slot,
		"checkpointBlockRoot": hex(checkpoint_header.hash_tree_root()),
		"credentials": credentials,
		"anchor": hex(anchor.encode()),
		"checkpointHeader": hex(checkpoint_header.encode()),
		"fullProof": hex(full_proof.encode()),
		"tamperedFullProof": hex(tampered_full_proof.encode()),
		"proofs": hex(proofs.encode()),
		"tamperedProofs": hex(vec![tampered].encode()),
		"expected": expected,
	});
	println!("{out}");
}
