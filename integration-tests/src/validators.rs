//! The validator set through the real runtime: the presets' validators hold their seats and
//! report risk; a bonded candidate joins at the second session boundary and reports from the
//! next risk epoch; a real GRANDPA double vote, signed with the validator's key and proven
//! against the historical session, disables the offender, takes its seat (and its bond, paid to
//! the treasury); fees are split between the treasury and the validators' pot.

use super::{account, ext_from_preset};
use ballast_primitives::AccountId;
use ballast_runtime::{
	configs::{monetary::TREASURY_FEE_SHARE, validators::DEFAULT_CANDIDACY_BOND},
	CollatorSelection, Executive, Grandpa, Historical, Runtime, RuntimeCall, RuntimeOrigin,
	Session, SessionKeys, System, Treasury, UncheckedExtrinsic, ValidatorSet,
};
use codec::Encode;
use frame_support::{
	assert_noop, assert_ok,
	traits::{Hooks, KeyOwnerProofSystem},
};
use sp_consensus_grandpa::{AuthorityId as GrandpaId, KEY_TYPE as GRANDPA};
use sp_core::H256;
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};
use sp_keystore::{testing::MemoryKeystore, KeystoreExt};
use std::sync::Arc;

type Balances = ballast_runtime::Balances;

/// Runs blocks up to `to`, rotating sessions as the chain does (Session's `on_initialize`) and
/// applying GRANDPA's scheduled changes (its `on_finalize`).
fn run_to_block(to: u32) {
	let mut block = System::block_number();
	while block < to {
		block += 1;
		System::set_block_number(block);
		Session::on_initialize(block);
		Grandpa::on_finalize(block);
	}
}

/// Runs to the first block of the next session.
pub(super) fn next_session() {
	let period = pallet_validator_set::SessionPeriod::<Runtime>::get();
	let block = System::block_number();
	run_to_block((block / period + 1) * period);
}

fn grandpa_keys() -> Vec<GrandpaId> {
	Grandpa::grandpa_authorities().into_iter().map(|(id, _)| id).collect()
}

/// Ferdie sets session keys made in a keystore (with their ownership proof, as
/// `author_rotateKeysWithOwner` makes them) and bonds as a candidate.
fn ferdie_joins() -> (AccountId, SessionKeys) {
	let ferdie = account(Sr25519Keyring::Ferdie);
	let generated = SessionKeys::generate(&ferdie.encode(), Some(b"//FerdieSession".to_vec()));
	assert_ok!(Session::set_keys(
		RuntimeOrigin::signed(ferdie.clone()),
		generated.keys.clone(),
		generated.proof.encode()
	));
	assert_ok!(CollatorSelection::register_as_candidate(RuntimeOrigin::signed(ferdie.clone())));
	assert_eq!(
		Balances::reserved_balance(&ferdie),
		DEFAULT_CANDIDACY_BOND + ballast_runtime::configs::validators::SessionKeyDeposit::get()
	);
	(ferdie, generated.keys)
}

fn ext_with_keystore(preset: &str) -> sp_io::TestExternalities {
	let mut ext = ext_from_preset(preset);
	ext.register_extension(KeystoreExt(Arc::new(MemoryKeystore::new())));
	ext
}

#[test]
fn the_staging_validators_hold_their_seats_and_report_risk() {
	ext_from_preset(ballast_runtime::genesis_config_presets::STAGING_RUNTIME_PRESET).execute_with(
		|| {
			let keyrings = [
				Sr25519Keyring::Alice,
				Sr25519Keyring::Bob,
				Sr25519Keyring::Charlie,
				Sr25519Keyring::Dave,
			];
			let mut validators: Vec<AccountId> = keyrings.map(account).to_vec();
			validators.sort();
			// The invulnerables, in collator-selection's order (sorted accounts).
			assert_eq!(
				pallet_collator_selection::Invulnerables::<Runtime>::get().to_vec(),
				validators
			);
			assert_eq!(Session::validators(), validators);
			// Aura, GRANDPA and the risk reporters follow the session's order, each with the
			// validator's own key.
			let keyring_of = |who: &AccountId| {
				*keyrings.iter().find(|k| account(**k) == *who).expect("a staging validator")
			};
			let aura: Vec<_> = pallet_aura::Authorities::<Runtime>::get().to_vec();
			let reporters = pallet_risk::Reporters::<Runtime>::get().to_vec();
			for (i, who) in validators.iter().enumerate() {
				let keyring = keyring_of(who);
				assert_eq!(aura[i], keyring.public().into());
				assert_eq!(reporters[i], keyring.public().into());
			}
			assert_eq!(grandpa_keys().len(), 4);
			// The sessions of test networks are short.
			assert_eq!(pallet_validator_set::SessionPeriod::<Runtime>::get(), 10);
		},
	);
}

