//! Releases on Ethereum of withdrawals burned on Ballast, and the relay that keeps
//! `BeefyClient` following Ballast for them (`ballast-relayer beefy`, `ballast-relayer
//! release`).
//!
//! A withdrawal committed in Ballast block `b` is under the MMR leaf block `b + 1` appended
//! (its extra data is the withdrawal root `b` committed), so it can be released once
//! `BeefyClient`'s latest BEEFY block is at least `b + 1`. Each round of [`Relay`]:
//! 1. reads `BeefyClient` (latest block and root, current and next set) and the newest BEEFY
//!    commitment (from `beefy_subscribeJustifications`, or the justification stored in BEEFY's
//!    finalized head);
//! 2. **hands over**: while Ballast's BEEFY set is at or past `BeefyClient`'s next set, submits
//!    a commitment of that next set (the newest seen, or, after a restart or a long pause, the
//!    one stored in the block that started the set, found by walking headers from
//!    `BeefyClient`'s block). `BeefyClient` accepts only its current and next set: a set
//!    skipped would stall it for good, so handovers go first and whether or not anything
//!    waits to be released;
//! 3. reads the gateway's withdrawals from Ballast's finalized state (`NextWithdrawalNonce`,
//!    `LrtBridgeApi_withdrawal_proof`) not yet `released` on the gateway;
//! 4. if one is not covered by `BeefyClient`'s latest block, submits the newest commitment (it
//!    covers all that BEEFY has finalized);
//! 5. releases each covered one: its withdrawal proof, the MMR leaf of `b + 1` and its proof in
//!    the MMR as of `BeefyClient`'s latest block (`mmr_generateProof([b + 1], latest)`), checked
//!    locally (the leaf carries the withdrawal's root and leads to `latestMMRRoot`; the message
//!    is in the root) before `release` is sent. A new root landing in between makes the
//!    release revert: it is built again from fresh proofs.
//!
//! Anyone may release (the gateway pays the recipient named on Ballast): a user can run
//! `ballast-relayer release --nonce N`, which does the same for one withdrawal.

use crate::{
	beefy::{
		self, blocking, find_session_start, signer_set, submit_commitment, BeefyChain,
		BeefyClientState, BeefySignedCommitment, Error, HandoverLeaf, Known, Submitted,
		WithdrawalProof,
	},
	chain::Ballast,
	ethereum::Transactor,
	metrics::BeefyMetrics,
};
use alloy_primitives::{keccak256, Address, B256, U256};
use alloy_sol_types::{SolCall, SolValue};
use ballast_gateway::release::{abi, simplified_mmr_root, ScaleMmrLeaf, SimplifiedMmrProof};
use sp_consensus_beefy::{ecdsa_crypto::Public, ValidatorSet};
use std::{
	collections::{BTreeMap, BTreeSet},
	sync::{Arc, Mutex},
	time::Duration,
};

/// A withdrawal's message, as Ballast commits it: `abi.encode(gateway, token, recipient,
/// amount, nonce)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Message {
	/// The gateway that releases it.
	pub gateway: Address,
	/// The token released.
	pub token: Address,
	/// Who receives it.
	pub recipient: Address,
	/// How much.
	pub amount: U256,
	/// The withdrawal's nonce.
	pub nonce: u64,
}

impl Message {
	/// Decodes a committed message.
	pub fn decode(bytes: &[u8]) -> Option<Self> {
		let (gateway, token, recipient, amount, nonce) =
			<(Address, Address, Address, U256, u64)>::abi_decode(bytes).ok()?;
		Some(Message { gateway, token, recipient, amount, nonce })
	}
}

/// `SubstrateMerkleProof.computeRoot`: the root a binary-merkle-tree proof leads to from
/// `leaf` (already hashed) at `position` in a tree of `width` leaves.
pub fn substrate_merkle_root(leaf: B256, position: u64, width: u64, proof: &[B256]) -> B256 {
	let (mut node, mut position, mut width) = (leaf, position, width);
	for sibling in proof {
		let (left, right) = if position & 1 == 1 || position + 1 == width {
			(sibling, &node)
		} else {
			(&node, sibling)
		};
		let mut pair = [0u8; 64];
		pair[..32].copy_from_slice(left.as_slice());
		pair[32..].copy_from_slice(right.as_slice());
		node = keccak256(pair);
		position >>= 1;
		width = ((width.saturating_sub(1)) >> 1) + 1;
	}
	node
}

