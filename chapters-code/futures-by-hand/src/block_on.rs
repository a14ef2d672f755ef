//! Running one future to completion on the current thread: poll it, and
//! while it is pending, park the thread until its waker is called.
//!
//! Also [`busy_poll`], an executor that never sleeps, for comparison.

use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

use support::sequence::{note, recording};

use crate::sync::{Mutex, Thread, thread};

// ANCHOR: waker
/// The waker of `block_on`: "the future may be able to make progress, poll
/// it again". It notes that in a flag, then unparks the blocked thread.
struct ThreadWaker {
    thread: Thread,
    woken: Mutex<bool>,
}

impl Wake for ThreadWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        // Only a recording looks up the calling thread's name.
        if recording() {
            note(&caller_lane(), "block_on", "wake");
        }
        // The flag first, then the unpark: when the thread wakes up and
        // sees the flag, the wake-up is real. (The lock is never poisoned:
        // nothing panics while it is held.)
        *self.woken.lock().unwrap() = true;
        self.thread.unpark();
    }
}
// ANCHOR_END: waker

/// Who calls a waker, in a recorded sequence: the calling thread, by name.
fn caller_lane() -> String {
    let caller = thread::current();
    caller.name().unwrap_or("another thread").to_string()
}

/// The lane of a future of type `T` in a recorded sequence: its type's
/// name, in lower case, without its path and parameters (`Join<A, B>` is
/// "join"); an async block or fn is "future". Empty when nothing records:
/// the name is worked out only for a recording.
pub(crate) fn lane_of<T: ?Sized>() -> String {
    if !recording() {
        return String::new();
    }
    let name = std::any::type_name::<T>();
    // `split` yields at least one piece, the whole name if there is no `<`.
    let path = name.split('<').next().unwrap_or(name);
    let last = path.rsplit("::").next().unwrap_or(path);
    if last.starts_with('{') {
        "future".to_string()
    } else {
        last.to_lowercase()
    }
}

/// Hooks that `block_on_observed` calls as it works, to trace or count.
/// Every method does nothing unless overridden.
pub trait Observer {
    /// Just before each call to `poll`.
    fn before_poll(&mut self) {}
    /// Just after each call to `poll`; `ready` is whether it returned Ready.
    fn after_poll(&mut self, _ready: bool) {}
    /// The future is pending: the executor is about to wait for a wake.
    fn before_wait(&mut self) {}
    /// A wake has come; `parks` is how many times the thread parked for it
    /// (0 if the wake came during the poll itself).
    fn after_wait(&mut self, _parks: u32) {}
}

/// Observes nothing.
impl Observer for () {}

/// Counts polls and parks.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    /// Calls to the future's `poll`.
    pub polls: u32,
    /// Calls to `thread::park`.
    pub parks: u32,
}

impl Observer for Counts {
    fn after_poll(&mut self, _ready: bool) {
        self.polls += 1;
    }

    fn after_wait(&mut self, parks: u32) {
        self.parks += parks;
    }
}

// ANCHOR: plain
/// Runs `future` to completion on this thread and returns its output.
pub fn block_on<F: Future>(future: F) -> F::Output {
    // `poll` takes the future pinned: it must not move again, because an
    // async fn's state may point into itself. Pinning it here, on this
    // function's stack, is enough: we never move it until it is done.
    let mut future = pin!(future);
    let signal = Arc::new(ThreadWaker {
        thread: thread::current(),
        woken: Mutex::new(false),
    });
    let waker = Waker::from(Arc::clone(&signal));
    let mut cx = Context::from_waker(&waker);
    // The future's name in a recorded sequence ("join").
    let lane = lane_of::<F>();
    loop {
        // Clear the flag, then poll (the text says why in that order).
        // The lock is never poisoned: nothing panics while it is held.
        *signal.woken.lock().unwrap() = false;
        note("block_on", &lane, "poll");
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            note(&lane, "block_on", "Ready");
            return output;
        }
        note(&lane, "block_on", "Pending");
        // Pending: sleep until the waker sets the flag. A `park` that
        // returns with the flag still false was not a wake: park again.
        note("block_on", "block_on", "park");
        while !*signal.woken.lock().unwrap() {
            thread::park();
        }
    }
}
// ANCHOR_END: plain

/// Like [`block_on`], and also returns how many polls and parks it took.
pub fn block_on_counted<F: Future>(future: F) -> (F::Output, Counts) {
    let mut counts = Counts::default();
    let output = block_on_observed(future, &mut counts);
    (output, counts)
}

// ANCHOR: block_on
/// [`block_on`], telling `observer` what it does (the same steps, with the
/// observer's calls between them).
pub fn block_on_observed<F: Future>(
    future: F,
    observer: &mut impl Observer,
) -> F::Output {
    // `poll` takes the future pinned: it must not move again, because an
    // async fn's state may point into itself. Pinning it here, on this
    // function's stack, is enough: we never move it until it is done.
    let mut future = pin!(future);
    let signal = Arc::new(ThreadWaker {
        thread: thread::current(),
        woken: Mutex::new(false),
    });
    let waker = Waker::from(Arc::clone(&signal));
    let mut cx = Context::from_waker(&waker);
    loop {
        // Clear the flag, then poll. A wake that comes after the clear is
        // news this poll may have missed: it sets the flag again, and we
        // will poll again instead of sleeping. A wake that came before the
        // clear is news this poll will see.
        *signal.woken.lock().unwrap() = false;
        observer.before_poll();
        let poll = future.as_mut().poll(&mut cx);
        observer.after_poll(poll.is_ready());
        if let Poll::Ready(output) = poll {
            return output;
        }
        // Pending: the future has arranged for `waker` to be called. Sleep
        // until it is. `park` may also return when nobody woke us (the
        // standard library allows it, and an `unpark` left over from an
        // earlier wake does it): the flag tells a real wake from those.
        observer.before_wait();
        let mut parks = 0;
        while !*signal.woken.lock().unwrap() {
            thread::park();
            parks += 1;
        }
        observer.after_wait(parks);
    }
}
// ANCHOR_END: block_on

// ANCHOR: busy_poll
/// Runs `future` to completion by polling it again and again, never
/// sleeping; returns its output and how many polls that took. A waker that
/// does nothing is enough: nobody waits for it.
pub fn busy_poll<F: Future>(future: F) -> (F::Output, u64) {
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    let mut polls = 0;
    loop {
        polls += 1;
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return (output, polls);
        }
        std::hint::spin_loop();
    }
}
// ANCHOR_END: busy_poll

/// The bug of the chapter's exercise, kept for loom to find: `block_on`
/// with the flag cleared after the poll instead of before it. A wake that
/// comes during the poll is erased, and the thread parks for good.
#[cfg(loom)]
pub fn block_on_clearing_after_the_poll<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let signal = Arc::new(ThreadWaker {
        thread: thread::current(),
        woken: Mutex::new(false),
    });
    let waker = Waker::from(Arc::clone(&signal));
    let mut cx = Context::from_waker(&waker);
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
        *signal.woken.lock().unwrap() = false; // too late: erases a wake
        while !*signal.woken.lock().unwrap() {
            thread::park();
        }
    }
}
