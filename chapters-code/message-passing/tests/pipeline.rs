//! Backpressure: a bounded queue never holds more than its capacity and
//! slows the producer to the consumer's pace; an unbounded one does not.

use std::time::Duration;

use message_passing::pipeline::run;
use support::timeline::Timeline;

const WORK: Duration = Duration::from_millis(5);

#[test]
fn a_bounded_queue_holds_the_producer_back() {
    let timeline = Timeline::new();
    let r = run(Some(2), 20, WORK, &timeline);
    assert!(r.most_queued <= 2);
    assert_eq!(r.received, (0..20).collect::<Vec<_>>());
    // The last sends could only happen once the consumer had worked
    // through all but about three items: 17 x 5 ms at least.
    assert!(r.producer_done >= WORK * 15, "{:?}", r.producer_done);
    // One span per send and one per item handled, in two lanes.
    let spans = timeline.spans();
    assert_eq!(spans.len(), 40);
    assert_eq!(timeline.lanes().len(), 2);
}

#[test]
fn an_unbounded_queue_lets_items_pile_up() {
    let r = run(None, 20, WORK, &Timeline::new());
    assert_eq!(r.received, (0..20).collect::<Vec<_>>());
    // The producer never waits: it is done long before the consumer.
    assert!(r.producer_done < WORK * 5, "{:?}", r.producer_done);
    assert!(r.consumer_done >= WORK * 20);
    assert!(r.most_queued > 2);
}
