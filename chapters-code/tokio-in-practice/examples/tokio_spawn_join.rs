//! The Tokio chapter's cell `tokio_spawn_join`: `tokio::spawn` starts a task and
//! returns a `JoinHandle`, whose `.await` gives the task's result;
//! `tokio::join!` waits for several futures at once, inside one task.
//@ [[vary]]
//@ what = "elapsed time"
//@ pattern = '(\d+) ms'
// HIDE_START
use std::time::Duration;

use tokio::time::{Instant, sleep};
// HIDE_END

/// Pretends to fetch something that takes `ms` milliseconds.
async fn fetch(what: &'static str, ms: u64) -> String {
    sleep(Duration::from_millis(ms)).await;
    format!("{what} ({ms} ms)")
}

#[tokio::main]
async fn main() {
    // One after the other: the waits add up.
    let start = Instant::now();
    let user = fetch("user", 300).await;
    let orders = fetch("orders", 200).await;
    println!("sequential: {user}, {orders}");
    println!("  took {} ms", start.elapsed().as_millis());

    // join!: both futures are polled by this task; their waits overlap.
    let start = Instant::now();
    let (user, orders) = tokio::join!(fetch("user", 300), fetch("orders", 200));
    println!("join!:      {user}, {orders}");
    println!("  took {} ms", start.elapsed().as_millis());

    // spawn: each future becomes a task of its own, which the runtime may
    // run on any of its worker threads; the handles give the results.
    let start = Instant::now();
    let user = tokio::spawn(fetch("user", 300));
    let orders = tokio::spawn(fetch("orders", 200));
    // The tasks are already running; awaiting a handle only waits.
    // `fetch` cannot panic, so the handles cannot return an error.
    let user = user.await.expect("fetch does not panic");
    let orders = orders.await.expect("fetch does not panic");
    println!("spawn:      {user}, {orders}");
    println!("  took {} ms", start.elapsed().as_millis());

    // A task's panic does not bring the program down: its handle says so.
    // (The hook replaces Rust's panic message with a short line.)
    std::panic::set_hook(Box::new(|info| {
        let why = info.payload().downcast_ref::<&str>().unwrap_or(&"?");
        println!("a task panicked: {why}");
    }));
    let failing = tokio::spawn(async {
        let empty: Vec<u32> = Vec::new();
        empty.iter().sum::<u32>() / empty.len() as u32
    });
    match failing.await {
        Ok(n) => println!("the task returned {n}"),
        Err(e) if e.is_panic() => println!("the task panicked; main goes on"),
        Err(e) => println!("the task failed: {e}"),
    }
}
