//! The LRT bridge in the real runtime, verified by Snowbridge's light client: BallastGateway run
//! in an EVM → its receipt → receipts-trie proof → execution header → beacon block body →
//! checkpointed beacon header → `Verifier::verify` → mint. Then a withdrawal is burned and
//! committed in the block's digest, provable through the runtime API until its commitment is
//! pruned. What deposits pay is checked with signed extrinsics through the real transaction
//! extensions (transaction payment included): a free deposit pays its proof's length, a
//! `utility.batch` of deposits pays its fee and each deposit's length, a replay pays in full.

use super::ext_from_preset;
use ballast_ethereum_harness::{
	calls::{approveCall, configureLrtCall, constructorCall, depositCall, mintCall},
	evm::ether,
	scenarios::{deposit_and_report, DepositAndReport, BEEFY_CLIENT, OWNER, USER},
	BeaconBlock, Ethereum, SYNTHETIC_SLOT,
};
use ballast_gateway::{BackingReport, Deposit};
use ballast_runtime::{
	Address, Balances, EthereumBeaconClient, Executive, LrtBridge, Runtime, RuntimeCall,
	RuntimeOrigin, SignedPayload, System, TransactionPayment, TxExtension, UncheckedExtrinsic,
};
use codec::{Compact, Decode, Encode};
use frame_support::{
	assert_noop, assert_ok,
	dispatch::{GetDispatchInfo, Pays},
	traits::{Get, Hooks},
};
use pallet_lrt_bridge::{BridgeTotals, Error, WITHDRAWALS_DIGEST_PREFIX};
use snowbridge_verification_primitives::EventProof;
use sp_core::H160;
use sp_keyring::Sr25519Keyring;
use sp_runtime::{
	generic::Era,
	traits::{Keccak256, Zero},
	DigestItem, DispatchError,
};

pub(super) const LRT: u32 = 1_000;
pub(super) const UNIT: u128 = 1_000_000_000_000_000_000;

pub(super) fn alice_bytes() -> [u8; 32] {
	Sr25519Keyring::Alice.to_account_id().into()
}

/// The light client holds the scenario's block and its LRT is registered (asset 1000).
pub(super) fn installed(scenario: &DepositAndReport) {
	install_lrt(&scenario.beacon, scenario.token, scenario.gateway);
}

/// The light client holds `beacon`'s block, and the gateway's LRT is registered as asset `LRT`.
pub(super) fn install_lrt(
	beacon: &ballast_ethereum_harness::beacon::BeaconBlock,
	token: sp_core::H160,
	gateway: sp_core::H160,
) {
	assert_ok!(EthereumBeaconClient::force_checkpoint(
		RuntimeOrigin::root(),
		Box::new(beacon.checkpoint.clone())
	));
	assert_ok!(LrtBridge::register_lrt(
		RuntimeOrigin::root(),
		LRT,
		token,
		gateway,
		1_000 * UNIT,
		100
	));
}

pub(super) fn submit(
	proof: &snowbridge_verification_primitives::EventProof,
) -> frame_support::dispatch::DispatchResultWithPostInfo {
	RuntimeCall::LrtBridge(pallet_lrt_bridge::Call::submit_deposit {
		event: Box::new(proof.clone()),
	})
	.dispatch(RuntimeOrigin::signed(Sr25519Keyring::Bob.to_account_id()))
}

use sp_runtime::traits::Dispatchable;