#[test]
fn a_bonded_candidate_validates_from_the_second_session_boundary_and_can_leave() {
	ext_with_keystore("local_testnet").execute_with(|| {
		let (ferdie, keys) = ferdie_joins();
		next_session();
		// Queued for the next session, not validating yet.
		assert!(!Session::validators().contains(&ferdie));
		assert!(!grandpa_keys().contains(&keys.grandpa));
		next_session();
		assert!(Session::validators().contains(&ferdie));
		assert!(pallet_aura::Authorities::<Runtime>::get().contains(&keys.aura));
		assert!(grandpa_keys().contains(&keys.grandpa));
		// Its risk key reports from the next risk epoch.
		assert!(pallet_risk::PendingReporters::<Runtime>::get()
			.is_some_and(|pending| pending.contains(&keys.risk)));

		// Leaving takes effect at the boundaries the same way; the bond collator-selection
		// returns goes on validator-set's hold while Ferdie's sessions are provable.
		assert_ok!(CollatorSelection::leave_intent(RuntimeOrigin::signed(ferdie.clone())));
		let bond = pallet_collator_selection::CandidacyBond::<Runtime>::get();
		assert_eq!(ValidatorSet::bond_held(&ferdie), bond);
		assert_eq!(
			Balances::reserved_balance(&ferdie),
			ballast_runtime::configs::validators::SessionKeyDeposit::get() + bond
		);
		next_session();
		next_session();
		assert!(!Session::validators().contains(&ferdie));
		assert!(!grandpa_keys().contains(&keys.grandpa));
		// Released once the last session it was planned into is no longer provable.
		let until =
			pallet_validator_set::BondsAtStake::<Runtime>::get(&ferdie).expect("at stake").until;
		while Session::current_index() <= until {
			next_session();
		}
		assert_eq!(ValidatorSet::bond_held(&ferdie), 0);
		assert_eq!(
			Balances::reserved_balance(&ferdie),
			ballast_runtime::configs::validators::SessionKeyDeposit::get()
		);
	});
}

#[test]
fn a_signed_account_cannot_seat_itself_or_change_the_bond() {
	ext_with_keystore("local_testnet").execute_with(|| {
		let eve = account(Sr25519Keyring::Eve);
		assert_noop!(
			CollatorSelection::add_invulnerable(RuntimeOrigin::signed(eve.clone()), eve.clone()),
			sp_runtime::DispatchError::BadOrigin
		);
		assert_noop!(
			CollatorSelection::set_candidacy_bond(RuntimeOrigin::signed(eve.clone()), 0),
			sp_runtime::DispatchError::BadOrigin
		);
		// Without session keys, no candidacy.
		assert_noop!(
			CollatorSelection::register_as_candidate(RuntimeOrigin::signed(eve)),
			pallet_collator_selection::Error::<Runtime>::ValidatorNotRegistered
		);
	});
}

/// Two prevotes for different blocks in the same round, both signed with `voter`'s GRANDPA key.
fn double_prevote(
	voter: Ed25519Keyring,
	set_id: u64,
) -> sp_consensus_grandpa::EquivocationProof<H256, u32> {
	let round = 1;
	let signed = |target: H256| {
		let prevote = finality_grandpa::Prevote { target_hash: target, target_number: 1u32 };
		let payload = sp_consensus_grandpa::localized_payload(
			round,
			set_id,
			&finality_grandpa::Message::Prevote(prevote.clone()),
		);
		let signature: sp_consensus_grandpa::AuthoritySignature = voter.sign(&payload).into();
		(prevote, signature)
	};
	sp_consensus_grandpa::EquivocationProof::new(
		set_id,
		sp_consensus_grandpa::Equivocation::Prevote(finality_grandpa::Equivocation {
			round_number: round,
			identity: voter.public().into(),
			first: signed(H256::repeat_byte(1)),
			second: signed(H256::repeat_byte(2)),
		}),
	)
}

