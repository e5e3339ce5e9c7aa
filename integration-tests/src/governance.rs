//! Who may do what, through the real runtime (the table of docs/governance.md): the council
//! changes parameters only after its delay; the technical committee protects at once (pause,
//! freeze, halt, safe mode, tx pause) and can loosen nothing; root changes need the council's
//! supermajority, the committee's approval and the longer delay; a signed account can do none
//! of it.
//!
//! The development preset's council and committee are Alice alone (a one-member motion runs
//! at once), with delays of 5 and 10 blocks.

use super::{account, ext_from_preset};
use ballast_primitives::{assets::ETH, AccountId};
use ballast_runtime::{
	Council, Governance, Lending, Runtime, RuntimeCall, RuntimeEvent, RuntimeOrigin, SafeMode,
	Scheduler, System, TechnicalCommittee, TxPause,
};
use codec::Encode;
use frame_support::{
	assert_noop, assert_ok,
	dispatch::GetDispatchInfo,
	traits::{Contains, Hooks},
};
use pallet_lending::{MarketParams, MarketState};
use sp_keyring::Sr25519Keyring;
use sp_runtime::{
	traits::{Dispatchable, Hash},
	DispatchError, DispatchResult, Perbill,
};

const LRT: u32 = 1_000;

fn alice() -> AccountId {
	account(Sr25519Keyring::Alice)
}

/// The last `Executed` result of a collective's motion.
fn executed() -> Option<DispatchResult> {
	System::events().into_iter().rev().find_map(|record| match record.event {
		RuntimeEvent::Council(pallet_collective::Event::Executed { result, .. })
		| RuntimeEvent::TechnicalCommittee(pallet_collective::Event::Executed { result, .. }) => {
			Some(result.map(|_| ()))
		},
		_ => None,
	})
}

/// A council motion of one member: runs at once with the council's origin.
fn council(call: RuntimeCall) -> Option<DispatchResult> {
	let len = call.encoded_size() as u32;
	assert_ok!(Council::propose(RuntimeOrigin::signed(alice()), 1, Box::new(call), len));
	executed()
}

/// A technical committee motion of one member.
fn committee(call: RuntimeCall) -> Option<DispatchResult> {
	let len = call.encoded_size() as u32;
	assert_ok!(TechnicalCommittee::propose(RuntimeOrigin::signed(alice()), 1, Box::new(call), len));
	executed()
}

fn run_to_block(to: u32) {
	let mut block = System::block_number();
	while block < to {
		block += 1;
		System::set_block_number(block);
		Scheduler::on_initialize(block);
	}
}

fn governance(call: pallet_governance::Call<Runtime>) -> RuntimeCall {
	RuntimeCall::Governance(call)
}

fn with_market(test: impl FnOnce(u32)) {
	ext_from_preset("development").execute_with(|| {
		assert_ok!(RuntimeCall::Assets(pallet_assets::Call::force_create {
			id: LRT.into(),
			owner: alice().into(),
			is_sufficient: true,
			min_balance: 1,
		})
		.dispatch(RuntimeOrigin::root()));
		assert_ok!(Lending::create_market(
			RuntimeOrigin::root(),
			LRT,
			ETH,
			MarketParams::reference()
		));
		test(0);
	});
}

fn state(market: u32) -> MarketState {
	pallet_lending::Markets::<Runtime>::get(market).expect("the market").state
}

fn tighter_params() -> MarketParams {
	let reference = MarketParams::reference();
	MarketParams {
		ltv: reference.ltv - Perbill::from_percent(2),
		liquidation_threshold: reference.liquidation_threshold - Perbill::from_percent(2),
		..reference
	}
}

