//! Ballast, as the relayer sees it: what its light client and validator-health pallet hold, and
//! signed submissions that are checked against the node's metadata, retried and confirmed.
//!
//! Calls are SCALE-encoded with the very types the runtime decodes (Snowbridge's updates,
//! `ballast_ethereum_proofs::calls`) and then decoded once against the node's metadata, so an
//! encoding the runtime would not accept fails here, before anything is signed.

use ballast_ethereum_proofs::Root;
use codec::Encode;
use std::{collections::BTreeMap, str::FromStr, time::Duration};
use subxt::{
	dynamic,
	ext::{scale_decode::DecodeAsType, scale_value::Value},
	tx::TransactionStatus,
	OnlineClient, PolkadotConfig,
};
use subxt_signer::{sr25519::Keypair, SecretUri};

/// Ballast's client.
pub type Client = OnlineClient<PolkadotConfig>;

/// Blocks a relayer transaction stays valid for: long enough to be included on a busy chain,
/// short enough that a lost one stops blocking its nonce soon.
const MORTALITY_BLOCKS: u64 = 256;

/// What went wrong talking to Ballast.
#[derive(Debug, thiserror::Error)]
pub enum Error {
	/// The node or the connection to it failed (transient).
	#[error("Ballast node {url}: {message}")]
	Node {
		/// The node's URL.
		url: String,
		/// What went wrong.
		message: String,
	},
	/// The runtime's metadata has no such call.
	#[error("the runtime has no call {pallet}.{call}")]
	NoSuchCall {
		/// Pallet name, as in the metadata.
		pallet: String,
		/// Call name, as in the metadata.
		call: String,
	},
	/// The call's arguments do not decode against the runtime's metadata.
	#[error("{pallet}.{call}: the runtime does not decode this encoding ({message})")]
	Encoding {
		/// Pallet name (empty when submitting prepared call data).
		pallet: String,
		/// Call name, or what is being submitted.
		call: String,
		/// The decoder's complaint.
		message: String,
	},
	/// The transaction pool refused or dropped the transaction.
	#[error("{what} was not accepted by the transaction pool: {message}")]
	Rejected {
		/// What was submitted.
		what: String,
		/// The pool's reason.
		message: String,
	},
	/// The transaction was included but its dispatch (or the sudo call inside it) failed.
	#[error("{what} failed on chain: {error}")]
	Dispatch {
		/// What was submitted.
		what: String,
		/// The dispatch error.
		error: String,
	},
	/// Submitting needs a signing key and none was given.
	#[error("a signing key is needed to submit (--suri or BALLAST_RELAYER_SURI)")]
	NoSigner,
	/// The signing key's secret URI does not parse.
	#[error("invalid signing key URI: {0}")]
	BadSecret(String),
	/// A storage key or value does not decode as expected.
	#[error("unexpected storage value at {what}: {message}")]
	Storage {
		/// The storage item (or its key).
		what: &'static str,
		/// What is wrong with it.
		message: String,
	},
}

impl Error {
	/// Whether the node (or the connection) failed rather than the request.
	pub fn is_transient(&self) -> bool {
		matches!(self, Error::Node { .. })
	}
}

/// Snowbridge's light client as stored on chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LightClientState {
	/// Root of the newest finalized beacon block header the light client holds.
	pub finalized_root: Root,
	/// Slot of that header.
	pub finalized_slot: u64,
	/// Whether the next period's sync committee is known (Snowbridge needs it once a period).
	pub next_committee_known: bool,
	/// The Ethereum network it follows (its genesis validators root).
	pub validators_root: Root,
}

