//! Weights measured in this runtime's wasm by `scripts/benchmark.sh` (`benchmark pallet`,
//! compiled wasm, 20 steps × 10 repeats, on the 2-core development machine; storage priced at
//! `RocksDbWeight`, conservative for ParityDb). Pallets not listed use their crates' own weights.

pub mod pallet_lending;
pub mod pallet_lrt_backing;
pub mod pallet_lrt_bridge;
pub mod pallet_risk;
pub mod pallet_validator_health;
