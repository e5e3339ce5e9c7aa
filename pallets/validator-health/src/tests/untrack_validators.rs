//! `untrack_validators`, and deregistering the credentials it frees.

use super::*;

#[test]
fn untracking_releases_credentials() {
	ExtBuilder::default().build_and_execute(|| {
		register_both();
		let a = indices_with(CHECKPOINT, pod_a());
		assert_ok!(submit(CHECKPOINT, &a[..2]));
		assert_noop!(
			ValidatorHealth::deregister_credentials(RuntimeOrigin::root(), LRT_A, pod_a()),
			Error::<Test>::CredentialsInUse
		);
		let indices = BoundedVec::try_from(a[..2].to_vec()).unwrap();
		assert_noop!(
			ValidatorHealth::untrack_validators(
				RuntimeOrigin::root(),
				BoundedVec::try_from(vec![0]).unwrap()
			),
			Error::<Test>::UnknownValidator
		);
		assert_ok!(ValidatorHealth::untrack_validators(RuntimeOrigin::root(), indices));
		assert_eq!(Aggregates::<Test>::get(LRT_A), LrtAggregates::default());
		assert_ok!(ValidatorHealth::deregister_credentials(RuntimeOrigin::root(), LRT_A, pod_a()));
	});
}
