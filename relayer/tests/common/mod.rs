//! Test harness: a beacon API on 127.0.0.1 serving the real Sepolia fixtures (optionally
//! corrupted in one specific way), and a real `ballast-node --dev` on loopback ports.

#![allow(dead_code)]

pub mod anvil;
pub mod gateway;
pub mod process;

use ballast_ethereum_proofs::{fork::SEPOLIA_GENESIS_VALIDATORS_ROOT, BeaconBlockHeader, Root};
use ballast_ethereum_prover::fixtures;
use serde_json::{json, Value};
use std::{
	collections::BTreeMap,
	io::{BufRead, BufReader, Write},
	net::{TcpListener, TcpStream},
	path::{Path, PathBuf},
	process::{Child, Command, Stdio},
	sync::{Arc, Mutex},
	time::{Duration, Instant},
};

pub const CHECKPOINT: u64 = 4_570_752;
pub const ATTESTED: u64 = 4_570_816;
pub const SIGNATURE: u64 = 4_570_818;

/// One way a beacon provider can serve bad data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
	None,
	/// Every request fails (connection closed without an answer), as a restarting node's would.
	Down,
	/// States are cut short (with a matching Content-Length).
	TruncatedState,
	/// Asked for one state, serves another (real, but not the header's).
	WrongState,
	/// `headers/{id}` names a root its header does not hash to.
	HeaderNotMatchingRoot,
	/// `light_client/finality_update` carries a finality branch with one wrong sibling.
	WrongFinalityBranch,
	/// The signature block's sync-committee signature has one bit flipped.
	WrongSignature,
	/// Not a fault: the head (and `finality_update`) is already in period 558, attested at
	/// 4571136, so a chain still in period 557 must catch up through `updates?start_period=557`.
	HeadInNextPeriod,
}

/// A beacon API on 127.0.0.1 serving the Sepolia fixtures.
pub struct BeaconServer {
	pub url: String,
	pub port: u16,
	fault: Arc<Mutex<Fault>>,
}

struct Data {
	headers: BTreeMap<u64, BeaconBlockHeader>,
	/// State SSZ by slot.
	states: BTreeMap<u64, Vec<u8>>,
	blocks: BTreeMap<u64, Value>,
	finality_update: Value,
	/// The finality update of period 558 (attested 4571136, finalized 4571072). The fixture
	/// block that would carry its signature holds another block, so only its summary is real.
	next_period_finality_update: Value,
	period_update: Value,
	finalized: (u64, Root),
}

fn hex(bytes: impl AsRef<[u8]>) -> String {
	format!("0x{}", alloy_primitives::hex::encode(bytes))
}

fn aggregate_of_4571137() -> Value {
	fixtures::sepolia_block(4_571_137)["data"]["message"]["body"]["sync_aggregate"].clone()
}

fn header_json(header: &BeaconBlockHeader) -> Value {
	json!({
		"slot": header.slot.to_string(),
		"proposer_index": header.proposer_index.to_string(),
		"parent_root": format!("{:?}", header.parent_root),
		"state_root": format!("{:?}", header.state_root),
		"body_root": format!("{:?}", header.body_root),
	})
}

impl Data {
	fn load() -> Self {
		let mut headers = BTreeMap::new();
		for slot in [CHECKPOINT, ATTESTED, SIGNATURE, 4_571_072, 4_571_136] {
			headers.insert(slot, fixtures::sepolia_header(slot));
		}
		let mut states = BTreeMap::new();
		for slot in [CHECKPOINT, ATTESTED, 4_571_072, 4_571_136] {
			states.insert(slot, fixtures::sepolia_state(slot));
		}
		let mut blocks = BTreeMap::new();
		blocks.insert(SIGNATURE, fixtures::sepolia_block(SIGNATURE));
		// What a beacon node's light-client server derives from the same blocks and states.
		let attested_state = fixtures::sepolia_prover(ATTESTED);
		let aggregate = blocks[&SIGNATURE]["data"]["message"]["body"]["sync_aggregate"].clone();
		let finality_update = json!({
			"attested_header": { "beacon": header_json(&headers[&ATTESTED]) },
			"finalized_header": { "beacon": header_json(&headers[&CHECKPOINT]) },
			"finality_branch": attested_state.finality_branch().iter().map(hex).collect::<Vec<_>>(),
			"sync_aggregate": aggregate,
			"signature_slot": SIGNATURE.to_string(),
		});
		let mut period_update = finality_update.clone();
		let next = attested_state.next_sync_committee();
		period_update["next_sync_committee"] = json!({
			"pubkeys": next.pubkeys.iter().map(hex).collect::<Vec<_>>(),
			"aggregate_pubkey": hex(next.aggregate_pubkey),
		});
		period_update["next_sync_committee_branch"] = json!(attested_state
			.field_branch(ballast_ethereum_prover::fields::NEXT_SYNC_COMMITTEE)
			.iter()
			.map(hex)
			.collect::<Vec<_>>());
		let (epoch, root) = attested_state.finalized_checkpoint();
		let next_period_finality_update = json!({
			"attested_header": { "beacon": header_json(&headers[&4_571_136]) },
			"finalized_header": { "beacon": header_json(&headers[&4_571_072]) },
			"finality_branch": fixtures::sepolia_prover(4_571_136)
				.finality_branch()
				.iter()
				.map(hex)
				.collect::<Vec<_>>(),
			"sync_aggregate": aggregate_of_4571137(),
			"signature_slot": "4571137",
		});
		Data {
			headers,
			states,
			blocks,
			finality_update,
			next_period_finality_update,
			period_update,
			finalized: (epoch, root),
		}
	}