/// Builds `release` for withdrawal `nonce` against `BeefyClient`'s latest root (`state`),
/// with the MMR proof served by Ballast at block `at` ([`build_release`]).
pub async fn prepare_release(
	chain: &BeefyChain,
	nonce: u64,
	proof: &WithdrawalProof,
	message: &Message,
	state: &BeefyClientState,
	at: B256,
) -> Result<abi::releaseCall, Error> {
	let leaf_block = proof.block + 1;
	if u64::from(leaf_block) > state.latest_block {
		return Err(Error::Refused(format!(
			"withdrawal {nonce} (block {}) is not under BeefyClient's block {}",
			proof.block, state.latest_block
		)));
	}
	let latest = u32::try_from(state.latest_block)
		.map_err(|_| Error::Refused(format!("BeefyClient's block {}", state.latest_block)))?;
	let (leaf, mmr_proof) = chain.mmr_proof(leaf_block, latest, at).await?;
	let simplified = beefy::simplify(&leaf, &mmr_proof)?;
	build_release(nonce, proof, message, &leaf, &simplified, state)
}

/// `release` of withdrawal `nonce` (its `proof` and decoded `message`) under MMR `leaf` (the
/// leaf of the block after the withdrawal's) with its simplified proof, checked as the gateway
/// and `BeefyClient` check it: the message is in the withdrawal root, the leaf carries that root
/// and names the withdrawal's block as its parent, and the proof leads to `BeefyClient`'s
/// latest root.
pub fn build_release(
	nonce: u64,
	proof: &WithdrawalProof,
	message: &Message,
	leaf: &ScaleMmrLeaf,
	leaf_proof: &SimplifiedMmrProof,
	state: &BeefyClientState,
) -> Result<abi::releaseCall, Error> {
	let leaf_block = proof.block + 1;
	let siblings: Vec<B256> = proof.proof.iter().map(|hash| B256::from(*hash)).collect();
	let leaf_hash = keccak256(&proof.message);
	if proof.leaf_index >= proof.leaf_count
		|| substrate_merkle_root(
			leaf_hash,
			u64::from(proof.leaf_index),
			u64::from(proof.leaf_count),
			&siblings,
		) != B256::from(proof.root)
	{
		return Err(Error::Refused(format!(
			"withdrawal {nonce}'s proof does not lead to block {}'s withdrawal root",
			proof.block
		)));
	}
	if leaf.withdrawal_root != proof.root || leaf.parent_number_and_hash.0 != proof.block {
		return Err(Error::Refused(format!(
			"the MMR leaf of block {leaf_block} carries withdrawal root {} of block {}, withdrawal {nonce} is under {} of block {}",
			B256::from(leaf.withdrawal_root),
			leaf.parent_number_and_hash.0,
			B256::from(proof.root),
			proof.block
		)));
	}
	let root = simplified_mmr_root(leaf.hash(), leaf_proof);
	if root != state.latest_root {
		return Err(Error::Refused(format!(
			"the MMR proof of block {leaf_block} leads to {root}, BeefyClient holds {}",
			state.latest_root
		)));
	}
	Ok(abi::releaseCall {
		withdrawal: abi::Withdrawal {
			token: message.token,
			recipient: message.recipient,
			amount: message.amount,
			nonce,
			leafIndex: U256::from(proof.leaf_index),
			leafCount: U256::from(proof.leaf_count),
			proof: siblings,
		},
		leaf: leaf.to_abi(),
		leafProof: leaf_proof.items.clone(),
		leafProofOrder: leaf_proof.order,
	})
}

/// A withdrawal this relayer released.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Released {
	/// Its nonce.
	pub nonce: u64,
	/// What was paid, to whom.
	pub message: Message,
	/// The transaction.
	pub hash: B256,
	/// Its Ethereum block.
	pub block: u64,
	/// Gas it used.
	pub gas_used: u64,
	/// Its call data's size (the proofs).
	pub calldata_bytes: usize,
}

/// What a round did.
#[derive(Clone, Debug, Default)]
pub struct Report {
	/// Commitments `BeefyClient` accepted (handovers first).
	pub commitments: Vec<Submitted>,
	/// Withdrawals released.
	pub released: Vec<Released>,
	/// Withdrawals still waiting (not yet covered, or their release failed).
	pub pending: Vec<u64>,
	/// `BeefyClient`'s state at the end of the round.
	pub state: Option<BeefyClientState>,
}

