//! Cell `nice_starvation`: two threads compute on one core; then one of
//! them is given nice 19 and gets a sliver of the core (Linux).
//@ timeout = 20
//@ [[vary]]
//@ what = "measured"
//@ pattern = '(\d+\.\d) ms'
//@ [[vary]]
//@ what = "share"
//@ pattern = '(\d+\.\d+)% of the work'
//@ [[vary]]
//@ what = "cpu"
//@ pattern = 'to CPU (\d+)'
// HIDE_START
use std::time::Duration;

use support::pin::{Pinned, pin_to_one_core};
use threads::priority::{
    Share, WEIGHT_NICE_0, WEIGHT_NICE_19, compete, expected_share_of_nice_19,
};
// HIDE_END

const RUN_FOR: Duration = Duration::from_millis(500);

fn main() {
    // Nice values matter only when threads compete for a core: pin both
    // threads (they inherit this) to one.
    match pin_to_one_core() {
        Pinned::To(cpu) => println!("Pinned to CPU {cpu}."),
        Pinned::Unsupported(why) => {
            println!("Cannot pin to one core: {why}; nothing to compete for.");
            return;
        }
    }
    let millis = RUN_FOR.as_millis();
    println!("Two threads compute for {millis} ms of wall time, twice.\n");
    for nices in [[0, 0], [0, 19]] {
        println!("At nice {} and nice {}:", nices[0], nices[1]);
        match compete(&nices, RUN_FOR) {
            Ok(shares) => report(&shares),
            Err(why) => println!("  cannot run this: {why}"),
        }
    }
    println!(
        "\nThe kernel's weights: nice 0 is {WEIGHT_NICE_0}, nice 19 is \
         {WEIGHT_NICE_19}; {WEIGHT_NICE_19} / ({WEIGHT_NICE_0} + \
         {WEIGHT_NICE_19}) = {:.2}%.",
        expected_share_of_nice_19() * 100.0
    );
}

// HIDE_START
fn report(shares: &[Share]) {
    let all: u64 = shares.iter().map(|s| s.work).sum();
    for (i, share) in shares.iter().enumerate() {
        let percent = share.work as f64 / all.max(1) as f64 * 100.0;
        println!(
            "  thread {} (nice {:>2}): {:>5.1} ms of CPU, {percent:.2}% of the work",
            i + 1,
            share.nice,
            share.cpu.as_secs_f64() * 1e3,
        );
    }
}
// HIDE_END
