//! Property test of BallastGateway's books: random sequences of LRT, fee-on-transfer and WETH
//! deposits, native ETH deposits, releases proven through BeefyClient (some beyond what is
//! locked, some replayed), refunds, backing reports, WETH wraps, unwraps and transfers, tokens
//! and ETH sent to the gateway directly, skims, fee changes, release limits set, pauses (of the
//! gateway and of releases) and unpauses, and the clock moving. After every step, for every token, what the gateway's
//! books say is locked equals a model built from the events alone, and the gateway's balance is
//! exactly that plus what was sent to it outside a deposit; releases and refunds never take more
//! than the token's release bucket holds (its room equals the model's), and nothing moves while
//! paused; the gateway holds no native ETH; and WETH's ETH covers every WETH balance.

mod support;

use alloy_primitives::{Address, U256};
use alloy_sol_types::SolCall;
use ballast_ethereum_harness::calls::*;
use ballast_ethereum_harness::evm::ether;
use ballast_gateway::abi;
use proptest::prelude::*;
use support::*;

const USERS: [Address; 3] =
	[Address::repeat_byte(0x31), Address::repeat_byte(0x32), Address::repeat_byte(0x33)];
/// Token indices: the plain LRT, the fee-on-transfer token, WETH.
const TOKENS: usize = 3;
const WETH: usize = 2;
const FEE: usize = 1;

#[derive(Clone, Debug)]
enum Op {
	/// A user deposits `milli` thousandths of a token.
	Deposit { token: usize, user: usize, milli: u64 },
	/// A user deposits native ETH.
	DepositEth { user: usize, milli: u64 },
	/// Ballast burns `permille` of what is locked (above 1,000: more than locked) and anyone
	/// releases it with its proofs.
	Release { token: usize, to: usize, permille: u64 },
	/// Anyone sends an already released withdrawal's proofs again.
	ReplayRelease,
	/// Someone reports the LRT's backing.
	Report,
	/// A user wraps ETH into WETH.
	Wrap { user: usize, milli: u64 },
	/// A user unwraps WETH.
	Unwrap { user: usize, milli: u64 },
	/// A user sends WETH to another.
	MoveWeth { from: usize, to: usize, milli: u64 },
	/// A user sends tokens straight to the gateway (no deposit).
	Donate { token: usize, user: usize, milli: u64 },
	/// A user sends native ETH straight to the gateway.
	SendEth { user: usize, milli: u64 },
	/// The owner skims what was never credited.
	Skim { token: usize },
	/// The fee token's fee changes.
	SetFee { bps: u64 },
	/// A week later, governance refunds one of the deposits.
	Refund { pick: usize },
	/// Time passes.
	Later { seconds: u64 },
	/// The owner sets a token's release limit (`None`: unlimited) and window.
	SetReleaseLimit { token: usize, milli: Option<u64>, window: u64 },
	/// The guardian pauses the gateway.
	Pause,
	/// The owner unpauses it.
	Unpause,
	/// The guardian pauses releases (and refunds).
	PauseReleases,
	/// The owner unpauses them.
	UnpauseReleases,
}

fn op() -> impl Strategy<Value = Op> {
	let user = 0..USERS.len();
	let token = 0..TOKENS;
	let milli = 0u64..2_000_000;
	prop_oneof![
		5 => (token.clone(), user.clone(), milli.clone()).prop_map(|(token, user, milli)| Op::Deposit { token, user, milli }),
		3 => (user.clone(), milli.clone()).prop_map(|(user, milli)| Op::DepositEth { user, milli }),
		4 => (token.clone(), user.clone(), 0u64..1_200).prop_map(|(token, to, permille)| Op::Release { token, to, permille }),
		1 => Just(Op::ReplayRelease),
		1 => Just(Op::Report),
		2 => (user.clone(), milli.clone()).prop_map(|(user, milli)| Op::Wrap { user, milli }),
		2 => (user.clone(), milli.clone()).prop_map(|(user, milli)| Op::Unwrap { user, milli }),
		2 => (user.clone(), user.clone(), milli.clone()).prop_map(|(from, to, milli)| Op::MoveWeth { from, to, milli }),
		2 => (token.clone(), user.clone(), 0u64..50_000).prop_map(|(token, user, milli)| Op::Donate { token, user, milli }),
		1 => (user.clone(), milli.clone()).prop_map(|(user, milli)| Op::SendEth { user, milli }),
		1 => token.clone().prop_map(|token| Op::Skim { token }),
		1 => (0u64..=1_000).prop_map(|bps| Op::SetFee { bps }),
		2 => (0usize..16).prop_map(|pick| Op::Refund { pick }),
		1 => (1u64..200_000).prop_map(|seconds| Op::Later { seconds }),
		2 => (token, proptest::option::weighted(0.8, 0u64..2_000_000), 1u64..200_000)
			.prop_map(|(token, milli, window)| Op::SetReleaseLimit { token, milli, window }),
		1 => Just(Op::Pause),
		2 => Just(Op::Unpause),
		1 => Just(Op::PauseReleases),
		2 => Just(Op::UnpauseReleases),
	]
}