/// What the chain stores about a tracked validator (the fields the relayer compares).
#[derive(Clone, Debug, PartialEq, Eq, DecodeAsType)]
#[decode_as_type(crate_path = "subxt::ext::scale_decode")]
pub struct TrackedValidator {
	/// The LRT (asset id) whose withdrawal credentials the validator uses.
	pub lrt: u32,
	/// Effective balance, in Gwei.
	pub effective_balance: u64,
	/// Balance, in Gwei.
	pub balance: u64,
	/// Whether the validator is slashed.
	pub slashed: bool,
	/// Epoch the validator exits (`u64::MAX` while no exit is scheduled).
	pub exit_epoch: u64,
	/// Epoch from which its stake can be withdrawn.
	pub withdrawable_epoch: u64,
	/// Slot of the finalized beacon state the record was proven against.
	pub proven_at_slot: u64,
}

#[derive(DecodeAsType)]
#[decode_as_type(crate_path = "subxt::ext::scale_decode")]
struct CompactBeaconState {
	slot: u64,
}

#[derive(DecodeAsType)]
#[decode_as_type(crate_path = "subxt::ext::scale_decode")]
struct CredentialsInfo {
	lrt: u32,
}

/// An LRT Ballast values, as the backing keeper reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValuedLrt {
	/// Its asset id on Ballast.
	pub lrt: u32,
	/// Its token on Ethereum.
	pub token: [u8; 20],
	/// The gateway it is bridged through.
	pub gateway: [u8; 20],
	/// Its snapshot's Ethereum time (unix seconds), `None` before its first report.
	pub snapshot_time: Option<u64>,
	/// Its snapshot's gateway nonce (0 before its first report).
	pub snapshot_nonce: u64,
	/// The EigenLayer operators its snapshot lists (whose slashings concern it).
	pub operators: Vec<[u8; 20]>,
}

/// The items of a decoded sequence, whether bare or in a newtype (`BoundedVec`).
fn sequence(value: &Value) -> &[Value] {
	use subxt::ext::scale_value::{Composite, ValueDef};
	match &value.value {
		ValueDef::Composite(Composite::Unnamed(fields)) => match fields.as_slice() {
			[inner] if matches!(inner.value, ValueDef::Composite(Composite::Unnamed(_))) => {
				sequence(inner)
			},
			items => items,
		},
		_ => &[],
	}
}

/// The `N` bytes of a decoded byte array, whether stored bare or in a newtype (`H160`).
fn bytes_of<const N: usize>(value: &Value) -> Option<[u8; N]> {
	use subxt::ext::scale_value::{Composite, ValueDef};
	match &value.value {
		ValueDef::Composite(Composite::Unnamed(fields)) if fields.len() == 1 && N != 1 => {
			bytes_of(&fields[0])
		},
		ValueDef::Composite(Composite::Unnamed(fields)) if fields.len() == N => {
			let mut out = [0u8; N];
			for (byte, field) in out.iter_mut().zip(fields) {
				*byte = u8::try_from(field.as_u128()?).ok()?;
			}
			Some(out)
		},
		_ => None,
	}
}

/// Already-encoded call data, encoded as itself (how a `Box<RuntimeCall>` argument encodes).
struct RawCall<'a>(&'a [u8]);

impl Encode for RawCall<'_> {
	fn size_hint(&self) -> usize {
		self.0.len()
	}
	fn encode_to<T: codec::Output + ?Sized>(&self, dest: &mut T) {
		dest.write(self.0);
	}
}

/// A transaction in a block, and what it cost.
#[derive(Clone, Debug)]
pub struct Included {
	/// Hash of the block that included it (`0x…` hex).
	pub block: String,
	/// The fee actually paid, in plancks (0 if no `TransactionFeePaid` event was found).
	pub fee: u128,
}

/// A connection to a Ballast node, with the relayer's key if it submits.
pub struct Ballast {
	url: String,
	client: Client,
	/// The same connection, for the node's own RPC methods.
	rpc: subxt::rpcs::RpcClient,
	signer: Option<Keypair>,
}

fn node_error(url: &str, error: impl std::fmt::Display) -> Error {
	Error::Node { url: url.to_string(), message: error.to_string() }
}

