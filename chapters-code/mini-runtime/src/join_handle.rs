//! The handle `spawn` returns: a future of the task's output.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};

use crate::sync::{Mutex, lock};

// ANCHOR: join_handle
/// Where a task leaves its output, and who waits for it.
struct Slot<T> {
    output: Option<T>,
    finished: bool,
    waiter: Option<Waker>,
}

/// Awaits the output of a spawned task. Dropping it does not cancel the
/// task: the task runs on, and its output is dropped.
pub struct JoinHandle<T> {
    slot: Arc<Mutex<Slot<T>>>,
}

/// The task's end of a [`JoinHandle`].
pub(crate) struct Completer<T> {
    slot: Arc<Mutex<Slot<T>>>,
}

pub(crate) fn pair<T>() -> (Completer<T>, JoinHandle<T>) {
    let slot = Arc::new(Mutex::new(Slot {
        output: None,
        finished: false,
        waiter: None,
    }));
    let completer = Completer {
        slot: Arc::clone(&slot),
    };
    (completer, JoinHandle { slot })
}

impl<T> Completer<T> {
    /// Stores the output and wakes whoever awaits it (after unlocking).
    pub(crate) fn complete(self, output: T) {
        let waiter = {
            let mut slot = lock(&self.slot);
            slot.output = Some(output);
            slot.finished = true;
            slot.waiter.take()
        };
        if let Some(waiter) = waiter {
            waiter.wake();
        }
    }
}

impl<T> Future for JoinHandle<T> {
    type Output = T;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        let mut slot = lock(&self.slot);
        if let Some(output) = slot.output.take() {
            return Poll::Ready(output);
        }
        assert!(!slot.finished, "JoinHandle polled after it returned");
        // Keep the latest waker: the awaiting task may have moved.
        match &mut slot.waiter {
            Some(w) if w.will_wake(cx.waker()) => {}
            waiter => *waiter = Some(cx.waker().clone()),
        }
        Poll::Pending
    }
}
// ANCHOR_END: join_handle

impl<T> JoinHandle<T> {
    /// Whether the task has finished (its output may be taken already).
    pub fn is_finished(&self) -> bool {
        lock(&self.slot).finished
    }
}