/// A token's release bucket, as the gateway keeps it.
#[derive(Clone, Copy)]
struct Bucket {
	limit: U256,
	window: u64,
	used: U256,
	updated_at: u64,
}

impl Default for Bucket {
	fn default() -> Self {
		// A new listing: unlimited, over a day.
		Bucket { limit: U256::MAX, window: 86_400, used: U256::ZERO, updated_at: 0 }
	}
}

impl Bucket {
	/// What is used at `now`, after the refill (`limit · elapsed / window`, rounded down).
	fn used_now(&self, now: u64) -> U256 {
		let elapsed = now - self.updated_at;
		if elapsed >= self.window {
			return U256::ZERO;
		}
		let window = U256::from(self.window);
		let elapsed = U256::from(elapsed);
		// limit = q·window + r, so limit·elapsed/window = q·elapsed + r·elapsed/window exactly,
		// without overflowing.
		let refill = self.limit / window * elapsed + self.limit % window * elapsed / window;
		self.used.saturating_sub(refill)
	}

	fn room(&self, now: u64) -> U256 {
		self.limit.saturating_sub(self.used_now(now))
	}

	fn take(&mut self, now: u64, amount: U256) {
		self.used = self.used_now(now) + amount;
		self.updated_at = now;
	}
}

/// What the events say, kept apart from the gateway's own books.
#[derive(Default)]
struct Model {
	locked: [U256; TOKENS],
	donated: [U256; TOKENS],
	fee_bps: u64,
	/// Deposits not refunded yet: (nonce, token, sender, amount, timestamp).
	deposits: Vec<(u64, usize, Address, U256, u64)>,
	released: Vec<u64>,
	next_withdrawal: u64,
	/// Events with a nonce seen.
	events: u64,
	buckets: [Bucket; TOKENS],
	paused: bool,
	releases_paused: bool,
}

impl Model {
	/// Whether a release or refund of `amount` of `token` may go now.
	fn may_pay_out(&self, token: usize, amount: U256, now: u64) -> bool {
		!self.paused
			&& !self.releases_paused
			&& amount <= self.locked[token]
			&& amount <= self.buckets[token].room(now)
	}
}

impl Model {
	fn after_fee(&self, token: usize, amount: U256) -> U256 {
		if token == FEE {
			amount - amount * U256::from(self.fee_bps) / U256::from(10_000)
		} else {
			amount
		}
	}
}

fn milli(value: u64) -> U256 {
	U256::from(value) * U256::from(10u64).pow(U256::from(15u64))
}

struct World {
	bridge: Bridge,
	tokens: [Address; TOKENS],
	model: Model,
}

impl World {
	fn new() -> Self {
		let mut bridge = Bridge::new();
		let tokens = [bridge.lrt, bridge.fee_token, bridge.weth];
		let gateway = bridge.gateway;
		for user in USERS {
			bridge.eth.fund(user, ether(100_000));
			for token in [bridge.lrt, bridge.fee_token] {
				let mint = mintCall { to: user, amount: ether(100_000) }.abi_encode();
				assert!(bridge.eth.call(OWNER, token, mint).success);
			}
			let wrap = bridge.eth.call_with_value(
				user,
				bridge.weth,
				ether(1_000),
				tokens::depositCall {}.abi_encode(),
			);
			assert!(wrap.success);
			for token in tokens {
				let approve = approveCall { spender: gateway, amount: U256::MAX }.abi_encode();
				assert!(bridge.eth.call(user, token, approve).success);
			}
		}
		World { bridge, tokens, model: Model { fee_bps: FEE_BPS, ..Model::default() } }
	}

	fn balance(&mut self, token: usize, who: Address) -> U256 {
		let token = self.tokens[token];
		self.bridge.balance_of(token, who)
	}