/// Reads the signing key from a secret URI (`//Alice`, a mnemonic, a mnemonic with `//path`).
pub fn keypair(suri: &str) -> Result<Keypair, Error> {
	let uri = SecretUri::from_str(suri).map_err(|e| Error::BadSecret(e.to_string()))?;
	Keypair::from_uri(&uri).map_err(|e| Error::BadSecret(e.to_string()))
}

fn root_of(bytes: &[u8], what: &'static str) -> Result<Root, Error> {
	<[u8; 32]>::try_from(bytes).map(Root::from).map_err(|_| Error::Storage {
		what,
		message: format!("{} bytes, expected 32", bytes.len()),
	})
}

impl Ballast {
	/// Connects to `url` (ws:// or http:// on loopback; wss:// elsewhere).
	pub async fn connect(url: &str, signer: Option<Keypair>) -> Result<Self, Error> {
		let rpc =
			subxt::rpcs::RpcClient::from_insecure_url(url).await.map_err(|e| node_error(url, e))?;
		let client = Client::from_rpc_client(rpc.clone()).await.map_err(|e| node_error(url, e))?;
		Ok(Ballast { url: url.to_string(), client, rpc, signer })
	}

	/// Connects, retrying with exponential backoff while the node is unreachable.
	pub async fn connect_retrying(
		url: &str,
		signer: Option<Keypair>,
		attempts: u32,
	) -> Result<Self, Error> {
		let mut pause = Duration::from_millis(500);
		let mut attempt = 1;
		loop {
			match Self::connect(url, signer.clone()).await {
				Err(error) if attempt < attempts => {
					tracing::warn!(%error, attempt, retry_in_ms = pause.as_millis() as u64, "connecting to Ballast");
					tokio::time::sleep(pause).await;
					pause = (pause * 2).min(Duration::from_secs(30));
					attempt += 1;
				},
				result => return result,
			}
		}
	}

	/// Opens a new connection to the same node (after the old one broke).
	pub async fn reconnect(&mut self) -> Result<(), Error> {
		*self = Self::connect(&self.url, self.signer.clone()).await?;
		Ok(())
	}

	/// The node's URL.
	pub fn url(&self) -> &str {
		&self.url
	}

	/// The connection, for the node's own RPC methods (BEEFY, MMR).
	pub fn rpc_client(&self) -> subxt::rpcs::RpcClient {
		self.rpc.clone()
	}

	/// `LrtBridge.NextWithdrawalNonce` at block `hash`: the nonce the next withdrawal gets (all
	/// below it were made by then).
	pub async fn next_withdrawal_nonce_at(&self, hash: [u8; 32]) -> Result<u64, Error> {
		let at = self
			.client
			.at_block(subxt::config::substrate::H256::from(hash))
			.await
			.map_err(|e| node_error(&self.url, e))?;
		let address = dynamic::storage::<(), Value>("LrtBridge", "NextWithdrawalNonce");
		let value =
			at.storage().try_fetch(address, ()).await.map_err(|e| node_error(&self.url, e))?;
		match value.map(|value| value.into_bytes()) {
			None => Ok(0),
			Some(bytes) => {
				<[u8; 8]>::try_from(bytes.as_slice()).map(u64::from_le_bytes).map_err(|_| {
					Error::Storage {
						what: "NextWithdrawalNonce",
						message: format!("{} bytes, expected 8", bytes.len()),
					}
				})
			},
		}
	}

	fn rpc_methods(
		&self,
	) -> subxt::rpcs::LegacyRpcMethods<subxt::config::RpcConfigFor<PolkadotConfig>> {
		subxt::rpcs::LegacyRpcMethods::new(self.rpc.clone())
	}

	/// The chain at its finalized block. The relayer decides from finalized state only, and
	/// its submissions return once finalized (`submit`), so each round sees everything it sent
	/// before, and nothing a retracted block held.
	async fn at(
		&self,
	) -> Result<
		subxt::client::ClientAtBlock<
			PolkadotConfig,
			impl subxt::client::OnlineClientAtBlockT<PolkadotConfig>,
		>,
		Error,
	> {
		self.client.at_current_block().await.map_err(|e| node_error(&self.url, e))
	}

