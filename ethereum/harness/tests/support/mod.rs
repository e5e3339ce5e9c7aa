//! A gateway with every kind of token listed, shared by the contract tests.
#![allow(dead_code)]

use alloy_primitives::{Address, U256};
use alloy_sol_types::{SolCall, SolConstructor, SolEvent, SolValue};
use ballast_ethereum_harness::calls::*;
use ballast_ethereum_harness::finality::{BeefyClientParams, Finality};
use ballast_ethereum_harness::{evm::ether, Ethereum, TxResult};
use std::collections::BTreeMap;

/// Owns the gateway and the tokens.
pub const OWNER: Address = Address::repeat_byte(0x01);
/// Relays Ballast's finality to BeefyClient and sends proven releases: anyone (no role in the
/// gateway).
pub const RELAYER: Address = Address::repeat_byte(0x02);
/// Holds tokens and ETH, deposits.
pub const USER: Address = Address::repeat_byte(0x03);
/// Can pause.
pub const GUARDIAN: Address = Address::repeat_byte(0x04);
/// Anyone else.
pub const STRANGER: Address = Address::repeat_byte(0x05);
/// A Ballast account.
pub const RECIPIENT: [u8; 32] = [0xaa; 32];
/// The fee token's fee: 1%.
pub const FEE_BPS: u64 = 100;

/// BEEFY validators of the simulated Ballast.
pub const VALIDATORS: usize = 4;

/// The gateway with an LRT (`MockLrt` over `MockBackingSource`), a fee-on-transfer token (listed
/// as an LRT over its own source) and WETH listed, each with deposits open up to 2^128 − 1;
/// `USER` holds 1,000 of each token (WETH wrapped from its 10,000 ETH) approved for the gateway,
/// and 10,000 ETH more. The gateway proves releases through Snowbridge's `BeefyClient`, which
/// follows a simulated Ballast of [`VALIDATORS`] BEEFY validators (`finality`).
pub struct Bridge {
	pub eth: Ethereum,
	pub gateway: Address,
	pub lrt: Address,
	pub source: Address,
	pub fee_token: Address,
	pub fee_source: Address,
	pub weth: Address,
	pub finality: Finality,
	/// The calldata of every release sent, by withdrawal nonce (the latest for each).
	pub sent: BTreeMap<u64, Vec<u8>>,
}

impl Bridge {
	pub fn new() -> Self {
		Self::with_validators(VALIDATORS)
	}

	/// The bridge, Ballast having `validators` BEEFY validators.
	pub fn with_validators(validators: usize) -> Self {
		let mut eth = Ethereum::new();
		let mut finality =
			Finality::deploy(&mut eth, OWNER, validators, BeefyClientParams::default());
		let lrt = eth.deploy(OWNER, "MockLrt", &("ezETH".to_string(),).abi_encode_params());
		let source = eth.deploy(OWNER, "MockBackingSource", &(lrt,).abi_encode_params());
		let fee_token =
			eth.deploy(OWNER, "MockFeeToken", &(U256::from(FEE_BPS),).abi_encode_params());
		let fee_source = eth.deploy(OWNER, "MockBackingSource", &(fee_token,).abi_encode_params());
		let weth = eth.deploy(OWNER, "MockWeth9", &[]);
		let gateway = eth.deploy(
			OWNER,
			"BallastGateway",
			&constructorCall { owner: OWNER, beefyClient: finality.client.address }.abi_encode(),
		);
		finality.ballast.set_gateway(gateway);
		eth.fund(USER, ether(20_000));
		let setup = [
			(
				OWNER,
				gateway,
				configureLrtCall { lrt, backingSource: source, depositsOpen: false }.abi_encode(),
			),
			(
				OWNER,
				gateway,
				configureLrtCall { lrt: fee_token, backingSource: fee_source, depositsOpen: false }
					.abi_encode(),
			),
			(OWNER, gateway, setWethCall { weth }.abi_encode()),
			(OWNER, gateway, setGuardianCall { guardian: GUARDIAN }.abi_encode()),
			(OWNER, lrt, mintCall { to: USER, amount: ether(1_000) }.abi_encode()),
			(OWNER, fee_token, mintCall { to: USER, amount: ether(1_000) }.abi_encode()),
		];
		for (from, to, data) in setup {
			let result = eth.call(from, to, data);
			assert!(result.success, "setup reverted: {:?}", result.output);
		}
		for token in [lrt, fee_token, weth] {
			ballast_ethereum_harness::scenarios::open_deposits(&mut eth, gateway, token);
		}
		let wrapped = eth.call_with_value(
			USER,
			weth,
			ether(1_000),
			ballast_ethereum_harness::calls::tokens::depositCall {}.abi_encode(),
		);
		assert!(wrapped.success);
		for token in [lrt, fee_token, weth] {
			let approve = approveCall { spender: gateway, amount: U256::MAX }.abi_encode();
			assert!(eth.call(USER, token, approve).success);
		}
		eth.seal();
		Bridge {
			eth,
			gateway,
			lrt,
			source,
			fee_token,
			fee_source,
			weth,
			finality,
			sent: BTreeMap::new(),
		}
	}

