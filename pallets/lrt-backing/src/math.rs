//! Pure rate arithmetic of the valuation: a slashed validator's expected penalties and when a
//! snapshot includes them, a balance drop's loss, an AVS slash scaled by an LRT's stake and how
//! much of it a snapshot's figure carries, the reported and proven rates, and the growth cap
//! (CAPO). No storage and no `Config`: every input
//! is an argument.

use crate::types::{BackingParams, EthereumPosition, Stake, StrategyLosses, WAD};
use alloc::{collections::BTreeMap, vec::Vec};
use ballast_ethereum_proofs::consensus;
use ballast_gateway::OperatorSlashing;
use ballast_primitives::time::SECONDS_PER_YEAR;
use sp_core::{H160, U256};
use sp_runtime::{traits::One, FixedPointNumber, FixedU128, Perbill, Saturating};

/// Slots during which a proven slash counts toward later slashes' correlation penalty
/// (`EPOCHS_PER_SLASHINGS_VECTOR` epochs).
pub const CORRELATION_WINDOW_SLOTS: u64 =
	consensus::EPOCHS_PER_SLASHINGS_VECTOR * consensus::SLOTS_PER_EPOCH;

/// What a validator's balance counts for, at most, when it falls (32 ETH, in Gwei): balances
/// above it are swept to the LRT's EigenPod by partial withdrawals, not lost.
pub const MAX_EFFECTIVE_GWEI: u64 = 32_000_000_000;

/// A slashed validator's expected penalties (Gwei), by when a snapshot includes them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SlashingPenalties {
	/// The initial penalty, taken when the slashing is processed: `eb / 4096`.
	pub initial: u128,
	/// The correlation penalty and the missed duties until withdrawable, applied later.
	pub later: u128,
}

/// The expected penalties (Gwei) of a validator of effective balance `eb` (Gwei), slashed while
/// `correlated` Gwei of effective balance were proven slashed in the correlation window, its own
/// included: the initial penalty `eb / 4096` (`MIN_SLASHING_PENALTY_QUOTIENT_ELECTRA`), then
/// `eb · min(3 · correlated, A) / A + eb · exit_penalty`, with `A` the params' total active
/// balance (at least 1): the correlation penalty (`PROPORTIONAL_SLASHING_MULTIPLIER_BELLATRIX`)
/// and the missed duties until withdrawable.
pub fn expected_slashing_penalties(
	params: &BackingParams,
	eb: u64,
	correlated: u128,
) -> SlashingPenalties {
	let eb = eb as u128;
	let total = params.total_active_balance_gwei.max(1);
	let initial = eb / consensus::MIN_SLASHING_PENALTY_QUOTIENT as u128;
	let adjusted =
		correlated.saturating_mul(consensus::PROPORTIONAL_SLASHING_MULTIPLIER as u128).min(total);
	let correlation = eb.saturating_mul(adjusted) / total;
	let exit = params.exit_penalty.mul_floor(eb);
	SlashingPenalties { initial, later: correlation.saturating_add(exit) }
}

/// The loss (Gwei) a validator's balance change from `previous` to `current` shows:
/// `min(previous, 32 ETH) − current` when positive. A fall to zero is a full withdrawal (the ETH
/// moves to the LRT's EigenPod) and a fall to 32 ETH a partial one: neither is a loss (zero).
pub fn balance_drop_gwei(previous: u64, current: u64) -> u64 {
	if current == 0 {
		return 0;
	}
	previous.min(MAX_EFFECTIVE_GWEI).saturating_sub(current)
}

/// What an AVS slash takes from an LRT, per strategy the event names (in its order; a strategy
/// named twice counts once, as EigenLayer names each once): for each strategy the `stakes` list
/// with the slashed operator (several stakes in one strategy, e.g. of several node delegators,
/// are summed: [`listed_shares`]), `cut` gives the shares a snapshot proves the slash cut
/// (`None`: no snapshot before the slash proves any, nothing taken), and the loss is
/// [`avs_slash_loss`]. `cut` is asked only of strategies the stakes list, with the shares they
/// list. Zero losses are left out: at most one loss per strategy the event names.
pub fn slashed_stake(
	stakes: &[Stake],
	slashing: &OperatorSlashing,
	mut cut: impl FnMut(H160, u128) -> Option<u128>,
) -> StrategyLosses {
	let mut losses: StrategyLosses = Vec::new();
	let mut named: Vec<H160> = Vec::new();
	for (strategy, wad) in &slashing.slashed {
		if named.contains(strategy) {
			continue;
		}
		named.push(*strategy);
		let Some(listed) = listed_shares(stakes, slashing.operator, *strategy) else {
			continue;
		};
		let Some(shares) = cut(*strategy, listed) else {
			continue;
		};
		let wei = avs_slash_loss(*wad, shares);
		if wei > 0 {
			losses.push((*strategy, wei));
		}
	}
	losses
}

