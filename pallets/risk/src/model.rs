//! The risk model (`docs/risk-model.md`): the pallet's pure arithmetic (no storage). Integer
//! arithmetic only, so that every node computing it over the same chain state gets the same
//! scores, bit for bit.
//!
//! Scores run from 0 (no known risk) to [`MAX_SCORE`] (as risky as the model can say). The
//! inputs ([`LrtInputs`]) come from chain state through the `ballast_primitives::risk` traits;
//! [`crate::Pallet::inputs`] gathers them. The off-chain worker, the runtime API and anyone
//! reproducing the numbers call the functions here.

use alloc::vec::Vec;
use ballast_ethereum_proofs::consensus::FAR_FUTURE_EPOCH;
use ballast_primitives::risk::{BookedLoss, ValidatorSummary};
use codec::{Decode, Encode};
use scale_info::TypeInfo;
use sp_core::H160;
use sp_runtime::{traits::Zero, FixedU128};

// The model's output is a shared type: the runtime API returns it.
pub use ballast_primitives::risk::LrtScore;

/// The top of the score scale.
pub const MAX_SCORE: u16 = 1_000;
/// A validator proof this many slots older than the LRT's newest counts as stale (one day).
pub const STALE_PROOF_SLOTS: u64 = 7_200;

/// Everything the model reads about one LRT.
#[derive(Clone, Debug, PartialEq, Eq, Default, Encode, Decode, TypeInfo)]
pub struct LrtInputs {
	/// The LRT's tracked validators (validator health).
	pub validators: Vec<ValidatorSummary>,
	/// `(operator, shares)` of the valuation's last proven snapshot.
	pub stakes: Vec<(H160, u128)>,
	/// Losses the valuation booked since the snapshot, oldest first.
	pub losses: Vec<BookedLoss>,
	/// The backing rate's recent values, oldest first.
	pub rate_history: Vec<FixedU128>,
	/// How many AVSs the LRT is exposed to.
	pub avs_count: u32,
}

/// Weight of the validator part in an LRT's score, in percent (the five weights sum to 100).
pub const WEIGHT_VALIDATORS: u32 = 35;
/// Weight of the operator-concentration part in an LRT's score, in percent.
pub const WEIGHT_CONCENTRATION: u32 = 20;
/// Weight of the operator part in an LRT's score, in percent.
pub const WEIGHT_OPERATORS: u32 = 20;
/// Weight of the AVS-exposure part in an LRT's score, in percent.
pub const WEIGHT_AVSS: u32 = 10;
/// Weight of the drawdown part in an LRT's score, in percent.
pub const WEIGHT_DRAWDOWN: u32 = 15;

fn capped(value: u128) -> u16 {
	value.min(MAX_SCORE as u128) as u16
}

/// A validator's score: 1000 if slashed; otherwise 300 if exiting, up to 400 for a balance
/// under its effective balance (4 points per basis point short), 150 per balance drop the
/// valuation booked (at most 450), 100 if its proof is stale.
pub fn validator_score(v: &ValidatorSummary, drops: u32, newest_proof_slot: u64) -> u16 {
	if v.slashed {
		return MAX_SCORE;
	}
	let mut score: u128 = 0;
	if v.exit_epoch != FAR_FUTURE_EPOCH {
		score += 300;
	}
	if v.balance < v.effective_balance && v.effective_balance > 0 {
		let short_bps =
			(v.effective_balance - v.balance) as u128 * 10_000 / v.effective_balance as u128;
		score += (short_bps * 4).min(400);
	}
	score += (drops as u128 * 150).min(450);
	if newest_proof_slot.saturating_sub(v.proven_at_slot) > STALE_PROOF_SLOTS {
		score += 100;
	}
	capped(score)
}

/// An operator's score: 400 per AVS slash the valuation booked against it, at most 1000.
pub fn operator_score(operator: &H160, losses: &[BookedLoss]) -> u16 {
	let slashes = losses
		.iter()
		.filter(|loss| matches!(loss, BookedLoss::AvsSlash { operator: o } if o == operator))
		.count() as u128;
	capped(slashes * 400)
}

