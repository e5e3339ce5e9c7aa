//! `register_credentials`, `deregister_credentials` and the genesis credentials.

use super::*;

#[test]
fn governance_registers_execution_credentials_only() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			ValidatorHealth::register_credentials(RuntimeOrigin::signed(1), LRT_A, pod_a()),
			DispatchError::BadOrigin
		);
		let mut bls = pod_a();
		bls.0[0] = 0;
		assert_noop!(
			ValidatorHealth::register_credentials(RuntimeOrigin::root(), LRT_A, bls),
			Error::<Test>::NotExecutionCredentials
		);
		assert_ok!(ValidatorHealth::register_credentials(RuntimeOrigin::root(), LRT_A, pod_a()));
		assert_noop!(
			ValidatorHealth::register_credentials(RuntimeOrigin::root(), LRT_B, pod_a()),
			Error::<Test>::CredentialsAlreadyRegistered
		);
		assert_noop!(
			ValidatorHealth::deregister_credentials(RuntimeOrigin::root(), LRT_B, pod_a()),
			Error::<Test>::CredentialsNotRegistered
		);
		assert_ok!(ValidatorHealth::deregister_credentials(RuntimeOrigin::root(), LRT_A, pod_a()));
		assert!(Credentials::<Test>::get(pod_a()).is_none());
	});
}

#[test]
fn genesis_registers_credentials_without_validators() {
	let builder = ExtBuilder::default().credentials(vec![(LRT_A, pod_a()), (LRT_B, pod_b())]);
	builder.build_and_execute(|| {
		assert_eq!(
			Credentials::<Test>::get(pod_a()),
			Some(CredentialsInfo { lrt: LRT_A, validators: 0 })
		);
		assert_eq!(
			Credentials::<Test>::get(pod_b()),
			Some(CredentialsInfo { lrt: LRT_B, validators: 0 })
		);
		assert_noop!(
			ValidatorHealth::register_credentials(RuntimeOrigin::root(), LRT_B, pod_a()),
			Error::<Test>::CredentialsAlreadyRegistered
		);
	});
}

#[test]
#[should_panic(expected = "genesis credentials must be 0x01/0x02 execution credentials")]
fn genesis_refuses_credentials_without_an_execution_address() {
	let mut bls = pod_a();
	bls.0[0] = 0;
	ExtBuilder::default().credentials(vec![(LRT_A, bls)]).build_and_execute(|| {});
}
