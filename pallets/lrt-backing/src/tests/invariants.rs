//! Property tests of the bounds: random validator slashes (after the snapshot and already in
//! it), balance drops, snapshots above the stored rate and waits; and runs of snapshots each
//! within `max_unproven_fall` of the one before, in batches or spread out. The valuation's books
//! (`do_try_state`) are checked after every step.

use super::*;
use ballast_primitives::{time::SECONDS_PER_YEAR, valuation::BackingRate};
use proptest::prelude::*;
use sp_runtime::traits::{One, Saturating};

/// The most the rate may be `elapsed` seconds after `base`, at the params' growth cap.
fn grown(base: FixedU128, elapsed: u64) -> FixedU128 {
	let growth = FixedU128::from(params().max_yearly_growth)
		.saturating_mul(FixedU128::saturating_from_rational(elapsed, SECONDS_PER_YEAR));
	base.saturating_mul(FixedU128::one().saturating_add(growth))
}

/// What a step is checked against: the rate lending read before it, the cap's baselines and
/// the hook's calls so far.
struct BeforeStep {
	read: FixedU128,
	stored: StoredRate,
	baseline: Option<StoredRate>,
	pending: Option<PendingFall>,
	decreases: usize,
}

impl BeforeStep {
	fn take(now: u64, delay: u64) -> Self {
		BeforeStep {
			read: LrtBacking::backing_rate(LRT).expect("valued"),
			stored: Rates::<Test>::get(LRT).expect("stored"),
			baseline: FallBaselines::<Test>::get(LRT).filter(|b| now < b.at + delay),
			pending: PendingFalls::<Test>::get(LRT),
			decreases: decreases().len(),
		}
	}

	/// The rate after the step never exceeds the reported or the proven rate nor rises past the
	/// growth cap of the stored rate, of the unproven-fall baseline, or (a pending fall
	/// cancelled) of the episode's baseline; every fall of the read rate told the hook once,
	/// with the read rate; the books hold.
	fn check(&self, now: u64) -> Result<FixedU128, TestCaseError> {
		let c = LrtBacking::components(LRT).expect("valued");
		prop_assert!(c.effective <= c.reported);
		prop_assert!(c.effective <= c.proven);
		let mut cap = grown(self.stored.rate, now - self.stored.at).max(self.stored.rate);
		if let Some(baseline) = &self.baseline {
			cap = cap.max(grown(baseline.rate, now - baseline.at));
		}
		if let Some(p) = &self.pending {
			cap = cap.max(p.before);
		}
		prop_assert!(c.effective <= cap);
		// The read rate fell ⇒ the hook was told, once, with the rate lending read.
		if c.effective < self.read {
			prop_assert_eq!(decreases().len(), self.decreases + 1);
			prop_assert_eq!(decreases().last().cloned(), Some((LRT, self.read, c.effective)));
		} else {
			prop_assert_eq!(decreases().len(), self.decreases);
		}
		prop_assert_eq!(LrtBacking::do_try_state(), Ok(()));
		Ok(c.effective)
	}
}

/// Beacon slot past every slash's later penalties in these tests (their correlation penalty plus
/// 40 days of recognition delay is before slot 5,100,000).
const PAST_EVERY_PENALTY: u64 = 6_000_000;

