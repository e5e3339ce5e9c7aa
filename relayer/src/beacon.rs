//! A client of the standard Ethereum beacon-node HTTP API (the parts the relayer reads).
//!
//! Everything read here is checked where it can be: a header must hash to the root the node
//! names, a light-client update's branches must verify. Transient failures (connection refused,
//! timeouts, 5xx, 429) are retried with exponential backoff; an answer that breaks the API's
//! format is never retried.

use ballast_ethereum_proofs::{
	fork::{ForkSchedule, ForkVersion},
	merkle::verify_branch,
	BeaconBlockHeader, Root,
};
use ballast_ethereum_prover::light_client::{signed_block_from_json, SignedBlock};
use serde_json::Value;
use std::{io::Read, time::Duration};

/// The spec's `FAR_FUTURE_EPOCH`: a fork never reached.
const FAR_FUTURE_EPOCH: u64 = u64::MAX;

/// Why the beacon node's answer could not be used.
#[derive(Debug, thiserror::Error)]
pub enum Error {
	/// The request failed, or its answer broke off: transient, so retried.
	#[error("beacon API request {url} failed: {message}")]
	Http {
		/// The URL requested.
		url: String,
		/// What went wrong.
		message: String,
	},
	/// The node answered 404 (e.g. an empty slot or a pruned state).
	#[error("beacon API has no {url} (404)")]
	NotFound {
		/// The URL requested.
		url: String,
	},
	/// The answer does not follow the API's format.
	#[error("beacon API answer from {url} is not what the API specifies: {message}")]
	Malformed {
		/// The URL requested.
		url: String,
		/// What is wrong with the answer.
		message: String,
	},
	/// A header does not hash to the block root the node gives with it.
	#[error(
		"beacon API served a header for {url} that hashes to {computed:?}, not to {claimed:?}"
	)]
	HeaderRootMismatch {
		/// The URL requested.
		url: String,
		/// The root the node gave.
		claimed: Root,
		/// The header's actual hash-tree-root.
		computed: Root,
	},
	/// A light-client update's branch does not verify.
	#[error("beacon API served a light-client {what} branch that does not verify ({url})")]
	InvalidBranch {
		/// The URL requested.
		url: String,
		/// Which branch (e.g. `finality`).
		what: &'static str,
	},
	/// A block's JSON could not be read into what the prover needs.
	#[error("invalid block: {0}")]
	Block(#[from] ballast_ethereum_prover::Error),
}

impl Error {
	/// Whether asking again may help.
	fn is_transient(&self) -> bool {
		matches!(self, Error::Http { .. })
	}
}

/// `/eth/v1/beacon/genesis`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Genesis {
	/// Unix time of the chain's genesis, in seconds.
	pub genesis_time: u64,
	/// Root of the genesis validator set (identifies the network in signing domains).
	pub genesis_validators_root: Root,
	/// The genesis fork version.
	pub genesis_fork_version: [u8; 4],
}

/// What a light-client update says (`finality_update` or one of `updates`): which blocks to build
/// an update from. Its branches were checked; the relayer still builds its own from states.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LightClientSummary {
	/// The header the sync committee signed.
	pub attested: BeaconBlockHeader,
	/// The header the attested state finalizes.
	pub finalized: BeaconBlockHeader,
	/// Slot of the block carrying the sync committee's signature.
	pub signature_slot: u64,
}

/// A beacon node's HTTP API at `base` (e.g. `http://127.0.0.1:5052`).
pub struct BeaconApi {
	base: String,
	agent: ureq::Agent,
	attempts: u32,
	first_backoff: Duration,
}

/// Gindex of `finalized_checkpoint.root` in a state whose container tree is `depth` levels deep
/// (5 in Deneb, 6 from Electra).
fn finality_gindex(depth: u32) -> u64 {
	((1u64 << depth) + 20) * 2 + 1
}

impl BeaconApi {
	/// A client of the node at `base` (a trailing `/` is dropped): 10 s to connect, 300 s to
	/// read, 4 attempts from a 500 ms backoff.
	pub fn new(base: &str) -> Self {
		BeaconApi {
			base: base.trim_end_matches('/').to_string(),
			agent: ureq::AgentBuilder::new()
				.timeout_connect(Duration::from_secs(10))
				.timeout_read(Duration::from_secs(300))
				.build(),
			attempts: 4,
			first_backoff: Duration::from_millis(500),
		}
	}

