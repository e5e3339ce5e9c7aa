//! The simulated beacon chain: one block per slot over anvil's blocks, a Deneb `BeaconState`
//! advanced by the consensus specs' rules that matter to a light client and to Ballast's proofs,
//! and what the beacon API serves, kept for a bounded window.
//!
//! Per slot `s` (no slot is ever empty):
//! - `process_slot`: the previous state's root into `state_roots`, the previous block's root into
//!   `block_roots` (and into the parked header's `state_root`);
//! - at an epoch boundary, `process_epoch` of the epoch that ends: full participation is assumed,
//!   so `current_justified_checkpoint` becomes the epoch that just ended and
//!   `finalized_checkpoint` the one before (two epochs behind the new current epoch, as on
//!   Ethereum), checkpoint roots being the block roots at the epochs' first slots; effective
//!   balances, the slashings and RANDAO vectors, and historical summaries are updated as specified;
//! - the block: anvil mines one block at `genesis_time + s · seconds_per_slot`, which becomes the
//!   execution payload; the body carries the sync committee's aggregate signature (all 512 seats)
//!   over the previous block root, with the domain of the previous slot's epoch; pending
//!   slashings are applied; the state root goes into the block header.
//!
//! The first slot's block is the anchor ("genesis" of the simulation): its state's checkpoints
//! are zero, like a genesis state's, and its sync aggregate is empty. Finality starts two epochs
//! later. Attestations, deposits and withdrawals are not simulated: bodies hold none, balances
//! change only by slashing and [`Chain::set_balance`].

use crate::sha256 as sha2_256;
use crate::{
	execution::{ExecutionClient, ExecutionError},
	hex,
	keys::{self, Committee, ValidatorKeys, SYNC_COMMITTEE_SIZE},
	network::{Network, DOMAIN_BEACON_PROPOSER, DOMAIN_SYNC_COMMITTEE},
};
use ballast_ethereum_proofs::{
	consensus::{
		EPOCHS_PER_SLASHINGS_VECTOR, EPOCHS_PER_SYNC_COMMITTEE_PERIOD, FAR_FUTURE_EPOCH,
		SLOTS_PER_EPOCH, SLOTS_PER_HISTORICAL_ROOT, SLOTS_PER_SYNC_COMMITTEE_PERIOD,
	},
	fork::Fork,
	BeaconBlockHeader, Root,
};
use ballast_ethereum_prover::{
	block_types::{BeaconBlockBodyDeneb, ExecutionPayload},
	types::{self, BeaconStateDeneb},
};
use serde_json::{json, Value};
use ssz::Encode;
use ssz_types::{BitVector, FixedVector, VariableList};
use std::{
	collections::{BTreeMap, BTreeSet, HashMap},
	sync::Arc,
};
use tree_hash::{Hash256, TreeHash};

/// Length of `randao_mixes` (`EPOCHS_PER_HISTORICAL_VECTOR`).
const EPOCHS_PER_HISTORICAL_VECTOR: u64 = 65_536;
/// `MAX_EFFECTIVE_BALANCE` (Deneb), Gwei.
pub const MAX_EFFECTIVE_BALANCE: u64 = 32_000_000_000;
/// `EFFECTIVE_BALANCE_INCREMENT`, Gwei.
const EFFECTIVE_BALANCE_INCREMENT: u64 = 1_000_000_000;
/// `MIN_SLASHING_PENALTY_QUOTIENT_BELLATRIX`: Deneb's initial slashing penalty is 1/32 of the
/// effective balance.
pub const MIN_SLASHING_PENALTY_QUOTIENT_DENEB: u64 = 32;
/// `WHISTLEBLOWER_REWARD_QUOTIENT`.
const WHISTLEBLOWER_REWARD_QUOTIENT: u64 = 512;
/// `MAX_SEED_LOOKAHEAD`: an exit is queued at least this many epochs after the next one.
const MAX_SEED_LOOKAHEAD: u64 = 4;
/// `MIN_VALIDATOR_WITHDRAWABILITY_DELAY`, epochs.
const MIN_VALIDATOR_WITHDRAWABILITY_DELAY: u64 = 256;
/// `MIN_PER_EPOCH_CHURN_LIMIT`.
const MIN_PER_EPOCH_CHURN_LIMIT: usize = 4;
/// `DOMAIN_RANDAO`.
const DOMAIN_RANDAO: [u8; 4] = [2, 0, 0, 0];
/// Slots whose state is always kept (the head and the blocks the light client signs over).
const RECENT_STATES: u64 = 16;
/// Sync-committee periods whose best light-client update (and its two states) is kept.
const KEPT_PERIODS: u64 = 4;
/// The default first slot: the first slot of Sepolia's sync-committee period 576 (Deneb).
pub const DEFAULT_FIRST_SLOT: u64 = 576 * SLOTS_PER_SYNC_COMMITTEE_PERIOD;