	fn header_by_id(&self, id: &str) -> Option<&BeaconBlockHeader> {
		match id {
			"head" => self.headers.get(&SIGNATURE),
			"finalized" => self.headers.get(&CHECKPOINT),
			id if id.starts_with("0x") => {
				self.headers.values().find(|h| format!("{:?}", h.hash_tree_root()) == id)
			},
			slot => slot.parse().ok().and_then(|slot| self.headers.get(&slot)),
		}
	}

	fn state_by_id(&self, id: &str) -> Option<(u64, &Vec<u8>)> {
		let slot = if id.starts_with("0x") {
			self.headers.values().find(|h| format!("{:?}", h.state_root) == id)?.slot
		} else {
			id.parse().ok()?
		};
		self.states.get(&slot).map(|state| (slot, state))
	}

	fn answer(&self, path: &str, fault: Fault) -> (u16, &'static str, Vec<u8>) {
		let ok = |body: Value| (200, "application/json", body.to_string().into_bytes());
		let not_found =
			(404, "application/json", br#"{"code":404,"message":"not found"}"#.to_vec());
		let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
		match segments.as_slice() {
			["eth", "v1", "beacon", "genesis"] => ok(json!({ "data": {
				"genesis_time": "1655733600",
				"genesis_validators_root": hex(SEPOLIA_GENESIS_VALIDATORS_ROOT),
				"genesis_fork_version": "0x90000069",
			}})),
			["eth", "v1", "beacon", "headers", id] => match self.header_by_id(id) {
				Some(header) => {
					let mut root = header.hash_tree_root();
					if fault == Fault::HeaderNotMatchingRoot {
						root.0[31] ^= 1;
					}
					ok(json!({ "data": { "root": format!("{root:?}"), "canonical": true,
						"header": { "message": header_json(header), "signature": hex([0u8; 96]) } } }))
				},
				None => not_found,
			},
			["eth", "v2", "beacon", "blocks", id] => {
				match id.parse().ok().and_then(|s: u64| self.blocks.get(&s)) {
					Some(block) => {
						let mut block = block.clone();
						if fault == Fault::WrongSignature {
							let signature = &mut block["data"]["message"]["body"]["sync_aggregate"]
								["sync_committee_signature"];
							let mut bytes =
								alloy_primitives::hex::decode(signature.as_str().expect("hex"))
									.expect("hex");
							bytes[20] ^= 1;
							*signature = json!(hex(bytes));
						}
						ok(block)
					},
					None => not_found,
				}
			},
			["eth", "v1", "beacon", "states", _, "finality_checkpoints"] => ok(json!({ "data": {
				"finalized": { "epoch": self.finalized.0.to_string(), "root": format!("{:?}", self.finalized.1) },
			}})),
			["eth", "v1", "beacon", "light_client", "finality_update"] => {
				let mut update = if fault == Fault::HeadInNextPeriod {
					self.next_period_finality_update.clone()
				} else {
					self.finality_update.clone()
				};
				if fault == Fault::WrongFinalityBranch {
					update["finality_branch"][2] = json!(hex([7u8; 32]));
				}
				ok(json!({ "version": "deneb", "data": update }))
			},
			["eth", "v1", "beacon", "light_client", query] if query.starts_with("updates?") => {
				if query.contains("start_period=557") {
					ok(json!([{ "version": "deneb", "data": self.period_update }]))
				} else {
					ok(json!([]))
				}
			},
			["eth", "v2", "debug", "beacon", "states", id] => match self.state_by_id(id) {
				Some((slot, state)) => {
					let body = match fault {
						Fault::TruncatedState => state[..state.len() / 2].to_vec(),
						Fault::WrongState => {
							let other = self.states.keys().find(|s| **s != slot).expect("4 states");
							self.states[other].clone()
						},
						_ => state.clone(),
					};
					(200, "application/octet-stream", body)
				},
				None => not_found,
			},
			_ => not_found,
		}
	}
}

impl BeaconServer {
	/// Serves on a fresh loopback port.
	pub fn start() -> Self {
		Self::start_on(0)
	}