	/// Sets how often a transient failure is retried and the first pause (doubled each time).
	pub fn with_retries(mut self, attempts: u32, first_backoff: Duration) -> Self {
		self.attempts = attempts.max(1);
		self.first_backoff = first_backoff;
		self
	}

	/// The node's base URL.
	pub fn base(&self) -> &str {
		&self.base
	}

	fn retrying<T>(&self, mut request: impl FnMut() -> Result<T, Error>) -> Result<T, Error> {
		let mut pause = self.first_backoff;
		let mut attempt = 1;
		loop {
			match request() {
				Err(error) if error.is_transient() && attempt < self.attempts => {
					tracing::warn!(%error, attempt, retry_in_ms = pause.as_millis() as u64, "beacon API");
					std::thread::sleep(pause);
					pause = pause.saturating_mul(2);
					attempt += 1;
				},
				result => return result,
			}
		}
	}

	fn get(&self, path: &str, accept: &str) -> Result<(String, ureq::Response), Error> {
		let url = format!("{}{path}", self.base);
		match self.agent.get(&url).set("Accept", accept).call() {
			Ok(response) => Ok((url, response)),
			Err(ureq::Error::Status(404, _)) => Err(Error::NotFound { url }),
			Err(error) => Err(Error::Http { url, message: error.to_string() }),
		}
	}

	fn json(&self, path: &str) -> Result<(String, Value), Error> {
		self.retrying(|| {
			let (url, response) = self.get(path, "application/json")?;
			let text = response
				.into_string()
				.map_err(|e| Error::Http { url: url.clone(), message: e.to_string() })?;
			let json = serde_json::from_str(&text)
				.map_err(|e| Error::Malformed { url: url.clone(), message: e.to_string() })?;
			Ok((url, json))
		})
	}

	/// The network the node follows, for a network without a preset here (a devnet, say): each
	/// fork's version and epoch from `/eth/v1/config/spec` and the genesis validators root from
	/// `/eth/v1/beacon/genesis`. Altair to Deneb must be there; an Electra or Fulu the node does
	/// not know is never reached; the earliest scheduled fork Ballast does not know (Gloas, or any
	/// other `*_FORK_EPOCH` of a devnet) is the first unknown one, where proofs stop.
	pub fn network(&self) -> Result<(ForkSchedule, Root), Error> {
		let (url, json) = self.json("/eth/v1/config/spec")?;
		Ok((fork_schedule(&url, &json)?, self.genesis()?.genesis_validators_root))
	}

	/// The network's slot time in whole seconds (`/eth/v1/config/spec`: `SECONDS_PER_SLOT`, or
	/// `SLOT_DURATION_MS` where newer specs replaced it).
	pub fn seconds_per_slot(&self) -> Result<u64, Error> {
		let (url, json) = self.json("/eth/v1/config/spec")?;
		let read = Reader { url: &url, json: &json };
		let seconds = if json.pointer("/data/SECONDS_PER_SLOT").is_some() {
			read.number("/data/SECONDS_PER_SLOT")?
		} else {
			match read.number("/data/SLOT_DURATION_MS")? {
				ms if ms % 1000 == 0 => ms / 1000,
				_ => return Err(read.malformed("a slot time that is not whole seconds")),
			}
		};
		match seconds {
			0 => Err(read.malformed("a slot shorter than a second")),
			seconds => Ok(seconds),
		}
	}

	/// `/eth/v1/beacon/genesis`.
	pub fn genesis(&self) -> Result<Genesis, Error> {
		let (url, json) = self.json("/eth/v1/beacon/genesis")?;
		let read = Reader { url: &url, json: &json };
		let version = read.hex("/data/genesis_fork_version")?;
		Ok(Genesis {
			genesis_time: read.number("/data/genesis_time")?,
			genesis_validators_root: read.root("/data/genesis_validators_root")?,
			genesis_fork_version: version.try_into().map_err(|_| read.malformed("fork version"))?,
		})
	}

