//! "`.await` does not mean non-blocking": proven by order where possible,
//! and by relative timings with generous margins where not.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio_in_practice::stall::{Work, run};
use tokio_in_practice::starve::{budget, hog_and_neighbour};

/// While one task sleeps with `std::thread::sleep`, no other task of a
/// current-thread runtime makes any progress: a counter that another task
/// bumps on every turn does not move.
#[test]
fn a_blocking_call_stops_every_task_on_the_thread() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let turns = Arc::new(AtomicUsize::new(0));
    let (before, after) = runtime.block_on(async {
        let counter = Arc::clone(&turns);
        let busy = tokio::spawn(async move {
            loop {
                counter.fetch_add(1, Ordering::SeqCst);
                tokio::task::yield_now().await;
            }
        });
        // Let the counter run a few turns.
        for _ in 0..10 {
            tokio::task::yield_now().await;
        }
        let before = turns.load(Ordering::SeqCst);
        std::thread::sleep(Duration::from_millis(50));
        let after = turns.load(Ordering::SeqCst);
        busy.abort();
        (before, after)
    });
    assert!(before > 0, "the counter ran before");
    assert_eq!(before, after, "the counter ran during the blocking sleep");
}

/// Inline, the work holds the ticker back by at least most of its own
/// length: a sleep cannot be shorter, and a CPU loop takes at least its CPU
/// time. Moved to `spawn_blocking` or to rayon, it runs on another thread,
/// and the ticker is late by far less than inline. The machine may be busy,
/// so the offloaded run is compared with an inline run made beside it, by
/// a generous factor, and not with a fixed number.
#[test]
fn offloading_keeps_the_ticker_on_time() {
    let cost = Duration::from_millis(200);
    for work in [Work::ThreadSleep, Work::Compute] {
        let inline = run(work, cost);
        assert!(inline.on_runtime_thread);
        assert!(inline.worst() >= Duration::from_millis(150), "{work:?}");
    }
    for work in [Work::SpawnBlocking, Work::Rayon] {
        let mut tries = Vec::new();
        let better = (0..3).any(|_| {
            let inline = run(Work::Compute, cost);
            let offloaded = run(work, cost);
            assert!(!offloaded.on_runtime_thread, "{work:?} ran elsewhere");
            tries.push((inline.worst(), offloaded.worst()));
            offloaded.worst() * 3 < inline.worst()
        });
        assert!(
            better,
            "{work:?}: worst lateness (inline, offloaded) {tries:?}"
        );
    }
}

#[test]
fn a_task_that_never_yields_runs_to_the_end_first() {
    let events = hog_and_neighbour(3, Duration::from_millis(5), false);
    assert_eq!(
        events,
        [
            "A computed chunk 1",
            "A computed chunk 2",
            "A computed chunk 3",
            "B ran, step 1",
            "B ran, step 2",
            "B ran, step 3",
        ]
    );
}

#[test]
fn yielding_lets_the_neighbour_in_between() {
    let events = hog_and_neighbour(3, Duration::from_millis(5), true);
    let b1 = events.iter().position(|e| e == "B ran, step 1").unwrap();
    let a3 = events
        .iter()
        .position(|e| e == "A computed chunk 3")
        .unwrap();
    assert!(b1 < a3, "{events:?}");
}

/// Not a promise of tokio's, but what tokio 1.54 does, and what the page
/// explains step by step: a yielding task goes on a deferred list, and the
/// list is woken last in, first out, so A runs chunks 2 and 3 back to
/// back. If a tokio upgrade breaks this test, rewrite the page's step list
/// (section "A task that never yields") to match the new order.
#[test]
fn yielded_tasks_are_woken_last_in_first_out() {
    let events = hog_and_neighbour(3, Duration::from_millis(5), true);
    assert_eq!(
        events,
        [
            "A computed chunk 1",
            "B ran, step 1",
            "B ran, step 2",
            "A computed chunk 2",
            "A computed chunk 3",
            "B ran, step 3",
        ]
    );
}

#[test]
fn the_budget_makes_an_always_ready_task_yield() {
    // Tokio's budget is 128 operations per turn (tokio is pinned by the
    // lock file; a new version could change the number).
    assert_eq!(budget(1000, true), 128, "B ran after 128 messages");
    assert_eq!(budget(1000, false), 1000, "unconstrained: B ran last");
}
