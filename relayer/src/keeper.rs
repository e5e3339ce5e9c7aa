//! The backing keeper (`ballast-relayer report-backing`): calls `BallastGateway.reportBacking`
//! on Ethereum for every LRT Ballast values, often enough that no snapshot on Ballast goes
//! stale (`max_snapshot_age`), so borrowing against it never stops for want of a report.
//!
//! Each round decides what is due from Ballast's snapshots alone ([`due`], a pure function), then
//! sends at most one transaction per LRT: an LRT whose last report is still pending on Ethereum
//! gets none until it is included or has been pending for [`Settings::resend_after`], and a
//! resend reuses its nonce at a higher fee (it replaces the stuck one, never adds a second).
//! The key signs locally (EIP-1559); it is read from a file or an environment variable, never
//! from a command-line flag (flags leak through `ps` and shell history).

use crate::execution::{self, ExecutionApi};
use alloy_consensus::{SignableTransaction, TxEip1559, TxEnvelope};
use alloy_eips::eip2718::Encodable2718;
use alloy_primitives::{Address, Bytes, TxKind, B256, U256};
use alloy_sol_types::{sol, SolCall};
use k256::ecdsa::SigningKey;
use std::{collections::BTreeMap, path::Path, time::Duration};

sol! {
	/// The gateway's keeper entry point.
	function reportBacking(address lrt) external returns (uint64);
}

/// Why a keeper step failed.
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
		/// Max fee per gas the keeper would have to offer.
		asked: u128,
		/// `--max-fee-gwei`, in wei.
		cap: u128,
	},
}

impl Error {
	/// The `failures_total` label.
	pub fn kind(&self) -> &'static str {
		match self {
			Error::Execution(error) => error.kind(),
			Error::Key(_) => "config",
			Error::FeeAboveCap { .. } => "fees",
		}
	}
}

/// The keeper's Ethereum account: a secp256k1 key held in memory only.
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

/// How the keeper paces and prices its reports.
#[derive(Clone, Debug)]
pub struct Settings {
	/// Report an LRT whose snapshot on Ballast is at least this old.
	pub interval: Duration,
	/// A pending report is replaced (same nonce, higher fee) after this long.
	pub resend_after: Duration,
	/// Never offer more than this, wei per gas (max fee).
	pub max_fee_per_gas: u128,
	/// The least tip offered, wei per gas (the node's suggestion when higher).
	pub min_priority_fee: u128,
}

impl Default for Settings {
	fn default() -> Self {
		Settings {
			interval: Duration::from_secs(3600),
			resend_after: Duration::from_secs(180),
			max_fee_per_gas: 200_000_000_000,
			min_priority_fee: 1_000_000_000,
		}
	}
}

/// An LRT Ballast values: its token on Ethereum and its snapshot's Ethereum time (unix
/// seconds), `None` before its first report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ValuedLrt {
	/// The LRT's token on Ethereum (what `reportBacking` takes).
	pub token: Address,
	/// Ethereum time of the snapshot Ballast holds.
	pub snapshot_time: Option<u64>,
}

/// The LRTs whose report is due at `now` (unix seconds): no snapshot yet, or one at least
/// `interval` old. Pure, so a restart decides the same from the same chain. Token order.
pub fn due(lrts: &[ValuedLrt], now: u64, interval: Duration) -> Vec<Address> {
	let mut tokens: Vec<Address> = lrts
		.iter()
		.filter(|lrt| {
			lrt.snapshot_time.is_none_or(|at| now.saturating_sub(at) >= interval.as_secs())
		})
		.map(|lrt| lrt.token)
		.collect();
	tokens.sort();
	tokens.dedup();
	tokens
}

