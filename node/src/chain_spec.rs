//! Chain specifications: built from the runtime's genesis presets (`dev`, `local`, `staging`,
//! `staging-mainnet`, `mainnet`) or loaded from a JSON file (the committed raw specs under
//! `chain-specs/`, or a network's own spec).
//!
//! `dev` and `local` hold the development runtime, with a sudo key; `staging`,
//! `staging-mainnet` and `mainnet` hold the production runtime, which has no sudo pallet.

use ballast_primitives::{currency, network};
use ballast_runtime::genesis_config_presets::{
	MAINNET_RUNTIME_PRESET, STAGING_MAINNET_RUNTIME_PRESET, STAGING_RUNTIME_PRESET,
};
use sc_service::ChainType;

/// Ballast's chain spec; no node-side extensions.
pub type ChainSpec = sc_service::GenericChainSpec;

fn properties() -> sc_service::Properties {
	let mut properties = sc_service::Properties::new();
	properties.insert("tokenSymbol".into(), currency::TOKEN_SYMBOL.into());
	properties.insert("tokenDecimals".into(), currency::TOKEN_DECIMALS.into());
	properties.insert("ss58Format".into(), network::SS58_PREFIX.into());
	properties
}

/// Which of the two runtimes a chain's genesis holds.
#[derive(Clone, Copy)]
enum Runtime {
	/// With `pallet-sudo`: development and local test chains.
	Development,
	/// Without: every network others may use.
	Production,
}

fn builder(
	name: &str,
	id: &str,
	chain_type: ChainType,
	preset: &str,
	runtime: Runtime,
) -> Result<ChainSpec, String> {
	let wasm = match runtime {
		Runtime::Development => ballast_runtime::WASM_BINARY,
		Runtime::Production => ballast_runtime::production::WASM_BINARY,
	}
	.ok_or_else(|| "the runtime wasm is not built".to_string())?;
	Ok(ChainSpec::builder(wasm, None)
		.with_name(name)
		.with_id(id)
		.with_protocol_id("ballast")
		.with_chain_type(chain_type)
		.with_genesis_config_preset_name(preset)
		.with_properties(properties())
		.build())
}

/// Single-validator development chain (Alice).
pub fn development_chain_spec() -> Result<ChainSpec, String> {
	builder(
		"Ballast Development",
		"ballast_dev",
		ChainType::Development,
		sp_genesis_builder::DEV_RUNTIME_PRESET,
		Runtime::Development,
	)
}

/// Two-validator local test network (Alice, Bob).
pub fn local_chain_spec() -> Result<ChainSpec, String> {
	builder(
		"Ballast Local Testnet",
		"ballast_local",
		ChainType::Local,
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET,
		Runtime::Development,
	)
}

/// Four-validator staging network (Alice, Bob, Charlie, Dave), governed by its council and
/// technical committee: no sudo.
pub fn staging_chain_spec() -> Result<ChainSpec, String> {
	builder(
		"Ballast Staging",
		"ballast_staging",
		ChainType::Live,
		STAGING_RUNTIME_PRESET,
		Runtime::Production,
	)
}

/// The four staging validators, following Ethereum mainnet instead of Sepolia.
pub fn staging_mainnet_chain_spec() -> Result<ChainSpec, String> {
	builder(
		"Ballast Staging (Ethereum mainnet)",
		"ballast_staging_mainnet",
		ChainType::Live,
		STAGING_MAINNET_RUNTIME_PRESET,
		Runtime::Production,
	)
}

/// A public network's template: no validator, council or account yet. Its plain spec
/// (`build-spec --chain mainnet`) is filled in and then made raw (docs/running-a-network.md);
/// a spec left empty is refused.
pub fn mainnet_chain_spec() -> Result<ChainSpec, String> {
	builder("Ballast", "ballast", ChainType::Live, MAINNET_RUNTIME_PRESET, Runtime::Production)
}
