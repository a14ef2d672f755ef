//! A task that holds a `std::sync::MutexGuard` across an `.await` cannot
//! be given to `tokio::spawn`. The task may move to another worker thread
//! at that `.await`, and a `MutexGuard` must be unlocked by the thread
//! that locked it, so it is not `Send`, and neither is the future.
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[tokio::main]
async fn main() {
    let connection = Arc::new(Mutex::new(Vec::new()));
    let task = tokio::spawn(async move {
        let mut log = connection.lock().unwrap();
        log.push("request");
        tokio::time::sleep(Duration::from_millis(10)).await;
        log.push("reply read");
    });
    task.await.unwrap();
}
