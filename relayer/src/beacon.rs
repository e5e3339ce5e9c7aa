//! A client of the standard Ethereum beacon-node HTTP API (the parts the relayer reads).

use ballast_ethereum_proofs::{BeaconBlockHeader, Root};
use serde_json::Value;
use std::io::Read;

/// Why the beacon node's answer could not be used.
#[derive(Debug, thiserror::Error)]
pub enum Error {
	#[error("beacon API request {url} failed: {message}")]
	Http { url: String, message: String },
	#[error("beacon API answer from {url} is not what the API specifies: {message}")]
	Malformed { url: String, message: String },
}

/// A beacon node's HTTP API at `base` (e.g. `http://127.0.0.1:5052`).
pub struct BeaconApi {
	base: String,
	agent: ureq::Agent,
}

impl BeaconApi {
	pub fn new(base: &str) -> Self {
		BeaconApi { base: base.trim_end_matches('/').to_string(), agent: ureq::Agent::new() }
	}

	fn get(&self, path: &str, accept: &str) -> Result<(String, ureq::Response), Error> {
		let url = format!("{}{path}", self.base);
		let response = self
			.agent
			.get(&url)
			.set("Accept", accept)
			.call()
			.map_err(|e| Error::Http { url: url.clone(), message: e.to_string() })?;
		Ok((url, response))
	}

	fn json(&self, path: &str) -> Result<(String, Value), Error> {
		let (url, response) = self.get(path, "application/json")?;
		let text = response
			.into_string()
			.map_err(|e| Error::Http { url: url.clone(), message: e.to_string() })?;
		let json = serde_json::from_str(&text)
			.map_err(|e| Error::Malformed { url: url.clone(), message: e.to_string() })?;
		Ok((url, json))
	}

	/// `/eth/v1/beacon/headers/{block_id}`: the block header (`block_id`: `head`,
	/// `finalized`, a slot or a root).
	pub fn header(&self, block_id: &str) -> Result<BeaconBlockHeader, Error> {
		let (url, json) = self.json(&format!("/eth/v1/beacon/headers/{block_id}"))?;
		let malformed = |message: String| Error::Malformed { url: url.clone(), message };
		let message = json
			.pointer("/data/header/message")
			.ok_or_else(|| malformed("no data.header.message".into()))?;
		let number = |key: &str| {
			message[key]
				.as_str()
				.and_then(|s| s.parse::<u64>().ok())
				.ok_or_else(|| malformed(format!("{key} is not a decimal string")))
		};
		let root = |key: &str| {
			message[key]
				.as_str()
				.and_then(|s| alloy_primitives::hex::decode(s).ok())
				.filter(|bytes| bytes.len() == 32)
				.map(|bytes| Root::from_slice(&bytes))
				.ok_or_else(|| malformed(format!("{key} is not a 32-byte hex string")))
		};
		Ok(BeaconBlockHeader {
			slot: number("slot")?,
			proposer_index: number("proposer_index")?,
			parent_root: root("parent_root")?,
			state_root: root("state_root")?,
			body_root: root("body_root")?,
		})
	}

	/// `/eth/v2/debug/beacon/states/{state_id}` as SSZ bytes.
	pub fn state_ssz(&self, state_id: &str) -> Result<Vec<u8>, Error> {
		let (url, response) = self
			.get(&format!("/eth/v2/debug/beacon/states/{state_id}"), "application/octet-stream")?;
		let mut bytes = Vec::new();
		response
			.into_reader()
			.take(2 << 30)
			.read_to_end(&mut bytes)
			.map_err(|e| Error::Http { url, message: e.to_string() })?;
		Ok(bytes)
	}
}
