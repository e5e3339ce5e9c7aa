//! Ethereum consensus-layer constants (mainnet preset, which Sepolia shares): the one home of
//! these numbers for the runtime, the relayer and the tests.

/// Seconds per slot.
pub const SECONDS_PER_SLOT: u64 = 12;
/// Slots per epoch.
pub const SLOTS_PER_EPOCH: u64 = 32;
/// Epochs per sync-committee period.
pub const EPOCHS_PER_SYNC_COMMITTEE_PERIOD: u64 = 256;
/// Slots per sync-committee period (8,192).
pub const SLOTS_PER_SYNC_COMMITTEE_PERIOD: u64 = EPOCHS_PER_SYNC_COMMITTEE_PERIOD * SLOTS_PER_EPOCH;
/// Length of the `slashings` vector: a slashed validator's `withdrawable_epoch` is set to at least
/// its slashing epoch plus this, so the slashing epoch is derivable from it.
pub const EPOCHS_PER_SLASHINGS_VECTOR: u64 = 8_192;
/// Length of `block_roots` / `state_roots` (a state proves the last 8,192 block roots).
pub const SLOTS_PER_HISTORICAL_ROOT: u64 = 8_192;
/// `MIN_SLASHING_PENALTY_QUOTIENT_ELECTRA`: a slashed validator's initial penalty is its effective
/// balance divided by this.
pub const MIN_SLASHING_PENALTY_QUOTIENT: u64 = 4_096;
/// `PROPORTIONAL_SLASHING_MULTIPLIER_BELLATRIX`: the correlation penalty counts the slashed
/// balance of the last `EPOCHS_PER_SLASHINGS_VECTOR` epochs this many times.
pub const PROPORTIONAL_SLASHING_MULTIPLIER: u64 = 3;
/// Epoch value meaning "not yet" (exit, withdrawability, activation).
pub const FAR_FUTURE_EPOCH: u64 = u64::MAX;
