//! "`.await` does not mean non-blocking", measured.
//!
//! A ticker task wants to run every 10 ms. A handler task, on the same
//! current-thread runtime, does 200 ms of work in one of five ways: not
//! at all, `std::thread::sleep`, a CPU loop, the CPU loop handed to
//! `spawn_blocking`, or the CPU loop handed to a rayon pool with a oneshot
//! channel for the answer. How late the ticker's ticks come shows what
//! each way does to every other task on the thread.

use std::thread;
use std::time::Duration;

use support::measure::spin_cpu;
use tokio::sync::oneshot;
use tokio::time::{Instant, sleep, sleep_until};

/// The ways the handler does its work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Work {
    /// No work: the ticker alone, for comparison.
    Nothing,
    /// `std::thread::sleep` inside the task: a blocking call.
    ThreadSleep,
    /// A CPU loop inside the task: a long computation.
    Compute,
    /// The CPU loop on tokio's blocking pool, awaited.
    SpawnBlocking,
    /// The CPU loop on rayon's pool, its answer sent back on a oneshot.
    Rayon,
}

impl Work {
    /// All five, in the order the chapter shows them.
    pub const ALL: [Work; 5] = [
        Work::Nothing,
        Work::ThreadSleep,
        Work::Compute,
        Work::SpawnBlocking,
        Work::Rayon,
    ];

    /// What it is called in tables.
    pub fn name(self) -> &'static str {
        match self {
            Work::Nothing => "no work",
            Work::ThreadSleep => "thread::sleep in the task",
            Work::Compute => "CPU loop in the task",
            Work::SpawnBlocking => "CPU loop in spawn_blocking",
            Work::Rayon => "CPU loop on rayon",
        }
    }
}

/// One run: when each tick was due and when it came, and when and where
/// the work ran.
#[derive(Debug, Clone)]
pub struct Run {
    /// What the handler did.
    pub work: Work,
    /// (due, came), since the run's start.
    pub ticks: Vec<(Duration, Duration)>,
    /// The work's (start, end) since the run's start, if there was work.
    pub span: Option<(Duration, Duration)>,
    /// Whether the work ran on the runtime's own thread.
    pub on_runtime_thread: bool,
}

impl Run {
    /// How late each tick came.
    pub fn lateness(&self) -> Vec<Duration> {
        self.ticks.iter().map(|&(due, came)| came - due).collect()
    }

    /// The latest tick's lateness.
    pub fn worst(&self) -> Duration {
        self.lateness().into_iter().max().unwrap_or_default()
    }

    /// The median lateness.
    pub fn median(&self) -> Duration {
        let mut all = self.lateness();
        all.sort();
        all.get(all.len() / 2).copied().unwrap_or_default()
    }
}

/// The ticker's period, and how many ticks a run lasts.
pub const PERIOD: Duration = Duration::from_millis(10);
/// Ticks per run: 400 ms.
pub const TICKS: u32 = 40;
/// When the handler starts its work.
pub const WORK_AT: Duration = Duration::from_millis(100);

// ANCHOR: ticker
/// Wakes every `PERIOD` and notes how late each wake-up came. A tick that
/// comes late does not move the next one: the schedule stays fixed.
async fn ticker(start: Instant) -> Vec<(Duration, Duration)> {
    let mut ticks = Vec::new();
    for n in 1..=TICKS {
        let due = start + PERIOD * n;
        sleep_until(due).await;
        ticks.push((due - start, start.elapsed()));
    }
    ticks
}
// ANCHOR_END: ticker

// ANCHOR: handler
/// Waits until `WORK_AT`, then does `cost` of work the way `work` says.
/// Returns whether the work ran on this thread.
async fn handler(work: Work, cost: Duration) -> bool {
    sleep(WORK_AT).await;
    let here = thread::current().id();
    match work {
        Work::Nothing => true,
        // Both of these hold the runtime's only thread.
        Work::ThreadSleep => {
            thread::sleep(cost);
            true
        }
        Work::Compute => {
            spin_cpu(cost);
            true
        }
        // The work moves to another thread; this task waits for it
        // with `.await`, and the runtime's thread is free meanwhile.
        Work::SpawnBlocking => {
            let ran_on = tokio::task::spawn_blocking(move || {
                spin_cpu(cost);
                thread::current().id()
            });
            // Only a panic in the closure makes this an error.
            ran_on.await.expect("the computation panicked") == here
        }
        Work::Rayon => {
            let (tx, rx) = oneshot::channel();
            rayon::spawn(move || {
                spin_cpu(cost);
                // The receiver waits for this; it is never dropped first.
                let _ = tx.send(thread::current().id());
            });
            rx.await.expect("rayon dropped the computation") == here
        }
    }
}
// ANCHOR_END: handler

/// Runs the ticker and a handler that does `cost` of work as `work` says,
/// on a fresh current-thread runtime.
pub fn run(work: Work, cost: Duration) -> Run {
    // ANCHOR: runtime
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a current-thread runtime can be built");
    // ANCHOR_END: runtime
    runtime.block_on(async move {
        let start = Instant::now();
        let handler = tokio::spawn(async move {
            let on_runtime_thread = handler(work, cost).await;
            let end = start.elapsed();
            (on_runtime_thread, end)
        });
        let ticks = tokio::spawn(ticker(start))
            .await
            .expect("the ticker does not panic");
        let (on_runtime_thread, end) =
            handler.await.expect("the handler does not panic");
        let span = (work != Work::Nothing).then_some((WORK_AT, end));
        Run {
            work,
            ticks,
            span,
            on_runtime_thread,
        }
    })
}
