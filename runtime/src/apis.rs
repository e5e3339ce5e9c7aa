//! The runtime APIs the node, polkadot.js and the relayer call. Plain runtime APIs (not custom
//! RPCs) appear in metadata v15+, so clients need no type definitions to call them.

// `impl_runtime_apis!` generates `pub struct RuntimeApi {}` with no doc and accepts none for it.
#![allow(missing_docs)]

use crate::{
	genesis_config_presets, AccountId, Aura, Balance, Beefy, Block, Executive, Grandpa,
	InherentDataExt, Lending, LrtBacking, LrtBridge, Mmr, MmrLeaf, Nonce, Risk, Runtime,
	RuntimeCall, RuntimeGenesisConfig, SessionKeys, System, TransactionPayment, ValidatorHealth,
	VERSION,
};
use alloc::vec::Vec;
use ballast_primitives::{AssetId, BlockNumber};
use frame_support::{
	genesis_builder_helper::{build_state, get_preset},
	weights::Weight,
};
use sp_api::impl_runtime_apis;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_consensus_beefy::ecdsa_crypto::{AuthorityId as BeefyId, Signature as BeefySignature};
use sp_consensus_grandpa::AuthorityId as GrandpaId;
use sp_core::{crypto::KeyTypeId, OpaqueMetadata};
use sp_runtime::{
	traits::{Block as BlockT, NumberFor},
	transaction_validity::{TransactionSource, TransactionValidity},
	ApplyExtrinsicResult, ExtrinsicInclusionMode,
};
use sp_version::RuntimeVersion;

/// The MMR's hash (keccak-256, as Ethereum hashes).
type MmrHash = <MmrHashing as sp_runtime::traits::Hash>::Output;
type MmrHashing = sp_consensus_beefy::MmrHashing;
/// The MMR's leaf.
type MmrLeafOf = <MmrLeaf as sp_mmr_primitives::LeafDataProvider>::LeafData;

