//! The simulator against a real anvil: its states, signatures, finality, slashing, API and
//! binary, each checked with the prover's and Snowbridge's own code.

use ballast_beacon_sim::{
	anvil::Anvil,
	chain::{DEFAULT_FIRST_SLOT, MAX_EFFECTIVE_BALANCE},
	execution::ExecutionClient,
	execution_credentials, hex,
	keys::{self, Committee, ValidatorKeys},
	BeaconSim, Config, SimError,
};
use ballast_ethereum_proofs::{
	consensus::{FAR_FUTURE_EPOCH, SLOTS_PER_EPOCH},
	fork::Fork,
	BeaconBlockHeader, Root,
};
use ballast_ethereum_prover::{
	ancestry::FinalizedBlockRoots,
	beacon_block::BeaconBlock,
	light_client::{self, signed_block_from_json, UpdateInputs},
	types::BeaconStateDeneb,
	StateProver,
};
use serde_json::{json, Value};
use ssz::Decode;
use std::{
	io::Read,
	time::{Duration, Instant},
};
use tree_hash::TreeHash;

const EIGENPOD: [u8; 20] = [0x25; 20];

fn sim_with(config: Config) -> (Anvil, BeaconSim) {
	let anvil = Anvil::start().expect("anvil");
	let sim = BeaconSim::start(config, &anvil.url, 0).expect("simulator starts");
	(anvil, sim)
}

fn sim() -> (Anvil, BeaconSim) {
	sim_with(Config {
		credentials: vec![(execution_credentials(1, EIGENPOD), 10)],
		..Config::default()
	})
}

fn get(sim: &BeaconSim, path: &str) -> Value {
	let text = ureq::get(&format!("{}{path}", sim.url()))
		.call()
		.unwrap_or_else(|e| panic!("GET {path}: {e}"))
		.into_string()
		.expect("text");
	serde_json::from_str(&text).expect("JSON")
}

fn get_status(sim: &BeaconSim, path: &str) -> u16 {
	match ureq::get(&format!("{}{path}", sim.url())).call() {
		Ok(response) => response.status(),
		Err(ureq::Error::Status(status, _)) => status,
		Err(error) => panic!("GET {path}: {error}"),
	}
}

fn get_ssz(sim: &BeaconSim, path: &str) -> Vec<u8> {
	let mut bytes = Vec::new();
	ureq::get(&format!("{}{path}", sim.url()))
		.set("Accept", "application/octet-stream")
		.call()
		.unwrap_or_else(|e| panic!("GET {path}: {e}"))
		.into_reader()
		.read_to_end(&mut bytes)
		.expect("SSZ");
	bytes
}

fn text_u64(value: &Value) -> u64 {
	value.as_str().and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("{value}: no number"))
}

fn root_of(value: &Value) -> Root {
	let bytes = alloy_primitives::hex::decode(value.as_str().expect("hex")).expect("hex");
	Root::from_slice(&bytes)
}

fn header_of(value: &Value) -> BeaconBlockHeader {
	BeaconBlockHeader {
		slot: text_u64(&value["slot"]),
		proposer_index: text_u64(&value["proposer_index"]),
		parent_root: root_of(&value["parent_root"]),
		state_root: root_of(&value["state_root"]),
		body_root: root_of(&value["body_root"]),
	}
}

/// The header and parsed state the API serves for a block id.
fn header_and_state(sim: &BeaconSim, id: &str) -> (BeaconBlockHeader, StateProver) {
	let header =
		header_of(&get(sim, &format!("/eth/v1/beacon/headers/{id}"))["data"]["header"]["message"]);
	let ssz = get_ssz(sim, &format!("/eth/v2/debug/beacon/states/{}", hex(header.state_root)));
	(header, StateProver::from_ssz(Fork::Deneb, &ssz).expect("the prover parses the state"))
}

