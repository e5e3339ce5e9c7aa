//! The calls' bodies (`do_*`, after the call checked its origin and arguments) and the pallet's
//! helpers: the registry, minting proven deposits within the rate limit (and charging their
//! length), burning withdrawals, committing each block's withdrawals in a keccak Merkle root,
//! their proofs, and pruning commitments after the retention.

use crate::{
	math::{self, MintLimitError},
	BalanceOf, BridgeTotals, BridgedEther, CancelledNonces, Commitments, Config, Error, Event,
	LrtOfToken, LrtProfile, LrtState, Lrts, MintBucket, MintBuckets, NextWithdrawalNonce,
	OldestWithdrawal, Pallet, PendingWithdrawals, ProfileOf, Strictness, Totals, UsedNonces,
	WeightInfo, Withdrawal, WithdrawalOf, WithdrawalProof, Withdrawals, WITHDRAWALS_DIGEST_PREFIX,
};
use alloc::vec::Vec;
use ballast_gateway::{withdrawal_message, Deposit};
use codec::Decode;
use frame_support::{
	ensure,
	traits::{
		fungible::Balanced,
		fungibles::{self, roles, Create, Mutate},
		tokens::{Fortitude, Precision, Preservation},
		Get, OnUnbalanced,
	},
	weights::{Weight, WeightToFee},
	BoundedVec,
};
use frame_system::pallet_prelude::BlockNumberFor;
use snowbridge_verification_primitives::{EventProof, Verifier};
use sp_core::{H160, H256};
use sp_runtime::{
	traits::{AccountIdConversion, Keccak256, Saturating, TrailingZeroInput, Zero},
	DigestItem, DispatchResult,
};

/// Most commitments pruned in one block: at most one expires per block, the second works off a
/// backlog (e.g. after the retention was shortened).
pub(crate) const MAX_PRUNED_PER_BLOCK: u32 = 2;

impl<T: Config> Pallet<T> {
	/// The account that owns the LRT and bridged-ether assets.
	pub fn account_id() -> T::AccountId {
		T::PalletId::get().into_account_truncating()
	}

	/// Creates the asset of an LRT or of ether (or, with `adopt`, for ether only, adopts an
	/// existing one the bridge wholly holds) and its profile, active (`register_lrt`,
	/// `register_ether`; the window is checked).
	pub(crate) fn do_register_asset(
		asset: T::AssetId,
		token: H160,
		gateway: H160,
		mint_limit: BalanceOf,
		mint_window: BlockNumberFor<T>,
		adopt: bool,
	) -> DispatchResult {
		ensure!(!Lrts::<T>::contains_key(asset), Error::<T>::AssetExists);
		ensure!(!LrtOfToken::<T>::contains_key(token), Error::<T>::TokenAlreadyRegistered);
		if <T::Assets as fungibles::Inspect<_>>::asset_exists(asset) {
			ensure!(adopt && Self::adoptable(asset), Error::<T>::AssetExists);
		} else {
			T::Assets::create(asset, Self::account_id(), true, 1)
				.map_err(|_| Error::<T>::CannotCreateAsset)?;
		}
		Lrts::<T>::insert(
			asset,
			LrtProfile {
				token,
				gateway,
				operators: BoundedVec::new(),
				avss: BoundedVec::new(),
				mint_limit,
				mint_window,
				state: LrtState::Active,
			},
		);
		LrtOfToken::<T>::insert(token, asset);
		Ok(())
	}

	/// Whether an existing asset can be bridged: the bridge's account holds every one of its
	/// roles (so nobody else can ever mint, burn, move or freeze it) and none of it exists yet
	/// (so its issuance is exactly what the bridge's books say).
	fn adoptable(asset: T::AssetId) -> bool {
		let bridge = Some(Self::account_id());
		<T::Assets as roles::Inspect<_>>::owner(asset) == bridge
			&& <T::Assets as roles::Inspect<_>>::issuer(asset) == bridge
			&& <T::Assets as roles::Inspect<_>>::admin(asset) == bridge
			&& <T::Assets as roles::Inspect<_>>::freezer(asset) == bridge
			&& <T::Assets as fungibles::Inspect<_>>::total_issuance(asset).is_zero()
	}

	/// Marks a gateway deposit cancelled unminted (`cancel_deposit`).
	pub(crate) fn do_cancel_deposit(asset: T::AssetId, nonce: u64) -> DispatchResult {
		let gateway = Lrts::<T>::get(asset).ok_or(Error::<T>::UnknownLrt)?.gateway;
		ensure!(!UsedNonces::<T>::contains_key(gateway, nonce), Error::<T>::NonceAlreadyUsed);
		ensure!(
			!CancelledNonces::<T>::contains_key(gateway, nonce),
			Error::<T>::DepositWasCancelled
		);
		CancelledNonces::<T>::insert(gateway, nonce, ());
		Self::deposit_event(Event::DepositCancelled { gateway, nonce });
		Ok(())
	}