	/// Serves on `port` (0 = any free one).
	pub fn start_on(port: u16) -> Self {
		let listener = TcpListener::bind(("127.0.0.1", port)).expect("loopback port");
		let port = listener.local_addr().expect("address").port();
		let fault = Arc::new(Mutex::new(Fault::None));
		let data = Arc::new(Data::load());
		let shared = fault.clone();
		std::thread::spawn(move || {
			for stream in listener.incoming().flatten() {
				let data = data.clone();
				let fault = *shared.lock().expect("fault");
				std::thread::spawn(move || serve(stream, &data, fault));
			}
		});
		BeaconServer { url: format!("http://127.0.0.1:{port}"), port, fault }
	}

	pub fn set_fault(&self, fault: Fault) {
		*self.fault.lock().expect("fault") = fault;
	}
}

fn serve(stream: TcpStream, data: &Data, fault: Fault) {
	let mut reader = BufReader::new(stream.try_clone().expect("stream"));
	let mut request_line = String::new();
	if reader.read_line(&mut request_line).is_err() {
		return;
	}
	let mut line = String::new();
	while reader.read_line(&mut line).map(|n| n > 2).unwrap_or(false) {
		line.clear();
	}
	if fault == Fault::Down {
		return;
	}
	let path = request_line.split_whitespace().nth(1).unwrap_or("").to_string();
	let (status, kind, body) = data.answer(&path, fault);
	let reason = if status == 200 { "OK" } else { "Not Found" };
	let mut stream = stream;
	let _ = write!(
		stream,
		"HTTP/1.1 {status} {reason}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
		body.len()
	);
	let _ = stream.write_all(&body);
}

/// A TCP port free on 127.0.0.1 right now.
pub fn free_port() -> u16 {
	TcpListener::bind("127.0.0.1:0").expect("port").local_addr().expect("address").port()
}

/// The release build's directory (these tests run from `<target>/release/deps`).
pub fn release_dir() -> PathBuf {
	let exe = std::env::current_exe().expect("test binary");
	exe.parent().and_then(Path::parent).expect("target/release").to_path_buf()
}

/// A `ballast-node --dev --sealing instant` on loopback.
pub struct Node {
	child: Child,
	pub url: String,
	pub rpc_port: u16,
	p2p_port: u16,
	base_path: PathBuf,
	pub log: PathBuf,
}

impl Node {
	/// Starts a node keeping its database in `base_path` (a fresh dev chain if it is empty).
	pub fn start(base_path: &Path) -> Self {
		Self::start_with_ports(base_path, free_port(), free_port())
	}

	/// Starts a `--dev` node authoring a block every 6 s (Aura) instead of one per transaction:
	/// its clock is the wall clock, where instant sealing's clock moves a slot (6 s) per block
	/// however fast blocks come.
	pub fn start_authoring(base_path: &Path) -> Self {
		Self::start_with(base_path, free_port(), free_port(), false, None)
	}

	/// Starts an instant-sealing node (Alice's keys) on the chain spec at `spec`.
	pub fn start_on_chain(base_path: &Path, spec: &Path) -> Self {
		Self::start_with(base_path, free_port(), free_port(), true, Some(spec))
	}

	/// Writes the dev chain spec (`build-spec --chain dev`, JSON) to `dir`; its path.
	pub fn dev_spec(dir: &Path) -> PathBuf {
		let output = Command::new(release_dir().join("ballast-node"))
			.args(["build-spec", "--chain", "dev"])
			.stderr(Stdio::null())
			.output()
			.expect("ballast-node build-spec runs");
		assert!(output.status.success(), "build-spec failed");
		let path = dir.join("dev-spec.json");
		std::fs::write(&path, &output.stdout).expect("spec written");
		path
	}

	fn start_with_ports(base_path: &Path, rpc_port: u16, p2p_port: u16) -> Self {
		Self::start_with(base_path, rpc_port, p2p_port, true, None)
	}

