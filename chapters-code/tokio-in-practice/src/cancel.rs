//! Cancellation by drop. A future runs only while it is polled; a future
//! that is dropped is never polled again. Whatever it was waiting for at
//! its `.await` never comes back, the code after that `.await` never runs,
//! and its local variables are dropped, so their `Drop` runs. This module
//! keeps a log of what ran, for the cell to print and the tests to check.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::mpsc;
use tokio::time::sleep;

/// What ran, in order. Clones share one log.
#[derive(Debug, Clone, Default)]
pub struct Log {
    lines: Arc<Mutex<Vec<String>>>,
    print: bool,
}

impl Log {
    /// A log that also prints each line as it is written.
    pub fn printing() -> Log {
        Log {
            print: true,
            ..Log::default()
        }
    }

    /// Writes a line.
    pub fn say(&self, line: impl Into<String>) {
        let line = line.into();
        if self.print {
            println!("  {line}");
        }
        self.lines
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .push(line);
    }

    /// Every line so far.
    pub fn lines(&self) -> Vec<String> {
        self.lines
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }
}

// ANCHOR: guard
/// Says so in the log when it is dropped: at the end of its scope, or when
/// the future holding it is dropped.
#[derive(Debug)]
pub struct Guard {
    name: &'static str,
    log: Log,
}

impl Guard {
    /// A guard named `name`.
    pub fn new(name: &'static str, log: &Log) -> Guard {
        Guard {
            name,
            log: log.clone(),
        }
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        self.log.say(format!("{}: guard dropped", self.name));
    }
}

/// Two steps with a wait between them: if the future is dropped during
/// the wait, step 2 never runs, and the guard still says goodbye.
pub async fn transfer(log: Log, wait: Duration) -> &'static str {
    let _guard = Guard::new("transfer", &log);
    log.say("transfer: step 1, take the money out");
    sleep(wait).await;
    log.say("transfer: step 2, put the money in");
    "done"
}
// ANCHOR_END: guard

/// Ticks forever, every `period`, reporting each tick on `ticks`.
pub async fn ticking(log: Log, period: Duration, ticks: mpsc::Sender<u32>) {
    let _guard = Guard::new("ticker", &log);
    for n in 1.. {
        log.say(format!("ticker: tick {n}"));
        // The receiver may be gone; the ticker does not care.
        let _ = ticks.send(n).await;
        sleep(period).await;
    }
}
