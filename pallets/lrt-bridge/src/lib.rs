//! # LRT bridge
//!
//! Liquid restaking tokens enter Ballast only against Ethereum proofs, and leave by burning:
//!
//! - governance registers each LRT as its own `pallet-assets` asset with a profile
//!   ([`LrtProfile`]): its ERC-20 and gateway addresses on Ethereum, the EigenLayer operators and
//!   AVSs it is exposed to, a mint rate limit and a state ([`LrtState`]);
//! - anyone submits a `Deposited` event of the LRT's `BallastGateway` with its proof
//!   ([`Pallet::submit_deposit`]): Snowbridge's `Verifier` checks the receipt, the execution
//!   header and its ancestry to a finalized beacon header; the pallet checks the emitter, the
//!   token, the nonce, the LRT's state and the rate limit, then mints to the recipient;
//! - a holder burns with [`Pallet::withdraw`]; the withdrawal gets a nonce and its message
//!   (`abi.encode(gateway, token, recipient, amount, nonce)`) joins the block's keccak Merkle
//!   tree, whose root goes into the block header's digest. The runtime API gives any message's
//!   proof for the gateway's releaser (see `docs/bridge.md` for the release-side trust model).
//!
//! Invariant: for every LRT, its supply on Ballast equals proven deposits minus withdrawals
//! ([`Totals`]).

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
pub mod types;
pub mod weights;

pub use types::*;
pub use weights::WeightInfo;

