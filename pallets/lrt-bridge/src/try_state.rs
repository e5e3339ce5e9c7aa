//! The bridge's books as executable checks: `do_try_state`, which try-runtime runs after every
//! block and the tests after every test (`ExtBuilder::build_and_execute`) and after every step
//! of the property test.

use crate::{
	BalanceOf, BridgedEther, CancelledNonces, Commitments, Config, LrtOfToken, Lrts, MintBuckets,
	NextWithdrawalNonce, OldestWithdrawal, Pallet, PendingWithdrawals, Totals, UsedNonces,
	Withdrawals,
};
use alloc::collections::BTreeMap;
use frame_support::{ensure, traits::fungibles};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_core::H160;
use sp_runtime::{
	traits::{Keccak256, Zero},
	TryRuntimeError,
};

impl<T: Config> Pallet<T> {
	/// Checks the bridge's books; each failed check returns its own message.
	///
	/// - The registry: bridged ether, once set, is registered; every registered LRT has its asset, a non-zero mint window, and its token
	///   maps back to it in `LrtOfToken`; every `LrtOfToken` entry maps to the LRT with that token;
	///   nothing (totals, mint buckets) is booked for an unregistered LRT.
	/// - Withdrawals: the ones kept have the nonces from `OldestWithdrawal` to
	///   `NextWithdrawalNonce` without a gap (the lower ones were pruned); each is of a
	///   registered LRT through its gateway and token, positive, and from a past or the current
	///   block. The pending ones are of the current block, in nonce order, the last nonce given
	///   last. Each block commitment lists withdrawals of that block, in nonce order, under the
	///   keccak root of their messages; every withdrawal kept is committed or pending exactly
	///   once.
	/// - Per LRT (the `Totals` invariant): withdrawn ≤ deposited, the asset's total issuance is
	///   deposited − withdrawn, and its withdrawals kept add up to `Totals.withdrawn` (to at most
	///   that once some are pruned). Its mint bucket was updated in a past or the current block
	///   and holds no more than was ever deposited.
	/// - Deposit nonces, per gateway: each used nonce belongs to a registered LRT's gateway and
	///   minted at least one unit (used nonces ≤ units deposited), and a gateway whose LRTs have
	///   deposits has used nonces. A cancelled nonce belongs to a registered gateway and was never
	///   used (a deposit is minted or cancelled, never both).
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let now = frame_system::Pallet::<T>::block_number();
		Self::try_state_registry(now)?;
		let withdrawn = Self::try_state_withdrawals(now)?;
		Self::try_state_totals(&withdrawn)?;
		Self::try_state_deposit_nonces()
	}

	/// The registry and what is booked per LRT outside the totals.
	fn try_state_registry(now: BlockNumberFor<T>) -> Result<(), TryRuntimeError> {
		for (lrt, profile) in Lrts::<T>::iter() {
			ensure!(
				<T::Assets as fungibles::Inspect<T::AccountId>>::asset_exists(lrt),
				"a registered LRT has no asset"
			);
			ensure!(
				LrtOfToken::<T>::get(profile.token) == Some(lrt),
				"LrtOfToken does not map a registered LRT's token back to it"
			);
			ensure!(!profile.mint_window.is_zero(), "a registered LRT has a zero mint window");
		}
		if let Some(ether) = BridgedEther::<T>::get() {
			ensure!(Lrts::<T>::contains_key(ether), "bridged ether is not registered");
		}
		for (token, lrt) in LrtOfToken::<T>::iter() {
			ensure!(
				Lrts::<T>::get(lrt).is_some_and(|profile| profile.token == token),
				"LrtOfToken maps a token to an LRT without that token"
			);
		}
		for lrt in Totals::<T>::iter_keys() {
			ensure!(Lrts::<T>::contains_key(lrt), "totals booked for an unregistered LRT");
		}
		for (lrt, bucket) in MintBuckets::<T>::iter() {
			ensure!(Lrts::<T>::contains_key(lrt), "a mint bucket of an unregistered LRT");
			ensure!(bucket.updated <= now, "a mint bucket updated after the current block");
			ensure!(
				bucket.used <= Totals::<T>::get(lrt).deposited,
				"a mint bucket holds more than the LRT's deposits"
			);
		}
		Ok(())
	}

	/// Withdrawals, pending and committed; returns the amount withdrawn per LRT.
	fn try_state_withdrawals(
		now: BlockNumberFor<T>,
	) -> Result<BTreeMap<T::AssetId, BalanceOf>, TryRuntimeError> {
		let next = NextWithdrawalNonce::<T>::get();
		let oldest = OldestWithdrawal::<T>::get();
		ensure!(oldest <= next, "OldestWithdrawal is past NextWithdrawalNonce");
		let kept = next - oldest;
		let mut withdrawn = BTreeMap::<T::AssetId, BalanceOf>::new();
		let mut count = 0u64;
		for (nonce, withdrawal) in Withdrawals::<T>::iter() {
			ensure!(nonce < next, "a withdrawal's nonce is not below NextWithdrawalNonce");
			ensure!(nonce >= oldest, "a withdrawal below OldestWithdrawal was not pruned");
			let profile =
				Lrts::<T>::get(withdrawal.lrt).ok_or("a withdrawal of an unregistered LRT")?;
			ensure!(
				withdrawal.gateway == profile.gateway && withdrawal.token == profile.token,
				"a withdrawal's gateway or token is not its LRT's"
			);
			ensure!(withdrawal.amount > 0, "a withdrawal of nothing");
			ensure!(withdrawal.block <= now, "a withdrawal recorded after the current block");
			let total = withdrawn.entry(withdrawal.lrt).or_default();
			*total = total.checked_add(withdrawal.amount).ok_or("withdrawals overflow")?;
			count = count.saturating_add(1);
		}
		ensure!(
			count == kept,
			"withdrawal nonces do not run from OldestWithdrawal to NextWithdrawalNonce"
		);

		let pending = PendingWithdrawals::<T>::get();
		ensure!(in_nonce_order(&pending), "pending withdrawals are not in nonce order");
		for nonce in pending.iter() {
			let withdrawal =
				Withdrawals::<T>::get(nonce).ok_or("a pending withdrawal has no record")?;
			ensure!(withdrawal.block == now, "a pending withdrawal is of an earlier block");
		}
		ensure!(
			pending.last().is_none_or(|last| last.checked_add(1) == Some(next)),
			"the last pending withdrawal is not the last nonce given"
		);

		let mut committed = 0u64;
		for (block, (root, nonces)) in Commitments::<T>::iter() {
			ensure!(!nonces.is_empty(), "a block commitment without withdrawals");
			ensure!(block <= now, "a commitment of a block after the current one");
			ensure!(in_nonce_order(&nonces), "a commitment's withdrawals are not in nonce order");
			for nonce in nonces.iter() {
				let withdrawal =
					Withdrawals::<T>::get(nonce).ok_or("a committed withdrawal has no record")?;
				ensure!(withdrawal.block == block, "a withdrawal is committed in another block");
			}
			ensure!(
				binary_merkle_tree::merkle_root::<Keccak256, _>(Self::messages(&nonces)) == root,
				"a commitment's root is not the root of its withdrawals' messages"
			);
			committed = committed.saturating_add(nonces.len() as u64);
		}
		ensure!(
			committed.saturating_add(pending.len() as u64) == kept,
			"withdrawals are not each committed or pending exactly once"
		);
		Ok(withdrawn)
	}

	/// Each LRT's supply against its totals (the `Totals` invariant). The withdrawals kept add
	/// up to `Totals.withdrawn` until the first is pruned, and to at most that after.
	fn try_state_totals(
		withdrawn: &BTreeMap<T::AssetId, BalanceOf>,
	) -> Result<(), TryRuntimeError> {
		let pruned = OldestWithdrawal::<T>::get() > 0;
		for lrt in Lrts::<T>::iter_keys() {
			let totals = Totals::<T>::get(lrt);
			ensure!(
				totals.withdrawn <= totals.deposited,
				"an LRT has more withdrawn than deposited"
			);
			ensure!(
				Self::supply(lrt) == totals.deposited - totals.withdrawn,
				"an LRT's asset supply is not its deposits minus its withdrawals"
			);
			let kept = withdrawn.get(&lrt).copied().unwrap_or_default();
			ensure!(
				kept == totals.withdrawn || (pruned && kept < totals.withdrawn),
				"an LRT's withdrawals do not add up to its Totals.withdrawn"
			);
		}
		Ok(())
	}

	/// Used deposit nonces against the deposits, per gateway (LRTs may share a gateway).
	fn try_state_deposit_nonces() -> Result<(), TryRuntimeError> {
		let mut deposited = BTreeMap::<H160, BalanceOf>::new();
		for (lrt, profile) in Lrts::<T>::iter() {
			let total = deposited.entry(profile.gateway).or_default();
			*total = total.saturating_add(Totals::<T>::get(lrt).deposited);
		}
		let mut used = BTreeMap::<H160, u128>::new();
		for (gateway, _) in UsedNonces::<T>::iter_keys() {
			ensure!(deposited.contains_key(&gateway), "a used deposit nonce of an unknown gateway");
			let count = used.entry(gateway).or_default();
			*count = count.saturating_add(1);
		}
		for (gateway, deposited) in deposited {
			let used = used.get(&gateway).copied().unwrap_or_default();
			ensure!(
				used <= deposited,
				"a gateway has more used deposit nonces than units deposited"
			);
			ensure!(deposited == 0 || used > 0, "a gateway has deposits minted but no used nonce");
		}
		for (gateway, nonce) in CancelledNonces::<T>::iter_keys() {
			ensure!(
				Lrts::<T>::iter_values().any(|profile| profile.gateway == gateway),
				"a cancelled deposit nonce of an unknown gateway"
			);
			ensure!(
				!UsedNonces::<T>::contains_key(gateway, nonce),
				"a deposit nonce both minted and cancelled"
			);
		}
		Ok(())
	}
}

/// Whether `nonces` strictly increase.
fn in_nonce_order(nonces: &[u64]) -> bool {
	nonces.windows(2).all(|pair| pair[0] < pair[1])
}
