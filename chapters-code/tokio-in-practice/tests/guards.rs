//! A `std` guard held across an `.await` hangs a current-thread runtime
//! when another task wants the lock; scoping the guard, or tokio's mutex,
//! finishes. The hung run's thread cannot be joined: it stays blocked
//! until the test program ends.

use std::time::Duration;

use support::guard::take_turns;
use tokio_in_practice::guards::{Hold, Outcome, lock_costs, run};

const INNER: Duration = Duration::from_millis(500);
const WATCHDOG: Duration = Duration::from_secs(3);

#[test]
fn a_std_guard_across_an_await_hangs_even_tokios_timeout() {
    match run(Hold::StdAcrossAwait, INNER, WATCHDOG) {
        Outcome::Hung { events } => {
            // It hung where the chapter says: B waiting for the lock.
            assert_eq!(events.last().unwrap(), "B wants the lock");
        }
        other => panic!("expected a hang, got {other:?}"),
    }
}

#[test]
fn a_scoped_std_guard_finishes_and_b_goes_between() {
    match run(Hold::StdScoped, INNER, WATCHDOG) {
        Outcome::Finished { connection, .. } => {
            assert_eq!(
                connection,
                ["A: request", "B: request", "A: reply read"]
            );
        }
        other => panic!("expected to finish, got {other:?}"),
    }
}

#[test]
fn a_tokio_guard_across_an_await_finishes_and_b_waits() {
    match run(Hold::TokioAcrossAwait, INNER, WATCHDOG) {
        Outcome::Finished { connection, events } => {
            assert_eq!(
                connection,
                ["A: request", "A: reply read", "B: request"]
            );
            // B asked while A held the lock, and got it only after.
            let at = |e: &str| events.iter().position(|x| x == e).unwrap();
            assert!(at("B wants the lock") < at("A read its reply, unlocks"));
            assert!(
                at("A read its reply, unlocks")
                    < at("B locked, sent its request, unlocks")
            );
        }
        other => panic!("expected to finish, got {other:?}"),
    }
}

/// Uncontended, tokio's mutex costs more than std's: its unlock goes
/// through a semaphore with a waiter list behind a lock of its own. A
/// comparison of medians, made side by side, with a few tries.
#[test]
fn tokios_mutex_costs_more_than_stds() {
    let _turn = take_turns();
    let mut tries = Vec::new();
    let more = (0..3).any(|_| {
        let (std, tokio) = lock_costs(21, 10_000);
        tries.push((std, tokio));
        tokio > std
    });
    assert!(more, "(std, tokio): {tries:?}");
}

/// A tokio guard held across an `.await` keeps the future `Send`: the
/// same task goes to `tokio::spawn` on a multi-thread runtime, and runs.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tokio_guard_across_an_await_may_be_spawned() {
    let connection = std::sync::Arc::new(tokio::sync::Mutex::new(Vec::new()));
    let shared = std::sync::Arc::clone(&connection);
    tokio::spawn(async move {
        let mut log = shared.lock().await;
        log.push("request");
        tokio::time::sleep(Duration::from_millis(10)).await;
        log.push("reply read");
    })
    .await
    .unwrap();
    assert_eq!(*connection.lock().await, ["request", "reply read"]);
}
