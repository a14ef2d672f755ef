//! Cell `fixed_period`: the other meaning of "loop quantum", a loop
//! that works in turns of a fixed period and sleeps off the rest of each.
//! Eight turns of 20 ms; each works 5 ms, except turn 3, which works 45 ms
//! (more than two periods). Written two ways: sleeping until each turn's
//! deadline, and sleeping a whole period after the work.
//@ [[vary]]
//@ what = "measured time"
//@ pattern = '(\d+\.\d) ms'
// HIDE_START
use std::time::Duration;

use event_loop::period::{Turn, fixed_period, sleep_after};
use support::chart::{Chart, Series};
// HIDE_END

const PERIOD: Duration = Duration::from_millis(20);
const TURNS: u32 = 8;

/// A turn's work; a sleep stands in for computing a frame.
fn work(n: u32) {
    std::thread::sleep(Duration::from_millis(if n == 3 { 45 } else { 5 }));
}

fn main() -> std::io::Result<()> {
    let fixed = fixed_period(PERIOD, TURNS, work);
    let drifting = sleep_after(PERIOD, TURNS, work);

    println!(
        "a period of 20 ms, {TURNS} turns; each works 5 ms, turn 3 works 45 ms\n"
    );
    println!("turn   due      deadline loop       sleep-after loop");
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    for (f, d) in fixed.iter().zip(&drifting) {
        println!(
            "{:>4} {:>4} ms   starts {:>5.1} ms    starts {:>5.1} ms",
            f.due.as_millis() / PERIOD.as_millis(),
            f.due.as_millis(),
            ms(f.started),
            ms(d.started),
        );
    }
    let end =
        |turns: &[Turn]| turns.last().map_or(0.0, |t| ms(t.started + t.worked));
    println!(
        "\nlast turn done: deadline loop at {:.1} ms, sleep-after loop at {:.1} ms",
        end(&fixed),
        end(&drifting)
    );

    let points =
        |turns: &[Turn], at: fn(&Turn) -> Duration| -> Vec<(f64, f64)> {
            turns
                .iter()
                .enumerate()
                .map(|(n, t)| (n as f64, ms(at(t))))
                .collect()
        };
    Chart::new("When each turn started", "turn", "ms since the loop began")
        .series(Series::new("due (n × 20 ms)", points(&fixed, |t| t.due)))
        .series(Series::new("deadline loop", points(&fixed, |t| t.started)))
        .series(Series::new(
            "sleep-after loop",
            points(&drifting, |t| t.started),
        ))
        .show("turns")
}
