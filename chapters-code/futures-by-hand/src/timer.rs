//! A future that becomes ready after a delay. Its first poll starts a
//! thread that sleeps for the delay, then marks the timer done and wakes
//! whoever waits. One thread per timer is wasteful; the next chapter puts
//! every timer of a program on one thread. Dropping a timer that has not
//! fired cancels it and joins its thread.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Condvar, Mutex};
use std::task::{Context, Poll};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use support::sequence::note;
use support::timeline::Timeline;

use crate::completion::Completion;

// ANCHOR: timer
/// Ready after `delay`, counted from its first poll.
#[derive(Debug)]
pub struct Timer {
    delay: Duration,
    /// None until the first poll starts the thread.
    running: Option<Running>,
    trace: Option<(Arc<Timeline>, String)>,
    /// Its lane in a recorded sequence; its thread's is "<lane>'s thread".
    lane: &'static str,
}

#[derive(Debug)]
struct Running {
    shared: Arc<Shared>,
    thread: JoinHandle<()>,
}

/// What the future and its thread share.
#[derive(Debug, Default)]
struct Shared {
    completion: Completion,
    /// Set when the future is dropped before the timer fires.
    cancelled: Mutex<bool>,
    cancel: Condvar,
}

impl Future for Timer {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        // `Timer` has no pointers into itself, so it is `Unpin` and we may
        // use it as a plain `&mut Timer`.
        let this = &mut *self;
        if this.running.is_none() {
            // First poll: only now does the timer start. Creating a future
            // does nothing by itself.
            this.running = Some(this.start());
        }
        // `running` was set just above.
        let running = this.running.as_ref().unwrap();
        // Ready if the thread has fired; otherwise leave our waker for it.
        let answer = running.shared.completion.poll_done(cx);
        if answer.is_pending() {
            note(this.lane, running.lane(), "waker");
        }
        answer
    }
}

impl Timer {
    fn start(&self) -> Running {
        let shared = Arc::new(Shared::default());
        let delay = self.delay;
        // The delay counts from now, the first poll.
        let deadline = Instant::now() + delay;
        let trace = self.trace.clone();
        let started = trace.as_ref().map(|(timeline, _)| timeline.now());
        // The thread is named after the timer: "timer a's thread".
        let name = format!("{}'s thread", self.lane);
        note(self.lane, &name, "start");
        let thread = {
            let shared = Arc::clone(&shared);
            let thread_lane = name.clone();
            thread::Builder::new()
                .name(name)
                .spawn(move || {
                    if !shared.sleep_until(deadline) {
                        return; // cancelled: nobody waits any more
                    }
                    note(&thread_lane, &thread_lane, "deadline");
                    match (trace, started) {
                        (Some((timeline, lane)), Some(started)) => {
                            let slept = timeline.now();
                            let label = format!("{} ms", delay.as_millis());
                            timeline.add(&lane, label, started, slept);
                            timeline.record(&lane, "wake", || {
                                shared.completion.complete()
                            });
                        }
                        _ => shared.completion.complete(),
                    }
                })
                // Failing to start a thread means the system is out of
                // resources; a timer cannot work without one.
                .expect("spawning a timer thread")
        };
        Running { shared, thread }
    }
}
// ANCHOR_END: timer

impl Timer {
    /// A timer that will be ready `delay` after it is first polled.
    pub fn after(delay: Duration) -> Self {
        Timer {
            delay,
            running: None,
            trace: None,
            lane: "timer",
        }
    }

    /// Names the timer's lane in a recorded sequence (by default "timer"),
    /// and its thread: `named("timer a")` runs "timer a's thread".
    pub fn named(mut self, lane: &'static str) -> Self {
        self.lane = lane;
        self
    }

    /// Also records, on `timeline` in lane `lane`, how long the timer ran
    /// (from its first poll) and the moment its thread woke the task.
    pub fn traced(mut self, timeline: &Arc<Timeline>, lane: &str) -> Self {
        self.trace = Some((Arc::clone(timeline), lane.to_string()));
        self
    }
}

impl Running {
    /// The lane of the timer's thread in a recorded sequence: its name.
    fn lane(&self) -> &str {
        self.thread.thread().name().unwrap_or_default()
    }
}

impl Shared {
    /// Sleeps until `deadline` unless cancelled first; true if the time is
    /// up.
    fn sleep_until(&self, deadline: Instant) -> bool {
        // Nothing panics while this lock is held.
        let mut cancelled = self.cancelled.lock().unwrap();
        loop {
            if *cancelled {
                return false;
            }
            let now = Instant::now();
            if now >= deadline {
                return true;
            }
            // Wakes at the deadline, when cancelled, or spuriously; the loop
            // sorts out which.
            cancelled = self
                .cancel
                .wait_timeout(cancelled, deadline - now)
                .unwrap()
                .0;
        }
    }
}

// ANCHOR: drop
impl Drop for Timer {
    fn drop(&mut self) {
        if let Some(running) = self.running.take() {
            // Tell the thread to stop sleeping, then wait for it to end, so
            // that no thread outlives its timer. (The lock is never
            // poisoned: nothing panics while holding it.)
            *running.shared.cancelled.lock().unwrap() = true;
            running.shared.cancel.notify_one();
            // Unless this is the timer's own thread: its wake may drop the
            // last reference to the task that owns the timer, and so drop
            // the timer right here. A thread cannot join itself; it is
            // about to end anyway.
            if thread::current().id() == running.thread.thread().id() {
                return;
            }
            // The thread's code does not panic, so join cannot fail.
            running.thread.join().unwrap();
        }
    }
}
// ANCHOR_END: drop

impl Timer {
    /// Whether the timer's thread has fired (false before the first poll).
    pub fn has_fired(&self) -> bool {
        self.running
            .as_ref()
            .is_some_and(|r| r.shared.completion.is_done())
    }
}