/// The shares `stakes` list per (operator, strategy), summed (several stakes with an operator
/// in one strategy, e.g. of several node delegators, make one pair).
pub fn listed_pairs(stakes: &[Stake]) -> BTreeMap<(H160, H160), u128> {
	let mut listed: BTreeMap<(H160, H160), u128> = BTreeMap::new();
	for stake in stakes {
		let shares = listed.entry((stake.operator, stake.strategy)).or_default();
		*shares = shares.saturating_add(stake.shares);
	}
	listed
}

/// The shares `stakes` list with `operator` in `strategy`, summed (`None` if none lists them).
pub fn listed_shares(stakes: &[Stake], operator: H160, strategy: H160) -> Option<u128> {
	stakes
		.iter()
		.filter(|stake| stake.operator == operator && stake.strategy == strategy)
		.map(|stake| stake.shares)
		.reduce(|total, shares| total.saturating_add(shares))
}

/// What an AVS slash of `wad` (1e18 is everything; more counts as 1e18) took from `shares`, the
/// stake with the operator in one strategy that a snapshot taken before the slash listed
/// (EigenLayer shares are wei for the beacon-chain ETH strategy and LST strategies are valued
/// 1:1, a documented approximation): `shares · wad / 1e18`, rounded down. Only shares listed
/// before the slash are proven to be what it cut: a later listing is already cut, and may hold
/// stake delegated since.
pub fn avs_slash_loss(wad: U256, shares: u128) -> u128 {
	let whole = U256::from(WAD);
	// `shares < 2^128` and `wad ≤ 1e18 < 2^60`: the product fits U256, the result `≤ shares`.
	(U256::from(shares) * wad.min(whole) / whole).try_into().unwrap_or(u128::MAX)
}

/// How much of a booked loss of `wei` a snapshot's own figure carries (`total_eth` over
/// `total_supply`), `remaining` wei of losses (this one included) still booked against it, when
/// its proven rate may not exceed `ceiling`: all of it if the proven rate without it is at most
/// `ceiling`; else the part whose removal brings the proven rate to `ceiling` (nothing if it is
/// above `ceiling` already with every loss booked). What it returns never lifts the proven rate
/// above `ceiling`.
pub fn carried_loss(
	total_eth: u128,
	total_supply: u128,
	remaining: u128,
	wei: u128,
	ceiling: FixedU128,
) -> u128 {
	let without = remaining.saturating_sub(wei);
	if proven_rate(total_eth, without, total_supply).is_some_and(|rate| rate <= ceiling) {
		return wei;
	}
	// The most ETH the figure net of its losses may be at `ceiling` (rounded down), so the
	// losses that must stay booked.
	let must_stay = total_eth.saturating_sub(ceiling.saturating_mul_int(total_supply));
	remaining.saturating_sub(must_stay).min(wei)
}

/// `total_eth / total_supply`: the LRT's own rate (`None` for a zero supply or a rate beyond
/// `FixedU128`).
pub fn reported_rate(total_eth: u128, total_supply: u128) -> Option<FixedU128> {
	FixedU128::checked_from_rational(total_eth, total_supply)
}

/// `(total_eth − losses) / total_supply`: the rate net of every proven loss; losses beyond
/// `total_eth` leave zero. Never above [`reported_rate`].
pub fn proven_rate(total_eth: u128, losses: u128, total_supply: u128) -> Option<FixedU128> {
	FixedU128::checked_from_rational(total_eth.saturating_sub(losses), total_supply)
}