#[test]
fn states_parse_in_the_prover_and_hash_to_their_headers() {
	let (_anvil, sim) = sim();
	sim.advance(40).expect("40 slots");
	let chain = sim.chain();
	let kept = chain.kept_state_slots();
	assert!(kept.len() >= 16, "the last 16 states are kept: {kept:?}");
	for slot in kept {
		let ssz = chain.state_ssz(slot).expect("kept");
		let header = chain.record(slot).expect("recorded").header;
		let prover = StateProver::from_ssz(Fork::Deneb, &ssz).expect("the prover parses it");
		prover.ensure_header_matches(&header).expect("the prover's root is the header's");
		let state = BeaconStateDeneb::from_ssz_bytes(&ssz).expect("decodes");
		assert_eq!(Root::from(state.tree_hash_root().0), header.state_root);
		assert_eq!(state.slot, slot);
		assert_eq!(prover.validator_count(), 64);
		assert_eq!(
			prover.genesis_validators_root(),
			Root::from(chain.network().genesis_validators_root)
		);
		let pod = execution_credentials(1, EIGENPOD);
		let validators = prover.validators();
		assert!(validators[..10].iter().all(|v| v.withdrawal_credentials.0 == pod));
		assert!(validators[10..].iter().all(|v| v.withdrawal_credentials.0[0] == 0));
		assert_eq!(prover.balance(9).expect("balance").balance, MAX_EFFECTIVE_BALANCE);
		// The execution payload header is anvil's block of the slot.
		assert_eq!(state.latest_execution_payload_header.timestamp, chain.slot_time(slot));
	}
	// Each state's block_roots hold the chain's own blocks.
	let head = chain.head().header.slot;
	let state =
		BeaconStateDeneb::from_ssz_bytes(&chain.state_ssz(head).expect("head")).expect("decodes");
	for slot in head - 30..head {
		assert_eq!(
			Root::from(state.block_roots[(slot % 8192) as usize].0),
			chain.record(slot).expect("block").root
		);
	}
}

#[test]
fn keys_are_deterministic_and_the_committee_aggregate_is_the_seats_sum() {
	let keys = ValidatorKeys::new(5);
	assert_eq!(keys::public_key(&keys::secret_key(3)), keys.public(3));
	assert_ne!(keys.public(3), keys.public(4));
	let committee = Committee::new(&keys);
	assert_eq!(committee.seats[..7], [0, 1, 2, 3, 4, 0, 1]);
	assert_eq!(committee.pubkeys[511], keys.public(511 % 5));
	let seats: Vec<snowbridge_milagro_bls::PublicKey> = committee
		.pubkeys
		.iter()
		.map(|key| snowbridge_milagro_bls::PublicKey::from_bytes(key).expect("valid key"))
		.collect();
	let aggregate =
		snowbridge_milagro_bls::AggregatePublicKey::into_aggregate(&seats).expect("keys");
	let aggregate = snowbridge_milagro_bls::PublicKey { point: aggregate.point };
	assert_eq!(aggregate.as_bytes(), committee.aggregate_pubkey);
	let message = [42u8; 32];
	assert_eq!(committee.sign(&message), committee.sign_by_each_seat(&message));
	assert_ne!(committee.sign(&message), committee.sign(&[43u8; 32]));
}

/// Snowbridge's verification of a block's sync aggregate over its parent, the signing root
/// computed with Snowbridge's own types.
fn snowbridge_verifies(
	block: &Value,
	committee_keys: &ballast_ethereum_prover::SyncCommitteeKeys,
	version: [u8; 4],
	gvr: [u8; 32],
) -> bool {
	use snowbridge_beacon_primitives::{
		bls::prepare_milagro_pubkey, fast_aggregate_verify, ForkData, PublicKey, SigningData,
	};
	let signed = signed_block_from_json(block).expect("block");
	let fork_data_root = ForkData { current_version: version, genesis_validators_root: gvr }
		.hash_tree_root()
		.expect("hashes");
	let mut domain = [0u8; 32];
	domain[0] = 7;
	domain[4..].copy_from_slice(&fork_data_root.0[..28]);
	let signing_root = SigningData { object_root: signed.parent_root, domain: domain.into() }
		.hash_tree_root()
		.expect("hashes");
	let aggregate =
		prepare_milagro_pubkey(&PublicKey(committee_keys.aggregate_pubkey)).expect("key");
	assert_eq!(signed.aggregate.sync_committee_bits, [0xff; 64], "every seat signs");
	fast_aggregate_verify(
		&aggregate,
		&vec![],
		signing_root,
		&signed.aggregate.sync_committee_signature,
	)
	.is_ok()
}

