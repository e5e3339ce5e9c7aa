//! A mock runtime wired as Ballast's: System, Balances, Authorship, CollatorSelection, this
//! pallet, Session (ending sessions and estimating rotations through this pallet, managed by
//! `NoteHistoricalRoot<SessionManagerWithHistory<CollatorSelection>>`, disabling with
//! `UpToLimitWithReEnablingDisablingStrategy`) and its historical part, in Ballast's order
//! (Authorship and CollatorSelection before Session). Session keys are `UintAuthorityId`s; the
//! session handler records what pallet-session tells Aura/GRANDPA. Slashed bonds go to the
//! [`TREASURY`] account. [`ExtBuilder`] builds the genesis and checks the pallet's books
//! (`do_try_state`) after every test.

use crate as pallet_validator_set;
use crate::{
	CurrencyKeepingBondsAtStake, NegativeImbalanceOf, SessionManagerWithHistory, UnitIdentification,
};
use codec::Encode;
use frame_support::{
	assert_ok, derive_impl, parameter_types,
	traits::{ConstU32, ConstU64, Currency, FindAuthor, OnFinalize, OnInitialize, OnUnbalanced},
	weights::{constants::RocksDbWeight, Weight},
	PalletId,
};
use frame_system::EnsureRoot;
use sp_runtime::{
	testing::UintAuthorityId,
	traits::{AccountIdConversion, OpaqueKeys},
	BuildStorage, ConsensusEngineId, KeyTypeId, Perbill, RuntimeAppPublic,
};
use sp_staking::{
	offence::{OffenceDetails, OnOffenceHandler},
	SessionIndex,
};

type Block = frame_system::mocking::MockBlock<Test>;
pub type AccountId = u64;
pub type Balance = u64;

/// `DefaultSessionPeriod`.
pub const PERIOD: u64 = 10;
/// collator-selection's `KickThreshold`: two default sessions.
pub const KICK_THRESHOLD: u64 = 2 * PERIOD;
/// `HistoryDepth`.
pub const HISTORY_DEPTH: SessionIndex = 3;
/// collator-selection's genesis `candidacy_bond`.
pub const BOND: Balance = 100;
/// pallet-session's `KeyDeposit` (a hold, which pallet-balances counts as reserved too).
pub const KEY_DEPOSIT: Balance = 7;
/// Every account's genesis balance.
pub const ENDOWMENT: Balance = 1_000;
/// Where slashed bonds go.
pub const TREASURY: AccountId = 999;
pub const ED: Balance = 5;

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Test;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;

	#[runtime::pallet_index(1)]
	pub type Balances = pallet_balances;

	#[runtime::pallet_index(2)]
	pub type Authorship = pallet_authorship;

	#[runtime::pallet_index(3)]
	pub type CollatorSelection = pallet_collator_selection;

	#[runtime::pallet_index(4)]
	pub type ValidatorSet = pallet_validator_set;

	#[runtime::pallet_index(5)]
	pub type Session = pallet_session;

	#[runtime::pallet_index(6)]
	pub type Historical = pallet_session::historical;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<Balance>;
	type DbWeight = RocksDbWeight;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type ExistentialDeposit = ConstU64<ED>;
	type AccountStore = System;
}

parameter_types! {
	/// Who authors the next blocks (Aura's author in the runtime).
	pub static BlockAuthor: Option<AccountId> = None;
	/// The validators pallet-session last handed to the session handler (Aura/GRANDPA).
	pub static HandlerValidators: Vec<AccountId> = Vec::new();
	/// The indices pallet-session disabled, in order (Aura/GRANDPA's `on_disabled`).
	pub static HandlerDisabled: Vec<u32> = Vec::new();
	pub static MinEligibleCollators: u32 = 3;
	pub static MinSlash: Perbill = Perbill::from_percent(50);
	pub const PotId: PalletId = PalletId(*b"PotStake");
}

