//! Two futures at once on one thread: a future that polls both until both
//! are done, and keeps the output of the one that finishes first.

use std::future::Future;
use std::mem;
use std::pin::Pin;
use std::task::{Context, Poll};

use support::sequence::note;

use crate::block_on::lane_of;

// ANCHOR: join
/// One side of a join: still running, done with its output kept, or its
/// output already handed out.
enum Side<F: Future> {
    /// Boxed, so that it is pinned on the heap and `Side` can move freely.
    Running(Pin<Box<F>>),
    Done(F::Output),
    Taken,
}

impl<F: Future> Side<F> {
    /// Polls the future if it is still running; true once it is done.
    /// (`lane` names this side in a recorded sequence.)
    fn poll_done(&mut self, cx: &mut Context<'_>, lane: &str) -> bool {
        match self {
            Side::Running(future) => {
                note("join", lane, "poll");
                match future.as_mut().poll(cx) {
                    Poll::Ready(output) => {
                        note(lane, "join", "Ready");
                        *self = Side::Done(output);
                        true
                    }
                    Poll::Pending => {
                        note(lane, "join", "Pending");
                        false
                    }
                }
            }
            Side::Done(_) => true,
            Side::Taken => panic!("Join polled after it returned Ready"),
        }
    }

    fn take(&mut self) -> F::Output {
        match mem::replace(self, Side::Taken) {
            Side::Done(output) => output,
            _ => unreachable!("take is called only when both sides are done"),
        }
    }
}

/// A future that runs `a` and `b` at once and is ready with both outputs.
pub struct Join<A: Future, B: Future> {
    a: Side<A>,
    b: Side<B>,
}

/// Runs two futures at once: the result is ready when both are.
pub fn join<A: Future, B: Future>(a: A, b: B) -> Join<A, B> {
    Join {
        a: Side::Running(Box::pin(a)),
        b: Side::Running(Box::pin(b)),
    }
}

impl<A: Future, B: Future> Future for Join<A, B> {
    type Output = (A::Output, B::Output);

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        // In a recorded sequence, the sides are named after their types:
        // "timer a" and "timer b" for two timers.
        let (a, b) = (side_lane::<A>("a"), side_lane::<B>("b"));
        // Poll both, every time: both were handed the same waker, so we
        // cannot tell which of them woke us.
        let a_done = this.a.poll_done(cx, &a);
        let b_done = this.b.poll_done(cx, &b);
        if a_done && b_done {
            Poll::Ready((this.a.take(), this.b.take()))
        } else {
            Poll::Pending
        }
    }
}

// The futures are boxed and the outputs are never pinned, so a `Join` may
// move between polls whatever `A` and `B` are.
impl<A: Future, B: Future> Unpin for Join<A, B> {}
// ANCHOR_END: join

/// The lane of the join's side `side`, a future of type `F`, in a recorded
/// sequence ("timer a"); empty, and not allocated, when nothing records.
fn side_lane<F>(side: &str) -> String {
    let lane = lane_of::<F>();
    if lane.is_empty() {
        lane
    } else {
        format!("{lane} {side}")
    }
}
