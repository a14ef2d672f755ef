//! Tasks and waiting, in paused time: the timings of the `tokio_spawn_join`
//! cell exactly, a task's panic caught at its boundary, the `select!` loop
//! of the `tokio_select` cell, and a detached task dropped only when its
//! runtime shuts down.

use std::time::Duration;

use tokio::sync::mpsc;
use tokio::time::{Instant, interval, sleep};
use tokio_in_practice::cancel::{Log, ticking};
use tokio_util::sync::CancellationToken;

async fn fetch(ms: u64) -> u64 {
    sleep(Duration::from_millis(ms)).await;
    ms
}

/// One after the other, the waits add up; with `join!` or two tasks, they
/// overlap.
#[tokio::test(start_paused = true)]
async fn sequential_adds_up_join_and_spawn_overlap() {
    let start = Instant::now();
    let a = fetch(300).await;
    let b = fetch(200).await;
    assert_eq!((a, b), (300, 200));
    assert_eq!(start.elapsed(), Duration::from_millis(500));

    let start = Instant::now();
    assert_eq!(tokio::join!(fetch(300), fetch(200)), (300, 200));
    assert_eq!(start.elapsed(), Duration::from_millis(300));

    let start = Instant::now();
    let a = tokio::spawn(fetch(300));
    let b = tokio::spawn(fetch(200));
    assert_eq!((a.await.unwrap(), b.await.unwrap()), (300, 200));
    assert_eq!(start.elapsed(), Duration::from_millis(300));
}

/// A panic in a task does not take the program down: its handle returns an
/// error with `is_panic()` set.
#[tokio::test]
async fn a_panicking_task_reports_through_its_handle() {
    let task = tokio::spawn(async {
        panic!("a deliberate panic, for the test");
    });
    let error = task.await.unwrap_err();
    assert!(error.is_panic());
    assert!(!error.is_cancelled());
}

/// The `select!` loop of the `tokio_select` cell: a tick every 100 ms
/// until the token is cancelled after the third; it stops at once.
#[tokio::test(start_paused = true)]
async fn the_select_loop_stops_after_three_ticks() {
    let start = Instant::now();
    let shutdown = CancellationToken::new();
    let (ticks_tx, mut ticks) = mpsc::channel(8);
    let worker = tokio::spawn({
        let shutdown = shutdown.clone();
        async move {
            let mut every = interval(Duration::from_millis(100));
            let mut n = 0;
            loop {
                tokio::select! {
                    _ = every.tick() => {
                        n += 1;
                        let _ = ticks_tx.send(n).await;
                    }
                    () = shutdown.cancelled() => break n,
                }
            }
        }
    });
    while let Some(n) = ticks.recv().await {
        if n == 3 {
            shutdown.cancel();
            break;
        }
    }
    assert_eq!(worker.await.unwrap(), 3);
    // Ticks at 0, 100 and 200 ms; the stop came right after the third.
    assert_eq!(start.elapsed(), Duration::from_millis(200));
}

/// A detached task keeps running after its handle is dropped, and its
/// future (with its guard) is dropped only when the runtime shuts down.
#[test]
fn a_detached_task_is_dropped_at_runtime_shutdown() {
    let log = Log::default();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .unwrap();
    runtime.block_on(async {
        let (tx, mut ticks) = mpsc::channel(1);
        drop(tokio::spawn(ticking(
            log.clone(),
            Duration::from_millis(50),
            tx,
        )));
        for expected in 1..=3 {
            assert_eq!(ticks.recv().await, Some(expected));
        }
    });
    let guard = "ticker: guard dropped";
    assert!(!log.lines().iter().any(|l| l == guard), "{:?}", log.lines());
    drop(runtime);
    assert_eq!(log.lines().last().unwrap(), guard);
}