/// How the relay runs.
#[derive(Clone, Copy, Debug)]
pub struct Settings {
	/// The first withdrawal nonce to look at (older ones are taken as settled).
	pub start_nonce: u64,
	/// Pause between rounds when no new BEEFY commitment wakes the relay first.
	pub poll: Duration,
}

impl Default for Settings {
	fn default() -> Self {
		Settings { start_nonce: 0, poll: Duration::from_secs(6) }
	}
}

/// The Ballast → Ethereum relay: one `BeefyClient`, one gateway, one Ethereum account.
pub struct Relay {
	ballast: Ballast,
	chain: BeefyChain,
	tx: Arc<Transactor>,
	beefy_client: Address,
	gateway: Address,
	known: Arc<Mutex<Known>>,
	notify: Arc<tokio::sync::Notify>,
	follower: tokio::task::JoinHandle<()>,
	/// The blocks that started BEEFY sets, with the sets, as found by walking headers.
	starts: BTreeMap<u64, (u32, ValidatorSet<Public>)>,
	/// Every withdrawal below this is released, pruned or another gateway's.
	watermark: u64,
	pruned_warned: BTreeSet<u64>,
	/// The last "waiting for BEEFY" said: (block needed, BEEFY's newest block).
	waiting: Option<(u64, Option<u32>)>,
	settings: Settings,
	metrics: BeefyMetrics,
}

impl Drop for Relay {
	fn drop(&mut self) {
		self.follower.abort();
	}
}

impl Relay {
	/// A relay for `gateway` through `beefy_client`, following BEEFY on `ballast`'s node
	/// (it subscribes to its justifications at once).
	pub fn new(
		ballast: Ballast,
		tx: Transactor,
		beefy_client: Address,
		gateway: Address,
		settings: Settings,
		metrics: BeefyMetrics,
	) -> Self {
		let known = Arc::new(Mutex::new(Known::default()));
		let notify = Arc::new(tokio::sync::Notify::new());
		let follower = beefy::follow(ballast.url().to_string(), known.clone(), notify.clone());
		Relay {
			chain: BeefyChain::new(&ballast),
			ballast,
			tx: Arc::new(tx),
			beefy_client,
			gateway,
			known,
			notify,
			follower,
			starts: BTreeMap::new(),
			watermark: settings.start_nonce,
			pruned_warned: BTreeSet::new(),
			waiting: None,
			settings,
			metrics,
		}
	}

	/// The relayer's Ethereum account.
	pub fn address(&self) -> Address {
		self.tx.address()
	}

	fn client_state(&self) -> Result<BeefyClientState, Error> {
		let (tx, client) = (self.tx.clone(), self.beefy_client);
		let state = blocking(|| beefy::beefy_client_state(tx.api(), client))?;
		self.metrics.client_block.set(state.latest_block);
		self.metrics.client_set_id.set(state.current.id);
		Ok(state)
	}

	fn released_on_gateway(&self, nonce: u64) -> Result<bool, Error> {
		let data = abi::releasedCall { withdrawalNonce: nonce }.abi_encode();
		let output = blocking(|| {
			self.tx.api().call(self.gateway, &data, crate::execution::BlockId::Latest)
		})?;
		abi::releasedCall::abi_decode_returns(&output)
			.map_err(|e| Error::Refused(format!("released({nonce}) answered {output}: {e}")))
	}

	/// The newest commitment known: from the subscription, or the justification stored in
	/// BEEFY's finalized head if that is newer.
	async fn newest_commitment(&self) -> Result<Option<BeefySignedCommitment>, Error> {
		let (hash, number) = self.chain.beefy_finalized_head().await?;
		let known = self.known.lock().expect("known").newest().map(|c| c.commitment.block_number);
		if known.is_none_or(|block| block < number) {
			if let Some(stored) = self.chain.justification(hash).await? {
				self.known.lock().expect("known").insert(stored);
			}
		}
		let newest = self.known.lock().expect("known").newest().cloned();
		if let Some(newest) = &newest {
			self.metrics.ballast_block.set(u64::from(newest.commitment.block_number));
			self.metrics.ballast_set_id.set(newest.commitment.validator_set_id);
		}
		Ok(newest)
	}

