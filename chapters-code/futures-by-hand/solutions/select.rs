//! The book's solution to the exercise in `src/exercises/select.rs`.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use crate::timer::Timer;

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
    /// Both futures until one wins; then neither. Boxed, so that they are
    /// pinned on the heap and `Select` can move freely.
    a: Option<Pin<Box<A>>>,
    b: Option<Pin<Box<B>>>,
}

/// Runs two futures at once: the result is the output of the first one
/// ready; the other one is dropped.
pub fn select<A: Future, B: Future>(a: A, b: B) -> Select<A, B> {
    Select {
        a: Some(Box::pin(a)),
        b: Some(Box::pin(b)),
    }
}

impl<A: Future, B: Future> Future for Select<A, B> {
    type Output = Either<A::Output, B::Output>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        let (Some(a), Some(b)) = (&mut this.a, &mut this.b) else {
            panic!("Select polled after it returned Ready");
        };
        // Both get the task's waker: whichever can progress first wakes
        // it. `a` first, so a tie goes to `a`.
        let won = if let Poll::Ready(output) = a.as_mut().poll(cx) {
            Either::Left(output)
        } else if let Poll::Ready(output) = b.as_mut().poll(cx) {
            Either::Right(output)
        } else {
            return Poll::Pending;
        };
        // Cancel the loser now: dropping it stops whatever it waits for.
        this.a = None;
        this.b = None;
        Poll::Ready(won)
    }
}

// Both futures are boxed, and nothing else is pinned: a `Select` may move
// between polls whatever `A` and `B` are.
impl<A: Future, B: Future> Unpin for Select<A, B> {}

/// The output of `future` if it is ready within `delay` of the first poll;
/// `None` if the delay passes first (and then `future` is dropped).
pub async fn timeout<F: Future>(
    delay: Duration,
    future: F,
) -> Option<F::Output> {
    match select(future, Timer::after(delay)).await {
        Either::Left(output) => Some(output),
        Either::Right(()) => None,
    }
}
