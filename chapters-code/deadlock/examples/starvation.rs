//! Cell `starvation`: readers that keep overlapping starve a
//! writer under a reader-preferring lock; a fair lock lets it in.
//@ timeout = 30
//@ [[vary]]
//@ what = "measured"
//@ pattern = '(\d+\.\d+)'
// HIDE_START
use std::time::Duration;

use deadlock::starvation::writer_wait;
// HIDE_END

const READERS: usize = 6;
const HOLD: Duration = Duration::from_millis(5);
const PERIOD: Duration = Duration::from_millis(500);

fn main() {
    println!(
        "{READERS} readers keep reading for {} ms, {} ms at a time; a writer arrives.",
        PERIOD.as_millis(),
        HOLD.as_millis()
    );
    let unfair = writer_wait(false, READERS, HOLD, PERIOD);
    println!(
        "  reader-preferring lock: the writer waited {:.3} s",
        unfair.as_secs_f64()
    );
    let fair = writer_wait(true, READERS, HOLD, PERIOD);
    println!(
        "  fair lock:              the writer waited {:.3} s",
        fair.as_secs_f64()
    );
}
