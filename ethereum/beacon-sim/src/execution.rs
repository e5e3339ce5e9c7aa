//! The execution layer: anvil (or any node with anvil's `evm_*` methods) over JSON-RPC. Each slot
//! mines one block at the slot's timestamp and turns it into a Deneb `ExecutionPayload` in the
//! beacon API's JSON (transactions as their raw EIP-2718 bytes, no withdrawals).

use alloy_primitives::U256;
use serde_json::{json, Value};
use std::time::Duration;

/// Why the execution node could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ExecutionError {
	/// The request failed or its answer is not JSON-RPC.
	#[error("execution node {method}: {message}")]
	Transport {
		/// The JSON-RPC method.
		method: String,
		/// What went wrong.
		message: String,
	},
	/// The node answered with a JSON-RPC error.
	#[error("execution node refused {method}: {error}")]
	Refused {
		/// The JSON-RPC method.
		method: String,
		/// The error object.
		error: Value,
	},
	/// The answer lacks a field or holds a malformed one.
	#[error("execution node's answer has no valid {0}")]
	Malformed(String),
}

/// A JSON-RPC client of the execution node.
#[derive(Clone)]
pub struct ExecutionClient {
	url: String,
	agent: ureq::Agent,
}

/// A quantity (`0x`-hex) of a JSON-RPC answer.
pub fn quantity(value: &Value, what: &str) -> Result<u64, ExecutionError> {
	value
		.as_str()
		.and_then(|text| u64::from_str_radix(text.trim_start_matches("0x"), 16).ok())
		.ok_or_else(|| ExecutionError::Malformed(what.into()))
}

impl ExecutionClient {
	/// A client of the node at `url` (e.g. `http://127.0.0.1:8545`).
	pub fn new(url: &str) -> Self {
		ExecutionClient {
			url: url.to_string(),
			agent: ureq::AgentBuilder::new().timeout(Duration::from_secs(30)).build(),
		}
	}

	/// The node's URL.
	pub fn url(&self) -> &str {
		&self.url
	}

	/// One JSON-RPC call.
	pub fn call(&self, method: &str, params: Value) -> Result<Value, ExecutionError> {
		let request = json!({ "jsonrpc": "2.0", "id": 1, "method": method, "params": params });
		let transport =
			|message: String| ExecutionError::Transport { method: method.into(), message };
		let response = match self
			.agent
			.post(&self.url)
			.set("Content-Type", "application/json")
			.send_string(&request.to_string())
		{
			Ok(response) | Err(ureq::Error::Status(_, response)) => response,
			Err(error) => return Err(transport(error.to_string())),
		};
		let text = response.into_string().map_err(|e| transport(e.to_string()))?;
		let answer: Value = serde_json::from_str(&text).map_err(|e| transport(e.to_string()))?;
		match answer.get("error") {
			Some(error) => {
				Err(ExecutionError::Refused { method: method.into(), error: error.clone() })
			},
			None => Ok(answer.get("result").cloned().unwrap_or(Value::Null)),
		}
	}

	/// The latest block (with full transactions).
	pub fn latest_block(&self) -> Result<Value, ExecutionError> {
		self.call("eth_getBlockByNumber", json!(["latest", true]))
	}

	/// Stops anvil from mining on its own (automine, interval mining): from now on only the
	/// simulator mines, one block per slot, so every execution block is in a beacon block.
	pub fn take_over_mining(&self) -> Result<(), ExecutionError> {
		self.call("evm_setAutomine", json!([false]))?;
		self.call("evm_setIntervalMining", json!([0]))?;
		Ok(())
	}

	/// Mines one block with `timestamp` and returns it as a beacon API `ExecutionPayload`.
	pub fn mine_payload(&self, timestamp: u64) -> Result<Value, ExecutionError> {
		self.call("evm_setNextBlockTimestamp", json!([timestamp]))?;
		self.call("evm_mine", json!([]))?;
		let block = self.latest_block()?;
		let found = quantity(&block["timestamp"], "timestamp")?;
		if found != timestamp {
			return Err(ExecutionError::Malformed(format!(
				"timestamp (mined {found}, asked for {timestamp})"
			)));
		}
		self.payload_json(&block)
	}

	/// The beacon API JSON of `block` (an `eth_getBlockByNumber` answer with full
	/// transactions), its transactions fetched raw.
	pub fn payload_json(&self, block: &Value) -> Result<Value, ExecutionError> {
		let field = |name: &str| -> Result<Value, ExecutionError> {
			block
				.get(name)
				.filter(|v| v.is_string())
				.cloned()
				.ok_or_else(|| ExecutionError::Malformed(name.into()))
		};
		let decimal = |name: &str| -> Result<Value, ExecutionError> {
			Ok(json!(quantity(&block[name], name)?.to_string()))
		};
		let optional_decimal = |name: &str| -> Result<Value, ExecutionError> {
			match block.get(name) {
				None | Some(Value::Null) => Ok(json!("0")),
				Some(value) => Ok(json!(quantity(value, name)?.to_string())),
			}
		};
		let base_fee = block["baseFeePerGas"]
			.as_str()
			.and_then(|text| U256::from_str_radix(text.trim_start_matches("0x"), 16).ok())
			.ok_or_else(|| ExecutionError::Malformed("baseFeePerGas".into()))?;
		let transactions = block["transactions"]
			.as_array()
			.ok_or_else(|| ExecutionError::Malformed("transactions".into()))?
			.iter()
			.map(|tx| {
				let hash = tx.get("hash").cloned().unwrap_or_else(|| tx.clone());
				self.call("eth_getRawTransactionByHash", json!([hash]))
			})
			.collect::<Result<Vec<Value>, _>>()?;
		Ok(json!({
			"parent_hash": field("parentHash")?,
			"fee_recipient": field("miner")?,
			"state_root": field("stateRoot")?,
			"receipts_root": field("receiptsRoot")?,
			"logs_bloom": field("logsBloom")?,
			"prev_randao": field("mixHash")?,
			"block_number": decimal("number")?,
			"gas_limit": decimal("gasLimit")?,
			"gas_used": decimal("gasUsed")?,
			"timestamp": decimal("timestamp")?,
			"extra_data": field("extraData")?,
			"base_fee_per_gas": base_fee.to_string(),
			"block_hash": field("hash")?,
			"transactions": transactions,
			"withdrawals": [],
			"blob_gas_used": optional_decimal("blobGasUsed")?,
			"excess_blob_gas": optional_decimal("excessBlobGas")?,
		}))
	}
}