impl_runtime_apis! {
	impl sp_api::Core<Block> for Runtime {
		fn version() -> RuntimeVersion {
			VERSION
		}

		fn execute_block(block: <Block as BlockT>::LazyBlock) {
			Executive::execute_block(block);
		}

		fn initialize_block(header: &<Block as BlockT>::Header) -> ExtrinsicInclusionMode {
			Executive::initialize_block(header)
		}
	}

	impl sp_api::Metadata<Block> for Runtime {
		fn metadata() -> OpaqueMetadata {
			OpaqueMetadata::new(Runtime::metadata().into())
		}

		fn metadata_at_version(version: u32) -> Option<OpaqueMetadata> {
			Runtime::metadata_at_version(version)
		}

		fn metadata_versions() -> Vec<u32> {
			Runtime::metadata_versions()
		}
	}

	impl frame_support::view_functions::runtime_api::RuntimeViewFunction<Block> for Runtime {
		fn execute_view_function(
			id: frame_support::view_functions::ViewFunctionId,
			input: Vec<u8>,
		) -> Result<Vec<u8>, frame_support::view_functions::ViewFunctionDispatchError> {
			Runtime::execute_view_function(id, input)
		}
	}

	impl sp_block_builder::BlockBuilder<Block> for Runtime {
		fn apply_extrinsic(extrinsic: <Block as BlockT>::Extrinsic) -> ApplyExtrinsicResult {
			Executive::apply_extrinsic(extrinsic)
		}

		fn finalize_block() -> <Block as BlockT>::Header {
			Executive::finalize_block()
		}

		fn inherent_extrinsics(data: sp_inherents::InherentData) -> Vec<<Block as BlockT>::Extrinsic> {
			data.create_extrinsics()
		}

		fn check_inherents(
			block: <Block as BlockT>::LazyBlock,
			data: sp_inherents::InherentData,
		) -> sp_inherents::CheckInherentsResult {
			data.check_extrinsics(&block)
		}
	}

	impl sp_transaction_pool::runtime_api::TaggedTransactionQueue<Block> for Runtime {
		fn validate_transaction(
			source: TransactionSource,
			tx: <Block as BlockT>::Extrinsic,
			block_hash: <Block as BlockT>::Hash,
		) -> TransactionValidity {
			Executive::validate_transaction(source, tx, block_hash)
		}
	}

	impl sp_offchain::OffchainWorkerApi<Block> for Runtime {
		fn offchain_worker(header: &<Block as BlockT>::Header) {
			Executive::offchain_worker(header)
		}
	}

	impl sp_consensus_aura::AuraApi<Block, AuraId> for Runtime {
		fn slot_duration() -> sp_consensus_aura::SlotDuration {
			sp_consensus_aura::SlotDuration::from_millis(Aura::slot_duration())
		}

		fn authorities() -> Vec<AuraId> {
			pallet_aura::Authorities::<Runtime>::get().into_inner()
		}
	}

	impl sp_session::SessionKeys<Block> for Runtime {
		fn generate_session_keys(
			owner: Vec<u8>,
			seed: Option<Vec<u8>>,
		) -> sp_session::OpaqueGeneratedSessionKeys {
			SessionKeys::generate(&owner, seed).into()
		}

		fn decode_session_keys(encoded: Vec<u8>) -> Option<Vec<(Vec<u8>, KeyTypeId)>> {
			SessionKeys::decode_into_raw_public_keys(&encoded)
		}
	}

	impl sp_consensus_grandpa::GrandpaApi<Block> for Runtime {
		fn grandpa_authorities() -> sp_consensus_grandpa::AuthorityList {
			Grandpa::grandpa_authorities()
		}

		fn current_set_id() -> sp_consensus_grandpa::SetId {
			Grandpa::current_set_id()
		}

		fn submit_report_equivocation_unsigned_extrinsic(
			equivocation_proof: sp_consensus_grandpa::EquivocationProof<
				<Block as BlockT>::Hash,
				NumberFor<Block>,
			>,
			key_owner_proof: sp_consensus_grandpa::OpaqueKeyOwnershipProof,
		) -> Option<()> {
			let key_owner_proof = key_owner_proof.decode()?;
			Grandpa::submit_unsigned_equivocation_report(equivocation_proof, key_owner_proof)
		}

		fn generate_key_ownership_proof(
			_set_id: sp_consensus_grandpa::SetId,
			authority_id: GrandpaId,
		) -> Option<sp_consensus_grandpa::OpaqueKeyOwnershipProof> {
			use codec::Encode;
			use frame_support::traits::KeyOwnerProofSystem;
			// Proves the key against the current session (the historical pallet keeps older
			// sessions' roots for reports that arrive later).
			crate::Historical::prove((sp_consensus_grandpa::KEY_TYPE, authority_id))
				.map(|proof| proof.encode())
				.map(sp_consensus_grandpa::OpaqueKeyOwnershipProof::new)
		}
	}

	impl sp_consensus_beefy::BeefyApi<Block, BeefyId> for Runtime {
		fn beefy_genesis() -> Option<BlockNumber> {
			pallet_beefy::GenesisBlock::<Runtime>::get()
		}

		fn validator_set() -> Option<sp_consensus_beefy::ValidatorSet<BeefyId>> {
			Beefy::validator_set()
		}

		fn submit_report_double_voting_unsigned_extrinsic(
			equivocation_proof: sp_consensus_beefy::DoubleVotingProof<
				BlockNumber,
				BeefyId,
				BeefySignature,
			>,
			key_owner_proof: sp_consensus_beefy::OpaqueKeyOwnershipProof,
		) -> Option<()> {
			let key_owner_proof = key_owner_proof.decode()?;
			Beefy::submit_unsigned_double_voting_report(equivocation_proof, key_owner_proof)
		}

		fn submit_report_fork_voting_unsigned_extrinsic(
			equivocation_proof: sp_consensus_beefy::ForkVotingProof<
				<Block as BlockT>::Header,
				BeefyId,
				sp_runtime::OpaqueValue,
			>,
			key_owner_proof: sp_consensus_beefy::OpaqueKeyOwnershipProof,
		) -> Option<()> {
			Beefy::submit_unsigned_fork_voting_report(
				equivocation_proof.try_into()?,
				key_owner_proof.decode()?,
			)
		}

		fn submit_report_future_block_voting_unsigned_extrinsic(
			equivocation_proof: sp_consensus_beefy::FutureBlockVotingProof<BlockNumber, BeefyId>,
			key_owner_proof: sp_consensus_beefy::OpaqueKeyOwnershipProof,
		) -> Option<()> {
			Beefy::submit_unsigned_future_block_voting_report(
				equivocation_proof,
				key_owner_proof.decode()?,
			)
		}

		fn generate_key_ownership_proof(
			_set_id: sp_consensus_beefy::ValidatorSetId,
			authority_id: BeefyId,
		) -> Option<sp_consensus_beefy::OpaqueKeyOwnershipProof> {
			use codec::Encode;
			use frame_support::traits::KeyOwnerProofSystem;
			crate::Historical::prove((sp_consensus_beefy::KEY_TYPE, authority_id))
				.map(|proof| proof.encode())
				.map(sp_consensus_beefy::OpaqueKeyOwnershipProof::new)
		}
	}

	impl sp_mmr_primitives::MmrApi<Block, MmrHash, BlockNumber> for Runtime {
		fn mmr_root() -> Result<MmrHash, sp_mmr_primitives::Error> {
			Ok(pallet_mmr::RootHash::<Runtime>::get())
		}

		fn mmr_leaf_count() -> Result<sp_mmr_primitives::LeafIndex, sp_mmr_primitives::Error> {
			Ok(pallet_mmr::NumberOfLeaves::<Runtime>::get())
		}

		fn generate_proof(
			block_numbers: Vec<BlockNumber>,
			best_known_block_number: Option<BlockNumber>,
		) -> Result<
			(Vec<sp_mmr_primitives::EncodableOpaqueLeaf>, sp_mmr_primitives::LeafProof<MmrHash>),
			sp_mmr_primitives::Error,
		> {
			Mmr::generate_proof(block_numbers, best_known_block_number).map(|(leaves, proof)| {
				(
					leaves
						.into_iter()
						.map(|leaf| sp_mmr_primitives::EncodableOpaqueLeaf::from_leaf(&leaf))
						.collect(),
					proof,
				)
			})
		}

		fn generate_ancestry_proof(
			prev_block_number: BlockNumber,
			best_known_block_number: Option<BlockNumber>,
		) -> Result<sp_mmr_primitives::AncestryProof<MmrHash>, sp_mmr_primitives::Error> {
			Mmr::generate_ancestry_proof(prev_block_number, best_known_block_number)
		}

		fn verify_proof(
			leaves: Vec<sp_mmr_primitives::EncodableOpaqueLeaf>,
			proof: sp_mmr_primitives::LeafProof<MmrHash>,
		) -> Result<(), sp_mmr_primitives::Error> {
			let leaves = leaves
				.into_iter()
				.map(|leaf| {
					leaf.into_opaque_leaf()
						.try_decode()
						.ok_or(sp_mmr_primitives::Error::Verify)
				})
				.collect::<Result<Vec<MmrLeafOf>, _>>()?;
			Mmr::verify_leaves(leaves, proof)
		}

		fn verify_proof_stateless(
			root: MmrHash,
			leaves: Vec<sp_mmr_primitives::EncodableOpaqueLeaf>,
			proof: sp_mmr_primitives::LeafProof<MmrHash>,
		) -> Result<(), sp_mmr_primitives::Error> {
			let nodes = leaves
				.into_iter()
				.map(|leaf| sp_mmr_primitives::DataOrHash::Data(leaf.into_opaque_leaf()))
				.collect();
			pallet_mmr::verify_leaves_proof::<MmrHashing, _>(root, nodes, proof)
		}
	}

	impl pallet_beefy_mmr::BeefyMmrApi<Block, MmrHash> for Runtime {
		fn authority_set_proof() -> sp_consensus_beefy::mmr::BeefyAuthoritySet<MmrHash> {
			MmrLeaf::authority_set_proof()
		}

		fn next_authority_set_proof() -> sp_consensus_beefy::mmr::BeefyNextAuthoritySet<MmrHash> {
			MmrLeaf::next_authority_set_proof()
		}
	}

	impl frame_system_rpc_runtime_api::AccountNonceApi<Block, AccountId, Nonce> for Runtime {
		fn account_nonce(account: AccountId) -> Nonce {
			System::account_nonce(account)
		}
	}

	impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentApi<Block, Balance> for Runtime {
		fn query_info(
			uxt: <Block as BlockT>::Extrinsic,
			len: u32,
		) -> pallet_transaction_payment_rpc_runtime_api::RuntimeDispatchInfo<Balance> {
			TransactionPayment::query_info(uxt, len)
		}

		fn query_fee_details(
			uxt: <Block as BlockT>::Extrinsic,
			len: u32,
		) -> pallet_transaction_payment::FeeDetails<Balance> {
			TransactionPayment::query_fee_details(uxt, len)
		}

		fn query_weight_to_fee(weight: Weight) -> Balance {
			TransactionPayment::weight_to_fee(weight)
		}

		fn query_length_to_fee(length: u32) -> Balance {
			TransactionPayment::length_to_fee(length)
		}
	}

	impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentCallApi<Block, Balance, RuntimeCall>
		for Runtime
	{
		fn query_call_info(
			call: RuntimeCall,
			len: u32,
		) -> pallet_transaction_payment::RuntimeDispatchInfo<Balance> {
			TransactionPayment::query_call_info(call, len)
		}

		fn query_call_fee_details(
			call: RuntimeCall,
			len: u32,
		) -> pallet_transaction_payment::FeeDetails<Balance> {
			TransactionPayment::query_call_fee_details(call, len)
		}

		fn query_weight_to_fee(weight: Weight) -> Balance {
			TransactionPayment::weight_to_fee(weight)
		}

		fn query_length_to_fee(length: u32) -> Balance {
			TransactionPayment::length_to_fee(length)
		}
	}

	impl pallet_validator_health_runtime_api::ValidatorHealthApi<Block, AssetId> for Runtime {
		fn validator(index: u64) -> Option<pallet_validator_health::ValidatorRecord<AssetId>> {
			ValidatorHealth::validator(index)
		}

		fn lrt_aggregates(lrt: AssetId) -> pallet_validator_health::LrtAggregates {
			ValidatorHealth::lrt_aggregates(lrt)
		}

		fn ethereum_forks() -> Option<ballast_ethereum_proofs::ForkSchedule> {
			pallet_validator_health::EthereumForks::<Runtime>::get()
		}

		fn check_validator_proof(
			header: ballast_ethereum_proofs::BeaconBlockHeader,
			proof: pallet_validator_health::SlashingProof,
		) -> Result<u64, sp_runtime::DispatchError> {
			ValidatorHealth::check_validator_proof(&header, &proof)
		}
	}

	impl pallet_lrt_bridge_runtime_api::LrtBridgeApi<
		Block,
		AssetId,
		pallet_lrt_bridge::ProfileOf<Runtime>,
		pallet_lrt_bridge::WithdrawalOf<Runtime>,
		BlockNumber,
	> for Runtime {
		fn lrt(lrt: AssetId) -> Option<pallet_lrt_bridge::ProfileOf<Runtime>> {
			pallet_lrt_bridge::Lrts::<Runtime>::get(lrt)
		}

		fn totals(lrt: AssetId) -> pallet_lrt_bridge::BridgeTotals<u128> {
			pallet_lrt_bridge::Totals::<Runtime>::get(lrt)
		}

		fn withdrawal(nonce: u64) -> Option<pallet_lrt_bridge::WithdrawalOf<Runtime>> {
			pallet_lrt_bridge::Withdrawals::<Runtime>::get(nonce)
		}

		fn withdrawal_proof(nonce: u64) -> Option<pallet_lrt_bridge::WithdrawalProof<BlockNumber>> {
			LrtBridge::withdrawal_proof(nonce)
		}
	}

	impl pallet_lrt_backing_runtime_api::LrtBackingApi<
		Block,
		AssetId,
		pallet_lrt_backing::SnapshotOf<Runtime>,
	> for Runtime {
		fn backing_rate(lrt: AssetId) -> Option<sp_runtime::FixedU128> {
			<LrtBacking as ballast_primitives::valuation::BackingRate<AssetId>>::backing_rate(lrt)
		}

		fn borrow_rate(lrt: AssetId) -> Option<sp_runtime::FixedU128> {
			<LrtBacking as ballast_primitives::valuation::BackingRate<AssetId>>::borrow_rate(lrt)
		}

		fn components(lrt: AssetId) -> Option<pallet_lrt_backing::RateComponents> {
			LrtBacking::components(lrt)
		}

		fn snapshot(lrt: AssetId) -> Option<pallet_lrt_backing::SnapshotOf<Runtime>> {
			pallet_lrt_backing::Snapshots::<Runtime>::get(lrt)
		}

		fn history(lrt: AssetId) -> Vec<pallet_lrt_backing::StoredRate> {
			pallet_lrt_backing::History::<Runtime>::get(lrt).into_inner()
		}
	}

	impl pallet_lending_runtime_api::LendingApi<Block, AccountId, AssetId> for Runtime {
		fn market(market: pallet_lending::MarketId) -> Option<pallet_lending::MarketView<AssetId>> {
			Lending::market_view(market)
		}

		fn position(market: pallet_lending::MarketId, who: AccountId) -> Option<pallet_lending::PositionView> {
			Lending::position_view(market, &who)
		}

		fn max_borrow(market: pallet_lending::MarketId, who: AccountId) -> Balance {
			Lending::max_borrow(market, &who)
		}

		fn liquidation_quote(
			market: pallet_lending::MarketId,
			who: AccountId,
		) -> Option<pallet_lending::LiquidationQuote> {
			Lending::liquidation_quote(market, &who)
		}

		fn liquidatable(
			market: pallet_lending::MarketId,
			start_after: Option<AccountId>,
			limit: u32,
		) -> Vec<(AccountId, pallet_lending::PositionView)> {
			Lending::liquidatable(market, start_after, limit)
		}

		fn lender(market: pallet_lending::MarketId, who: AccountId) -> pallet_lending::LenderView {
			Lending::lender(market, &who)
		}
	}

	impl pallet_risk_runtime_api::RiskApi<Block, AssetId> for Runtime {
		fn score(lrt: AssetId) -> Option<pallet_risk::Accepted> {
			pallet_risk::Scores::<Runtime>::get(lrt)
		}

		fn limits(lrt: AssetId) -> Option<pallet_risk::Limits> {
			pallet_risk::MarketLimits::<Runtime>::get(lrt)
		}

		fn tiers() -> Vec<pallet_risk::Tier> {
			pallet_risk::Tiers::<Runtime>::get().into_inner()
		}

		fn last_epoch() -> Option<u32> {
			pallet_risk::LastAccepted::<Runtime>::get()
		}

		fn reporters() -> (u32, Vec<(pallet_risk::ReporterId, bool)>) {
			Risk::reporters_status()
		}

		fn compute(lrt: AssetId) -> Option<ballast_primitives::risk::LrtScore> {
			use ballast_primitives::lrt::LrtRegistry;
			LrtBridge::lrts()
				.contains(&lrt)
				.then(|| pallet_risk::model::lrt_score(&Risk::inputs(lrt)))
		}

		fn validator_scores(lrt: AssetId) -> Vec<(u64, u16)> {
			pallet_risk::model::validator_scores(&Risk::inputs(lrt))
		}

		fn operator_scores(lrt: AssetId) -> Vec<(sp_core::H160, u16)> {
			pallet_risk::model::operator_scores(&Risk::inputs(lrt))
		}
	}

	impl sp_genesis_builder::GenesisBuilder<Block> for Runtime {
		fn build_state(config: Vec<u8>) -> sp_genesis_builder::Result {
			let parsed: RuntimeGenesisConfig = serde_json::from_slice(&config)
				.map_err(|error| alloc::format!("invalid genesis config: {error}"))?;
			genesis_config_presets::check_genesis(&parsed)?;
			build_state::<RuntimeGenesisConfig>(config)
		}

		fn get_preset(id: &Option<sp_genesis_builder::PresetId>) -> Option<Vec<u8>> {
			get_preset::<RuntimeGenesisConfig>(id, genesis_config_presets::get_preset)
		}

		fn preset_names() -> Vec<sp_genesis_builder::PresetId> {
			genesis_config_presets::preset_names()
		}
	}

	#[cfg(feature = "runtime-benchmarks")]
	impl frame_benchmarking::Benchmark<Block> for Runtime {
		fn benchmark_metadata(extra: bool) -> (
			Vec<frame_benchmarking::BenchmarkList>,
			Vec<frame_support::traits::StorageInfo>,
		) {
			use frame_benchmarking::BenchmarkList;
			use frame_support::traits::StorageInfoTrait;

			let mut list = Vec::<BenchmarkList>::new();
			list_benchmarks!(list, extra);
			let storage_info = crate::AllPalletsWithSystem::storage_info();
			(list, storage_info)
		}

		#[allow(non_local_definitions)]
		fn dispatch_benchmark(
			config: frame_benchmarking::BenchmarkConfig,
		) -> Result<Vec<frame_benchmarking::BenchmarkBatch>, alloc::string::String> {
			use frame_benchmarking::BenchmarkBatch;
			use frame_support::traits::{TrackedStorageKey, WhitelistedStorageKeys};

			// The defaults: `set_code` benchmarks against the runtime's own code.
			impl frame_system_benchmarking::Config for Runtime {}

			let whitelist: Vec<TrackedStorageKey> =
				crate::AllPalletsWithSystem::whitelisted_storage_keys();
			let mut batches = Vec::<BenchmarkBatch>::new();
			let params = (&config, &whitelist);
			add_benchmarks!(params, batches);
			Ok(batches)
		}
	}

	#[cfg(feature = "try-runtime")]
	impl frame_try_runtime::TryRuntime<Block> for Runtime {
		fn on_runtime_upgrade(checks: frame_try_runtime::UpgradeCheckSelect) -> (Weight, Weight) {
			let weight = Executive::try_runtime_upgrade(checks).unwrap();
			(weight, crate::configs::system::RuntimeBlockWeights::get().max_block)
		}

		fn execute_block(
			block: <Block as BlockT>::LazyBlock,
			state_root_check: bool,
			signature_check: bool,
			select: frame_try_runtime::TryStateSelect,
		) -> Weight {
			Executive::try_execute_block(block, state_root_check, signature_check, select)
				.expect("execute-block failed")
		}
	}
}