/// How the chain is set up.
#[derive(Clone, Debug)]
pub struct Config {
	/// Validators (all active, 32 ETH each); they fill the 512 sync-committee seats in turn.
	pub validators: usize,
	/// Withdrawal credentials given to the first validators, in order: `(credentials, count)`.
	/// Everyone else has BLS (`0x00`) credentials.
	pub credentials: Vec<([u8; 32], usize)>,
	/// Fork versions and genesis validators root.
	pub network: Network,
	/// The first slot (an epoch's first slot, in Deneb by `network`'s schedule).
	pub first_slot: u64,
	/// Seconds per slot (the execution blocks' timestamps are `seconds_per_slot` apart).
	pub seconds_per_slot: u64,
	/// Unix time of the first slot; `None`: now, or just after the execution head if that is
	/// later.
	pub start_time: Option<u64>,
	/// Epochs whose first slot's state is kept (the finalized and justified checkpoints' states
	/// among them): a client proving at a finalized header must fetch its state within this
	/// many epochs.
	pub kept_epochs: u64,
}

impl Default for Config {
	/// 64 validators with BLS credentials, Sepolia's network, from [`DEFAULT_FIRST_SLOT`], 1 s
	/// slots starting now, the states of the last 16 epochs' first slots kept.
	fn default() -> Self {
		Config {
			validators: 64,
			credentials: Vec::new(),
			network: Network::sepolia(),
			first_slot: DEFAULT_FIRST_SLOT,
			seconds_per_slot: 1,
			start_time: None,
			kept_epochs: 16,
		}
	}
}

/// Why the chain cannot be built or advanced.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
	/// The execution node failed.
	#[error(transparent)]
	Execution(#[from] ExecutionError),
	/// The configuration cannot make a chain.
	#[error("invalid configuration: {0}")]
	Config(String),
	/// The slot is not in Deneb by the network's schedule (the only state layout simulated).
	#[error("slot {0} is not in Deneb by the network's fork schedule")]
	NotDeneb(u64),
	/// No such validator.
	#[error("no validator {0}")]
	UnknownValidator(u64),
	/// The validator is already slashed (or about to be).
	#[error("validator {0} is already slashed")]
	AlreadySlashed(u64),
	/// A block built here does not parse as a Deneb block: a bug.
	#[error("built an invalid block: {0}")]
	InvalidBlock(String),
}

/// A checkpoint: `(epoch, block root)`.
pub type Checkpoint = (u64, Root);

/// What is kept of every slot's block, for as long as the chain runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SlotRecord {
	/// The block header, its `state_root` filled.
	pub header: BeaconBlockHeader,
	/// The block root.
	pub root: Root,
	/// The post-state's `finalized_checkpoint`.
	pub finalized: Checkpoint,
	/// The post-state's `current_justified_checkpoint`.
	pub current_justified: Checkpoint,
	/// The post-state's `previous_justified_checkpoint`.
	pub previous_justified: Checkpoint,
}

/// `0x01`/`0x02` withdrawal credentials paying to `address` (`prefix` 1 or 2).
pub fn execution_credentials(prefix: u8, address: [u8; 20]) -> [u8; 32] {
	let mut credentials = [0u8; 32];
	credentials[0] = prefix;
	credentials[12..].copy_from_slice(&address);
	credentials
}

/// `0x00` (BLS) withdrawal credentials of `pubkey`: `0x00 ‖ sha256(pubkey)[1..]`.
pub fn bls_credentials(pubkey: &[u8; 48]) -> [u8; 32] {
	let mut credentials = sha2_256(pubkey);
	credentials[0] = 0;
	credentials
}

