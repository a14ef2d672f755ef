//! The chapter's cell `gil`: four "interpreter threads" under a simulated
//! global interpreter lock, first waiting on I/O, then computing; and the
//! same computations with no GIL, as on free-threaded Python.
//@ timeout = 30
//@ [[vary]]
//@ what = "time"
//@ pattern = '(\d+) ms +(\d+) ms +(\d+\.\d\d)'
// HIDE_START
use std::time::Duration;

use mixing_models::gil::{GilRun, State, Work, run};
use mixing_models::ms;
use support::measure::measure;
use support::timeline::Timeline;
// HIDE_END

fn main() -> std::io::Result<()> {
    let each = Duration::from_millis(100);
    println!("four threads, each 100 ms of I/O or of CPU");
    println!(
        "{:<30} {:>7} {:>7} {:>9}  {:<13} waits",
        "", "wall", "CPU", "CPU/wall", "holders"
    );
    let cases = [
        ("I/O threads, with the GIL", Work::Io(each), true),
        ("CPU threads, with the GIL", Work::Cpu(each), true),
        ("CPU threads, free-threaded", Work::Cpu(each), false),
    ];
    for (i, (name, work, with_gil)) in cases.into_iter().enumerate() {
        let (gil_run, usage) = measure(|| run(&[work; 4], with_gil));
        let holders = if gil_run.any_overlap(State::Running) {
            "overlap"
        } else {
            "one at a time"
        };
        let waits = match work {
            Work::Cpu(_) => "none",
            Work::Io(_) if gil_run.any_overlap(State::Waiting) => "overlap",
            Work::Io(_) => "one at a time",
        };
        println!(
            "{name:<30} {:>4} ms {:>4} ms {:>9.2}  {holders:<13} {waits}",
            ms(usage.wall),
            ms(usage.cpu),
            usage.cpu_per_wall()
        );
        if i < 2 {
            let (file, title) = if i == 0 {
                ("io", "Under the GIL, I/O threads wait together")
            } else {
                ("turns", "Under the GIL, CPU threads take turns")
            };
            timeline(&gil_run).show(file, title)?;
        }
    }
    Ok(())
}

/// A lane per thread; "runs" while it holds the GIL, "waits" in I/O.
fn timeline(gil_run: &GilRun) -> Timeline {
    let timeline = Timeline::new();
    for span in &gil_run.spans {
        let label = match span.state {
            State::Running => "",
            State::Waiting => "waits for I/O",
        };
        let lane = format!("thread {}", span.thread + 1);
        // Draw even a short hold wide enough to see.
        let end = span.end.max(span.start + Duration::from_micros(700));
        timeline.add(lane, label, span.start, end);
    }
    timeline
}