/// Herfindahl–Hirschman index of the stakes, in basis points (10,000 = one operator).
pub fn herfindahl_bps(stakes: &[(H160, u128)]) -> u32 {
	// Shares are summed per operator first (a snapshot lists operator × strategy).
	let mut per_operator: Vec<(H160, u128)> = Vec::new();
	for (operator, shares) in stakes {
		match per_operator.iter_mut().find(|(o, _)| o == operator) {
			Some((_, total)) => *total = total.saturating_add(*shares),
			None => per_operator.push((*operator, *shares)),
		}
	}
	let total: u128 = per_operator.iter().map(|(_, s)| *s).fold(0, u128::saturating_add);
	if total == 0 {
		return 10_000;
	}
	per_operator
		.iter()
		.map(|(_, s)| {
			let share_bps = s.saturating_mul(10_000) / total;
			share_bps * share_bps / 10_000
		})
		.sum::<u128>()
		.min(10_000) as u32
}

/// The score of each tracked validator of the LRT, in the order given.
pub fn validator_scores(inputs: &LrtInputs) -> Vec<(u64, u16)> {
	let newest = inputs.validators.iter().map(|v| v.proven_at_slot).max().unwrap_or(0);
	inputs
		.validators
		.iter()
		.map(|v| {
			let drops = inputs
				.losses
				.iter()
				.filter(
					|loss| matches!(loss, BookedLoss::BalanceDrop { index } if *index == v.index),
				)
				.count() as u32;
			(v.index, validator_score(v, drops, newest))
		})
		.collect()
}

/// The LRT's score: `(35·V + 20·C + 20·O + 10·A + 15·D) / 100`.
///
/// - V: validator scores weighted by effective balance (1000 without any tracked validator:
///   backing nobody can check is the worst case);
/// - C: Herfindahl index of the operators' stakes / 10 (1000 without a snapshot);
/// - O: operator scores weighted by stake;
/// - A: 100 per AVS the LRT is exposed to, at most 1000;
/// - D: fall of the rate from the highest in its history, one point per basis point, at most
///   1000 (a 10 % fall scores 1000).
pub fn lrt_score(inputs: &LrtInputs) -> LrtScore {
	let scores = validator_scores(inputs);
	let weight: u128 =
		inputs.validators.iter().map(|v| v.effective_balance.max(1) as u128).sum::<u128>();
	let weighted: u128 = inputs
		.validators
		.iter()
		.zip(&scores)
		.map(|(v, (_, s))| v.effective_balance.max(1) as u128 * *s as u128)
		.sum();
	let validators = weighted.checked_div(weight).map(capped).unwrap_or(MAX_SCORE);
	let concentration = capped(herfindahl_bps(&inputs.stakes) as u128 / 10);
	let stake_total: u128 = inputs.stakes.iter().map(|(_, s)| *s).fold(0, u128::saturating_add);
	let operators = if stake_total == 0 {
		0
	} else {
		let weighted = inputs
			.stakes
			.iter()
			.map(|(o, s)| {
				// Divide first: shares are wei-sized and must not overflow.
				(*s / 1_000_000_000).saturating_mul(operator_score(o, &inputs.losses) as u128)
			})
			.fold(0u128, u128::saturating_add);
		capped(weighted / (stake_total / 1_000_000_000).max(1))
	};
	let avss = capped(inputs.avs_count as u128 * 100);
	let drawdown = match (inputs.rate_history.iter().max(), inputs.rate_history.last()) {
		(Some(high), Some(now)) if !high.is_zero() && now < high => {
			let fall_bps =
				(high.into_inner() - now.into_inner()).saturating_mul(10_000) / high.into_inner();
			capped(fall_bps)
		},
		_ => 0,
	};
	let score = (WEIGHT_VALIDATORS * validators as u32
		+ WEIGHT_CONCENTRATION * concentration as u32
		+ WEIGHT_OPERATORS * operators as u32
		+ WEIGHT_AVSS * avss as u32
		+ WEIGHT_DRAWDOWN * drawdown as u32)
		/ 100;
	LrtScore { score: score as u16, validators, concentration, operators, avss, drawdown }
}