#[test]
fn a_council_parameter_change_runs_only_after_its_delay() {
	with_market(|market| {
		let set_params = RuntimeCall::Lending(pallet_lending::Call::set_params {
			market,
			params: tighter_params(),
		});
		// The council's own origin cannot change a parameter.
		assert_eq!(council(set_params.clone()), Some(Err(DispatchError::BadOrigin)));
		// Scheduled, it waits for the delay (5 blocks on this chain), in plain sight.
		let scheduled =
			governance(pallet_governance::Call::schedule_parameters { call: Box::new(set_params) });
		assert_eq!(council(scheduled), Some(Ok(())));
		let pending = Governance::pending();
		assert_eq!(pending.len(), 1);
		let at = pending[0].1.at;
		assert_eq!(at, 1 + Governance::parameters_delay());
		run_to_block(at - 1);
		assert_eq!(
			pallet_lending::Markets::<Runtime>::get(market).unwrap().params,
			MarketParams::reference()
		);
		run_to_block(at);
		assert_eq!(
			pallet_lending::Markets::<Runtime>::get(market).unwrap().params,
			tighter_params()
		);
		assert!(Governance::pending().is_empty());
		super::assert_books_hold();
	});
}

#[test]
fn a_council_change_whose_batch_holds_a_paused_call_waits_for_the_pause_to_end() {
	with_market(|market| {
		let set_params = RuntimeCall::Lending(pallet_lending::Call::set_params {
			market,
			params: tighter_params(),
		});
		// The call filter sees only the batch; the paused call is inside it.
		let batch =
			RuntimeCall::Utility(pallet_utility::Call::batch_all { calls: vec![set_params] });
		assert_eq!(
			council(governance(pallet_governance::Call::schedule_parameters {
				call: Box::new(batch)
			})),
			Some(Ok(()))
		);
		let set_params_name =
			(b"Lending".to_vec().try_into().unwrap(), b"set_params".to_vec().try_into().unwrap());
		assert_eq!(
			committee(RuntimeCall::TxPause(pallet_tx_pause::Call::pause {
				full_name: set_params_name
			})),
			Some(Ok(()))
		);
		let due = Governance::pending()[0].1.at;
		run_to_block(due);
		// Not run, not spent: it waits another delay.
		assert_eq!(
			pallet_lending::Markets::<Runtime>::get(market).unwrap().params,
			MarketParams::reference()
		);
		let pending = Governance::pending();
		assert_eq!(pending.len(), 1);
		assert_eq!(pending[0].1.at, due + Governance::parameters_delay());
		// The council lifts the pause (a change of its own, not paused); the first runs after.
		let unpause = RuntimeCall::TxPause(pallet_tx_pause::Call::unpause {
			ident: (
				b"Lending".to_vec().try_into().unwrap(),
				b"set_params".to_vec().try_into().unwrap(),
			),
		});
		assert_eq!(
			council(governance(pallet_governance::Call::schedule_parameters {
				call: Box::new(unpause)
			})),
			Some(Ok(()))
		);
		run_to_block(due + 2 * Governance::parameters_delay());
		assert_eq!(
			pallet_lending::Markets::<Runtime>::get(market).unwrap().params,
			tighter_params()
		);
		assert!(Governance::pending().is_empty());
		super::assert_books_hold();
	});
}

#[test]
fn the_committee_pauses_and_freezes_at_once_but_cannot_loosen() {
	with_market(|market| {
		let set_state =
			|state| RuntimeCall::Lending(pallet_lending::Call::set_state { market, state });
		assert_eq!(committee(set_state(MarketState::BorrowPaused)), Some(Ok(())));
		assert_eq!(state(market), MarketState::BorrowPaused);
		assert_eq!(committee(set_state(MarketState::Frozen)), Some(Ok(())));
		assert_eq!(
			committee(set_state(MarketState::Active)),
			Some(Err(pallet_lending::Error::<Runtime>::NotProtective.into()))
		);
		assert_eq!(state(market), MarketState::Frozen);
		// Nor may it change parameters, schedule a change, or mint.
		let set_params = RuntimeCall::Lending(pallet_lending::Call::set_params {
			market,
			params: tighter_params(),
		});
		assert_eq!(committee(set_params.clone()), Some(Err(DispatchError::BadOrigin)));
		assert_eq!(
			committee(governance(pallet_governance::Call::schedule_parameters {
				call: Box::new(set_params)
			})),
			Some(Err(DispatchError::BadOrigin))
		);
		let mint = RuntimeCall::Assets(pallet_assets::Call::mint {
			id: ETH.into(),
			beneficiary: alice().into(),
			amount: 1,
		});
		assert!(matches!(committee(mint), Some(Err(_))));
		// Unfreezing is a council decision, after its delay.
		assert_eq!(
			council(governance(pallet_governance::Call::schedule_parameters {
				call: Box::new(set_state(MarketState::Active))
			})),
			Some(Ok(()))
		);
		run_to_block(1 + Governance::parameters_delay());
		assert_eq!(state(market), MarketState::Active);
	});
}

