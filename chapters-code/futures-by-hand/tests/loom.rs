//! Model checks of the wake-up path: loom runs each small program in every
//! interleaving its threads allow (bounded by LOOM_MAX_PREEMPTIONS) and
//! fails if any of them breaks an assertion or hangs. A lost wake-up shows
//! as a hang: every thread parked, none left to unpark them.
//!
//! Run as `RUSTFLAGS="--cfg loom" LOOM_MAX_PREEMPTIONS=2
//! CARGO_TARGET_DIR=target/loom cargo test --locked --release -p
//! futures-by-hand --test loom`.
#![cfg(loom)]

use std::collections::BTreeSet;
use std::future::poll_fn;
use std::sync::{Arc as StdArc, Mutex as StdMutex};
use std::task::{Context, Poll, Wake, Waker};

use loom::sync::Arc;
use loom::sync::atomic::{AtomicUsize, Ordering};
use loom::thread;

use futures_by_hand::block_on::{block_on, block_on_clearing_after_the_poll};
use futures_by_hand::completion::Completion;

// ANCHOR: block_on_model
#[test]
fn block_on_never_misses_the_wake_from_another_thread() {
    loom::model(|| {
        let completion = Arc::new(Completion::new());
        let completer = {
            let completion = Arc::clone(&completion);
            thread::spawn(move || completion.complete())
        };
        // Wherever the other thread's `complete` falls (before the poll,
        // during it, between the poll and the park, during the park),
        // block_on must return.
        block_on(poll_fn(|cx| completion.poll_done(cx)));
        completer.join().unwrap();
    });
}
// ANCHOR_END: block_on_model

/// A waker that counts its wake-ups with a loom atomic.
struct Counter(AtomicUsize);

impl Wake for Counter {
    fn wake(self: StdArc<Self>) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

#[test]
fn a_pending_poll_is_always_followed_by_a_wake() {
    loom::model(|| {
        let completion = Arc::new(Completion::new());
        let counter = StdArc::new(Counter(AtomicUsize::new(0)));
        let waker = Waker::from(StdArc::clone(&counter));
        let completer = {
            let completion = Arc::clone(&completion);
            thread::spawn(move || completion.complete())
        };
        let ready = completion
            .poll_done(&mut Context::from_waker(&waker))
            .is_ready();
        completer.join().unwrap();
        let wakes = counter.0.load(Ordering::SeqCst);
        // Either the poll saw the work done, or it left its waker and the
        // completer woke it, exactly once; never neither.
        assert_eq!((ready, wakes), if ready { (true, 0) } else { (false, 1) });
    });
}

#[test]
fn two_wakes_racing_the_polls_cost_at_most_one_poll_each() {
    // One thread completes two completions, each waking the task if it
    // found its waker; the task is ready when both are done.
    // How many polls each explored interleaving took (outside the model:
    // plain std types, which loom does not track).
    let seen = StdArc::new(StdMutex::new(BTreeSet::new()));
    let record = StdArc::clone(&seen);
    loom::model(move || {
        let (a, b) = (Arc::new(Completion::new()), Arc::new(Completion::new()));
        // Not joined: loom runs it to its end anyway, and joining it here
        // trips an assertion inside loom 0.7.3 (`state.notified` in its
        // `Notify`), apparently when the late wake's `unpark` reaches the
        // thread blocked in `join`.
        {
            let (a, b) = (Arc::clone(&a), Arc::clone(&b));
            thread::spawn(move || {
                a.complete();
                b.complete();
            });
        }
        // Each completion wakes at most once, so
        // there can be at most 1 + 2 polls; a block_on that polled when
        // nobody woke it (a flag never cleared, say) would poll more.
        let mut polls = 0;
        block_on(poll_fn(|cx| {
            polls += 1;
            assert!(polls <= 3, "poll {polls} with at most two wakes");
            let a_done = a.poll_done(cx).is_ready();
            let b_done = b.poll_done(cx).is_ready();
            if a_done && b_done {
                Poll::Ready(())
            } else {
                Poll::Pending
            }
        }));
        record.lock().unwrap().insert(polls);
    });
    // Loom did reach each case: both done before the first poll; both
    // wakes before the second poll (coalesced), or one done early; and
    // one poll per wake.
    assert_eq!(*seen.lock().unwrap(), BTreeSet::from([1, 2, 3]));
}

#[test]
#[should_panic(expected = "deadlock")]
fn clearing_the_flag_after_the_poll_loses_a_wake() {
    // The exercise's bug: a completion that wakes during the poll has its
    // wake erased by the late clear; block_on parks, and nobody is left
    // to unpark it. Loom reports the deadlock.
    loom::model(|| {
        // A std `Arc`: loom's own panics if dropped while the deadlock
        // report unwinds.
        let completion = StdArc::new(Completion::new());
        let completer = {
            let completion = StdArc::clone(&completion);
            thread::spawn(move || completion.complete())
        };
        block_on_clearing_after_the_poll(poll_fn(|cx| {
            completion.poll_done(cx)
        }));
        completer.join().unwrap();
    });
}
