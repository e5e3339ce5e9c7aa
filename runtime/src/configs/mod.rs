//! Pallet configurations, one module per domain.

pub mod accounts;
pub mod assets;
pub mod beefy;
pub mod ethereum;
pub mod governance;
pub mod lending;
pub mod monetary;
pub mod risk;
pub mod system;
pub mod validators;