	/// Replaces the LRT's exposure lists (`set_exposure`; the lists are bounded).
	pub(crate) fn do_set_exposure(
		lrt: T::AssetId,
		operators: BoundedVec<H160, T::MaxOperators>,
		avss: BoundedVec<H160, T::MaxAvss>,
	) -> DispatchResult {
		ensure!(BridgedEther::<T>::get() != Some(lrt), Error::<T>::NotAnLrt);
		let counts = (operators.len() as u32, avss.len() as u32);
		Lrts::<T>::try_mutate(lrt, |profile| {
			let profile = profile.as_mut().ok_or(Error::<T>::UnknownLrt)?;
			profile.operators = operators;
			profile.avss = avss;
			Ok::<_, Error<T>>(())
		})?;
		Self::deposit_event(Event::ExposureSet { lrt, operators: counts.0, avss: counts.1 });
		Ok(())
	}

	/// Sets the LRT's mint rate limit (`set_mint_limit`; the window is checked).
	pub(crate) fn do_set_mint_limit(
		lrt: T::AssetId,
		limit: BalanceOf,
		window: BlockNumberFor<T>,
	) -> DispatchResult {
		Lrts::<T>::try_mutate(lrt, |profile| {
			let profile = profile.as_mut().ok_or(Error::<T>::UnknownLrt)?;
			profile.mint_limit = limit;
			profile.mint_window = window;
			Ok::<_, Error<T>>(())
		})?;
		Self::deposit_event(Event::MintLimitSet { lrt, limit, window });
		Ok(())
	}

	/// Sets the LRT's state (`set_state`). Unless `may_loosen` (governance), only a stricter
	/// one: the emergency origin may pause or freeze, nothing else (`NotProtective`).
	pub(crate) fn do_set_state(
		lrt: T::AssetId,
		state: LrtState,
		may_loosen: bool,
	) -> DispatchResult {
		Lrts::<T>::try_mutate(lrt, |profile| {
			let profile = profile.as_mut().ok_or(Error::<T>::UnknownLrt)?;
			ensure!(may_loosen || state.is_stricter_than(profile.state), Error::<T>::NotProtective);
			profile.state = state;
			Ok::<_, Error<T>>(())
		})?;
		Self::deposit_event(Event::StateChanged { lrt, state });
		Ok(())
	}

	/// A deposit proof's size: the bytes of its SCALE encoding (saturating at `u32::MAX`), what
	/// `MaxProofSize` bounds, the weight grows with and the length fee is charged on.
	pub fn proof_size(event: &EventProof) -> u32 {
		ballast_primitives::proofs::proof_size(event)
	}

	/// What a deposit proof of `size` bytes pays for its length: `LengthToFee` of its size.
	pub fn length_fee(size: u32) -> crate::FeeOf<T> {
		T::LengthToFee::weight_to_fee(&Weight::from_parts(size.into(), 0))
	}

	/// Charges `who` the length fee of a `size`-byte proof: withdrawn keeping the account alive,
	/// handed to `OnLengthFee` (`CannotPayLengthFee` if `who` cannot pay).
	pub(crate) fn charge_length_fee(who: &T::AccountId, size: u32) -> DispatchResult {
		let fee = T::Currency::withdraw(
			who,
			Self::length_fee(size),
			Precision::Exact,
			Preservation::Preserve,
			Fortitude::Polite,
		)
		.map_err(|_| Error::<T>::CannotPayLengthFee)?;
		T::OnLengthFee::on_unbalanced(fee);
		Ok(())
	}