#[test]
fn a_gateway_deposit_is_verified_by_the_light_client_and_minted() {
	let scenario = deposit_and_report(alice_bytes(), 10, 1_030);
	ext_from_preset(sp_genesis_builder::DEV_RUNTIME_PRESET).execute_with(|| {
		// Before the light client holds the block, nothing verifies.
		assert_ok!(LrtBridge::register_lrt(
			RuntimeOrigin::root(),
			LRT,
			scenario.token,
			scenario.gateway,
			1_000 * UNIT,
			100
		));
		assert_noop!(submit(&scenario.deposit), Error::<Runtime>::InvalidProof);
		assert_ok!(EthereumBeaconClient::force_checkpoint(
			RuntimeOrigin::root(),
			Box::new(scenario.beacon.checkpoint.clone())
		));

		let result = submit(&scenario.deposit).expect("verified and minted");
		assert_eq!(result.pays_fee, Pays::No);
		let alice = Sr25519Keyring::Alice.to_account_id();
		assert_eq!(ballast_runtime::Assets::balance(LRT, &alice), 10 * UNIT);
		assert_eq!(
			pallet_lrt_bridge::Totals::<Runtime>::get(LRT),
			BridgeTotals { deposited: 10 * UNIT, withdrawn: 0 }
		);
		let deposit = Deposit::from_log(&scenario.deposit.event_log).expect("a deposit");
		assert_eq!(deposit.recipient, alice_bytes());

		// The same block's backing report is a valid, proven log too, but not a deposit.
		assert_noop!(submit(&scenario.report), Error::<Runtime>::NotADeposit);
		let report = BackingReport::from_log(&scenario.report.event_log).expect("a report");
		assert_eq!(report.total_eth, 1_030 * UNIT);
		assert_ok!(<EthereumBeaconClient as snowbridge_verification_primitives::Verifier>::verify(
			&scenario.report.event_log,
			&scenario.report.proof
		));

		// Replays, forgeries and wrong emitters change nothing.
		assert_noop!(submit(&scenario.deposit), Error::<Runtime>::NonceAlreadyUsed);
		let mut forged = scenario.deposit.clone();
		forged.event_log.data[3 * 32 + 30] ^= 1;
		forged.event_log.data[4 * 32 + 31] ^= 0x40; // a fresh nonce, too
		assert_noop!(submit(&forged), Error::<Runtime>::InvalidProof);
		let mut foreign = scenario.deposit.clone();
		foreign.event_log.address = H160::repeat_byte(0x99);
		assert_noop!(submit(&foreign), Error::<Runtime>::WrongGateway);
		let mut wrong_branch = scenario.deposit.clone();
		wrong_branch.event_log.data[4 * 32 + 31] ^= 0x40;
		wrong_branch.proof.execution_proof.execution_branch[1].0[0] ^= 1;
		assert_noop!(submit(&wrong_branch), Error::<Runtime>::InvalidProof);
		assert_eq!(LrtBridge::supply(LRT), 10 * UNIT);
	});
}

#[test]
fn withdrawals_are_committed_in_the_header_digest() {
	let scenario = deposit_and_report(alice_bytes(), 10, 1_030);
	ext_from_preset(sp_genesis_builder::DEV_RUNTIME_PRESET).execute_with(|| {
		installed(&scenario);
		assert_ok!(submit(&scenario.deposit));
		let alice = Sr25519Keyring::Alice.to_account_id();
		let recipient = H160::repeat_byte(0xee);
		assert_ok!(LrtBridge::withdraw(
			RuntimeOrigin::signed(alice.clone()),
			LRT,
			4 * UNIT,
			recipient
		));
		assert_ok!(LrtBridge::withdraw(RuntimeOrigin::signed(alice), LRT, UNIT, recipient));
		LrtBridge::on_finalize(1);
		let (root, _) = pallet_lrt_bridge::Commitments::<Runtime>::get(1).expect("committed");
		let mut item = WITHDRAWALS_DIGEST_PREFIX.to_vec();
		item.extend_from_slice(root.as_bytes());
		assert!(System::digest().logs.contains(&DigestItem::Other(item)));
		let proof = LrtBridge::withdrawal_proof(1).expect("committed");
		assert_eq!(proof.leaf_count, 2);
		assert_eq!(
			proof.message,
			ballast_gateway::withdrawal_message(
				scenario.gateway,
				scenario.token,
				recipient,
				UNIT,
				1
			)
		);
		assert!(binary_merkle_tree::verify_proof::<Keccak256, _, _>(
			&proof.root,
			proof.proof.clone(),
			proof.leaf_count,
			proof.leaf_index,
			&proof.message,
		));
		assert_eq!(LrtBridge::supply(LRT), 5 * UNIT);
	});
}

