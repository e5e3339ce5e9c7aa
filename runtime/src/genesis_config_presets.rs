//! Genesis presets.
//!
//! The development runtime (with `pallet-sudo`, Alice's key) offers `development` (Alice alone)
//! and `local_testnet` (Alice and Bob). Every runtime offers the networks without sudo:
//! `staging` (four validators: Alice, Bob, Charlie, Dave; council Alice, Bob, Charlie; technical
//! committee Dave, Eve), following Ethereum's Sepolia testnet, `staging_mainnet` (the same,
//! following Ethereum mainnet), and `mainnet`, which names no account at all: its validators,
//! council and technical committee are given when its chain spec is generated
//! (docs/running-a-network.md). The node builds `staging`, `staging_mainnet` and `mainnet` with
//! the `production` runtime, which has no sudo pallet. Every preset but `mainnet` uses the
//! well-known development keys, so they are for development and test networks only.
//!
//! The Ethereum network (fork versions and genesis validators root) is part of genesis: the light
//! client signs-checks with those fork versions, and validator proofs anchor only while its
//! checkpoint carries that genesis validators root.

use crate::{
	configs::{
		monetary::ExistentialDeposit,
		validators::{DEFAULT_CANDIDACY_BOND, GENESIS_CANDIDATE_SEATS},
	},
	AccountId, AssetsConfig, BalancesConfig, CollatorSelectionConfig, CouncilConfig,
	GovernanceConfig, RiskConfig, Runtime, RuntimeGenesisConfig, SessionConfig, SessionKeys,
	TechnicalCommitteeConfig, ValidatorHealthConfig, ValidatorSetConfig,
};
use alloc::{vec, vec::Vec};
use ballast_ethereum_proofs::{
	fork::{MAINNET_GENESIS_VALIDATORS_ROOT, SEPOLIA_GENESIS_VALIDATORS_ROOT},
	ForkSchedule, Root,
};
use ballast_primitives::{assets::ETH, currency::BAL, Balance, BlockNumber};
use frame_support::build_struct_json_patch;
use pallet_risk::ReporterId;
use serde_json::Value;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_consensus_beefy::ecdsa_crypto::AuthorityId as BeefyId;
use sp_consensus_grandpa::AuthorityId as GrandpaId;
use sp_genesis_builder::PresetId;
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};

/// Preset with four validators, used by the staging chain spec and the zombienet network.
pub const STAGING_RUNTIME_PRESET: &str = "staging";
/// The staging validators, following Ethereum mainnet.
pub const STAGING_MAINNET_RUNTIME_PRESET: &str = "staging_mainnet";
/// A public network following Ethereum mainnet, with no account in it: its chain spec's
/// generator fills in the validators, council and technical committee.
pub const MAINNET_RUNTIME_PRESET: &str = "mainnet";

/// The Ethereum network a chain follows.
#[derive(Clone, Copy)]
pub enum EthereumNetwork {
	/// Ethereum mainnet.
	Mainnet,
	/// Sepolia, the public testnet (the development, local and `staging` presets follow it).
	Sepolia,
}

impl EthereumNetwork {
	fn forks(self) -> ForkSchedule {
		match self {
			EthereumNetwork::Mainnet => ForkSchedule::mainnet(),
			EthereumNetwork::Sepolia => ForkSchedule::sepolia(),
		}
	}

	fn genesis_validators_root(self) -> Root {
		Root::from(match self {
			EthereumNetwork::Mainnet => MAINNET_GENESIS_VALIDATORS_ROOT,
			EthereumNetwork::Sepolia => SEPOLIA_GENESIS_VALIDATORS_ROOT,
		})
	}
}

const ALICE: (Sr25519Keyring, Ed25519Keyring) = (Sr25519Keyring::Alice, Ed25519Keyring::Alice);
// Only `local_testnet`, which the production runtime does not offer, has Bob as a validator.
#[cfg_attr(feature = "production", allow(dead_code))]
const BOB: (Sr25519Keyring, Ed25519Keyring) = (Sr25519Keyring::Bob, Ed25519Keyring::Bob);
const CHARLIE: (Sr25519Keyring, Ed25519Keyring) =
	(Sr25519Keyring::Charlie, Ed25519Keyring::Charlie);
