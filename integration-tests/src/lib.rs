//! # Ballast integration tests
//!
//! The runtime exercised as a whole, as Hydration's `integration-tests` do: genesis presets,
//! limits and the asset-creation policy here; the Ethereum light client and validator-health
//! oracle on real Sepolia data in `ethereum`; the bridge, valuation, lending and risk pallets
//! through the real runtime in their own modules. A crate of its own, so that editing a test does
//! not rebuild the runtime.

#![cfg(test)]

mod beefy;
mod bridge;
mod ethereum;
mod governance;
mod lending;
mod risk;
mod validators;
mod valuation;

use ballast_primitives::{assets::ETH, currency::BAL, AccountId};
use ballast_runtime::{
	configs::system::{
		RuntimeBlockLength, RuntimeBlockWeights, MAXIMUM_BLOCK_LENGTH, NORMAL_DISPATCH_RATIO,
	},
	genesis_config_presets::{
		check_genesis, get_preset, preset_names, MAINNET_RUNTIME_PRESET, MIN_GOVERNOR_BALANCE,
		STAGING_MAINNET_RUNTIME_PRESET, STAGING_RUNTIME_PRESET,
	},
	Assets, Balances, Grandpa, Runtime, RuntimeCall, RuntimeGenesisConfig, RuntimeOrigin, System,
};
use frame_support::{
	assert_noop, assert_ok,
	dispatch::DispatchClass,
	traits::fungibles::{metadata::Inspect as _, Inspect as _},
};
use sp_genesis_builder::PresetId;
use sp_keyring::Sr25519Keyring;
use sp_runtime::{traits::Dispatchable, DispatchError};

/// State built from a preset exactly as a chain spec builds it: the preset's patch merged into
/// the default config (as `sc-chain-spec` does), then the runtime's `GenesisBuilder::build_state`.
/// The whole genesis config of preset `name`: the defaults with the preset's patch merged in, as
/// the node builds it.
fn preset_config(name: &str) -> Vec<u8> {
	let patch = get_preset(&PresetId::from(name)).expect("preset exists");
	let mut config = serde_json::to_value(RuntimeGenesisConfig::default()).expect("serializable");
	sc_chain_spec::json_merge(&mut config, serde_json::from_slice(&patch).expect("JSON patch"));
	serde_json::to_vec(&config).expect("serializable")
}

pub(crate) fn ext_from_preset(name: &str) -> sp_io::TestExternalities {
	let config = preset_config(name);
	let mut ext = sp_io::TestExternalities::new_empty();
	ext.execute_with(|| {
		frame_support::genesis_builder_helper::build_state::<RuntimeGenesisConfig>(config)
			.expect("preset builds a genesis");
		System::set_block_number(1);
	});
	ext
}

/// Every pallet's books hold (each pallet's `do_try_state`, as try-runtime checks after every
/// block).
pub(crate) fn assert_books_hold() {
	use ballast_runtime::{
		Governance, Lending, LrtBacking, LrtBridge, Risk, ValidatorHealth, ValidatorSet,
	};
	for (pallet, result) in [
		("validator-health", ValidatorHealth::do_try_state()),
		("lrt-bridge", LrtBridge::do_try_state()),
		("lrt-backing", LrtBacking::do_try_state()),
		("lending", Lending::do_try_state()),
		("risk", Risk::do_try_state()),
		("governance", Governance::do_try_state()),
		("validator-set", ValidatorSet::do_try_state()),
	] {
		assert_eq!(result, Ok(()), "{pallet}'s books");
	}
}