fn h256(root: Root) -> Hash256 {
	Hash256::from(root.0)
}

fn root(hash: Hash256) -> Root {
	Root::from(hash.0)
}

fn checkpoint(c: &types::Checkpoint) -> Checkpoint {
	(c.epoch, root(c.root))
}

/// Header JSON in the beacon API's conventions.
pub fn header_json(header: &BeaconBlockHeader) -> Value {
	json!({
		"slot": header.slot.to_string(),
		"proposer_index": header.proposer_index.to_string(),
		"parent_root": hex(header.parent_root),
		"state_root": hex(header.state_root),
		"body_root": hex(header.body_root),
	})
}

/// The compressed point at infinity: the aggregate signature of nobody.
fn infinity_signature() -> [u8; 96] {
	let mut signature = [0u8; 96];
	signature[0] = 0xc0;
	signature
}

fn pubkey_bytes(key: &[u8; 48]) -> types::PublicKeyBytes {
	FixedVector::new(key.to_vec()).expect("48 bytes")
}

/// The simulated beacon chain (advanced by its owner: see `BeaconSim` for a clock and an API).
pub struct Chain {
	config: Config,
	execution: ExecutionClient,
	keys: ValidatorKeys,
	committee: Committee,
	genesis_time: u64,
	/// The head block's post-state.
	state: BeaconStateDeneb,
	records: BTreeMap<u64, SlotRecord>,
	slot_by_root: HashMap<Root, u64>,
	/// Blocks of the last `SLOTS_PER_HISTORICAL_ROOT` slots (beacon API JSON).
	blocks: BTreeMap<u64, Arc<Value>>,
	/// SSZ post-states of the slots kept (see `prune`).
	states: BTreeMap<u64, Arc<Vec<u8>>>,
	/// Per sync-committee period, the attested slot of its best update: the latest whose
	/// signature is in the same period and whose state has finalized something.
	period_updates: BTreeMap<u64, u64>,
	/// Validators to slash in the next block.
	pending_slashings: Vec<u64>,
}

impl Chain {
	/// Starts the chain over the execution node at `execution_url`: takes over its mining and
	/// builds the first slot's block from a freshly mined execution block.
	pub fn new(config: Config, execution_url: &str) -> Result<Self, SimError> {
		let invalid = |message: &str| Err(SimError::Config(message.into()));
		if config.validators == 0 {
			return invalid("at least one validator is needed");
		}
		if config.seconds_per_slot == 0 {
			return invalid("seconds per slot must be positive");
		}
		if !config.first_slot.is_multiple_of(SLOTS_PER_EPOCH) {
			return invalid("the first slot must be an epoch's first slot");
		}
		if config.credentials.iter().map(|(_, count)| count).sum::<usize>() > config.validators {
			return invalid("more validators with chosen credentials than validators");
		}
		if config.network.forks.fork_at_slot(config.first_slot) != Ok(Fork::Deneb) {
			return Err(SimError::NotDeneb(config.first_slot));
		}
		let execution = ExecutionClient::new(execution_url);
		execution.take_over_mining()?;
		let head_time = crate::execution::quantity(
			&execution.latest_block()?["timestamp"],
			"latest block timestamp",
		)?;
		let now = std::time::SystemTime::now()
			.duration_since(std::time::UNIX_EPOCH)
			.map(|d| d.as_secs())
			.unwrap_or(0);
		let start = config.start_time.unwrap_or(now).max(head_time + 1);
		let genesis_time = start
			.checked_sub(config.first_slot * config.seconds_per_slot)
			.ok_or_else(|| SimError::Config("the first slot would be before 1970".into()))?;
		let keys = ValidatorKeys::new(config.validators);
		let committee = Committee::new(&keys);
		let state = genesis_state(&config, &keys, &committee, genesis_time);
		let mut chain = Chain {
			config,
			execution,
			keys,
			committee,
			genesis_time,
			state,
			records: BTreeMap::new(),
			slot_by_root: HashMap::new(),
			blocks: BTreeMap::new(),
			states: BTreeMap::new(),
			period_updates: BTreeMap::new(),
			pending_slashings: Vec::new(),
		};
		let first = chain.config.first_slot;
		let empty_aggregate = (vec![0u8; SYNC_COMMITTEE_SIZE / 8], infinity_signature());
		chain.apply_block(first, Root::zero(), empty_aggregate)?;
		Ok(chain)
	}