/// The most a rate stored as `last` may be `elapsed` seconds later (Aave's CAPO):
/// `last · (1 + max_yearly_growth · elapsed / year)`, with a year of
/// [`SECONDS_PER_YEAR`] and `elapsed` counted up to ten years. Never below `last`.
pub fn growth_cap(last: FixedU128, max_yearly_growth: Perbill, elapsed: u64) -> FixedU128 {
	let elapsed = elapsed.min(SECONDS_PER_YEAR * 10);
	let growth = FixedU128::from(max_yearly_growth)
		.saturating_mul(FixedU128::saturating_from_rational(elapsed, SECONDS_PER_YEAR));
	last.saturating_mul(FixedU128::one().saturating_add(growth))
}

/// The latest Ethereum position at which a validator with this `withdrawable_epoch` can have
/// been slashed: slashing sets `withdrawable_epoch ≥ epoch + EPOCHS_PER_SLASHINGS_VECTOR`, so the
/// slashing epoch is at most `withdrawable_epoch − EPOCHS_PER_SLASHINGS_VECTOR`; the position is
/// that epoch's last slot (transaction 0), so a snapshot at or after it includes the slash.
pub fn slashed_by(withdrawable_epoch: u64) -> EthereumPosition {
	let epoch = withdrawable_epoch.saturating_sub(consensus::EPOCHS_PER_SLASHINGS_VECTOR);
	let slot = epoch.saturating_add(1).saturating_mul(consensus::SLOTS_PER_EPOCH).saturating_sub(1);
	EthereumPosition { slot, tx_index: 0 }
}

/// The Ethereum position from which a snapshot includes the later penalties (correlation and
/// exit) of a validator with this `withdrawable_epoch`: `process_slashings` applies the
/// correlation penalty at the end of epoch `withdrawable_epoch − EPOCHS_PER_SLASHINGS_VECTOR / 2`,
/// so it is in the validator's balance from the next epoch's first slot; the LRT's accounting
/// sees it `recognition_delay` seconds (in slots, rounded up) after that. (The missed duties end
/// at `withdrawable_epoch`, 4,096 epochs — about 18 days — later: a recognition delay at least
/// that long covers them too.)
pub fn later_penalties_included_from(
	withdrawable_epoch: u64,
	recognition_delay: u64,
) -> EthereumPosition {
	let applied = withdrawable_epoch.saturating_sub(consensus::EPOCHS_PER_SLASHINGS_VECTOR / 2);
	let slot = applied
		.saturating_add(1)
		.saturating_mul(consensus::SLOTS_PER_EPOCH)
		.saturating_add(recognition_delay.div_ceil(consensus::SECONDS_PER_SLOT));
	EthereumPosition { slot, tx_index: 0 }
}

/// The Ethereum position from which a snapshot includes an EigenLayer (AVS) slash at `slash`
/// whatever it reports: `recognition_delay` seconds (in slots, rounded up) later. EigenLayer
/// takes the shares at the event, but an LRT's own accounting may price the loss only when its
/// oracle next reprices (Swell's stored rate, ether.fi's rebase, Kelp's price update): a report
/// in between includes it only as far as it shows the cut and its figure carries the loss
/// ([`carried_loss`]); the rest stays booked until a snapshot that late.
pub fn avs_slash_included_from(
	slash: EthereumPosition,
	recognition_delay: u64,
) -> EthereumPosition {
	EthereumPosition {
		slot: slash.slot.saturating_add(recognition_delay.div_ceil(consensus::SECONDS_PER_SLOT)),
		tx_index: slash.tx_index,
	}
}

/// `losses / total_supply`: what booked losses take off the rate (`None` for a zero supply or
/// beyond `FixedU128`).
pub fn loss_rate(losses: u128, total_supply: u128) -> Option<FixedU128> {
	FixedU128::checked_from_rational(losses, total_supply)
}

/// `rate · (1 − fraction)`, rounded up (so a fall bounded by it is at most `fraction`).
pub fn lowered(rate: FixedU128, fraction: Perbill) -> FixedU128 {
	rate.saturating_sub(rate.saturating_mul(FixedU128::from(fraction)))
}

