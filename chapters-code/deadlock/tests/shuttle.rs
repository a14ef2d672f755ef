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
//! the exploration here catches that panic, counts the execution as a
//! deadlock, and starts a new runner on the same depth-first scheduler,
//! which goes on with the next interleaving. (Loom cannot: it stops at the
//! first deadlock for good.)
//!
//! `RUSTFLAGS="--cfg shuttle" CARGO_TARGET_DIR=target/shuttle cargo test -p
//! deadlock --test shuttle`; with `NOTEBOOK_WRITE_SCHEDULES=1` it stores
//! `outputs/two_locks.schedules.json`, which otherwise must equal a fresh
//! exploration.

#![cfg(shuttle)]

use std::cell::Cell;
use std::collections::BTreeSet;
use std::panic::{self, AssertUnwindSafe};
use std::path::Path;
use std::sync::{Arc, Mutex as StdMutex, MutexGuard as StdGuard, Once};

use deadlock::sync::Mutex;
use deadlock::transfer::{transfer, transfer_ordered};
use shuttle::scheduler::{
    DfsScheduler, ReplayScheduler, Schedule, Scheduler, Task, TaskId,
};
use shuttle::{Config, FailurePersistence, Runner};
use shuttle_engine::scheduler::serialization::serialize_schedule;
use support::schedule::{self, Run, Scenario};

const BOTH_DONE: &str = "both transfers done";
const DEADLOCK: &str = "deadlock";

/// Either transfer of `src/transfer.rs`.
type Transfer = fn(&Mutex<i64>, &Mutex<i64>, i64);

fn thread_id() -> String {
    format!("{:?}", shuttle::thread::current().id())
}

/// One execution of the model: thread A (shuttle's main thread) moves 10
/// from A to B while thread B moves 20 from B to A. A run that gets through
/// is pushed to `done`; a deadlocked one never gets here.
fn two_transfers(
    move_money: Transfer,
    done: Arc<StdMutex<Vec<Run>>>,
) -> impl Fn() + Send + Sync + 'static {
    move || {
        schedule::begin();
        schedule::name_thread(thread_id(), "A");
        let accounts = Arc::new((Mutex::new(100), Mutex::new(100)));
        for (account, name) in
            [(&accounts.0, "account A"), (&accounts.1, "account B")]
        {
            let address = account as *const Mutex<i64> as usize;
            schedule::name_object(address, name, "100".to_string());
        }
        let theirs = Arc::clone(&accounts);
        let b = shuttle::thread::spawn(move || {
            schedule::name_thread(thread_id(), "B");
            move_money(&theirs.1, &theirs.0, 20);
        });
        move_money(&accounts.0, &accounts.1, 10);
        b.join().expect("a transfer does not panic");
        // Recording ends before the check, whose locks are not the lesson.
        let run = Run {
            outcome: BOTH_DONE.to_string(),
            steps: schedule::finish(),
        };
        let balances =
            (*accounts.0.lock().unwrap(), *accounts.1.lock().unwrap());
        assert_eq!(balances, (110, 90), "both transfers moved their money");
        lock(&done).push(run);
    }
}

fn lock<T>(m: &StdMutex<T>) -> StdGuard<'_, T> {
    // A panic while one of these is held fails the test anyway.
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A scheduler (shuttle's depth-first one, or a replay) that writes down
/// every choice it makes. It lives behind an `Arc` so that it outlives the
/// runner that a deadlock ends, and the next runner goes on with it.
struct Recording<S>(Arc<StdMutex<Chooser<S>>>);

struct Chooser<S> {
    scheduler: S,
    /// One schedule per execution, the last one growing with each choice.
    schedules: Vec<Schedule>,
}

impl<S: Scheduler> Scheduler for Recording<S> {
    fn new_execution(&mut self) -> Option<Schedule> {
        let mut chooser = lock(&self.0);
        // The schedule it returns is the seed, with no steps yet.
        let schedule = chooser.scheduler.new_execution()?;
        chooser.schedules.push(schedule.clone());
        Some(schedule)
    }

    fn next_task(
        &mut self,
        runnable: &[&Task],
        current: Option<TaskId>,
        is_yielding: bool,
    ) -> Option<TaskId> {
        let mut chooser = lock(&self.0);
        let next =
            chooser
                .scheduler
                .next_task(runnable, current, is_yielding)?;
        chooser
            .schedules
            .last_mut()
            .expect("an execution has begun")
            .push_task(next);
        Some(next)
    }

    fn next_u64(&mut self) -> u64 {
        let mut chooser = lock(&self.0);
        chooser
            .schedules
            .last_mut()
            .expect("an execution has begun")
            .push_random();
        chooser.scheduler.next_u64()
    }
}

fn is_deadlock(panic: &(dyn std::any::Any + Send)) -> bool {
    let message = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or_default();
    message.starts_with("deadlock! blocked tasks")
}

thread_local! {
    /// Whether this test thread is exploring, when deadlocks are expected.
    static EXPLORING: Cell<bool> = const { Cell::new(false) };
}

/// Once per test program: a panic hook that says nothing about a deadlock
/// while exploring, and passes every other panic on to the hook before it.
/// (Shuttle still prints a line or two of its own, which the test harness
/// keeps unless a test fails.)
fn quiet_expected_deadlocks() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let before = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !(EXPLORING.get() && is_deadlock(info.payload())) {
                before(info);
            }
        }));
    });
}