	async fn submit(
		&mut self,
		signed: &BeefySignedCommitment,
		state: &BeefyClientState,
	) -> Result<Submitted, Error> {
		let block = signed.commitment.block_number;
		let id = signed.commitment.validator_set_id;
		let set =
			signer_set(&self.chain, block, id, self.starts.get(&id).map(|(_, set)| set)).await?;
		let handover = if id == state.next.id {
			Some(HandoverLeaf::read(&self.chain, block).await?)
		} else {
			None
		};
		let submitted =
			submit_commitment(&self.tx, self.beefy_client, signed, &set, state, handover).await?;
		let kind = if submitted.handover { "handover" } else { "withdrawals" };
		self.metrics.commitments.with_label_values(&[kind]).inc();
		for (call, included) in &submitted.transactions {
			self.metrics.transaction(
				call,
				included.outcome.gas_used,
				included.outcome.effective_gas_price,
			);
		}
		Ok(submitted)
	}

	/// A commitment of `BeefyClient`'s next set newer than its block: the newest seen, else the
	/// one stored in the block that started the set.
	async fn handover_commitment(
		&mut self,
		state: &BeefyClientState,
		beefy_head: u32,
	) -> Result<BeefySignedCommitment, Error> {
		let id = state.next.id;
		let seen = self.known.lock().expect("known").of_set(id).cloned();
		if let Some(seen) =
			seen.filter(|c| u64::from(c.commitment.block_number) > state.latest_block)
		{
			return Ok(seen);
		}
		let from = u32::try_from(state.latest_block + 1).unwrap_or(u32::MAX);
		let start = find_session_start(&self.chain, id, from, beefy_head, &mut self.starts)
			.await?
			.ok_or_else(|| {
				Error::Refused(format!(
					"no block in {from}..={beefy_head} started BEEFY set {id}, though BEEFY finalized a commitment of a later set"
				))
			})?;
		let hash = self.chain.block_hash(start).await?;
		let stored = self.chain.justification(hash).await?.ok_or_else(|| {
			Error::Refused(format!(
				"block {start} started BEEFY set {id} but the node holds no BEEFY justification of it"
			))
		})?;
		tracing::info!(
			block = start,
			set_id = id,
			"catching up: the stored justification of the block that started the set"
		);
		Ok(stored)
	}

	/// One round (see the module's documentation). With `only`, just that withdrawal is looked
	/// at (it must be the gateway's and exist).
	pub async fn round(&mut self, only: Option<u64>) -> Result<Report, Error> {
		let mut report = Report::default();
		let mut state = self.client_state()?;

		// Handovers, as many as Ballast's BEEFY is ahead.
		loop {
			let Some(newest) = self.newest_commitment().await? else { break };
			let ballast_set = newest.commitment.validator_set_id;
			self.metrics
				.client_lag_blocks
				.set(u64::from(newest.commitment.block_number).saturating_sub(state.latest_block));
			if ballast_set < state.next.id {
				break;
			}
			let (_, beefy_head) = self.chain.beefy_finalized_head().await?;
			let signed = self.handover_commitment(&state, beefy_head).await?;
			let submitted = self.submit(&signed, &state).await?;
			report.commitments.push(submitted);
			state = self.client_state()?;
		}

		// The gateway's withdrawals not released yet, at Ballast's finalized block.
		let (at, _) = self.chain.finalized_head().await?;
		let next_nonce = self.ballast.next_withdrawal_nonce_at(at.0).await?;
		let nonces: Vec<u64> = match only {
			Some(nonce) if nonce >= next_nonce => {
				return Err(Error::Refused(format!(
					"withdrawal {nonce} is not in Ballast's finalized state (the next nonce is {next_nonce})"
				)));
			},
			Some(nonce) => vec![nonce],
			None => (self.watermark..next_nonce).collect(),
		};
		let mut settled = BTreeSet::new();
		let mut pending = Vec::new();
		for nonce in nonces {
			if self.released_on_gateway(nonce)? {
				settled.insert(nonce);
				continue;
			}
			let Some(proof) = self.chain.withdrawal_proof(nonce, at).await? else {
				if only.is_some() {
					return Err(Error::Refused(format!(
						"Ballast no longer holds withdrawal {nonce}'s commitment (pruned)"
					)));
				}
				if self.pruned_warned.insert(nonce) {
					tracing::warn!(
						nonce,
						"withdrawal pruned on Ballast before it was released; skipped"
					);
				}
				settled.insert(nonce);
				continue;
			};
			let message = Message::decode(&proof.message).filter(|m| m.nonce == nonce);
			match message {
				Some(message) if message.gateway == self.gateway => {
					pending.push((nonce, proof, message))
				},
				Some(message) if only.is_some() => {
					return Err(Error::Refused(format!(
						"withdrawal {nonce} is released by gateway {}, not {}",
						message.gateway, self.gateway
					)));
				},
				Some(_) => {
					settled.insert(nonce);
				},
				None => {
					return Err(Error::Refused(format!(
						"withdrawal {nonce}'s committed message does not decode as its own"
					)));
				},
			}
		}
		if only.is_none() {
			while settled.contains(&self.watermark) {
				self.watermark += 1;
			}
		}
		self.metrics.pending_withdrawals.set(pending.len() as u64);

		// A commitment covering what waits, if BEEFY finalized one.
		let uncovered = pending
			.iter()
			.map(|(_, proof, _)| u64::from(proof.block) + 1)
			.filter(|block| *block > state.latest_block)
			.min();
		if let Some(needed) = uncovered {
			let newest = self.newest_commitment().await?;
			match newest {
				Some(signed)
					if u64::from(signed.commitment.block_number) >= needed
						&& state.set(signed.commitment.validator_set_id).is_some() =>
				{
					let submitted = self.submit(&signed, &state).await?;
					report.commitments.push(submitted);
					state = self.client_state()?;
				},
				newest => {
					let beefy = newest.map(|c| c.commitment.block_number);
					// Said once per state, not every round.
					if self.waiting != Some((needed, beefy)) {
						self.waiting = Some((needed, beefy));
						tracing::info!(
							needed,
							beefy,
							"waiting for BEEFY to finalize a block covering a withdrawal"
						);
					}
				},
			}
		}

		// Releases.
		let mut failure = None;
		for (nonce, proof, message) in pending {
			if u64::from(proof.block) + 1 > state.latest_block {
				report.pending.push(nonce);
				continue;
			}
			match self.release(nonce, &proof, &message).await {
				Ok(Some(released)) => report.released.push(released),
				Ok(None) => {},
				Err(error) => {
					self.metrics.failed(error.kind());
					tracing::warn!(nonce, %error, "release failed; the next round tries again");
					report.pending.push(nonce);
					failure = Some(error);
				},
			}
		}
		report.state = Some(self.client_state()?);
		match (only, failure) {
			(Some(_), Some(error)) => Err(error),
			_ => Ok(report),
		}
	}

