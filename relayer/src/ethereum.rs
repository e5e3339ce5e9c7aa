//! The relayer's own Ethereum account: a secp256k1 key held in memory, and EIP-1559
//! transactions it signs locally and sends through an execution node ([`ExecutionApi`]). The
//! backing keeper ([`crate::keeper`]) and the BEEFY relay ([`crate::beefy`], [`crate::release`])
//! both send through [`send`]; the BEEFY relay, which needs each transaction included before its
//! next step, through [`Transactor::transact`].
//!
//! Fees: tip = the node's `eth_maxPriorityFeePerGas` (at least [`FeePolicy::min_priority_fee`]),
//! max fee = 2 × the newest base fee + tip; a replacement (same nonce) offers at least 12.5 %
//! more of both and never a lower gas limit. Nothing is sent above
//! [`FeePolicy::max_fee_per_gas`]. Gas = `eth_estimateGas` on the newest block plus a quarter.

use crate::execution::{self, BlockId, ExecutionApi, TransactionOutcome};
use alloy_consensus::{SignableTransaction, TxEip1559, TxEnvelope};
use alloy_eips::eip2718::Encodable2718;
use alloy_primitives::{Address, Bytes, TxKind, B256, U256};
use k256::ecdsa::SigningKey;
use std::{
	path::Path,
	time::{Duration, Instant},
};

/// Why an Ethereum transaction could not be sent or did not succeed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
	/// The Ethereum node failed or refused.
	#[error(transparent)]
	Execution(#[from] execution::Error),
	/// The key is missing or not a secp256k1 secret key.
	#[error("the Ethereum key {0}")]
	Key(String),
	/// The fee the network asks for is above the configured cap.
	#[error("the network asks {asked} wei per gas, above the cap of {cap}")]
	FeeAboveCap {
		/// Max fee per gas the relayer would have to offer.
		asked: u128,
		/// `--max-fee-gwei`, in wei.
		cap: u128,
	},
	/// The transaction was included but reverted.
	#[error("{what} ({hash}) reverted in block {block}")]
	Reverted {
		/// What was sent.
		what: String,
		/// Its hash.
		hash: B256,
		/// The block it is in.
		block: u64,
	},
	/// The transaction was not included in time (it may still be, later).
	#[error("{what} was not included within {waited:?}")]
	NotIncluded {
		/// What was sent.
		what: String,
		/// How long the relayer waited.
		waited: Duration,
	},
}

impl Error {
	/// The `failures_total` label.
	pub fn kind(&self) -> &'static str {
		match self {
			Error::Execution(error) => error.kind(),
			Error::Key(_) => "config",
			Error::FeeAboveCap { .. } => "fees",
			Error::Reverted { .. } => "reverted",
			Error::NotIncluded { .. } => "not_included",
		}
	}
}

/// An Ethereum account: a secp256k1 key held in memory only.
pub struct EthereumKey {
	signing: SigningKey,
	address: Address,
}

impl EthereumKey {
	/// A key from 32 bytes of hex (`0x` optional, surrounding whitespace ignored).
	pub fn from_hex(text: &str) -> Result<Self, Error> {
		let text = text.trim();
		let bytes = alloy_primitives::hex::decode(text.strip_prefix("0x").unwrap_or(text))
			.map_err(|_| Error::Key("is not hex".into()))?;
		let signing = SigningKey::from_slice(&bytes)
			.map_err(|_| Error::Key("is not a secp256k1 secret key".into()))?;
		let address = Address::from_public_key(signing.verifying_key());
		Ok(EthereumKey { signing, address })
	}

	/// The key in the file at `path` (hex; the file should be readable by its owner only).
	pub fn from_file(path: &Path) -> Result<Self, Error> {
		let text = std::fs::read_to_string(path)
			.map_err(|e| Error::Key(format!("file {} cannot be read: {e}", path.display())))?;
		Self::from_hex(&text)
	}

	/// The key in environment variable `name`.
	pub fn from_env(name: &str) -> Result<Self, Error> {
		let text =
			std::env::var(name).map_err(|_| Error::Key(format!("variable {name} is not set")))?;
		Self::from_hex(&text)
	}

	/// The key of `--eth-key-file` if given, else of the environment variable `variable`.
	pub fn from_file_or_env(file: Option<&Path>, variable: &str) -> Result<Self, Error> {
		match file {
			Some(path) => Self::from_file(path),
			None => Self::from_env(variable),
		}
	}

	/// The account's address.
	pub fn address(&self) -> Address {
		self.address
	}

