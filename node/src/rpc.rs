//! The node's JSON-RPC API: Substrate's standard methods, nonce and fee queries, and what a
//! relayer to Ethereum needs: BEEFY's signed commitments (`beefy_subscribeJustifications`,
//! `beefy_getFinalizedHead`) and MMR leaf proofs (`mmr_generateProof`, `mmr_root`).
//! Ballast's own queries are runtime APIs (callable as `api.call.*` in polkadot.js), not RPCs.

use std::sync::Arc;

use ballast_primitives::{AccountId, Balance, BlockNumber, Hash, Nonce, OpaqueBlock as Block};
use jsonrpsee::RpcModule;
use sc_consensus_beefy::communication::notification::{
	BeefyBestBlockStream, BeefyVersionedFinalityProofStream,
};
use sc_rpc::SubscriptionTaskExecutor;
use sc_transaction_pool_api::TransactionPool;
use sp_api::ProvideRuntimeApi;
use sp_block_builder::BlockBuilder;
use sp_blockchain::{Error as BlockChainError, HeaderBackend, HeaderMetadata};
use sp_consensus_beefy::ecdsa_crypto::AuthorityId as BeefyId;
use sp_core::offchain::OffchainStorage;

/// What the BEEFY RPC needs: the voter's streams of finality proofs and best blocks.
pub struct BeefyDeps {
	pub finality_proofs: BeefyVersionedFinalityProofStream<Block, BeefyId>,
	pub best_blocks: BeefyBestBlockStream<Block>,
	pub subscription_executor: SubscriptionTaskExecutor,
}

/// What the RPC handlers need.
pub struct FullDeps<C, P, S> {
	pub client: Arc<C>,
	pub pool: Arc<P>,
	/// The off-chain database, where the MMR's nodes are (`None` only if the node has none).
	pub offchain_storage: Option<S>,
	/// `None` under instant sealing, which runs no BEEFY voter.
	pub beefy: Option<BeefyDeps>,
}

/// All RPC methods of a full node.
pub fn create_full<C, P, S>(
	deps: FullDeps<C, P, S>,
) -> Result<RpcModule<()>, Box<dyn std::error::Error + Send + Sync>>
where
	C: ProvideRuntimeApi<Block>
		+ HeaderBackend<Block>
		+ HeaderMetadata<Block, Error = BlockChainError>
		+ Send
		+ Sync
		+ 'static,
	C::Api: substrate_frame_rpc_system::AccountNonceApi<Block, AccountId, Nonce>
		+ pallet_transaction_payment_rpc::TransactionPaymentRuntimeApi<Block, Balance>
		+ sp_mmr_primitives::MmrApi<Block, Hash, BlockNumber>
		+ BlockBuilder<Block>,
	P: TransactionPool + 'static,
	S: OffchainStorage + 'static,
{
	use mmr_rpc::{Mmr, MmrApiServer};
	use pallet_transaction_payment_rpc::{TransactionPayment, TransactionPaymentApiServer};
	use sc_consensus_beefy_rpc::{Beefy, BeefyApiServer};
	use substrate_frame_rpc_system::{System, SystemApiServer};

	let mut module = RpcModule::new(());
	let FullDeps { client, pool, offchain_storage, beefy } = deps;

	module.merge(System::new(client.clone(), pool).into_rpc())?;
	module.merge(TransactionPayment::new(client.clone()).into_rpc())?;
	if let Some(offchain_storage) = offchain_storage {
		module.merge(Mmr::new(client, offchain_storage).into_rpc())?;
	}
	if let Some(BeefyDeps { finality_proofs, best_blocks, subscription_executor }) = beefy {
		module.merge(
			Beefy::<Block, BeefyId>::new(finality_proofs, best_blocks, subscription_executor)?
				.into_rpc(),
		)?;
	}

	Ok(module)
}
