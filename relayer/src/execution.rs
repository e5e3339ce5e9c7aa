//! The execution-layer half of what the relayer carries: a client of an Ethereum node's JSON-RPC
//! API, the events Ballast consumes (`BallastGateway`'s `Deposited` and `BackingReported`,
//! EigenLayer `AllocationManager`'s `OperatorSlashed`) and their receipt proofs.
//!
//! Nothing a node serves is taken as is:
//! - a block header must hash (keccak of its RLP) to the hash the node gives with it, so its
//!   `receiptsRoot` is that block's;
//! - a block's receipts must rebuild that `receiptsRoot` (the prover's receipts trie, over
//!   alloy's receipt encodings: the ones the runtime decodes), each receipt naming that block and
//!   its own position;
//! - a log `eth_getLogs` claims must be in the canonical block at its number, in the receipt at
//!   its transaction index, at its position in the block, with the same address, topics and data;
//! - every receipt proof is verified with Snowbridge's own receipt code (what the runtime's
//!   verifier runs) before it is returned.
//!
//! A failed check is a specific [`Error`] and nothing is returned. Transient failures (connection
//! refused, timeouts, HTTP 429 and 5xx, JSON-RPC "limit exceeded") are retried with exponential
//! backoff; an answer that breaks the API's format is never retried.
//!
//! What to relay is decided by pure functions of Ethereum's and Ballast's state, as for the beacon
//! half: one round of the gateway's events reads
//! 1. the gateway's event counter, [`ExecutionApi::gateway_nonce`] (at a finalized block: later
//!    events cannot be proven yet);
//! 2. the nonces Ballast has not handled, [`plan_events`] (see [`Handled`] for what handled means
//!    per event kind), above the relayer's watermark;
//! 3. their logs with receipt proofs, [`find_events`];
//! 4. submits, in nonce order, the events [`Handled::covers`] does not cover, and moves the
//!    watermark over every nonce now settled, [`settle`].
//!
//! EigenLayer slashings carry no gateway nonce: [`find_slashings`] proves those of the operators
//! asked for in a block range, and [`ProvenLog::avs_slashing_id`] is the key under which Ballast
//! records one as booked.

use alloy_consensus::{Eip658Value, Header, Receipt, ReceiptEnvelope, ReceiptWithBloom};
use alloy_primitives::{keccak256, Address, Bloom, Bytes, B256, B64, U256};
use alloy_sol_types::{SolCall, SolEvent};
use ballast_ethereum_prover::execution::ReceiptsTrie;
use ballast_gateway::{abi, BackingReport, Deposit, Log, OperatorSlashing};
use codec::Encode;
use serde_json::{json, Value};
use snowbridge_verification_primitives::receipt::verify_receipt_proof;
use std::{
	collections::{btree_map::Entry, BTreeMap, BTreeSet},
	io::Read,
	sync::atomic::{AtomicU64, Ordering},
	time::Duration,
};

/// Blocks one `eth_getLogs` request spans at most, unless set otherwise
/// ([`ExecutionApi::with_log_range`]): public providers refuse wider ranges on busy contracts.
pub const DEFAULT_LOG_RANGE: u64 = 1_000;

/// The largest answer read (a block's receipts can take megabytes; ureq's own cap is 10 MiB).
const MAX_ANSWER_BYTES: u64 = 256 << 20;

/// EIP-1474's "limit exceeded": providers' rate limits, worth another try after a pause.
const LIMIT_EXCEEDED: i64 = -32005;

mod calls {
	alloy_sol_types::sol! {
		/// `BallastGateway.nonce`: the nonce of its newest numbered event.
		function nonce() external view returns (uint64);
	}
}

/// Why the execution node's answer could not be used.
#[derive(Debug, thiserror::Error)]
pub enum Error {
	/// The request failed, or its answer broke off: transient, so retried.
	#[error("execution API {method} at {url} failed: {message}")]
	Http {
		/// The node's URL.
		url: String,
		/// The JSON-RPC method.
		method: &'static str,
		/// What went wrong.
		message: String,
	},
	/// The node answered with a JSON-RPC error.
	#[error("execution API {method} at {url} answered error {code}: {message}")]
	Rpc {
		/// The node's URL.
		url: String,
		/// The JSON-RPC method.
		method: &'static str,
		/// The JSON-RPC error code.
		code: i64,
		/// The node's message.
		message: String,
		/// The error's `data`, if it is bytes: a call's revert data (its Solidity error).
		data: Option<Bytes>,
	},
	/// The answer does not follow the JSON-RPC API's format.
	#[error("execution API {method} at {url} answered outside the API's format: {message}")]
	Malformed {
		/// The node's URL.
		url: String,
		/// The JSON-RPC method.
		method: &'static str,
		/// What is wrong with the answer.
		message: String,
	},
	/// The node has no such block (not yet, or pruned).
	#[error("the execution node has no block {0}")]
	BlockNotFound(String),
	/// The node answered for another block than the one asked for.
	#[error(
		"asked for block {asked}, the execution node served block {served_number} ({served_hash})"
	)]
	WrongBlock {
		/// The block asked for (number or hash).
		asked: String,
		/// The number of the block served.
		served_number: u64,
		/// The hash of the block served.
		served_hash: B256,
	},
	/// A header does not hash to the hash the node gives with it.
	#[error("the execution node served a header that hashes to {computed}, not to {claimed}")]
	HeaderHashMismatch {
		/// The hash the node gave.
		claimed: B256,
		/// The keccak of the header's RLP.
		computed: B256,
	},
	/// A log's block is not the canonical block at its number (reorged away, or invented).
	#[error("a log of block {number} names block {log_block}, but the canonical block {number} is {served}")]
	LogBlockMismatch {
		/// The block number the log gives.
		number: u64,
		/// The block hash the log gives.
		log_block: B256,
		/// The hash of the block the node serves at that number.
		served: B256,
	},
	/// A receipt does not name the block it was served for, or its own position in it.
	#[error("receipt {position} of block {block} is not that block's: {message}")]
	ReceiptNotOfBlock {
		/// The block whose receipts were asked for.
		block: B256,
		/// The receipt's position in the answer.
		position: usize,
		/// What it names instead.
		message: String,
	},
	/// A block's receipts do not rebuild its header's `receiptsRoot`.
	#[error(
		"the receipts served for block {block} have root {computed}, its header says {header}"
	)]
	ReceiptsRootMismatch {
		/// The block.
		block: B256,
		/// The header's `receiptsRoot`.
		header: B256,
		/// The root of the receipts served.
		computed: B256,
	},
	/// A log is not in its block's receipt at its transaction index, at its position, with its
	/// address, topics and data.
	#[error("log {log_index} (transaction {tx_index}) is not in the receipts of block {block}")]
	LogNotInReceipt {
		/// The block.
		block: B256,
		/// The transaction index the log gives.
		tx_index: u64,
		/// The log's index in the block.
		log_index: u64,
	},
	/// A receipt proof failed the runtime's own verification (the prover and the verifier
	/// disagree: never submitted).
	#[error("the receipt proof of transaction {tx_index} in block {block} does not verify")]
	InvalidProof {
		/// The block.
		block: B256,
		/// The transaction index.
		tx_index: u64,
	},
	/// A log carries an event's signature but does not decode as that event.
	#[error("log {log_index} of block {block} does not decode as {event}: {reason}")]
	UndecodableEvent {
		/// The block.
		block: B256,
		/// The log's index in the block.
		log_index: u64,
		/// The event its first topic names.
		event: &'static str,
		/// Why it does not decode.
		reason: String,
	},
	/// A log that the request's filter excludes (another emitter or event).
	#[error(
		"eth_getLogs served log {log_index} of block {block}, from {address}, outside its filter"
	)]
	UnexpectedLog {
		/// The block.
		block: B256,
		/// The log's index in the block.
		log_index: u64,
		/// Its emitter.
		address: Address,
	},
	/// Two logs carry the same gateway nonce (the gateway numbers each event once).
	#[error("two gateway logs carry nonce {0}")]
	DuplicateNonce(u64),
}