/// Runs the model for every execution `scheduler` asks for, and returns
/// each execution's run with the schedule that produced it.
fn explore<S: Scheduler + 'static>(
    scheduler: S,
    move_money: Transfer,
) -> Vec<(Run, Schedule)> {
    quiet_expected_deadlocks();
    let chooser = Arc::new(StdMutex::new(Chooser {
        scheduler,
        schedules: Vec::new(),
    }));
    let done = Arc::new(StdMutex::new(Vec::new()));
    let mut config = Config::new();
    // The witnesses are stored; shuttle need not print failing schedules.
    config.failure_persistence = FailurePersistence::None;
    EXPLORING.set(true);
    loop {
        let runner =
            Runner::new(Recording(Arc::clone(&chooser)), config.clone());
        let model = two_transfers(move_money, Arc::clone(&done));
        match panic::catch_unwind(AssertUnwindSafe(|| runner.run(model))) {
            // The scheduler has no execution left.
            Ok(_) => break,
            Err(panic) if is_deadlock(&*panic) => {
                let run = Run {
                    outcome: DEADLOCK.to_string(),
                    steps: schedule::finish(),
                };
                lock(&done).push(run);
            }
            Err(panic) => {
                EXPLORING.set(false);
                panic::resume_unwind(panic);
            }
        }
    }
    EXPLORING.set(false);
    let runs = std::mem::take(&mut *lock(&done));
    let schedules = std::mem::take(&mut lock(&chooser).schedules);
    assert_eq!(runs.len(), schedules.len(), "one run per execution");
    runs.into_iter().zip(schedules).collect()
}

/// Every interleaving of the two transfers, as the page's player shows it.
fn two_locks(move_money: Transfer) -> Scenario {
    let mut scenario = Scenario::new(
        "two_locks",
        "Two threads transfer money between two accounts, taking the locks in opposite orders",
        "shuttle 0.9.10",
        &["A", "B"],
    );
    for (run, schedule) in explore(DfsScheduler::new(None, false), move_money) {
        scenario.add(run, || serialize_schedule(&schedule).replace('\n', ""));
    }
    scenario
}

/// `support::schedule` records one execution at a time, for the whole test
/// program: the tests take turns.
fn my_turn() -> StdGuard<'static, ()> {
    support::guard::take_turns()
}

#[test]
fn the_stored_interleavings_are_every_interleaving() {
    let _turn = my_turn();
    let mut scenario = two_locks(transfer);
    scenario.read_source();
    scenario.store_or_compare(Path::new(env!("CARGO_MANIFEST_DIR")));
}

#[test]
fn opposite_orders_can_deadlock_and_one_order_cannot() {
    let _turn = my_turn();
    let both = BTreeSet::from([BOTH_DONE.to_string(), DEADLOCK.to_string()]);
    assert_eq!(two_locks(transfer).outcome_set(), both);
    let ordered = two_locks(transfer_ordered);
    assert_eq!(
        ordered.outcome_set(),
        BTreeSet::from([BOTH_DONE.to_string()])
    );
}

#[test]
fn a_deadlock_ends_with_each_thread_waiting_for_the_other() {
    let _turn = my_turn();
    let scenario = two_locks(transfer);
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
    let _turn = my_turn();
    let stored = Scenario::load(&Scenario::path(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        "two_locks",
    ));
    for outcome in &stored.outcomes {
        let replay = ReplayScheduler::new_from_encoded(&outcome.witness);
        let runs = explore(replay, transfer);
        let [(run, _)] = runs.as_slice() else {
            panic!("a replay is one execution, not {}", runs.len());
        };
        assert_eq!(run.outcome, outcome.outcome);
        assert_eq!(
            *run, stored.runs[outcome.run],
            "the replay of {:?}",
            outcome.outcome
        );
    }
}
