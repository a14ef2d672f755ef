//! The Tokio chapter's cell `tokio_blocking_stall`: a ticker task wants to wake
//! every 10 ms; a handler task on the same current-thread runtime does
//! 200 ms of work at 100 ms, in five ways. How late do the ticks come?
//@ timeout = 30
//@ [[vary]]
//@ what = "lateness"
//@ pattern = '([\d.]+) ms'
// HIDE_START
use std::time::Duration;

use support::timeline::Timeline;
use tokio_in_practice::ms;
use tokio_in_practice::stall::{PERIOD, TICKS, WORK_AT, Work, run};
// HIDE_END

fn main() -> std::io::Result<()> {
    let cost = Duration::from_millis(200);
    println!(
        "{TICKS} ticks, one every {} ms; the handler works {} ms at {} ms",
        PERIOD.as_millis(),
        cost.as_millis(),
        WORK_AT.as_millis()
    );
    println!(
        "{:<28} {:>16} {:>16}",
        "the handler's work", "median lateness", "worst lateness"
    );
    let timeline = Timeline::new();
    // The picture draws the runs one after the other, 50 ms apart.
    let mut offset = Duration::ZERO;
    for work in Work::ALL {
        let run = run(work, cost);
        println!(
            "{:<28} {:>13} ms {:>13} ms",
            work.name(),
            ms(run.median()),
            ms(run.worst())
        );
        if matches!(work, Work::Nothing | Work::Rayon) {
            continue; // the picture shows the three that differ
        }
        // Each tick is drawn from when it was due to when it came: a
        // tick on time is a sliver, a late one a long bar.
        for &(due, came) in &run.ticks {
            let shown = came.max(due + Duration::from_millis(1));
            timeline.add("ticker", "", offset + due, offset + shown);
        }
        if let Some((start, end)) = run.span {
            let lane = if run.on_runtime_thread {
                "work on the runtime's thread"
            } else {
                "work on the blocking pool"
            };
            timeline.add(lane, work.name(), offset + start, offset + end);
        }
        let last = run.ticks.last().map(|&(_, came)| came).unwrap_or_default();
        offset += last + Duration::from_millis(50);
    }
    timeline.show(
        "stall",
        &format!(
            "Ticks from due to delivered, beside {} ms of work",
            cost.as_millis()
        ),
    )
}