#[test]
fn the_committee_halts_the_light_client_but_cannot_resume_it() {
	ext_from_preset("development").execute_with(|| {
		let mode = |halted: bool| -> RuntimeCall {
			RuntimeCall::EthereumBeaconClient(
				snowbridge_pallet_ethereum_client::Call::set_operating_mode {
					mode: codec::Decode::decode(&mut &[halted as u8][..]).expect("a mode"),
				},
			)
		};
		let halted =
			|| snowbridge_pallet_ethereum_client::OperatingMode::<Runtime>::get().encode() == [1];
		// Directly, the committee is not root.
		assert_eq!(committee(mode(true)), Some(Err(DispatchError::BadOrigin)));
		assert_eq!(
			committee(governance(pallet_governance::Call::emergency {
				call: Box::new(mode(true))
			})),
			Some(Ok(()))
		);
		assert!(halted());
		assert_eq!(
			committee(governance(pallet_governance::Call::emergency {
				call: Box::new(mode(false))
			})),
			Some(Err(pallet_governance::Error::<Runtime>::NotProtective.into()))
		);
		assert!(halted());
	});
}

#[test]
fn a_root_change_needs_the_council_supermajority_the_committees_approval_and_the_delay() {
	ext_from_preset("development").execute_with(|| {
		// A root-only call (as `system.authorizeUpgrade` or `ethereumBeaconClient.forceCheckpoint`).
		let authorize = RuntimeCall::System(frame_system::Call::set_storage {
			items: vec![(b":ballast-test".to_vec(), b"root".to_vec())],
		});
		let written = || sp_io::storage::get(b":ballast-test").map(|value| value.to_vec());
		// The council cannot dispatch root calls, even scheduled as a parameter change.
		assert_eq!(council(authorize.clone()), Some(Err(DispatchError::BadOrigin)));
		// The committee cannot propose one.
		assert_eq!(
			committee(governance(pallet_governance::Call::propose_root {
				call: Box::new(authorize.clone())
			})),
			Some(Err(DispatchError::BadOrigin))
		);
		assert_eq!(
			council(governance(pallet_governance::Call::propose_root {
				call: Box::new(authorize.clone())
			})),
			Some(Ok(()))
		);
		// Not scheduled until the committee approves.
		assert!(Governance::pending().is_empty());
		let call_hash = <Runtime as frame_system::Config>::Hashing::hash_of(&authorize);
		assert_eq!(
			committee(governance(pallet_governance::Call::approve_root { call_hash })),
			Some(Ok(()))
		);
		let at = Governance::pending()[0].1.at;
		assert_eq!(at, 1 + Governance::root_delay());
		run_to_block(at - 1);
		assert_eq!(written(), None);
		run_to_block(at);
		assert_eq!(written(), Some(b"root".to_vec()));
	});
}

#[test]
fn the_committee_enters_safe_mode_and_only_the_council_leaves_it_early() {
	ext_from_preset("development").execute_with(|| {
		assert_eq!(
			committee(RuntimeCall::SafeMode(pallet_safe_mode::Call::force_enter {})),
			Some(Ok(()))
		);
		assert!(SafeMode::is_entered());
		// Ordinary transactions are filtered; the chain's own calls and governance are not.
		let transfer = RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
			dest: account(Sr25519Keyring::Bob).into(),
			value: 1,
		});
		assert_noop!(
			transfer.clone().dispatch(RuntimeOrigin::signed(alice())).map_err(|e| e.error),
			frame_system::Error::<Runtime>::CallFiltered
		);
		assert!(<Runtime as frame_system::Config>::BaseCallFilter::contains(
			&RuntimeCall::Timestamp(pallet_timestamp::Call::set { now: 0 })
		));
		// A borrower can still repay and add collateral.
		assert!(<Runtime as frame_system::Config>::BaseCallFilter::contains(
			&RuntimeCall::Lending(pallet_lending::Call::repay {
				market: 0,
				borrower: alice(),
				amount: 1
			})
		));
		// The committee can neither leave it nor extend it (it could hold the chain still).
		assert_eq!(
			committee(RuntimeCall::SafeMode(pallet_safe_mode::Call::force_exit {})),
			Some(Err(DispatchError::BadOrigin))
		);
		assert_eq!(
			committee(RuntimeCall::SafeMode(pallet_safe_mode::Call::force_extend {})),
			Some(Err(DispatchError::BadOrigin))
		);
		// The council, after its delay.
		assert_eq!(
			council(governance(pallet_governance::Call::schedule_parameters {
				call: Box::new(RuntimeCall::SafeMode(pallet_safe_mode::Call::force_exit {}))
			})),
			Some(Ok(()))
		);
		run_to_block(1 + Governance::parameters_delay());
		assert!(!SafeMode::is_entered());
		assert_ok!(transfer.dispatch(RuntimeOrigin::signed(alice())));
	});
}