#[test]
fn sync_aggregates_verify_with_snowbridge() {
	let (_anvil, sim) = sim();
	sim.advance(3).expect("3 slots");
	let head = sim.chain().head().header.slot;
	let block = get(&sim, &format!("/eth/v2/beacon/blocks/{head}"));
	let (_, state) = header_and_state(&sim, "head");
	let deneb = ballast_ethereum_proofs::fork::ForkSchedule::sepolia().deneb.version;
	let gvr = ballast_ethereum_proofs::fork::SEPOLIA_GENESIS_VALIDATORS_ROOT;
	assert!(snowbridge_verifies(&block, state.current_sync_committee(), deneb, gvr));
	// The same signature is refused under another fork version or network.
	assert!(!snowbridge_verifies(&block, state.current_sync_committee(), [0x90, 0, 0, 0x74], gvr));
	assert!(!snowbridge_verifies(&block, state.current_sync_committee(), deneb, [1u8; 32]));
	// The committee the state holds is the simulator's.
	assert_eq!(
		state.current_sync_committee().aggregate_pubkey,
		sim.chain().committee().aggregate_pubkey
	);
}

#[test]
fn finality_trails_two_epochs_and_justification_one() {
	let (_anvil, sim) = sim();
	sim.advance(3 * SLOTS_PER_EPOCH + 3).expect("slots");
	let chain = sim.chain();
	let first = DEFAULT_FIRST_SLOT;
	let first_epoch = first / SLOTS_PER_EPOCH;
	for slot in first..=chain.head().header.slot {
		let record = chain.record(slot).expect("every slot has a block");
		let epoch = slot / SLOTS_PER_EPOCH;
		if epoch < first_epoch + 2 {
			assert!(record.finalized.1.is_zero(), "nothing finalized at {slot}");
			continue;
		}
		let boundary = |e: u64| chain.record(e * SLOTS_PER_EPOCH).expect("boundary block").root;
		assert_eq!(record.finalized, (epoch - 2, boundary(epoch - 2)), "slot {slot}");
		assert_eq!(record.current_justified, (epoch - 1, boundary(epoch - 1)), "slot {slot}");
	}
	assert_eq!(chain.finalized().header.slot, first + SLOTS_PER_EPOCH);
	drop(chain);
	let checkpoints = get(&sim, "/eth/v1/beacon/states/head/finality_checkpoints");
	assert_eq!(text_u64(&checkpoints["data"]["finalized"]["epoch"]), first_epoch + 1);
	let finalized = get(&sim, "/eth/v1/beacon/headers/finalized");
	assert_eq!(text_u64(&finalized["data"]["header"]["message"]["slot"]), first + SLOTS_PER_EPOCH);
}

#[test]
fn slashing_follows_the_deneb_rules() {
	let (_anvil, sim) = sim();
	sim.advance(2).expect("slots");
	sim.slash(7).expect("validator 7 slashed");
	assert!(matches!(sim.slash(7), Err(SimError::AlreadySlashed(7))));
	assert!(matches!(sim.slash(64), Err(SimError::UnknownValidator(64))));
	sim.advance(1).expect("the slashing block");
	let (header, state) = header_and_state(&sim, "head");
	let epoch = header.slot / SLOTS_PER_EPOCH;
	let validator = state.validator(7).expect("validator 7").fields;
	assert!(validator.slashed);
	assert_eq!(validator.exit_epoch, epoch + 5);
	assert_eq!(validator.withdrawable_epoch, epoch + 8192);
	assert_eq!(
		state.balance(7).expect("balance").balance,
		MAX_EFFECTIVE_BALANCE - MAX_EFFECTIVE_BALANCE / 32
	);
	let proposer = header.proposer_index;
	// The proposer (not the slashed validator here) is the whistleblower.
	assert_ne!(proposer, 7);
	assert_eq!(
		state.balance(proposer).expect("balance").balance,
		MAX_EFFECTIVE_BALANCE + MAX_EFFECTIVE_BALANCE / 512
	);
	let other = state.validator(4).expect("validator 4").fields;
	assert!(!other.slashed && other.exit_epoch == FAR_FUTURE_EPOCH);
	assert!(matches!(sim.slash(7), Err(SimError::AlreadySlashed(7))));
	// The effective balance follows at the next epoch boundary.
	let to_boundary = SLOTS_PER_EPOCH - header.slot % SLOTS_PER_EPOCH;
	sim.advance(to_boundary).expect("slots");
	let (_, state) = header_and_state(&sim, "head");
	assert_eq!(state.validator(7).expect("validator").fields.effective_balance, 31_000_000_000);
}

