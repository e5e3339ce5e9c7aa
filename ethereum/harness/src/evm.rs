//! The simulated Ethereum: contracts from `ethereum/artifacts`, executed by revm, receipts per
//! block.

use alloy_consensus::{
	proofs::ordered_trie_root_with_encoder, Eip658Value, Header, Receipt, ReceiptEnvelope,
	ReceiptWithBloom, EMPTY_ROOT_HASH,
};
use alloy_primitives::{keccak256, Address, Bloom, Bytes, Log, TxKind, B256, U256};
use alloy_sol_types::{SolCall, SolError};
use ballast_ethereum_prover::execution::ReceiptsTrie;
use revm::{
	context::{Context, TxEnv},
	database::{CacheDB, EmptyDB},
	database_interface::DatabaseRef,
	handler::{MainBuilder, MainContext, MainnetContext, MainnetEvm},
	ExecuteCommitEvm,
};

/// Every compiled contract in `ethereum/artifacts`, by name.
macro_rules! artifacts {
	($($name:literal),* $(,)?) => {
		/// The names of the artifacts the harness carries.
		pub const ARTIFACTS: &[&str] = &[$($name),*];

		/// A compiled contract (`ethereum/artifacts/<name>.json`).
		pub fn artifact(name: &str) -> serde_json::Value {
			let text = match name {
				$($name => include_str!(concat!("../../artifacts/", $name, ".json")),)*
				other => panic!("no artifact {other}"),
			};
			serde_json::from_str(text).expect("artifacts are JSON")
		}
	};
}

artifacts![
	"BallastGateway",
	"RenzoBackingSource",
	"KelpBackingSource",
	"EtherFiBackingSource",
	"SwellBackingSource",
	"MockLrt",
	"MockBackingSource",
	"MockAllocationManager",
	"MockFlashReporter",
	"MockWeth9",
	"MockFeeToken",
	"MockHookToken",
	"MockDelegationManager",
	"MockStrategy",
	"MockRestakeManager",
	"MockRenzoRateProvider",
	"MockKelpConfig",
	"MockKelpDepositPool",
	"MockKelpOracle",
	"MockEEth",
	"MockEtherFiLiquidityPool",
	"MockWeEth",
	"MockRswEth",
	"MockSwellAccessControlManager",
	"MockSwellEigenLayerManager",
];

/// The size of a contract's deployed code, in bytes.
pub fn deployed_size(name: &str) -> usize {
	let artifact = artifact(name);
	let hex = artifact["deployedBytecode"].as_str().expect("deployedBytecode");
	(hex.len() - 2) / 2
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
	/// The gas it used (intrinsic gas, calldata and execution, after refunds).
	pub gas_used: u64,
}

impl TxResult {
	/// Whether the transaction reverted with the custom error `E` (by its selector).
	pub fn reverted_with<E: SolError>(&self) -> bool {
		!self.success && is_error::<E>(&self.output)
	}
}