	/// The configuration.
	pub fn config(&self) -> &Config {
		&self.config
	}

	/// The network simulated.
	pub fn network(&self) -> &Network {
		&self.config.network
	}

	/// The validators' keys (test keys: see `keys`).
	pub fn keys(&self) -> &ValidatorKeys {
		&self.keys
	}

	/// The sync committee (the same in every period).
	pub fn committee(&self) -> &Committee {
		&self.committee
	}

	/// Unix time of slot 0 (the beacon API's `genesis_time`).
	pub fn genesis_time(&self) -> u64 {
		self.genesis_time
	}

	/// Unix time of `slot`.
	pub fn slot_time(&self, slot: u64) -> u64 {
		self.genesis_time + slot * self.config.seconds_per_slot
	}

	/// The slot at unix time `time`.
	pub fn slot_at(&self, time: u64) -> u64 {
		time.saturating_sub(self.genesis_time) / self.config.seconds_per_slot
	}

	/// The head block's post-state.
	pub fn state(&self) -> &BeaconStateDeneb {
		&self.state
	}

	/// The head block.
	pub fn head(&self) -> &SlotRecord {
		self.records.values().next_back().expect("the first slot's block is built at start")
	}

	/// The first slot's block.
	pub fn anchor(&self) -> &SlotRecord {
		self.records.values().next().expect("the first slot's block is built at start")
	}

	/// The block at `slot`.
	pub fn record(&self, slot: u64) -> Option<&SlotRecord> {
		self.records.get(&slot)
	}

	/// The block whose root is `root`.
	pub fn record_by_root(&self, root: Root) -> Option<&SlotRecord> {
		self.slot_by_root.get(&root).and_then(|slot| self.records.get(slot))
	}

	/// The block whose post-state root is `state_root` (among those whose state is kept).
	pub fn record_by_state_root(&self, state_root: Root) -> Option<&SlotRecord> {
		self.states
			.keys()
			.filter_map(|slot| self.records.get(slot))
			.find(|record| record.header.state_root == state_root)
	}

	/// The head state's finalized block: the anchor until something is finalized.
	pub fn finalized(&self) -> &SlotRecord {
		let (_, root) = self.head().finalized;
		self.record_by_root(root).unwrap_or_else(|| self.anchor())
	}

	/// The block at `slot` as `/eth/v2/beacon/blocks/{slot}` serves it (the last 8,192 slots).
	pub fn block_json(&self, slot: u64) -> Option<Arc<Value>> {
		self.blocks.get(&slot).cloned()
	}

	/// The post-state at `slot`, SSZ, if it is kept: the last 16 slots', the first slots of the
	/// last `Config::kept_epochs` epochs, and those the kept light-client updates are built from.
	pub fn state_ssz(&self, slot: u64) -> Option<Arc<Vec<u8>>> {
		self.states.get(&slot).cloned()
	}

	/// The slots whose state is kept.
	pub fn kept_state_slots(&self) -> Vec<u64> {
		self.states.keys().copied().collect()
	}

	/// The attested slot of the kept best light-client update of `period`.
	pub fn period_update_slot(&self, period: u64) -> Option<u64> {
		self.period_updates.get(&period).copied()
	}

	/// Slashes validator `index` in the next block (as if that block carried the slashing).
	pub fn slash(&mut self, index: u64) -> Result<(), SimError> {
		let validator =
			self.state.validators.get(index as usize).ok_or(SimError::UnknownValidator(index))?;
		if validator.slashed || self.pending_slashings.contains(&index) {
			return Err(SimError::AlreadySlashed(index));
		}
		self.pending_slashings.push(index);
		Ok(())
	}

	/// Sets validator `index`'s balance (Gwei) from the next block on, as rewards or penalties
	/// would (its effective balance follows at the next epoch boundary, with hysteresis).
	pub fn set_balance(&mut self, index: u64, gwei: u64) -> Result<(), SimError> {
		let balance =
			self.state.balances.get_mut(index as usize).ok_or(SimError::UnknownValidator(index))?;
		*balance = gwei;
		Ok(())
	}