const DAVE: (Sr25519Keyring, Ed25519Keyring) = (Sr25519Keyring::Dave, Ed25519Keyring::Dave);

/// BAL given to each endowed development account.
const ENDOWMENT: Balance = 1_000_000 * BAL;

/// Smallest ETH balance an account may hold: 1 gwei (ETH has 18 decimals).
const ETH_MIN_BALANCE: Balance = 1_000_000_000;

/// A genesis validator: its account (which holds its seat) and its session keys.
struct Validator {
	account: AccountId,
	keys: SessionKeys,
}

/// How fast a chain's governance and validator set move; `None` is the runtime's default.
struct Timing {
	/// Session length, in blocks (validators join and leave at session boundaries).
	session_period: Option<BlockNumber>,
	/// Blocks a council-approved parameter change waits before it is enacted.
	parameters_delay: Option<BlockNumber>,
	/// Blocks an approved root change (runtime upgrade, checkpoint) waits.
	root_delay: Option<BlockNumber>,
}

/// Development and test networks: sessions of 10 blocks (1 minute), governance delays of 5 and
/// 10 blocks, so tests see a whole governance cycle in a minute or two.
const TEST_TIMING: Timing =
	Timing { session_period: Some(10), parameters_delay: Some(5), root_delay: Some(10) };

/// A public network: the runtime's defaults (sessions of an hour, parameter changes after two
/// days, root changes after seven).
const PRODUCTION_TIMING: Timing =
	Timing { session_period: None, parameters_delay: None, root_delay: None };

/// The genesis every preset shares, given its validators, governance and endowed accounts.
fn ballast_genesis(
	validators: Vec<Validator>,
	endowed_accounts: Vec<AccountId>,
	council: Vec<AccountId>,
	technical_committee: Vec<AccountId>,
	ethereum: EthereumNetwork,
	timing: Timing,
) -> Value {
	let pot = pallet_collator_selection::Pallet::<Runtime>::account_id();
	build_struct_json_patch!(RuntimeGenesisConfig {
		balances: BalancesConfig {
			balances: endowed_accounts
				.iter()
				.cloned()
				.map(|account| (account, ENDOWMENT))
				// The validators' pot exists from genesis, so the first fees paid into it stay.
				.chain(core::iter::once((pot, ExistentialDeposit::get())))
				.collect(),
		},
		// Aura's and GRANDPA's authorities come from the session's validators.
		session: SessionConfig {
			keys: validators
				.iter()
				.map(|validator| {
					(validator.account.clone(), validator.account.clone(), validator.keys.clone())
				})
				.collect(),
		},
		// The genesis validators are governance-approved (no bond); others join as bonded
		// candidates.
		collator_selection: CollatorSelectionConfig {
			invulnerables: validators.iter().map(|validator| validator.account.clone()).collect(),
			candidacy_bond: DEFAULT_CANDIDACY_BOND,
			desired_candidates: GENESIS_CANDIDATE_SEATS,
		},
		validator_set: ValidatorSetConfig { session_period: timing.session_period },
		council: CouncilConfig { members: council },
		technical_committee: TechnicalCommitteeConfig { members: technical_committee },
		governance: GovernanceConfig {
			parameters_delay: timing.parameters_delay,
			root_delay: timing.root_delay,
		},
		assets: AssetsConfig {
			// Bridged ETH, the asset every market lends. The bridge's keyless account holds every
			// role, so it is minted only against proven deposits once governance registers it
			// (`lrtBridge.registerEther` with the gateway's WETH); no signed account can mint, move
			// or freeze it. It is "sufficient": an account that holds only ETH exists without a
			// BAL existential deposit.
			assets: vec![(
				ETH,
				pallet_lrt_bridge::Pallet::<Runtime>::account_id(),
				true,
				ETH_MIN_BALANCE
			)],
			metadata: vec![(ETH, b"Ether (bridged)".to_vec(), b"ETH".to_vec(), 18)],
		},
		validator_health: ValidatorHealthConfig {
			ethereum_forks: Some(ethereum.forks()),
			genesis_validators_root: Some(ethereum.genesis_validators_root()),
		},
		// The session validators' `risk` keys report scores; the tiers of docs/risk-model.md.
		risk: RiskConfig { tiers: crate::configs::risk::default_tiers() },
	})
}