	/// `/eth/v1/beacon/headers/{block_id}`: the block header (`block_id`: `head`,
	/// `finalized`, a slot or a root), checked to hash to the root the node names.
	pub fn header(&self, block_id: &str) -> Result<BeaconBlockHeader, Error> {
		let (url, json) = self.json(&format!("/eth/v1/beacon/headers/{block_id}"))?;
		let read = Reader { url: &url, json: &json };
		let header = read.header("/data/header/message")?;
		let claimed = read.root("/data/root")?;
		let computed = header.hash_tree_root();
		if claimed != computed {
			return Err(Error::HeaderRootMismatch { url, claimed, computed });
		}
		Ok(header)
	}

	/// `/eth/v2/beacon/blocks/{block_id}`: the sync aggregate a block carries, with its slot and
	/// parent root (`None` when the slot is empty).
	pub fn signed_block(&self, block_id: &str) -> Result<Option<SignedBlock>, Error> {
		match self.json(&format!("/eth/v2/beacon/blocks/{block_id}")) {
			Ok((_, json)) => Ok(Some(signed_block_from_json(&json)?)),
			Err(Error::NotFound { .. }) => Ok(None),
			Err(error) => Err(error),
		}
	}

	/// `/eth/v2/beacon/blocks/{block_id}` as served (JSON with its `version`), `None` for an
	/// empty slot: what `ballast_ethereum_prover::beacon_block::BeaconBlock` reads.
	pub fn block_json(&self, block_id: &str) -> Result<Option<serde_json::Value>, Error> {
		match self.json(&format!("/eth/v2/beacon/blocks/{block_id}")) {
			Ok((_, json)) => Ok(Some(json)),
			Err(Error::NotFound { .. }) => Ok(None),
			Err(error) => Err(error),
		}
	}

	/// `/eth/v1/beacon/states/{state_id}/finality_checkpoints`: the finalized `(epoch, root)`.
	pub fn finalized_checkpoint(&self, state_id: &str) -> Result<(u64, Root), Error> {
		let (url, json) =
			self.json(&format!("/eth/v1/beacon/states/{state_id}/finality_checkpoints"))?;
		let read = Reader { url: &url, json: &json };
		Ok((read.number("/data/finalized/epoch")?, read.root("/data/finalized/root")?))
	}

	/// `/eth/v1/beacon/light_client/finality_update`, its finality branch checked against its
	/// attested header (`state_depth`: the attested state's container depth, 5 in Deneb).
	pub fn finality_update(
		&self,
		state_depth: impl Fn(u64) -> Option<u32>,
	) -> Result<LightClientSummary, Error> {
		let (url, json) = self.json("/eth/v1/beacon/light_client/finality_update")?;
		let data = json
			.get("data")
			.ok_or_else(|| Error::Malformed { url: url.clone(), message: "no data".into() })?;
		summary(&url, data, &state_depth)
	}

	/// `/eth/v1/beacon/light_client/updates?start_period=&count=1`: the best update of `period`
	/// (the one carrying its next sync committee), checked like `finality_update`.
	pub fn period_update(
		&self,
		period: u64,
		state_depth: impl Fn(u64) -> Option<u32>,
	) -> Result<LightClientSummary, Error> {
		let (url, json) = self
			.json(&format!("/eth/v1/beacon/light_client/updates?start_period={period}&count=1"))?;
		let data = json.pointer("/0/data").ok_or_else(|| Error::Malformed {
			url: url.clone(),
			message: "no update for the period".into(),
		})?;
		summary(&url, data, &state_depth)
	}

	/// `/eth/v2/debug/beacon/states/{state_id}` as SSZ bytes, logging progress as it arrives.
	pub fn state_ssz(&self, state_id: &str) -> Result<Vec<u8>, Error> {
		self.retrying(|| {
			let (url, response) = self.get(
				&format!("/eth/v2/debug/beacon/states/{state_id}"),
				"application/octet-stream",
			)?;
			let total: Option<u64> =
				response.header("Content-Length").and_then(|length| length.parse().ok());
			let mut reader = response.into_reader().take(2 << 30);
			let mut bytes = Vec::with_capacity(total.unwrap_or(0).min(2 << 30) as usize);
			let mut chunk = vec![0u8; 1 << 20];
			let mut next_report = 64u64 << 20;
			loop {
				let read = reader
					.read(&mut chunk)
					.map_err(|e| Error::Http { url: url.clone(), message: e.to_string() })?;
				if read == 0 {
					break;
				}
				bytes.extend_from_slice(&chunk[..read]);
				if bytes.len() as u64 >= next_report {
					tracing::info!(
						state = state_id,
						mib = bytes.len() >> 20,
						total_mib = total.map(|t| t >> 20),
						"downloading state"
					);
					next_report += 64 << 20;
				}
			}
			if let Some(total) = total.filter(|total| *total != bytes.len() as u64) {
				return Err(Error::Http {
					url,
					message: format!("connection closed after {} of {total} bytes", bytes.len()),
				});
			}
			Ok(bytes)
		})
	}
}

