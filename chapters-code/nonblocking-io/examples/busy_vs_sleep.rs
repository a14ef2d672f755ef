//! Cell `busy_vs_sleep`: a thread waits for bytes on a
//! non-blocking socket, seven times, while a peer writes after 100 to 110
//! ms. It
//! waits four ways: reading again at once, sleeping 1 ms or 10 ms between
//! reads, or blocking in `poll(2)`. What does each cost in CPU, and how
//! late does each notice the bytes?
//@ timeout = 30
//@ [[vary]]
//@ what = "measured"
//@ pattern = '(\d[\d,.]*)'
// HIDE_START
use std::io;
use std::time::Duration;

use nonblocking_io::waiting::{Strategy, summarize};
use support::bars::{BarChart, grouped};
// HIDE_END

const DELAY: Duration = Duration::from_millis(100);
const ROUNDS: usize = 7;

fn main() -> io::Result<()> {
    let ms = Duration::from_millis;
    let strategies = [
        Strategy::Busy,
        Strategy::Sleep(ms(1)),
        Strategy::Sleep(ms(10)),
        Strategy::Poll,
    ];
    println!(
        "{ROUNDS} waits of {} to {} ms",
        DELAY.as_millis(),
        DELAY.as_millis() + 10
    );
    println!(
        "{:<12} {:>14} {:>12} {:>16}",
        "strategy", "WouldBlocks", "CPU (core)", "noticed late by"
    );
    let mut cpu_bars = Vec::new();
    let mut late_bars = Vec::new();
    for strategy in strategies {
        let s = summarize(strategy, DELAY, ROUNDS)?;
        let late_us = s.median_late().as_secs_f64() * 1e6;
        println!(
            "{:<12} {:>14} {:>11.1}% {:>13} µs",
            strategy.name(),
            grouped(s.tries),
            s.cpu_share() * 100.0,
            grouped(late_us.round() as u64),
        );
        cpu_bars.push((strategy.name(), s.cpu_share() * 100.0));
        late_bars.push((strategy.name(), late_us));
    }
    println!("(late: the median of {ROUNDS}, from the write to our read)");
    BarChart {
        title: "CPU burned while waiting".into(),
        y_desc: "% of one core".into(),
        bars: cpu_bars,
        line: None,
        decimals: 1,
    }
    .show("cpu")?;
    BarChart {
        title: "How late the bytes were noticed (median, µs)".into(),
        y_desc: "microseconds".into(),
        bars: late_bars,
        line: None,
        // Whole microseconds, as in the table. The sleeping bars dwarf the
        // others; the numbers above the bars give the small ones.
        decimals: 0,
    }
    .show("late")
}