	/// Signs `tx`: its EIP-2718 encoding and hash.
	fn sign(&self, tx: TxEip1559) -> Result<(Vec<u8>, B256), Error> {
		let (signature, recovery) = self
			.signing
			.sign_prehash_recoverable(tx.signature_hash().as_slice())
			.map_err(|e| Error::Key(format!("cannot sign: {e}")))?;
		let signed = tx.into_signed(alloy_primitives::Signature::from((signature, recovery)));
		let hash = *signed.hash();
		Ok((TxEnvelope::from(signed).encoded_2718(), hash))
	}
}

/// How transactions are priced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FeePolicy {
	/// Never offer more than this, wei per gas (max fee).
	pub max_fee_per_gas: u128,
	/// The least tip offered, wei per gas (the node's suggestion when higher).
	pub min_priority_fee: u128,
}

impl Default for FeePolicy {
	fn default() -> Self {
		FeePolicy { max_fee_per_gas: 200_000_000_000, min_priority_fee: 1_000_000_000 }
	}
}

/// A transaction sent (not yet known to be included).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sent {
	/// Its hash.
	pub hash: B256,
	/// Its account nonce.
	pub nonce: u64,
	/// The max fee and tip it offers, wei per gas.
	pub fees: (u128, u128),
	/// Its gas limit.
	pub gas_limit: u64,
}

/// A transaction to replace: its nonce is reused at higher fees.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Replacing {
	/// The nonce it used.
	pub nonce: u64,
	/// The max fee and tip it offered.
	pub fees: (u128, u128),
	/// Its gas limit (a replacement never offers less).
	pub gas_limit: u64,
}

impl From<&Sent> for Replacing {
	fn from(sent: &Sent) -> Self {
		Replacing { nonce: sent.nonce, fees: sent.fees, gas_limit: sent.gas_limit }
	}
}

/// Signs and sends a call of `data` to `to` from `key`: at the account's next nonce (the
/// node's pending count), or `replacing`'s nonce at fees at least 12.5 % higher (what nodes
/// require of a replacement). A node answering "already known" (a resend after a lost answer)
/// counts as sent.
pub fn send(
	api: &ExecutionApi,
	key: &EthereumKey,
	chain_id: u64,
	policy: &FeePolicy,
	to: Address,
	data: &[u8],
	replacing: Option<Replacing>,
) -> Result<Sent, Error> {
	let from = key.address();
	let nonce = match replacing {
		Some(stuck) => stuck.nonce,
		None => api.transaction_count(from, BlockId::Pending)?,
	};
	let base_fee = u128::from(
		api.existing_block(BlockId::Latest)?.header.base_fee_per_gas.unwrap_or_default(),
	);
	let mut tip = u128::from(api.max_priority_fee()?).max(policy.min_priority_fee);
	// Twice the base fee rides out six full blocks of base-fee rises.
	let mut max_fee = base_fee.saturating_mul(2).saturating_add(tip);
	if let Some(stuck) = replacing {
		let bump = |old: u128| old.saturating_add(old / 8).saturating_add(1);
		tip = tip.max(bump(stuck.fees.1));
		max_fee = max_fee.max(bump(stuck.fees.0)).max(tip);
	}
	if max_fee > policy.max_fee_per_gas {
		return Err(Error::FeeAboveCap { asked: max_fee, cap: policy.max_fee_per_gas });
	}
	let gas = api.estimate_gas(from, to, data)?;
	// A quarter more than estimated: state read by the call may grow in between.
	let gas_limit = gas.saturating_add(gas / 4).max(replacing.map_or(0, |stuck| stuck.gas_limit));
	let tx = TxEip1559 {
		chain_id,
		nonce,
		gas_limit,
		max_fee_per_gas: max_fee,
		max_priority_fee_per_gas: tip,
		to: TxKind::Call(to),
		value: U256::ZERO,
		access_list: Default::default(),
		input: Bytes::copy_from_slice(data),
	};
	let (raw, hash) = key.sign(tx)?;
	match api.send_raw_transaction(&raw) {
		Ok(_) => {},
		// A resend after a lost answer: the node holds it already.
		Err(execution::Error::Rpc { message, .. }) if message.contains("already known") => {},
		Err(error) => return Err(error.into()),
	}
	Ok(Sent { hash, nonce, fees: (max_fee, tip), gas_limit })
}

/// A transaction included and successful.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Included {
	/// Its hash (of the version that was mined, after replacements).
	pub hash: B256,
	/// Its receipt's block, gas used and price.
	pub outcome: TransactionOutcome,
	/// Its call data's size, in bytes.
	pub calldata_bytes: usize,
}

