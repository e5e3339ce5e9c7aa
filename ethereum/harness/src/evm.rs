//! The simulated Ethereum: contracts from `ethereum/artifacts`, executed by revm, receipts per
//! block.

use alloy_consensus::{
	proofs::ordered_trie_root_with_encoder, Eip658Value, Header, Receipt, ReceiptEnvelope,
	ReceiptWithBloom, EMPTY_ROOT_HASH,
};
use alloy_primitives::{keccak256, Address, Bloom, Bytes, Log, TxKind, B256, U256};
use ballast_ethereum_prover::execution::ReceiptsTrie;
use revm::{
	context::{Context, TxEnv},
	database::{CacheDB, EmptyDB},
	handler::{MainBuilder, MainContext, MainnetContext, MainnetEvm},
	ExecuteCommitEvm,
};

/// A compiled contract (`ethereum/artifacts/<name>.json`).
pub fn artifact(name: &str) -> serde_json::Value {
	let text = match name {
		"BallastGateway" => include_str!("../../artifacts/BallastGateway.json"),
		"MockLrt" => include_str!("../../artifacts/MockLrt.json"),
		"MockBackingSource" => include_str!("../../artifacts/MockBackingSource.json"),
		"MockAllocationManager" => include_str!("../../artifacts/MockAllocationManager.json"),
		other => panic!("no artifact {other}"),
	};
	serde_json::from_str(text).expect("artifacts are JSON")
}

fn bytecode(name: &str) -> Vec<u8> {
	let artifact = artifact(name);
	let hex = artifact["bytecode"].as_str().expect("bytecode");
	alloy_primitives::hex::decode(hex).expect("hex bytecode")
}

/// What a transaction did.
#[derive(Clone, Debug)]
pub struct TxResult {
	/// Whether the transaction succeeded (did not revert or halt).
	pub success: bool,
	/// Return data (or revert data).
	pub output: Bytes,
	/// The logs it emitted.
	pub logs: Vec<Log>,
	/// Index of the transaction in its block.
	pub tx_index: u64,
	/// Address of the contract it deployed, if any.
	pub created: Option<Address>,
}

/// A sealed block: its header, receipts and receipts trie.
pub struct SealedBlock {
	/// The block header (its `receipts_root` is `trie.root`).
	pub header: Header,
	/// The receipts of its transactions, in order.
	pub receipts: Vec<ReceiptEnvelope>,
	/// The receipts trie, with every receipt's proof.
	pub trie: ReceiptsTrie,
}

impl SealedBlock {
	/// The block hash: `keccak256` of the RLP-encoded header.
	pub fn hash(&self) -> B256 {
		self.header.hash_slow()
	}
}

type Evm = MainnetEvm<MainnetContext<CacheDB<EmptyDB>>>;

/// An in-memory Ethereum executing one transaction at a time, gas free.
pub struct Ethereum {
	evm: Evm,
	receipts: Vec<ReceiptEnvelope>,
	calls: Vec<Bytes>,
	cumulative_gas: u64,
	parent_hash: B256,
	number: u64,
	timestamp: u64,
}

impl Default for Ethereum {
	fn default() -> Self {
		Self::new()
	}
}

impl Ethereum {
	/// An empty chain at block 22,000,000, without nonce checks.
	pub fn new() -> Self {
		let evm = Context::mainnet()
			.with_db(CacheDB::<EmptyDB>::default())
			.modify_cfg_chained(|cfg| {
				// Gas is free (price 0 with the block's base fee 0), so nonces are all that
				// would get in the way of replaying calls from test accounts.
				cfg.disable_nonce_check = true;
			})
			.build_mainnet();
		Ethereum {
			evm,
			receipts: Vec::new(),
			calls: Vec::new(),
			cumulative_gas: 0,
			parent_hash: B256::repeat_byte(0x11),
			number: 22_000_000,
			timestamp: 1_750_000_000,
		}
	}

