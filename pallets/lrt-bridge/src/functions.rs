//! The calls' bodies (`do_*`, after the call checked its origin and arguments) and the pallet's
//! helpers: the registry, minting proven deposits within the rate limit, burning withdrawals,
//! committing each block's withdrawals in a keccak Merkle root, and their proofs.

use crate::{
	math::{self, MintWindowError},
	BalanceOf, BridgeTotals, Commitments, Config, Error, Event, LrtOfToken, LrtProfile, LrtState,
	Lrts, MintWindow, MintWindows, NextWithdrawalNonce, Pallet, PendingWithdrawals, ProfileOf,
	Totals, UsedNonces, Withdrawal, WithdrawalOf, WithdrawalProof, Withdrawals,
	WITHDRAWALS_DIGEST_PREFIX,
};
use alloc::vec::Vec;
use ballast_gateway::{withdrawal_message, Deposit};
use codec::Decode;
use frame_support::{
	ensure,
	traits::{
		fungibles::{self, Create, Mutate},
		tokens::{Fortitude, Precision, Preservation},
		Get,
	},
	BoundedVec,
};
use frame_system::pallet_prelude::BlockNumberFor;
use snowbridge_verification_primitives::{EventProof, Verifier};
use sp_core::{H160, H256};
use sp_runtime::{
	traits::{AccountIdConversion, Keccak256, TrailingZeroInput},
	DigestItem, DispatchResult,
};

impl<T: Config> Pallet<T> {
	/// The account that owns the LRT assets.
	pub fn account_id() -> T::AccountId {
		T::PalletId::get().into_account_truncating()
	}

	/// Creates the LRT's asset and its profile, active (`register_lrt`; the window is checked).
	pub(crate) fn do_register_lrt(
		lrt: T::AssetId,
		token: H160,
		gateway: H160,
		mint_limit: BalanceOf,
		mint_window: BlockNumberFor<T>,
	) -> DispatchResult {
		ensure!(!Lrts::<T>::contains_key(lrt), Error::<T>::AssetExists);
		ensure!(!<T::Assets as fungibles::Inspect<_>>::asset_exists(lrt), Error::<T>::AssetExists);
		ensure!(!LrtOfToken::<T>::contains_key(token), Error::<T>::TokenAlreadyRegistered);
		T::Assets::create(lrt, Self::account_id(), true, 1)
			.map_err(|_| Error::<T>::CannotCreateAsset)?;
		Lrts::<T>::insert(
			lrt,
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
		LrtOfToken::<T>::insert(token, lrt);
		Self::deposit_event(Event::LrtRegistered { lrt, token, gateway });
		Ok(())
	}

	/// Replaces the LRT's exposure lists (`set_exposure`; the lists are bounded).
	pub(crate) fn do_set_exposure(
		lrt: T::AssetId,
		operators: BoundedVec<H160, T::MaxOperators>,
		avss: BoundedVec<H160, T::MaxAvss>,
	) -> DispatchResult {
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

	/// Sets the LRT's state (`set_state`).
	pub(crate) fn do_set_state(lrt: T::AssetId, state: LrtState) -> DispatchResult {
		Lrts::<T>::try_mutate(lrt, |profile| {
			let profile = profile.as_mut().ok_or(Error::<T>::UnknownLrt)?;
			profile.state = state;
			Ok::<_, Error<T>>(())
		})?;
		Self::deposit_event(Event::StateChanged { lrt, state });
		Ok(())
	}

	/// Mints a proven deposit (`submit_deposit`). Every check, cheapest first, precedes every
	/// write.
	pub(crate) fn do_submit_deposit(event: &EventProof) -> DispatchResult {
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
		ensure!(
			!UsedNonces::<T>::contains_key(profile.gateway, deposit.nonce),
			Error::<T>::NonceAlreadyUsed
		);
		let window = Self::window_after_mint(lrt, &profile, deposit.amount)?;
		T::Verifier::verify(&event.event_log, &event.proof)
			.map_err(|_| Error::<T>::InvalidProof)?;

		let recipient = T::AccountId::decode(&mut TrailingZeroInput::new(&deposit.recipient))
			.map_err(|_| Error::<T>::NotADeposit)?;
		let totals = Totals::<T>::get(lrt);
		let deposited = totals.deposited.checked_add(deposit.amount).ok_or(Error::<T>::Overflow)?;
		T::Assets::mint_into(lrt, &recipient, deposit.amount)?;
		UsedNonces::<T>::insert(profile.gateway, deposit.nonce, ());
		MintWindows::<T>::insert(lrt, window);
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
		ensure!(!recipient.is_zero(), Error::<T>::ZeroRecipient);
		let nonce = NextWithdrawalNonce::<T>::get();
		PendingWithdrawals::<T>::try_mutate(|pending| pending.try_push(nonce))
			.map_err(|_| Error::<T>::TooManyWithdrawalsThisBlock)?;
		let totals = Totals::<T>::get(lrt);
		let withdrawn = totals.withdrawn.checked_add(amount).ok_or(Error::<T>::Overflow)?;
		T::Assets::burn_from(
			lrt,
			&who,
			amount,
			Preservation::Expendable,
			Precision::Exact,
			Fortitude::Polite,
		)?;
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

	/// The rate-limit window after minting `amount` now, or the error if it would exceed it
	/// (`math::window_after_mint` over the stored window).
	fn window_after_mint(
		lrt: T::AssetId,
		profile: &ProfileOf<T>,
		amount: BalanceOf,
	) -> Result<MintWindow<BalanceOf, BlockNumberFor<T>>, Error<T>> {
		let now = frame_system::Pallet::<T>::block_number();
		let window = MintWindows::<T>::get(lrt);
		math::window_after_mint(window, now, profile.mint_window, profile.mint_limit, amount)
			.map_err(|error| match error {
				MintWindowError::Overflow => Error::<T>::Overflow,
				MintWindowError::RateLimitExceeded => Error::<T>::RateLimitExceeded,
			})
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

	/// The Merkle proof of withdrawal `nonce` in its block's commitment (once committed).
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