/// The effective rate from `raw = min(reported, proven)`, the last stored rate and its cap now:
/// a rise above `last` stops at `cap`, a fall (or no change) applies as is.
pub fn capped_rate(raw: FixedU128, last: FixedU128, cap: FixedU128) -> FixedU128 {
	if raw > last {
		raw.min(cap)
	} else {
		raw
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use sp_core::H160;
	use sp_runtime::traits::Zero;

	const ETH: u128 = 1_000_000_000_000_000_000;
	const GWEI: u64 = 1_000_000_000;

	fn params() -> BackingParams {
		BackingParams {
			max_yearly_growth: Perbill::from_percent(10),
			max_snapshot_age: 7 * 24 * 3600,
			max_proof_age_slots: 7_200,
			total_active_balance_gwei: 34_000_000 * GWEI as u128,
			exit_penalty: Perbill::from_rational(3u32, 1000u32),
			recognition_delay: 40 * 24 * 3600,
			max_unproven_fall: Perbill::from_percent(1),
			fall_confirmation_delay: 24 * 3600,
			circuit_breaker_fall: Perbill::from_percent(10),
			circuit_breaker_window: 24 * 3600,
		}
	}

	fn rate(numerator: u128, denominator: u128) -> FixedU128 {
		FixedU128::checked_from_rational(numerator, denominator).expect("valid")
	}

	/// All of a slash's expected penalties, Gwei.
	fn expected_slashing_loss(params: &BackingParams, eb: u64, correlated: u128) -> u128 {
		let penalties = expected_slashing_penalties(params, eb, correlated);
		penalties.initial + penalties.later
	}

	#[test]
	fn a_slash_costs_the_documented_expected_loss() {
		let eb = 32 * GWEI;
		// Alone in the window: initial eb/4096, correlation eb·3eb/A, exit eb·0.3% (Gwei).
		assert_eq!(
			expected_slashing_loss(&params(), eb, eb as u128),
			7_812_500 + 90_352 + 96_000_000
		);
		// With a second one in the window the correlation doubles.
		assert_eq!(
			expected_slashing_loss(&params(), eb, 2 * eb as u128),
			7_812_500 + 180_705 + 96_000_000
		);
		// The correlation penalty takes the whole effective balance at most.
		let a = params().total_active_balance_gwei;
		assert_eq!(
			expected_slashing_loss(&params(), eb, a),
			7_812_500 + 32 * GWEI as u128 + 96_000_000
		);
	}

	#[test]
	fn a_slash_splits_into_its_initial_and_later_penalties() {
		let eb = 32 * GWEI;
		assert_eq!(
			expected_slashing_penalties(&params(), eb, eb as u128),
			SlashingPenalties { initial: 7_812_500, later: 90_352 + 96_000_000 }
		);
	}

	#[test]
	fn later_penalties_are_included_from_the_epoch_after_the_correlation_penalty() {
		// Withdrawable at 10,244: the correlation penalty comes at the end of epoch 6,148, so
		// from slot 6,149 · 32 = 196,768 on; a day of recognition delay adds 7,200 slots.
		assert_eq!(
			later_penalties_included_from(10_244, 0),
			EthereumPosition { slot: 196_768, tx_index: 0 }
		);
		assert_eq!(later_penalties_included_from(10_244, 24 * 3600).slot, 196_768 + 7_200);
		// A part of a slot counts as a whole one.
		assert_eq!(later_penalties_included_from(10_244, 1).slot, 196_769);
		// Always after the slash itself; saturating at the extremes.
		assert!(later_penalties_included_from(0, 0) > slashed_by(0));
		assert_eq!(later_penalties_included_from(u64::MAX, u64::MAX).slot, u64::MAX);
	}

	#[test]
	fn balance_drops_count_below_32_eth_and_not_to_zero() {
		assert_eq!(balance_drop_gwei(32_050_000_000, 32 * GWEI), 0);
		assert_eq!(balance_drop_gwei(32 * GWEI, 0), 0);
		assert_eq!(balance_drop_gwei(31 * GWEI, 32 * GWEI), 0);
		assert_eq!(balance_drop_gwei(32_010_000_000, 31_900_000_000), 100_000_000);
	}

	/// A run that listed `shares` throughout.

	#[test]
	fn avs_slashes_take_the_slashed_share_of_matching_stakes() {
		let operator = H160::repeat_byte(0x0a);
		let strategy = H160::repeat_byte(0xbe);
		let stakes = [
			Stake { operator, strategy, shares: 618 * ETH },
			Stake { operator, strategy: H160::repeat_byte(0xcc), shares: ETH },
			Stake { operator: H160::repeat_byte(0x0c), strategy, shares: ETH },
		];
		let slashing = OperatorSlashing {
			operator,
			avs: H160::repeat_byte(0xa5),
			operator_set_id: 0,
			slashed: vec![
				(strategy, U256::from(WAD / 10)),
				(H160::repeat_byte(0xdd), U256::from(WAD)),
			],
			description: Default::default(),
		};
		let before = |_, listed| Some(listed);
		assert_eq!(slashed_stake(&stakes, &slashing, before), vec![(strategy, 618 * ETH / 10)]);
		// The shares an earlier snapshot listed, when that one preceded the slash.
		assert_eq!(
			slashed_stake(&stakes, &slashing, |_, _| Some(600 * ETH)),
			vec![(strategy, 60 * ETH)]
		);
		// No snapshot before the slash proves the stake: nothing taken.
		assert!(slashed_stake(&stakes, &slashing, |_, _| None).is_empty());
		// More than the whole counts as the whole; nothing slashed is left out.
		let all =
			OperatorSlashing { slashed: vec![(strategy, U256::from(2 * WAD))], ..slashing.clone() };
		assert_eq!(slashed_stake(&stakes, &all, before), vec![(strategy, 618 * ETH)]);
		let none = OperatorSlashing { slashed: vec![(strategy, U256::zero())], ..slashing };
		assert!(slashed_stake(&stakes, &none, before).is_empty());
	}

	#[test]
	fn avs_slashes_make_one_loss_per_strategy() {
		let operator = H160::repeat_byte(0x0a);
		let strategy = H160::repeat_byte(0xbe);
		let other = H160::repeat_byte(0xcc);
		// Two node delegators of the LRT stake with the operator in the same strategy.
		let stakes = [
			Stake { operator, strategy, shares: 100 * ETH },
			Stake { operator, strategy: other, shares: 10 * ETH },
			Stake { operator, strategy, shares: 300 * ETH },
		];
		let slashing = OperatorSlashing {
			operator,
			avs: H160::repeat_byte(0xa5),
			operator_set_id: 0,
			// The strategy named twice counts once.
			slashed: vec![
				(strategy, U256::from(WAD / 10)),
				(other, U256::from(WAD / 2)),
				(strategy, U256::from(WAD / 10)),
			],
			description: Default::default(),
		};
		let mut asked = Vec::new();
		let losses = slashed_stake(&stakes, &slashing, |strategy, listed| {
			asked.push(strategy);
			Some(listed)
		});
		assert_eq!(losses, vec![(strategy, 40 * ETH), (other, 5 * ETH)]);
		// Exposure is asked once per listed strategy, never of one the stakes do not list.
		assert_eq!(asked, vec![strategy, other]);
		let unlisted = OperatorSlashing {
			slashed: vec![(H160::repeat_byte(0xdd), U256::from(WAD / 2))],
			..slashing
		};
		assert!(slashed_stake(&stakes, &unlisted, |_, _| -> Option<u128> {
			panic!("asked of an unlisted strategy")
		})
		.is_empty());
		assert_eq!(listed_shares(&stakes, operator, strategy), Some(400 * ETH));
		assert_eq!(listed_shares(&stakes, operator, H160::repeat_byte(0xdd)), None);
	}

	/// Issue 18, finding 2: a slash takes its share of the stake listed before it, rounded
	/// down, never more than that stake, without overflow.
	#[test]
	fn an_avs_slash_takes_its_share_of_the_stake_listed_before_it() {
		let wad = |percent: u128| U256::from(WAD / 100 * percent);
		assert_eq!(avs_slash_loss(wad(10), 1_000 * ETH), 100 * ETH);
		assert_eq!(avs_slash_loss(U256::from(1u8), 3), 0);
		assert_eq!(avs_slash_loss(wad(50), 3), 1);
		assert_eq!(avs_slash_loss(U256::MAX, 5), 5);
		assert_eq!(avs_slash_loss(U256::zero(), u128::MAX), 0);
		assert_eq!(avs_slash_loss(U256::from(WAD), u128::MAX), u128::MAX);
	}

	/// A snapshot's figure carries a booked loss whole when its proven rate without it stays
	/// at or below the ceiling, in part when only part fits (never lifting the proven rate
	/// above the ceiling), and not at all when the figure is at or above it with every loss.
	#[test]
	fn a_snapshot_carries_what_keeps_its_proven_rate_at_the_ceiling() {
		let ceiling = rate(9_682, 10_000);
		let supply = 1_000 * ETH;
		let tenths = |n: u128| n * ETH / 10;
		// 968.2 ETH with 61.8 booked: all of it (the live run).
		assert_eq!(
			carried_loss(tenths(9_682), supply, tenths(618), tenths(618), ceiling),
			tenths(618)
		);
		// 980 ETH: 11.8 must stay, 50 is carried.
		assert_eq!(carried_loss(980 * ETH, supply, tenths(618), tenths(618), ceiling), 50 * ETH);
		// 1,030 ETH (the figure before the slash) or more: nothing.
		assert_eq!(carried_loss(1_030 * ETH, supply, tenths(618), tenths(618), ceiling), 0);
		assert_eq!(carried_loss(1_100 * ETH, supply, tenths(618), tenths(618), ceiling), 0);
		// Another 41.2 booked: at 1,020 ETH 51.8 of the 103 must stay, so 51.2 of this loss is
		// carried; at 927 ETH all of it.
		let both = tenths(618) + tenths(412);
		assert_eq!(carried_loss(1_020 * ETH, supply, both, tenths(618), ceiling), tenths(512));
		assert_eq!(carried_loss(tenths(9_270), supply, both, tenths(618), ceiling), tenths(618));
		// Whatever it carries, the proven rate stays within the ceiling (an odd supply rounds).
		let odd = supply + 3;
		for total in [tenths(9_682), 980 * ETH, 1_000 * ETH + 7, tenths(10_299), 2_000 * ETH] {
			let carried = carried_loss(total, odd, both, tenths(618), ceiling);
			assert!(carried <= tenths(618));
			if carried > 0 {
				let proven = proven_rate(total, both - carried, odd).expect("rate");
				assert!(proven <= ceiling, "{total}: {proven:?}");
			}
		}
	}

	#[test]
	fn rates_of_a_snapshot_and_its_losses() {
		assert_eq!(reported_rate(1_030 * ETH, 1_000 * ETH), Some(rate(1_030, 1_000)));
		assert_eq!(reported_rate(ETH, 0), None);
		assert_eq!(proven_rate(1_030 * ETH, 30 * ETH, 1_000 * ETH), Some(rate(1, 1)));
		// Losses beyond the backing leave a zero rate, not an error.
		assert_eq!(proven_rate(1_030 * ETH, 2_000 * ETH, 1_000 * ETH), Some(rate(0, 1)));
	}

	#[test]
	fn the_cap_grows_linearly_for_ten_years_at_most() {
		let growth = Perbill::from_percent(10);
		let one = FixedU128::one();
		assert_eq!(growth_cap(one, growth, 0), one);
		assert_eq!(growth_cap(one, growth, SECONDS_PER_YEAR / 2), rate(105, 100));
		assert_eq!(growth_cap(one, growth, 10 * SECONDS_PER_YEAR), rate(2, 1));
		assert_eq!(growth_cap(one, growth, 20 * SECONDS_PER_YEAR), rate(2, 1));
	}

	#[test]
	fn a_slash_happened_at_the_latest_in_the_epoch_its_withdrawable_epoch_bounds() {
		// EigenLayer's validator 61511: withdrawable at 10,244, so slashed in epoch 2,052 at
		// the latest, whose last slot is 65,695.
		assert_eq!(slashed_by(10_244), EthereumPosition { slot: 65_695, tx_index: 0 });
		assert_eq!(slashed_by(0), EthereumPosition { slot: 31, tx_index: 0 });
		assert!(slashed_by(u64::MAX).slot > 1 << 60);
	}

	#[test]
	fn a_bounded_fall_is_at_most_its_fraction() {
		let r = rate(1_030, 1_000);
		assert_eq!(lowered(r, Perbill::from_percent(1)), rate(101_970, 100_000));
		assert_eq!(lowered(r, Perbill::zero()), r);
		assert_eq!(lowered(r, Perbill::one()), FixedU128::zero());
		assert_eq!(loss_rate(30 * ETH, 1_000 * ETH), Some(rate(3, 100)));
	}

	#[test]
	fn rises_stop_at_the_cap_and_falls_apply_at_once() {
		let (last, cap) = (rate(103, 100), rate(105, 100));
		assert_eq!(capped_rate(rate(120, 100), last, cap), cap);
		assert_eq!(capped_rate(rate(104, 100), last, cap), rate(104, 100));
		assert_eq!(capped_rate(rate(90, 100), last, cap), rate(90, 100));
	}
}