	fn execute(&mut self, from: Address, kind: TxKind, data: Vec<u8>) -> TxResult {
		let tx = TxEnv::builder()
			.caller(from)
			.kind(kind)
			.data(Bytes::from(data.clone()))
			.gas_limit(10_000_000)
			.gas_price(0)
			.build()
			.expect("valid transaction");
		let result = self.evm.transact_commit(tx).expect("the EVM runs");
		let success = result.is_success();
		let created = result.created_address();
		let gas = result.tx_gas_used();
		let logs = result.logs().to_vec();
		let output = result.output().cloned().unwrap_or_default();
		self.cumulative_gas += gas;
		let receipt = Receipt {
			status: Eip658Value::Eip658(success),
			cumulative_gas_used: self.cumulative_gas,
			logs: logs.clone(),
		};
		let tx_index = self.receipts.len() as u64;
		self.receipts.push(ReceiptEnvelope::Eip1559(ReceiptWithBloom::from(receipt)));
		self.calls.push(Bytes::from(data));
		TxResult { success, output, logs, tx_index, created }
	}

	/// Deploys artifact `name` with ABI-encoded constructor arguments.
	pub fn deploy(&mut self, from: Address, name: &str, constructor_args: &[u8]) -> Address {
		let mut code = bytecode(name);
		code.extend_from_slice(constructor_args);
		let result = self.execute(from, TxKind::Create, code);
		assert!(result.success, "deploying {name} reverted: {:?}", result.output);
		result.created.expect("a contract was created")
	}

	/// Sends a transaction calling `to` with `calldata`.
	pub fn call(&mut self, from: Address, to: Address, calldata: Vec<u8>) -> TxResult {
		self.execute(from, TxKind::Call(to), calldata)
	}

	/// Seals the transactions since the last block into a block.
	pub fn seal(&mut self) -> SealedBlock {
		let receipts = std::mem::take(&mut self.receipts);
		let calls = std::mem::take(&mut self.calls);
		let trie = ReceiptsTrie::new(&receipts);
		let mut bloom = Bloom::default();
		for receipt in &receipts {
			bloom.accrue_bloom(receipt.logs_bloom());
		}
		// The harness does not sign transactions: the transactions root commits to the calls.
		let transactions_root = ordered_trie_root_with_encoder(&calls, |call, out| {
			out.extend_from_slice(keccak256(call).as_slice())
		});
		let header = Header {
			parent_hash: self.parent_hash,
			beneficiary: Address::repeat_byte(0xfe),
			state_root: B256::repeat_byte(0x5a),
			transactions_root: if calls.is_empty() { EMPTY_ROOT_HASH } else { transactions_root },
			receipts_root: B256::from(trie.root.0),
			logs_bloom: bloom,
			number: self.number,
			gas_limit: 36_000_000,
			gas_used: self.cumulative_gas,
			timestamp: self.timestamp,
			mix_hash: B256::repeat_byte(0x42),
			base_fee_per_gas: Some(1_000_000_000),
			withdrawals_root: Some(EMPTY_ROOT_HASH),
			blob_gas_used: Some(0),
			excess_blob_gas: Some(0),
			parent_beacon_block_root: Some(B256::repeat_byte(0x0b)),
			..Default::default()
		};
		self.parent_hash = header.hash_slow();
		self.number += 1;
		self.timestamp += 12;
		self.cumulative_gas = 0;
		SealedBlock { header, receipts, trie }
	}

	/// An account's balance of an ERC-20 (a read-only call; no receipt).
	pub fn view(&mut self, to: Address, calldata: Vec<u8>) -> Bytes {
		use revm::ExecuteEvm;
		let tx = TxEnv::builder()
			.caller(Address::ZERO)
			.kind(TxKind::Call(to))
			.data(Bytes::from(calldata))
			.gas_limit(10_000_000)
			.build()
			.expect("valid transaction");
		let result = self.evm.transact(tx).expect("the EVM runs");
		result.result.output().cloned().unwrap_or_default()
	}
}

/// A U256 from whole tokens of 18 decimals.
pub fn ether(whole: u64) -> U256 {
	U256::from(whole) * U256::from(10u64).pow(U256::from(18u64))
}
