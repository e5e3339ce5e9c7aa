//! The pallet's tests, one file per piece, all in the mock runtime (`crate::mock`), each inside
//! `ExtBuilder::build_and_execute` (the `try_state` tests check `do_try_state` themselves).

mod bonds;
mod collator_selection;
mod history;
mod offences;
mod session_period;
mod try_state;
