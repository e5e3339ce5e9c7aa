//! Operators' accounts: multisig accounts and proxies (a validator's hot key may rotate its
//! session keys and manage its candidacy without touching its funds).

use crate::{Balances, Runtime, RuntimeCall, RuntimeEvent};
use ballast_primitives::{currency::deposit, Balance};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{parameter_types, traits::InstanceFilter};
use scale_info::TypeInfo;
use sp_runtime::traits::BlakeTwo256;

parameter_types! {
	/// A multisig operation holds this for its storage…
	pub const MultisigDepositBase: Balance = deposit(1, 88);
	/// …plus this per signatory.
	pub const MultisigDepositFactor: Balance = deposit(0, 32);
	/// A proxy list holds this…
	pub const ProxyDepositBase: Balance = deposit(1, 8);
	/// …plus this per proxy.
	pub const ProxyDepositFactor: Balance = deposit(0, 33);
	/// An announcement list holds this…
	pub const AnnouncementDepositBase: Balance = deposit(1, 8);
	/// …plus this per announcement.
	pub const AnnouncementDepositFactor: Balance = deposit(0, 66);
}

impl pallet_multisig::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type Currency = Balances;
	type DepositBase = MultisigDepositBase;
	type DepositFactor = MultisigDepositFactor;
	type MaxSignatories = frame_support::traits::ConstU32<100>;
	type WeightInfo = pallet_multisig::weights::SubstrateWeight<Runtime>;
	type BlockNumberProvider = frame_system::Pallet<Runtime>;
}

/// What a proxy may do for the account that appointed it.
#[derive(
	Copy,
	Clone,
	Eq,
	PartialEq,
	Ord,
	PartialOrd,
	Encode,
	Decode,
	DecodeWithMemTracking,
	Debug,
	MaxEncodedLen,
	TypeInfo,
	Default,
)]
pub enum ProxyType {
	/// Anything.
	#[default]
	Any,
	/// Nothing that moves, locks or bonds funds: remarks, governance votes and motions, and a
	/// relayer's proofs (light-client updates, validator proofs, backing reports, AVS
	/// slashings, deposits). Batches pass, but each call in them is filtered the same way.
	NonTransfer,
	/// A validator's operational key: session keys and candidacy (it can bond the account's
	/// BAL and, with keys it controls, get the bond slashed: appoint only a key you trust).
	Validator,
	/// Council and technical committee votes and motions.
	Governance,
	/// Only rejects announcements made by the account's other proxies.
	CancelProxy,
}

impl InstanceFilter<RuntimeCall> for ProxyType {
	fn filter(&self, call: &RuntimeCall) -> bool {
		match self {
			ProxyType::Any => true,
			// An allow-list: nothing that can move, lock or bond the account's funds (lending
			// and bridge calls all can: `repay` pays another borrower's debt, `supply` moves
			// ETH; collator-selection bonds).
			ProxyType::NonTransfer => matches!(
				call,
				RuntimeCall::System(
					frame_system::Call::remark { .. } |
						frame_system::Call::remark_with_event { .. }
				) | RuntimeCall::Utility(..) |
					RuntimeCall::Council(..) |
					RuntimeCall::TechnicalCommittee(..) |
					RuntimeCall::Governance(..) |
					// A relayer's work: proofs, paid only for their length or when they fail.
					RuntimeCall::EthereumBeaconClient(
						snowbridge_pallet_ethereum_client::Call::submit { .. }
					) | RuntimeCall::ValidatorHealth(
					pallet_validator_health::Call::submit_validator_proofs { .. } |
						pallet_validator_health::Call::report_slashing { .. }
				) | RuntimeCall::LrtBacking(
					pallet_lrt_backing::Call::submit_backing_report { .. } |
						pallet_lrt_backing::Call::submit_avs_slashing { .. }
				) | RuntimeCall::LrtBridge(pallet_lrt_bridge::Call::submit_deposit { .. })
			),
			ProxyType::Validator => {
				matches!(call, RuntimeCall::Session(..) | RuntimeCall::CollatorSelection(..))
			},
			ProxyType::Governance => matches!(
				call,
				RuntimeCall::Council(..)
					| RuntimeCall::TechnicalCommittee(..)
					| RuntimeCall::Governance(..)
			),
			ProxyType::CancelProxy => {
				matches!(call, RuntimeCall::Proxy(pallet_proxy::Call::reject_announcement { .. }))
			},
		}
	}

	fn is_superset(&self, other: &Self) -> bool {
		match (self, other) {
			(x, y) if x == y => true,
			(ProxyType::Any, _) => true,
			(_, ProxyType::Any) => false,
			// Governance calls are among NonTransfer's; a validator's and CancelProxy's are not.
			(ProxyType::NonTransfer, ProxyType::Governance) => true,
			_ => false,
		}
	}
}

impl pallet_proxy::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type Currency = Balances;
	type ProxyType = ProxyType;
	type ProxyDepositBase = ProxyDepositBase;
	type ProxyDepositFactor = ProxyDepositFactor;
	type MaxProxies = frame_support::traits::ConstU32<32>;
	type WeightInfo = pallet_proxy::weights::SubstrateWeight<Runtime>;
	type MaxPending = frame_support::traits::ConstU32<32>;
	type CallHasher = BlakeTwo256;
	type AnnouncementDepositBase = AnnouncementDepositBase;
	type AnnouncementDepositFactor = AnnouncementDepositFactor;
	type BlockNumberProvider = frame_system::Pallet<Runtime>;
}