#[test]
fn the_committee_pauses_a_call_and_only_the_council_unpauses_it() {
	ext_from_preset("development").execute_with(|| {
		let name = |pallet: &[u8], call: &[u8]| {
			(pallet.to_vec().try_into().unwrap(), call.to_vec().try_into().unwrap())
		};
		let borrow = name(b"Lending", b"borrow");
		assert_eq!(
			committee(RuntimeCall::TxPause(pallet_tx_pause::Call::pause {
				full_name: borrow.clone()
			})),
			Some(Ok(()))
		);
		assert!(TxPause::is_paused(&borrow));
		assert_eq!(
			committee(RuntimeCall::TxPause(pallet_tx_pause::Call::unpause {
				ident: borrow.clone()
			})),
			Some(Err(DispatchError::BadOrigin))
		);
		// Governance itself can never be paused.
		assert!(committee(RuntimeCall::TxPause(pallet_tx_pause::Call::pause {
			full_name: name(b"Council", b"close")
		}))
		.is_some_and(|result| result.is_err()));
	});
}

#[test]
fn a_signed_account_can_do_none_of_it() {
	with_market(|market| {
		let eve = RuntimeOrigin::signed(account(Sr25519Keyring::Eve));
		let calls = [
			RuntimeCall::Lending(pallet_lending::Call::set_state {
				market,
				state: MarketState::Frozen,
			}),
			RuntimeCall::Lending(pallet_lending::Call::set_params {
				market,
				params: tighter_params(),
			}),
			governance(pallet_governance::Call::schedule_parameters {
				call: Box::new(RuntimeCall::System(frame_system::Call::remark { remark: vec![] })),
			}),
			governance(pallet_governance::Call::propose_root {
				call: Box::new(RuntimeCall::System(frame_system::Call::remark { remark: vec![] })),
			}),
			governance(pallet_governance::Call::emergency {
				call: Box::new(RuntimeCall::System(frame_system::Call::remark { remark: vec![] })),
			}),
			RuntimeCall::SafeMode(pallet_safe_mode::Call::force_enter {}),
			RuntimeCall::TxPause(pallet_tx_pause::Call::pause {
				full_name: (
					b"Lending".to_vec().try_into().unwrap(),
					b"borrow".to_vec().try_into().unwrap(),
				),
			}),
			RuntimeCall::Treasury(pallet_treasury::Call::spend {
				asset_kind: Box::new(()),
				amount: 1,
				beneficiary: Box::new(account(Sr25519Keyring::Eve)),
				valid_from: None,
			}),
			RuntimeCall::CollatorSelection(
				pallet_collator_selection::Call::set_desired_candidates { max: 0 },
			),
		];
		for call in calls {
			assert!(call.clone().dispatch(eve.clone()).is_err(), "{:?}", call.get_dispatch_info());
		}
		// Safe mode cannot be entered by deposit (no deposit is configured).
		assert!(RuntimeCall::SafeMode(pallet_safe_mode::Call::enter {})
			.dispatch(eve.clone())
			.is_err());
		// A non-member cannot propose a motion.
		assert_noop!(
			Council::propose(
				eve,
				1,
				Box::new(RuntimeCall::System(frame_system::Call::remark { remark: vec![] })),
				10
			),
			pallet_collective::Error::<Runtime, pallet_collective::Instance1>::NotMember
		);
		assert_eq!(state(market), MarketState::Active);
	});
}