	/// Builds the blocks of the next `slots` slots.
	pub fn advance(&mut self, slots: u64) -> Result<(), SimError> {
		for _ in 0..slots {
			let head = self.head().clone();
			let slot = head.header.slot + 1;
			if self.config.network.forks.fork_at_slot(slot) != Ok(Fork::Deneb) {
				return Err(SimError::NotDeneb(slot));
			}
			self.process_slot(&head);
			if slot.is_multiple_of(SLOTS_PER_EPOCH) {
				self.process_epoch(slot / SLOTS_PER_EPOCH - 1);
			}
			self.state.slot = slot;
			// The committee signs the previous block, with the domain of the previous slot.
			let domain =
				self.config.network.domain(DOMAIN_SYNC_COMMITTEE, (slot - 1) / SLOTS_PER_EPOCH);
			let signing_root = Network::signing_root(&head.root.0, &domain);
			let aggregate =
				(vec![0xff; SYNC_COMMITTEE_SIZE / 8], self.committee.sign(&signing_root));
			self.apply_block(slot, head.root, aggregate)?;
		}
		Ok(())
	}

	fn process_slot(&mut self, head: &SlotRecord) {
		let index = (head.header.slot % SLOTS_PER_HISTORICAL_ROOT) as usize;
		self.state.state_roots[index] = h256(head.header.state_root);
		if self.state.latest_block_header.state_root == Hash256::ZERO {
			self.state.latest_block_header.state_root = h256(head.header.state_root);
		}
		self.state.block_roots[index] = h256(head.root);
	}

	fn block_root_at(&self, slot: u64) -> Root {
		root(self.state.block_roots[(slot % SLOTS_PER_HISTORICAL_ROOT) as usize])
	}

	/// End of `epoch`: the state is at its last slot, `process_slot` done.
	fn process_epoch(&mut self, epoch: u64) {
		let first_epoch = self.config.first_slot / SLOTS_PER_EPOCH;
		let next = epoch + 1;
		// Full participation: the epoch ending is justified, and the one before finalized.
		if epoch > first_epoch {
			let previous = types::Checkpoint {
				epoch: epoch - 1,
				root: h256(self.block_root_at((epoch - 1) * SLOTS_PER_EPOCH)),
			};
			let current = types::Checkpoint {
				epoch,
				root: h256(self.block_root_at(epoch * SLOTS_PER_EPOCH)),
			};
			let state = &mut self.state;
			state.previous_justified_checkpoint = previous.clone();
			state.current_justified_checkpoint = current;
			state.finalized_checkpoint = previous;
			for bit in 0..4 {
				state.justification_bits.set(bit, true).expect("4 justification bits");
			}
		}
		let state = &mut self.state;
		for (validator, balance) in state.validators.iter_mut().zip(state.balances.iter()) {
			// Hysteresis: 1/4 of an increment down, 5/4 up.
			let quarter = EFFECTIVE_BALANCE_INCREMENT / 4;
			if balance + quarter < validator.effective_balance
				|| validator.effective_balance + 5 * quarter < *balance
			{
				validator.effective_balance =
					(balance - balance % EFFECTIVE_BALANCE_INCREMENT).min(MAX_EFFECTIVE_BALANCE);
			}
		}
		state.slashings[(next % EPOCHS_PER_SLASHINGS_VECTOR) as usize] = 0;
		state.randao_mixes[(next % EPOCHS_PER_HISTORICAL_VECTOR) as usize] =
			state.randao_mixes[(epoch % EPOCHS_PER_HISTORICAL_VECTOR) as usize];
		if next.is_multiple_of(SLOTS_PER_HISTORICAL_ROOT / SLOTS_PER_EPOCH) {
			let summary = types::HistoricalSummary {
				block_summary_root: state.block_roots.tree_hash_root(),
				state_summary_root: state.state_roots.tree_hash_root(),
			};
			state.historical_summaries.push(summary).expect("2^24 summaries");
		}
		if next.is_multiple_of(EPOCHS_PER_SYNC_COMMITTEE_PERIOD) {
			// The committee never changes: next becomes current, and next stays.
			state.current_sync_committee = state.next_sync_committee.clone();
		}
	}

