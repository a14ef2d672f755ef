//! The Tokio chapter's cell `tokio_cancel_by_drop`: a future that is dropped at an
//! `.await` is never polled again. The code after that `.await` never
//! runs; its local variables are dropped. `JoinHandle::abort` does the same
//! to a task; dropping a `JoinHandle` does not.
// HIDE_START
use std::time::Duration;

use tokio::sync::mpsc;
use tokio::time::timeout;
use tokio_in_practice::cancel::{Log, ticking, transfer};
// HIDE_END

#[tokio::main]
async fn main() {
    let log = Log::printing();
    let wait = Duration::from_millis(100);

    println!("transfer with 200 ms to spare:");
    let outcome =
        timeout(Duration::from_millis(200), transfer(log.clone(), wait)).await;
    println!("  -> {outcome:?}");

    println!("transfer with only 50 ms:");
    let outcome =
        timeout(Duration::from_millis(50), transfer(log.clone(), wait)).await;
    println!("  -> {outcome:?}");

    println!("a transfer created, never awaited, dropped:");
    drop(transfer(log.clone(), wait));
    println!("  -> nothing ran");

    println!("a ticking task, aborted after two ticks:");
    let (tx, mut ticks) = mpsc::channel(1);
    let task =
        tokio::spawn(ticking(log.clone(), Duration::from_millis(50), tx));
    while ticks.recv().await != Some(2) {}
    task.abort();
    match task.await {
        Ok(()) => println!("  -> it finished?"),
        Err(e) => println!("  -> cancelled: {}", e.is_cancelled()),
    }

    println!("a ticking task whose handle is dropped:");
    let (tx, mut ticks) = mpsc::channel(1);
    drop(tokio::spawn(ticking(
        log.clone(),
        Duration::from_millis(50),
        tx,
    )));
    while ticks.recv().await != Some(3) {}
    println!("  -> still ticking after its handle was dropped; main returns");
    // Returning from main shuts the runtime down, which drops the task.
}