/// The benchmarks' recorded story is exactly what the harness builds (regenerate with
/// `BALLAST_WRITE_FIXTURES=1 cargo test --release -p ballast-integration-tests recorded`).
#[test]
fn the_recorded_benchmark_story_is_the_harness_output() {
	let story = ballast_ethereum_harness::scenarios::story([0x11; 32], 10, 1_030);
	let encoded = (
		story.beacon.checkpoint.clone(),
		story.deposit.clone(),
		story.report.clone(),
		story.slashing.clone(),
		story.gateway,
		story.token,
		story.allocation_manager,
	)
		.encode();
	let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../runtime/fixtures/bridge_story.scale");
	if std::env::var_os("BALLAST_WRITE_FIXTURES").is_some() {
		std::fs::write(path, &encoded).expect("fixture written");
	}
	let recorded = std::fs::read(path).expect("fixture recorded");
	assert!(recorded == encoded, "{path} is stale: regenerate it");
	// And the runtime accepts its deposit.
	ext_from_preset(sp_genesis_builder::DEV_RUNTIME_PRESET).execute_with(|| {
		install_lrt(&story.beacon, story.token, story.gateway);
		assert_ok!(submit(&story.deposit));
	});
}

/// `submit_deposit(proof)`.
fn deposit_call(proof: &EventProof) -> RuntimeCall {
	RuntimeCall::LrtBridge(pallet_lrt_bridge::Call::submit_deposit {
		event: Box::new(proof.clone()),
	})
}

/// `utility.batch(calls)`, built from its encoding (pallet 2, call 0): the tests do not depend
/// on pallet-utility itself.
fn batch(calls: Vec<RuntimeCall>) -> RuntimeCall {
	let mut bytes = vec![2u8, 0];
	calls.encode_to(&mut bytes);
	let call = RuntimeCall::decode(&mut &bytes[..]).expect("utility.batch decodes");
	assert!(matches!(call, RuntimeCall::Utility(_)));
	call
}

/// `call` signed by `who` as a wallet sends it: its next nonce, immortal, no tip, no metadata
/// hash (the extensions' explicit data, decoded into the runtime's own `TxExtension`).
fn signed(who: Sr25519Keyring, call: RuntimeCall) -> UncheckedExtrinsic {
	let account = who.to_account_id();
	let explicit =
		(Era::Immortal, Compact(System::account_nonce(&account)), Compact(0u128), 0u8).encode();
	let extension = TxExtension::decode(&mut &explicit[..]).expect("the extensions decode");
	let payload = SignedPayload::new(call.clone(), extension.clone()).expect("a payload");
	let signature = payload.using_encoded(|bytes| who.sign(bytes));
	UncheckedExtrinsic::new_signed(call, Address::Id(account), signature.into(), extension)
}

/// Applies `xt` as the block author would; returns the call's result and what its signer paid.
fn apply(who: Sr25519Keyring, xt: UncheckedExtrinsic) -> (Result<(), DispatchError>, u128) {
	let account = who.to_account_id();
	let before = Balances::free_balance(&account);
	let result = Executive::apply_extrinsic(xt).expect("a valid transaction");
	(result, before - Balances::free_balance(&account))
}

/// The `actual_fee` of the last `TransactionFeePaid` event: the transaction fee, after refunds
/// (read from the event's encoding, `(variant 0, who, actual_fee, tip)`: the tests do not depend
/// on pallet-transaction-payment itself).
fn transaction_fee_paid() -> u128 {
	let event = System::events()
		.into_iter()
		.rev()
		.find_map(|record| match record.event {
			ballast_runtime::RuntimeEvent::TransactionPayment(event) => Some(event),
			_ => None,
		})
		.expect("a TransactionFeePaid event");
	let (variant, _who, actual_fee, _tip) =
		<(u8, ballast_primitives::AccountId, u128, u128)>::decode(&mut &event.encode()[..])
			.expect("TransactionFeePaid");
	assert_eq!(variant, 0);
	actual_fee
}

