//! What a server needs to stop: a [`Signal`] that any thread fires and
//! every task can await, and a [`Tracker`] that counts the sessions alive
//! and lets the server await the moment there are none.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // The maps behind these locks are valid after any panic.
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

// ANCHOR: signal
/// A flag that is raised once, from any thread, and wakes every task
/// awaiting it.
#[derive(Debug, Default)]
pub struct Signal {
    state: Mutex<SignalState>,
}

#[derive(Debug, Default)]
struct SignalState {
    fired: bool,
    next_id: u64,
    /// One waker per waiting future, keyed so that each can replace or
    /// remove its own.
    waiters: HashMap<u64, Waker>,
}

impl Signal {
    /// Raises the flag and wakes every waiter. From any thread: the wakes
    /// queue their tasks and wake the runtime if it sleeps.
    pub fn fire(&self) {
        let waiters: Vec<Waker> = {
            let mut state = lock(&self.state);
            state.fired = true;
            state.waiters.drain().map(|(_, w)| w).collect()
        };
        for waker in waiters {
            waker.wake();
        }
    }

    /// Whether it has fired.
    pub fn is_fired(&self) -> bool {
        lock(&self.state).fired
    }

    /// A future that is ready once the signal has fired.
    pub fn fired(self: &Arc<Self>) -> Fired {
        Fired {
            signal: Arc::clone(self),
            id: None,
        }
    }
}

/// The future of [`Signal::fired`].
#[derive(Debug)]
pub struct Fired {
    signal: Arc<Signal>,
    id: Option<u64>,
}

impl Future for Fired {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = &mut *self;
        // The flag is read under the lock `fire` takes: a fire comes
        // either before this (and we see it) or after (and sees our waker).
        let mut state = lock(&this.signal.state);
        if state.fired {
            return Poll::Ready(());
        }
        let id = *this.id.get_or_insert_with(|| {
            state.next_id += 1;
            state.next_id
        });
        state.waiters.insert(id, cx.waker().clone());
        Poll::Pending
    }
}

impl Drop for Fired {
    fn drop(&mut self) {
        if let Some(id) = self.id {
            lock(&self.signal.state).waiters.remove(&id);
        }
    }
}
// ANCHOR_END: signal

/// Counts the sessions alive; wakes a waiter when the count reaches zero.
#[derive(Debug, Clone, Default)]
pub struct Tracker {
    state: Arc<Mutex<TrackerState>>,
}

#[derive(Debug, Default)]
struct TrackerState {
    alive: usize,
    waiter: Option<Waker>,
}

/// One session counted by a [`Tracker`], until dropped.
#[derive(Debug)]
pub struct Tracked {
    state: Arc<Mutex<TrackerState>>,
}

impl Tracker {
    /// Counts one more session, until the returned guard is dropped.
    pub fn track(&self) -> Tracked {
        lock(&self.state).alive += 1;
        Tracked {
            state: Arc::clone(&self.state),
        }
    }

    /// Sessions alive now.
    pub fn alive(&self) -> usize {
        lock(&self.state).alive
    }

    /// Ready when no session is alive.
    pub async fn all_done(&self) {
        std::future::poll_fn(|cx| {
            let mut state = lock(&self.state);
            if state.alive == 0 {
                return Poll::Ready(());
            }
            state.waiter = Some(cx.waker().clone());
            Poll::Pending
        })
        .await
    }
}

impl Drop for Tracked {
    fn drop(&mut self) {
        let waiter = {
            let mut state = lock(&self.state);
            state.alive -= 1;
            if state.alive == 0 {
                state.waiter.take()
            } else {
                None
            }
        };
        if let Some(waiter) = waiter {
            waiter.wake();
        }
    }
}