	async fn raw_value(&self, pallet: &str, item: &str) -> Result<Option<Vec<u8>>, Error> {
		let at = self.at().await?;
		let address = dynamic::storage::<(), Value>(pallet, item);
		let value =
			at.storage().try_fetch(address, ()).await.map_err(|e| node_error(&self.url, e))?;
		Ok(value.map(|value| value.into_bytes()))
	}

	/// The light client's finalized header, committee knowledge and network; `None` before the
	/// governance checkpoint.
	pub async fn light_client(&self) -> Result<Option<LightClientState>, Error> {
		const PALLET: &str = "EthereumBeaconClient";
		let Some(root) = self.raw_value(PALLET, "LatestFinalizedBlockRoot").await? else {
			return Ok(None);
		};
		let finalized_root = root_of(&root, "LatestFinalizedBlockRoot")?;
		let at = self.at().await?;
		let address =
			dynamic::storage::<([u8; 32],), CompactBeaconState>(PALLET, "FinalizedBeaconState");
		let Some(state) = at
			.storage()
			.try_fetch(address, (finalized_root.0,))
			.await
			.map_err(|e| node_error(&self.url, e))?
		else {
			return Ok(None);
		};
		let state = state
			.decode()
			.map_err(|e| Error::Storage { what: "FinalizedBeaconState", message: e.to_string() })?;
		let validators_root = match self.raw_value(PALLET, "ValidatorsRoot").await? {
			Some(bytes) => root_of(&bytes, "ValidatorsRoot")?,
			None => Root::zero(),
		};
		// `SyncCommitteePrepared` starts with the committee's root; zero (or absent) = unknown.
		let next = self.raw_value(PALLET, "NextSyncCommittee").await?;
		let next_committee_known =
			next.is_some_and(|bytes| bytes.get(..32).is_some_and(|root| root != [0u8; 32]));
		Ok(Some(LightClientState {
			finalized_root,
			finalized_slot: state.slot,
			next_committee_known,
			validators_root,
		}))
	}

	/// Registered withdrawal credentials and the LRT each backs.
	pub async fn credentials(&self) -> Result<BTreeMap<Root, u32>, Error> {
		let at = self.at().await?;
		let address =
			dynamic::storage::<([u8; 32],), CredentialsInfo>("ValidatorHealth", "Credentials");
		let mut entries =
			at.storage().iter(address, ()).await.map_err(|e| node_error(&self.url, e))?;
		let mut credentials = BTreeMap::new();
		while let Some(entry) = entries.next().await {
			let entry = entry.map_err(|e| node_error(&self.url, e))?;
			// Blake2_128Concat: the key ends with the credentials themselves.
			let key = entry.key_bytes();
			let root = root_of(&key[key.len().saturating_sub(32)..], "Credentials key")?;
			let info = entry
				.value()
				.decode()
				.map_err(|e| Error::Storage { what: "Credentials", message: e.to_string() })?;
			credentials.insert(root, info.lrt);
		}
		Ok(credentials)
	}

