//! The off-chain worker: once per epoch, a validator's node scores every registered LRT with
//! the model (`model.rs`) over its chain state and, for each of its `risk` keys that is a listed
//! reporter the session has not disabled and has not reported in the epoch, submits a signed
//! `report` as an authorized transaction (no signer, no fee). The node's persistent local
//! storage remembers, per key, the epoch whose report the transaction pool accepted
//! (`SENT_EPOCH_KEY` ‖ key), so that a report waiting in the pool is not sent again every block,
//! while one the pool refused is sent again at the next block.

use crate::{pallet::*, types::*};
use alloc::vec::Vec;
use codec::Encode;
use frame_support::BoundedVec;
use frame_system::{
	offchain::{CreateAuthorizedTransaction, SubmitTransaction},
	pallet_prelude::BlockNumberFor,
};
use sp_runtime::{offchain::storage::StorageValueRef, RuntimeAppPublic};

/// Persistent local storage, followed by a reporter's public key: the last epoch whose report
/// of that key the transaction pool accepted (SCALE `u32`).
pub const SENT_EPOCH_KEY: &[u8] = b"ballast/risk/sent-epoch/";

/// The local-storage key remembering `reporter`'s last sent epoch.
fn sent_key(reporter: &ReporterId) -> Vec<u8> {
	let mut key = SENT_EPOCH_KEY.to_vec();
	key.extend_from_slice(&reporter.encode());
	key
}

impl<T: Config> Pallet<T> {
	/// This node's `risk` keys that are listed reporters, not disabled, and have no report on
	/// chain in the epoch of `now`.
	fn local_reporters(now: BlockNumberFor<T>) -> Vec<ReporterId> {
		let epoch = Self::epoch_of(now);
		let reporters = Reporters::<T>::get();
		let disabled = DisabledReporters::<T>::get();
		ReporterId::all()
			.into_iter()
			.filter(|key| {
				reporters.iter().position(|r| r == key).is_some_and(|position| {
					let position = position as u32;
					!disabled.contains(&position) && !Reports::<T>::contains_key(epoch, position)
				})
			})
			.collect()
	}

	/// The reports `keys` would submit now, signed (keys not in the keystore are skipped).
	fn signed_reports(
		now: BlockNumberFor<T>,
		keys: Vec<ReporterId>,
	) -> Vec<(ReportOf<T>, ReporterSignature)> {
		if keys.is_empty() {
			return Vec::new();
		}
		let epoch = Self::epoch_of(now);
		let scores: BoundedVec<_, T::MaxLrts> = Self::compute_all()
			.into_iter()
			.map(|(lrt, score)| (lrt, score.score))
			.collect::<Vec<_>>()
			.try_into()
			.unwrap_or_default();
		let computed_at = TryInto::<u32>::try_into(now).unwrap_or(u32::MAX);
		keys.into_iter()
			.filter_map(|reporter| {
				let report = RiskReport {
					epoch,
					reporter: reporter.clone(),
					computed_at,
					scores: scores.clone(),
				};
				let signature = reporter.sign(&report.encode())?;
				Some((report, signature))
			})
			.collect()
	}

	/// The reports this node's `risk` keys would submit now, signed.
	pub fn local_reports(now: BlockNumberFor<T>) -> Vec<(ReportOf<T>, ReporterSignature)> {
		Self::signed_reports(now, Self::local_reporters(now))
	}

	/// The off-chain worker: once per epoch per local reporter key. A key is marked sent for
	/// the epoch only when the pool accepted its report; a refused report is sent again at the
	/// next block (until it is on chain or the epoch ends).
	pub(crate) fn report_from_local_keys(now: BlockNumberFor<T>) {
		let epoch = Self::epoch_of(now);
		let unsent: Vec<ReporterId> = Self::local_reporters(now)
			.into_iter()
			.filter(|key| {
				StorageValueRef::persistent(&sent_key(key)).get::<Epoch>().ok().flatten()
					!= Some(epoch)
			})
			.collect();
		for (report, signature) in Self::signed_reports(now, unsent) {
			let key = sent_key(&report.reporter);
			let call = Call::<T>::report { report, signature };
			let xt = <T as CreateAuthorizedTransaction<Call<T>>>::create_authorized_transaction(
				call.into(),
			);
			if SubmitTransaction::<T, Call<T>>::submit_transaction(xt).is_ok() {
				StorageValueRef::persistent(&key).set(&epoch);
				log::info!(target: "risk", "epoch {epoch}: risk scores reported at block {now:?}");
			} else {
				log::debug!(
					target: "risk",
					"epoch {epoch}: report refused by the pool; sent again at the next block"
				);
			}
		}
	}
}
