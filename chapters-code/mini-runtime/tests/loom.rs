//! Model checks of the executor's wake-up handshake: loom runs each small
//! program in every interleaving its threads allow (bounded by
//! LOOM_MAX_PREEMPTIONS) and fails if any breaks an assertion or hangs. A
//! lost wake-up shows as a hang: the executor parked, nobody left to
//! unpark it.
//!
//! The reactor is not in the model (mio is real I/O): the executor sleeps
//! with `loom::thread::park` instead, and is woken with `unpark`, through
//! the same `Park` and `Unpark` traits the reactor implements.
//!
//! Run as `RUSTFLAGS="--cfg loom" LOOM_MAX_PREEMPTIONS=2
//! CARGO_TARGET_DIR=target/loom cargo test --release -p mini-runtime
//! --test loom`.
#![cfg(loom)]

use std::future::poll_fn;
use std::task::{Poll, Waker};
use std::time::Duration;

use loom::sync::{Arc, Mutex};
use loom::thread::{self, Thread};

use mini_runtime::executor::{Executor, Park};
use mini_runtime::future::yield_now;
use mini_runtime::task::Unpark;

/// The executor's sleep, in the model: park the thread.
struct ThreadPark;

impl Park for ThreadPark {
    fn park(&mut self, timeout: Option<Duration>) -> Vec<Waker> {
        // "Only look": there is nothing to look at without a reactor.
        if timeout != Some(Duration::ZERO) {
            thread::park();
        }
        // Nor any waker to hand back.
        Vec::new()
    }
}

/// Wakes the executor's thread.
struct ThreadUnpark(Thread);

impl Unpark for ThreadUnpark {
    fn unpark(&self) {
        self.0.unpark();
    }
}

fn executor() -> Executor {
    Executor::new(
        Box::new(ThreadPark),
        Box::new(ThreadUnpark(thread::current())),
    )
}

/// Work another thread finishes: a count, and the waker of the task that
/// waits for it.
#[derive(Default)]
struct Work {
    state: Mutex<(usize, Option<Waker>)>,
}

impl Work {
    fn finish_one(&self) {
        let waker = {
            let mut state = self.state.lock().unwrap();
            state.0 += 1;
            state.1.take()
        };
        if let Some(waker) = waker {
            waker.wake();
        }
    }
}

/// A task that waits until `work` has been finished `needed` times.
fn wait_for(
    work: &Arc<Work>,
    needed: usize,
) -> impl Future<Output = ()> + use<> {
    let work = Arc::clone(work);
    poll_fn(move |cx| {
        let mut state = work.state.lock().unwrap();
        if state.0 >= needed {
            Poll::Ready(())
        } else {
            state.1 = Some(cx.waker().clone());
            Poll::Pending
        }
    })
}

// ANCHOR: model
#[test]
fn a_wake_from_another_thread_is_never_lost() {
    loom::model(|| {
        let executor = executor();
        let work = Arc::new(Work::default());
        let task = executor.spawn(wait_for(&work, 1));
        let worker = {
            let work = Arc::clone(&work);
            thread::spawn(move || work.finish_one())
        };
        // Wherever the wake falls (before the task's poll, during it,
        // between the check of the queue and the park, during the park),
        // block_on must return.
        executor.block_on(task);
        worker.join().unwrap();
    });
}
// ANCHOR_END: model

#[test]
fn a_wake_of_the_root_future_from_another_thread_is_never_lost() {
    // No task at all: the root future waits, and its own waker (a flag
    // and `notify`, not a task) must end the executor's sleep.
    loom::model(|| {
        let executor = executor();
        let work = Arc::new(Work::default());
        let worker = {
            let work = Arc::clone(&work);
            thread::spawn(move || work.finish_one())
        };
        executor.block_on(wait_for(&work, 1));
        worker.join().unwrap();
    });
}

#[test]
fn racing_wakes_queue_the_task_at_most_once_each_batch() {
    loom::model(|| {
        let executor = executor();
        let work = Arc::new(Work::default());
        // Never finished: the task stays pending, and every time it is
        // queued it is polled.
        let _task = executor.spawn(wait_for(&work, 1));
        // Its first poll leaves its waker in `work`.
        executor.block_on(yield_now());
        assert_eq!(executor.counts().polls, 1);
        let waker = work.state.lock().unwrap().1.clone().unwrap();
        // Two threads wake it twice each, racing on `scheduled`.
        let worker = {
            let waker = waker.clone();
            thread::spawn(move || {
                waker.wake_by_ref();
                waker.wake_by_ref();
            })
        };
        waker.wake_by_ref();
        waker.wake_by_ref();
        worker.join().unwrap();
        // One batch of four wakes: queued once, so polled once. Without
        // the `scheduled` flag it would be queued, and polled, four times.
        executor.block_on(yield_now());
        let polls = executor.counts().polls;
        assert_eq!(polls, 2, "{polls} polls");
    });
}
