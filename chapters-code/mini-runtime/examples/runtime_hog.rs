//! Cell `runtime_hog`: a ticker task that wants to run every
//! 10 ms, beside a task that computes for 150 ms (by the clock). First the
//! computing task never yields: the ticker stalls until it is done. Then
//! it yields every 100 microseconds: the ticker keeps time.
//@ timeout = 30
//@ [[vary]]
//@ what = "ticks while the hog ran"
//@ pattern = 'ticks while the hog computed: (\d+),'
//@ [[vary]]
//@ what = "lateness"
//@ pattern = 'latest tick (\d+) ms late'
//@ [[vary]]
//@ what = "the hog's times"
//@ pattern = 'took (\d+) ms by the clock, (\d+) ms of it computing'
// HIDE_START
use std::sync::Arc;
use std::time::Duration;

use mini_runtime::coop::{
    Hog, TICK, TICKS, hog_times, ticker_and_hog, ticks_during_hog,
    worst_lateness,
};
use support::timeline::Timeline;
// HIDE_END

fn main() -> std::io::Result<()> {
    let work = Duration::from_millis(150);
    println!(
        "ticker: {TICKS} ticks, one every {} ms; hog: {} ms of computing",
        TICK.as_millis(),
        work.as_millis()
    );
    for (name, slice) in [
        ("never yields", None),
        ("yields every 100 us", Some(Duration::from_micros(100))),
    ] {
        let timeline = Arc::new(Timeline::new());
        let events = ticker_and_hog(Hog { work, slice }, &timeline);
        let (took, computing) = hog_times(&events);
        println!(
            "hog {name}: ticks while the hog computed: {}, latest tick {} ms late",
            ticks_during_hog(&events),
            worst_lateness(&events).as_millis()
        );
        println!(
            "  the hog took {} ms by the clock, {} ms of it computing",
            took.as_millis(),
            computing.as_millis()
        );
        let file = if slice.is_none() {
            "never_yields"
        } else {
            "yields"
        };
        timeline.show(
            file,
            &format!("One thread, a ticker and a hog that {name}"),
        )?;
    }
    Ok(())
}