#[test]
fn set_balance_shows_in_the_next_state() {
	let (_anvil, sim) = sim();
	sim.advance(1).expect("a slot");
	sim.chain().set_balance(12, 31_500_000_000).expect("validator 12");
	assert!(matches!(sim.chain().set_balance(64, 1), Err(SimError::UnknownValidator(64))));
	sim.advance(1).expect("a slot");
	let (_, state) = header_and_state(&sim, "head");
	assert_eq!(state.balance(12).expect("balance").balance, 31_500_000_000);
	// Within the hysteresis: the effective balance stays at 32 ETH.
	assert_eq!(
		state.validator(12).expect("validator").fields.effective_balance,
		MAX_EFFECTIVE_BALANCE
	);
}

fn wait_for_receipt(execution: &ExecutionClient, sim: &BeaconSim, hash: &Value) -> Value {
	// Anvil no longer mines on its own: the next slot includes the transaction.
	sim.advance(1).expect("a slot");
	let receipt = execution.call("eth_getTransactionReceipt", json!([hash])).expect("receipt");
	assert!(!receipt.is_null(), "the transaction is in the next slot's block");
	receipt
}

#[test]
fn light_client_updates_and_execution_proofs_from_the_api_verify() {
	let (anvil, sim) = sim();
	let execution = ExecutionClient::new(&anvil.url);
	let from = execution.call("eth_accounts", json!([])).expect("accounts")[0].clone();
	// A contract whose every call emits an empty LOG0: runtime 0x60006000a000.
	let deploy = execution
		.call(
			"eth_sendTransaction",
			json!([{ "from": from, "data": "0x6560006000a0006000526006601af3", "gas": "0x100000" }]),
		)
		.expect("deploy");
	let contract = wait_for_receipt(&execution, &sim, &deploy)["contractAddress"].clone();
	let call = execution
		.call("eth_sendTransaction", json!([{ "from": from, "to": contract, "gas": "0x100000" }]))
		.expect("call");
	let receipt = wait_for_receipt(&execution, &sim, &call);
	assert_eq!(receipt["logs"].as_array().map(Vec::len), Some(1), "the call logged");
	let event_slot = sim.chain().head().header.slot;
	sim.advance(3 * SLOTS_PER_EPOCH).expect("until the event's block is finalized");

	// The finality update: attested, finalized and signature block as the relayer reads them.
	let update = get(&sim, "/eth/v1/beacon/light_client/finality_update");
	let data = &update["data"];
	let attested_id = hex(header_of(&data["attested_header"]["beacon"]).hash_tree_root());
	let finalized_id = hex(header_of(&data["finalized_header"]["beacon"]).hash_tree_root());
	let (attested, attested_state) = header_and_state(&sim, &attested_id);
	let (finalized, finalized_state) = header_and_state(&sim, &finalized_id);
	let signature_block =
		get(&sim, &format!("/eth/v2/beacon/blocks/{}", text_u64(&data["signature_slot"])));
	let signed = signed_block_from_json(&signature_block).expect("signature block");
	let forks = ballast_ethereum_proofs::fork::ForkSchedule::sepolia();
	let built = light_client::update(UpdateInputs {
		attested: (&attested, &attested_state),
		finalized: (&finalized, &finalized_state),
		signed: &signed,
		with_next_sync_committee: true,
		forks: &forks,
	})
	.expect("the prover builds and verifies the update");
	assert_eq!(built.finalized_header.slot % SLOTS_PER_EPOCH, 0);
	assert!(built.finalized_header.slot > event_slot);
	// Its light-client headers carry the attested block's execution header and branch.
	let attested_block =
		BeaconBlock::from_json(&get(&sim, &format!("/eth/v2/beacon/blocks/{attested_id}")))
			.expect("attested block");
	let branch: Vec<Root> = data["attested_header"]["execution_branch"]
		.as_array()
		.expect("branch")
		.iter()
		.map(root_of)
		.collect();
	assert_eq!(branch, attested_block.execution_branch);
	let snowbridge_beacon_primitives::VersionedExecutionPayloadHeader::Deneb(execution) =
		&attested_block.execution_header
	else {
		panic!("a Deneb header")
	};
	assert_eq!(
		root_of(&data["attested_header"]["execution"]["transactions_root"]),
		execution.transactions_root
	);
	assert_eq!(root_of(&data["attested_header"]["execution"]["block_hash"]), execution.block_hash);
	let checkpoint = light_client::checkpoint(&finalized, &finalized_state).expect("checkpoint");
	light_client::verify_checkpoint(&checkpoint, &forks).expect("checkpoint verifies");

	// The period's best update carries the next sync committee, whose branch verifies.
	let period = attested.slot / 8192;
	let updates =
		get(&sim, &format!("/eth/v1/beacon/light_client/updates?start_period={period}&count=1"));
	let best = &updates[0]["data"];
	assert_eq!(best["next_sync_committee_branch"].as_array().map(Vec::len), Some(5));
	let best_attested = header_of(&best["attested_header"]["beacon"]);
	let (_, best_state) = header_and_state(&sim, &hex(best_attested.hash_tree_root()));
	assert_eq!(
		best["next_sync_committee"]["aggregate_pubkey"],
		json!(hex(best_state.next_sync_committee().aggregate_pubkey))
	);
	assert_eq!(
		get(
			&sim,
			&format!("/eth/v1/beacon/light_client/updates?start_period={}&count=1", period + 1)
		),
		json!([])
	);

	// The event's block, proven under the finalized header.
	let roots = FinalizedBlockRoots::new(&finalized, &finalized_state).expect("block roots");
	let block = BeaconBlock::from_json(&get(&sim, &format!("/eth/v2/beacon/blocks/{event_slot}")))
		.expect("the prover reads the block");
	let proof = roots.execution_proof(&block).expect("the execution proof verifies");
	let header = match &proof.execution_header {
		snowbridge_beacon_primitives::VersionedExecutionPayloadHeader::Deneb(header) => {
			header.clone()
		},
		other => panic!("not a Deneb header: {other:?}"),
	};
	assert_eq!(format!("{:?}", header.block_hash), receipt["blockHash"].as_str().expect("hash"));
	assert!(proof.ancestry_proof.is_some());
	// A block the finalized state does not hold is refused.
	let mut forged = block.clone();
	forged.header.proposer_index += 1;
	assert!(roots.execution_proof(&forged).is_err());
}

