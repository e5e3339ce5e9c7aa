//! Runtime-level tests: genesis presets, limits and the asset-creation policy.

use crate::{
	configs::system::{RuntimeBlockLength, RuntimeBlockWeights, NORMAL_DISPATCH_RATIO},
	genesis_config_presets::{get_preset, preset_names, STAGING_RUNTIME_PRESET},
	Assets, Aura, Balances, Grandpa, RuntimeCall, RuntimeGenesisConfig, RuntimeOrigin,
	Sudo, System,
};
use ballast_primitives::{assets::ETH, currency::BAL, AccountId};
use frame_support::{
	assert_noop, assert_ok,
	dispatch::{DispatchClass, GetDispatchInfo},
	traits::fungibles::{metadata::Inspect as _, Inspect as _},
};
use sp_genesis_builder::PresetId;
use sp_keyring::Sr25519Keyring;
use sp_runtime::{traits::Dispatchable, DispatchError};

/// State built from a preset exactly as a chain spec builds it: through the runtime's
/// `GenesisBuilder::build_state`, which merges the preset's patch into the default config.
fn ext_from_preset(name: &str) -> sp_io::TestExternalities {
	let patch = get_preset(&PresetId::from(name)).expect("preset exists");
	let mut ext = sp_io::TestExternalities::new_empty();
	ext.execute_with(|| {
		frame_support::genesis_builder_helper::build_state::<RuntimeGenesisConfig>(patch)
			.expect("preset builds a genesis");
		System::set_block_number(1);
	});
	ext
}

fn account(keyring: Sr25519Keyring) -> AccountId {
	keyring.to_account_id()
}

#[test]
fn every_preset_builds_a_genesis_with_its_validators() {
	let names: Vec<String> = preset_names()
		.into_iter()
		.map(|id| String::from_utf8(id.as_ref().as_bytes().to_vec()).expect("utf-8"))
		.collect();
	assert_eq!(names, ["development", "local_testnet", STAGING_RUNTIME_PRESET]);

	for (preset, validators) in [("development", 1), ("local_testnet", 2), (STAGING_RUNTIME_PRESET, 4)] {
		ext_from_preset(preset).execute_with(|| {
			assert_eq!(Aura::authorities().len(), validators, "{preset}: aura");
			assert_eq!(Grandpa::grandpa_authorities().len(), validators, "{preset}: grandpa");
			assert_eq!(Sudo::key(), Some(account(Sr25519Keyring::Alice)), "{preset}: sudo");
			assert_eq!(Balances::free_balance(account(Sr25519Keyring::Bob)), 1_000_000 * BAL);
			// Bridged ETH exists from genesis with its metadata.
			assert!(Assets::asset_exists(ETH));
			assert_eq!(Assets::symbol(ETH), b"ETH".to_vec());
			assert_eq!(Assets::decimals(ETH), 18);
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
	assert_eq!(*length.max.get(DispatchClass::Normal), NORMAL_DISPATCH_RATIO * 5 * 1024 * 1024);
	assert_eq!(*length.max.get(DispatchClass::Operational), 5 * 1024 * 1024);
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
			create.clone().dispatch(RuntimeOrigin::signed(bob.clone())),
			sp_runtime::DispatchErrorWithPostInfo {
				post_info: create.get_dispatch_info().call_weight.into(),
				error: DispatchError::BadOrigin
			}
		);

		let force_create = RuntimeCall::Assets(pallet_assets::Call::force_create {
			id: 7.into(),
			owner: bob.clone().into(),
			is_sufficient: false,
			min_balance: 1,
		});
		assert_ok!(force_create.dispatch(RuntimeOrigin::root()));
		assert!(Assets::asset_exists(7));
		assert_ok!(Assets::mint(RuntimeOrigin::signed(bob.clone()), 7.into(), bob.clone().into(), 100));
		assert_eq!(Assets::balance(7, &bob), 100);
	});
}

#[test]
fn runtime_is_named_and_versioned() {
	assert_eq!(crate::VERSION.spec_name, "ballast");
	assert!(crate::VERSION.spec_version >= 100);
}