	/// Mints a proven deposit (`submit_deposit`; the proof's `size` is checked) and charges
	/// `who` the proof's length fee. Every check, cheapest first, precedes every write.
	pub(crate) fn do_submit_deposit(
		who: &T::AccountId,
		event: &EventProof,
		size: u32,
	) -> DispatchResult {
		let deposit = Deposit::from_log(&event.event_log).map_err(|_| Error::<T>::NotADeposit)?;
		let lrt = LrtOfToken::<T>::get(deposit.token).ok_or(Error::<T>::UnknownToken)?;
		let profile = Lrts::<T>::get(lrt).ok_or(Error::<T>::UnknownLrt)?;
		ensure!(event.event_log.address == profile.gateway, Error::<T>::WrongGateway);
		match profile.state {
			LrtState::Active => {},
			LrtState::DepositsPaused => return Err(Error::<T>::DepositsPaused.into()),
			LrtState::Frozen => return Err(Error::<T>::Frozen.into()),
		}
		ensure!(deposit.amount > 0, Error::<T>::ZeroAmount);
		ensure!(deposit.amount >= T::MinDeposit::get(), Error::<T>::DepositTooSmall);
		ensure!(
			!UsedNonces::<T>::contains_key(profile.gateway, deposit.nonce),
			Error::<T>::NonceAlreadyUsed
		);
		ensure!(
			!CancelledNonces::<T>::contains_key(profile.gateway, deposit.nonce),
			Error::<T>::DepositWasCancelled
		);
		let bucket = Self::bucket_after_mint(lrt, &profile, deposit.amount)?;
		T::Verifier::verify(&event.event_log, &event.proof)
			.map_err(|_| Error::<T>::InvalidProof)?;

		let recipient = T::AccountId::decode(&mut TrailingZeroInput::new(&deposit.recipient))
			.map_err(|_| Error::<T>::NotADeposit)?;
		let totals = Totals::<T>::get(lrt);
		let deposited = totals.deposited.checked_add(deposit.amount).ok_or(Error::<T>::Overflow)?;
		// The first write: the length fee (the call is transactional, so a later failure
		// undoes it).
		Self::charge_length_fee(who, size)?;
		T::Assets::mint_into(lrt, &recipient, deposit.amount)?;
		UsedNonces::<T>::insert(profile.gateway, deposit.nonce, ());
		MintBuckets::<T>::insert(lrt, bucket);
		Totals::<T>::insert(lrt, BridgeTotals { deposited, ..totals });
		Self::deposit_event(Event::Deposited {
			lrt,
			recipient,
			amount: deposit.amount,
			sender: deposit.sender,
			nonce: deposit.nonce,
		});
		Ok(())
	}

	/// Burns a withdrawal and queues it for this block's commitment (`withdraw`).
	pub(crate) fn do_withdraw(
		who: T::AccountId,
		lrt: T::AssetId,
		amount: BalanceOf,
		recipient: H160,
	) -> DispatchResult {
		let profile = Lrts::<T>::get(lrt).ok_or(Error::<T>::UnknownLrt)?;
		ensure!(profile.state != LrtState::Frozen, Error::<T>::Frozen);
		ensure!(amount > 0, Error::<T>::ZeroAmount);
		ensure!(amount >= T::MinDeposit::get(), Error::<T>::WithdrawalTooSmall);
		ensure!(!recipient.is_zero(), Error::<T>::ZeroRecipient);
		let nonce = NextWithdrawalNonce::<T>::get();
		PendingWithdrawals::<T>::try_mutate(|pending| pending.try_push(nonce))
			.map_err(|_| Error::<T>::TooManyWithdrawalsThisBlock)?;
		// What is burned, not what was asked: a burn that leaves less than the asset's minimum
		// balance takes the rest too (the account is reaped), and the withdrawal carries it all,
		// so supply stays deposits minus withdrawals and the holder loses no dust.
		let amount = T::Assets::burn_from(
			lrt,
			&who,
			amount,
			Preservation::Expendable,
			Precision::Exact,
			Fortitude::Polite,
		)?;
		let totals = Totals::<T>::get(lrt);
		let withdrawn = totals.withdrawn.checked_add(amount).ok_or(Error::<T>::Overflow)?;
		Totals::<T>::insert(lrt, BridgeTotals { withdrawn, ..totals });
		NextWithdrawalNonce::<T>::put(nonce.checked_add(1).ok_or(Error::<T>::Overflow)?);
		Withdrawals::<T>::insert(
			nonce,
			Withdrawal {
				lrt,
				who: who.clone(),
				gateway: profile.gateway,
				token: profile.token,
				recipient,
				amount,
				block: frame_system::Pallet::<T>::block_number(),
			},
		);
		Self::deposit_event(Event::WithdrawalQueued { nonce, lrt, who, recipient, amount });
		Ok(())
	}

	/// The LRT's rate-limit bucket after minting `amount` now, or the error if it has no room
	/// (`math::bucket_after_mint` over the stored bucket).
	fn bucket_after_mint(
		lrt: T::AssetId,
		profile: &ProfileOf<T>,
		amount: BalanceOf,
	) -> Result<MintBucket<BalanceOf, BlockNumberFor<T>>, Error<T>> {
		let now = frame_system::Pallet::<T>::block_number();
		let bucket = MintBuckets::<T>::get(lrt);
		math::bucket_after_mint(bucket, now, profile.mint_window, profile.mint_limit, amount)
			.map_err(|error| match error {
				MintLimitError::Overflow => Error::<T>::Overflow,
				MintLimitError::RateLimitExceeded => Error::<T>::RateLimitExceeded,
			})
	}

	/// The most one deposit of `lrt` may mint now under its rate limit (`None` if it is not
	/// registered).
	pub fn mint_room(lrt: T::AssetId) -> Option<BalanceOf> {
		let profile = Lrts::<T>::get(lrt)?;
		let now = frame_system::Pallet::<T>::block_number();
		Some(math::room(&MintBuckets::<T>::get(lrt), now, profile.mint_window, profile.mint_limit))
	}

