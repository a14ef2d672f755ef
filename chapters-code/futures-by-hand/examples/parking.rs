//! Cell `parking`: a 300 ms timer run two ways. An executor
//! that polls in a loop keeps a core busy the whole time; `block_on` polls
//! twice and parks in between.
//@ timeout = 30
//@ [[vary]]
//@ what = "measured"
//@ pattern = '( +\d+\.\d+)'
//@ [[vary]]
//@ what = "polls of the busy loop"
//@ pattern = 'busy polling:( +\d+)'
// HIDE_START
use std::time::{Duration, Instant};

use futures_by_hand::block_on::{block_on_counted, busy_poll};
use futures_by_hand::timer::Timer;
use support::measure::thread_cpu_time;
// HIDE_END

const DELAY: Duration = Duration::from_millis(300);

fn main() {
    println!("                      polls   CPU (ms)   wall (ms)");

    let (polls, cpu, wall) = measured(|| {
        let ((), polls) = busy_poll(Timer::after(DELAY));
        polls
    });
    println!("busy polling: {polls:>11} {cpu:>10.1} {wall:>11.1}");

    let (polls, cpu, wall) = measured(|| {
        let ((), counts) = block_on_counted(Timer::after(DELAY));
        u64::from(counts.polls)
    });
    println!("block_on:     {polls:>11} {cpu:>10.1} {wall:>11.1}");
}

// HIDE_START
/// Runs `work` on this thread; returns its result, this thread's CPU time
/// and the wall time, both in ms.
fn measured(work: impl FnOnce() -> u64) -> (u64, f64, f64) {
    let (cpu, wall) = (thread_cpu_time(), Instant::now());
    let polls = work();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    (polls, ms(thread_cpu_time() - cpu), ms(wall.elapsed()))
}
// HIDE_END
