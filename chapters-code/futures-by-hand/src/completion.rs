//! Where a result is announced and a waiting future leaves its waker: the
//! shared state between a future and whatever completes it (a timer thread
//! here; a reactor in the next chapter). Checked with loom.

use std::task::{Context, Poll, Waker};

use crate::sync::Mutex;

// ANCHOR: completion
/// A one-time "done" signal that a future can wait on.
#[derive(Debug, Default)]
pub struct Completion {
    slot: Mutex<Slot>,
}

#[derive(Debug, Default)]
struct Slot {
    done: bool,
    /// The waker of the last poll that found the work not done yet.
    waker: Option<Waker>,
}

impl Completion {
    /// A completion that is not done yet.
    pub fn new() -> Self {
        Completion::default()
    }

    /// Called by the future's `poll`: `Ready` if done; otherwise keeps the
    /// waker so that `complete` can wake the task, and says `Pending`.
    pub fn poll_done(&self, cx: &mut Context<'_>) -> Poll<()> {
        // A panic while holding this lock would be a bug in this file.
        let mut slot = self.slot.lock().unwrap();
        if slot.done {
            return Poll::Ready(());
        }
        // Keep the newest waker: the future may have moved to another task
        // since the last poll. Cloning is skipped when it would wake the
        // same task anyway.
        match &slot.waker {
            Some(old) if old.will_wake(cx.waker()) => {}
            _ => slot.waker = Some(cx.waker().clone()),
        }
        Poll::Pending
    }

    /// Marks the work done and wakes the waiting task, if there is one.
    pub fn complete(&self) {
        let waker = {
            // Nothing panics while the lock is held: it is never poisoned.
            let mut slot = self.slot.lock().unwrap();
            slot.done = true;
            slot.waker.take()
        };
        // Wake after unlocking: the woken task may poll at once, on another
        // thread, and its poll takes this lock.
        if let Some(waker) = waker {
            waker.wake();
        }
    }
}
// ANCHOR_END: completion

impl Completion {
    /// Whether `complete` has been called.
    pub fn is_done(&self) -> bool {
        // Never poisoned: nothing panics while the lock is held.
        self.slot.lock().unwrap().done
    }
}
