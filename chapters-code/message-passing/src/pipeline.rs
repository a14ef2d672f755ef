//! A producer that makes items faster than its consumer can handle them,
//! joined to it by a queue. With a bounded queue the producer is made to
//! wait whenever the queue is full: that wait is *backpressure*. With an
//! unbounded queue nothing slows the producer down, and the items pile up.

use std::thread;
use std::time::Duration;

use crossbeam_channel::{Receiver, Sender};
use support::timeline::Timeline;

/// What one run of [`run`] observed.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// How long the producer took to hand over every item.
    pub producer_done: Duration,
    /// How long the consumer took to handle every item.
    pub consumer_done: Duration,
    /// The most items ever waiting in the queue, seen after each send.
    pub most_queued: usize,
    /// How many items the consumer handled, in the order it got them.
    pub received: Vec<u64>,
}

// ANCHOR: pipeline
/// Sends `items` numbers as fast as possible through a queue that holds at
/// most `capacity` items (`None`: no limit) to a consumer that spends
/// `work` on each one. Records each send and each piece of work on
/// `timeline`, in the lanes `producer` and `consumer`.
pub fn run(
    capacity: Option<usize>,
    items: u64,
    work: Duration,
    timeline: &Timeline,
) -> Report {
    let (tx, rx): (Sender<u64>, Receiver<u64>) = match capacity {
        Some(n) => crossbeam_channel::bounded(n),
        None => crossbeam_channel::unbounded(),
    };
    thread::scope(|s| {
        let consumer = s.spawn(|| {
            let mut received = Vec::new();
            // `recv` blocks while the queue is empty, and fails once the
            // queue is empty *and* every sender is gone: the end of input.
            while let Ok(item) = rx.recv() {
                timeline.record("consumer", "", || thread::sleep(work));
                received.push(item);
            }
            (received, timeline.now())
        });

        let mut most_queued = 0;
        for item in 0..items {
            // On a full bounded queue, `send` blocks until the consumer
            // takes an item out. That blocked time is the backpressure.
            // The consumer only stops after we drop `tx`, so it is there
            // to receive: `send` cannot fail.
            timeline.record("producer", "", || tx.send(item).unwrap());
            most_queued = most_queued.max(tx.len());
        }
        let producer_done = timeline.now();
        // Dropping the only sender closes the queue: the consumer's `recv`
        // fails once it has taken what is left, and its loop ends.
        drop(tx);
        // The consumer only sleeps and pushes to a vector: it cannot panic.
        let (received, consumer_done) = consumer.join().unwrap();
        Report {
            producer_done,
            consumer_done,
            most_queued,
            received,
        }
    })
}
// ANCHOR_END: pipeline