	fn apply_slashing(&mut self, index: u64, whistleblower: u64) {
		let epoch = self.state.slot / SLOTS_PER_EPOCH;
		let state = &mut self.state;
		let validators = &mut state.validators;
		let i = index as usize;
		if validators[i].exit_epoch == FAR_FUTURE_EPOCH {
			let mut exit_epoch = validators
				.iter()
				.map(|v| v.exit_epoch)
				.filter(|e| *e != FAR_FUTURE_EPOCH)
				.chain([epoch + 1 + MAX_SEED_LOOKAHEAD])
				.max()
				.unwrap_or(FAR_FUTURE_EPOCH);
			let churn = validators.len() / 65_536;
			if validators.iter().filter(|v| v.exit_epoch == exit_epoch).count()
				>= churn.max(MIN_PER_EPOCH_CHURN_LIMIT)
			{
				exit_epoch += 1;
			}
			validators[i].exit_epoch = exit_epoch;
			validators[i].withdrawable_epoch = exit_epoch + MIN_VALIDATOR_WITHDRAWABILITY_DELAY;
		}
		let validator = &mut validators[i];
		validator.slashed = true;
		validator.withdrawable_epoch =
			validator.withdrawable_epoch.max(epoch + EPOCHS_PER_SLASHINGS_VECTOR);
		let effective = validator.effective_balance;
		state.slashings[(epoch % EPOCHS_PER_SLASHINGS_VECTOR) as usize] += effective;
		let balance = &mut state.balances[i];
		*balance = balance.saturating_sub(effective / MIN_SLASHING_PENALTY_QUOTIENT_DENEB);
		// The proposer is the whistleblower: it gets the whole reward.
		state.balances[whistleblower as usize] += effective / WHISTLEBLOWER_REWARD_QUOTIENT;
	}

	/// Mines the execution block of `slot` and builds the beacon block over it (the state is
	/// at `slot`, its slot and epoch processing done).
	fn apply_block(
		&mut self,
		slot: u64,
		parent_root: Root,
		(bits, aggregate_signature): (Vec<u8>, [u8; 96]),
	) -> Result<(), SimError> {
		let validators = self.keys.len() as u64;
		let proposer = slot % validators;
		let epoch = slot / SLOTS_PER_EPOCH;
		let payload = self.execution.mine_payload(self.slot_time(slot))?;
		for index in std::mem::take(&mut self.pending_slashings) {
			self.apply_slashing(index, proposer);
		}
		let network = self.config.network;
		let secret = self.keys.secret(proposer as usize);
		let randao_root =
			Network::signing_root(&epoch.tree_hash_root().0, &network.domain(DOMAIN_RANDAO, epoch));
		let randao_reveal = keys::sign(secret, &randao_root);
		let mut graffiti = [0u8; 32];
		graffiti[..18].copy_from_slice(b"ballast-beacon-sim");
		let body = json!({
			"randao_reveal": hex(randao_reveal),
			"eth1_data": {
				"deposit_root": hex(self.state.eth1_data.deposit_root),
				"deposit_count": self.state.eth1_data.deposit_count.to_string(),
				"block_hash": hex(self.state.eth1_data.block_hash),
			},
			"graffiti": hex(graffiti),
			"proposer_slashings": [],
			"attester_slashings": [],
			"attestations": [],
			"deposits": [],
			"voluntary_exits": [],
			"sync_aggregate": {
				"sync_committee_bits": hex(&bits),
				"sync_committee_signature": hex(aggregate_signature),
			},
			"execution_payload": payload,
			"bls_to_execution_changes": [],
			"blob_kzg_commitments": [],
		});
		let typed: BeaconBlockBodyDeneb = serde_json::from_value(body.clone())
			.map_err(|e| SimError::InvalidBlock(e.to_string()))?;
		let state = &mut self.state;
		let mix = (epoch % EPOCHS_PER_HISTORICAL_VECTOR) as usize;
		let reveal_hash = sha2_256(&randao_reveal);
		let mut mixed = state.randao_mixes[mix].0;
		mixed.iter_mut().zip(reveal_hash).for_each(|(byte, other)| *byte ^= other);
		state.randao_mixes[mix] = Hash256::from(mixed);
		state.latest_execution_payload_header = payload_header(&typed.execution_payload);
		state.latest_block_header = types::BeaconBlockHeader {
			slot,
			proposer_index: proposer,
			parent_root: h256(parent_root),
			state_root: Hash256::ZERO,
			body_root: typed.tree_hash_root(),
		};
		let state_root = root(state.tree_hash_root());
		let header = BeaconBlockHeader {
			slot,
			proposer_index: proposer,
			parent_root,
			state_root,
			body_root: root(typed.tree_hash_root()),
		};
		let block_root = header.hash_tree_root();
		let proposal_root =
			Network::signing_root(&block_root.0, &network.domain(DOMAIN_BEACON_PROPOSER, epoch));
		let block = json!({
			"version": "deneb",
			"execution_optimistic": false,
			"finalized": false,
			"data": {
				"message": {
					"slot": slot.to_string(),
					"proposer_index": proposer.to_string(),
					"parent_root": hex(parent_root),
					"state_root": hex(state_root),
					"body": body,
				},
				"signature": hex(keys::sign(secret, &proposal_root)),
			},
		});
		let record = SlotRecord {
			header,
			root: block_root,
			finalized: checkpoint(&state.finalized_checkpoint),
			current_justified: checkpoint(&state.current_justified_checkpoint),
			previous_justified: checkpoint(&state.previous_justified_checkpoint),
		};
		self.states.insert(slot, Arc::new(self.state.as_ssz_bytes()));
		self.blocks.insert(slot, Arc::new(block));
		self.slot_by_root.insert(block_root, slot);
		self.records.insert(slot, record);
		self.note_period_update(slot);
		self.prune(slot);
		Ok(())
	}