/// One finalized Ethereum block in which the user deposits 3 and then 4 tokens for Alice:
/// the two events' proofs; the light client holds the block and the LRT is registered.
fn two_deposits_installed() -> (EventProof, EventProof) {
	let mut eth = Ethereum::new();
	let token = eth.deploy(OWNER, "MockLrt", &("ezETH".to_string(),).abi_encode_params());
	let gateway = eth.deploy(
		OWNER,
		"BallastGateway",
		&alloy_sol_types::SolConstructor::abi_encode(&constructorCall {
			owner: OWNER,
			beefyClient: BEEFY_CLIENT,
		}),
	);
	use alloy_sol_types::{SolCall, SolValue};
	let source = eth.deploy(OWNER, "MockBackingSource", &(token,).abi_encode_params());
	for (from, to, data) in [
		(OWNER, token, mintCall { to: USER, amount: ether(1_000) }.abi_encode()),
		(
			USER,
			token,
			approveCall { spender: gateway, amount: alloy_primitives::U256::MAX }.abi_encode(),
		),
		(
			OWNER,
			gateway,
			configureLrtCall { lrt: token, backingSource: source, depositsOpen: false }
				.abi_encode(),
		),
	] {
		assert!(eth.call(from, to, data).success, "setup reverted");
	}
	ballast_ethereum_harness::scenarios::open_deposits(&mut eth, gateway, token);
	eth.seal();
	let deposits: Vec<_> = [3, 4]
		.into_iter()
		.map(|whole| {
			let call =
				depositCall { lrt: token, amount: ether(whole), recipient: alice_bytes().into() };
			let result = eth.call(USER, gateway, call.abi_encode());
			assert!(result.success, "deposit reverted");
			result
		})
		.collect();
	let block = eth.seal();
	let beacon = BeaconBlock::new(SYNTHETIC_SLOT, &block);
	let proof = |result: &ballast_ethereum_harness::TxResult| {
		let log = result.logs.iter().find(|log| log.address == gateway).expect("Deposited");
		beacon.event_proof(log, result.tx_index)
	};
	let proofs = (proof(&deposits[0]), proof(&deposits[1]));
	install_lrt(&beacon, H160::from(token.0 .0), H160::from(gateway.0 .0));
	proofs
}

#[test]
fn a_free_deposit_still_pays_for_its_length_in_a_signed_transaction() {
	let scenario = deposit_and_report(alice_bytes(), 10, 1_030);
	ext_from_preset(sp_genesis_builder::DEV_RUNTIME_PRESET).execute_with(|| {
		installed(&scenario);
		let size = LrtBridge::proof_size(&scenario.deposit);
		let length_fee = LrtBridge::length_fee(size);
		// The proof's bytes cost what any transaction's bytes cost.
		assert_eq!(length_fee, TransactionPayment::length_to_fee(size));
		assert!(!length_fee.is_zero());

		let xt = signed(Sr25519Keyring::Bob, deposit_call(&scenario.deposit));
		let (result, paid) = apply(Sr25519Keyring::Bob, xt);
		assert_ok!(result);
		assert_eq!(LrtBridge::supply(LRT), 10 * UNIT);
		// The transaction's fee is refunded (`Pays::No`), the proof's length is not.
		assert_eq!(transaction_fee_paid(), 0);
		assert_eq!(paid, length_fee);
	});
}

#[test]
fn a_batch_of_deposits_pays_its_fee_and_each_deposit_its_length() {
	ext_from_preset(sp_genesis_builder::DEV_RUNTIME_PRESET).execute_with(|| {
		let (first, second) = two_deposits_installed();
		let lengths = LrtBridge::length_fee(LrtBridge::proof_size(&first))
			+ LrtBridge::length_fee(LrtBridge::proof_size(&second));

		let xt =
			signed(Sr25519Keyring::Bob, batch(vec![deposit_call(&first), deposit_call(&second)]));
		let (len, info) = (xt.encoded_size() as u32, xt.get_dispatch_info());
		let (result, paid) = apply(Sr25519Keyring::Bob, xt);
		assert_ok!(result);
		assert_eq!(LrtBridge::supply(LRT), 7 * UNIT);
		// `utility.batch` ignores its calls' `Pays::No`: it pays its own fee (its whole length
		// included), and each deposit pays its proof's length on top.
		let fee = transaction_fee_paid();
		assert!(fee > TransactionPayment::length_to_fee(len), "{fee}");
		assert!(fee <= TransactionPayment::compute_fee(len, &info, 0), "{fee}");
		assert_eq!(paid, fee + lengths);
	});
}

