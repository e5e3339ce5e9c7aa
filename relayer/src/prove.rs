//! `prove`: validator proofs from an SSZ `BeaconState`, verified before they are printed.

use ballast_ethereum_proofs::{
	calls::{SlashingProof, StateAnchor, ValidatorRecordProof},
	fork::{Fork, ForkSchedule},
	validator::{
		verify_balance, verify_balance_in_list, verify_balances_root, verify_validator,
		verify_validator_in_list, verify_validators_root,
	},
	BeaconBlockHeader, ProofError, Root,
};
use ballast_ethereum_prover::StateProver;
use codec::Encode;
use serde_json::{json, Value};

/// Why `prove` produced nothing.
#[derive(Debug, thiserror::Error)]
pub enum Error {
	/// The SSZ bytes (their length given) end before the state's slot.
	#[error("the state is {0} bytes, too short to hold a BeaconState's slot")]
	TooShort(usize),
	/// The state's slot is in no fork whose layout Ballast knows.
	#[error("slot {slot} is not in a fork Ballast knows ({reason:?})")]
	UnsupportedFork {
		/// The state's slot.
		slot: u64,
		/// Before Deneb, or at or after an unknown fork.
		reason: ballast_ethereum_proofs::UnsupportedFork,
	},
	/// The state does not decode, or its header does not match it.
	#[error(transparent)]
	Prover(#[from] ballast_ethereum_prover::Error),
	/// A requested validator index is past the end of the registry.
	#[error("validator {index} is not in the state ({count} validators)")]
	NoSuchValidator {
		/// The index requested.
		index: u64,
		/// Number of validators in the state.
		count: u64,
	},
	/// A proof built here fails the runtime's verifier (a prover bug): it is not output.
	#[error(
		"the {what} proof of validator {index} does not verify ({error:?}); refusing to print it"
	)]
	SelfCheck {
		/// Which proof (e.g. `validators list`, `balance`).
		what: &'static str,
		/// The validator's index (0 for the list-root proofs).
		index: u64,
		/// The verifier's error.
		error: ProofError,
	},
}

/// A `BeaconState`'s slot, read from its SSZ encoding (after `genesis_time` and
/// `genesis_validators_root`) to pick the fork before decoding.
pub fn state_slot(ssz: &[u8]) -> Result<u64, Error> {
	let bytes = ssz.get(40..48).ok_or(Error::TooShort(ssz.len()))?;
	let mut slot = [0u8; 8];
	slot.copy_from_slice(bytes);
	Ok(u64::from_le_bytes(slot))
}

/// Decodes a state of the network `forks` describes.
pub fn load_state(ssz: &[u8], forks: &ForkSchedule) -> Result<StateProver, Error> {
	let slot = state_slot(ssz)?;
	let fork =
		forks.fork_at_slot(slot).map_err(|reason| Error::UnsupportedFork { slot, reason })?;
	Ok(StateProver::from_ssz(fork, ssz)?)
}

fn hex(bytes: impl AsRef<[u8]>) -> String {
	format!("0x{}", alloy_primitives::hex::encode(bytes))
}

fn hexes(roots: &[Root]) -> Vec<String> {
	roots.iter().map(hex).collect()
}

fn fork_name(fork: Fork) -> &'static str {
	match fork {
		Fork::Deneb => "deneb",
		Fork::Electra => "electra",
		Fork::Fulu => "fulu",
	}
}