/// The mainnet template names nobody: its genesis is refused until its validators, council and
/// committee are filled in (node/tests/chain_specs.rs fills them in as the docs say).
#[test]
fn the_mainnet_template_is_refused_until_filled_in_and_the_others_pass() {
	let parse = |name: &str| -> RuntimeGenesisConfig {
		serde_json::from_slice(&preset_config(name)).expect("the preset parses")
	};
	let mut mainnet = parse(MAINNET_RUNTIME_PRESET);
	assert!(mainnet.sudo.key.is_none());
	assert_eq!(mainnet.balances.balances.len(), 1, "only the validators' pot");
	assert!(check_genesis(&mainnet).unwrap_err().contains("no validator"));
	let staging = parse(STAGING_RUNTIME_PRESET);
	mainnet.session.keys = staging.session.keys.clone();
	assert!(check_genesis(&mainnet).unwrap_err().contains("no approved validator"));
	mainnet.collator_selection.invulnerables = staging.collator_selection.invulnerables.clone();
	assert!(check_genesis(&mainnet).unwrap_err().contains("no council member"));
	mainnet.council.members = staging.council.members.clone();
	assert!(check_genesis(&mainnet).unwrap_err().contains("no technical committee member"));
	mainnet.technical_committee.members = staging.technical_committee.members.clone();
	assert!(check_genesis(&mainnet).unwrap_err().contains("less than 10 BAL"));
	let members: Vec<AccountId> = mainnet
		.council
		.members
		.iter()
		.chain(&mainnet.technical_committee.members)
		.cloned()
		.collect();
	for (i, member) in members.iter().enumerate() {
		let amount = if i == 0 { MIN_GOVERNOR_BALANCE - 1 } else { MIN_GOVERNOR_BALANCE };
		mainnet.balances.balances.push((member.clone(), amount));
	}
	assert!(check_genesis(&mainnet).unwrap_err().contains("less than 10 BAL"));
	mainnet.balances.balances.push((members[0].clone(), 1));
	assert_eq!(check_genesis(&mainnet), Ok(()));
	// Keys and approval must name the same validators.
	let copy = |config: &RuntimeGenesisConfig| -> RuntimeGenesisConfig {
		serde_json::from_value(serde_json::to_value(config).expect("serializable"))
			.expect("round trip")
	};
	let mut unkeyed = copy(&mainnet);
	unkeyed.session.keys.pop();
	assert!(check_genesis(&unkeyed).unwrap_err().contains("no `session.keys` entry"));
	let mut unapproved = copy(&mainnet);
	unapproved.collator_selection.invulnerables.pop();
	assert!(check_genesis(&unapproved).unwrap_err().contains("not an approved validator"));
	let mut crossed = copy(&mainnet);
	crossed.session.keys[0].1 = crossed.session.keys[1].0.clone();
	assert!(check_genesis(&crossed).unwrap_err().contains("two different accounts"));
	// The long delays and sessions of a public network.
	assert_eq!(mainnet.validator_set.session_period, None);
	assert_eq!(mainnet.governance.parameters_delay, None);
	for name in preset_names() {
		if name != MAINNET_RUNTIME_PRESET {
			assert_eq!(check_genesis(&parse(&name)), Ok(()), "{name:?}");
		}
	}
}

pub(crate) fn account(keyring: Sr25519Keyring) -> AccountId {
	keyring.to_account_id()
}

#[test]
fn every_preset_builds_a_genesis_with_its_validators() {
	let names: Vec<String> = preset_names().into_iter().collect();
	assert_eq!(
		names,
		[
			"development",
			"local_testnet",
			STAGING_RUNTIME_PRESET,
			STAGING_MAINNET_RUNTIME_PRESET,
			MAINNET_RUNTIME_PRESET
		]
	);

	use ballast_ethereum_proofs::{
		fork::{MAINNET_GENESIS_VALIDATORS_ROOT, SEPOLIA_GENESIS_VALIDATORS_ROOT},
		ForkSchedule,
	};
	let sepolia = (ForkSchedule::sepolia(), SEPOLIA_GENESIS_VALIDATORS_ROOT);
	let mainnet = (ForkSchedule::mainnet(), MAINNET_GENESIS_VALIDATORS_ROOT);
	for (preset, validators, (forks, genesis_validators_root)) in [
		("development", 1, sepolia),
		("local_testnet", 2, sepolia),
		(STAGING_RUNTIME_PRESET, 4, sepolia),
		(STAGING_MAINNET_RUNTIME_PRESET, 4, mainnet),
	] {
		ext_from_preset(preset).execute_with(|| {
			assert_eq!(
				pallet_aura::Authorities::<Runtime>::get().len(),
				validators,
				"{preset}: aura"
			);
			assert_eq!(Grandpa::grandpa_authorities().len(), validators, "{preset}: grandpa");
			// Sudo only on the development chains; the public networks' presets have none (and
			// the node builds them with the production runtime, which lacks the pallet).
			let development = matches!(preset, "development" | "local_testnet");
			assert_eq!(
				pallet_sudo::Key::<Runtime>::get(),
				development.then(|| account(Sr25519Keyring::Alice)),
				"{preset}: sudo"
			);
			assert_eq!(Balances::free_balance(account(Sr25519Keyring::Bob)), 1_000_000 * BAL);
			// Bridged ETH exists from genesis with its metadata, every role held by the bridge's
			// keyless account, and none of it minted.
			assert!(Assets::asset_exists(ETH));
			let bridge = Some(ballast_runtime::LrtBridge::account_id());
			use frame_support::traits::fungibles::roles::Inspect as Roles;
			assert_eq!(<Assets as Roles<AccountId>>::owner(ETH), bridge);
			assert_eq!(<Assets as Roles<AccountId>>::issuer(ETH), bridge);
			assert_eq!(<Assets as Roles<AccountId>>::admin(ETH), bridge);
			assert_eq!(<Assets as Roles<AccountId>>::freezer(ETH), bridge);
			assert_eq!(Assets::total_issuance(ETH), 0);
			assert_eq!(Assets::symbol(ETH), b"ETH".to_vec());
			assert_eq!(Assets::decimals(ETH), 18);
			// The Ethereum network the light client and the oracle follow.
			assert_eq!(pallet_validator_health::EthereumForks::<Runtime>::get(), Some(forks));
			assert_eq!(
				pallet_validator_health::GenesisValidatorsRoot::<Runtime>::get(),
				Some(genesis_validators_root.into()),
				"{preset}: genesis validators root"
			);
		});
	}
	assert!(get_preset(&PresetId::from("mainnet-that-does-not-exist")).is_none());
}

