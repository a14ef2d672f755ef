//! The Tokio chapter's cell `tokio_select`: `select!` races futures and takes the
//! first to finish, dropping the others; `timeout` is that race with a
//! timer, packaged. Then `select!` in a loop: work on every tick until a
//! shutdown signal comes.
//@ runs = 20
// HIDE_START
use std::time::Duration;

use tokio::sync::mpsc;
use tokio::time::{interval, sleep, timeout};
use tokio_util::sync::CancellationToken;
// HIDE_END

/// A value that takes `ms` milliseconds to compute.
async fn answer(ms: u64) -> u32 {
    sleep(Duration::from_millis(ms)).await;
    42
}

#[tokio::main]
async fn main() {
    // ANCHOR: race
    for ms in [50, 500] {
        tokio::select! {
            value = answer(ms) => println!("{ms} ms: the value won: {value}"),
            () = sleep(Duration::from_millis(200)) => {
                println!("{ms} ms: the 200 ms timer won; the value was dropped")
            }
        }
    }
    // The same race, as one call.
    match timeout(Duration::from_millis(200), answer(500)).await {
        Ok(value) => println!("timeout: got {value}"),
        Err(elapsed) => println!("timeout: {elapsed}"),
    }
    // ANCHOR_END: race

    // ANCHOR: loop
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
                        println!("worker: tick {n}, doing a little work");
                        let _ = ticks_tx.send(n).await;
                    }
                    () = shutdown.cancelled() => {
                        println!("worker: shutdown asked after {n} ticks; cleaning up");
                        break n;
                    }
                }
            }
        }
    });
    // Someone else decides when to stop: here, after three ticks.
    while let Some(n) = ticks.recv().await {
        if n == 3 {
            println!("main: asking the worker to stop");
            shutdown.cancel();
            break;
        }
    }
    let ticked = worker.await.expect("the worker does not panic");
    println!("main: the worker stopped after {ticked} ticks");
    // ANCHOR_END: loop
}
