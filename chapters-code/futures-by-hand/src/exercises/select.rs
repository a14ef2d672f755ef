//! Exercise: the first of two futures, and a timeout.
//!
//! `join` runs two futures at once and waits for both. Its twin, `select`
//! (also called *race*), waits for the first: it runs two futures at once
//! and is ready as soon as either of them is, with that one's output. The
//! other one, the loser, is dropped. Dropping is how a future is cancelled
//! in Rust: it is never polled again, and its `Drop` cleans up (a dropped
//! `Timer` stops its thread). The classic use is a timeout: race an
//! operation against a timer.
//!
//! Write `select` and the `Select` future. Each poll polls `a`, then, if
//! `a` is not ready, `b`, both with the `Context` the `Select` was given,
//! so that either of them can wake the task. The first one ready wins:
//! `Either::Left` with `a`'s output or `Either::Right` with `b`'s (if both
//! would be ready, `a` wins, since it is polled first). When one wins, drop
//! the other at once, before `poll` returns: a `Select` kept after it is
//! ready must not hold the loser, and whatever it waits for, alive. A
//! `Select` polled again after it was ready may panic.
//!
//! Then write `timeout`, with `select` and the chapter's `Timer`: the
//! future's output if it is ready before `delay` has passed, `None` if the
//! timer is first.
//!
//! Hints: `join.rs` has all the pieces. Box each future with `Box::pin`,
//! so that it is pinned on the heap and the `Select` may move (then the
//! `impl Unpin` below is right). An `Option` around each box lets you drop
//! it by setting it to `None`. And `Pin::get_mut` gives `&mut Self` back
//! in `poll`, since `Select` is `Unpin`.

use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

/// The output of one of two futures: which one won, and its output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Either<L, R> {
    /// The first future (`a`) was ready first.
    Left(L),
    /// The second future (`b`) was ready first.
    Right(R),
}

/// A future that runs `a` and `b` at once and is ready with the output of
/// the first of them to be ready.
pub struct Select<A: Future, B: Future> {
    // Your fields here, in place of this one (which only makes the stub
    // compile): the two futures, until one of them wins.
    _todo: PhantomData<(A, B)>,
}

/// Runs two futures at once: the result is the output of the first one
/// ready; the other one is dropped.
pub fn select<A: Future, B: Future>(a: A, b: B) -> Select<A, B> {
    let _ = (a, b);
    todo!("keep both futures, pinned, until one wins")
}

impl<A: Future, B: Future> Future for Select<A, B> {
    type Output = Either<A::Output, B::Output>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let _ = (self, cx);
        todo!("poll a, then b; the first ready wins, the other is dropped")
    }
}

// Right if the futures are boxed, as in `Join`: then nothing in a `Select`
// is pinned, and it may move between polls.
impl<A: Future, B: Future> Unpin for Select<A, B> {}

/// The output of `future` if it is ready within `delay` of the first poll;
/// `None` if the delay passes first (and then `future` is dropped).
pub async fn timeout<F: Future>(
    delay: Duration,
    future: F,
) -> Option<F::Output> {
    let _ = (delay, future);
    todo!("race the future against a `Timer`")
}