	/// Releases one withdrawal, building it again with fresh proofs if `BeefyClient`'s root
	/// moved under it. `None` if it was released by someone else meanwhile.
	async fn release(
		&mut self,
		nonce: u64,
		proof: &WithdrawalProof,
		message: &Message,
	) -> Result<Option<Released>, Error> {
		const ATTEMPTS: usize = 3;
		for attempt in 1..=ATTEMPTS {
			let state = self.client_state()?;
			let (at, _) = self.chain.finalized_head().await?;
			let call = prepare_release(&self.chain, nonce, proof, message, &state, at).await?;
			let data = call.abi_encode();
			let (tx, gateway) = (self.tx.clone(), self.gateway);
			match blocking(|| tx.transact("release", gateway, &data)) {
				Ok(included) => {
					self.metrics.transaction(
						"release",
						included.outcome.gas_used,
						included.outcome.effective_gas_price,
					);
					self.metrics.releases.inc();
					self.metrics.last_released_nonce.set(nonce);
					tracing::info!(
						nonce,
						token = %message.token,
						recipient = %message.recipient,
						amount = %message.amount,
						hash = %included.hash,
						block = included.outcome.block_number,
						gas_used = included.outcome.gas_used,
						calldata_bytes = included.calldata_bytes,
						"withdrawal released"
					);
					return Ok(Some(Released {
						nonce,
						message: *message,
						hash: included.hash,
						block: included.outcome.block_number,
						gas_used: included.outcome.gas_used,
						calldata_bytes: included.calldata_bytes,
					}));
				},
				Err(error) => {
					if self.released_on_gateway(nonce)? {
						tracing::info!(nonce, "withdrawal released by someone else meanwhile");
						return Ok(None);
					}
					let now = self.client_state()?;
					if now.latest_root != state.latest_root && attempt < ATTEMPTS {
						tracing::info!(
							nonce,
							%error,
							"BeefyClient took a new root under the release; building it again"
						);
						continue;
					}
					return Err(error.into());
				},
			}
		}
		unreachable!("the last attempt returns")
	}