/// A report sent and not yet seen included.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pending {
	/// Its transaction hash (the newest, after replacements).
	pub hash: B256,
	/// Its account nonce (replacements reuse it).
	pub nonce: u64,
	/// The max fee and tip it offers, wei per gas.
	pub fees: (u128, u128),
	/// Its gas limit (a replacement never offers less).
	pub gas_limit: u64,
	/// When it was sent (unix seconds, the keeper's clock).
	pub sent_at: u64,
}

/// What a round did for one LRT.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
	/// A report was sent.
	Sent(B256),
	/// A stuck report was replaced at a higher fee.
	Replaced(B256),
	/// The LRT's previous report is still pending (sent this long ago, seconds).
	StillPending(u64),
	/// This round could not send the LRT's report (logged and counted; the next round tries
	/// again; the other LRTs go on).
	Failed(String),
	/// The pending report's nonce was used by another transaction of the key (the report it
	/// replaced, mined meanwhile, or one sent elsewhere): nothing more is pending.
	Consumed {
		/// The nonce.
		nonce: u64,
	},
	/// A previous report was included (successfully or not) in this block.
	Included {
		/// Its transaction hash.
		hash: B256,
		/// The block it is in.
		block: u64,
		/// Whether `reportBacking` succeeded (a revert is logged and counted).
		success: bool,
	},
}

/// The keeper: one gateway, one key, and its in-flight reports.
pub struct Keeper {
	api: ExecutionApi,
	key: EthereumKey,
	gateway: Address,
	chain_id: u64,
	settings: Settings,
	pending: BTreeMap<Address, Pending>,
	/// When each LRT's last report left the keeper's hands (included or consumed), keeper's
	/// clock: Ballast's snapshot lags it by finality and a relay round, so the LRT is not
	/// reported again before `interval` has passed.
	settled_at: BTreeMap<Address, u64>,
}

impl Keeper {
	/// A keeper reporting through `gateway`, signing for the node's chain id.
	pub fn new(
		api: ExecutionApi,
		key: EthereumKey,
		gateway: Address,
		settings: Settings,
	) -> Result<Self, Error> {
		let chain_id = api.chain_id()?;
		Ok(Keeper {
			api,
			key,
			gateway,
			chain_id,
			settings,
			pending: BTreeMap::new(),
			settled_at: BTreeMap::new(),
		})
	}

	/// The keeper's reports in flight, by LRT token.
	pub fn pending(&self) -> &BTreeMap<Address, Pending> {
		&self.pending
	}

	/// The account the keeper sends from.
	pub fn address(&self) -> Address {
		self.key.address()
	}

	/// One round at `now` (unix seconds): settles what was included, then sends a report for
	/// every LRT in `due` with none in flight, and replaces those stuck past `resend_after`.
	/// Each LRT's outcome, in `due`'s order then the settled ones.
	pub fn round(&mut self, due: &[Address], now: u64) -> Result<Vec<(Address, Outcome)>, Error> {
		let mut outcomes = Vec::new();
		if !self.pending.is_empty() {
			let used =
				self.api.transaction_count(self.key.address(), execution::BlockId::Latest)?;
			for (token, pending) in self.pending.clone() {
				let outcome = match self.api.transaction_outcome(pending.hash)? {
					Some(included) => Outcome::Included {
						hash: pending.hash,
						block: included.block_number,
						success: included.success,
					},
					// Mined, but not as the newest replacement: the nonce is spent.
					None if used > pending.nonce => Outcome::Consumed { nonce: pending.nonce },
					None => continue,
				};
				self.pending.remove(&token);
				self.settled_at.insert(token, now);
				outcomes.push((token, outcome));
			}
		}
		for token in due {
			let settled_lately = self
				.settled_at
				.get(token)
				.is_some_and(|at| now.saturating_sub(*at) < self.settings.interval.as_secs());
			let outcome = match self.pending.get(token).cloned() {
				Some(stuck)
					if now.saturating_sub(stuck.sent_at)
						>= self.settings.resend_after.as_secs() =>
				{
					self.send(*token, Some(&stuck), now).map(Outcome::Replaced)
				},
				Some(pending) => Ok(Outcome::StillPending(now.saturating_sub(pending.sent_at))),
				None if settled_lately => continue,
				None => self.send(*token, None, now).map(Outcome::Sent),
			};
			// One LRT's failure (a fee above the cap, a revert) holds up no other.
			outcomes
				.push((*token, outcome.unwrap_or_else(|error| Outcome::Failed(error.to_string()))));
		}
		Ok(outcomes)
	}