	fn apply(&mut self, op: &Op) -> Result<(), TestCaseError> {
		let gateway = self.bridge.gateway;
		match *op {
			Op::Deposit { token, user, milli: amount } => {
				let amount = milli(amount);
				let affordable = amount <= self.balance(token, USERS[user]);
				let received = self.model.after_fee(token, amount);
				let call =
					depositCall { lrt: self.tokens[token], amount, recipient: RECIPIENT.into() };
				let at = self.bridge.eth.timestamp();
				let result = self.bridge.eth.call(USERS[user], gateway, call.abi_encode());
				prop_assert_eq!(
					result.success,
					affordable && !received.is_zero() && !self.model.paused,
					"deposit {:?}",
					op
				);
				if result.success {
					let event = emitted::<abi::Deposited>(&result, gateway);
					prop_assert_eq!(event.amount, received);
					prop_assert_eq!(event.lrt, self.tokens[token]);
					self.model.events += 1;
					prop_assert_eq!(event.nonce, self.model.events);
					self.model.locked[token] += received;
					self.model.deposits.push((event.nonce, token, USERS[user], received, at));
				}
			},
			Op::DepositEth { user, milli: amount } => {
				let amount = milli(amount);
				let call = depositEthCall { recipient: RECIPIENT.into() };
				let at = self.bridge.eth.timestamp();
				let result = self.bridge.eth.call_with_value(
					USERS[user],
					gateway,
					amount,
					call.abi_encode(),
				);
				prop_assert_eq!(result.success, !amount.is_zero() && !self.model.paused);
				if result.success {
					let event = emitted::<abi::Deposited>(&result, gateway);
					prop_assert_eq!((event.lrt, event.amount), (self.tokens[WETH], amount));
					self.model.events += 1;
					self.model.locked[WETH] += amount;
					self.model.deposits.push((event.nonce, WETH, USERS[user], amount, at));
				}
			},
			Op::Release { token, to, permille } => {
				let amount = self.model.locked[token] * U256::from(permille) / U256::from(1_000);
				self.model.next_withdrawal += 1;
				let nonce = self.model.next_withdrawal;
				let now = self.bridge.eth.timestamp();
				let result = self.bridge.release(self.tokens[token], USERS[to], amount, nonce);
				prop_assert_eq!(
					result.success,
					self.model.may_pay_out(token, amount, now),
					"release {:?}",
					op
				);
				if result.success {
					prop_assert_eq!(emitted::<abi::Released>(&result, gateway).amount, amount);
					self.model.events += 1;
					self.model.locked[token] -= amount;
					self.model.buckets[token].take(now, amount);
					self.model.released.push(nonce);
				}
			},
			Op::ReplayRelease => {
				if let Some(&nonce) = self.model.released.last() {
					let result = self.bridge.resend(USERS[0], nonce);
					if self.model.paused {
						prop_assert!(result.reverted_with::<EnforcedPause>());
					} else if self.model.releases_paused {
						prop_assert!(result.reverted_with::<ReleasesPaused>());
					} else {
						prop_assert!(result.reverted_with::<AlreadyReleased>());
					}
				}
			},
			Op::Report => {
				let result = self.bridge.call(USERS[0], reportBackingCall { lrt: self.tokens[0] });
				prop_assert!(result.success);
				self.model.events += 1;
			},
			Op::Wrap { user, milli: amount } => {
				let weth = self.tokens[WETH];
				let result = self.bridge.eth.call_with_value(
					USERS[user],
					weth,
					milli(amount),
					tokens::depositCall {}.abi_encode(),
				);
				prop_assert!(result.success);
			},
			Op::Unwrap { user, milli: amount } => {
				let amount = milli(amount);
				let affordable = amount <= self.balance(WETH, USERS[user]);
				let weth = self.tokens[WETH];
				let result = self.bridge.eth.call(
					USERS[user],
					weth,
					tokens::withdrawCall { amount }.abi_encode(),
				);
				prop_assert_eq!(result.success, affordable);
			},
			Op::MoveWeth { from, to, milli: amount } => {
				let amount = milli(amount);
				let affordable = amount <= self.balance(WETH, USERS[from]);
				let weth = self.tokens[WETH];
				let call = transferCall { to: USERS[to], amount };
				let result = self.bridge.eth.call(USERS[from], weth, call.abi_encode());
				prop_assert_eq!(result.success, affordable);
			},
			Op::Donate { token, user, milli: amount } => {
				let amount = milli(amount);
				let affordable = amount <= self.balance(token, USERS[user]);
				let call = transferCall { to: gateway, amount };
				let result =
					self.bridge.eth.call(USERS[user], self.tokens[token], call.abi_encode());
				prop_assert_eq!(result.success, affordable);
				if result.success {
					self.model.donated[token] += self.model.after_fee(token, amount);
				}
			},
			Op::SendEth { user, milli: amount } => {
				let result = self.bridge.eth.call_with_value(
					USERS[user],
					gateway,
					milli(amount),
					Vec::new(),
				);
				prop_assert!(!result.success, "the gateway takes ETH only through depositEth");
			},
			Op::Skim { token } => {
				let result =
					self.bridge.call(OWNER, skimCall { token: self.tokens[token], to: OWNER });
				prop_assert_eq!(result.success, !self.model.donated[token].is_zero());
				self.model.donated[token] = U256::ZERO;
			},
			Op::SetFee { bps } => {
				let fee = self.tokens[FEE];
				let call = tokens::setFeeCall { feeBps: U256::from(bps) };
				prop_assert!(self.bridge.eth.call(OWNER, fee, call.abi_encode()).success);
				self.model.fee_bps = bps;
			},
			Op::Refund { pick } => {
				if self.model.deposits.is_empty() {
					return Ok(());
				}
				self.bridge.eth.advance_time(7 * 86_400);
				let index = pick % self.model.deposits.len();
				let (nonce, token, sender, amount, at) = self.model.deposits[index];
				let call = refundDepositCall {
					depositNonce: nonce,
					lrt: self.tokens[token],
					sender,
					amount,
					depositedAt: at,
				};
				let now = self.bridge.eth.timestamp();
				let result = self.bridge.call(OWNER, call);
				prop_assert_eq!(
					result.success,
					self.model.may_pay_out(token, amount, now),
					"refund {:?}",
					op
				);
				if result.success {
					self.model.buckets[token].take(now, amount);
					prop_assert_eq!(
						emitted::<abi::DepositRefunded>(&result, gateway).depositNonce,
						nonce
					);
					self.model.events += 1;
					self.model.locked[token] -= amount;
					self.model.deposits.remove(index);
				}
			},
			Op::Later { seconds } => self.bridge.eth.advance_time(seconds),
			Op::SetReleaseLimit { token, milli: limit, window } => {
				let limit = limit.map_or(U256::MAX, milli);
				let call = setReleaseLimitCall { token: self.tokens[token], limit, window };
				let now = self.bridge.eth.timestamp();
				prop_assert!(self.bridge.call(OWNER, call).success);
				let bucket = &mut self.model.buckets[token];
				*bucket = Bucket { limit, window, used: bucket.used_now(now), updated_at: now };
			},
			Op::Pause => {
				let result = self.bridge.call(GUARDIAN, pauseCall {});
				// OpenZeppelin's Pausable refuses to pause twice.
				prop_assert_eq!(result.success, !self.model.paused);
				self.model.paused = true;
			},
			Op::Unpause => {
				let result = self.bridge.call(OWNER, unpauseCall {});
				prop_assert_eq!(result.success, self.model.paused);
				self.model.paused = false;
			},
			Op::PauseReleases => {
				let result = self.bridge.call(GUARDIAN, pauseReleasesCall {});
				prop_assert!(result.success);
				self.model.releases_paused = true;
			},
			Op::UnpauseReleases => {
				let result = self.bridge.call(OWNER, unpauseReleasesCall {});
				prop_assert!(result.success);
				self.model.releases_paused = false;
			},
		}
		Ok(())
	}