/// Submits a GRANDPA equivocation report as the node's voter does: an unsigned transaction,
/// validated by the pool's rules and applied by `Executive`.
fn report(
	proof: sp_consensus_grandpa::EquivocationProof<H256, u32>,
	key: GrandpaId,
) -> <Historical as KeyOwnerProofSystem<(sp_core::crypto::KeyTypeId, GrandpaId)>>::Proof {
	let key_owner_proof = Historical::prove((GRANDPA, key)).expect("a validator's key");
	let call = RuntimeCall::Grandpa(pallet_grandpa::Call::report_equivocation_unsigned {
		equivocation_proof: Box::new(proof),
		key_owner_proof: key_owner_proof.clone(),
	});
	let xt = UncheckedExtrinsic::new_bare(call);
	assert_ok!(Executive::validate_transaction(
		sp_runtime::transaction_validity::TransactionSource::Local,
		xt.clone(),
		System::parent_hash(),
	));
	assert_ok!(Executive::apply_extrinsic(xt).expect("applies"));
	key_owner_proof
}

#[test]
fn a_proven_grandpa_double_vote_disables_the_validator_and_takes_its_seat() {
	ext_with_keystore(ballast_runtime::genesis_config_presets::STAGING_RUNTIME_PRESET)
		.execute_with(|| {
			next_session();
			let dave = account(Sr25519Keyring::Dave);
			let set_id = Grandpa::current_set_id();
			let dave_key: GrandpaId = Ed25519Keyring::Dave.public().into();
			let equivocation = double_prevote(Ed25519Keyring::Dave, set_id);
			let key_owner_proof = report(equivocation.clone(), dave_key.clone());

			// Disabled for the rest of the session (Aura refuses its blocks)…
			let index =
				Session::validators().iter().position(|v| *v == dave).expect("validates") as u32;
			assert!(Session::disabled_validators().contains(&index));
			// …and out of the set from the second boundary on.
			assert!(!pallet_collator_selection::Invulnerables::<Runtime>::get().contains(&dave));
			next_session();
			next_session();
			assert!(!Session::validators().contains(&dave));
			assert!(!grandpa_keys().contains(&dave_key));

			// Dave's key proves nothing in the current session.
			let now = Historical::prove((GRANDPA, dave_key.clone())).expect("a trie proof");
			assert!(Historical::check_proof((GRANDPA, dave_key.clone()), now).is_none());
			// The same double vote, with its proof against the session it was cast in, is
			// punished once.
			assert!(Grandpa::report_equivocation_unsigned(
				RuntimeOrigin::none(),
				Box::new(equivocation),
				key_owner_proof
			)
			.is_err());
			assert_eq!(pallet_offences::Reports::<Runtime>::iter().count(), 1);
			super::assert_books_hold();
		});
}

#[test]
fn a_bonded_validator_that_double_votes_loses_its_bond_to_the_treasury() {
	ext_with_keystore(ballast_runtime::genesis_config_presets::STAGING_RUNTIME_PRESET)
		.execute_with(|| {
			let (ferdie, keys) = ferdie_joins();
			next_session();
			next_session();
			assert!(Session::validators().contains(&ferdie));
			let treasury_before = Balances::free_balance(Treasury::account_id());
			let total_before =
				<Balances as frame_support::traits::Currency<AccountId>>::total_balance(&ferdie);

			// The keystore holds Ferdie's session GRANDPA key: sign with it.
			let set_id = Grandpa::current_set_id();
			let proof = {
				let round = 1;
				let sign = |target: H256| {
					let prevote =
						finality_grandpa::Prevote { target_hash: target, target_number: 1u32 };
					let payload = sp_consensus_grandpa::localized_payload(
						round,
						set_id,
						&finality_grandpa::Message::Prevote(prevote.clone()),
					);
					let signature = sp_io::crypto::ed25519_sign(
						GRANDPA,
						&keys.grandpa.clone().into(),
						&payload,
					)
					.expect("the keystore holds the key");
					(prevote, signature.into())
				};
				sp_consensus_grandpa::EquivocationProof::new(
					set_id,
					sp_consensus_grandpa::Equivocation::Prevote(finality_grandpa::Equivocation {
						round_number: round,
						identity: keys.grandpa.clone(),
						first: sign(H256::repeat_byte(1)),
						second: sign(H256::repeat_byte(2)),
					}),
				)
			};
			report(proof.clone(), keys.grandpa.clone());

			// One offender among five validators: GRANDPA's (3k/n)² = 36 % of the bond (above
			// the 10 % minimum) goes to the treasury, the rest comes back with the seat.
			let slashed = total_before
				- <Balances as frame_support::traits::Currency<AccountId>>::total_balance(&ferdie);
			assert_eq!(slashed, DEFAULT_CANDIDACY_BOND * 36 / 100);
			assert_eq!(Balances::free_balance(Treasury::account_id()), treasury_before + slashed);
			assert_eq!(
				Balances::reserved_balance(&ferdie),
				ballast_runtime::configs::validators::SessionKeyDeposit::get()
			);
			assert!(pallet_collator_selection::CandidateList::<Runtime>::get()
				.iter()
				.all(|candidate| candidate.who != ferdie));

			// A second report of the same votes is refused, and nothing more is taken.
			let key_owner_proof = Historical::prove((GRANDPA, keys.grandpa.clone())).expect("key");
			assert!(Grandpa::report_equivocation_unsigned(
				RuntimeOrigin::none(),
				Box::new(proof),
				key_owner_proof
			)
			.is_err());
			assert_eq!(
				total_before
					- <Balances as frame_support::traits::Currency<AccountId>>::total_balance(
						&ferdie
					),
				slashed
			);
		});
}