fn summary(
	url: &str,
	data: &Value,
	state_depth: &dyn Fn(u64) -> Option<u32>,
) -> Result<LightClientSummary, Error> {
	let read = Reader { url, json: data };
	let attested = read.header("/attested_header/beacon")?;
	let finalized = read.header("/finalized_header/beacon")?;
	let finality_branch = read.roots("/finality_branch")?;
	let depth = state_depth(attested.slot).ok_or_else(|| read.malformed("attested slot fork"))?;
	verify_branch(
		finalized.hash_tree_root(),
		&finality_branch,
		finality_gindex(depth),
		attested.state_root,
	)
	.map_err(|_| Error::InvalidBranch { url: url.to_string(), what: "finality" })?;
	Ok(LightClientSummary { attested, finalized, signature_slot: read.number("/signature_slot")? })
}

/// The fork schedule a beacon node's `/eth/v1/config/spec` answer describes (see
/// [`BeaconApi::network`]).
fn fork_schedule(url: &str, json: &Value) -> Result<ForkSchedule, Error> {
	let read = Reader { url, json };
	let version = |name: &str| -> Result<[u8; 4], Error> {
		let pointer = format!("/data/{name}_FORK_VERSION");
		read.hex(&pointer)?
			.try_into()
			.map_err(|_| read.malformed(format!("{pointer} is not 4 bytes")))
	};
	let fork = |name: &str| -> Result<ForkVersion, Error> {
		Ok(ForkVersion {
			version: version(name)?,
			epoch: read.number(&format!("/data/{name}_FORK_EPOCH"))?,
		})
	};
	let optional = |name: &str| -> Result<ForkVersion, Error> {
		if json.pointer(&format!("/data/{name}_FORK_EPOCH")).is_none() {
			return Ok(ForkVersion { version: [0; 4], epoch: FAR_FUTURE_EPOCH });
		}
		fork(name)
	};
	const KNOWN: [&str; 6] = ["ALTAIR", "BELLATRIX", "CAPELLA", "DENEB", "ELECTRA", "FULU"];
	let mut next_unknown_fork_epoch = FAR_FUTURE_EPOCH;
	if let Some(data) = json.pointer("/data").and_then(Value::as_object) {
		for key in data.keys() {
			let Some(name) = key.strip_suffix("_FORK_EPOCH") else { continue };
			if !KNOWN.contains(&name) {
				let epoch = read.number(&format!("/data/{key}"))?;
				next_unknown_fork_epoch = next_unknown_fork_epoch.min(epoch);
			}
		}
	}
	Ok(ForkSchedule {
		genesis: ForkVersion { version: version("GENESIS")?, epoch: 0 },
		altair: fork("ALTAIR")?,
		bellatrix: fork("BELLATRIX")?,
		capella: fork("CAPELLA")?,
		deneb: fork("DENEB")?,
		electra: optional("ELECTRA")?,
		fulu: optional("FULU")?,
		next_unknown_fork_epoch,
	})
}

/// Reads the beacon API's JSON conventions: numbers as decimal strings, bytes as 0x-hex.
struct Reader<'a> {
	url: &'a str,
	json: &'a Value,
}