	/// Runs rounds until stopped: after each, waits for a new BEEFY commitment or
	/// [`Settings::poll`]; a failed round is logged, counted and retried with exponential
	/// backoff (2 s doubling to 5 minutes), a lost Ballast connection re-opened.
	pub async fn run(&mut self) {
		let mut backoff = Duration::from_secs(2);
		loop {
			match self.round(None).await {
				Ok(report) => {
					backoff = Duration::from_secs(2);
					if !report.commitments.is_empty() || !report.released.is_empty() {
						tracing::info!(
							commitments = report.commitments.len(),
							released = report.released.len(),
							pending = report.pending.len(),
							beefy_client_block = report.state.map(|s| s.latest_block),
							"round done"
						);
					}
				},
				Err(error) => {
					self.metrics.failed(error.kind());
					tracing::warn!(%error, retry_in_s = backoff.as_secs(), "BEEFY relay round failed");
					if matches!(error, Error::Chain(ref e) if e.is_transient()) {
						match self.ballast.reconnect().await {
							Ok(()) => self.chain = BeefyChain::new(&self.ballast),
							Err(error) => tracing::warn!(%error, "reconnecting to Ballast"),
						}
					}
					tokio::time::sleep(backoff).await;
					backoff = (backoff * 2).min(Duration::from_secs(300));
					continue;
				},
			}
			tokio::select! {
				_ = self.notify.notified() => {},
				_ = tokio::time::sleep(self.settings.poll) => {},
			}
		}
	}

	/// Releases withdrawal `nonce` (submitting what `BeefyClient` needs first), waiting for
	/// BEEFY as long as it takes, up to `timeout`. What was done; `None` in the released field
	/// if it was released already (or by someone else meanwhile).
	pub async fn release_one(&mut self, nonce: u64, timeout: Duration) -> Result<Report, Error> {
		let deadline = tokio::time::Instant::now() + timeout;
		let mut done = Report::default();
		loop {
			let report = match self.round(Some(nonce)).await {
				Ok(report) => report,
				// Another relayer's commitment or release may land first, a node may fail:
				// the next round reads the new state.
				Err(error) if error.is_retryable() && tokio::time::Instant::now() < deadline => {
					tracing::warn!(%error, "round failed; trying again");
					tokio::time::sleep(self.settings.poll).await;
					continue;
				},
				Err(error) => return Err(error),
			};
			done.commitments.extend(report.commitments);
			done.released.extend(report.released);
			done.state = report.state;
			if !done.released.is_empty() || self.released_on_gateway(nonce)? {
				return Ok(done);
			}
			if tokio::time::Instant::now() >= deadline {
				done.pending = report.pending;
				return Err(Error::Refused(format!(
					"withdrawal {nonce} is not covered by a BEEFY commitment after {timeout:?}"
				)));
			}
			tokio::select! {
				_ = self.notify.notified() => {},
				_ = tokio::time::sleep(self.settings.poll) => {},
			}
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use ballast_gateway::release::authority_set;

	#[test]
	fn substrate_merkle_proofs_lead_to_the_root_binary_merkle_tree_builds() {
		for width in 1..=9usize {
			let addresses: Vec<Address> =
				(0..width).map(|i| Address::repeat_byte(i as u8 + 1)).collect();
			let root = authority_set::root(&addresses);
			for (index, address) in addresses.iter().enumerate() {
				let proof = authority_set::proof(&addresses, index);
				assert_eq!(
					substrate_merkle_root(keccak256(address), index as u64, width as u64, &proof),
					root,
					"leaf {index} of {width}"
				);
				if width > 1 {
					// Another position does not lead there.
					let other = (index + 1) % width;
					assert_ne!(
						substrate_merkle_root(
							keccak256(address),
							other as u64,
							width as u64,
							&proof
						),
						root
					);
				}
			}
		}
	}

	#[test]
	fn a_message_decodes_as_the_gateway_encodes_it() {
		let message = Message {
			gateway: Address::repeat_byte(1),
			token: Address::repeat_byte(2),
			recipient: Address::repeat_byte(3),
			amount: U256::from(4u8),
			nonce: 5,
		};
		let encoded =
			(message.gateway, message.token, message.recipient, message.amount, message.nonce)
				.abi_encode();
		assert_eq!(encoded.len(), 5 * 32);
		assert_eq!(Message::decode(&encoded), Some(message));
		assert_eq!(Message::decode(&encoded[..100]), None);
	}
}
