//! What an `async fn` amounts to: the same computation written twice, once
//! with `async`/`.await` and once as the enum state machine the compiler
//! makes of it. Both are driven by the same executor and behave the same.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::countdown::Countdown;

// ANCHOR: async_fn
/// Multiplies each number by ten, waiting a little before the second and
/// before the sum. (The waits stand for I/O.)
pub async fn add_slowly(a: u32, b: u32) -> u32 {
    let first = a * 10;
    Countdown::new(2).await; // pending twice
    let second = b * 10;
    Countdown::new(1).await; // pending once
    first + second
}
// ANCHOR_END: async_fn

// ANCHOR: by_hand
/// `add_slowly` by hand: one variant per place the function can be
/// paused, holding exactly the variables still needed after that point.
pub enum AddSlowly {
    /// Created, not polled yet: only the arguments.
    Start { a: u32, b: u32 },
    /// Paused at the first `.await`: `first` and `b` are still needed.
    First {
        first: u32,
        b: u32,
        waiting: Countdown,
    },
    /// Paused at the second `.await`: `first` and `second` are needed.
    Second {
        first: u32,
        second: u32,
        waiting: Countdown,
    },
    /// Returned its output; must not be polled again.
    Done,
}

impl AddSlowly {
    /// What calling `add_slowly(a, b)` does: store the arguments, run
    /// nothing.
    pub fn new(a: u32, b: u32) -> Self {
        AddSlowly::Start { a, b }
    }
}

impl Future for AddSlowly {
    type Output = u32;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<u32> {
        // Every field is Unpin, so the enum is too: a plain `&mut`.
        let this = self.get_mut();
        // Run from the current state until the next pause or the end.
        loop {
            match this {
                AddSlowly::Start { a, b } => {
                    let (first, b) = (*a * 10, *b);
                    let waiting = Countdown::new(2);
                    *this = AddSlowly::First { first, b, waiting };
                }
                AddSlowly::First { first, b, waiting } => {
                    if Pin::new(waiting).poll(cx).is_pending() {
                        return Poll::Pending; // pause here
                    }
                    let (first, second) = (*first, *b * 10);
                    let waiting = Countdown::new(1);
                    *this = AddSlowly::Second {
                        first,
                        second,
                        waiting,
                    };
                }
                AddSlowly::Second {
                    first,
                    second,
                    waiting,
                } => {
                    if Pin::new(waiting).poll(cx).is_pending() {
                        return Poll::Pending; // pause here
                    }
                    let sum = *first + *second;
                    *this = AddSlowly::Done;
                    return Poll::Ready(sum);
                }
                AddSlowly::Done => panic!("AddSlowly polled after Ready"),
            }
        }
    }
}
// ANCHOR_END: by_hand

// ANCHOR: sizes
/// Keeps a 1 KiB buffer alive across an `.await`: it must be stored in the
/// future.
pub async fn buffer_across_await() -> u8 {
    let buffer = [7u8; 1024];
    Countdown::new(1).await;
    buffer[0]
}

/// Fills a buffer of the same size through a reference (`fill` borrows it)
/// and uses it only before the `.await`, inside a block that ends before
/// it: the buffer is gone with the block, and only one byte of it survives
/// the pause.
pub async fn buffer_before_await() -> u8 {
    let first = {
        let mut buffer = [0u8; 1024];
        buffer.fill(7);
        buffer[0]
    };
    Countdown::new(1).await;
    first
}

/// The same, without the block. The buffer is not used after the `.await`,
/// but it was borrowed and is still in scope there: the compiler keeps it
/// in the future.
pub async fn buffer_borrowed_before_await() -> u8 {
    let mut buffer = [0u8; 1024];
    buffer.fill(7);
    let first = buffer[0];
    Countdown::new(1).await;
    first
}
// ANCHOR_END: sizes
