//! An unbounded channel between tasks: `send` never waits, `recv` is a
//! future. One lock guards the queue and the receiver's waker.

use std::collections::VecDeque;
use std::future::poll_fn;
use std::sync::Arc;
use std::task::{Poll, Waker};

use crate::sync::{Mutex, lock};

struct State<T> {
    queue: VecDeque<T>,
    receiver: Option<Waker>,
    senders: usize,
    receiver_alive: bool,
}

/// Sends values; may be cloned, and used from any thread.
pub struct Sender<T> {
    state: Arc<Mutex<State<T>>>,
}

/// Receives values, in the order they were sent.
pub struct Receiver<T> {
    state: Arc<Mutex<State<T>>>,
}

/// A new channel.
pub fn channel<T>() -> (Sender<T>, Receiver<T>) {
    let state = Arc::new(Mutex::new(State {
        queue: VecDeque::new(),
        receiver: None,
        senders: 1,
        receiver_alive: true,
    }));
    (
        Sender {
            state: Arc::clone(&state),
        },
        Receiver { state },
    )
}

// ANCHOR: channel
impl<T> Sender<T> {
    /// Queues `value` and wakes the receiver; gives the value back if the
    /// receiver is gone.
    pub fn send(&self, value: T) -> Result<(), T> {
        let waker = {
            let mut state = lock(&self.state);
            if !state.receiver_alive {
                return Err(value);
            }
            state.queue.push_back(value);
            state.receiver.take()
        };
        // Woken after unlocking: the woken task may run on another thread
        // (not here, but a waker cannot know) and want the lock at once.
        if let Some(waker) = waker {
            waker.wake();
        }
        Ok(())
    }
}

impl<T> Receiver<T> {
    /// The next value; `None` once every sender is gone and the queue is
    /// empty.
    pub async fn recv(&mut self) -> Option<T> {
        poll_fn(|cx| {
            let mut state = lock(&self.state);
            if let Some(value) = state.queue.pop_front() {
                return Poll::Ready(Some(value));
            }
            if state.senders == 0 {
                return Poll::Ready(None);
            }
            state.receiver = Some(cx.waker().clone());
            Poll::Pending
        })
        .await
    }
}
// ANCHOR_END: channel

impl<T> Clone for Sender<T> {
    fn clone(&self) -> Self {
        lock(&self.state).senders += 1;
        Sender {
            state: Arc::clone(&self.state),
        }
    }
}

impl<T> Drop for Sender<T> {
    fn drop(&mut self) {
        let waker = {
            let mut state = lock(&self.state);
            state.senders -= 1;
            if state.senders == 0 {
                state.receiver.take()
            } else {
                None
            }
        };
        if let Some(waker) = waker {
            waker.wake();
        }
    }
}

impl<T> Drop for Receiver<T> {
    fn drop(&mut self) {
        let mut state = lock(&self.state);
        state.receiver_alive = false;
        state.queue.clear();
    }
}