/// Whether revert data is the custom error `E` (by its selector).
pub fn is_error<E: SolError>(revert: &[u8]) -> bool {
	revert.len() >= 4 && revert[..4] == E::SELECTOR
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

/// Unix time of the first block of an [`Ethereum`] (mid-June 2025) unless
/// [`start_clocks_at`] says otherwise: the recorded fixtures were built at it.
pub const DEFAULT_START_TIME: u64 = 1_750_000_000;

static START_TIME: std::sync::atomic::AtomicU64 =
	std::sync::atomic::AtomicU64::new(DEFAULT_START_TIME);

/// Starts the clock of every [`Ethereum`] made from now on at `timestamp` (unix seconds). The
/// examples that feed a live dev chain start it just before the chain's own time, so its
/// snapshots are fresh and its events young enough to be accepted.
pub fn start_clocks_at(timestamp: u64) {
	START_TIME.store(timestamp, std::sync::atomic::Ordering::Relaxed);
}

/// An hour before the machine's clock: the start an example feeding a live chain wants.
pub fn an_hour_ago() -> u64 {
	std::time::SystemTime::now()
		.duration_since(std::time::UNIX_EPOCH)
		.map_or(DEFAULT_START_TIME, |now| now.as_secs().saturating_sub(3600))
}

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
		let mut eth = Ethereum {
			evm,
			receipts: Vec::new(),
			calls: Vec::new(),
			cumulative_gas: 0,
			parent_hash: B256::repeat_byte(0x11),
			number: 22_000_000,
			timestamp: START_TIME.load(std::sync::atomic::Ordering::Relaxed),
		};
		eth.sync_block_env();
		eth
	}

	/// The EVM's `block.number`, `block.timestamp` and `block.prevrandao` are those of the block
	/// being built.
	fn sync_block_env(&mut self) {
		let (number, timestamp, prevrandao) = (self.number, self.timestamp, self.prevrandao());
		self.evm.ctx.modify_block(|block| {
			block.number = U256::from(number);
			block.timestamp = U256::from(timestamp);
			block.prevrandao = Some(prevrandao);
		});
	}

	/// The number of the block being built (`block.number` of the next transactions).
	pub fn block_number(&self) -> u64 {
		self.number
	}

	/// The block being built's `block.prevrandao` (its header's `mix_hash`): never zero, and
	/// different in every block (a hash of the block number), as BEEFY's random sampling needs.
	pub fn prevrandao(&self) -> B256 {
		let mut seed = b"prevrandao".to_vec();
		seed.extend_from_slice(&self.number.to_be_bytes());
		keccak256(seed)
	}

	/// The timestamp of the block being built (`block.timestamp` of the next transactions).
	pub fn timestamp(&self) -> u64 {
		self.timestamp
	}

	/// Moves the clock of the block being built forward (a later block, as far as the contracts
	/// and the next sealed header can tell).
	pub fn advance_time(&mut self, seconds: u64) {
		self.timestamp += seconds;
		self.sync_block_env();
	}

	/// Gives `who` `amount` wei more.
	pub fn fund(&mut self, who: Address, amount: U256) {
		self.evm.ctx.modify_db(|db| {
			let mut info = db.basic_ref(who).ok().flatten().unwrap_or_default();
			info.balance += amount;
			db.insert_account_info(who, info);
		});
	}

	/// Sets `who`'s code (e.g. an EIP-7702 delegation designator, `0xef0100 ‖ address`, which
	/// leaves `who` able to send transactions).
	pub fn set_code(&mut self, who: Address, code: &[u8]) {
		let code = revm::bytecode::Bytecode::new_raw(Bytes::copy_from_slice(code));
		self.evm.ctx.modify_db(|db| {
			let mut info = db.basic_ref(who).ok().flatten().unwrap_or_default();
			info.code_hash = code.hash_slow();
			info.code = Some(code);
			db.insert_account_info(who, info);
		});
	}

	/// `who`'s ETH balance in wei.
	pub fn balance(&mut self, who: Address) -> U256 {
		let mut balance = U256::ZERO;
		self.evm.ctx.modify_db(|db| {
			balance = db.basic_ref(who).ok().flatten().map(|info| info.balance).unwrap_or_default();
		});
		balance
	}

	fn execute(&mut self, from: Address, kind: TxKind, value: U256, data: Vec<u8>) -> TxResult {
		let tx = TxEnv::builder()
			.caller(from)
			.kind(kind)
			.value(value)
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
		TxResult { success, output, logs, tx_index, created, gas_used: gas }
	}

	/// Deploys artifact `name` with ABI-encoded constructor arguments.
	pub fn deploy(&mut self, from: Address, name: &str, constructor_args: &[u8]) -> Address {
		self.deploy_code(from, name, bytecode(name), constructor_args).0
	}

	/// Deploys the creation code `code` (of the contract `name`, for messages) with ABI-encoded
	/// constructor arguments: its address and the deployment's result.
	pub fn deploy_code(
		&mut self,
		from: Address,
		name: &str,
		mut code: Vec<u8>,
		constructor_args: &[u8],
	) -> (Address, TxResult) {
		code.extend_from_slice(constructor_args);
		let result = self.execute(from, TxKind::Create, U256::ZERO, code);
		assert!(result.success, "deploying {name} reverted: {:?}", result.output);
		(result.created.expect("a contract was created"), result)
	}

	/// Sends a transaction calling `to` with `calldata`.
	pub fn call(&mut self, from: Address, to: Address, calldata: Vec<u8>) -> TxResult {
		self.execute(from, TxKind::Call(to), U256::ZERO, calldata)
	}

	/// Sends a transaction calling `to` with `calldata` and `value` wei (from `from`'s balance:
	/// see [`Ethereum::fund`]).
	pub fn call_with_value(
		&mut self,
		from: Address,
		to: Address,
		value: U256,
		calldata: Vec<u8>,
	) -> TxResult {
		self.execute(from, TxKind::Call(to), value, calldata)
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
			mix_hash: self.prevrandao(),
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
		self.sync_block_env();
		SealedBlock { header, receipts, trie }
	}

	/// A read-only call (no receipt, nothing kept), from the zero address: its output (or revert
	/// data).
	pub fn view(&mut self, to: Address, calldata: Vec<u8>) -> Bytes {
		self.try_view(to, calldata).unwrap_or_else(|revert| revert)
	}

	/// A read-only call: `Ok(output)`, or `Err(revert data)` if it reverted.
	pub fn try_view(&mut self, to: Address, calldata: Vec<u8>) -> Result<Bytes, Bytes> {
		self.try_view_from(Address::ZERO, to, calldata)
	}

	/// A read-only call from `from` (a view that reads `msg.sender`): `Ok(output)`, or
	/// `Err(revert data)` if it reverted.
	pub fn try_view_from(
		&mut self,
		from: Address,
		to: Address,
		calldata: Vec<u8>,
	) -> Result<Bytes, Bytes> {
		use revm::ExecuteEvm;
		let tx = TxEnv::builder()
			.caller(from)
			.kind(TxKind::Call(to))
			.data(Bytes::from(calldata))
			.gas_limit(10_000_000)
			.build()
			.expect("valid transaction");
		let result = self.evm.transact(tx).expect("the EVM runs");
		let output = result.result.output().cloned().unwrap_or_default();
		if result.result.is_success() {
			Ok(output)
		} else {
			Err(output)
		}
	}

	/// A read-only call of a declared function, its return decoded; `Err(revert data)` if it
	/// reverted.
	pub fn read<C: SolCall>(&mut self, to: Address, call: C) -> Result<C::Return, Bytes> {
		self.read_from(Address::ZERO, to, call)
	}

	/// [`Ethereum::read`] from `from` (a view that reads `msg.sender`).
	pub fn read_from<C: SolCall>(
		&mut self,
		from: Address,
		to: Address,
		call: C,
	) -> Result<C::Return, Bytes> {
		let output = self.try_view_from(from, to, call.abi_encode())?;
		Ok(C::abi_decode_returns(&output).expect("the declared return type"))
	}
}

/// A U256 from whole tokens of 18 decimals.
pub fn ether(whole: u64) -> U256 {
	U256::from(whole) * U256::from(10u64).pow(U256::from(18u64))
}