/// Every operator's score, in stake order.
pub fn operator_scores(inputs: &LrtInputs) -> Vec<(H160, u16)> {
	let mut out: Vec<(H160, u16)> = Vec::new();
	for (operator, _) in &inputs.stakes {
		if !out.iter().any(|(o, _)| o == operator) {
			out.push((*operator, operator_score(operator, &inputs.losses)));
		}
	}
	out
}

/// The median of `scores` (the lower one of an even count); `None` when empty.
pub fn median(mut scores: Vec<u16>) -> Option<u16> {
	if scores.is_empty() {
		return None;
	}
	scores.sort_unstable();
	Some(scores[(scores.len() - 1) / 2])
}

#[cfg(test)]
mod tests {
	use super::*;

	fn validator(index: u64, balance: u64) -> ValidatorSummary {
		ValidatorSummary {
			index,
			effective_balance: 32_000_000_000,
			balance,
			slashed: false,
			exit_epoch: FAR_FUTURE_EPOCH,
			proven_at_slot: 100,
		}
	}

	fn operator(byte: u8) -> H160 {
		H160::repeat_byte(byte)
	}

	fn inputs() -> LrtInputs {
		LrtInputs {
			validators: (0..4).map(|i| validator(i, 32_000_000_000)).collect(),
			stakes: (1..=4).map(|b| (operator(b), 250 * 10u128.pow(18))).collect(),
			losses: Vec::new(),
			rate_history: vec![FixedU128::from_rational(103, 100)],
			avs_count: 2,
		}
	}

	#[test]
	fn a_healthy_diversified_lrt_scores_low() {
		let score = lrt_score(&inputs());
		assert_eq!(score.validators, 0);
		// Four equal operators: HHI 2,500 bps.
		assert_eq!(score.concentration, 250);
		assert_eq!((score.operators, score.avss, score.drawdown), (0, 200, 0));
		assert_eq!(score.score, (20 * 250 + 10 * 200) / 100);
	}

	#[test]
	fn a_slashed_validator_and_concentration_raise_the_score() {
		let base = lrt_score(&inputs()).score;
		let mut slashed = inputs();
		slashed.validators[0].slashed = true;
		slashed.losses.push(BookedLoss::ValidatorSlashed { index: 0 });
		let with_slash = lrt_score(&slashed);
		assert_eq!(with_slash.validators, 250, "one of four equal validators at 1000");
		assert!(with_slash.score > base);
		let mut concentrated = inputs();
		concentrated.stakes = vec![(operator(1), 900), (operator(2), 100)];
		let with_concentration = lrt_score(&concentrated);
		assert_eq!(with_concentration.concentration, 820);
		assert!(with_concentration.score > base);
	}

	#[test]
	fn balance_drops_exits_and_avs_slashes_count() {
		let mut i = inputs();
		i.validators[1].balance = 31_920_000_000; // 25 bps short: +100
		i.validators[2].exit_epoch = 1_000; // +300
		i.losses.push(BookedLoss::BalanceDrop { index: 1 }); // +150
		i.losses.push(BookedLoss::AvsSlash { operator: operator(1) });
		let scores = validator_scores(&i);
		assert_eq!(scores[1], (1, 250));
		assert_eq!(scores[2], (2, 300));
		assert_eq!(operator_scores(&i)[0], (operator(1), 400));
		// 400 on a quarter of the stake.
		assert_eq!(lrt_score(&i).operators, 100);
	}

	#[test]
	fn a_fall_from_the_high_is_a_drawdown() {
		let mut i = inputs();
		i.rate_history =
			vec![FixedU128::from_rational(103, 100), FixedU128::from_rational(9682, 10_000)];
		assert_eq!(lrt_score(&i).drawdown, 600);
	}

	#[test]
	fn nothing_known_is_the_worst_case() {
		let score = lrt_score(&LrtInputs::default());
		assert_eq!((score.validators, score.concentration), (1000, 1000));
	}

	#[test]
	fn medians_are_the_lower_middle() {
		assert_eq!(median(vec![300, 100, 200]), Some(200));
		assert_eq!(median(vec![400, 100, 200, 300]), Some(200));
		assert_eq!(median(Vec::new()), None);
	}
}