impl Error {
	/// The revert data of a call the node refused because it reverts (`eth_call`,
	/// `eth_estimateGas`): the Solidity error's selector and arguments.
	pub fn revert_data(&self) -> Option<&Bytes> {
		match self {
			Error::Rpc { data, .. } => data.as_ref(),
			_ => None,
		}
	}

	/// Whether asking again may help.
	pub fn is_transient(&self) -> bool {
		matches!(self, Error::Http { .. } | Error::Rpc { code: LIMIT_EXCEEDED, .. })
	}

	/// The `failures_total` label: `execution` when the node failed or lacks data, `refused`
	/// when what it served was caught failing a check (never submitted).
	pub fn kind(&self) -> &'static str {
		match self {
			Error::Http { .. } | Error::Rpc { .. } | Error::BlockNotFound(_) => "execution",
			_ => "refused",
		}
	}
}

/// A block, as JSON-RPC methods name one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlockId {
	/// The node's head.
	Latest,
	/// The newest block the node's consensus client deems safe.
	Safe,
	/// The newest finalized block.
	Finalized,
	/// The canonical block at this height.
	Number(u64),
	/// The block with this hash.
	Hash(B256),
	/// The node's head with the transactions it holds applied (nonces).
	Pending,
}

impl BlockId {
	/// The block parameter of `eth_call` and `eth_getBlockByNumber` (EIP-1898 for a hash).
	fn param(&self) -> Value {
		match self {
			BlockId::Latest => json!("latest"),
			BlockId::Safe => json!("safe"),
			BlockId::Finalized => json!("finalized"),
			BlockId::Number(number) => json!(quantity(*number)),
			BlockId::Hash(hash) => json!({ "blockHash": hex(hash), "requireCanonical": true }),
			BlockId::Pending => json!("pending"),
		}
	}
}

impl std::fmt::Display for BlockId {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		match self {
			BlockId::Latest => f.write_str("latest"),
			BlockId::Safe => f.write_str("safe"),
			BlockId::Finalized => f.write_str("finalized"),
			BlockId::Number(number) => write!(f, "{number}"),
			BlockId::Hash(hash) => write!(f, "{hash}"),
			BlockId::Pending => f.write_str("pending"),
		}
	}
}

fn quantity(number: u64) -> String {
	format!("{number:#x}")
}

/// 0x-hex data, as the JSON-RPC API writes hashes, addresses and bytes.
fn hex(bytes: impl AsRef<[u8]>) -> String {
	format!("0x{}", alloy_primitives::hex::encode(bytes))
}

/// A block header checked to hash to `hash`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlockHeader {
	/// The block's hash: keccak of the header's RLP.
	pub hash: B256,
	/// The header (`number`, `timestamp`, `receipts_root`, …).
	pub header: Header,
}

/// An `eth_getLogs` filter: logs of any of `addresses`, whose topic `i` is one of `topics[i]` (an
/// empty list matches any topic), in blocks `from_block..=to_block`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LogFilter {
	/// The emitters (at least one).
	pub addresses: Vec<Address>,
	/// Per topic position, the values accepted (empty: any).
	pub topics: Vec<Vec<B256>>,
	/// First block of the range.
	pub from_block: u64,
	/// Last block of the range (included).
	pub to_block: u64,
}

/// A log as `eth_getLogs` serves it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RpcLog {
	/// The emitter.
	pub address: Address,
	/// The topics (the event's signature first, for non-anonymous events).
	pub topics: Vec<B256>,
	/// The ABI-encoded non-indexed fields.
	pub data: Bytes,
	/// Hash of the block the node says the log is in.
	pub block_hash: B256,
	/// Number of that block.
	pub block_number: u64,
	/// The transaction that emitted it.
	pub transaction_hash: B256,
	/// The transaction's index in the block.
	pub transaction_index: u64,
	/// The log's index in the block (all receipts' logs counted in order).
	pub log_index: u64,
	/// Whether a reorg removed it (only in subscriptions and filter changes).
	pub removed: bool,
}

impl RpcLog {
	/// The log as Snowbridge's verifier takes it.
	pub fn event_log(&self) -> Log {
		Log {
			address: self.address.0 .0.into(),
			topics: self.topics.iter().map(|topic| topic.0.into()).collect(),
			data: self.data.to_vec(),
			tx_index: self.transaction_index,
		}
	}

	fn matches(&self, log: &alloy_primitives::Log) -> bool {
		log.address == self.address && log.topics() == self.topics && log.data.data == self.data
	}
}

/// A receipt as `eth_getBlockReceipts` serves it, read into its consensus encoding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RpcReceipt {
	/// The receipt, typed (legacy, EIP-2930, EIP-1559, EIP-4844 or EIP-7702).
	pub envelope: ReceiptEnvelope,
	/// The block the node says it is of.
	pub block_hash: B256,
	/// The transaction's index in it.
	pub transaction_index: u64,
	/// The transaction's hash.
	pub transaction_hash: B256,
}

/// A log proven by its receipt, checked with the runtime's verifier code against its block's
/// `receiptsRoot`. The beacon half adds the execution proof (the block's payload header and its
/// path to a finalized beacon block) to make Snowbridge's `EventProof`.
#[derive(Clone, Debug, PartialEq)]
pub struct ProvenLog {
	/// The log, as the runtime's verifier takes it (with its transaction index).
	pub log: Log,
	/// The receipt's proof in the block's receipts trie (nodes from the root down).
	pub receipt_proof: Vec<Vec<u8>>,
	/// The block's hash.
	pub block_hash: B256,
	/// The block's number.
	pub block_number: u64,
	/// The block's time (unix seconds).
	pub block_timestamp: u64,
	/// The block's `receiptsRoot`, which the proof verifies against.
	pub receipts_root: B256,
	/// The log's index in the block.
	pub log_index: u64,
	/// The transaction that emitted it.
	pub transaction_hash: B256,
}

impl ProvenLog {
	/// The key under which `pallet-lrt-backing` records an AVS slashing as booked
	/// (`SeenAvsSlashings`): keccak-256 of the SCALE encoding of `(log, block_hash)`.
	pub fn avs_slashing_id(&self) -> B256 {
		let block_hash: ballast_ethereum_proofs::Root = self.block_hash.0.into();
		keccak256((&self.log, block_hash).encode())
	}
}

/// A block whose receipts rebuild its header's `receiptsRoot`: any of its logs can be proven.
pub struct ProvableBlock {
	/// The block's header, checked to hash to its hash.
	pub header: BlockHeader,
	receipts: Vec<ReceiptEnvelope>,
	trie: ReceiptsTrie,
}

