//! Futures built from futures: `map` changes a future's output, `then`
//! starts a second future from the first one's output. This is how
//! futures were chained before `async`/`.await`.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// `map` and `then` for every future.
pub trait Combinators: Future + Sized {
    /// A future whose output is `f(output of self)`.
    fn map<G, T>(self, f: G) -> Map<Self, G>
    where
        G: FnOnce(Self::Output) -> T,
    {
        Map {
            future: Box::pin(self),
            f: Some(f),
        }
    }

    /// A future that runs `self`, then the future `f(output of self)`.
    fn then<G, N>(self, f: G) -> Then<Self, G, N>
    where
        G: FnOnce(Self::Output) -> N,
        N: Future,
    {
        Then {
            first: Some(Box::pin(self)),
            f: Some(f),
            second: None,
        }
    }
}

impl<F: Future> Combinators for F {}

/// The future returned by [`Combinators::map`].
pub struct Map<F, G> {
    future: Pin<Box<F>>,
    f: Option<G>,
}

impl<F: Future, G: FnOnce(F::Output) -> T, T> Future for Map<F, G> {
    type Output = T;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        let this = self.get_mut();
        match this.future.as_mut().poll(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(output) => {
                let f = this.f.take().expect("Map polled after Ready");
                Poll::Ready(f(output))
            }
        }
    }
}

// ANCHOR: then
/// The future returned by [`Combinators::then`].
pub struct Then<F, G, N> {
    first: Option<Pin<Box<F>>>,
    f: Option<G>,
    second: Option<Pin<Box<N>>>,
}

impl<F, G, N> Future for Then<F, G, N>
where
    F: Future,
    G: FnOnce(F::Output) -> N,
    N: Future,
{
    type Output = N::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<N::Output> {
        let this = self.get_mut();
        if let Some(first) = &mut this.first {
            let Poll::Ready(output) = first.as_mut().poll(cx) else {
                return Poll::Pending;
            };
            this.first = None;
            let f = this.f.take().expect("Then polled after Ready");
            this.second = Some(Box::pin(f(output)));
        }
        let second = this.second.as_mut().expect("Then polled after Ready");
        second.as_mut().poll(cx)
    }
}
// ANCHOR_END: then

// Both are boxed and the closures are never pinned: they may move freely.
impl<F, G> Unpin for Map<F, G> {}
impl<F, G, N> Unpin for Then<F, G, N> {}