#[test]
fn the_api_serves_what_the_relayer_reads() {
	let (_anvil, sim) = sim();
	sim.advance(5).expect("slots");
	let genesis = get(&sim, "/eth/v1/beacon/genesis");
	assert_eq!(
		genesis["data"]["genesis_validators_root"],
		json!(hex(ballast_ethereum_proofs::fork::SEPOLIA_GENESIS_VALIDATORS_ROOT))
	);
	assert_eq!(genesis["data"]["genesis_fork_version"], json!("0x90000069"));
	assert_eq!(text_u64(&genesis["data"]["genesis_time"]), sim.chain().genesis_time());
	let head = get(&sim, "/eth/v1/beacon/headers/head");
	let header = header_of(&head["data"]["header"]["message"]);
	assert_eq!(root_of(&head["data"]["root"]), header.hash_tree_root());
	assert_eq!(header.slot, DEFAULT_FIRST_SLOT + 5);
	let root = get(&sim, "/eth/v1/beacon/blocks/head/root");
	assert_eq!(root_of(&root["data"]["root"]), header.hash_tree_root());
	let by_root = get(&sim, &format!("/eth/v1/beacon/headers/{}", hex(header.parent_root)));
	assert_eq!(text_u64(&by_root["data"]["header"]["message"]["slot"]), DEFAULT_FIRST_SLOT + 4);
	let block = get(&sim, &format!("/eth/v2/beacon/blocks/{}", header.slot));
	assert_eq!(block["version"], json!("deneb"));
	let parsed = BeaconBlock::from_json(&block).expect("the prover reads it");
	assert_eq!(parsed.header, header);
	// States by slot and by root are the same bytes.
	assert_eq!(
		get_ssz(&sim, &format!("/eth/v2/debug/beacon/states/{}", header.slot)),
		get_ssz(&sim, &format!("/eth/v2/debug/beacon/states/{}", hex(header.state_root)))
	);
	// Nothing is finalized yet, and unknown ids are 404.
	assert_eq!(get_status(&sim, "/eth/v1/beacon/light_client/finality_update"), 404);
	assert_eq!(get_status(&sim, "/eth/v1/beacon/headers/1"), 404);
	assert_eq!(get_status(&sim, &format!("/eth/v2/debug/beacon/states/{}", hex([9u8; 32]))), 404);
	assert_eq!(get_status(&sim, "/eth/v1/beacon/light_client/updates"), 400);
}

