//! Backpressure: a bounded channel between a fast producer and a slow
//! consumer holds the producer to the consumer's pace, and the queue never
//! grows past its bound. A semaphore does the same for work in flight: at
//! most N at once, the rest wait for a permit.
//!
//! Times are tokio's (`tokio::time::Instant`), so that the tests can run
//! these in paused time and get exact numbers.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::sync::{Semaphore, mpsc};
use tokio::time::{Instant, sleep};

/// A piece of work or a wait: what, and from when to when since the start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    /// Which item or job.
    pub item: usize,
    /// When it started.
    pub start: Duration,
    /// When it ended.
    pub end: Duration,
}

/// What the pipeline did.
#[derive(Debug, Clone)]
pub struct Pipeline {
    /// Each `send`, from the call to its return (a wait for room).
    pub sends: Vec<Span>,
    /// The queue's length just after each send.
    pub queued: Vec<usize>,
    /// Each item's handling by the consumer.
    pub handled: Vec<Span>,
}

// ANCHOR: pipeline
/// A producer sends `items` as fast as it can into a channel of `bound`
/// places; a consumer takes `work` over each.
pub async fn pipeline(items: usize, bound: usize, work: Duration) -> Pipeline {
    let start = Instant::now();
    let (tx, mut rx) = mpsc::channel::<usize>(bound);
    let producer = async move {
        let mut sends = Vec::new();
        let mut queued = Vec::new();
        for item in 0..items {
            let asked = start.elapsed();
            // Waits while the queue is full: this is the backpressure.
            if tx.send(item).await.is_err() {
                break; // the consumer is gone
            }
            sends.push(Span {
                item,
                start: asked,
                end: start.elapsed(),
            });
            queued.push(tx.max_capacity() - tx.capacity());
        }
        (sends, queued)
    };
    let consumer = async move {
        let mut handled = Vec::new();
        while let Some(item) = rx.recv().await {
            let began = start.elapsed();
            sleep(work).await; // a slow write to a database, say
            handled.push(Span {
                item,
                start: began,
                end: start.elapsed(),
            });
        }
        handled
    };
    let ((sends, queued), handled) = tokio::join!(producer, consumer);
    Pipeline {
        sends,
        queued,
        handled,
    }
}
// ANCHOR_END: pipeline

/// What the capped jobs did.
#[derive(Debug, Clone)]
pub struct Capped {
    /// Each job's work, once it had a permit.
    pub ran: Vec<Span>,
    /// The most jobs ever running at once.
    pub max_in_flight: usize,
}

// ANCHOR: capped
/// Starts `jobs` tasks at once; a semaphore of `limit` permits lets at most
/// `limit` of them work at a time, each for `work`.
pub async fn capped(jobs: usize, limit: usize, work: Duration) -> Capped {
    let start = Instant::now();
    let permits = Arc::new(Semaphore::new(limit));
    let in_flight = Arc::new(AtomicUsize::new(0));
    let max_in_flight = Arc::new(AtomicUsize::new(0));
    let mut tasks = tokio::task::JoinSet::new();
    for job in 0..jobs {
        let permits = Arc::clone(&permits);
        let (in_flight, max) = (in_flight.clone(), max_in_flight.clone());
        tasks.spawn(async move {
            // Waits for a permit; the semaphore is never closed.
            let _permit = permits.acquire().await.expect("never closed");
            let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
            max.fetch_max(now, Ordering::SeqCst);
            let began = start.elapsed();
            sleep(work).await; // a call to a rate-limited service, say
            in_flight.fetch_sub(1, Ordering::SeqCst);
            Span {
                item: job,
                start: began,
                end: start.elapsed(),
            }
            // The permit is dropped here, and the next job may start.
        });
    }
    let mut ran = Vec::new();
    while let Some(span) = tasks.join_next().await {
        ran.push(span.expect("a job does not panic"));
    }
    ran.sort_by_key(|s| s.item);
    let max_in_flight = max_in_flight.load(Ordering::SeqCst);
    Capped { ran, max_in_flight }
}
// ANCHOR_END: capped
