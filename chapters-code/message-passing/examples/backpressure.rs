//! Cell `backpressure`: a fast producer and a slow consumer,
//! joined first by a bounded queue, then by an unbounded one.
//@ [[vary]]
//@ what = "time"
//@ pattern = '(\d+) ms'
//@ [[vary]]
//@ what = "queue length"
//@ pattern = 'queue held (\d+)'
// HIDE_START
use std::time::Duration;

use message_passing::pipeline;
use support::timeline::Timeline;
// HIDE_END

const ITEMS: u64 = 12;
const WORK: Duration = Duration::from_millis(10);
const CAPACITY: usize = 2;

fn main() -> std::io::Result<()> {
    println!("{ITEMS} items, {} ms of work each", WORK.as_millis());
    let mut bounded_run = None;
    let bounded_name = format!("bounded({CAPACITY})");
    for (name, capacity) in
        [(bounded_name.as_str(), Some(CAPACITY)), ("unbounded", None)]
    {
        // Each run gets its own timeline, so its clock starts at zero.
        let timeline = Timeline::new();
        let r = pipeline::run(capacity, ITEMS, WORK, &timeline);
        println!(
            "{name:>10}: producer done after {:>3} ms, consumer after {:>3} ms, \
             queue held {} at most",
            r.producer_done.as_millis(),
            r.consumer_done.as_millis(),
            r.most_queued,
        );
        assert_eq!(r.received, (0..ITEMS).collect::<Vec<_>>());
        bounded_run.get_or_insert(timeline);
    }
    println!("both consumers got every item, in order");
    // The first run was the bounded one.
    let bounded = bounded_run.expect("the loop ran twice");
    bounded.show(
        "bounded",
        &format!("{bounded_name} queue: the producer's sends wait"),
    )
}
