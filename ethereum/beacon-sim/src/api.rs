//! The standard beacon API over a [`Chain`], on 127.0.0.1, and [`BeaconSim`]: a chain, its API
//! server, and optionally a slot clock that builds each block at its slot's time.
//!
//! Served (what the relayer reads, `relayer/src/beacon.rs`):
//! - `GET /eth/v1/beacon/genesis`
//! - `GET /eth/v1/beacon/headers/{block_id}`
//! - `GET /eth/v1/beacon/blocks/{block_id}/root`
//! - `GET /eth/v2/beacon/blocks/{block_id}` (JSON, `"version": "deneb"`; the last 8,192 slots)
//! - `GET /eth/v1/beacon/states/{state_id}/finality_checkpoints`
//! - `GET /eth/v1/beacon/light_client/finality_update`
//! - `GET /eth/v1/beacon/light_client/updates?start_period=&count=`
//! - `GET /eth/v2/debug/beacon/states/{state_id}` (SSZ only; the states `Chain::state_ssz` keeps)
//! - `GET /eth/v1/node/health`, `GET /eth/v1/config/spec` (the few spec values that differ)
//!
//! Block ids: `head`, `genesis` (the first slot's block), `finalized`, `justified`, a slot, a
//! `0x` block root. State ids: the same, or a `0x` state root. Light-client headers carry the
//! execution payload header and its branch while the block is among the last 8,192.

use crate::{
	chain::{header_json, Chain, Config, SimError, SlotRecord},
	hex,
};
use ballast_ethereum_proofs::{fork::Fork, Root};
use ballast_ethereum_prover::{
	beacon_block::BeaconBlock, block_types::ExecutionPayload, fields, StateProver,
};
use serde_json::{json, Value};
use std::{
	io::{BufRead, BufReader, Write},
	net::{TcpListener, TcpStream},
	sync::{
		atomic::{AtomicBool, Ordering},
		Arc, Mutex, MutexGuard,
	},
	thread::JoinHandle,
	time::{Duration, SystemTime, UNIX_EPOCH},
};
use tree_hash::TreeHash;

/// At most this many periods per `light_client/updates` request (the spec's
/// `MAX_REQUEST_LIGHT_CLIENT_UPDATES`).
const MAX_REQUEST_LIGHT_CLIENT_UPDATES: u64 = 128;

/// A running simulator: the chain and its beacon API (and slot clock, when live). Stops its
/// threads when dropped.
pub struct BeaconSim {
	chain: Arc<Mutex<Chain>>,
	url: String,
	port: u16,
	stop: Arc<AtomicBool>,
	threads: Vec<JoinHandle<()>>,
}

fn lock(chain: &Mutex<Chain>) -> MutexGuard<'_, Chain> {
	// A panic while holding the lock leaves a chain that is still consistent block by block.
	chain.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn now() -> u64 {
	SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

impl BeaconSim {
	/// Starts a chain over the execution node at `execution_url` and serves its API on
	/// 127.0.0.1:`port` (0: a free port). Blocks are built only by [`BeaconSim::advance`].
	pub fn start(config: Config, execution_url: &str, port: u16) -> Result<Self, SimError> {
		let chain = Chain::new(config, execution_url)?;
		let listener = TcpListener::bind(("127.0.0.1", port))
			.map_err(|e| SimError::Config(format!("cannot listen on 127.0.0.1:{port}: {e}")))?;
		let port = listener
			.local_addr()
			.map_err(|e| SimError::Config(format!("no local address: {e}")))?
			.port();
		let chain = Arc::new(Mutex::new(chain));
		let stop = Arc::new(AtomicBool::new(false));
		let server = {
			let (chain, stop) = (chain.clone(), stop.clone());
			std::thread::spawn(move || {
				for stream in listener.incoming() {
					if stop.load(Ordering::Relaxed) {
						break;
					}
					if let Ok(stream) = stream {
						let chain = chain.clone();
						std::thread::spawn(move || serve(stream, &chain));
					}
				}
			})
		};
		Ok(BeaconSim {
			chain,
			url: format!("http://127.0.0.1:{port}"),
			port,
			stop,
			threads: vec![server],
		})
	}

	/// Like [`BeaconSim::start`], and builds each slot's block at its time (catching up slot by
	/// slot when behind). A failing slot is retried every second, its error on stderr.
	pub fn start_live(config: Config, execution_url: &str, port: u16) -> Result<Self, SimError> {
		let mut sim = Self::start(config, execution_url, port)?;
		let (chain, stop) = (sim.chain.clone(), sim.stop.clone());
		sim.threads.push(std::thread::spawn(move || {
			while !stop.load(Ordering::Relaxed) {
				let mut chain = lock(&chain);
				if chain.head().header.slot >= chain.slot_at(now()) {
					drop(chain);
					std::thread::sleep(Duration::from_millis(50));
				} else if let Err(error) = chain.advance(1) {
					drop(chain);
					eprintln!("ballast-beacon-sim: slot failed: {error}");
					std::thread::sleep(Duration::from_secs(1));
				}
			}
		}));
		Ok(sim)
	}

	/// The API's base URL (`http://127.0.0.1:{port}`).
	pub fn url(&self) -> &str {
		&self.url
	}

	/// The API's port.
	pub fn port(&self) -> u16 {
		self.port
	}

	/// The chain, locked (the API and the clock wait meanwhile).
	pub fn chain(&self) -> MutexGuard<'_, Chain> {
		lock(&self.chain)
	}

	/// Builds the blocks of the next `slots` slots.
	pub fn advance(&self, slots: u64) -> Result<(), SimError> {
		self.chain().advance(slots)
	}

	/// Slashes validator `index` in the next block.
	pub fn slash(&self, index: u64) -> Result<(), SimError> {
		self.chain().slash(index)
	}
}