/// An account that sends one transaction at a time and waits for each to be included.
pub struct Transactor {
	api: ExecutionApi,
	key: EthereumKey,
	chain_id: u64,
	/// How transactions are priced.
	pub policy: FeePolicy,
	/// A transaction still pending after this long is replaced (same nonce, higher fees).
	pub resend_after: Duration,
	/// Give up waiting for a transaction after this long.
	pub give_up_after: Duration,
	/// Pause between receipt polls.
	pub poll: Duration,
}

impl Transactor {
	/// An account of `key` on the node's chain (its chain id is read once).
	pub fn new(api: ExecutionApi, key: EthereumKey, policy: FeePolicy) -> Result<Self, Error> {
		let chain_id = api.chain_id()?;
		Ok(Transactor {
			api,
			key,
			chain_id,
			policy,
			resend_after: Duration::from_secs(180),
			give_up_after: Duration::from_secs(1800),
			poll: Duration::from_secs(1),
		})
	}

	/// The execution node's client.
	pub fn api(&self) -> &ExecutionApi {
		&self.api
	}

	/// The account's address.
	pub fn address(&self) -> Address {
		self.key.address()
	}

	/// `eth_call` of `data` to `to` from this account, on the newest block.
	pub fn call(&self, to: Address, data: &[u8]) -> Result<Bytes, Error> {
		Ok(self.api.call_from(Some(self.address()), to, data, BlockId::Latest)?)
	}

	/// Sends a call of `data` to `to` and waits until it is included (replacing it at higher
	/// fees while it stays pending); an error if it reverted or was not included after
	/// [`Transactor::give_up_after`]. Blocking.
	pub fn transact(&self, what: &str, to: Address, data: &[u8]) -> Result<Included, Error> {
		let started = Instant::now();
		let first = send(&self.api, &self.key, self.chain_id, &self.policy, to, data, None)?;
		tracing::debug!(what, hash = %first.hash, nonce = first.nonce, "Ethereum transaction sent");
		let mut sent = vec![first];
		let mut last_sent = Instant::now();
		let finish = |(hash, outcome): (B256, TransactionOutcome)| {
			if outcome.success {
				Ok(Included { hash, outcome, calldata_bytes: data.len() })
			} else {
				Err(Error::Reverted { what: what.into(), hash, block: outcome.block_number })
			}
		};
		loop {
			if let Some(found) = self.included(&sent)? {
				return finish(found);
			}
			let newest = sent.last().cloned().expect("one sent at least");
			if self.api.transaction_count(self.address(), BlockId::Latest)? > newest.nonce {
				// The nonce is used: by one of these versions mined since the read above, or by
				// another transaction of the key (this one is then lost).
				return match self.included(&sent)? {
					Some(found) => finish(found),
					None => {
						Err(Error::NotIncluded { what: what.into(), waited: started.elapsed() })
					},
				};
			}
			if started.elapsed() >= self.give_up_after {
				return Err(Error::NotIncluded { what: what.into(), waited: started.elapsed() });
			}
			if last_sent.elapsed() >= self.resend_after {
				let replacement = send(
					&self.api,
					&self.key,
					self.chain_id,
					&self.policy,
					to,
					data,
					Some(Replacing::from(&newest)),
				)?;
				tracing::info!(what, hash = %replacement.hash, nonce = replacement.nonce, "Ethereum transaction replaced at higher fees");
				sent.push(replacement);
				last_sent = Instant::now();
			}
			std::thread::sleep(self.poll);
		}
	}

	/// The version of a transaction (the first or a replacement) that was mined, if any.
	fn included(&self, sent: &[Sent]) -> Result<Option<(B256, TransactionOutcome)>, Error> {
		for version in sent {
			if let Some(outcome) = self.api.transaction_outcome(version.hash)? {
				return Ok(Some((version.hash, outcome)));
			}
		}
		Ok(None)
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn a_key_is_read_from_hex_and_gives_its_address() {
		// The first of anvil's and hardhat's well-known test accounts.
		let key = EthereumKey::from_hex(
			" 0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80\n",
		)
		.expect("a key");
		assert_eq!(
			key.address(),
			"0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266".parse::<Address>().expect("address")
		);
		assert!(matches!(EthereumKey::from_hex("0x1234"), Err(Error::Key(_))));
		assert!(matches!(EthereumKey::from_hex("zz"), Err(Error::Key(_))));
		assert!(matches!(EthereumKey::from_hex(&"00".repeat(32)), Err(Error::Key(_))));
	}
}
