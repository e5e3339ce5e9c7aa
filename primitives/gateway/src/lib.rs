//! # ballast-gateway
//!
//! The events of `ethereum/contracts/BallastGateway.sol` that Ballast trusts (each proven from a
//! finalized Ethereum receipt by the light client), and EigenLayer's `AllocationManager`
//! `OperatorSlashed`, decoded from Snowbridge's [`Log`] into Ballast's own types. The ABI is
//! declared once here (alloy's `sol!`) for the runtime, the tests' EVM and the relayer; the
//! contract's compiled ABI is checked against it in tests.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

use alloc::{string::String, vec::Vec};
use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::SolEvent;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_core::{H160, U256 as SpU256};

pub use snowbridge_verification_primitives::Log;

pub mod release;

/// Solidity declarations (the ABI only; the contract is in `ethereum/contracts`).
pub mod abi {
	alloy_sol_types::sol! {
		/// One EigenLayer delegation of an LRT.
		#[derive(Debug, PartialEq, Eq)]
		struct OperatorStake {
			address operator;
			address strategy;
			uint256 shares;
		}

		#[derive(Debug, PartialEq, Eq)]
		event Deposited(address lrt, address sender, bytes32 recipient, uint256 amount, uint64 nonce);

		#[derive(Debug, PartialEq, Eq)]
		event BackingReported(
			address lrt, uint256 totalEth, uint256 totalSupply, OperatorStake[] stakes, uint64 nonce
		);

		#[derive(Debug, PartialEq, Eq)]
		event Released(address lrt, address recipient, uint256 amount, uint64 withdrawalNonce, uint64 nonce);

		/// A new backing source for a listed LRT, applicable from `effectiveAt` (unix seconds):
		/// the gateway's timelock, for Ballast to see before it applies.
		#[derive(Debug, PartialEq, Eq)]
		event BackingSourceAnnounced(address lrt, address backingSource, uint64 effectiveAt, uint64 nonce);

		/// An announced backing source withdrawn before it applied.
		#[derive(Debug, PartialEq, Eq)]
		event BackingSourceChangeCancelled(address lrt, address backingSource, uint64 nonce);

		/// An announced backing source applied: reports from now on come from `backingSource`.
		#[derive(Debug, PartialEq, Eq)]
		event BackingSourceChanged(address lrt, address previousSource, address backingSource, uint64 nonce);

		/// The deposit numbered `depositNonce` (its `Deposited` nonce), never minted on Ballast,
		/// paid back to its sender by governance.
		#[derive(Debug, PartialEq, Eq)]
		event DepositRefunded(address lrt, address sender, uint256 amount, uint64 depositNonce, uint64 nonce);

		/// An LRT listed (with its first backing source), or a token's deposits opened or closed.
		#[derive(Debug, PartialEq, Eq)]
		event LrtConfigured(address lrt, address backingSource, bool depositsOpen);

		/// The WETH token native ETH deposits are wrapped into (their `Deposited` token).
		#[derive(Debug, PartialEq, Eq)]
		event WethSet(address weth);

		/// A token's smallest and largest deposit (mirroring Ballast's minimum and mint limit).
		#[derive(Debug, PartialEq, Eq)]
		event DepositLimitsSet(address lrt, uint256 minDeposit, uint256 maxDeposit);

		/// A token's release rate limit: a bucket of `limit`, refilled over `window` seconds.
		#[derive(Debug, PartialEq, Eq)]
		event ReleaseLimitSet(address lrt, uint256 limit, uint64 window);

		/// Releases paused or resumed.
		#[derive(Debug, PartialEq, Eq)]
		event ReleasesPausedSet(bool paused);

		/// The pause guardian replaced.
		#[derive(Debug, PartialEq, Eq)]
		event GuardianChanged(address guardian);

		/// Tokens sent to the gateway outside a deposit (never credited) moved out.
		#[derive(Debug, PartialEq, Eq)]
		event Skimmed(address token, address to, uint256 amount);

		/// EigenLayer's operator set: an AVS and its set id.
		#[derive(Debug, PartialEq, Eq)]
		struct OperatorSet {
			address avs;
			uint32 id;
		}

		/// `AllocationManager`: an AVS slashed `wadSlashed[i]` (1e18 = all) of the operator's
		/// allocated magnitude in `strategies[i]` for `operatorSet`.
		#[derive(Debug, PartialEq, Eq)]
		event OperatorSlashed(
			address operator, OperatorSet operatorSet, address[] strategies, uint256[] wadSlashed, string description
		);
	}
}

/// Why a log is not the event it should be.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub enum DecodeError {
	/// Not this event (another signature, or anonymous).
	WrongEvent,
	/// The signature matches but the data does not decode.
	Malformed,
	/// A number does not fit Ballast's type (amounts above 2^128, nonces above 2^64).
	Overflow,
}

fn h160(address: Address) -> H160 {
	H160::from(address.0 .0)
}

fn u128_of(value: U256) -> Result<u128, DecodeError> {
	u128::try_from(value).map_err(|_| DecodeError::Overflow)
}

