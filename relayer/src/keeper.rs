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

use crate::{
	ethereum::{self, FeePolicy, Replacing},
	execution::{self, ExecutionApi},
};
use alloy_primitives::{Address, B256};
use alloy_sol_types::{sol, SolCall};
use std::{collections::BTreeMap, time::Duration};

/// The key and the errors are the relayer's shared Ethereum account's ([`crate::ethereum`]).
pub use crate::ethereum::{Error, EthereumKey};

sol! {
	/// The gateway's keeper entry point.
	function reportBacking(address lrt) external returns (uint64);
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
		let policy = FeePolicy {
			max_fee_per_gas: self.settings.max_fee_per_gas,
			min_priority_fee: self.settings.min_priority_fee,
		};
		let replacing = replacing.map(|stuck| Replacing {
			nonce: stuck.nonce,
			fees: stuck.fees,
			gas_limit: stuck.gas_limit,
		});
		let sent = ethereum::send(
			&self.api,
			&self.key,
			self.chain_id,
			&policy,
			self.gateway,
			&data,
			replacing,
		)?;
		self.pending.insert(
			token,
			Pending {
				hash: sent.hash,
				nonce: sent.nonce,
				fees: sent.fees,
				gas_limit: sent.gas_limit,
				sent_at: now,
			},
		);
		Ok(sent.hash)
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
}
