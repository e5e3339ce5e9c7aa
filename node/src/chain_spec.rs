//! Chain specifications: built from the runtime's genesis presets (`dev`, `local`, `staging`,
//! `staging-mainnet`) or
//! loaded from a JSON file (the committed raw specs under `chain-specs/`).

use ballast_primitives::{currency, network};
use ballast_runtime::{
	genesis_config_presets::{STAGING_MAINNET_RUNTIME_PRESET, STAGING_RUNTIME_PRESET},
	WASM_BINARY,
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

fn builder(name: &str, id: &str, chain_type: ChainType, preset: &str) -> Result<ChainSpec, String> {
	let wasm = WASM_BINARY.ok_or_else(|| "the runtime wasm is not built".to_string())?;
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
	)
}

/// Two-validator local test network (Alice, Bob).
pub fn local_chain_spec() -> Result<ChainSpec, String> {
	builder(
		"Ballast Local Testnet",
		"ballast_local",
		ChainType::Local,
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET,
	)
}

/// Four-validator staging network (Alice, Bob, Charlie, Dave).
pub fn staging_chain_spec() -> Result<ChainSpec, String> {
	builder("Ballast Staging", "ballast_staging", ChainType::Live, STAGING_RUNTIME_PRESET)
}

/// The four staging validators, following Ethereum mainnet instead of Sepolia.
pub fn staging_mainnet_chain_spec() -> Result<ChainSpec, String> {
	builder(
		"Ballast Staging (Ethereum mainnet)",
		"ballast_staging_mainnet",
		ChainType::Live,
		STAGING_MAINNET_RUNTIME_PRESET,
	)
}