proptest! {
	#![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

	/// Whatever losses and snapshots arrive and whenever, the effective rate never exceeds the
	/// reported one or the proven one, never rises faster than the cap, and every fall of the
	/// rate lending reads tells the hook once, with that rate; the books (booked slashes,
	/// merged ones, the baseline) hold after every step. Snapshots carry Ballast's time as
	/// their Ethereum time, and the last one is past every slash's penalties.
	#[test]
	fn the_rate_stays_within_its_bounds(
		totals in proptest::collection::vec(1_030u64..1_400, 1..5),
		events in proptest::collection::vec((0u64..5, 1u64..40 * DAY, 1u64..2_000_000_000), 1..14)
	) {
		ExtBuilder.build_and_execute(|| {
			fresh_validators();
			set_time(T0 + 60);
			let mut all = vec![1_030];
			all.extend(totals);
			let reports = valued(&all);
			assert_ok!(submit(&reports[0]));
			prop_assert_eq!(LrtBacking::do_try_state(), Ok(()));
			let slashed = validator_slashed;
			let balance =
				validator_balance_changed;
			let mut now = T0 + 60;
			let mut index = 0u64;
			let mut next_report = 1;
			for (kind, wait, gwei) in events {
				now += wait;
				set_time(now);
				let before = BeforeStep::take(now, params().fall_confirmation_delay);
				index += 1;
				match kind {
					0 => slashed(LRT, index, 32 * GWEI, 9_000, SLASHED_AFTER_SNAPSHOT),
					// Slashed before the first snapshot: its later penalties are still booked.
					1 => slashed(LRT, index, 32 * GWEI, 9_000, 143_740 + 8_192),
					2 => balance(LRT, index, 32 * GWEI, 32 * GWEI - gwei.min(31 * GWEI), 9_000),
					// A snapshot reporting at least the first one (above the stored rate
					// unless losses or a fall intervened); the last one is past every slash's
					// penalties, so the books empty of them.
					3 if next_report < reports.len() => {
						let mut report = at_time(reports[next_report].clone(), now);
						if next_report + 1 == reports.len() {
							report = at_slot(report, PAST_EVERY_PENALTY);
						}
						assert_ok!(submit(&report));
						next_report += 1;
					},
					_ => {},
				}
				before.check(now)?;
			}
			Ok(())
		})?;
	}

	/// Runs of snapshots each less than `max_unproven_fall` below the one before (or a little
	/// above it), submitted in batches (several in one block, as `utility.batch` would) or
	/// spread over time: the rate never falls more than `max_unproven_fall` below the highest
	/// rate lending read within the last `fall_confirmation_delay` (since the last confirmed
	/// fall); a report at or below that highest rate that leaves no fall pending applies as
	/// reported (a recovery after a dip is not capped); every fall tells the hook.
	#[test]
	fn in_bound_dips_stay_within_the_bound_in_all(
		steps in proptest::collection::vec(
			(-9i64..=4, prop_oneof![Just(0u64), Just(6u64), 1u64..1_200]),
			1..9,
		)
	) {
		ExtBuilder.build_and_execute(|| {
			fresh_validators();
			set_time(T0 + 60);
			let delay = 600;
			let mut totals = vec![1_030u64];
			for (delta, _) in &steps {
				let last = *totals.last().expect("one");
				totals.push(last.saturating_add_signed(*delta));
			}
			let reports = valued(&totals);
			let bounded =
				BackingParams { fall_confirmation_delay: delay, ..params() };
			assert_ok!(LrtBacking::set_params(RuntimeOrigin::root(), LRT, bounded));
			assert_ok!(submit(&at_time(reports[0].clone(), T0 + 60)));
			let mut now = T0 + 60;
			// The rates lending read (and when), since the last confirmed fall.
			let mut read: Vec<(u64, FixedU128)> =
				vec![(now, LrtBacking::backing_rate(LRT).expect("valued"))];
			for (step, (_, wait)) in steps.iter().enumerate() {
				now += wait;
				set_time(now);
				let before = BeforeStep::take(now, delay);
				read.push((now, before.read));
				let events = System::events().len();
				assert_ok!(submit(&at_time(reports[step + 1].clone(), now)));
				let effective = before.check(now)?;
				let confirmed = System::events()[events..].iter().any(|record| {
					matches!(record.event, RuntimeEvent::LrtBacking(Event::FallConfirmed { .. }))
				});
				if confirmed {
					read.clear();
				} else {
					let peak = read
						.iter()
						.filter(|(at, _)| now < at + delay)
						.map(|(_, rate)| *rate)
						.max()
						.expect("the rate read before the step");
					let bound = crate::math::lowered(peak, Perbill::from_percent(1));
					prop_assert!(effective >= bound, "{effective:?} below {bound:?}");
					let reported = rate(totals[step + 1] as u128, 1_000);
					if reported <= peak && !PendingFalls::<Test>::contains_key(LRT) {
						prop_assert_eq!(effective, reported);
					}
				}
				read.push((now, effective));
			}
			Ok(())
		})?;
	}
}
