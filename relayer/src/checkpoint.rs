//! `checkpoint`: the light client's governance checkpoint, built from a beacon node's header and
//! full state and checked before it is printed or submitted.

use crate::{beacon::BeaconApi, chain, prove};
use ballast_ethereum_proofs::{fork::ForkSchedule, Root};
use ballast_ethereum_prover::light_client::{self, CheckpointUpdate};
use codec::Encode;
use serde_json::{json, Value};

/// Why no checkpoint was built.
#[derive(Debug, thiserror::Error)]
pub enum Error {
	/// The beacon node's header or state could not be fetched.
	#[error(transparent)]
	Beacon(#[from] crate::beacon::Error),
	/// The state could not be decoded.
	#[error(transparent)]
	State(#[from] prove::Error),
	/// The checkpoint could not be built or failed its checks.
	#[error(transparent)]
	Prover(#[from] ballast_ethereum_prover::Error),
	/// The state is of another Ethereum network than the one expected.
	#[error("the state belongs to another network: genesis validators root {found:?}, expected {expected:?}")]
	WrongNetwork {
		/// The expected network's genesis validators root.
		expected: Root,
		/// The state's genesis validators root.
		found: Root,
	},
	/// Submitting the checkpoint to Ballast failed.
	#[error(transparent)]
	Chain(#[from] chain::Error),
}

/// Builds the checkpoint at `block_id` (usually `finalized`): the header, then the state at its
/// slot, whose root must be the header's `state_root` and whose network must be `network_root`.
pub fn build(
	api: &BeaconApi,
	block_id: &str,
	forks: &ForkSchedule,
	network_root: Root,
) -> Result<CheckpointUpdate, Error> {
	let header = api.header(block_id)?;
	let ssz = api.state_ssz(&format!("{:?}", header.state_root))?;
	let state = prove::load_state(&ssz, forks)?;
	if state.genesis_validators_root() != network_root {
		return Err(Error::WrongNetwork {
			expected: network_root,
			found: state.genesis_validators_root(),
		});
	}
	Ok(light_client::checkpoint(&header, &state)?)
}

/// Submits the checkpoint through `sudo` (Ballast's governance on test networks).
pub async fn submit(
	chain: &chain::Ballast,
	checkpoint: &CheckpointUpdate,
) -> Result<chain::Included, Error> {
	let inner = chain
		.call_data("EthereumBeaconClient", "force_checkpoint", &Box::new(checkpoint.clone()))
		.await?;
	let call = chain.sudo_call_data(&inner).await?;
	Ok(chain.submit("sudo(force_checkpoint)", &call).await?)
}

/// The checkpoint as JSON: what it is, and the SCALE encoding of `force_checkpoint`'s argument.
pub fn to_json(checkpoint: &CheckpointUpdate) -> Value {
	let header = &checkpoint.header;
	let block_root = ballast_ethereum_proofs::BeaconBlockHeader {
		slot: header.slot,
		proposer_index: header.proposer_index,
		parent_root: header.parent_root,
		state_root: header.state_root,
		body_root: header.body_root,
	}
	.hash_tree_root();
	json!({
		"slot": header.slot,
		"blockRoot": format!("{block_root:?}"),
		"stateRoot": format!("{:?}", header.state_root),
		"genesisValidatorsRoot": format!("{:?}", checkpoint.validators_root),
		"forceCheckpoint": format!("0x{}", alloy_primitives::hex::encode(checkpoint.encode())),
	})
}