impl ProvableBlock {
	/// Checks that `receipts` are the block's, in order, and rebuild its `receiptsRoot`.
	pub fn new(header: BlockHeader, receipts: Vec<RpcReceipt>) -> Result<Self, Error> {
		for (position, receipt) in receipts.iter().enumerate() {
			let message = if receipt.block_hash != header.hash {
				format!("it names block {}", receipt.block_hash)
			} else if receipt.transaction_index != position as u64 {
				format!("it names transaction index {}", receipt.transaction_index)
			} else {
				continue;
			};
			return Err(Error::ReceiptNotOfBlock { block: header.hash, position, message });
		}
		let receipts: Vec<ReceiptEnvelope> = receipts.into_iter().map(|r| r.envelope).collect();
		let trie = ReceiptsTrie::new(&receipts);
		let computed = B256::from(trie.root.0);
		if computed != header.header.receipts_root {
			return Err(Error::ReceiptsRootMismatch {
				block: header.hash,
				header: header.header.receipts_root,
				computed,
			});
		}
		Ok(ProvableBlock { header, receipts, trie })
	}

	/// The receipts, in transaction order.
	pub fn receipts(&self) -> &[ReceiptEnvelope] {
		&self.receipts
	}

	/// Proves `log`: it must name this block, and be in the receipt at its transaction index,
	/// at its position in the block, as it is; the proof is then verified with the runtime's
	/// receipt code.
	pub fn prove(&self, log: &RpcLog) -> Result<ProvenLog, Error> {
		let block = self.header.hash;
		if log.block_hash != block || log.block_number != self.header.header.number {
			return Err(Error::LogBlockMismatch {
				number: log.block_number,
				log_block: log.block_hash,
				served: block,
			});
		}
		let not_in_receipt = || Error::LogNotInReceipt {
			block,
			tx_index: log.transaction_index,
			log_index: log.log_index,
		};
		let index = usize::try_from(log.transaction_index).map_err(|_| not_in_receipt())?;
		let receipt = self.receipts.get(index).ok_or_else(not_in_receipt)?;
		let logs_before: u64 = self.receipts[..index].iter().map(|r| r.logs().len() as u64).sum();
		let in_receipt = log
			.log_index
			.checked_sub(logs_before)
			.and_then(|position| receipt.logs().get(usize::try_from(position).ok()?));
		if !in_receipt.is_some_and(|found| log.matches(found)) {
			return Err(not_in_receipt());
		}
		let receipt_proof = self.trie.proof(index).cloned().ok_or_else(not_in_receipt)?;
		let receipts_root = self.header.header.receipts_root;
		// What the runtime's verifier does with the proof: the receipt at the log's index must
		// come out of it and hold the log.
		let verified =
			verify_receipt_proof(receipts_root.0.into(), log.transaction_index, &receipt_proof);
		if !verified.is_some_and(|receipt| receipt.logs().iter().any(|found| log.matches(found))) {
			return Err(Error::InvalidProof { block, tx_index: log.transaction_index });
		}
		Ok(ProvenLog {
			log: log.event_log(),
			receipt_proof,
			block_hash: block,
			block_number: self.header.header.number,
			block_timestamp: self.header.header.timestamp,
			receipts_root,
			log_index: log.log_index,
			transaction_hash: log.transaction_hash,
		})
	}
}

/// Where and how a transaction was included (`eth_getTransactionReceipt`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TransactionOutcome {
	/// The block it is in.
	pub block_number: u64,
	/// Whether it succeeded (status 1) or reverted.
	pub success: bool,
	/// Gas it used.
	pub gas_used: u64,
	/// Wei per gas it paid.
	pub effective_gas_price: u64,
}

/// A blocking client of an Ethereum execution node's JSON-RPC API at `url` (e.g.
/// `http://127.0.0.1:8545`).
pub struct ExecutionApi {
	url: String,
	agent: ureq::Agent,
	attempts: u32,
	first_backoff: Duration,
	log_range: u64,
	next_id: AtomicU64,
}

impl ExecutionApi {
	/// A client of the node at `url`: 10 s to connect, 120 s to read, 4 attempts from a 500 ms
	/// backoff, logs read [`DEFAULT_LOG_RANGE`] blocks at a time.
	pub fn new(url: &str) -> Self {
		ExecutionApi {
			url: url.to_string(),
			agent: ureq::AgentBuilder::new()
				.timeout_connect(Duration::from_secs(10))
				.timeout_read(Duration::from_secs(120))
				.build(),
			attempts: 4,
			first_backoff: Duration::from_millis(500),
			log_range: DEFAULT_LOG_RANGE,
			next_id: AtomicU64::new(1),
		}
	}

	/// Sets how often a transient failure is retried and the first pause (doubled each time).
	pub fn with_retries(mut self, attempts: u32, first_backoff: Duration) -> Self {
		self.attempts = attempts.max(1);
		self.first_backoff = first_backoff;
		self
	}

	/// Sets how many blocks one `eth_getLogs` request spans at most (at least 1).
	pub fn with_log_range(mut self, blocks: u64) -> Self {
		self.log_range = blocks.max(1);
		self
	}

	/// The node's URL.
	pub fn url(&self) -> &str {
		&self.url
	}

	/// How many blocks one `eth_getLogs` request spans at most.
	pub fn log_range(&self) -> u64 {
		self.log_range
	}

	fn retrying<T>(
		&self,
		method: &'static str,
		mut request: impl FnMut() -> Result<T, Error>,
	) -> Result<T, Error> {
		let mut pause = self.first_backoff;
		let mut attempt = 1;
		loop {
			match request() {
				Err(error) if error.is_transient() && attempt < self.attempts => {
					tracing::warn!(%error, method, attempt, retry_in_ms = pause.as_millis() as u64, "execution API");
					std::thread::sleep(pause);
					pause = pause.saturating_mul(2);
					attempt += 1;
				},
				result => return result,
			}
		}
	}