	/// Signs and sends `reportBacking(token)`: a new nonce, or `replacing`'s at fees at least
	/// 12.5 % higher (what nodes require of a replacement).
	fn send(
		&mut self,
		token: Address,
		replacing: Option<&Pending>,
		now: u64,
	) -> Result<B256, Error> {
		let data = reportBackingCall { lrt: token }.abi_encode();
		let from = self.key.address();
		let nonce = match replacing {
			Some(stuck) => stuck.nonce,
			None => self.api.transaction_count(from, execution::BlockId::Pending)?,
		};
		let base_fee = u128::from(
			self.api
				.existing_block(execution::BlockId::Latest)?
				.header
				.base_fee_per_gas
				.unwrap_or_default(),
		);
		let mut tip = u128::from(self.api.max_priority_fee()?).max(self.settings.min_priority_fee);
		// Twice the base fee rides out six full blocks of base-fee rises.
		let mut max_fee = base_fee.saturating_mul(2).saturating_add(tip);
		if let Some(stuck) = replacing {
			let bump = |old: u128| old.saturating_add(old / 8).saturating_add(1);
			tip = tip.max(bump(stuck.fees.1));
			max_fee = max_fee.max(bump(stuck.fees.0)).max(tip);
		}
		if max_fee > self.settings.max_fee_per_gas {
			return Err(Error::FeeAboveCap { asked: max_fee, cap: self.settings.max_fee_per_gas });
		}
		let gas = self.api.estimate_gas(from, self.gateway, &data)?;
		// A quarter more than estimated: the backing source's reads may grow in between.
		let gas_limit =
			gas.saturating_add(gas / 4).max(replacing.map_or(0, |stuck| stuck.gas_limit));
		let tx = TxEip1559 {
			chain_id: self.chain_id,
			nonce,
			gas_limit,
			max_fee_per_gas: max_fee,
			max_priority_fee_per_gas: tip,
			to: TxKind::Call(self.gateway),
			value: U256::ZERO,
			access_list: Default::default(),
			input: Bytes::from(data),
		};
		let (raw, hash) = self.key.sign(tx)?;
		match self.api.send_raw_transaction(&raw) {
			Ok(_) => {},
			// A resend after a lost answer: the node holds it already.
			Err(execution::Error::Rpc { message, .. }) if message.contains("already known") => {},
			Err(error) => return Err(error.into()),
		}
		self.pending
			.insert(token, Pending { hash, nonce, fees: (max_fee, tip), gas_limit, sent_at: now });
		Ok(hash)
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn lrt(byte: u8, snapshot_time: Option<u64>) -> ValuedLrt {
		ValuedLrt { token: Address::repeat_byte(byte), snapshot_time }
	}

	#[test]
	fn an_lrt_is_due_without_a_snapshot_or_once_its_snapshot_is_an_interval_old() {
		let hour = Duration::from_secs(3600);
		let lrts = [lrt(3, Some(10_000)), lrt(1, None), lrt(2, Some(10_000 - 3600)), lrt(1, None)];
		assert_eq!(
			due(&lrts, 10_000, hour),
			vec![Address::repeat_byte(1), Address::repeat_byte(2)]
		);
		assert_eq!(due(&lrts, 10_000 + 3600, hour).len(), 3);
		// A snapshot dated after the keeper's clock is not due (no underflow).
		assert!(due(&[lrt(4, Some(20_000))], 10_000, hour).is_empty());
	}

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