	/// Every LRT Ballast values (valuation parameters set): its asset id, its token and
	/// gateway on Ethereum, and its snapshot's Ethereum time (`None` before its first report).
	/// What the backing keeper reports for.
	pub async fn valued_lrts(&self) -> Result<Vec<ValuedLrt>, Error> {
		let at = self.at().await?;
		let params = dynamic::storage::<(u32,), Value>("LrtBacking", "Params");
		let mut entries =
			at.storage().iter(params, ()).await.map_err(|e| node_error(&self.url, e))?;
		let mut lrts = Vec::new();
		while let Some(entry) = entries.next().await {
			let entry = entry.map_err(|e| node_error(&self.url, e))?;
			// Blake2_128Concat: the key ends with the SCALE u32 asset id.
			let key = entry.key_bytes();
			let lrt = key
				.get(key.len().saturating_sub(4)..)
				.and_then(|bytes| <[u8; 4]>::try_from(bytes).ok())
				.map(u32::from_le_bytes)
				.ok_or(Error::Storage { what: "Params key", message: "too short".into() })?;
			lrts.push(lrt);
		}
		let mut valued = Vec::new();
		for lrt in lrts {
			let profile = dynamic::storage::<(u32,), Value>("LrtBridge", "Lrts");
			let Some(profile) = at
				.storage()
				.try_fetch(profile, (lrt,))
				.await
				.map_err(|e| node_error(&self.url, e))?
			else {
				continue;
			};
			let profile = profile
				.decode()
				.map_err(|e| Error::Storage { what: "Lrts", message: e.to_string() })?;
			let field = |name: &'static str| {
				use subxt::ext::scale_value::At;
				profile
					.at(name)
					.and_then(bytes_of::<20>)
					.ok_or(Error::Storage { what: "Lrts", message: format!("no 20-byte `{name}`") })
			};
			let (token, gateway) = (field("token")?, field("gateway")?);
			let snapshot = dynamic::storage::<(u32,), Value>("LrtBacking", "Snapshots");
			let (snapshot_time, snapshot_nonce, operators) = match at
				.storage()
				.try_fetch(snapshot, (lrt,))
				.await
				.map_err(|e| node_error(&self.url, e))?
			{
				Some(snapshot) => {
					use subxt::ext::scale_value::At;
					let snapshot = snapshot.decode().map_err(|e| Error::Storage {
						what: "Snapshots",
						message: e.to_string(),
					})?;
					let number = |name: &'static str| {
						snapshot.at(name).and_then(|v| v.as_u128()).map(|n| n as u64).ok_or(
							Error::Storage { what: "Snapshots", message: format!("no `{name}`") },
						)
					};
					let stakes = snapshot.at("stakes").map(sequence).unwrap_or_default();
					let operators = stakes
						.iter()
						.filter_map(|stake| stake.at("operator").and_then(bytes_of::<20>))
						.collect();
					(Some(number("timestamp")?), number("nonce")?, operators)
				},
				None => (None, 0, Vec::new()),
			};
			valued.push(ValuedLrt {
				lrt,
				token,
				gateway,
				snapshot_time,
				snapshot_nonce,
				operators,
			});
		}
		Ok(valued)
	}

	/// The gateways of every LRT (and bridged ETH) registered on the bridge.
	pub async fn gateways(&self) -> Result<std::collections::BTreeSet<[u8; 20]>, Error> {
		use subxt::ext::scale_value::At;
		let at = self.at().await?;
		let address = dynamic::storage::<(u32,), Value>("LrtBridge", "Lrts");
		let mut entries =
			at.storage().iter(address, ()).await.map_err(|e| node_error(&self.url, e))?;
		let mut gateways = std::collections::BTreeSet::new();
		while let Some(entry) = entries.next().await {
			let entry = entry.map_err(|e| node_error(&self.url, e))?;
			let profile = entry
				.value()
				.decode()
				.map_err(|e| Error::Storage { what: "Lrts", message: e.to_string() })?;
			gateways.insert(
				profile.at("gateway").and_then(bytes_of::<20>).ok_or(Error::Storage {
					what: "Lrts",
					message: "no 20-byte `gateway`".into(),
				})?,
			);
		}
		Ok(gateways)
	}

	/// The deposit nonces of `gateway` that Ballast used (minted) or governance cancelled.
	pub async fn settled_deposits(
		&self,
		gateway: [u8; 20],
	) -> Result<std::collections::BTreeSet<u64>, Error> {
		let at = self.at().await?;
		let mut nonces = std::collections::BTreeSet::new();
		for item in ["UsedNonces", "CancelledNonces"] {
			let address = dynamic::storage::<([u8; 20], u64), Value>("LrtBridge", item);
			let mut entries =
				at.storage().iter(address, ()).await.map_err(|e| node_error(&self.url, e))?;
			while let Some(entry) = entries.next().await {
				let entry = entry.map_err(|e| node_error(&self.url, e))?;
				// Blake2_128Concat(gateway) ‖ Twox64Concat(nonce): the key ends with the gateway's
				// 20 bytes, 8 hash bytes and the SCALE u64 nonce.
				let key = entry.key_bytes();
				let short =
					|| Error::Storage { what: "UsedNonces key", message: "too short".into() };
				let nonce_at = key.len().checked_sub(8).ok_or_else(short)?;
				let gateway_at = key.len().checked_sub(36).ok_or_else(short)?;
				if key[gateway_at..gateway_at + 20] != gateway {
					continue;
				}
				let nonce = <[u8; 8]>::try_from(&key[nonce_at..]).map_err(|_| short())?;
				nonces.insert(u64::from_le_bytes(nonce));
			}
		}
		Ok(nonces)
	}

	/// EigenLayer's AllocationManager the valuation takes `OperatorSlashed` events from.
	pub async fn allocation_manager(&self) -> Result<Option<[u8; 20]>, Error> {
		Ok(self
			.raw_value("LrtBacking", "AllocationManager")
			.await?
			.and_then(|bytes| <[u8; 20]>::try_from(bytes.as_slice()).ok()))
	}

	/// Whether the AVS slashing event `id` (keccak of its log and block hash) is booked.
	pub async fn avs_slashing_seen(&self, id: [u8; 32]) -> Result<bool, Error> {
		let at = self.at().await?;
		let address = dynamic::storage::<([u8; 32],), Value>("LrtBacking", "SeenAvsSlashings");
		Ok(at
			.storage()
			.try_fetch(address, (id,))
			.await
			.map_err(|e| node_error(&self.url, e))?
			.is_some())
	}

	/// Every tracked validator's stored record, by validator index.
	pub async fn tracked_validators(&self) -> Result<BTreeMap<u64, TrackedValidator>, Error> {
		let at = self.at().await?;
		let address = dynamic::storage::<(u64,), TrackedValidator>("ValidatorHealth", "Validators");
		let mut entries =
			at.storage().iter(address, ()).await.map_err(|e| node_error(&self.url, e))?;
		let mut tracked = BTreeMap::new();
		while let Some(entry) = entries.next().await {
			let entry = entry.map_err(|e| node_error(&self.url, e))?;
			// Twox64Concat: the key ends with the SCALE u64 index.
			let key = entry.key_bytes();
			let index = key
				.get(key.len().saturating_sub(8)..)
				.and_then(|bytes| <[u8; 8]>::try_from(bytes).ok())
				.map(u64::from_le_bytes)
				.ok_or(Error::Storage { what: "Validators key", message: "too short".into() })?;
			let record = entry
				.value()
				.decode()
				.map_err(|e| Error::Storage { what: "Validators", message: e.to_string() })?;
			tracked.insert(index, record);
		}
		Ok(tracked)
	}

	/// `pallet.call(args)`'s call data, checked to decode against the runtime's metadata.
	pub async fn call_data(
		&self,
		pallet: &str,
		call: &str,
		args: &impl Encode,
	) -> Result<Vec<u8>, Error> {
		let at = self.at().await?;
		let metadata = at.metadata_ref();
		let no_such_call = || Error::NoSuchCall { pallet: pallet.into(), call: call.into() };
		let pallet_metadata = metadata.pallet_by_name(pallet).ok_or_else(no_such_call)?;
		let variant = pallet_metadata.call_variant_by_name(call).ok_or_else(no_such_call)?;
		let mut data = vec![pallet_metadata.call_index(), variant.index];
		args.encode_to(&mut data);
		at.tx().from_call_data_bytes(&data).map_err(|e| Error::Encoding {
			pallet: pallet.into(),
			call: call.into(),
			message: e.to_string(),
		})?;
		Ok(data)
	}

	/// `sudo.sudo(call)` for a call's data (governance on test networks).
	pub async fn sudo_call_data(&self, call: &[u8]) -> Result<Vec<u8>, Error> {
		self.call_data("Sudo", "sudo", &RawCall(call)).await
	}

	/// Signs and submits `call_data`, waits until it is in a finalized block and succeeded
	/// there. A transaction the pool drops or that fails on chain is an error; a lost connection
	/// is a transient one (resubmitting is safe: the caller re-reads the chain first).
	pub async fn submit(&self, what: &str, call_data: &[u8]) -> Result<Included, Error> {
		let signer = self.signer.as_ref().ok_or(Error::NoSigner)?;
		let at = self.at().await?;
		let payload = at.tx().from_call_data_bytes(call_data).map_err(|e| Error::Encoding {
			pallet: String::new(),
			call: what.into(),
			message: e.to_string(),
		})?;
		// The pool's next nonce (`system_accountNextIndex`), not the finalized state's: a
		// transaction included in a block GRANDPA has not finalized yet has used its nonce.
		let nonce = self
			.rpc_methods()
			.system_account_next_index(&signer.public_key().to_account_id())
			.await
			.map_err(|e| node_error(&self.url, e))?;
		let params = subxt::config::DefaultExtrinsicParamsBuilder::<PolkadotConfig>::new()
			.mortal(MORTALITY_BLOCKS)
			.nonce(nonce)
			.build();
		let mut progress = at
			.tx()
			.sign_and_submit_then_watch(&payload, signer, params)
			.await
			.map_err(|e| self.classify_submission(what, e))?;
		while let Some(status) = progress.next().await {
			match status.map_err(|e| node_error(&self.url, e))? {
				// Only a finalized inclusion counts: the next round reads finalized state, and a
				// best block may still be retracted.
				TransactionStatus::InFinalizedBlock(in_block) => {
					let block = format!("{:?}", in_block.block_hash());
					let events = in_block
						.wait_for_success()
						.await
						.map_err(|e| Error::Dispatch { what: what.into(), error: e.to_string() })?;
					let mut fee = 0;
					for event in events.iter().flatten() {
						if event.pallet_name() == "TransactionPayment"
							&& event.event_name() == "TransactionFeePaid"
						{
							// (who: AccountId32, actual_fee: u128, tip: u128)
							let bytes = event.field_bytes();
							if let Some(actual) = bytes.get(32..48) {
								fee = u128::from_le_bytes(actual.try_into().unwrap_or([0; 16]));
							}
						}
						if event.pallet_name() == "Sudo" && event.event_name() == "Sudid" {
							// `sudo_result: DispatchResult`: 0 = Ok.
							if event.field_bytes().first() != Some(&0) {
								return Err(Error::Dispatch {
									what: what.into(),
									error: format!(
										"the sudo call failed: 0x{}",
										alloy_primitives::hex::encode(event.field_bytes())
									),
								});
							}
						}
					}
					return Ok(Included { block, fee });
				},
				TransactionStatus::Invalid { message } | TransactionStatus::Dropped { message } => {
					return Err(Error::Rejected { what: what.into(), message })
				},
				TransactionStatus::Error { message } => return Err(node_error(&self.url, message)),
				TransactionStatus::Validated
				| TransactionStatus::Broadcasted
				| TransactionStatus::InBestBlock(_)
				| TransactionStatus::NoLongerInBestBlock => {},
			}
		}
		Err(node_error(&self.url, "the node stopped reporting the transaction's status"))
	}

	fn classify_submission(&self, what: &str, error: subxt::error::ExtrinsicError) -> Error {
		let message = error.to_string();
		// The pool's verdicts name the transaction; anything else is the connection's fault.
		if message.contains("Invalid Transaction") || message.contains("invalid transaction") {
			Error::Rejected { what: what.into(), message }
		} else {
			node_error(&self.url, message)
		}
	}
}
