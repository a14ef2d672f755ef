//! Small futures that work on any executor: `select` and `yield_now`.

use std::future::{Future, poll_fn};
use std::pin::{Pin, pin};
use std::task::{Context, Poll};

/// One of two outputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Either<A, B> {
    /// The first future finished first.
    Left(A),
    /// The second did.
    Right(B),
}

// ANCHOR: select
/// Waits for the first of two futures; the other is dropped, wherever it
/// stood. When both are ready at once, the first wins.
pub async fn select<A: Future, B: Future>(
    a: A,
    b: B,
) -> Either<A::Output, B::Output> {
    let mut a = pin!(a);
    let mut b = pin!(b);
    // Each poll polls both, with the same waker: whichever is woken, the
    // task comes back here and both are asked again.
    poll_fn(|cx| {
        if let Poll::Ready(x) = a.as_mut().poll(cx) {
            return Poll::Ready(Either::Left(x));
        }
        if let Poll::Ready(y) = b.as_mut().poll(cx) {
            return Poll::Ready(Either::Right(y));
        }
        Poll::Pending
    })
    .await
}
// ANCHOR_END: select

// ANCHOR: yield_now
/// Gives the other tasks a turn: `Pending` once, after waking itself, so
/// the executor puts this task at the back of its queue.
pub fn yield_now() -> YieldNow {
    YieldNow { yielded: false }
}

/// The future of [`yield_now`].
#[derive(Debug)]
pub struct YieldNow {
    yielded: bool,
}

impl Future for YieldNow {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.yielded {
            return Poll::Ready(());
        }
        self.yielded = true;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}
// ANCHOR_END: yield_now