	/// Makes the block before `signature_slot` its period's best update when it qualifies.
	fn note_period_update(&mut self, signature_slot: u64) {
		let Some(attested) = signature_slot.checked_sub(1) else { return };
		let Some(record) = self.records.get(&attested) else { return };
		let period = signature_slot / SLOTS_PER_SYNC_COMMITTEE_PERIOD;
		if attested / SLOTS_PER_SYNC_COMMITTEE_PERIOD == period && !record.finalized.1.is_zero() {
			self.period_updates.insert(period, attested);
		}
		self.period_updates.retain(|p, _| p + KEPT_PERIODS > period);
	}

	fn prune(&mut self, head: u64) {
		self.blocks.retain(|slot, _| slot + SLOTS_PER_HISTORICAL_ROOT > head);
		let mut pinned = BTreeSet::new();
		for attested in self.period_updates.values() {
			pinned.insert(*attested);
			if let Some(finalized) =
				self.records.get(attested).and_then(|r| self.slot_by_root.get(&r.finalized.1))
			{
				pinned.insert(*finalized);
			}
		}
		self.states.retain(|slot, _| {
			slot + RECENT_STATES > head
				|| (slot % SLOTS_PER_EPOCH == 0
					&& slot + self.config.kept_epochs * SLOTS_PER_EPOCH > head)
				|| pinned.contains(slot)
		});
	}
}

/// The state's header of an execution payload.
pub fn payload_header(payload: &ExecutionPayload) -> types::ExecutionPayloadHeader {
	types::ExecutionPayloadHeader {
		parent_hash: payload.parent_hash,
		fee_recipient: payload.fee_recipient,
		state_root: payload.state_root,
		receipts_root: payload.receipts_root,
		logs_bloom: payload.logs_bloom.clone(),
		prev_randao: payload.prev_randao,
		block_number: payload.block_number,
		gas_limit: payload.gas_limit,
		gas_used: payload.gas_used,
		timestamp: payload.timestamp,
		extra_data: payload.extra_data.clone(),
		base_fee_per_gas: payload.base_fee_per_gas,
		block_hash: payload.block_hash,
		transactions_root: payload.transactions.tree_hash_root(),
		withdrawals_root: payload.withdrawals.tree_hash_root(),
		blob_gas_used: payload.blob_gas_used,
		excess_blob_gas: payload.excess_blob_gas,
	}
}

fn sync_committee(committee: &Committee) -> types::SyncCommittee {
	types::SyncCommittee {
		pubkeys: FixedVector::new(committee.pubkeys.iter().map(pubkey_bytes).collect())
			.expect("512 seats"),
		aggregate_pubkey: pubkey_bytes(&committee.aggregate_pubkey),
	}
}