	/// The ABI-encoded message of a withdrawal (its leaf before hashing).
	pub fn withdrawal_message(nonce: u64, withdrawal: &WithdrawalOf<T>) -> Vec<u8> {
		withdrawal_message(
			withdrawal.gateway,
			withdrawal.token,
			withdrawal.recipient,
			withdrawal.amount,
			nonce,
		)
	}

	/// The messages of the withdrawals `nonces`, in their order (the leaves of a commitment).
	pub(crate) fn messages(nonces: &[u64]) -> Vec<Vec<u8>> {
		nonces
			.iter()
			.filter_map(|nonce| {
				Withdrawals::<T>::get(nonce).map(|w| Self::withdrawal_message(*nonce, &w))
			})
			.collect()
	}

	/// Commits the block's withdrawals: root into the digest and into storage.
	pub(crate) fn commit_withdrawals(now: BlockNumberFor<T>) {
		let pending = PendingWithdrawals::<T>::take();
		if pending.is_empty() {
			return;
		}
		let root: H256 = binary_merkle_tree::merkle_root::<Keccak256, _>(Self::messages(&pending));
		let mut digest = WITHDRAWALS_DIGEST_PREFIX.to_vec();
		digest.extend_from_slice(root.as_bytes());
		frame_system::Pallet::<T>::deposit_log(DigestItem::Other(digest));
		let count = pending.len() as u32;
		Commitments::<T>::insert(now, (root, pending));
		Self::deposit_event(Event::WithdrawalsCommitted { root, count });
	}

	/// Prunes, at the start of block `now`, the commitments of blocks at least
	/// `CommitmentRetention` old, oldest first and at most `MAX_PRUNED_PER_BLOCK`, with their
	/// withdrawals; returns the weight used. Withdrawals are in nonce order and their blocks
	/// never go back, so the oldest withdrawal kept (`OldestWithdrawal`) names the oldest
	/// commitment kept.
	pub(crate) fn prune_commitments(now: BlockNumberFor<T>) -> Weight {
		let retention = T::CommitmentRetention::get();
		let mut weight = Weight::zero();
		for _ in 0..MAX_PRUNED_PER_BLOCK {
			let oldest = OldestWithdrawal::<T>::get();
			let expired = Withdrawals::<T>::get(oldest)
				.map(|withdrawal| withdrawal.block)
				.filter(|block| block.saturating_add(retention) <= now);
			// Nothing expired, or (broken books, which `do_try_state` reports) not committed.
			let Some((block, (_, nonces))) =
				expired.and_then(|block| Commitments::<T>::take(block).map(|c| (block, c)))
			else {
				weight.saturating_accrue(T::WeightInfo::prune_commitment(0));
				break;
			};
			for nonce in nonces.iter() {
				Withdrawals::<T>::remove(nonce);
			}
			let next = nonces.last().map_or(oldest, |last| last.saturating_add(1));
			OldestWithdrawal::<T>::put(next.max(oldest));
			let count = nonces.len() as u32;
			Self::deposit_event(Event::CommitmentPruned { block, count });
			weight.saturating_accrue(T::WeightInfo::prune_commitment(count));
		}
		weight
	}

	/// The withdrawal root block `block` committed (the root in its `b"bwdr"` digest), while its
	/// commitment is kept; `None` for a block that committed no withdrawal. The runtime puts it
	/// into the next block's MMR leaf, which BEEFY signs for Ethereum.
	pub fn withdrawal_root(block: BlockNumberFor<T>) -> Option<H256> {
		Commitments::<T>::get(block).map(|(root, _)| root)
	}

	/// The Merkle proof of withdrawal `nonce` in its block's commitment: `None` before its
	/// block's end, and again once its commitment is pruned (`CommitmentRetention` blocks
	/// later; the root stays in that block's header digest).
	pub fn withdrawal_proof(nonce: u64) -> Option<WithdrawalProof<BlockNumberFor<T>>> {
		let withdrawal = Withdrawals::<T>::get(nonce)?;
		let (root, nonces) = Commitments::<T>::get(withdrawal.block)?;
		let leaf_index = nonces.iter().position(|n| *n == nonce)? as u32;
		let messages = Self::messages(&nonces);
		let proof = binary_merkle_tree::merkle_proof::<Keccak256, _, _>(messages, leaf_index);
		Some(WithdrawalProof {
			block: withdrawal.block,
			root,
			message: proof.leaf,
			leaf_index,
			leaf_count: proof.number_of_leaves,
			proof: proof.proof,
		})
	}

	/// An LRT's supply on Ballast.
	pub fn supply(lrt: T::AssetId) -> BalanceOf {
		<T::Assets as fungibles::Inspect<_>>::total_issuance(lrt)
	}
}