#[test]
fn states_are_pruned_to_a_bounded_window() {
	let (_anvil, sim) = sim_with(Config { validators: 8, kept_epochs: 8, ..Config::default() });
	sim.advance(12 * SLOTS_PER_EPOCH).expect("slots");
	let chain = sim.chain();
	let kept = chain.kept_state_slots();
	let head = chain.head().header.slot;
	assert!(kept.len() <= 16 + 8 + 2, "{} states kept", kept.len());
	assert!(kept.contains(&head) && kept.contains(&chain.finalized().header.slot));
	assert!(!kept.contains(&DEFAULT_FIRST_SLOT), "old states are dropped");
}

#[test]
fn the_binary_runs_a_live_chain() {
	let anvil = Anvil::start().expect("anvil");
	let port = std::net::TcpListener::bind("127.0.0.1:0")
		.expect("port")
		.local_addr()
		.expect("addr")
		.port();
	let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_ballast-beacon-sim"))
		.args(["--execution-url", &anvil.url, "--port", &port.to_string(), "--validators", "16"])
		.args(["--credentials", &format!("{}:4", hex(EIGENPOD))])
		.stdout(std::process::Stdio::null())
		.spawn()
		.expect("the binary starts");
	let url = format!("http://127.0.0.1:{port}/eth/v1/beacon/headers/head");
	let slot_of = || -> Option<u64> {
		let text = ureq::get(&url).call().ok()?.into_string().ok()?;
		let json: Value = serde_json::from_str(&text).ok()?;
		json["data"]["header"]["message"]["slot"].as_str()?.parse().ok()
	};
	let deadline = Instant::now() + Duration::from_secs(60);
	let first = loop {
		if let Some(slot) = slot_of() {
			break slot;
		}
		assert!(Instant::now() < deadline, "the API did not come up");
		std::thread::sleep(Duration::from_millis(100));
	};
	std::thread::sleep(Duration::from_millis(3500));
	let later = slot_of().expect("head");
	let _ = child.kill();
	let _ = child.wait();
	assert!(later >= first + 2, "the clock builds a block per second: {first} then {later}");
}

#[test]
fn a_sync_committee_period_boundary_is_crossed_with_updates_for_both_periods() {
	let boundary = DEFAULT_FIRST_SLOT + 8192;
	let (_anvil, sim) =
		sim_with(Config { validators: 16, first_slot: boundary - 96, ..Config::default() });
	// The head stays within the 16 slots whose states are all kept of the boundary.
	sim.advance(96 + 10).expect("slots");
	let forks = ballast_ethereum_proofs::fork::ForkSchedule::sepolia();
	let period = boundary / 8192;
	let updates = get(
		&sim,
		&format!("/eth/v1/beacon/light_client/updates?start_period={}&count=2", period - 1),
	);
	let updates = updates.as_array().expect("array");
	assert_eq!(updates.len(), 2, "one update per period");
	for (update, expected_period) in updates.iter().zip([period - 1, period]) {
		let data = &update["data"];
		let attested = header_of(&data["attested_header"]["beacon"]);
		assert_eq!(attested.slot / 8192, expected_period);
		let finalized = header_of(&data["finalized_header"]["beacon"]);
		let (attested, attested_state) = header_and_state(&sim, &hex(attested.hash_tree_root()));
		let (finalized, finalized_state) = header_and_state(&sim, &hex(finalized.hash_tree_root()));
		let block =
			get(&sim, &format!("/eth/v2/beacon/blocks/{}", text_u64(&data["signature_slot"])));
		light_client::update(UpdateInputs {
			attested: (&attested, &attested_state),
			finalized: (&finalized, &finalized_state),
			signed: &signed_block_from_json(&block).expect("signature block"),
			with_next_sync_committee: true,
			forks: &forks,
		})
		.expect("the period's update verifies");
	}
	// The update whose signature is the new period's first block is signed by the next committee.
	let (attested, attested_state) = header_and_state(&sim, &(boundary - 1).to_string());
	let finalized_root = attested_state.finalized_checkpoint().1;
	let (finalized, finalized_state) = header_and_state(&sim, &hex(finalized_root));
	let block = get(&sim, &format!("/eth/v2/beacon/blocks/{boundary}"));
	light_client::update(UpdateInputs {
		attested: (&attested, &attested_state),
		finalized: (&finalized, &finalized_state),
		signed: &signed_block_from_json(&block).expect("signature block"),
		with_next_sync_committee: false,
		forks: &forks,
	})
	.expect("the boundary-crossing update verifies");
}