/// A well-known development validator: its sr25519 account, Aura and risk keys, its ed25519
/// GRANDPA key and its secp256k1 BEEFY key, all from one seed (`//Alice`, …), the keys
/// `ballast-node --alice` puts in its keystore.
fn validator(keys: (Sr25519Keyring, Ed25519Keyring)) -> Validator {
	Validator {
		account: keys.0.to_account_id(),
		keys: SessionKeys {
			aura: AuraId::from(keys.0.public()),
			grandpa: GrandpaId::from(keys.1.public()),
			risk: ReporterId::from(keys.0.public()),
			beefy: beefy_key(&keys.0.to_seed()),
		},
	}
}

/// The BEEFY (secp256k1) key of a development seed (`//Alice`, …): the one `ballast-node
/// --alice` derives for its keystore.
fn beefy_key(seed: &str) -> BeefyId {
	use sp_core::Pair;
	sp_core::ecdsa::Pair::from_string(seed, None)
		.expect("the well-known development seeds are valid")
		.public()
		.into()
}

/// `patch` with `key` as the sudo key: the development runtime's presets only.
#[cfg(not(feature = "production"))]
fn with_sudo(mut patch: Value, key: AccountId) -> Value {
	patch["sudo"] = serde_json::json!({ "key": key });
	patch
}

#[cfg(not(feature = "production"))]
fn development_config_genesis() -> Value {
	let alice = Sr25519Keyring::Alice.to_account_id();
	let patch = ballast_genesis(
		vec![validator(ALICE)],
		Sr25519Keyring::well_known().map(|k| k.to_account_id()).collect(),
		vec![alice.clone()],
		vec![alice.clone()],
		EthereumNetwork::Sepolia,
		TEST_TIMING,
	);
	with_sudo(patch, alice)
}

#[cfg(not(feature = "production"))]
fn local_testnet_genesis() -> Value {
	let alice = Sr25519Keyring::Alice.to_account_id();
	let patch = ballast_genesis(
		vec![validator(ALICE), validator(BOB)],
		Sr25519Keyring::well_known().map(|k| k.to_account_id()).collect(),
		vec![alice.clone()],
		vec![alice.clone()],
		EthereumNetwork::Sepolia,
		TEST_TIMING,
	);
	with_sudo(patch, alice)
}

fn staging_genesis(ethereum: EthereumNetwork) -> Value {
	ballast_genesis(
		[ALICE, BOB, CHARLIE, DAVE].into_iter().map(validator).collect(),
		Sr25519Keyring::well_known().map(|k| k.to_account_id()).collect(),
		[Sr25519Keyring::Alice, Sr25519Keyring::Bob, Sr25519Keyring::Charlie]
			.map(|k| k.to_account_id())
			.to_vec(),
		[Sr25519Keyring::Dave, Sr25519Keyring::Eve].map(|k| k.to_account_id()).to_vec(),
		ethereum,
		TEST_TIMING,
	)
}

/// No validator, council member or endowment: the chain spec's generator adds them (`session.keys`,
/// `collatorSelection.invulnerables`, `council.members`, `technicalCommittee.members`,
/// `balances.balances`), and [`check_genesis`] refuses a spec that leaves any of the first four
/// empty.
fn mainnet_genesis() -> Value {
	ballast_genesis(
		Vec::new(),
		Vec::new(),
		Vec::new(),
		Vec::new(),
		EthereumNetwork::Mainnet,
		PRODUCTION_TIMING,
	)
}

