//! Proofs built from real Sepolia `BeaconState`s verify with the on-chain verifier, and nothing
//! else does.

use ballast_ethereum_proofs::{
	fork::Fork,
	merkle::{ProofError, Root},
	validator::{
		verify_balance, verify_balance_in_list, verify_balances_root, verify_validator,
		verify_validator_in_list, verify_validators_root,
	},
};
use ballast_ethereum_prover::{fixtures, StateProver};
use std::sync::OnceLock;

const STATE_SLOTS: [u64; 4] = [4_570_752, 4_570_816, 4_571_072, 4_571_136];

fn prover(slot: u64) -> StateProver {
	fixtures::sepolia_prover(slot)
}

/// The checkpoint state, built once for all tests of this file.
fn checkpoint() -> &'static StateProver {
	static PROVER: OnceLock<StateProver> = OnceLock::new();
	PROVER.get_or_init(|| prover(4_570_752))
}

#[test]
fn state_roots_equal_the_real_block_headers() {
	let mut genesis_validators_roots = Vec::new();
	for slot in STATE_SLOTS {
		let prover = prover(slot);
		let header = fixtures::sepolia_header(slot);
		assert_eq!(prover.slot(), slot);
		assert_eq!(prover.fork(), Fork::Deneb);
		assert_eq!(prover.state_root(), header.state_root, "state {slot}");
		assert_eq!(prover.validator_count(), 1_973);
		genesis_validators_roots.push(prover.genesis_validators_root());
	}
	genesis_validators_roots.dedup();
	assert_eq!(
		genesis_validators_roots,
		[Root::from(ballast_ethereum_proofs::fork::SEPOLIA_GENESIS_VALIDATORS_ROOT)],
		"one network, and the constant Ballast's Sepolia preset uses"
	);
}

#[test]
fn block_headers_hash_to_their_childrens_parent_root() {
	for (parent, child) in [(4_570_816, 4_570_818), (4_571_136, 4_571_137)] {
		assert_eq!(
			fixtures::sepolia_header(parent).hash_tree_root(),
			fixtures::sepolia_header(child).parent_root,
			"{parent} → {child}"
		);
	}
}

#[test]
fn every_validator_and_balance_proves_against_the_real_state_root() {
	let prover = checkpoint();
	let state_root = fixtures::sepolia_header(4_570_752).state_root;
	let (validators_root, validators_branch) = prover.validators_root_proof();
	let (balances_root, balances_branch) = prover.balances_root_proof();
	assert_eq!(
		verify_validators_root(Fork::Deneb, state_root, validators_root, &validators_branch),
		Ok(())
	);
	assert_eq!(
		verify_balances_root(Fork::Deneb, state_root, balances_root, &balances_branch),
		Ok(())
	);

	let mut total_balance = 0u128;
	for index in 0..prover.validator_count() {
		let validator = prover.validator(index).expect("index in range");
		assert_eq!(validator.branch.len(), 46);
		assert_eq!(
			verify_validator(Fork::Deneb, state_root, index, &validator.fields, &validator.branch),
			Ok(())
		);
		let in_list = prover.validator_in_list(index).expect("index in range");
		assert_eq!(in_list.branch.len(), 41);
		assert_eq!(
			verify_validator_in_list(validators_root, index, &in_list.fields, &in_list.branch),
			Ok(())
		);

		let balance = prover.balance(index).expect("index in range");
		assert_eq!(balance.branch.len(), 44);
		assert_eq!(
			verify_balance(Fork::Deneb, state_root, index, balance.chunk, &balance.branch),
			Ok(balance.balance)
		);
		let in_list = prover.balance_in_list(index).expect("index in range");
		assert_eq!(
			verify_balance_in_list(balances_root, index, in_list.chunk, &in_list.branch),
			Ok(balance.balance)
		);
		total_balance += balance.balance as u128;
	}
	assert!(total_balance > 0);
	assert!(prover.validator(prover.validator_count()).is_none());
	assert!(prover.balance(prover.validator_count()).is_none());
}