	fn check(&mut self) -> Result<(), TestCaseError> {
		let gateway = self.bridge.gateway;
		for token in 0..TOKENS {
			let locked = self.bridge.locked(self.tokens[token]);
			prop_assert_eq!(locked, self.model.locked[token], "token {}: books vs events", token);
			let held = self.balance(token, gateway);
			prop_assert_eq!(
				held,
				locked + self.model.donated[token],
				"token {}: locked == balanceOf − sent directly",
				token
			);
		}
		let now = self.bridge.eth.timestamp();
		for token in 0..TOKENS {
			let room = self.bridge.eth.read(gateway, releaseRoomCall { token: self.tokens[token] });
			prop_assert_eq!(
				room.expect("releaseRoom"),
				self.model.buckets[token].room(now),
				"token {}: the release bucket",
				token
			);
		}
		prop_assert_eq!(
			self.bridge.eth.balance(gateway),
			U256::ZERO,
			"no native ETH in the gateway"
		);
		let mut weth_balances = U256::ZERO;
		for holder in USERS.into_iter().chain([gateway, OWNER, USER]) {
			weth_balances += self.balance(WETH, holder);
		}
		let weth = self.tokens[WETH];
		prop_assert_eq!(weth_balances, self.bridge.eth.balance(weth), "WETH is backed 1:1");
		let nonce = self.bridge.eth.read(gateway, nonceCall {}).expect("nonce");
		prop_assert_eq!(nonce, self.model.events);
		Ok(())
	}
}

proptest! {
	#![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

	/// Whatever happens, the gateway's books are its balances less what was sent to it directly,
	/// they agree with its events, and it holds no native ETH.
	#[test]
	fn locked_is_what_the_gateway_holds_for_ballast(ops in proptest::collection::vec(op(), 1..60)) {
		let mut world = World::new();
		world.check()?;
		for op in &ops {
			world.apply(op)?;
			world.check()?;
		}
	}
}