	/// One JSON-RPC call: its `result` (retried while transient).
	fn call_method(&self, method: &'static str, params: Value) -> Result<Value, Error> {
		self.retrying(method, || {
			let id = self.next_id.fetch_add(1, Ordering::Relaxed);
			let body = json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params });
			let http = |message: String| Error::Http { url: self.url.clone(), method, message };
			let response = match self
				.agent
				.post(&self.url)
				.set("Content-Type", "application/json")
				.send_string(&body.to_string())
			{
				Ok(response) => response,
				Err(ureq::Error::Status(status, _)) if status == 429 || status >= 500 => {
					return Err(http(format!("HTTP {status}")));
				},
				// Some nodes answer a JSON-RPC error with a 4xx status: read it as one.
				Err(ureq::Error::Status(_, response)) => response,
				Err(error) => return Err(http(error.to_string())),
			};
			let mut text = String::new();
			response
				.into_reader()
				.take(MAX_ANSWER_BYTES)
				.read_to_string(&mut text)
				.map_err(|e| http(e.to_string()))?;
			let malformed =
				|message: String| Error::Malformed { url: self.url.clone(), method, message };
			let mut answer: Value =
				serde_json::from_str(&text).map_err(|e| malformed(e.to_string()))?;
			if let Some(error) = answer.get("error") {
				return Err(Error::Rpc {
					url: self.url.clone(),
					method,
					code: error.get("code").and_then(Value::as_i64).unwrap_or_default(),
					message: error
						.get("message")
						.and_then(Value::as_str)
						.unwrap_or_default()
						.to_string(),
					data: error
						.get("data")
						.and_then(Value::as_str)
						.and_then(|data| alloy_primitives::hex::decode(data).ok())
						.map(Bytes::from),
				});
			}
			if answer.get("id") != Some(&json!(id)) {
				return Err(malformed(format!("answer to another request (id {})", answer["id"])));
			}
			answer.get_mut("result").map(Value::take).ok_or_else(|| malformed("no result".into()))
		})
	}

	fn reader<'a>(&'a self, method: &'static str, json: &'a Value) -> Reader<'a> {
		Reader { url: &self.url, method, json }
	}

	/// `eth_chainId`.
	pub fn chain_id(&self) -> Result<u64, Error> {
		let json = self.call_method("eth_chainId", json!([]))?;
		self.reader("eth_chainId", &json).as_quantity()
	}

	/// `eth_blockNumber`: the node's head.
	pub fn block_number(&self) -> Result<u64, Error> {
		let json = self.call_method("eth_blockNumber", json!([]))?;
		self.reader("eth_blockNumber", &json).as_quantity()
	}

	/// `eth_getBlockByNumber` / `eth_getBlockByHash` (without transactions): the header, checked
	/// to hash to the block's hash and to be the block asked for; `None` if the node has none.
	pub fn block(&self, id: BlockId) -> Result<Option<BlockHeader>, Error> {
		let (method, params) = match id {
			BlockId::Hash(hash) => ("eth_getBlockByHash", json!([hex(hash), false])),
			other => ("eth_getBlockByNumber", json!([other.param(), false])),
		};
		let json = self.call_method(method, params)?;
		if json.is_null() {
			return Ok(None);
		}
		let block = self.reader(method, &json).block_header()?;
		let served = |block: &BlockHeader| Error::WrongBlock {
			asked: id.to_string(),
			served_number: block.header.number,
			served_hash: block.hash,
		};
		match id {
			BlockId::Hash(hash) if hash != block.hash => Err(served(&block)),
			BlockId::Number(number) if number != block.header.number => Err(served(&block)),
			_ => Ok(Some(block)),
		}
	}

	/// [`ExecutionApi::block`], failing with [`Error::BlockNotFound`] when the node has none.
	pub fn existing_block(&self, id: BlockId) -> Result<BlockHeader, Error> {
		self.block(id)?.ok_or_else(|| Error::BlockNotFound(id.to_string()))
	}

	/// `eth_getLogs` over the filter's range, as one request (see [`ExecutionApi::logs`] for
	/// bounded ranges).
	fn logs_once(&self, filter: &LogFilter) -> Result<Vec<RpcLog>, Error> {
		let topics: Vec<Value> = filter
			.topics
			.iter()
			.map(|alternatives| match alternatives.as_slice() {
				[] => Value::Null,
				values => values.iter().map(hex).collect(),
			})
			.collect();
		let params = json!([{
			"address": filter.addresses.iter().map(hex).collect::<Vec<_>>(),
			"topics": topics,
			"fromBlock": quantity(filter.from_block),
			"toBlock": quantity(filter.to_block),
		}]);
		let json = self.call_method("eth_getLogs", params)?;
		let read = self.reader("eth_getLogs", &json);
		read.items()?.iter().map(|item| read.at(item).log()).collect()
	}

	/// `eth_getLogs` over `filter`'s range, [`ExecutionApi::log_range`] blocks per request, in
	/// block order.
	pub fn logs(&self, filter: &LogFilter) -> Result<Vec<RpcLog>, Error> {
		let mut logs = Vec::new();
		for (from_block, to_block) in ranges(filter.from_block, filter.to_block, self.log_range) {
			logs.extend(self.logs_once(&LogFilter { from_block, to_block, ..filter.clone() })?);
		}
		Ok(logs)
	}

	/// `eth_getBlockReceipts` of the block `hash`, read into consensus receipts (not yet checked
	/// against the block: see [`ProvableBlock::new`]).
	pub fn block_receipts(&self, hash: B256) -> Result<Vec<RpcReceipt>, Error> {
		let json = self.call_method("eth_getBlockReceipts", json!([hex(hash)]))?;
		if json.is_null() {
			return Err(Error::BlockNotFound(hash.to_string()));
		}
		let read = self.reader("eth_getBlockReceipts", &json);
		read.items()?.iter().map(|item| read.at(item).receipt()).collect()
	}

	/// The canonical block at `number`, with its receipts checked to rebuild its `receiptsRoot`.
	/// `expected`: the hash the caller knows it by (e.g. from a log); another block there is
	/// [`Error::LogBlockMismatch`].
	pub fn provable_block(
		&self,
		number: u64,
		expected: Option<B256>,
	) -> Result<ProvableBlock, Error> {
		let header = self.existing_block(BlockId::Number(number))?;
		if let Some(log_block) = expected.filter(|hash| *hash != header.hash) {
			return Err(Error::LogBlockMismatch { number, log_block, served: header.hash });
		}
		let receipts = self.block_receipts(header.hash)?;
		ProvableBlock::new(header, receipts)
	}

	/// `eth_call` of `data` to `to` at `block`: the returned bytes.
	pub fn call(&self, to: Address, data: &[u8], block: BlockId) -> Result<Bytes, Error> {
		self.call_from(None, to, data, block)
	}

	/// `eth_call` of `data` to `to` from `from` (`msg.sender`; none: the zero address) at
	/// `block`: the returned bytes. A revert is an [`Error::Rpc`] with its
	/// [`Error::revert_data`].
	pub fn call_from(
		&self,
		from: Option<Address>,
		to: Address,
		data: &[u8],
		block: BlockId,
	) -> Result<Bytes, Error> {
		let mut call = json!({ "to": hex(to), "data": hex(data) });
		if let Some(from) = from {
			call["from"] = json!(hex(from));
		}
		let json = self.call_method("eth_call", json!([call, block.param()]))?;
		self.reader("eth_call", &json).as_bytes().map(Bytes::from)
	}

	/// `BallastGateway.nonce()` at `block`: the nonce of its newest numbered event (0 before
	/// the first).
	pub fn gateway_nonce(&self, gateway: Address, block: BlockId) -> Result<u64, Error> {
		let output = self.call(gateway, &calls::nonceCall {}.abi_encode(), block)?;
		calls::nonceCall::abi_decode_returns(&output).map_err(|e| Error::Malformed {
			url: self.url.clone(),
			method: "eth_call",
			message: format!("nonce() of {gateway} returned {output}: {e}"),
		})
	}

	/// `eth_getTransactionCount` of `account` at `block` ([`BlockId::Pending`] counts the
	/// transactions the node holds for it): the nonce of its next transaction.
	pub fn transaction_count(&self, account: Address, block: BlockId) -> Result<u64, Error> {
		let json =
			self.call_method("eth_getTransactionCount", json!([hex(account), block.param()]))?;
		self.reader("eth_getTransactionCount", &json).as_quantity()
	}

	/// `eth_estimateGas` of a call of `data` to `to` from `from`, on the newest block (not the
	/// pending state, which may hold the very transaction this one replaces).
	pub fn estimate_gas(&self, from: Address, to: Address, data: &[u8]) -> Result<u64, Error> {
		let params = json!([{ "from": hex(from), "to": hex(to), "data": hex(data) }, "latest"]);
		let json = self.call_method("eth_estimateGas", params)?;
		self.reader("eth_estimateGas", &json).as_quantity()
	}

	/// `eth_maxPriorityFeePerGas`: the tip the node suggests, wei per gas.
	pub fn max_priority_fee(&self) -> Result<u64, Error> {
		let json = self.call_method("eth_maxPriorityFeePerGas", json!([]))?;
		self.reader("eth_maxPriorityFeePerGas", &json).as_quantity()
	}

	/// `eth_sendRawTransaction` of a signed, EIP-2718-encoded transaction: its hash. A retry
	/// after a lost answer resends the same signed bytes, which the node takes once.
	pub fn send_raw_transaction(&self, raw: &[u8]) -> Result<B256, Error> {
		let json = self.call_method("eth_sendRawTransaction", json!([hex(raw)]))?;
		let bytes = self.reader("eth_sendRawTransaction", &json).as_bytes()?;
		B256::try_from(bytes.as_slice()).map_err(|_| Error::Malformed {
			url: self.url.clone(),
			method: "eth_sendRawTransaction",
			message: format!("not a transaction hash: {json}"),
		})
	}

	/// `eth_getTransactionReceipt`: where and how `hash` was included, `None` while pending
	/// (or unknown to the node).
	pub fn transaction_outcome(&self, hash: B256) -> Result<Option<TransactionOutcome>, Error> {
		let json = self.call_method("eth_getTransactionReceipt", json!([hex(hash)]))?;
		if json.is_null() {
			return Ok(None);
		}
		let receipt = self.reader("eth_getTransactionReceipt", &json);
		Ok(Some(TransactionOutcome {
			block_number: receipt.quantity("blockNumber")?,
			success: receipt.quantity("status")? == 1,
			gas_used: receipt.quantity("gasUsed")?,
			effective_gas_price: receipt
				.optional_quantity("effectiveGasPrice")?
				.unwrap_or_default(),
		}))
	}
}