fn decode<E: SolEvent>(log: &Log) -> Result<E, DecodeError> {
	let topics = log.topics.iter().map(|topic| B256::from(topic.0));
	if log.topics.first().map(|topic| topic.0) != Some(E::SIGNATURE_HASH.0) {
		return Err(DecodeError::WrongEvent);
	}
	E::decode_raw_log(topics, &log.data).map_err(|_| DecodeError::Malformed)
}

/// A proven `Deposited` event.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub struct Deposit {
	/// The LRT's ERC-20 address on Ethereum.
	pub token: H160,
	/// The Ethereum account whose tokens the gateway locked.
	pub sender: H160,
	/// The Ballast account to mint to (32 bytes).
	pub recipient: [u8; 32],
	/// In the token's smallest unit (18 decimals for LRTs).
	pub amount: u128,
	/// The gateway's event nonce (one counter for all its events): makes the log unique.
	pub nonce: u64,
}

impl Deposit {
	/// Decodes a `Deposited` log; fails on an amount above 2^128.
	pub fn from_log(log: &Log) -> Result<Self, DecodeError> {
		let event: abi::Deposited = decode(log)?;
		Ok(Deposit {
			token: h160(event.lrt),
			sender: h160(event.sender),
			recipient: event.recipient.0,
			amount: u128_of(event.amount)?,
			nonce: event.nonce,
		})
	}
}

/// One delegation in a backing snapshot.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub struct Stake {
	/// The EigenLayer operator the LRT delegates to.
	pub operator: H160,
	/// The EigenLayer strategy the shares are in.
	pub strategy: H160,
	/// EigenLayer shares (wei-denominated for the beacon-chain ETH strategy).
	pub shares: u128,
}

/// A proven `BackingReported` event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BackingReport {
	/// The LRT's ERC-20 address on Ethereum.
	pub token: H160,
	/// Wei of ETH backing all the LRT's tokens, by the LRT's own accounting.
	pub total_eth: u128,
	/// The LRT's total supply (18 decimals).
	pub total_supply: u128,
	/// The LRT's EigenLayer delegations, as its backing source reports them.
	pub stakes: Vec<Stake>,
	/// The gateway's event nonce (one counter for all its events): makes the log unique.
	pub nonce: u64,
}

impl BackingReport {
	/// Decodes a `BackingReported` log; fails on amounts above 2^128.
	pub fn from_log(log: &Log) -> Result<Self, DecodeError> {
		let event: abi::BackingReported = decode(log)?;
		let stakes = event
			.stakes
			.into_iter()
			.map(|stake| {
				Ok(Stake {
					operator: h160(stake.operator),
					strategy: h160(stake.strategy),
					shares: u128_of(stake.shares)?,
				})
			})
			.collect::<Result<_, DecodeError>>()?;
		Ok(BackingReport {
			token: h160(event.lrt),
			total_eth: u128_of(event.totalEth)?,
			total_supply: u128_of(event.totalSupply)?,
			stakes,
			nonce: event.nonce,
		})
	}
}

/// A proven `OperatorSlashed` event of EigenLayer's `AllocationManager`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OperatorSlashing {
	/// The slashed EigenLayer operator.
	pub operator: H160,
	/// The AVS that slashed it (the operator set's AVS).
	pub avs: H160,
	/// The operator set's id within the AVS.
	pub operator_set_id: u32,
	/// `(strategy, wad slashed)`, 1e18 = the whole allocated magnitude.
	pub slashed: Vec<(H160, SpU256)>,
	/// The AVS's free-text reason for the slashing.
	pub description: String,
}

impl OperatorSlashing {
	/// Decodes an `AllocationManager` `OperatorSlashed` log; `Malformed` if the strategy and wad
	/// lists differ in length.
	pub fn from_log(log: &Log) -> Result<Self, DecodeError> {
		let event: abi::OperatorSlashed = decode(log)?;
		if event.strategies.len() != event.wadSlashed.len() {
			return Err(DecodeError::Malformed);
		}
		let slashed = event
			.strategies
			.iter()
			.zip(&event.wadSlashed)
			.map(|(strategy, wad)| {
				(h160(*strategy), SpU256::from_little_endian(&wad.to_le_bytes::<32>()))
			})
			.collect();
		Ok(OperatorSlashing {
			operator: h160(event.operator),
			avs: h160(event.operatorSet.avs),
			operator_set_id: event.operatorSet.id,
			slashed,
			description: event.description,
		})
	}
}

/// The message a withdrawal commits to on Ballast: `abi.encode(gateway, token, recipient, amount,
/// withdrawalNonce)`, a leaf of the block's keccak Merkle tree (the tree hashes it with keccak).
/// The ABI encoding lets an Ethereum contract rebuild the leaf from `release`'s arguments.
pub fn withdrawal_message(
	gateway: H160,
	token: H160,
	recipient: H160,
	amount: u128,
	withdrawal_nonce: u64,
) -> Vec<u8> {
	use alloy_sol_types::SolValue;
	(
		Address::from(gateway.0),
		Address::from(token.0),
		Address::from(recipient.0),
		U256::from(amount),
		withdrawal_nonce,
	)
		.abi_encode()
}
