//! What a thread costs: memory while it lives, and time to start and end.
//!
//! Each thread gets a stack of its own. The operating system *reserves* the
//! whole stack in the process's virtual address space at once (2 MiB for a
//! Rust thread unless asked otherwise), but it hands out real memory, pages of
//! 4 KiB, only as the stack is touched. So threads are expensive in virtual
//! memory, which is plentiful on a 64-bit machine, and cheap in resident
//! memory, which is what the machine really has.

use std::io;
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// The process's memory as the operating system reports it (from the
/// `support` crate: the book's other chapters measure it too).
pub use support::process::{Memory, memory};

/// A gate threads wait at until it opens.
#[derive(Default)]
///
/// A `Mutex<bool>` (is it open?) and a `Condvar` (something to sleep on until
/// it changes): the chapters on shared state and on the synchronization toolbox
/// explain both.
struct Gate {
    open: Mutex<bool>,
    opened: Condvar,
}

impl Gate {
    fn wait(&self) {
        // Nobody panics while holding the gate's lock: unwrap is safe.
        let open = self.open.lock().unwrap();
        drop(self.opened.wait_while(open, |open| !*open).unwrap());
    }

    fn open(&self) {
        *self.open.lock().unwrap() = true;
        self.opened.notify_all();
    }
}

// ANCHOR: idle_threads
/// Starts `n` threads with stacks of `stack` bytes that only wait, runs
/// `while_alive` once they have all started, then lets them end and joins
/// them. Fails if the system refuses to start a thread (after ending the
/// ones it did start).
pub fn with_idle_threads<T>(
    n: usize,
    stack: usize,
    while_alive: impl FnOnce() -> T,
) -> io::Result<T> {
    let gate = Arc::new(Gate::default());
    let (started, started_rx) = mpsc::channel();
    let mut handles = Vec::with_capacity(n);
    let mut refused = None;
    for i in 0..n {
        let (gate, started) = (Arc::clone(&gate), started.clone());
        let spawned = thread::Builder::new()
            .name(format!("idle-{i}"))
            .stack_size(stack)
            .spawn(move || {
                // Tell the main thread we run, then wait for the gate.
                let _ = started.send(());
                gate.wait();
            });
        match spawned {
            Ok(handle) => handles.push(handle),
            Err(e) => {
                refused = Some(e);
                break;
            }
        }
    }
    // Wait until every thread that was started is really running.
    for _ in 0..handles.len() {
        // Each thread sends before it waits: the channel stays open.
        started_rx.recv().expect("a started thread reports in");
    }
    let result = if refused.is_none() {
        Some(while_alive())
    } else {
        None
    };
    gate.open();
    for handle in handles {
        // An idle thread only waits: it cannot panic.
        handle.join().expect("an idle thread ends cleanly");
    }
    match (result, refused) {
        (Some(result), _) => Ok(result),
        (None, Some(e)) => Err(e),
        (None, None) => unreachable!("no result only when a spawn failed"),
    }
}
// ANCHOR_END: idle_threads

// ANCHOR: spawn_time
/// Average time to start a thread that does nothing and join it.
pub fn spawn_and_join(times: u32) -> Duration {
    let start = Instant::now();
    for _ in 0..times {
        // The thread does nothing, so it cannot panic.
        thread::spawn(|| ()).join().unwrap();
    }
    start.elapsed() / times.max(1)
}

/// Average time per job when the jobs go to one thread that is already
/// running, over a channel, instead of each getting a thread of its own:
/// send them all, then collect every answer.
pub fn reuse_thread(times: u32) -> Duration {
    let (jobs, inbox) = mpsc::channel::<u32>();
    let (answers, answers_rx) = mpsc::channel::<u32>();
    let start = Instant::now();
    let worker = thread::spawn(move || {
        for job in inbox {
            // We collect every answer below, so the receiver is still there.
            answers.send(job + 1).unwrap();
        }
    });
    for n in 0..times {
        // The worker runs until `jobs` is dropped, below.
        jobs.send(n).unwrap();
    }
    drop(jobs);
    // The worker answers every job before it ends: `times` answers come.
    let answered = answers_rx.iter().count();
    worker.join().expect("the worker only forwards numbers");
    assert_eq!(answered, times as usize);
    start.elapsed() / times.max(1)
}
// ANCHOR_END: spawn_time