/// `from..=to` cut into ranges of at most `size` blocks.
fn ranges(from: u64, to: u64, size: u64) -> impl Iterator<Item = (u64, u64)> {
	let size = size.max(1);
	let mut next = Some(from).filter(|from| *from <= to);
	std::iter::from_fn(move || {
		let start = next?;
		let end = start.saturating_add(size - 1).min(to);
		next = end.checked_add(1).filter(|n| *n <= to);
		Some((start, end))
	})
}

/// Proves `logs`, fetching each block once (the canonical block at the log's number, which must
/// be the log's block) and checking its receipts against its header. In `logs`' order.
pub fn prove_logs(api: &ExecutionApi, logs: &[RpcLog]) -> Result<Vec<ProvenLog>, Error> {
	let mut blocks: BTreeMap<B256, ProvableBlock> = BTreeMap::new();
	let mut proven = Vec::with_capacity(logs.len());
	for log in logs {
		let block = match blocks.entry(log.block_hash) {
			Entry::Occupied(known) => known.into_mut(),
			Entry::Vacant(new) => {
				new.insert(api.provable_block(log.block_number, Some(log.block_hash))?)
			},
		};
		proven.push(block.prove(log)?);
	}
	Ok(proven)
}

/// A numbered event of `BallastGateway` (every event carrying the gateway's `nonce`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GatewayEvent {
	/// `Deposited`: Ballast mints it (`LrtBridge.submit_deposit`).
	Deposit(Deposit),
	/// `BackingReported`: Ballast takes it as the LRT's snapshot
	/// (`LrtBacking.submit_backing_report`).
	BackingReport(BackingReport),
	/// `Released`, `DepositRefunded` or one of the backing-source timelock's: Ballast has no call
	/// for it.
	NotRelayed {
		/// The event's name.
		name: &'static str,
		/// Its gateway nonce.
		nonce: u64,
	},
}

/// Decodes `E` from a log whose first topic is `E`'s signature.
fn decode_event<E: SolEvent>(log: &RpcLog) -> Result<E, Error> {
	E::decode_raw_log(log.topics.iter().copied(), &log.data).map_err(|e| Error::UndecodableEvent {
		block: log.block_hash,
		log_index: log.log_index,
		event: E::SIGNATURE,
		reason: e.to_string(),
	})
}

impl GatewayEvent {
	/// The first topics of every numbered event of the gateway.
	pub fn signatures() -> [B256; 7] {
		[
			abi::Deposited::SIGNATURE_HASH,
			abi::BackingReported::SIGNATURE_HASH,
			abi::Released::SIGNATURE_HASH,
			abi::DepositRefunded::SIGNATURE_HASH,
			abi::BackingSourceAnnounced::SIGNATURE_HASH,
			abi::BackingSourceChangeCancelled::SIGNATURE_HASH,
			abi::BackingSourceChanged::SIGNATURE_HASH,
		]
	}

	/// Decodes a gateway log (`Deposited` and `BackingReported` exactly as the runtime does);
	/// `None` for the gateway's unnumbered events (configuration).
	pub fn from_log(log: &RpcLog) -> Result<Option<Self>, Error> {
		let Some(signature) = log.topics.first() else { return Ok(None) };
		let undecodable =
			|event: &'static str, reason: ballast_gateway::DecodeError| Error::UndecodableEvent {
				block: log.block_hash,
				log_index: log.log_index,
				event,
				reason: format!("{reason:?}"),
			};
		let not_relayed = |name, nonce| Ok(Some(GatewayEvent::NotRelayed { name, nonce }));
		match *signature {
			abi::Deposited::SIGNATURE_HASH => Deposit::from_log(&log.event_log())
				.map(|deposit| Some(GatewayEvent::Deposit(deposit)))
				.map_err(|reason| undecodable("Deposited", reason)),
			abi::BackingReported::SIGNATURE_HASH => BackingReport::from_log(&log.event_log())
				.map(|report| Some(GatewayEvent::BackingReport(report)))
				.map_err(|reason| undecodable("BackingReported", reason)),
			abi::Released::SIGNATURE_HASH => {
				not_relayed("Released", decode_event::<abi::Released>(log)?.nonce)
			},
			abi::DepositRefunded::SIGNATURE_HASH => {
				not_relayed("DepositRefunded", decode_event::<abi::DepositRefunded>(log)?.nonce)
			},
			abi::BackingSourceAnnounced::SIGNATURE_HASH => not_relayed(
				"BackingSourceAnnounced",
				decode_event::<abi::BackingSourceAnnounced>(log)?.nonce,
			),
			abi::BackingSourceChangeCancelled::SIGNATURE_HASH => not_relayed(
				"BackingSourceChangeCancelled",
				decode_event::<abi::BackingSourceChangeCancelled>(log)?.nonce,
			),
			abi::BackingSourceChanged::SIGNATURE_HASH => not_relayed(
				"BackingSourceChanged",
				decode_event::<abi::BackingSourceChanged>(log)?.nonce,
			),
			_ => Ok(None),
		}
	}

	/// The event's gateway nonce.
	pub fn nonce(&self) -> u64 {
		match self {
			GatewayEvent::Deposit(deposit) => deposit.nonce,
			GatewayEvent::BackingReport(report) => report.nonce,
			GatewayEvent::NotRelayed { nonce, .. } => *nonce,
		}
	}
}

