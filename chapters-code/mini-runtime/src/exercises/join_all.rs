//! Exercise: wait for many futures at once, in one task.
//!
//! `select` polls two futures and returns the first output. Write its
//! patient cousin: `join_all` takes any number of futures and returns all
//! their outputs, in the order the futures were given, once every one of
//! them is done. They must wait *at the same time*: a future that can
//! only finish after a later one has made progress must not hang.
//!
//! Hints: keep each future pinned in a `Vec` (`Box::pin` does it), next
//! to a slot for its output. Each poll polls every future that is not
//! done yet, with the same `Context`: whichever of them is woken, the
//! task comes back and asks them all again. Never poll a future again
//! after it has returned `Ready` (an `async` block panics if you do).
//! `std::future::poll_fn` turns a closure into a future.

use std::future::Future;

/// The outputs of all `futures`, in their order, once all are done.
pub async fn join_all<F: Future>(futures: Vec<F>) -> Vec<F::Output> {
    let _ = futures;
    todo!("poll every unfinished future at each poll; collect the outputs")
}