#[test]
fn a_second_account_replaying_a_deposit_pays_the_full_fee() {
	let scenario = deposit_and_report(alice_bytes(), 10, 1_030);
	ext_from_preset(sp_genesis_builder::DEV_RUNTIME_PRESET).execute_with(|| {
		installed(&scenario);
		let (result, _) = apply(
			Sr25519Keyring::Bob,
			signed(Sr25519Keyring::Bob, deposit_call(&scenario.deposit)),
		);
		assert_ok!(result);

		let xt = signed(Sr25519Keyring::Charlie, deposit_call(&scenario.deposit));
		let (len, info) = (xt.encoded_size() as u32, xt.get_dispatch_info());
		let (result, paid) = apply(Sr25519Keyring::Charlie, xt);
		assert_eq!(result, Err(Error::<Runtime>::NonceAlreadyUsed.into()));
		// Refused, so not free: the whole fee for its weight and its length, and nothing else.
		assert!(paid > TransactionPayment::length_to_fee(len), "{paid}");
		assert!(paid <= TransactionPayment::compute_fee(len, &info, 0), "{paid}");
		assert_eq!(paid, transaction_fee_paid());
		assert_eq!(LrtBridge::supply(LRT), 10 * UNIT);
	});
}

#[test]
fn a_proof_over_the_runtime_bound_is_refused() {
	let scenario = deposit_and_report(alice_bytes(), 10, 1_030);
	ext_from_preset(sp_genesis_builder::DEV_RUNTIME_PRESET).execute_with(|| {
		installed(&scenario);
		let bound: u32 = <Runtime as pallet_lrt_bridge::Config>::MaxProofSize::get();
		assert_eq!(bound, 64 * 1024);
		let mut over = scenario.deposit.clone();
		over.proof.receipt_proof.push(vec![0; bound as usize]);
		assert_noop!(submit(&over), Error::<Runtime>::ProofTooLarge);
		// A proof at the bound declares a small part of a block's weight.
		let info = deposit_call(&over).get_dispatch_info();
		let block = ballast_runtime::configs::system::RuntimeBlockWeights::get().max_block;
		assert!(info.call_weight.ref_time() < block.ref_time() / 50, "{info:?}");
		assert!(
			info.call_weight.ref_time()
				> deposit_call(&scenario.deposit).get_dispatch_info().call_weight.ref_time()
		);
		assert_ok!(submit(&scenario.deposit));
	});
}

#[test]
fn withdrawal_proofs_are_served_for_the_retention_then_pruned() {
	let scenario = deposit_and_report(alice_bytes(), 10, 1_030);
	ext_from_preset(sp_genesis_builder::DEV_RUNTIME_PRESET).execute_with(|| {
		installed(&scenario);
		assert_ok!(submit(&scenario.deposit));
		let alice = Sr25519Keyring::Alice.to_account_id();
		assert_ok!(LrtBridge::withdraw(
			RuntimeOrigin::signed(alice),
			LRT,
			UNIT,
			H160::repeat_byte(0xee)
		));
		LrtBridge::on_finalize(1);
		let retention: u32 = <Runtime as pallet_lrt_bridge::Config>::CommitmentRetention::get();
		assert_eq!(retention, 7 * ballast_primitives::time::DAYS);
		for (block, kept) in [(retention, true), (1 + retention, false)] {
			System::set_block_number(block);
			LrtBridge::on_initialize(block);
			assert_eq!(LrtBridge::withdrawal_proof(0).is_some(), kept, "block {block}");
			assert_eq!(pallet_lrt_bridge::Withdrawals::<Runtime>::contains_key(0), kept);
		}
		assert_eq!(
			pallet_lrt_bridge::Totals::<Runtime>::get(LRT),
			BridgeTotals { deposited: 10 * UNIT, withdrawn: UNIT }
		);
	});
}