/// The block author is [`BlockAuthor`].
pub struct AuthorFromTest;
impl FindAuthor<AccountId> for AuthorFromTest {
	fn find_author<'a, I>(_digests: I) -> Option<AccountId>
	where
		I: 'a + IntoIterator<Item = (ConsensusEngineId, &'a [u8])>,
	{
		BlockAuthor::get()
	}
}

impl pallet_authorship::Config for Test {
	type FindAuthor = AuthorFromTest;
	type EventHandler = (CollatorSelection,);
}

impl pallet_collator_selection::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type Currency = CurrencyKeepingBondsAtStake<Test>;
	type UpdateOrigin = EnsureRoot<AccountId>;
	type PotId = PotId;
	type MaxCandidates = ConstU32<8>;
	type MinEligibleCollators = MinEligibleCollators;
	type MaxInvulnerables = ConstU32<8>;
	type KickThreshold = ConstU64<KICK_THRESHOLD>;
	type ValidatorId = AccountId;
	type ValidatorIdOf = pallet_collator_selection::IdentityCollator;
	type ValidatorRegistration = Session;
	type WeightInfo = ();
}

sp_runtime::impl_opaque_keys! {
	pub struct MockSessionKeys {
		pub dummy: UintAuthorityId,
	}
}

/// The session keys of `who`: the key `UintAuthorityId(who)`.
pub fn keys_of(who: AccountId) -> MockSessionKeys {
	MockSessionKeys { dummy: UintAuthorityId(who) }
}

/// Records what pallet-session tells the consensus pallets.
pub struct RecordingSessionHandler;
impl pallet_session::SessionHandler<AccountId> for RecordingSessionHandler {
	const KEY_TYPE_IDS: &'static [KeyTypeId] = &[UintAuthorityId::ID];
	fn on_genesis_session<Ks: OpaqueKeys>(validators: &[(AccountId, Ks)]) {
		HandlerValidators::set(validators.iter().map(|(who, _)| *who).collect());
	}
	fn on_new_session<Ks: OpaqueKeys>(
		_changed: bool,
		validators: &[(AccountId, Ks)],
		_queued: &[(AccountId, Ks)],
	) {
		HandlerValidators::set(validators.iter().map(|(who, _)| *who).collect());
	}
	fn on_disabled(validator_index: u32) {
		HandlerDisabled::mutate(|disabled| disabled.push(validator_index));
	}
}

impl pallet_session::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type ValidatorId = AccountId;
	type ValidatorIdOf = pallet_collator_selection::IdentityCollator;
	type ShouldEndSession = ValidatorSet;
	type NextSessionRotation = ValidatorSet;
	type SessionManager = pallet_session::historical::NoteHistoricalRoot<
		Test,
		SessionManagerWithHistory<Test, CollatorSelection>,
	>;
	type SessionHandler = RecordingSessionHandler;
	type Keys = MockSessionKeys;
	type DisablingStrategy = pallet_session::disabling::UpToLimitWithReEnablingDisablingStrategy;
	type WeightInfo = ();
	type Currency = Balances;
	type KeyDeposit = ConstU64<KEY_DEPOSIT>;
}

impl pallet_session::historical::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type FullIdentification = ();
	type FullIdentificationOf = UnitIdentification;
}

/// Slashed bonds land in the [`TREASURY`] account (the runtime: `Treasury`).
pub struct ToTreasury;
impl OnUnbalanced<NegativeImbalanceOf<Test>> for ToTreasury {
	fn on_nonzero_unbalanced(amount: NegativeImbalanceOf<Test>) {
		Balances::resolve_creating(&TREASURY, amount);
	}
}

impl pallet_validator_set::Config for Test {
	type DefaultSessionPeriod = ConstU64<PERIOD>;
	type HistoryDepth = ConstU32<HISTORY_DEPTH>;
	type MinSlash = MinSlash;
	type Slash = ToTreasury;
	type BondCurrency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
}

/// collator-selection's pot.
pub fn pot() -> AccountId {
	PotId::get().into_account_truncating()
}

