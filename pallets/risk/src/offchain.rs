//! The off-chain worker: once per epoch, a validator's node scores every registered LRT with
//! the model (`model.rs`) over its chain state and, for each of its `risk` keys that is a listed
//! reporter and has not reported in the epoch, submits a signed `report` as an authorized
//! transaction (no signer, no fee). The node's persistent local storage remembers the epoch it
//! last submitted in (`SENT_EPOCH_KEY`), so that a report waiting in the pool is not sent again
//! every block.

use crate::{pallet::*, types::*};
use alloc::vec::Vec;
use codec::Encode;
use frame_support::BoundedVec;
use frame_system::{
	offchain::{CreateAuthorizedTransaction, SubmitTransaction},
	pallet_prelude::BlockNumberFor,
};
use sp_runtime::{offchain::storage::StorageValueRef, RuntimeAppPublic};

/// Persistent local storage: the last epoch this node submitted its reports in (SCALE `u32`).
pub const SENT_EPOCH_KEY: &[u8] = b"ballast/risk/sent-epoch";

impl<T: Config> Pallet<T> {
	/// The reports this node's `risk` keys would submit now, signed.
	pub fn local_reports(now: BlockNumberFor<T>) -> Vec<(ReportOf<T>, ReporterSignature)> {
		let epoch = Self::epoch_of(now);
		let reporters = Reporters::<T>::get();
		let local: Vec<ReporterId> = ReporterId::all()
			.into_iter()
			.filter(|key| {
				reporters
					.iter()
					.position(|r| r == key)
					.is_some_and(|position| !Reports::<T>::contains_key(epoch, position as u32))
			})
			.collect();
		if local.is_empty() {
			return Vec::new();
		}
		let scores: BoundedVec<_, T::MaxLrts> = Self::compute_all()
			.into_iter()
			.map(|(lrt, score)| (lrt, score.score))
			.collect::<Vec<_>>()
			.try_into()
			.unwrap_or_default();
		let computed_at = TryInto::<u32>::try_into(now).unwrap_or(u32::MAX);
		local
			.into_iter()
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

	/// The off-chain worker: once per epoch per local reporter key (remembered in local
	/// storage so a pending report is not sent again every block).
	pub(crate) fn report_from_local_keys(now: BlockNumberFor<T>) {
		let epoch = Self::epoch_of(now);
		let sent = StorageValueRef::persistent(SENT_EPOCH_KEY);
		if sent.get::<Epoch>().ok().flatten() == Some(epoch) {
			return;
		}
		let reports = Self::local_reports(now);
		if reports.is_empty() {
			return;
		}
		for (report, signature) in reports {
			let call = Call::<T>::report { report, signature };
			let xt = <T as CreateAuthorizedTransaction<Call<T>>>::create_authorized_transaction(
				call.into(),
			);
			if SubmitTransaction::<T, Call<T>>::submit_transaction(xt).is_err() {
				log::debug!(target: "risk", "epoch {epoch}: report not accepted by the pool");
			}
		}
		sent.set(&epoch);
		log::info!(target: "risk", "epoch {epoch}: risk scores reported at block {now:?}");
	}
}