#[test]
fn fees_go_to_the_treasury_and_the_validators_pot() {
	ext_from_preset("development").execute_with(|| {
		let bob = account(Sr25519Keyring::Bob);
		let treasury = Treasury::account_id();
		let pot = CollatorSelection::account_id();
		let (treasury_before, pot_before) =
			(Balances::free_balance(&treasury), Balances::free_balance(&pot));
		let issuance = Balances::total_issuance();
		let call = RuntimeCall::System(frame_system::Call::remark { remark: vec![0; 100] });
		let info = frame_support::dispatch::GetDispatchInfo::get_dispatch_info(&call);
		let fee = pallet_transaction_payment::Pallet::<Runtime>::compute_fee(100, &info, 0);
		use pallet_transaction_payment::OnChargeTransaction;
		type Charge = <Runtime as pallet_transaction_payment::Config>::OnChargeTransaction;
		let charged =
			<Charge as OnChargeTransaction<Runtime>>::withdraw_fee(&bob, &call, &info, fee, 0)
				.expect("Bob pays");
		let post = frame_support::dispatch::PostDispatchInfo::default();
		<Charge as OnChargeTransaction<Runtime>>::correct_and_deposit_fee(
			&bob, &info, &post, fee, 0, charged,
		)
		.expect("deposited");
		let to_treasury = Balances::free_balance(&treasury) - treasury_before;
		let to_pot = Balances::free_balance(&pot) - pot_before;
		assert_eq!(to_treasury + to_pot, fee);
		assert_eq!(to_treasury, fee * TREASURY_FEE_SHARE as u128 / 100);
		// Nothing was burned.
		assert_eq!(Balances::total_issuance(), issuance);
	});
}

/// A runtime upgrade on a populated state, with try-runtime's checks but without its feature
/// (which would compile the runtime a second time in CI): Ferdie validated and left (its bond on
/// hold, its sessions still provable), an LRT market is open. `Executive` runs the upgrade's
/// hooks as it does when the code changes (`Migrations`, none: no storage layout changed since
/// a chain was launched, then every pallet's `on_runtime_upgrade`); every pallet's books hold
/// before and after, and the storage is unchanged. A change of layout must come with a
/// migration, which makes this test fail until its checks are added here.
#[test]
fn a_runtime_upgrade_on_a_populated_state_migrates_nothing_and_every_book_holds() {
	use ballast_primitives::assets::ETH;
	use ballast_runtime::{Assets, Lending};
	use sp_runtime::StateVersion;
	const LRT: u32 = 1_000;

	ext_with_keystore("local_testnet").execute_with(|| {
		let (ferdie, _) = ferdie_joins();
		next_session();
		next_session();
		assert!(Session::validators().contains(&ferdie));
		assert_ok!(CollatorSelection::leave_intent(RuntimeOrigin::signed(ferdie.clone())));
		assert_eq!(ValidatorSet::bond_held(&ferdie), DEFAULT_CANDIDACY_BOND);
		assert_ok!(Assets::force_create(
			RuntimeOrigin::root(),
			LRT.into(),
			ferdie.clone().into(),
			true,
			1
		));
		assert_ok!(Lending::create_market(
			RuntimeOrigin::root(),
			LRT,
			ETH,
			pallet_lending::MarketParams::reference()
		));
		next_session();
		crate::assert_books_hold();

		let before = sp_io::storage::root(StateVersion::V1);
		Executive::execute_on_runtime_upgrade();
		assert_eq!(
			sp_io::storage::root(StateVersion::V1),
			before,
			"the upgrade hooks changed the storage: add the migration and its checks"
		);
		crate::assert_books_hold();
		next_session();
		crate::assert_books_hold();
	});
}