	/// What the gateway holds of `token` for Ballast, by its own books.
	pub fn locked(&mut self, token: Address) -> U256 {
		self.eth.read(self.gateway, lockedCall { token }).expect("locked")
	}

	/// `who`'s balance of `token`.
	pub fn balance_of(&mut self, token: Address, who: Address) -> U256 {
		self.eth.read(token, balanceOfCall { who }).expect("balanceOf")
	}

	/// `USER` deposits `amount` of `token` for `RECIPIENT`.
	pub fn deposit(&mut self, token: Address, amount: U256) -> TxResult {
		let call = depositCall { lrt: token, amount, recipient: RECIPIENT.into() };
		self.eth.call(USER, self.gateway, call.abi_encode())
	}

	/// Ballast burns withdrawal `nonce` of `amount` of `token` for `to`, BeefyClient accepts a
	/// signed MMR root above it, and `RELAYER` sends its release with the proofs.
	pub fn release(&mut self, token: Address, to: Address, amount: U256, nonce: u64) -> TxResult {
		self.burn(token, to, amount, nonce);
		self.finalize();
		self.send_release(RELAYER, nonce)
	}

	/// Ballast burns a withdrawal (in the block being built).
	pub fn burn(&mut self, token: Address, to: Address, amount: U256, nonce: u64) {
		self.finality.burn(token, to, amount, nonce);
	}

	/// BeefyClient accepts Ballast's latest commitment (Fiat-Shamir, sent by `RELAYER`), above
	/// every withdrawal burned so far.
	pub fn finalize(&mut self) {
		if let Err(refused) = self.finality.finalize(&mut self.eth, RELAYER) {
			panic!("BeefyClient refused the commitment: {:?}", refused.output);
		}
	}

	/// `release`'s arguments for withdrawal `nonce`, proven under BeefyClient's latest root.
	pub fn release_call(&self, nonce: u64) -> releaseCall {
		self.finality.release_call(nonce)
	}

	/// `from` sends the release of withdrawal `nonce`, proven under BeefyClient's latest root.
	pub fn send_release(&mut self, from: Address, nonce: u64) -> TxResult {
		let calldata = self.release_call(nonce).abi_encode();
		self.sent.insert(nonce, calldata.clone());
		self.eth.call(from, self.gateway, calldata)
	}

	/// `from` sends the release of withdrawal `nonce` again, exactly as last sent.
	pub fn resend(&mut self, from: Address, nonce: u64) -> TxResult {
		let calldata = self.sent.get(&nonce).expect("a release was sent").clone();
		self.eth.call(from, self.gateway, calldata)
	}

	/// `from` calls the gateway.
	pub fn call(&mut self, from: Address, call: impl SolCall) -> TxResult {
		self.eth.call(from, self.gateway, call.abi_encode())
	}
}

/// The event `E` emitted by `emitter` in a transaction, decoded.
pub fn emitted<E: SolEvent>(result: &TxResult, emitter: Address) -> E {
	let log = result
		.logs
		.iter()
		.find(|log| log.address == emitter && log.topics().first() == Some(&E::SIGNATURE_HASH))
		.unwrap_or_else(|| panic!("no {} event", E::SIGNATURE));
	E::decode_log_data(&log.data).expect("the event decodes")
}
