//! The smallest future that is not ready at once: it answers `Pending` a
//! given number of times, and each time it asks to be polled again.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

// ANCHOR: countdown
/// A future that is `Pending` `remaining` times, then `Ready(())`.
#[derive(Debug)]
pub struct Countdown {
    remaining: u32,
}

impl Countdown {
    /// A countdown that will say `Pending` `polls` times before it is ready.
    pub fn new(polls: u32) -> Self {
        Countdown { remaining: polls }
    }
}

impl Future for Countdown {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.remaining == 0 {
            return Poll::Ready(());
        }
        self.remaining -= 1;
        // Not ready yet. Nobody else will wake us, so we wake ourselves:
        // "poll me again". Returning Pending without arranging a wake-up
        // would leave the future asleep forever.
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}
// ANCHOR_END: countdown
