//! A `std::sync::MutexGuard` held across an `.await`, and the two fixes.
//!
//! Two tasks share a "connection", here a log of what was said on it.
//! Task A takes the lock, writes a request, and waits 10 ms for the reply
//! (a sleep stands in for the network); task B wants the lock meanwhile.
//! With a `std` guard held across A's wait, on a current-thread runtime,
//! B's `lock()` blocks the only thread, A's timer can never fire, and the
//! thread hangs for good. Scoping the `std` guard so that it is dropped
//! before the `.await`, or holding a `tokio::sync::Mutex` guard instead,
//! both finish.

use std::sync::{Arc, Mutex, mpsc};
use std::thread;
use std::time::{Duration, Instant};

use tokio::sync::oneshot;
use tokio::time::sleep;

/// How task A holds the lock while it waits for its reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hold {
    /// A `std::sync::MutexGuard` kept across the `.await`: the bug.
    StdAcrossAwait,
    /// A `std` guard dropped before the `.await`, and a new one taken
    /// after it.
    StdScoped,
    /// A `tokio::sync::MutexGuard` kept across the `.await`.
    TokioAcrossAwait,
}

impl Hold {
    /// All three, in the order the chapter shows them.
    pub const ALL: [Hold; 3] = [
        Hold::StdAcrossAwait,
        Hold::StdScoped,
        Hold::TokioAcrossAwait,
    ];

    /// What it is called in the output.
    pub fn name(self) -> &'static str {
        match self {
            Hold::StdAcrossAwait => "std guard held across .await",
            Hold::StdScoped => "std guard dropped before .await",
            Hold::TokioAcrossAwait => "tokio guard held across .await",
        }
    }
}

/// How long task A waits for its reply, holding the lock or not.
pub const ROUND_TRIP: Duration = Duration::from_millis(10);

/// The shared "connection": what each task said on it, in order.
type Connection = Vec<&'static str>;

/// Notes what happened, for the output; a plain `std` lock held for one
/// `push`, never across an `.await`.
#[derive(Clone, Default)]
struct Events(Arc<Mutex<Vec<String>>>);

impl Events {
    fn note(&self, event: impl Into<String>) {
        // A poisoned list only means a task panicked while noting.
        let mut events = self.0.lock().unwrap_or_else(|p| p.into_inner());
        events.push(event.into());
    }

    fn all(&self) -> Vec<String> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

// ANCHOR: std_across_await
/// Task A, wrong: the `std` guard lives until the end of the function, so
/// it is held across the `.await`. The future is not `Send` (a
/// `MutexGuard` must be unlocked by the thread that locked it), so only
/// `spawn_local` accepts it.
// Clippy's `await_holding_lock` warns about exactly this; here it is the
// bug on show.
#[allow(clippy::await_holding_lock)]
async fn a_std_across_await(
    conn: Arc<Mutex<Connection>>,
    b_may_go: oneshot::Sender<()>,
    events: Events,
) {
    // A poisoned lock only means another task panicked while holding it.
    let mut conn = conn.lock().unwrap_or_else(|p| p.into_inner());
    conn.push("A: request");
    events.note("A locked, sent its request");
    let _ = b_may_go.send(());
    events.note("A waits for its reply, holding the std guard");
    sleep(ROUND_TRIP).await; // B runs now, and blocks in `lock()`
    conn.push("A: reply read");
    events.note("A read its reply, unlocks");
}
// ANCHOR_END: std_across_await

// ANCHOR: std_scoped
/// Task A, fixed by scoping: each guard is dropped at the end of its
/// block, before any `.await`. Between the two blocks another task may use
/// the connection; when that is acceptable, this is the usual answer.
async fn a_std_scoped(
    conn: Arc<Mutex<Connection>>,
    b_may_go: oneshot::Sender<()>,
    events: Events,
) {
    {
        let mut conn = conn.lock().unwrap_or_else(|p| p.into_inner());
        conn.push("A: request");
        events.note("A locked, sent its request, unlocks");
    } // the guard is dropped here
    let _ = b_may_go.send(());
    events.note("A waits for its reply, holding nothing");
    sleep(ROUND_TRIP).await;
    let mut conn = conn.lock().unwrap_or_else(|p| p.into_inner());
    conn.push("A: reply read");
    events.note("A locked again, read its reply, unlocks");
}
// ANCHOR_END: std_scoped

// ANCHOR: tokio_across_await
/// Task A, fixed with tokio's mutex: its guard may be held across an
/// `.await`, because a task that wants the lock meanwhile waits with
/// `.await` too, and gives the thread back.
async fn a_tokio_across_await(
    conn: Arc<tokio::sync::Mutex<Connection>>,
    b_may_go: oneshot::Sender<()>,
    events: Events,
) {
    let mut conn = conn.lock().await;
    conn.push("A: request");
    events.note("A locked, sent its request");
    let _ = b_may_go.send(());
    events.note("A waits for its reply, holding the tokio guard");
    sleep(ROUND_TRIP).await; // B runs now, and waits in `lock().await`
    conn.push("A: reply read");
    events.note("A read its reply, unlocks");
}
// ANCHOR_END: tokio_across_await

/// What a run came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Both tasks finished: what was said on the connection, in order, and
    /// what happened.
    Finished {
        /// The connection's log.
        connection: Vec<&'static str>,
        /// The events, in order.
        events: Vec<String>,
    },
    /// Tokio's own `timeout` around the two tasks fired.
    TimedOut {
        /// The events before it fired.
        events: Vec<String>,
    },
    /// Neither finished nor timed out before the watchdog gave up: the
    /// runtime's thread is stuck.
    Hung {
        /// The events before the thread stuck.
        events: Vec<String>,
    },
}