/// The proofs of `indices` in `state` as JSON: the list roots with their branches (a batch's
/// anchor), and per validator its fields, balance, the batch proof (below the list roots), the
/// full branch to the state root (`report_slashing`), and the SCALE encodings Ballast's calls
/// take. Every proof is verified first with the verifier the runtime runs.
pub fn prove(state: &StateProver, indices: &[u64]) -> Result<Value, Error> {
	let fork = state.fork();
	let state_root = state.state_root();
	let (validators_root, validators_branch) = state.validators_root_proof();
	let (balances_root, balances_branch) = state.balances_root_proof();
	let check = |what, index, result: Result<(), ProofError>| {
		result.map_err(|error| Error::SelfCheck { what, index, error })
	};
	check(
		"validators list",
		0,
		verify_validators_root(fork, state_root, validators_root, &validators_branch),
	)?;
	check(
		"balances list",
		0,
		verify_balances_root(fork, state_root, balances_root, &balances_branch),
	)?;

	let mut validators = Vec::with_capacity(indices.len());
	for &index in indices {
		let missing = || Error::NoSuchValidator { index, count: state.validator_count() };
		let in_list = state.validator_in_list(index).ok_or_else(missing)?;
		let balance = state.balance_in_list(index).ok_or_else(missing)?;
		let full = state.validator(index).ok_or_else(missing)?;
		let full_balance = state.balance(index).ok_or_else(missing)?;
		let fields = in_list.fields;
		check(
			"validator",
			index,
			verify_validator_in_list(validators_root, index, &fields, &in_list.branch),
		)?;
		check(
			"balance",
			index,
			verify_balance_in_list(balances_root, index, balance.chunk, &balance.branch)
				.map(|_| ()),
		)?;
		check(
			"validator (full)",
			index,
			verify_validator(fork, state_root, index, &fields, &full.branch),
		)?;
		check(
			"balance (full)",
			index,
			verify_balance(fork, state_root, index, full_balance.chunk, &full_balance.branch)
				.map(|_| ()),
		)?;
		let batch_proof = state.batch_proof(index).ok_or_else(missing)?;
		let slashing_proof = state.slashing_proof(index).ok_or_else(missing)?;
		validators.push(json!({
			"index": index,
			"fields": {
				"pubkeyRoot": hex(fields.pubkey_root),
				"withdrawalCredentials": hex(fields.withdrawal_credentials),
				"effectiveBalance": fields.effective_balance,
				"slashed": fields.slashed,
				"activationEligibilityEpoch": fields.activation_eligibility_epoch,
				"activationEpoch": fields.activation_epoch,
				"exitEpoch": fields.exit_epoch,
				"withdrawableEpoch": fields.withdrawable_epoch,
			},
			"balance": balance.balance,
			"validatorBranch": hexes(&in_list.branch),
			"balanceChunk": hex(balance.chunk),
			"balanceBranch": hexes(&balance.branch),
			"stateBranch": hexes(&full.branch),
			"balanceStateBranch": hexes(&full_balance.branch),
			"scale": {
				"validatorProof": hex(batch_proof.encode()),
				"slashingProof": hex(slashing_proof.encode()),
			},
		}));
	}
	Ok(json!({
		"slot": state.slot(),
		"fork": fork_name(fork),
		"stateRoot": hex(state_root),
		"genesisValidatorsRoot": hex(state.genesis_validators_root()),
		"validatorCount": state.validator_count(),
		"validatorsRoot": hex(validators_root),
		"validatorsBranch": hexes(&validators_branch),
		"balancesRoot": hex(balances_root),
		"balancesBranch": hexes(&balances_branch),
		"validators": validators,
	}))
}

/// The arguments of `validatorHealth.submitValidatorProofs` for `indices` of the state of
/// `header`, each proof checked with the runtime's verifier first.
pub fn verified_batch(
	state: &StateProver,
	header: &BeaconBlockHeader,
	indices: &[u64],
) -> Result<(StateAnchor, Vec<ValidatorRecordProof>), Error> {
	let fork = state.fork();
	let anchor = state.anchor(header)?;
	let check = |what, index, result: Result<(), ProofError>| {
		result.map_err(|error| Error::SelfCheck { what, index, error })
	};
	check(
		"validators list",
		0,
		verify_validators_root(
			fork,
			header.state_root,
			anchor.validators_root,
			&anchor.validators_branch,
		),
	)?;
	check(
		"balances list",
		0,
		verify_balances_root(
			fork,
			header.state_root,
			anchor.balances_root,
			&anchor.balances_branch,
		),
	)?;
	let proofs = indices
		.iter()
		.map(|&index| {
			let proof = state
				.batch_proof(index)
				.ok_or(Error::NoSuchValidator { index, count: state.validator_count() })?;
			check(
				"validator",
				index,
				verify_validator_in_list(
					anchor.validators_root,
					index,
					&proof.fields,
					&proof.validator_branch,
				),
			)?;
			check(
				"balance",
				index,
				verify_balance_in_list(
					anchor.balances_root,
					index,
					proof.balance_chunk,
					&proof.balance_branch,
				)
				.map(|_| ()),
			)?;
			Ok(proof)
		})
		.collect::<Result<_, Error>>()?;
	Ok((anchor, proofs))
}

/// The argument of `validatorHealth.reportSlashing` for validator `index` of the state of
/// `header`, checked with the runtime's verifier first.
pub fn verified_slashing(
	state: &StateProver,
	header: &BeaconBlockHeader,
	index: u64,
) -> Result<SlashingProof, Error> {
	state.ensure_header_matches(header).map_err(ballast_ethereum_prover::Error::from)?;
	let proof = state
		.slashing_proof(index)
		.ok_or(Error::NoSuchValidator { index, count: state.validator_count() })?;
	verify_validator(state.fork(), header.state_root, index, &proof.fields, &proof.branch)
		.map_err(|error| Error::SelfCheck { what: "validator (full)", index, error })?;
	Ok(proof)
}