impl Drop for BeaconSim {
	fn drop(&mut self) {
		self.stop.store(true, Ordering::Relaxed);
		// Wake the listener so that it sees the flag.
		let _ = TcpStream::connect(("127.0.0.1", self.port));
		for thread in self.threads.drain(..) {
			let _ = thread.join();
		}
	}
}

/// An HTTP answer: status, content type, body.
pub type Answer = (u16, &'static str, Vec<u8>);

fn ok(body: Value) -> Answer {
	(200, "application/json", body.to_string().into_bytes())
}

fn error(status: u16, message: &str) -> Answer {
	(
		status,
		"application/json",
		json!({ "code": status, "message": message }).to_string().into_bytes(),
	)
}

fn not_found() -> Answer {
	error(404, "not found")
}

/// The slot of a block id.
fn block_slot(chain: &Chain, id: &str) -> Option<u64> {
	let record = match id {
		"head" => chain.head(),
		"genesis" => chain.anchor(),
		"finalized" => chain.finalized(),
		"justified" => {
			chain.record_by_root(chain.head().current_justified.1).unwrap_or_else(|| chain.anchor())
		},
		id if id.starts_with("0x") => chain.record_by_root(parse_root(id)?)?,
		slot => chain.record(slot.parse().ok()?)?,
	};
	Some(record.header.slot)
}

/// The slot of a state id (a block id, or a state root).
fn state_slot(chain: &Chain, id: &str) -> Option<u64> {
	if id.starts_with("0x") {
		return chain.record_by_state_root(parse_root(id)?).map(|r| r.header.slot);
	}
	block_slot(chain, id)
}

fn parse_root(text: &str) -> Option<Root> {
	let bytes = alloy_primitives::hex::decode(text).ok()?;
	(bytes.len() == 32).then(|| Root::from_slice(&bytes))
}

fn checkpoint_json((epoch, root): (u64, Root)) -> Value {
	json!({ "epoch": epoch.to_string(), "root": hex(root) })
}

fn query(query: &str, name: &str) -> Option<u64> {
	query.split('&').find_map(|pair| pair.strip_prefix(name)?.strip_prefix('=')?.parse().ok())
}

/// What a light-client update is built from, taken out of the chain under its lock.
struct UpdateParts {
	attested: SlotRecord,
	attested_block: Option<Arc<Value>>,
	finalized: SlotRecord,
	finalized_block: Option<Arc<Value>>,
	signature_slot: u64,
	sync_aggregate: Value,
	attested_state: Arc<Vec<u8>>,
}

fn update_parts(chain: &Chain, attested_slot: u64) -> Option<UpdateParts> {
	let attested = chain.record(attested_slot)?.clone();
	let finalized = chain.record_by_root(attested.finalized.1)?.clone();
	let signature_slot = attested_slot + 1;
	let block = chain.block_json(signature_slot)?;
	Some(UpdateParts {
		sync_aggregate: block.pointer("/data/message/body/sync_aggregate")?.clone(),
		attested_state: chain.state_ssz(attested_slot)?,
		attested_block: chain.block_json(attested.header.slot),
		finalized_block: chain.block_json(finalized.header.slot),
		attested,
		finalized,
		signature_slot,
	})
}

/// A Deneb `LightClientHeader`: the beacon header, and when its block is kept, the block's
/// execution payload header with its branch to the body root.
fn light_client_header(record: &SlotRecord, block: Option<&Value>) -> Result<Value, String> {
	let mut header = json!({ "beacon": header_json(&record.header) });
	let Some(block) = block else { return Ok(header) };
	let parsed = BeaconBlock::from_json(block).map_err(|e| format!("own block: {e}"))?;
	let payload = &block["data"]["message"]["body"]["execution_payload"];
	let typed: ExecutionPayload =
		serde_json::from_value(payload.clone()).map_err(|e| format!("own payload: {e}"))?;
	let mut execution = payload.clone();
	if let Some(fields) = execution.as_object_mut() {
		fields.remove("transactions");
		fields.remove("withdrawals");
		fields.insert("transactions_root".into(), json!(hex(typed.transactions.tree_hash_root())));
		fields.insert("withdrawals_root".into(), json!(hex(typed.withdrawals.tree_hash_root())));
	}
	header["execution"] = execution;
	header["execution_branch"] = json!(parsed.execution_branch.iter().map(hex).collect::<Vec<_>>());
	Ok(header)
}

/// A light-client update (finality, and with the next sync committee when asked).
fn update_json(parts: UpdateParts, with_next_committee: bool) -> Result<Value, String> {
	let state = StateProver::from_ssz(Fork::Deneb, &parts.attested_state)
		.map_err(|e| format!("own state does not parse: {e}"))?;
	let roots = |roots: Vec<Root>| roots.iter().map(hex).collect::<Vec<_>>();
	let mut data = json!({
		"attested_header": light_client_header(&parts.attested, parts.attested_block.as_deref())?,
		"finalized_header": light_client_header(&parts.finalized, parts.finalized_block.as_deref())?,
		"finality_branch": roots(state.finality_branch()),
		"sync_aggregate": parts.sync_aggregate,
		"signature_slot": parts.signature_slot.to_string(),
	});
	if with_next_committee {
		let next = state.next_sync_committee();
		data["next_sync_committee"] = json!({
			"pubkeys": next.pubkeys.iter().map(hex).collect::<Vec<_>>(),
			"aggregate_pubkey": hex(next.aggregate_pubkey),
		});
		data["next_sync_committee_branch"] =
			json!(roots(state.field_branch(fields::NEXT_SYNC_COMMITTEE)));
	}
	Ok(json!({ "version": "deneb", "data": data }))
}

/// Answers `GET path` (the path with its query).
pub fn answer(chain: &Mutex<Chain>, path: &str) -> Answer {
	let (path, query_text) = path.split_once('?').unwrap_or((path, ""));
	let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
	let guard = lock(chain);
	let chain = &*guard;
	match segments.as_slice() {
		["eth", "v1", "node", "health"] => (200, "application/json", Vec::new()),
		["eth", "v1", "config", "spec"] => {
			let mut data = json!({
				"SECONDS_PER_SLOT": chain.config().seconds_per_slot.to_string(),
				"SLOTS_PER_EPOCH": "32",
				"EPOCHS_PER_SYNC_COMMITTEE_PERIOD": "256",
				"SYNC_COMMITTEE_SIZE": "512",
				"CONFIG_NAME": "ballast-beacon-sim",
			});
			// Each fork's version and epoch, as beacon nodes serve them.
			let forks = chain.network().forks;
			data["GENESIS_FORK_VERSION"] = json!(hex(forks.genesis.version));
			for (name, fork) in [
				("ALTAIR", forks.altair),
				("BELLATRIX", forks.bellatrix),
				("CAPELLA", forks.capella),
				("DENEB", forks.deneb),
				("ELECTRA", forks.electra),
				("FULU", forks.fulu),
			] {
				data[format!("{name}_FORK_VERSION")] = json!(hex(fork.version));
				data[format!("{name}_FORK_EPOCH")] = json!(fork.epoch.to_string());
			}
			ok(json!({ "data": data }))
		},
		["eth", "v1", "beacon", "genesis"] => ok(json!({ "data": {
			"genesis_time": chain.genesis_time().to_string(),
			"genesis_validators_root": hex(chain.network().genesis_validators_root),
			"genesis_fork_version": hex(chain.network().forks.genesis.version),
		}})),
		["eth", "v1", "beacon", "headers", id] => match block_slot(chain, id) {
			Some(slot) => {
				let record = chain.record(slot).expect("block_slot names a recorded block");
				let signature = chain
					.block_json(slot)
					.and_then(|b| b.pointer("/data/signature").cloned())
					.unwrap_or_else(|| json!(hex([0u8; 96])));
				ok(json!({
					"execution_optimistic": false,
					"finalized": slot <= chain.finalized().header.slot,
					"data": {
						"root": hex(record.root),
						"canonical": true,
						"header": { "message": header_json(&record.header), "signature": signature },
					},
				}))
			},
			None => not_found(),
		},
		["eth", "v2", "beacon", "blocks", id] => {
			match block_slot(chain, id).and_then(|slot| Some((slot, chain.block_json(slot)?))) {
				Some((slot, block)) => {
					let mut block = (*block).clone();
					block["finalized"] = json!(slot <= chain.finalized().header.slot);
					(200, "application/json", block.to_string().into_bytes())
				},
				None => not_found(),
			}
		},
		["eth", "v1", "beacon", "blocks", id, "root"] => {
			match block_slot(chain, id).and_then(|slot| chain.record(slot)) {
				Some(record) => ok(json!({ "data": { "root": hex(record.root) } })),
				None => not_found(),
			}
		},
		["eth", "v1", "beacon", "states", id, "finality_checkpoints"] => {
			match state_slot(chain, id).and_then(|slot| chain.record(slot)) {
				Some(record) => ok(json!({
					"execution_optimistic": false,
					"finalized": record.header.slot <= chain.finalized().header.slot,
					"data": {
						"previous_justified": checkpoint_json(record.previous_justified),
						"current_justified": checkpoint_json(record.current_justified),
						"finalized": checkpoint_json(record.finalized),
					},
				})),
				None => not_found(),
			}
		},
		["eth", "v1", "beacon", "light_client", "finality_update"] => {
			let head = chain.head().header.slot;
			match head.checked_sub(1).and_then(|attested| update_parts(chain, attested)) {
				Some(parts) => {
					drop(guard);
					match update_json(parts, false) {
						Ok(update) => ok(update),
						Err(message) => error(500, &message),
					}
				},
				None => error(404, "no finality update yet"),
			}
		},
		["eth", "v1", "beacon", "light_client", "updates"] => {
			let (Some(start), Some(count)) =
				(query(query_text, "start_period"), query(query_text, "count"))
			else {
				return error(400, "start_period and count are required");
			};
			let parts: Vec<UpdateParts> = (start
				..start + count.min(MAX_REQUEST_LIGHT_CLIENT_UPDATES))
				.filter_map(|period| chain.period_update_slot(period))
				.filter_map(|attested| update_parts(chain, attested))
				.collect();
			drop(guard);
			match parts.into_iter().map(|p| update_json(p, true)).collect::<Result<Vec<_>, _>>() {
				Ok(updates) => ok(Value::Array(updates)),
				Err(message) => error(500, &message),
			}
		},
		["eth", "v2", "debug", "beacon", "states", id] => {
			match state_slot(chain, id).and_then(|slot| chain.state_ssz(slot)) {
				Some(state) => (200, "application/octet-stream", state.to_vec()),
				None => not_found(),
			}
		},
		_ => not_found(),
	}
}

fn serve(stream: TcpStream, chain: &Mutex<Chain>) {
	let Ok(read_half) = stream.try_clone() else { return };
	let mut reader = BufReader::new(read_half);
	let mut request_line = String::new();
	if reader.read_line(&mut request_line).is_err() {
		return;
	}
	let mut line = String::new();
	while reader.read_line(&mut line).map(|n| n > 2).unwrap_or(false) {
		line.clear();
	}
	let mut parts = request_line.split_whitespace();
	let (method, path) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
	let (status, kind, body) =
		if method == "GET" { answer(chain, path) } else { error(405, "only GET is served") };
	let reason = match status {
		200 => "OK",
		400 => "Bad Request",
		404 => "Not Found",
		405 => "Method Not Allowed",
		_ => "Internal Server Error",
	};
	let mut stream = stream;
	let _ = write!(
		stream,
		"HTTP/1.1 {status} {reason}\r\nContent-Type: {kind}\r\nEth-Consensus-Version: deneb\r\n\
		 Content-Length: {}\r\nConnection: close\r\n\r\n",
		body.len()
	);
	let _ = stream.write_all(&body);
}
