//! Starvation: a thread that could run, and is never let in.
//!
//! [`RwLock`] here is a reader-writer lock built from a mutex and a
//! condition variable, in two flavours. The *reader-preferring* one lets a
//! reader in whenever no writer is inside, so as long as readers keep
//! overlapping, a waiting writer never finds the lock empty. The *fair* one
//! stops letting new readers in as soon as a writer waits; the readers inside
//! finish, and the writer goes next.

use std::sync::{Condvar, Mutex};
use std::thread;
use std::time::{Duration, Instant};

#[derive(Debug, Default)]
struct State {
    readers: usize,
    writer: bool,
    writers_waiting: usize,
}

// ANCHOR: rwlock
/// A reader-writer lock; `fair` decides whether a waiting writer holds new
/// readers back.
#[derive(Debug, Default)]
pub struct RwLock {
    state: Mutex<State>,
    changed: Condvar,
    fair: bool,
}

impl RwLock {
    pub fn new(fair: bool) -> RwLock {
        RwLock {
            fair,
            ..RwLock::default()
        }
    }

    /// Runs `f` with the lock held for reading.
    pub fn read<T>(&self, f: impl FnOnce() -> T) -> T {
        // Nothing panics while holding the state lock: unwrap is safe.
        let mut s = self.state.lock().unwrap();
        while s.writer || (self.fair && s.writers_waiting > 0) {
            s = self.changed.wait(s).unwrap();
        }
        s.readers += 1;
        drop(s);
        let value = f();
        self.state.lock().unwrap().readers -= 1;
        self.changed.notify_all();
        value
    }

    /// Runs `f` with the lock held for writing.
    pub fn write<T>(&self, f: impl FnOnce() -> T) -> T {
        let mut s = self.state.lock().unwrap();
        s.writers_waiting += 1;
        while s.writer || s.readers > 0 {
            s = self.changed.wait(s).unwrap();
        }
        s.writers_waiting -= 1;
        s.writer = true;
        drop(s);
        let value = f();
        self.state.lock().unwrap().writer = false;
        self.changed.notify_all();
        value
    }
}
// ANCHOR_END: rwlock

/// How long a writer waited while `readers` threads kept reading, each
/// holding the lock for `hold` at a time, for `period` in all. The writer
/// arrives shortly after the readers start.
pub fn writer_wait(
    fair: bool,
    readers: usize,
    hold: Duration,
    period: Duration,
) -> Duration {
    let lock = RwLock::new(fair);
    let start = Instant::now();
    thread::scope(|s| {
        for r in 0..readers {
            let lock = &lock;
            s.spawn(move || {
                // Staggered starts, so that the readers overlap.
                thread::sleep(hold * r as u32 / readers as u32);
                while start.elapsed() < period {
                    lock.read(|| thread::sleep(hold));
                }
            });
        }
        thread::sleep(hold * 2);
        let asked = Instant::now();
        lock.write(|| asked.elapsed())
    })
}
