//! Cooperative scheduling, proven by ordering: while a task computes
//! without an `.await`, no other task runs; when it yields between
//! slices, the others run in between.

use std::sync::Arc;
use std::time::Duration;

use mini_runtime::coop::{
    Event, Hog, hog_times, ticker_and_hog, ticks_during_hog,
};
use support::timeline::Timeline;

#[test]
fn a_task_that_never_yields_starves_the_ticker() {
    let events = ticker_and_hog(
        Hog {
            work: Duration::from_millis(150),
            slice: None,
        },
        &Arc::new(Timeline::new()),
    );
    let start = events.iter().position(|e| *e == Event::HogStart).unwrap();
    let end = events
        .iter()
        .position(|e| matches!(e, Event::HogEnd { .. }))
        .unwrap();
    assert_eq!(end, start + 1, "nothing ran while the hog did: {events:?}");
    assert_eq!(ticks_during_hog(&events), 0);
    // The ticks it held up all ran, late, once it was done.
    let ticks = events
        .iter()
        .filter(|e| matches!(e, Event::Tick { .. }))
        .count();
    assert_eq!(ticks, mini_runtime::coop::TICKS as usize);
}

#[test]
fn a_task_that_yields_lets_the_ticker_run() {
    let events = ticker_and_hog(
        Hog {
            work: Duration::from_millis(150),
            slice: Some(Duration::from_micros(100)),
        },
        &Arc::new(Timeline::new()),
    );
    // 150 ms of work, a tick due every 10 ms: some ticks must fall while
    // the hog is still at it.
    assert!(ticks_during_hog(&events) >= 1, "{events:?}");
    // Its slices add up to at least its work, and its wall time to more:
    // what ran between the slices is counted there too.
    let (took, computing) = hog_times(&events);
    assert!(computing >= Duration::from_millis(150), "{computing:?}");
    assert!(took > computing, "{took:?} vs {computing:?}");
}