/// The state before the first slot's block: every validator active since epoch 0, 32 ETH,
/// zero checkpoints; the block fields are filled by the first block.
fn genesis_state(
	config: &Config,
	keys: &ValidatorKeys,
	committee: &Committee,
	genesis_time: u64,
) -> BeaconStateDeneb {
	let count = keys.len();
	let chosen: Vec<[u8; 32]> = config
		.credentials
		.iter()
		.flat_map(|(credentials, n)| std::iter::repeat_n(*credentials, *n))
		.collect();
	let validators: Vec<types::Validator> = (0..count)
		.map(|i| types::Validator {
			pubkey: pubkey_bytes(&keys.public(i)),
			withdrawal_credentials: Hash256::from(
				chosen.get(i).copied().unwrap_or_else(|| bls_credentials(&keys.public(i))),
			),
			effective_balance: MAX_EFFECTIVE_BALANCE,
			slashed: false,
			activation_eligibility_epoch: 0,
			activation_epoch: 0,
			exit_epoch: FAR_FUTURE_EPOCH,
			withdrawable_epoch: FAR_FUTURE_EPOCH,
		})
		.collect();
	let forks = &config.network.forks;
	let zero_checkpoint = || types::Checkpoint { epoch: 0, root: Hash256::ZERO };
	let epoch = config.first_slot / SLOTS_PER_EPOCH;
	let zero_header = types::BeaconBlockHeader {
		slot: 0,
		proposer_index: 0,
		parent_root: Hash256::ZERO,
		state_root: Hash256::ZERO,
		body_root: Hash256::ZERO,
	};
	BeaconStateDeneb {
		genesis_time,
		genesis_validators_root: Hash256::from(config.network.genesis_validators_root),
		slot: config.first_slot,
		fork: types::Fork {
			previous_version: forks.capella.version,
			current_version: forks.deneb.version,
			epoch: forks.deneb.epoch,
		},
		latest_block_header: zero_header,
		block_roots: FixedVector::default(),
		state_roots: FixedVector::default(),
		historical_roots: VariableList::default(),
		eth1_data: types::Eth1Data {
			deposit_root: Hash256::ZERO,
			deposit_count: count as u64,
			block_hash: Hash256::ZERO,
		},
		eth1_data_votes: VariableList::default(),
		eth1_deposit_index: count as u64,
		balances: VariableList::new(vec![MAX_EFFECTIVE_BALANCE; count]).expect("under 2^40"),
		validators: VariableList::new(validators).expect("under 2^40"),
		randao_mixes: FixedVector::default(),
		slashings: FixedVector::default(),
		// Every flag set: the simulation assumes full participation.
		previous_epoch_participation: VariableList::new(vec![0b111; count]).expect("under 2^40"),
		current_epoch_participation: VariableList::new(vec![0b111; count]).expect("under 2^40"),
		justification_bits: BitVector::new(),
		previous_justified_checkpoint: types::Checkpoint { epoch, ..zero_checkpoint() },
		current_justified_checkpoint: types::Checkpoint { epoch, ..zero_checkpoint() },
		finalized_checkpoint: types::Checkpoint { epoch, ..zero_checkpoint() },
		inactivity_scores: VariableList::new(vec![0; count]).expect("under 2^40"),
		current_sync_committee: sync_committee(committee),
		next_sync_committee: sync_committee(committee),
		latest_execution_payload_header: payload_header(&empty_payload()),
		next_withdrawal_index: 0,
		next_withdrawal_validator_index: 0,
		historical_summaries: VariableList::default(),
	}
}

fn empty_payload() -> ExecutionPayload {
	ExecutionPayload {
		parent_hash: Hash256::ZERO,
		fee_recipient: Default::default(),
		state_root: Hash256::ZERO,
		receipts_root: Hash256::ZERO,
		logs_bloom: FixedVector::default(),
		prev_randao: Hash256::ZERO,
		block_number: 0,
		gas_limit: 0,
		gas_used: 0,
		timestamp: 0,
		extra_data: VariableList::default(),
		base_fee_per_gas: Default::default(),
		block_hash: Hash256::ZERO,
		transactions: VariableList::default(),
		withdrawals: VariableList::default(),
		blob_gas_used: 0,
		excess_blob_gas: 0,
	}
}
