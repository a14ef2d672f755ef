//! One-time initialisation under contention: eight threads ask for the
//! table at the same moment (a barrier releases them, and no build starts
//! until all have asked), and the tests count the builds.

use std::sync::{LazyLock, OnceLock};

use sync_primitives::once::{
    CheckThenBuild, Contest, LockedBuild, Outcome, SMALL_PRIMES, primes_below,
    read_while_another_reads,
};

const THREADS: usize = 8;
/// Small enough for a debug build, large enough for a build to take a
/// while.
const LIMIT: u32 = 300_000;

fn primes_below_limit() -> usize {
    primes_below(LIMIT).len()
}

/// Every thread read a whole table.
fn assert_all_whole(outcome: &Outcome) {
    assert_eq!(outcome.asks.len(), THREADS);
    for ask in &outcome.asks {
        assert_eq!(ask.seen.primes, primes_below_limit(), "{outcome:?}");
    }
}

#[test]
fn the_sieve_finds_the_primes() {
    assert_eq!(primes_below(0), []);
    assert_eq!(primes_below(2), []);
    assert_eq!(primes_below(12), [2, 3, 5, 7, 11]);
    assert_eq!(primes_below(1000).len(), 168);
    assert_eq!(*SMALL_PRIMES, primes_below(1000));
}

#[test]
fn a_once_lock_runs_one_initialiser_and_the_others_wait_for_it() {
    let contest = Contest::new(THREADS, LIMIT);
    let cell = OnceLock::new();
    let outcome = contest.run(|| cell.get_or_init(|| contest.build()).seen());
    assert_eq!(outcome.builds.len(), 1, "{outcome:?}");
    assert_eq!(outcome.tables_seen(), 1);
    assert_all_whole(&outcome);
    // The seven others asked while the table was missing, and had it only
    // once it was whole.
    let built = outcome.builds[0].finished;
    let waiters = outcome.waiters();
    assert_eq!(waiters.len(), THREADS - 1);
    for ask in waiters {
        assert!(ask.asked < built, "{outcome:?}");
        assert!(ask.answered >= built, "{outcome:?}");
    }
}

#[test]
fn a_lazy_lock_runs_its_initialiser_once() {
    let contest = Contest::new(THREADS, LIMIT);
    let lazy = LazyLock::new(|| contest.build());
    let outcome = contest.run(|| lazy.seen());
    assert_eq!(outcome.builds.len(), 1, "{outcome:?}");
    assert_eq!(outcome.tables_seen(), 1);
    assert_eq!(outcome.waiters().len(), THREADS - 1);
    assert_all_whole(&outcome);
}

/// The hand-made check-then-build: every thread that found the slot empty
/// builds its own table and reads it. The contest makes all eight find it
/// empty unless one is held up for a whole build between asking and
/// checking, so the test asks only for the race to show.
#[test]
fn check_then_build_builds_more_than_once() {
    let contest = Contest::new(THREADS, LIMIT);
    let racy = CheckThenBuild::default();
    let outcome = contest.run(|| racy.with(|| contest.build(), |t| t.seen()));
    assert!(outcome.builds.len() > 1, "{outcome:?}");
    assert_eq!(outcome.tables_seen(), outcome.builds.len());
    assert_all_whole(&outcome);
}

#[test]
fn check_then_build_alone_builds_once() {
    let racy = CheckThenBuild::default();
    let first = racy.with(|| primes_table(1), |t| t.seen());
    let second = racy.with(|| primes_table(2), |t| t.seen());
    assert_eq!(first, second);
    assert_eq!(first.build, 1);
}

fn primes_table(build: usize) -> sync_primitives::once::Table {
    sync_primitives::once::Table {
        build,
        primes: primes_below(100),
    }
}

#[test]
fn holding_the_lock_across_the_build_builds_once() {
    let contest = Contest::new(THREADS, LIMIT);
    let locked = LockedBuild::default();
    let outcome = contest.run(|| locked.with(|| contest.build(), |t| t.seen()));
    assert_eq!(outcome.builds.len(), 1, "{outcome:?}");
    assert_eq!(outcome.tables_seen(), 1);
    assert_all_whole(&outcome);
}

#[test]
fn once_lock_readers_read_together_and_mutex_readers_take_turns() {
    let cell = OnceLock::new();
    cell.set(primes_table(1)).unwrap();
    let together = read_while_another_reads(
        |pause| {
            let _table = cell.get().unwrap();
            pause();
        },
        || cell.get().is_some(),
    );
    assert!(together);

    let locked = LockedBuild::default();
    locked.with(|| primes_table(1), |_| ());
    let together = read_while_another_reads(
        |pause| locked.with(|| unreachable!(), |_| pause()),
        || locked.try_with(|t| t.seen()).is_some(),
    );
    assert!(!together);
    // Once the first reader is done, the lock is free again.
    assert_eq!(locked.try_with(|t| t.build), Some(1));
}

#[test]
fn a_reader_that_never_pauses_proves_nothing() {
    assert!(!read_while_another_reads(|_| (), || true));
}
