//! Solution: wait for many futures at once, in one task.

use std::future::{Future, poll_fn};
use std::pin::Pin;
use std::task::Poll;

/// One future, while it runs, then its output.
enum Slot<F: Future> {
    Running(Pin<Box<F>>),
    Done(F::Output),
    Taken,
}

/// The outputs of all `futures`, in their order, once all are done.
pub async fn join_all<F: Future>(futures: Vec<F>) -> Vec<F::Output> {
    let mut slots: Vec<Slot<F>> = futures
        .into_iter()
        .map(|f| Slot::Running(Box::pin(f)))
        .collect();
    poll_fn(|cx| {
        let mut all_done = true;
        for slot in slots.iter_mut() {
            if let Slot::Running(future) = slot {
                // Polled with the task's own waker: a wake from any of
                // them brings the task back here.
                match future.as_mut().poll(cx) {
                    Poll::Ready(output) => *slot = Slot::Done(output),
                    Poll::Pending => all_done = false,
                }
            }
        }
        if !all_done {
            return Poll::Pending;
        }
        let outputs = slots
            .iter_mut()
            .map(|slot| match std::mem::replace(slot, Slot::Taken) {
                Slot::Done(output) => output,
                // Every slot is Done when all_done is true, and this
                // closure returns Ready only once.
                _ => unreachable!("every future is done"),
            })
            .collect();
        Poll::Ready(outputs)
    })
    .await
}
