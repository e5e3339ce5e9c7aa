//! Pallet configurations, one module per domain.

pub mod assets;
pub mod consensus;
pub mod ethereum;
pub mod lending;
pub mod monetary;
pub mod risk;
pub mod system;
