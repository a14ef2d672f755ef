//! Every interleaving of two transfers in opposite directions, found by the
//! shuttle model checker, for the page's "be the scheduler" player.
//!
//! Thread A moves money from account A to account B with
//! [`transfer`], thread B from B to A. Shuttle's depth-first scheduler runs
//! the very code of `src/transfer.rs` once for each different order of the
//! threads' steps, and [`support::schedule`] writes down what each step did
//! (the lock of `src/sync.rs` reports it). Some orders end with both
//! transfers done, the others in a deadlock.
//!
//! Shuttle fails a test at a deadlock by panicking, which ends its run. So
//! the exploration (`support::schedule::shuttle`) catches that panic, counts
//! the execution as a deadlock, and starts a new runner on the same
//! depth-first scheduler, which goes on with the next interleaving. (Loom
//! cannot: it stops at the first deadlock for good.)
//!
//! `RUSTFLAGS="--cfg shuttle" CARGO_TARGET_DIR=target/shuttle cargo test -p
//! deadlock --test shuttle`; with `NOTEBOOK_WRITE_SCHEDULES=1` it stores
//! `outputs/two_locks.schedules.json`, which otherwise must equal a fresh
//! exploration.

#![cfg(shuttle)]

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

use deadlock::sync::Mutex;
use deadlock::transfer::{transfer, transfer_ordered};
use support::schedule::shuttle::{DEADLOCK, explore, replay};
use support::schedule::{self, Run, Scenario};

const BOTH_DONE: &str = "both transfers done";

/// Either transfer of `src/transfer.rs`.
type Transfer = fn(&Mutex<i64>, &Mutex<i64>, i64);

fn name_this_thread(name: &str) {
    schedule::name_thread(
        format!("{:?}", shuttle::thread::current().id()),
        name,
    );
}

/// One execution: thread A (shuttle's main thread) moves 10 from account A
/// to account B while thread B moves 20 from B to A. A deadlocked execution
/// never returns: the explorer makes its run.
fn two_transfers(move_money: Transfer) -> Run {
    schedule::begin();
    name_this_thread("A");
    let accounts = Arc::new((Mutex::new(100), Mutex::new(100)));
    for (account, name) in
        [(&accounts.0, "account A"), (&accounts.1, "account B")]
    {
        let address = account as *const Mutex<i64> as usize;
        schedule::name_object(address, name, "100".to_string());
    }
    let theirs = Arc::clone(&accounts);
    let b = shuttle::thread::spawn(move || {
        name_this_thread("B");
        move_money(&theirs.1, &theirs.0, 20);
    });
    move_money(&accounts.0, &accounts.1, 10);
    b.join().expect("a transfer does not panic");
    // Recording ends before the check, whose locks are not the lesson.
    let run = Run {
        outcome: BOTH_DONE.to_string(),
        steps: schedule::finish(),
    };
    let balances = (*accounts.0.lock().unwrap(), *accounts.1.lock().unwrap());
    assert_eq!(balances, (110, 90), "both transfers moved their money");
    run
}

fn opposite_orders() -> Run {
    two_transfers(transfer)
}

fn one_order() -> Run {
    two_transfers(transfer_ordered)
}

/// Every interleaving of the two transfers, as the page's player shows it.
fn two_locks(model: fn() -> Run) -> Scenario {
    let mut scenario = Scenario::new(
        "two_locks",
        "Two threads transfer money between two accounts, taking the locks in opposite orders",
        "shuttle 0.9.10",
        &["A", "B"],
    );
    for (run, witness) in explore(model) {
        scenario.add(run, || witness);
    }
    scenario
}

#[test]
fn the_stored_interleavings_are_every_interleaving() {
    let mut scenario = two_locks(opposite_orders);
    scenario.read_source();
    scenario.store_or_compare(Path::new(env!("CARGO_MANIFEST_DIR")));
}

#[test]
fn opposite_orders_can_deadlock_and_one_order_cannot() {
    let both = BTreeSet::from([BOTH_DONE.to_string(), DEADLOCK.to_string()]);
    assert_eq!(two_locks(opposite_orders).outcome_set(), both);
    let ordered = two_locks(one_order);
    assert_eq!(
        ordered.outcome_set(),
        BTreeSet::from([BOTH_DONE.to_string()])
    );
}

#[test]
fn a_deadlock_ends_with_each_thread_waiting_for_the_other() {
    let scenario = two_locks(opposite_orders);
    let deadlocks: Vec<&Run> = scenario
        .runs
        .iter()
        .filter(|r| r.outcome == DEADLOCK)
        .collect();
    assert!(!deadlocks.is_empty());
    for run in deadlocks {
        let last = run.steps.last().expect("a deadlocked run has steps");
        let waiting: Vec<(&str, &str)> = last
            .waiting
            .iter()
            .map(|(t, l)| (t.as_str(), l.as_str()))
            .collect();
        assert_eq!(waiting, [("A", "account B"), ("B", "account A")]);
        let holders: Vec<(&str, &str)> = last
            .holders
            .iter()
            .map(|(l, t)| (l.as_str(), t.as_str()))
            .collect();
        assert_eq!(holders, [("account A", "A"), ("account B", "B")]);
    }
}

#[test]
fn every_stored_witness_replays_its_run() {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let stored = Scenario::load(&Scenario::path(here, "two_locks"));
    for outcome in &stored.outcomes {
        let run = replay(&outcome.witness, opposite_orders);
        assert_eq!(run.outcome, outcome.outcome);
        assert_eq!(
            run, stored.runs[outcome.run],
            "the replay of {:?}",
            outcome.outcome
        );
    }
}
