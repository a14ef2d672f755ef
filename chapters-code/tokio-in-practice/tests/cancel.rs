//! Cancellation by drop: what ran and what never did.

use std::time::Duration;

use tokio::sync::mpsc;
use tokio::time::{sleep, timeout};
use tokio_in_practice::cancel::{Log, ticking, transfer};

#[tokio::test(start_paused = true)]
async fn a_future_dropped_at_its_await_never_runs_the_rest() {
    let log = Log::default();
    let outcome = timeout(
        Duration::from_millis(50),
        transfer(log.clone(), Duration::from_millis(100)),
    )
    .await;
    assert!(outcome.is_err(), "the timeout won");
    assert_eq!(
        log.lines(),
        [
            "transfer: step 1, take the money out",
            "transfer: guard dropped",
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn a_future_given_time_runs_to_the_end() {
    let log = Log::default();
    let outcome = timeout(
        Duration::from_millis(200),
        transfer(log.clone(), Duration::from_millis(100)),
    )
    .await;
    assert_eq!(outcome.unwrap(), "done");
    assert_eq!(log.lines().len(), 3);
    assert_eq!(log.lines()[2], "transfer: guard dropped");
}

#[tokio::test(start_paused = true)]
async fn a_future_never_polled_never_runs() {
    let log = Log::default();
    let future = transfer(log.clone(), Duration::from_millis(100));
    drop(future);
    // Not even the guard: it is created by the body, which never started.
    assert!(log.lines().is_empty());
}

#[tokio::test(start_paused = true)]
async fn abort_cancels_a_task_at_its_await() {
    let log = Log::default();
    let (tx, mut ticks) = mpsc::channel(1);
    let task =
        tokio::spawn(ticking(log.clone(), Duration::from_millis(50), tx));
    assert_eq!(ticks.recv().await, Some(1));
    assert_eq!(ticks.recv().await, Some(2));
    task.abort();
    let error = task.await.unwrap_err();
    assert!(error.is_cancelled());
    assert_eq!(log.lines().last().unwrap(), "ticker: guard dropped");
    // The channel closed with the task: no tick after the abort.
    assert_eq!(ticks.recv().await, None);
}

#[tokio::test(start_paused = true)]
async fn dropping_a_join_handle_does_not_cancel_the_task() {
    let log = Log::default();
    let (tx, mut ticks) = mpsc::channel(1);
    let task =
        tokio::spawn(ticking(log.clone(), Duration::from_millis(50), tx));
    drop(task); // detached, still running
    sleep(Duration::from_millis(500)).await;
    let mut seen = 0;
    while let Ok(Some(_)) =
        timeout(Duration::from_millis(100), ticks.recv()).await
    {
        seen += 1;
        if seen == 3 {
            break;
        }
    }
    assert_eq!(seen, 3, "the detached task kept ticking");
}

#[tokio::test(start_paused = true)]
async fn select_drops_the_losing_branch() {
    let log = Log::default();
    let winner = tokio::select! {
        done = transfer(log.clone(), Duration::from_millis(100)) => done,
        () = sleep(Duration::from_millis(10)) => "the timer",
    };
    assert_eq!(winner, "the timer");
    assert!(!log.lines().iter().any(|l| l.contains("step 2")));
    assert_eq!(log.lines().last().unwrap(), "transfer: guard dropped");
}