/// What benchmarks need from the runtime around the pallet.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AssetId> {
	/// A `Deposited` event with a proof the runtime's verifier accepts, after making the
	/// verifier hold what it needs (e.g. the light client's checkpoint).
	fn valid_deposit() -> snowbridge_verification_primitives::EventProof;
	/// The `n`th LRT asset id.
	fn lrt(n: u32) -> AssetId;
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::{boxed::Box, vec::Vec};
	use ballast_gateway::{withdrawal_message, Deposit};
	use ballast_primitives::lrt::LrtRegistry;
	use frame_support::{
		dispatch::{DispatchResultWithPostInfo, Pays},
		pallet_prelude::*,
		traits::{
			fungibles::{self, Create, Mutate},
			tokens::{Fortitude, Precision, Preservation},
		},
		PalletId,
	};
	use frame_system::pallet_prelude::*;
	use snowbridge_verification_primitives::{EventProof, Verifier};
	use sp_core::{H160, H256};
	use sp_runtime::{
		traits::{AccountIdConversion, Keccak256, Saturating, TrailingZeroInput, Zero},
		DigestItem,
	};

	pub type BalanceOf = u128;
	pub type ProfileOf<T> = LrtProfile<
		BalanceOf,
		BlockNumberFor<T>,
		<T as Config>::MaxOperators,
		<T as Config>::MaxAvss,
	>;
	pub type WithdrawalOf<T> = Withdrawal<
		<T as frame_system::Config>::AccountId,
		<T as Config>::AssetId,
		BalanceOf,
		BlockNumberFor<T>,
	>;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// An LRT's `pallet-assets` asset id.
		type AssetId: Member + Parameter + Copy + MaxEncodedLen + Ord;
		/// The assets LRTs are minted in (the bridge creates each LRT's asset).
		type Assets: fungibles::Inspect<Self::AccountId, AssetId = Self::AssetId, Balance = BalanceOf>
			+ Mutate<Self::AccountId>
			+ Create<Self::AccountId>;
		/// Snowbridge's proof verifier (the Ethereum light client).
		type Verifier: Verifier;
		/// Registers LRTs and changes their profiles.
		type GovernanceOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Owner of the LRT assets the bridge creates.
		#[pallet::constant]
		type PalletId: Get<PalletId>;
		#[pallet::constant]
		type MaxOperators: Get<u32>;
		#[pallet::constant]
		type MaxAvss: Get<u32>;
		/// Withdrawals one block commits (a bounded tree per block).
		#[pallet::constant]
		type MaxWithdrawalsPerBlock: Get<u32>;
		type WeightInfo: WeightInfo;
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: crate::BenchmarkHelper<Self::AssetId>;
	}

	/// Every registered LRT's profile.
	#[pallet::storage]
	pub type Lrts<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AssetId, ProfileOf<T>, OptionQuery>;

	/// The LRT of an Ethereum token address (each token is one LRT).
	#[pallet::storage]
	pub type LrtOfToken<T: Config> = StorageMap<_, Blake2_128Concat, H160, T::AssetId, OptionQuery>;

	/// Minted in each LRT's current rate-limit window.
	#[pallet::storage]
	pub type MintWindows<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		T::AssetId,
		MintWindow<BalanceOf, BlockNumberFor<T>>,
		ValueQuery,
	>;

	/// Everything that crossed the bridge, per LRT.
	#[pallet::storage]
	pub type Totals<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AssetId, BridgeTotals<BalanceOf>, ValueQuery>;

	/// Gateway event nonces already used (a deposit is minted once).
	#[pallet::storage]
	pub type UsedNonces<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, H160, Twox64Concat, u64, (), OptionQuery>;

	/// The nonce the next withdrawal gets.
	#[pallet::storage]
	pub type NextWithdrawalNonce<T: Config> = StorageValue<_, u64, ValueQuery>;

	/// Every withdrawal, by nonce.
	#[pallet::storage]
	pub type Withdrawals<T: Config> =
		StorageMap<_, Twox64Concat, u64, WithdrawalOf<T>, OptionQuery>;

	/// Withdrawals of the current block, committed in `on_finalize`.
	#[pallet::storage]
	pub type PendingWithdrawals<T: Config> =
		StorageValue<_, BoundedVec<u64, T::MaxWithdrawalsPerBlock>, ValueQuery>;

	/// Each block's withdrawal root and the nonces of its leaves, in leaf order.
	#[pallet::storage]
	pub type Commitments<T: Config> = StorageMap<
		_,
		Twox64Concat,
		BlockNumberFor<T>,
		(H256, BoundedVec<u64, T::MaxWithdrawalsPerBlock>),
		OptionQuery,
	>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		LrtRegistered {
			lrt: T::AssetId,
			token: H160,
			gateway: H160,
		},
		ExposureSet {
			lrt: T::AssetId,
			operators: u32,
			avss: u32,
		},
		MintLimitSet {
			lrt: T::AssetId,
			limit: BalanceOf,
			window: BlockNumberFor<T>,
		},
		StateChanged {
			lrt: T::AssetId,
			state: LrtState,
		},
		/// A proven deposit was minted.
		Deposited {
			lrt: T::AssetId,
			recipient: T::AccountId,
			amount: BalanceOf,
			sender: H160,
			nonce: u64,
		},
		/// LRTs were burned for release on Ethereum.
		WithdrawalQueued {
			nonce: u64,
			lrt: T::AssetId,
			who: T::AccountId,
			recipient: H160,
			amount: BalanceOf,
		},
		/// A block's withdrawals were committed (the root is also in the header digest).
		WithdrawalsCommitted {
			root: H256,
			count: u32,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No LRT with this asset id is registered.
		UnknownLrt,
		/// The asset id is already used by an asset.
		AssetExists,
		/// Another LRT already uses this Ethereum token.
		TokenAlreadyRegistered,
		/// The asset could not be created.
		CannotCreateAsset,
		/// The proof does not show the log in a finalized Ethereum block.
		InvalidProof,
		/// The log is not a `Deposited` event (or does not decode).
		NotADeposit,
		/// The log was not emitted by the LRT's gateway.
		WrongGateway,
		/// No LRT is registered for the deposited token.
		UnknownToken,
		/// This gateway nonce was already minted.
		NonceAlreadyUsed,
		/// Deposits of this LRT are paused.
		DepositsPaused,
		/// The LRT is frozen: nothing crosses the bridge.
		Frozen,
		/// Minting this would exceed the LRT's limit for the current window.
		RateLimitExceeded,
		/// Amounts must be positive.
		ZeroAmount,
		/// The Ethereum recipient must not be the zero address.
		ZeroRecipient,
		/// The block's withdrawal tree is full; try in the next block.
		TooManyWithdrawalsThisBlock,
		/// The mint window must be at least one block.
		ZeroWindow,
		/// More operators or AVSs than the profile holds.
		TooManyEntries,
		/// An amount overflowed.
		Overflow,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(_: BlockNumberFor<T>) -> Weight {
			// Each withdrawal pays for its own leaf (see `withdraw`'s weight).
			T::WeightInfo::commit_withdrawals(0)
		}

		fn on_finalize(now: BlockNumberFor<T>) {
			Self::commit_withdrawals(now);
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Registers an LRT: creates its asset (administered by the bridge; sufficient, so holders
		/// need no BAL) and its profile, active. Governance sets the asset's name and symbol with
		/// `assets.forceSetMetadata`.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::register_lrt())]
		pub fn register_lrt(
			origin: OriginFor<T>,
			lrt: T::AssetId,
			token: H160,
			gateway: H160,
			mint_limit: BalanceOf,
			mint_window: BlockNumberFor<T>,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			ensure!(!mint_window.is_zero(), Error::<T>::ZeroWindow);
			ensure!(!Lrts::<T>::contains_key(lrt), Error::<T>::AssetExists);
			ensure!(
				!<T::Assets as fungibles::Inspect<_>>::asset_exists(lrt),
				Error::<T>::AssetExists
			);
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

		/// Sets the EigenLayer operators and AVSs the LRT is exposed to.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::set_exposure())]
		pub fn set_exposure(
			origin: OriginFor<T>,
			lrt: T::AssetId,
			operators: Vec<H160>,
			avss: Vec<H160>,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			let operators: BoundedVec<_, T::MaxOperators> =
				operators.try_into().map_err(|_| Error::<T>::TooManyEntries)?;
			let avss: BoundedVec<_, T::MaxAvss> =
				avss.try_into().map_err(|_| Error::<T>::TooManyEntries)?;
			let (operator_count, avs_count) = (operators.len() as u32, avss.len() as u32);
			Lrts::<T>::try_mutate(lrt, |profile| {
				let profile = profile.as_mut().ok_or(Error::<T>::UnknownLrt)?;
				profile.operators = operators;
				profile.avss = avss;
				Ok::<_, Error<T>>(())
			})?;
			Self::deposit_event(Event::ExposureSet {
				lrt,
				operators: operator_count,
				avss: avs_count,
			});
			Ok(())
		}

		/// Sets the most that may be minted per `window` blocks.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::set_mint_limit())]
		pub fn set_mint_limit(
			origin: OriginFor<T>,
			lrt: T::AssetId,
			limit: BalanceOf,
			window: BlockNumberFor<T>,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			ensure!(!window.is_zero(), Error::<T>::ZeroWindow);
			Lrts::<T>::try_mutate(lrt, |profile| {
				let profile = profile.as_mut().ok_or(Error::<T>::UnknownLrt)?;
				profile.mint_limit = limit;
				profile.mint_window = window;
				Ok::<_, Error<T>>(())
			})?;
			Self::deposit_event(Event::MintLimitSet { lrt, limit, window });
			Ok(())
		}

		/// Activates, pauses deposits of, or freezes an LRT.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::set_state())]
		pub fn set_state(origin: OriginFor<T>, lrt: T::AssetId, state: LrtState) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Lrts::<T>::try_mutate(lrt, |profile| {
				let profile = profile.as_mut().ok_or(Error::<T>::UnknownLrt)?;
				profile.state = state;
				Ok::<_, Error<T>>(())
			})?;
			Self::deposit_event(Event::StateChanged { lrt, state });
			Ok(())
		}

		/// Mints a deposit proven by its gateway's `Deposited` event. Anyone may submit it (the
		/// depositor or a relayer); free when it succeeds.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::submit_deposit())]
		pub fn submit_deposit(
			origin: OriginFor<T>,
			event: Box<EventProof>,
		) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			let deposit =
				Deposit::from_log(&event.event_log).map_err(|_| Error::<T>::NotADeposit)?;
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
			let deposited =
				totals.deposited.checked_add(deposit.amount).ok_or(Error::<T>::Overflow)?;
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
			Ok(Pays::No.into())
		}

		/// Burns `amount` of an LRT for `recipient` on Ethereum. The withdrawal is committed in
		/// this block's withdrawal root; the gateway releases it.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::withdraw().saturating_add(
			T::WeightInfo::commit_withdrawals(1).saturating_sub(T::WeightInfo::commit_withdrawals(0))
		))]
		pub fn withdraw(
			origin: OriginFor<T>,
			lrt: T::AssetId,
			amount: BalanceOf,
			recipient: H160,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
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
	}

	impl<T: Config> Pallet<T> {
		/// The account that owns the LRT assets.
		pub fn account_id() -> T::AccountId {
			T::PalletId::get().into_account_truncating()
		}

		/// The rate-limit window after minting `amount`, or the error if it would exceed it.
		fn window_after_mint(
			lrt: T::AssetId,
			profile: &ProfileOf<T>,
			amount: BalanceOf,
		) -> Result<MintWindow<BalanceOf, BlockNumberFor<T>>, Error<T>> {
			let now = frame_system::Pallet::<T>::block_number();
			let mut window = MintWindows::<T>::get(lrt);
			if now >= window.started.saturating_add(profile.mint_window) {
				window = MintWindow { started: now, minted: 0 };
			}
			window.minted = window.minted.checked_add(amount).ok_or(Error::<T>::Overflow)?;
			ensure!(window.minted <= profile.mint_limit, Error::<T>::RateLimitExceeded);
			Ok(window)
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

		fn messages(nonces: &[u64]) -> Vec<Vec<u8>> {
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
			let root: H256 =
				binary_merkle_tree::merkle_root::<Keccak256, _>(Self::messages(&pending));
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

	impl<T: Config> LrtRegistry<T::AssetId> for Pallet<T> {
		fn token(lrt: T::AssetId) -> Option<H160> {
			Lrts::<T>::get(lrt).map(|profile| profile.token)
		}
		fn lrt_of_token(token: H160) -> Option<T::AssetId> {
			LrtOfToken::<T>::get(token)
		}
		fn gateway(lrt: T::AssetId) -> Option<H160> {
			Lrts::<T>::get(lrt).map(|profile| profile.gateway)
		}
		fn operators(lrt: T::AssetId) -> Vec<H160> {
			Lrts::<T>::get(lrt).map(|profile| profile.operators.into_inner()).unwrap_or_default()
		}
		fn avss(lrt: T::AssetId) -> Vec<H160> {
			Lrts::<T>::get(lrt).map(|profile| profile.avss.into_inner()).unwrap_or_default()
		}
		fn state(lrt: T::AssetId) -> Option<LrtState> {
			Lrts::<T>::get(lrt).map(|profile| profile.state)
		}
		fn lrts() -> Vec<T::AssetId> {
			Lrts::<T>::iter_keys().collect()
		}
	}
}