/// Runs task A (holding the lock as `hold` says) and task B, which wants
/// the lock while A waits, on a current-thread runtime with a `LocalSet`
/// (so a future that is not `Send` may be spawned), inside tokio's own
/// `timeout(inner, ..)`. A watchdog, outside the runtime, gives up after
/// `watchdog`.
///
/// A hung run's thread is blocked in `lock()` for good: nothing can wake
/// it, so it cannot be joined. It is left behind, and ends with the
/// process. Only the `StdAcrossAwait` run leaves one.
pub fn run(hold: Hold, inner: Duration, watchdog: Duration) -> Outcome {
    let events = Events::default();
    let (done_tx, done_rx) = mpsc::channel();
    let seen = events.clone();
    // A hung run cannot be joined (see above); a finished one is joined
    // below.
    let runner = thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .expect("a current-thread runtime can be built");
        let local = tokio::task::LocalSet::new();
        let result = local.block_on(&runtime, async move {
            let both = two_tasks(hold, seen.clone());
            tokio::time::timeout(inner, both).await
        });
        let _ = done_tx.send(result);
    });
    match done_rx.recv_timeout(watchdog) {
        Ok(result) => {
            // It sent its result, so it is about to end.
            runner.join().expect("the runner does not panic");
            match result {
                Ok(connection) => Outcome::Finished {
                    connection,
                    events: events.all(),
                },
                Err(_elapsed) => Outcome::TimedOut {
                    events: events.all(),
                },
            }
        }
        Err(_) => Outcome::Hung {
            events: events.all(),
        },
    }
}

/// Spawns A and B on the current `LocalSet`, and returns what was said
/// on the connection once both are done.
async fn two_tasks(hold: Hold, events: Events) -> Connection {
    let (b_may_go, a_sent) = oneshot::channel();
    match hold {
        Hold::StdAcrossAwait | Hold::StdScoped => {
            let conn = Arc::new(Mutex::new(Connection::new()));
            let a = match hold {
                Hold::StdAcrossAwait => {
                    tokio::task::spawn_local(a_std_across_await(
                        Arc::clone(&conn),
                        b_may_go,
                        events.clone(),
                    ))
                }
                _ => tokio::task::spawn_local(a_std_scoped(
                    Arc::clone(&conn),
                    b_may_go,
                    events.clone(),
                )),
            };
            let b_conn = Arc::clone(&conn);
            let b = tokio::task::spawn_local(async move {
                // Sent by A once it has the lock; A holds the sender till then.
                let _ = a_sent.await;
                events.note("B wants the lock");
                let mut conn = b_conn.lock().unwrap_or_else(|p| p.into_inner());
                conn.push("B: request");
                events.note("B locked, sent its request, unlocks");
            });
            a.await.expect("A does not panic");
            b.await.expect("B does not panic");
            let conn = conn.lock().unwrap_or_else(|p| p.into_inner());
            conn.clone()
        }
        Hold::TokioAcrossAwait => {
            let conn = Arc::new(tokio::sync::Mutex::new(Connection::new()));
            let a = tokio::task::spawn_local(a_tokio_across_await(
                Arc::clone(&conn),
                b_may_go,
                events.clone(),
            ));
            let b_conn = Arc::clone(&conn);
            let b = tokio::task::spawn_local(async move {
                let _ = a_sent.await;
                events.note("B wants the lock");
                let mut conn = b_conn.lock().await;
                conn.push("B: request");
                events.note("B locked, sent its request, unlocks");
            });
            a.await.expect("A does not panic");
            b.await.expect("B does not panic");
            conn.lock().await.clone()
        }
    }
}

// ANCHOR: cost
/// The median time of one uncontended lock and unlock, for `std`'s mutex
/// and for tokio's (locked with `.await` inside `block_on`), each measured
/// as `samples` batches of `batch` pairs.
///
/// # Panics
/// If `samples` or `batch` is zero.
pub fn lock_costs(samples: usize, batch: u32) -> (Duration, Duration) {
    assert!(samples > 0 && batch > 0, "at least one sample of one pair");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a current-thread runtime can be built");
    let std_lock = Mutex::new(0u64);
    let tokio_lock = tokio::sync::Mutex::new(0u64);
    let (mut std_times, mut tokio_times) = (Vec::new(), Vec::new());
    // Alternate the two, so that a busy moment of the machine falls on
    // both alike.
    for _ in 0..samples {
        let start = Instant::now();
        for _ in 0..batch {
            // Never poisoned: nothing panics while holding it.
            *std::hint::black_box(&std_lock).lock().unwrap() += 1;
        }
        std_times.push(start.elapsed() / batch);
        let start = Instant::now();
        runtime.block_on(async {
            for _ in 0..batch {
                *std::hint::black_box(&tokio_lock).lock().await += 1;
            }
        });
        tokio_times.push(start.elapsed() / batch);
    }
    std_times.sort();
    tokio_times.sort();
    (std_times[samples / 2], tokio_times[samples / 2])
}
// ANCHOR_END: cost