#[test]
fn block_limits_are_consistent() {
	let weights = RuntimeBlockWeights::get();
	weights.clone().validate().expect("block weights are valid");
	let normal = weights.get(DispatchClass::Normal).max_total.expect("normal class is limited");
	assert_eq!(normal.ref_time(), NORMAL_DISPATCH_RATIO * weights.max_block.ref_time());
	let length = RuntimeBlockLength::get();
	assert_eq!(
		*length.max.get(DispatchClass::Normal),
		NORMAL_DISPATCH_RATIO * MAXIMUM_BLOCK_LENGTH
	);
	assert_eq!(*length.max.get(DispatchClass::Operational), MAXIMUM_BLOCK_LENGTH);
	assert_eq!(MAXIMUM_BLOCK_LENGTH, 5 * 1024 * 1024);
}

/// Bytes are priced so that filling blocks with them costs real money: a block's normal length
/// costs more than its whole normal weight (at the minimum fee multiplier, both as low as they
/// go), and a block full of bytes every block for an hour costs over 1,000 BAL.
#[test]
fn filling_blocks_with_bytes_costs_more_than_filling_them_with_weight() {
	use ballast_runtime::TransactionPayment;
	let normal_length = *RuntimeBlockLength::get().max.get(DispatchClass::Normal);
	let normal_weight = RuntimeBlockWeights::get()
		.get(DispatchClass::Normal)
		.max_total
		.expect("normal class is limited");
	let by_length = TransactionPayment::length_to_fee(normal_length);
	let by_weight = TransactionPayment::weight_to_fee(normal_weight);
	assert!(by_length > by_weight, "{by_length} ≤ {by_weight}");
	let blocks_per_hour = 600;
	assert!(by_length * blocks_per_hour > 1_000 * BAL, "{by_length} per block");
}

#[test]
fn assets_are_created_by_governance_only() {
	ext_from_preset("development").execute_with(|| {
		let bob = account(Sr25519Keyring::Bob);
		let create = RuntimeCall::Assets(pallet_assets::Call::create {
			id: 7.into(),
			admin: bob.clone().into(),
			min_balance: 1,
		});
		assert_noop!(
			create.dispatch(RuntimeOrigin::signed(bob.clone())).map_err(|e| e.error),
			DispatchError::BadOrigin
		);

		let force_create = RuntimeCall::Assets(pallet_assets::Call::force_create {
			id: 7.into(),
			owner: bob.clone().into(),
			is_sufficient: false,
			min_balance: 1,
		});
		assert_ok!(force_create.dispatch(RuntimeOrigin::root()));
		assert!(Assets::asset_exists(7));
		assert_ok!(Assets::mint(
			RuntimeOrigin::signed(bob.clone()),
			7.into(),
			bob.clone().into(),
			100
		));
		assert_eq!(Assets::balance(7, &bob), 100);
	});
}

#[test]
fn runtime_declares_the_apis_clients_rely_on() {
	use sp_api::RuntimeApiInfo;
	assert_eq!(ballast_runtime::VERSION.spec_name, "ballast");
	let declared = |id: [u8; 8]| ballast_runtime::VERSION.apis.iter().any(|(api, _)| *api == id);
	for (name, id) in [
		("Metadata", <dyn sp_api::Metadata<ballast_runtime::Block>>::ID),
		(
			"AccountNonceApi",
			<dyn frame_system_rpc_runtime_api::AccountNonceApi<
				ballast_runtime::Block,
				AccountId,
				u32,
			>>::ID,
		),
		(
			"TransactionPaymentApi",
			<dyn pallet_transaction_payment_rpc_runtime_api::TransactionPaymentApi<
				ballast_runtime::Block,
				u128,
			>>::ID,
		),
		("GenesisBuilder", <dyn sp_genesis_builder::GenesisBuilder<ballast_runtime::Block>>::ID),
		("OffchainWorkerApi", <dyn sp_offchain::OffchainWorkerApi<ballast_runtime::Block>>::ID),
		(
			"ValidatorHealthApi",
			<dyn pallet_validator_health_runtime_api::ValidatorHealthApi<
				ballast_runtime::Block,
				u32,
			>>::ID,
		),
	] {
		assert!(declared(id), "{name} is not declared in RUNTIME_API_VERSIONS");
	}
}