/// What Ballast has handled of one gateway's numbered events, read from its storage. Per kind:
/// - a `Deposited` nonce is handled once `LrtBridge.UsedNonces(gateway, nonce)` (minted) or
///   `LrtBridge.CancelledNonces(gateway, nonce)` (cancelled by governance, refundable on
///   Ethereum) holds it: either way the pallet never mints it again. A deposit it refuses for
///   now (paused or frozen LRT, rate limit) stays unhandled and is retried;
/// - a `BackingReported` nonce is handled once the LRT's snapshot (`LrtBacking.Snapshots`) has
///   that nonce or a newer one: the pallet refuses an older one (`StaleSnapshot`). A report of a
///   token with no valued LRT on Ballast is settled unrelayed: the pallet would refuse it
///   (`UnknownToken`, `NotValued`), and a later report serves once it is valued;
/// - the other numbered events have no call on Ballast and are settled as soon as they are seen.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Handled {
	/// The gateway's deposit nonces used or cancelled on Ballast.
	pub deposits: BTreeSet<u64>,
	/// Per LRT valued on Ballast (by its token on Ethereum), its snapshot's nonce (0 before the
	/// first).
	pub snapshots: BTreeMap<Address, u64>,
}

impl Handled {
	/// Whether Ballast needs nothing more for `event`.
	pub fn covers(&self, event: &GatewayEvent) -> bool {
		match event {
			GatewayEvent::Deposit(deposit) => self.deposits.contains(&deposit.nonce),
			GatewayEvent::BackingReport(report) => self
				.snapshots
				.get(&Address::from(report.token.0))
				.is_none_or(|snapshot| report.nonce <= *snapshot),
			GatewayEvent::NotRelayed { .. } => true,
		}
	}
}

/// The gateway nonces to look at, in nonce order: those above `settled_through` (every nonce up
/// to it is known settled; 0 at first) up to `ethereum_nonce` (the gateway's `nonce()`), less
/// those Ballast records as handled (deposits used or cancelled, and the snapshots' own nonces).
/// Their kinds are only known from their logs: [`find_events`] fetches them and
/// [`Handled::covers`] sorts out the rest.
pub fn plan_events(ethereum_nonce: u64, settled_through: u64, handled: &Handled) -> Vec<u64> {
	let snapshot_nonces: BTreeSet<u64> = handled.snapshots.values().copied().collect();
	(settled_through.saturating_add(1)..=ethereum_nonce)
		.filter(|nonce| !handled.deposits.contains(nonce) && !snapshot_nonces.contains(nonce))
		.collect()
}

/// Moves the watermark over every nonce settled right above it: the highest `n ≥
/// settled_through` such that every nonce in `settled_through + 1..=n` is in `settled`.
pub fn settle(settled_through: u64, settled: &BTreeSet<u64>) -> u64 {
	let mut through = settled_through;
	for nonce in settled.range(settled_through.saturating_add(1)..) {
		if *nonce != through + 1 {
			break;
		}
		through = *nonce;
	}
	through
}

/// A gateway event found by [`find_events`], with its proof.
#[derive(Clone, Debug, PartialEq)]
pub struct FoundEvent {
	/// The event, decoded as the runtime decodes it.
	pub event: GatewayEvent,
	/// Its log and receipt proof.
	pub proof: ProvenLog,
}

/// What [`find_events`] found of the nonces asked for.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FoundEvents {
	/// `Deposited` and `BackingReported` events, in nonce order, each proven.
	pub events: Vec<FoundEvent>,
	/// Nonces of events Ballast has no call for ([`GatewayEvent::NotRelayed`]): settled.
	pub not_relayed: Vec<u64>,
	/// Nonces not found in the range (emitted after it, or before `from_block`).
	pub missing: Vec<u64>,
}

/// Finds the gateway's events numbered `nonces` in blocks `from_block..=to_block` (their nonce is
/// not indexed: every numbered event of the gateway is read, [`ExecutionApi::log_range`] blocks
/// per request, until all are found or a later nonce shows the rest are not in the range) and
/// proves the relayable ones.
pub fn find_events(
	api: &ExecutionApi,
	gateway: Address,
	nonces: &[u64],
	from_block: u64,
	to_block: u64,
) -> Result<FoundEvents, Error> {
	let mut wanted: BTreeSet<u64> = nonces.iter().copied().collect();
	let Some(&last_wanted) = wanted.last() else { return Ok(FoundEvents::default()) };
	let mut found = FoundEvents::default();
	let mut relayable: Vec<(GatewayEvent, RpcLog)> = Vec::new();
	let mut seen = BTreeSet::new();
	let signatures = GatewayEvent::signatures();
	'scan: for (from, to) in ranges(from_block, to_block, api.log_range()) {
		let filter = LogFilter {
			addresses: vec![gateway],
			topics: vec![signatures.to_vec()],
			from_block: from,
			to_block: to,
		};
		for log in api.logs_once(&filter)? {
			if log.removed {
				continue;
			}
			if log.address != gateway || !log.topics.first().is_some_and(|t| signatures.contains(t))
			{
				return Err(Error::UnexpectedLog {
					block: log.block_hash,
					log_index: log.log_index,
					address: log.address,
				});
			}
			let Some(event) = GatewayEvent::from_log(&log)? else { continue };
			let nonce = event.nonce();
			if !seen.insert(nonce) {
				return Err(Error::DuplicateNonce(nonce));
			}
			if wanted.remove(&nonce) {
				match event {
					GatewayEvent::NotRelayed { .. } => found.not_relayed.push(nonce),
					event => relayable.push((event, log)),
				}
			}
			// Nonces grow with every event: past the last one wanted, the rest are not here.
			if wanted.is_empty() || nonce >= last_wanted {
				break 'scan;
			}
		}
	}
	let logs: Vec<RpcLog> = relayable.iter().map(|(_, log)| log.clone()).collect();
	let proofs = prove_logs(api, &logs)?;
	found.events = relayable
		.into_iter()
		.zip(proofs)
		.map(|((event, _), proof)| FoundEvent { event, proof })
		.collect();
	found.events.sort_by_key(|found| found.event.nonce());
	found.missing = wanted.into_iter().collect();
	Ok(found)
}

/// An EigenLayer `OperatorSlashed` event found by [`find_slashings`], with its proof.
#[derive(Clone, Debug, PartialEq)]
pub struct FoundSlashing {
	/// The event, decoded as the runtime decodes it.
	pub slashing: OperatorSlashing,
	/// Its log and receipt proof.
	pub proof: ProvenLog,
}

/// Finds and proves `allocation_manager`'s `OperatorSlashed` events of any of `operators` in
/// blocks `from_block..=to_block` (the operator is not indexed: every slashing is read, the
/// others' skipped), in block order. Nothing to watch, nothing read.
pub fn find_slashings(
	api: &ExecutionApi,
	allocation_manager: Address,
	operators: &BTreeSet<Address>,
	from_block: u64,
	to_block: u64,
) -> Result<Vec<FoundSlashing>, Error> {
	if operators.is_empty() {
		return Ok(Vec::new());
	}
	let filter = LogFilter {
		addresses: vec![allocation_manager],
		topics: vec![vec![abi::OperatorSlashed::SIGNATURE_HASH]],
		from_block,
		to_block,
	};
	let mut watched = Vec::new();
	for log in api.logs(&filter)? {
		if log.removed {
			continue;
		}
		if log.address != allocation_manager
			|| log.topics.first() != Some(&abi::OperatorSlashed::SIGNATURE_HASH)
		{
			return Err(Error::UnexpectedLog {
				block: log.block_hash,
				log_index: log.log_index,
				address: log.address,
			});
		}
		let slashing = OperatorSlashing::from_log(&log.event_log()).map_err(|reason| {
			Error::UndecodableEvent {
				block: log.block_hash,
				log_index: log.log_index,
				event: "OperatorSlashed",
				reason: format!("{reason:?}"),
			}
		})?;
		if operators.contains(&Address::from(slashing.operator.0)) {
			watched.push((slashing, log));
		}
	}
	let logs: Vec<RpcLog> = watched.iter().map(|(_, log)| log.clone()).collect();
	let proofs = prove_logs(api, &logs)?;
	Ok(watched
		.into_iter()
		.zip(proofs)
		.map(|((slashing, _), proof)| FoundSlashing { slashing, proof })
		.collect())
}