impl Reader<'_> {
	fn malformed(&self, message: impl Into<String>) -> Error {
		Error::Malformed { url: self.url.to_string(), message: message.into() }
	}

	fn text(&self, pointer: &str) -> Result<&str, Error> {
		self.json
			.pointer(pointer)
			.and_then(Value::as_str)
			.ok_or_else(|| self.malformed(format!("no string at {pointer}")))
	}

	fn number(&self, pointer: &str) -> Result<u64, Error> {
		self.text(pointer)?
			.parse()
			.map_err(|_| self.malformed(format!("{pointer} is not a decimal string")))
	}

	fn hex(&self, pointer: &str) -> Result<Vec<u8>, Error> {
		alloy_primitives::hex::decode(self.text(pointer)?)
			.map_err(|_| self.malformed(format!("{pointer} is not hex")))
	}

	fn root(&self, pointer: &str) -> Result<Root, Error> {
		let bytes = self.hex(pointer)?;
		if bytes.len() != 32 {
			return Err(self.malformed(format!("{pointer} is not 32 bytes")));
		}
		Ok(Root::from_slice(&bytes))
	}

	fn roots(&self, pointer: &str) -> Result<Vec<Root>, Error> {
		let items = self
			.json
			.pointer(pointer)
			.and_then(Value::as_array)
			.ok_or_else(|| self.malformed(format!("no array at {pointer}")))?;
		(0..items.len()).map(|i| self.root(&format!("{pointer}/{i}"))).collect()
	}

	fn header(&self, pointer: &str) -> Result<BeaconBlockHeader, Error> {
		Ok(BeaconBlockHeader {
			slot: self.number(&format!("{pointer}/slot"))?,
			proposer_index: self.number(&format!("{pointer}/proposer_index"))?,
			parent_root: self.root(&format!("{pointer}/parent_root"))?,
			state_root: self.root(&format!("{pointer}/state_root"))?,
			body_root: self.root(&format!("{pointer}/body_root"))?,
		})
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use serde_json::json;

	/// Sepolia's `/eth/v1/config/spec` fork entries, as beacon nodes serve them.
	fn sepolia_spec() -> Value {
		json!({ "data": {
			"CONFIG_NAME": "sepolia",
			"GENESIS_FORK_VERSION": "0x90000069",
			"ALTAIR_FORK_VERSION": "0x90000070", "ALTAIR_FORK_EPOCH": "50",
			"BELLATRIX_FORK_VERSION": "0x90000071", "BELLATRIX_FORK_EPOCH": "100",
			"CAPELLA_FORK_VERSION": "0x90000072", "CAPELLA_FORK_EPOCH": "56832",
			"DENEB_FORK_VERSION": "0x90000073", "DENEB_FORK_EPOCH": "132608",
			"ELECTRA_FORK_VERSION": "0x90000074", "ELECTRA_FORK_EPOCH": "222464",
			"FULU_FORK_VERSION": "0x90000075", "FULU_FORK_EPOCH": "272640",
			"SECONDS_PER_SLOT": "12",
		}})
	}

	#[test]
	fn sepolias_spec_reads_as_the_sepolia_preset() {
		assert_eq!(fork_schedule("spec", &sepolia_spec()).unwrap(), ForkSchedule::sepolia());
	}

	#[test]
	fn a_fork_the_node_does_not_list_is_never_reached_and_an_unknown_one_stops_proofs() {
		let mut spec = sepolia_spec();
		let data = spec["data"].as_object_mut().unwrap();
		data.remove("FULU_FORK_VERSION");
		data.remove("FULU_FORK_EPOCH");
		data.insert("GLOAS_FORK_EPOCH".into(), json!("400000"));
		data.insert("EIP7732_FORK_EPOCH".into(), json!("300000"));
		data.insert("SOMETHING_ELSE_FORK_EPOCH".into(), json!(FAR_FUTURE_EPOCH.to_string()));
		let forks = fork_schedule("spec", &spec).unwrap();
		assert_eq!(forks.fulu.epoch, FAR_FUTURE_EPOCH);
		assert_eq!(forks.next_unknown_fork_epoch, 300_000);
		assert_eq!(forks.deneb, ForkSchedule::sepolia().deneb);
	}

	#[test]
	fn a_spec_without_deneb_or_with_a_malformed_version_is_refused() {
		let mut spec = sepolia_spec();
		spec["data"].as_object_mut().unwrap().remove("DENEB_FORK_EPOCH");
		assert!(matches!(fork_schedule("spec", &spec), Err(Error::Malformed { .. })));
		let mut spec = sepolia_spec();
		spec["data"]["ALTAIR_FORK_VERSION"] = json!("0x900000");
		assert!(matches!(fork_schedule("spec", &spec), Err(Error::Malformed { .. })));
		let mut spec = sepolia_spec();
		spec["data"]["CAPELLA_FORK_EPOCH"] = json!("soon");
		assert!(matches!(fork_schedule("spec", &spec), Err(Error::Malformed { .. })));
	}
}
