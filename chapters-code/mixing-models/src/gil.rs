//! A global interpreter lock, simulated.
//!
//! CPython, the usual Python, runs Python code in threads that must hold
//! one lock, the *global interpreter lock* (GIL), to execute bytecode. So
//! only one thread runs Python code at a time, whatever the number of
//! cores. A thread lets go of the GIL when it blocks in I/O (a socket
//! read, a sleep), and a thread that computes is asked to let go every few
//! milliseconds (the *switch interval*, 5 ms by default) so that the
//! others get turns.
//!
//! Here an "interpreter thread" is a Rust thread that follows the same
//! rules with a [`Gil`]: it holds it while computing, in slices of
//! [`SWITCH_INTERVAL`], and releases it while waiting. Every span in which
//! a thread held the GIL is recorded, as is every wait.

use std::sync::{Condvar, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use support::measure::{spin_cpu, thread_cpu_time};

/// CPython's default switch interval (`sys.getswitchinterval()`).
pub const SWITCH_INTERVAL: Duration = Duration::from_millis(5);

// ANCHOR: gil
/// A lock that hands itself over in turn: a thread that releases it and
/// asks again queues behind those already waiting, as CPython's GIL
/// forces a switch when another thread has asked for it. A plain `Mutex`
/// would let the releasing thread take it straight back.
#[derive(Debug, Default)]
pub struct Gil {
    /// (the next ticket to hand out, the ticket now served).
    tickets: Mutex<(u64, u64)>,
    turn: Condvar,
}

impl Gil {
    /// Waits for this thread's turn, then holds the GIL until `release`.
    pub fn acquire(&self) {
        let mut t = self.lock();
        let mine = t.0;
        t.0 += 1;
        while t.1 != mine {
            // Waiting here is sleeping, not spinning: no CPU is used.
            t = self.turn.wait(t).unwrap_or_else(|e| e.into_inner());
        }
    }

    /// Lets the next thread in line run.
    pub fn release(&self) {
        self.lock().1 += 1;
        self.turn.notify_all();
    }

    /// How many threads are queued for the GIL (not counting its holder).
    pub fn waiting(&self) -> u64 {
        let t = self.lock();
        t.0.saturating_sub(t.1 + 1)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, (u64, u64)> {
        // Only the two counters are behind the lock, and no code that
        // could panic runs while it is held.
        self.tickets.lock().unwrap_or_else(|e| e.into_inner())
    }
}
// ANCHOR_END: gil

/// What an interpreter thread does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Work {
    /// Blocking I/O of this length (a sleep stands for a socket read).
    Io(Duration),
    /// Python code that computes for this much CPU time.
    Cpu(Duration),
}

/// A span of one thread's life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Holding the GIL, running "bytecode".
    Running,
    /// Blocked in I/O, the GIL released.
    Waiting,
}

/// One span of one thread, since the run's start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// Which thread, from 0.
    pub thread: usize,
    /// What it was doing.
    pub state: State,
    /// When it began.
    pub start: Duration,
    /// When it ended.
    pub end: Duration,
}

/// A run of several interpreter threads.
#[derive(Debug, Clone)]
pub struct GilRun {
    /// Every span of every thread.
    pub spans: Vec<Span>,
    /// Wall time of the run.
    pub wall: Duration,
    /// CPU time the interpreter threads used, summed.
    pub cpu: Duration,
}

impl GilRun {
    /// The spans in a state.
    pub fn in_state(&self, state: State) -> Vec<Span> {
        self.spans
            .iter()
            .copied()
            .filter(|s| s.state == state)
            .collect()
    }

    /// Whether two spans of `state` from different threads overlap.
    pub fn any_overlap(&self, state: State) -> bool {
        let spans = self.in_state(state);
        spans.iter().enumerate().any(|(i, a)| {
            spans[i + 1..].iter().any(|b| {
                a.thread != b.thread && a.start < b.end && b.start < a.end
            })
        })
    }
}

// ANCHOR: interpreter
/// An interpreter thread: holds the GIL to run code, lets go of it to
/// wait, and lets go every switch interval while computing.
fn interpret(
    gil: Option<&Gil>,
    work: Work,
    me: usize,
    t0: Instant,
) -> Vec<Span> {
    let mut spans = Vec::new();
    // Runs `f` holding the GIL (when there is one), recording the span
    // between acquiring and releasing.
    let run = |spans: &mut Vec<Span>, f: &dyn Fn()| {
        if let Some(gil) = gil {
            gil.acquire();
        }
        let start = t0.elapsed();
        f();
        let end = t0.elapsed();
        if let Some(gil) = gil {
            gil.release();
        }
        spans.push(Span {
            thread: me,
            state: State::Running,
            start,
            end,
        });
    };
    match work {
        Work::Io(wait) => {
            // Some bytecode to make the request...
            run(&mut spans, &|| {
                spin_cpu(Duration::from_micros(200));
            });
            // ...then the blocking read, without the GIL...
            let start = t0.elapsed();
            thread::sleep(wait);
            let end = t0.elapsed();
            spans.push(Span {
                thread: me,
                state: State::Waiting,
                start,
                end,
            });
            // ...and the GIL again to handle the answer.
            run(&mut spans, &|| {
                spin_cpu(Duration::from_micros(200));
            });
        }
        Work::Cpu(total) => {
            let mut left = total;
            while !left.is_zero() {
                let slice = left.min(SWITCH_INTERVAL);
                run(&mut spans, &|| {
                    spin_cpu(slice);
                });
                left -= slice;
            }
        }
    }
    spans
}
// ANCHOR_END: interpreter

/// Runs one interpreter thread per item of `work`, all started together,
/// under a shared GIL, or with none (`with_gil` false: free-threaded).
pub fn run(work: &[Work], with_gil: bool) -> GilRun {
    let gil = Gil::default();
    let gil = with_gil.then_some(&gil);
    let t0 = Instant::now();
    let (spans, cpu) = thread::scope(|s| {
        let handles: Vec<_> = work
            .iter()
            .enumerate()
            .map(|(me, &w)| {
                s.spawn(move || {
                    let spans = interpret(gil, w, me, t0);
                    (spans, thread_cpu_time())
                })
            })
            .collect();
        let mut all = Vec::new();
        let mut cpu = Duration::ZERO;
        for handle in handles {
            // `interpret` does not panic: its locks recover from poison.
            let (spans, used) = handle.join().expect("a thread panicked");
            all.extend(spans);
            cpu += used;
        }
        (all, cpu)
    });
    let mut spans = spans;
    spans.sort_by_key(|s| (s.start, s.thread));
    GilRun {
        spans,
        wall: t0.elapsed(),
        cpu,
    }
}
