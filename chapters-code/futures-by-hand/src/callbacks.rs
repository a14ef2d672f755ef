//! The style futures replace: a single-threaded event loop that calls a
//! function back when a timer expires, as the event loop chapter's loop
//! called handlers when a socket was ready. Only timers here, to keep it
//! tiny.

use std::thread;
use std::time::{Duration, Instant};

// ANCHOR: event_loop
/// A callback: what to run when its time comes, given the loop so that it
/// can schedule more callbacks.
type Callback = Box<dyn FnOnce(&mut EventLoop)>;

/// Runs callbacks when their timers expire, one at a time, on one thread.
#[derive(Default)]
pub struct EventLoop {
    /// (when, order of scheduling, what): earliest first when run.
    timers: Vec<(Instant, u64, Callback)>,
    scheduled: u64,
}

impl EventLoop {
    /// An event loop with nothing scheduled.
    pub fn new() -> Self {
        EventLoop::default()
    }

    /// Calls `callback` once `delay` has passed.
    pub fn set_timeout(
        &mut self,
        delay: Duration,
        callback: impl FnOnce(&mut EventLoop) + 'static,
    ) {
        self.set_deadline(Instant::now() + delay, callback);
    }

    /// Calls `callback` at `due`. Callbacks due at the same instant run in
    /// the order they were scheduled.
    pub fn set_deadline(
        &mut self,
        due: Instant,
        callback: impl FnOnce(&mut EventLoop) + 'static,
    ) {
        self.scheduled += 1;
        self.timers.push((due, self.scheduled, Box::new(callback)));
    }

    /// Runs until no callback is left: sleep until the earliest timer is
    /// due, call its callback, repeat.
    pub fn run(&mut self) {
        while let Some(next) = self.earliest() {
            let (due, _, callback) = self.timers.swap_remove(next);
            thread::sleep(due.saturating_duration_since(Instant::now()));
            callback(self);
        }
    }

    fn earliest(&self) -> Option<usize> {
        (0..self.timers.len())
            .min_by_key(|&i| (self.timers[i].0, self.timers[i].1))
    }
}
// ANCHOR_END: event_loop