/// The JSON patch of the preset `id`, if it exists.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_ref() {
		#[cfg(not(feature = "production"))]
		sp_genesis_builder::DEV_RUNTIME_PRESET => development_config_genesis(),
		#[cfg(not(feature = "production"))]
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET => local_testnet_genesis(),
		STAGING_RUNTIME_PRESET => staging_genesis(EthereumNetwork::Sepolia),
		STAGING_MAINNET_RUNTIME_PRESET => staging_genesis(EthereumNetwork::Mainnet),
		MAINNET_RUNTIME_PRESET => mainnet_genesis(),
		_ => return None,
	};
	Some(
		serde_json::to_string(&patch)
			.expect("serialization to json is expected to work. qed.")
			.into_bytes(),
	)
}

/// Every preset this runtime offers.
pub fn preset_names() -> Vec<PresetId> {
	let mut names = Vec::new();
	#[cfg(not(feature = "production"))]
	names.extend([
		PresetId::from(sp_genesis_builder::DEV_RUNTIME_PRESET),
		PresetId::from(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET),
	]);
	names.extend([
		PresetId::from(STAGING_RUNTIME_PRESET),
		PresetId::from(STAGING_MAINNET_RUNTIME_PRESET),
		PresetId::from(MAINNET_RUNTIME_PRESET),
	]);
	names
}

/// What each council and technical committee member must hold at genesis: enough for thousands
/// of motions' fees, so that governance can act from block 1 (there is no sudo to fund it).
pub const MIN_GOVERNOR_BALANCE: Balance = 10 * BAL;

/// Refuses a genesis that would start a chain nobody can run or govern (the `production`
/// runtime has no sudo to fix it later): no validator, an approved validator without session
/// keys (it could never author) or session keys for an account that is not approved, no council
/// or technical committee, or a member who cannot pay for a motion. `GenesisBuilder::build_state`
/// runs it, so `build-spec --raw` and a node starting from a plain spec report it.
pub fn check_genesis(config: &RuntimeGenesisConfig) -> Result<(), &'static str> {
	let keys = &config.session.keys;
	let invulnerables = &config.collator_selection.invulnerables;
	if keys.is_empty() {
		return Err("genesis names no validator: fill `session.keys` (and \
			`collatorSelection.invulnerables`) with each validator's account and session keys");
	}
	if invulnerables.is_empty() {
		return Err("genesis names no approved validator: fill `collatorSelection.invulnerables` \
			with the accounts of `session.keys`");
	}
	if keys.iter().any(|(account, validator, _)| account != validator) {
		return Err("a `session.keys` entry names two different accounts: give each validator's \
			account twice, `[account, account, {aura, grandpa, risk, beefy}]`");
	}
	if invulnerables.iter().any(|who| !keys.iter().any(|(account, ..)| account == who)) {
		return Err("an approved validator (`collatorSelection.invulnerables`) has no \
			`session.keys` entry: it could never author a block");
	}
	if keys.iter().any(|(account, ..)| !invulnerables.contains(account)) {
		return Err("a `session.keys` entry is not an approved validator: add its account to \
			`collatorSelection.invulnerables`");
	}
	if config.council.members.is_empty() {
		return Err("genesis names no council member: fill `council.members`");
	}
	if config.technical_committee.members.is_empty() {
		return Err(
			"genesis names no technical committee member: fill `technicalCommittee.members`",
		);
	}
	let balance = |who: &AccountId| -> Balance {
		config
			.balances
			.balances
			.iter()
			.filter(|(account, _)| account == who)
			.fold(0, |sum, (_, amount)| sum.saturating_add(*amount))
	};
	let mut governors = config.council.members.iter().chain(&config.technical_committee.members);
	if governors.any(|member| balance(member) < MIN_GOVERNOR_BALANCE) {
		return Err("a council or technical committee member holds less than 10 BAL in \
			`balances.balances`: fund every member so that motions can be paid for");
	}
	Ok(())
}