#[test]
fn a_non_transfer_proxy_cannot_move_lock_or_bond_funds() {
	use ballast_runtime::configs::accounts::ProxyType;
	use frame_support::traits::InstanceFilter;
	let eve = account(Sr25519Keyring::Eve);
	for call in [
		RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
			dest: eve.clone().into(),
			value: 1,
		}),
		RuntimeCall::Assets(pallet_assets::Call::transfer {
			id: ETH.into(),
			target: eve.clone().into(),
			amount: 1,
		}),
		// Pays another borrower's debt from the proxied account.
		RuntimeCall::Lending(pallet_lending::Call::repay {
			market: 0,
			borrower: eve.clone(),
			amount: 1,
		}),
		RuntimeCall::Lending(pallet_lending::Call::supply { market: 0, amount: 1 }),
		RuntimeCall::LrtBridge(pallet_lrt_bridge::Call::withdraw {
			lrt: ETH,
			amount: 1,
			recipient: Default::default(),
		}),
		RuntimeCall::CollatorSelection(pallet_collator_selection::Call::register_as_candidate {}),
		RuntimeCall::Proxy(pallet_proxy::Call::add_proxy {
			delegate: eve.clone().into(),
			proxy_type: ProxyType::Any,
			delay: 0,
		}),
		RuntimeCall::Sudo(pallet_sudo::Call::sudo {
			call: Box::new(RuntimeCall::System(frame_system::Call::remark { remark: vec![] })),
		}),
	] {
		assert!(!ProxyType::NonTransfer.filter(&call), "{call:?}");
	}
	assert!(ProxyType::NonTransfer
		.filter(&RuntimeCall::System(frame_system::Call::remark { remark: vec![] })));
	assert!(ProxyType::NonTransfer.is_superset(&ProxyType::Governance));
	assert!(!ProxyType::NonTransfer.is_superset(&ProxyType::Validator));
	assert!(!ProxyType::Validator.filter(&RuntimeCall::Balances(
		pallet_balances::Call::transfer_keep_alive { dest: eve.into(), value: 1 }
	)));
}

#[test]
fn the_council_replaces_the_committee_after_its_delay_and_the_committee_cannot_stop_it() {
	ext_from_preset("development").execute_with(|| {
		let bob = account(Sr25519Keyring::Bob);
		let replace = RuntimeCall::TechnicalCommittee(pallet_collective::Call::set_members {
			new_members: vec![bob.clone()],
			prime: None,
			old_count: 1,
		});
		// Not by the council directly, nor by the committee itself.
		assert_eq!(council(replace.clone()), Some(Err(DispatchError::BadOrigin)));
		assert_eq!(committee(replace.clone()), Some(Err(DispatchError::BadOrigin)));
		assert_eq!(
			council(governance(pallet_governance::Call::schedule_parameters {
				call: Box::new(replace)
			})),
			Some(Ok(()))
		);
		let id = Governance::pending()[0].0;
		// The committee cannot cancel the change that replaces it.
		assert_eq!(
			committee(governance(pallet_governance::Call::cancel { id })),
			Some(Err(DispatchError::BadOrigin))
		);
		run_to_block(1 + Governance::parameters_delay());
		assert_eq!(
			pallet_collective::Members::<Runtime, pallet_collective::Instance2>::get(),
			vec![bob]
		);
	});
}

#[test]
fn the_committee_cannot_pause_a_borrowers_way_out() {
	ext_from_preset("development").execute_with(|| {
		let name = |call: &[u8]| {
			(b"Lending".to_vec().try_into().unwrap(), call.to_vec().try_into().unwrap())
		};
		for call in [&b"repay"[..], b"deposit_collateral"] {
			assert!(committee(RuntimeCall::TxPause(pallet_tx_pause::Call::pause {
				full_name: name(call)
			}))
			.is_some_and(|result| result.is_err()));
			assert!(!TxPause::is_paused(&name(call)));
		}
	});
}