/// Reads the JSON-RPC API's conventions: quantities as 0x-hex without leading zeros, data as
/// 0x-hex bytes.
struct Reader<'a> {
	url: &'a str,
	method: &'static str,
	json: &'a Value,
}

impl<'a> Reader<'a> {
	fn malformed(&self, message: impl Into<String>) -> Error {
		Error::Malformed { url: self.url.to_string(), method: self.method, message: message.into() }
	}

	fn at<'b>(&self, json: &'b Value) -> Reader<'b>
	where
		'a: 'b,
	{
		Reader { url: self.url, method: self.method, json }
	}

	fn items(&self) -> Result<&'a Vec<Value>, Error> {
		self.json.as_array().ok_or_else(|| self.malformed("not an array"))
	}

	fn field(&self, key: &str) -> Result<Reader<'a>, Error> {
		match self.json.get(key) {
			Some(value) if !value.is_null() => {
				Ok(Reader { url: self.url, method: self.method, json: value })
			},
			_ => Err(self.malformed(format!("no {key}"))),
		}
	}

	fn optional(&self, key: &str) -> Option<Reader<'a>> {
		self.field(key).ok()
	}

	fn as_text(&self) -> Result<&'a str, Error> {
		self.json.as_str().ok_or_else(|| self.malformed(format!("{} is not a string", self.json)))
	}

	fn as_quantity(&self) -> Result<u64, Error> {
		let text = self.as_text()?;
		text.strip_prefix("0x")
			.filter(|digits| !digits.is_empty())
			.and_then(|digits| u64::from_str_radix(digits, 16).ok())
			.ok_or_else(|| self.malformed(format!("{text} is not a 64-bit quantity")))
	}

	fn as_u256(&self) -> Result<U256, Error> {
		let text = self.as_text()?;
		text.strip_prefix("0x")
			.filter(|digits| !digits.is_empty())
			.and_then(|digits| U256::from_str_radix(digits, 16).ok())
			.ok_or_else(|| self.malformed(format!("{text} is not a 256-bit quantity")))
	}

	fn as_bytes(&self) -> Result<Vec<u8>, Error> {
		let text = self.as_text()?;
		alloy_primitives::hex::decode(text)
			.map_err(|_| self.malformed(format!("{text} is not 0x-hex data")))
	}

	fn as_fixed<const N: usize>(&self) -> Result<[u8; N], Error> {
		let bytes = self.as_bytes()?;
		bytes.try_into().map_err(|_| self.malformed(format!("{} is not {N} bytes", self.json)))
	}

	fn quantity(&self, key: &str) -> Result<u64, Error> {
		self.field(key)?.as_quantity()
	}

	fn optional_quantity(&self, key: &str) -> Result<Option<u64>, Error> {
		self.optional(key).map(|value| value.as_quantity()).transpose()
	}

	fn b256(&self, key: &str) -> Result<B256, Error> {
		self.field(key)?.as_fixed().map(B256::from)
	}

	fn optional_b256(&self, key: &str) -> Result<Option<B256>, Error> {
		self.optional(key).map(|value| value.as_fixed().map(B256::from)).transpose()
	}

	fn address(&self, key: &str) -> Result<Address, Error> {
		self.field(key)?.as_fixed().map(Address::from)
	}

	fn bloom(&self, key: &str) -> Result<Bloom, Error> {
		self.field(key)?.as_fixed().map(Bloom::from)
	}

	fn topics(&self) -> Result<Vec<B256>, Error> {
		let topics = self.field("topics")?;
		let items = topics.items()?;
		items.iter().map(|topic| topics.at(topic).as_fixed().map(B256::from)).collect()
	}

	/// A block as `eth_getBlockBy*` serves it: its header, checked to hash to its `hash`.
	fn block_header(&self) -> Result<BlockHeader, Error> {
		let header = Header {
			parent_hash: self.b256("parentHash")?,
			ommers_hash: self.b256("sha3Uncles")?,
			beneficiary: self.address("miner")?,
			state_root: self.b256("stateRoot")?,
			transactions_root: self.b256("transactionsRoot")?,
			receipts_root: self.b256("receiptsRoot")?,
			logs_bloom: self.bloom("logsBloom")?,
			difficulty: self.field("difficulty")?.as_u256()?,
			number: self.quantity("number")?,
			gas_limit: self.quantity("gasLimit")?,
			gas_used: self.quantity("gasUsed")?,
			timestamp: self.quantity("timestamp")?,
			extra_data: self.field("extraData")?.as_bytes()?.into(),
			mix_hash: self.b256("mixHash")?,
			nonce: B64::from(self.field("nonce")?.as_fixed::<8>()?),
			base_fee_per_gas: self.optional_quantity("baseFeePerGas")?,
			withdrawals_root: self.optional_b256("withdrawalsRoot")?,
			blob_gas_used: self.optional_quantity("blobGasUsed")?,
			excess_blob_gas: self.optional_quantity("excessBlobGas")?,
			parent_beacon_block_root: self.optional_b256("parentBeaconBlockRoot")?,
			requests_hash: self.optional_b256("requestsHash")?,
		};
		let claimed = self.b256("hash")?;
		// A header field this code does not know (a later fork's) makes the hash differ: the
		// block is refused rather than trusted unchecked.
		let computed = header.hash_slow();
		if computed != claimed {
			return Err(Error::HeaderHashMismatch { claimed, computed });
		}
		Ok(BlockHeader { hash: claimed, header })
	}

	fn log(&self) -> Result<RpcLog, Error> {
		Ok(RpcLog {
			address: self.address("address")?,
			topics: self.topics()?,
			data: self.field("data")?.as_bytes()?.into(),
			block_hash: self.b256("blockHash")?,
			block_number: self.quantity("blockNumber")?,
			transaction_hash: self.b256("transactionHash")?,
			transaction_index: self.quantity("transactionIndex")?,
			log_index: self.quantity("logIndex")?,
			removed: self.json.get("removed").and_then(Value::as_bool).unwrap_or(false),
		})
	}

	fn receipt(&self) -> Result<RpcReceipt, Error> {
		// Before EIP-658 (Byzantium) a receipt carried the post-transaction state root.
		let status = match self.optional("status") {
			Some(status) => match status.as_quantity()? {
				0 => Eip658Value::Eip658(false),
				1 => Eip658Value::Eip658(true),
				other => return Err(self.malformed(format!("status {other}"))),
			},
			None => Eip658Value::PostState(self.b256("root")?),
		};
		let logs_json = self.field("logs")?;
		let logs = logs_json
			.items()?
			.iter()
			.map(|log| {
				let log = logs_json.at(log);
				Ok(alloy_primitives::Log::new_unchecked(
					log.address("address")?,
					log.topics()?,
					log.field("data")?.as_bytes()?.into(),
				))
			})
			.collect::<Result<Vec<_>, Error>>()?;
		let receipt = ReceiptWithBloom {
			receipt: Receipt {
				status,
				cumulative_gas_used: self.quantity("cumulativeGasUsed")?,
				logs,
			},
			logs_bloom: self.bloom("logsBloom")?,
		};
		// A legacy receipt may come without `type` from nodes older than EIP-2718.
		let envelope = match self.optional_quantity("type")?.unwrap_or(0) {
			0 => ReceiptEnvelope::Legacy(receipt),
			1 => ReceiptEnvelope::Eip2930(receipt),
			2 => ReceiptEnvelope::Eip1559(receipt),
			3 => ReceiptEnvelope::Eip4844(receipt),
			4 => ReceiptEnvelope::Eip7702(receipt),
			other => return Err(self.malformed(format!("unknown receipt type {other}"))),
		};
		Ok(RpcReceipt {
			envelope,
			block_hash: self.b256("blockHash")?,
			transaction_index: self.quantity("transactionIndex")?,
			transaction_hash: self.b256("transactionHash")?,
		})
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn handled(deposits: &[u64], snapshots: &[(u8, u64)]) -> Handled {
		Handled {
			deposits: deposits.iter().copied().collect(),
			snapshots: snapshots
				.iter()
				.map(|(token, nonce)| (Address::repeat_byte(*token), *nonce))
				.collect(),
		}
	}

	#[test]
	fn the_plan_skips_settled_and_handled_nonces_in_nonce_order() {
		let ballast = handled(&[2, 5], &[(0xaa, 4), (0xbb, 0)]);
		assert_eq!(plan_events(8, 0, &ballast), vec![1, 3, 6, 7, 8]);
		assert_eq!(plan_events(8, 6, &ballast), vec![7, 8]);
		// Nothing new on Ethereum, or the watermark already there: nothing to do.
		assert_eq!(plan_events(0, 0, &ballast), Vec::<u64>::new());
		assert_eq!(plan_events(8, 8, &ballast), Vec::<u64>::new());
	}

	#[test]
	fn the_watermark_moves_only_over_contiguous_settled_nonces() {
		let settled: BTreeSet<u64> = [1, 2, 3, 5, 6].into_iter().collect();
		assert_eq!(settle(0, &settled), 3);
		assert_eq!(settle(3, &settled), 3);
		assert_eq!(settle(4, &settled), 6);
		assert_eq!(settle(6, &BTreeSet::new()), 6);
	}

	#[test]
	fn handled_means_used_or_cancelled_for_deposits_and_not_newer_for_reports() {
		let ballast = handled(&[3], &[(0xaa, 10)]);
		let deposit = |nonce| {
			GatewayEvent::Deposit(Deposit {
				token: Default::default(),
				sender: Default::default(),
				recipient: [1; 32],
				amount: 1,
				nonce,
			})
		};
		let report = |token: u8, nonce| {
			GatewayEvent::BackingReport(BackingReport {
				token: Address::repeat_byte(token).0 .0.into(),
				total_eth: 1,
				total_supply: 1,
				stakes: Vec::new(),
				nonce,
			})
		};
		assert!(ballast.covers(&deposit(3)));
		assert!(!ballast.covers(&deposit(4)));
		assert!(ballast.covers(&report(0xaa, 9)));
		assert!(ballast.covers(&report(0xaa, 10)));
		assert!(!ballast.covers(&report(0xaa, 11)));
		// No valued LRT for the token: Ballast would refuse it.
		assert!(ballast.covers(&report(0xcc, 11)));
		assert!(ballast.covers(&GatewayEvent::NotRelayed { name: "Released", nonce: 12 }));
	}

	#[test]
	fn an_avs_slashing_is_keyed_by_its_log_and_block_as_the_pallet_keys_it() {
		let proven = ProvenLog {
			log: Log {
				address: [1; 20].into(),
				topics: vec![[2; 32].into()],
				data: vec![3, 4],
				tx_index: 5,
			},
			receipt_proof: Vec::new(),
			block_hash: B256::repeat_byte(6),
			block_number: 7,
			block_timestamp: 8,
			receipts_root: B256::ZERO,
			log_index: 9,
			transaction_hash: B256::ZERO,
		};
		// `keccak_256(&(&event.event_log, execution_header.block_hash()).encode())`: the log's
		// SCALE encoding, then the 32 bytes of the hash.
		let mut preimage = proven.log.encode();
		preimage.extend_from_slice(&[6; 32]);
		assert_eq!(proven.avs_slashing_id(), keccak256(&preimage));
		let elsewhere = ProvenLog { block_hash: B256::repeat_byte(7), ..proven.clone() };
		assert_ne!(elsewhere.avs_slashing_id(), proven.avs_slashing_id());
	}

	#[test]
	fn log_ranges_cover_the_span_without_overlap() {
		assert_eq!(
			ranges(0, 2_500, 1_000).collect::<Vec<_>>(),
			[(0, 999), (1_000, 1_999), (2_000, 2_500)]
		);
		assert_eq!(ranges(5, 5, 1_000).collect::<Vec<_>>(), [(5, 5)]);
		assert_eq!(ranges(6, 5, 1_000).count(), 0);
		assert_eq!(
			ranges(u64::MAX - 1, u64::MAX, 1).collect::<Vec<_>>(),
			[(u64::MAX - 1, u64::MAX - 1), (u64::MAX, u64::MAX)]
		);
	}

	#[test]
	fn each_receipt_type_is_read_into_its_own_envelope() {
		let receipt_json = |tx_type: &str| {
			json!({
				"type": tx_type,
				"status": "0x1",
				"cumulativeGasUsed": "0x5208",
				"logsBloom": hex(Bloom::ZERO),
				"logs": [{ "address": hex(Address::repeat_byte(1)),
					"topics": [hex(B256::repeat_byte(2))], "data": "0x0102" }],
				"blockHash": hex(B256::repeat_byte(3)),
				"transactionIndex": "0x0",
				"transactionHash": hex(B256::repeat_byte(4)),
			})
		};
		let read =
			|json: &Value| Reader { url: "test", method: "eth_getBlockReceipts", json }.receipt();
		for (tx_type, expected) in ["0x0", "0x1", "0x2", "0x3", "0x4"].into_iter().enumerate() {
			let receipt = read(&receipt_json(expected)).expect("a receipt");
			let read_type = match receipt.envelope {
				ReceiptEnvelope::Legacy(_) => 0,
				ReceiptEnvelope::Eip2930(_) => 1,
				ReceiptEnvelope::Eip1559(_) => 2,
				ReceiptEnvelope::Eip4844(_) => 3,
				ReceiptEnvelope::Eip7702(_) => 4,
			};
			assert_eq!(read_type, tx_type);
			assert_eq!(receipt.envelope.logs()[0].data.data.as_ref(), [1, 2]);
			assert_eq!(receipt.envelope.cumulative_gas_used(), 21_000);
		}
		// An OP-stack deposit receipt (0x7e) is no Ethereum receipt: refused, not guessed.
		assert!(matches!(read(&receipt_json("0x7e")), Err(Error::Malformed { .. })));
	}
}