	fn start_with(
		base_path: &Path,
		rpc_port: u16,
		p2p_port: u16,
		instant: bool,
		spec: Option<&Path>,
	) -> Self {
		let binary = release_dir().join("ballast-node");
		assert!(
			binary.exists(),
			"{} is missing: build the node first (cargo build --release)",
			binary.display()
		);
		std::fs::create_dir_all(base_path).expect("base path");
		let log = base_path.join(format!("node-{rpc_port}.log"));
		let log_file = std::fs::File::create(&log).expect("log file");
		let child = Command::new(binary)
			.args(match spec {
				// A fixed network key: only `--dev` generates one on its own.
				Some(spec) => vec![
					"--chain".into(),
					spec.as_os_str().to_owned(),
					"--alice".into(),
					"--node-key".into(),
					"0000000000000000000000000000000000000000000000000000000000000001".into(),
				],
				None => vec![std::ffi::OsString::from("--dev")],
			})
			.args(if instant { &["--sealing", "instant"][..] } else { &[][..] })
			.args(["--no-mdns", "--no-telemetry", "--no-prometheus"])
			.arg("--base-path")
			.arg(base_path)
			.args(["--listen-addr", &format!("/ip4/127.0.0.1/tcp/{p2p_port}")])
			.args(["--rpc-port", &rpc_port.to_string()])
			.stdout(Stdio::null())
			.stderr(log_file)
			.spawn()
			.expect("ballast-node starts");
		let node = Node {
			child,
			url: format!("ws://127.0.0.1:{rpc_port}"),
			rpc_port,
			p2p_port,
			base_path: base_path.to_path_buf(),
			log,
		};
		node.wait_for_rpc();
		node
	}

	fn wait_for_rpc(&self) {
		let deadline = Instant::now() + Duration::from_secs(60);
		let request = r#"{"jsonrpc":"2.0","id":1,"method":"system_health","params":[]}"#;
		while Instant::now() < deadline {
			let answer = ureq::post(&format!("http://127.0.0.1:{}", self.rpc_port))
				.set("Content-Type", "application/json")
				.send_string(request);
			if answer.is_ok() {
				return;
			}
			std::thread::sleep(Duration::from_millis(200));
		}
		panic!("ballast-node RPC not up after 60 s; see {}", self.log.display());
	}

	/// Stops the node (SIGKILL: as abrupt as a crash) and starts it again on the same ports
	/// and database.
	pub fn restart(&mut self) {
		let _ = self.child.kill();
		let _ = self.child.wait();
		let restarted =
			Self::start_with_ports(&self.base_path.clone(), self.rpc_port, self.p2p_port);
		drop(std::mem::replace(self, restarted));
	}
}

impl Drop for Node {
	fn drop(&mut self) {
		let _ = self.child.kill();
		let _ = self.child.wait();
	}
}

/// A fresh directory under the target dir for one test's node.
pub fn scratch_dir(name: &str) -> PathBuf {
	let dir = release_dir().join("relayer-tests").join(format!("{name}-{}", std::process::id()));
	let _ = std::fs::remove_dir_all(&dir);
	std::fs::create_dir_all(&dir).expect("scratch dir");
	dir
}

/// Runs `ballast-relayer` with `args`; returns (success, stdout, stderr).
pub fn relayer(args: &[&str]) -> (bool, String, String) {
	let output = Command::new(env!("CARGO_BIN_EXE_ballast-relayer"))
		.args(args)
		.env_remove("BALLAST_RELAYER_SURI")
		.output()
		.expect("ballast-relayer runs");
	(
		output.status.success(),
		String::from_utf8_lossy(&output.stdout).into_owned(),
		String::from_utf8_lossy(&output.stderr).into_owned(),
	)
}

/// `ballast-relayer checkpoint --submit` (as Alice) of the beacon node's finalized block into the
/// node at `ballast_url`; panics with the relayer's stderr if it fails.
pub fn submit_checkpoint(beacon_url: &str, ballast_url: &str, network: &str) {
	let (ok, _, stderr) = relayer(&[
		"checkpoint",
		"--beacon-url",
		beacon_url,
		"--block",
		"finalized",
		"--submit",
		"--ballast-url",
		ballast_url,
		"--suri",
		"//Alice",
		"--network",
		network,
	]);
	assert!(ok, "checkpoint: {stderr}");
}

/// The 0x01 withdrawal credentials of `state`, with how many validators use each, most used
/// first.
pub fn execution_credentials(slot: u64) -> Vec<(Root, usize)> {
	let state = fixtures::sepolia_prover(slot);
	let mut counts: BTreeMap<Root, usize> = BTreeMap::new();
	for validator in state.validators() {
		if validator.withdrawal_credentials.0[0] == 1 {
			*counts.entry(validator.withdrawal_credentials).or_default() += 1;
		}
	}
	let mut counts: Vec<_> = counts.into_iter().collect();
	counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
	counts
}

/// Arguments already SCALE-encoded, written as they are.
pub struct Raw(pub Vec<u8>);

impl codec::Encode for Raw {
	fn size_hint(&self) -> usize {
		self.0.len()
	}
	fn encode_to<T: codec::Output + ?Sized>(&self, dest: &mut T) {
		dest.write(&self.0);
	}
}