/// Sets `who`'s session keys (with their ownership proof) and registers it as a candidate,
/// reserving [`BOND`].
pub fn register_candidate(who: AccountId) {
	let keys = keys_of(who);
	let proof = keys.clone().create_ownership_proof(&who.encode()).expect("proof").encode();
	assert_ok!(Session::set_keys(RuntimeOrigin::signed(who), keys, proof));
	assert_ok!(CollatorSelection::register_as_candidate(RuntimeOrigin::signed(who)));
}

/// Finalizes the current block and initializes the next ones up to `n`, authored by
/// [`BlockAuthor`].
pub fn run_to_block(n: u64) {
	while System::block_number() < n {
		let now = System::block_number();
		<AllPalletsWithSystem as OnFinalize<u64>>::on_finalize(now);
		System::set_block_number(now + 1);
		<AllPalletsWithSystem as OnInitialize<u64>>::on_initialize(now + 1);
	}
}

/// Runs to the start of session `index` (block `index × period`).
pub fn run_to_session(index: SessionIndex) {
	run_to_block(index as u64 * ValidatorSet::session_period());
	assert_eq!(Session::current_index(), index);
}

/// pallet-offences' call: `offenders` reported for one offence of `session`, with `fraction`
/// each.
pub fn report(offenders: &[AccountId], fraction: Perbill, session: SessionIndex) -> Weight {
	let details: Vec<_> = offenders
		.iter()
		.map(|who| OffenceDetails { offender: (*who, ()), reporters: Vec::new() })
		.collect();
	let fractions = vec![fraction; offenders.len()];
	<ValidatorSet as OnOffenceHandler<AccountId, (AccountId, ()), Weight>>::on_offence(
		&details, &fractions, session,
	)
}

/// This pallet's events so far.
pub fn events() -> Vec<crate::Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|record| match record.event {
			RuntimeEvent::ValidatorSet(event) => Some(event),
			_ => None,
		})
		.collect()
}

/// The test runtime's genesis: invulnerables `1..=4` with session keys (the genesis
/// validators), a candidacy bond of [`BOND`], 3 desired candidates, accounts `1..=9` endowed
/// with [`ENDOWMENT`], the pot with the existential deposit, at block 1.
pub struct ExtBuilder {
	session_period: Option<u64>,
	invulnerables: Vec<AccountId>,
}

impl Default for ExtBuilder {
	fn default() -> Self {
		Self { session_period: None, invulnerables: vec![1, 2, 3, 4] }
	}
}

impl ExtBuilder {
	/// The genesis `session_period` (none: `DefaultSessionPeriod`).
	pub fn session_period(mut self, period: u64) -> Self {
		self.session_period = Some(period);
		self
	}

	/// The externalities, at block 1.
	pub fn build(self) -> sp_io::TestExternalities {
		let mut balances: Vec<_> = (1..=9).map(|who| (who, ENDOWMENT)).collect();
		balances.push((pot(), ED));
		let keys = self.invulnerables.iter().map(|who| (*who, *who, keys_of(*who))).collect();
		let storage = RuntimeGenesisConfig {
			system: Default::default(),
			balances: pallet_balances::GenesisConfig { balances, ..Default::default() },
			collator_selection: pallet_collator_selection::GenesisConfig {
				invulnerables: self.invulnerables,
				candidacy_bond: BOND,
				desired_candidates: 3,
			},
			validator_set: pallet_validator_set::GenesisConfig {
				session_period: self.session_period,
			},
			session: pallet_session::GenesisConfig { keys, non_authority_keys: Vec::new() },
		}
		.build_storage()
		.expect("genesis builds");
		let mut ext = sp_io::TestExternalities::new(storage);
		ext.execute_with(|| {
			BlockAuthor::set(None);
			HandlerDisabled::set(Vec::new());
			MinEligibleCollators::set(3);
			MinSlash::set(Perbill::from_percent(50));
			System::set_block_number(1);
		});
		ext
	}

	/// Runs `test`, then checks the pallet's books.
	pub fn build_and_execute(self, test: impl FnOnce()) {
		self.build().execute_with(|| {
			test();
			assert_eq!(ValidatorSet::do_try_state(), Ok(()), "the pallet's books after the test");
		});
	}
}