#[test]
fn the_states_two_big_execution_addresses_back_100_validators_each() {
	// See fixtures/sepolia/README.md: natural stand-ins for two LRTs' EigenPods.
	let prover = checkpoint();
	let count = |address: &str| {
		let address: [u8; 20] = sp_core::bytes::from_hex(address).unwrap().try_into().unwrap();
		prover.validators().iter().filter(|v| v.withdrawal_address() == Some(address)).count()
	};
	assert_eq!(count("0x25c4a76e7d118705e7ea2e9b7d8c59930d8acd3b"), 100);
	assert_eq!(count("0xe276bc378a527a8792b353cdca5b5e53263dfb9e"), 100);
	let execution_credentials =
		prover.validators().iter().filter(|v| v.withdrawal_address().is_some()).count();
	assert_eq!(execution_credentials, 211);
}

fn flipped(root: Root, byte: usize) -> Root {
	let mut bytes = root.0;
	bytes[byte] ^= 0x01;
	Root::from(bytes)
}

#[test]
fn any_single_byte_change_to_a_proof_is_rejected() {
	let prover = checkpoint();
	let state_root = fixtures::sepolia_header(4_570_752).state_root;
	let index = 1_972;
	let proof = prover.validator(index).unwrap();
	for position in 0..proof.branch.len() {
		for byte in 0..32 {
			let mut branch = proof.branch.clone();
			branch[position] = flipped(branch[position], byte);
			assert_eq!(
				verify_validator(Fork::Deneb, state_root, index, &proof.fields, &branch),
				Err(ProofError::RootMismatch)
			);
		}
	}
	for byte in 0..32 {
		assert!(verify_validator(
			Fork::Deneb,
			flipped(state_root, byte),
			index,
			&proof.fields,
			&proof.branch
		)
		.is_err());
		let mut fields = proof.fields;
		fields.withdrawal_credentials = flipped(fields.withdrawal_credentials, byte);
		assert!(verify_validator(Fork::Deneb, state_root, index, &fields, &proof.branch).is_err());
		let mut fields = proof.fields;
		fields.pubkey_root = flipped(fields.pubkey_root, byte);
		assert!(verify_validator(Fork::Deneb, state_root, index, &fields, &proof.branch).is_err());
	}
	let tweaks: [fn(&mut ballast_ethereum_proofs::ValidatorFields); 6] = [
		|f| f.effective_balance ^= 1,
		|f| f.slashed = !f.slashed,
		|f| f.activation_eligibility_epoch ^= 1,
		|f| f.activation_epoch ^= 1,
		|f| f.exit_epoch ^= 1,
		|f| f.withdrawable_epoch ^= 1,
	];
	for tweak in tweaks {
		let mut fields = proof.fields;
		tweak(&mut fields);
		assert_eq!(
			verify_validator(Fork::Deneb, state_root, index, &fields, &proof.branch),
			Err(ProofError::RootMismatch)
		);
	}
	// Another validator's index, another fork's layout, a truncated branch.
	assert_eq!(
		verify_validator(Fork::Deneb, state_root, index - 1, &proof.fields, &proof.branch),
		Err(ProofError::RootMismatch)
	);
	assert_eq!(
		verify_validator(Fork::Electra, state_root, index, &proof.fields, &proof.branch),
		Err(ProofError::BranchLength { expected: 47, found: 46 })
	);
	assert_eq!(
		verify_validator(Fork::Deneb, state_root, index, &proof.fields, &proof.branch[1..]),
		Err(ProofError::BranchLength { expected: 46, found: 45 })
	);

	let balance = prover.balance(index).unwrap();
	for byte in 0..32 {
		assert_eq!(
			verify_balance(
				Fork::Deneb,
				state_root,
				index,
				flipped(balance.chunk, byte),
				&balance.branch
			),
			Err(ProofError::RootMismatch)
		);
	}
}

#[test]
fn a_proof_does_not_verify_against_another_states_root() {
	let prover = checkpoint();
	let later_root = fixtures::sepolia_header(4_570_816).state_root;
	let proof = prover.validator(100).unwrap();
	assert_eq!(
		verify_validator(Fork::Deneb, later_root, 100, &proof.fields, &proof.branch),
		Err(ProofError::RootMismatch)
	);
}

#[test]
fn truncated_or_corrupt_ssz_is_an_error() {
	let ssz = fixtures::sepolia_state(4_570_752);
	assert!(StateProver::from_ssz(Fork::Deneb, &ssz[..ssz.len() - 1]).is_err());
	assert!(StateProver::from_ssz(Fork::Deneb, &ssz[..1000]).is_err());
	assert!(StateProver::from_ssz(Fork::Electra, &ssz).is_err());
}