/// H-2: bridged ETH enters only through proofs. Genesis gives every role of the ETH asset to the
/// bridge's keyless account; governance registers it against the gateway's WETH; a proven
/// deposit mints it. The old sudo/owner key (Alice), signing `assets` calls herself, can then
/// neither mint it, move it out of the lending account, freeze that account nor hand the asset
/// to another team.
#[test]
fn bridged_eth_is_minted_only_by_proofs_and_no_signed_key_can_move_it() {
	use ballast_primitives::assets::ETH;
	use frame_support::traits::fungibles::{roles::Inspect as Roles, Inspect};
	let scenario = deposit_and_report(alice_bytes(), 10, 1_030);
	ext_from_preset(sp_genesis_builder::DEV_RUNTIME_PRESET).execute_with(|| {
		let alice = Sr25519Keyring::Alice.to_account_id();
		let bridge = LrtBridge::account_id();
		let lending = ballast_runtime::Lending::account_id();
		for role in [
			<ballast_runtime::Assets as Roles<_>>::owner(ETH),
			<ballast_runtime::Assets as Roles<_>>::issuer(ETH),
			<ballast_runtime::Assets as Roles<_>>::admin(ETH),
			<ballast_runtime::Assets as Roles<_>>::freezer(ETH),
		] {
			assert_eq!(role, Some(bridge.clone()));
		}
		// The gateway's token plays WETH here: the bridge mints by proven events, whatever the
		// token.
		assert_ok!(EthereumBeaconClient::force_checkpoint(
			RuntimeOrigin::root(),
			Box::new(scenario.beacon.checkpoint.clone())
		));
		assert_ok!(LrtBridge::register_ether(
			RuntimeOrigin::root(),
			ETH,
			scenario.token,
			scenario.gateway,
			1_000 * UNIT,
			100
		));
		assert_ok!(submit(&scenario.deposit));
		assert_eq!(ballast_runtime::Assets::balance(ETH, &alice), 10 * UNIT);
		assert_ok!(ballast_runtime::Assets::transfer(
			RuntimeOrigin::signed(alice.clone()),
			ETH.into(),
			lending.clone().into(),
			5 * UNIT
		));

		let signed = |call: pallet_assets::Call<Runtime>| {
			RuntimeCall::Assets(call)
				.dispatch(RuntimeOrigin::signed(alice.clone()))
				.map_err(|e| e.error)
		};
		let no_permission: DispatchError = pallet_assets::Error::<Runtime>::NoPermission.into();
		let refused = [
			pallet_assets::Call::mint {
				id: ETH.into(),
				beneficiary: alice.clone().into(),
				amount: UNIT,
			},
			pallet_assets::Call::force_transfer {
				id: ETH.into(),
				source: lending.clone().into(),
				dest: alice.clone().into(),
				amount: UNIT,
			},
			pallet_assets::Call::burn { id: ETH.into(), who: lending.clone().into(), amount: UNIT },
			pallet_assets::Call::freeze { id: ETH.into(), who: lending.clone().into() },
			pallet_assets::Call::freeze_asset { id: ETH.into() },
			pallet_assets::Call::set_team {
				id: ETH.into(),
				issuer: alice.clone().into(),
				admin: alice.clone().into(),
				freezer: alice.clone().into(),
			},
			pallet_assets::Call::transfer_ownership { id: ETH.into(), owner: alice.clone().into() },
			pallet_assets::Call::start_destroy { id: ETH.into() },
		];
		for call in refused {
			let name = format!("{call:?}");
			assert_eq!(signed(call), Err(no_permission), "{name}");
		}
		assert_eq!(ballast_runtime::Assets::balance(ETH, &lending), 5 * UNIT);
		assert_eq!(ballast_runtime::Assets::total_issuance(ETH), 10 * UNIT);
		assert_eq!(
			pallet_lrt_bridge::Totals::<Runtime>::get(ETH),
			BridgeTotals { deposited: 10 * UNIT, withdrawn: 0 }
		);
		super::assert_books_hold();
	});
}
