//! A loop with a fixed period: the other thing called a "quantum".
//!
//! Game loops, audio callbacks, control systems and monitoring agents do
//! their work in turns of a fixed length (a frame of 16.7 ms, a sample
//! window, a one-second tick) and sleep off whatever is left of each turn.
//! The loop quantum of that world is the period. Two ways to write it:
//!
//! - [`sleep_after`] sleeps a whole period after each turn's work. Every
//!   turn then starts late by the work of all the turns before it: the
//!   loop drifts.
//! - [`fixed_period`] computes each turn's deadline from the start
//!   (`start + n × period`) and sleeps until it. Work shorter than the
//!   period costs nothing; a turn that runs over makes the next one start
//!   late, and the one after is back on the grid. (Tokio's `interval` calls
//!   this catching up `Burst`, and also offers `Delay` and `Skip`.)

use std::time::{Duration, Instant};

// ANCHOR: turn
/// One turn of a periodic loop: when it was due and when it started,
/// both measured from the loop's start, and how long its work took.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Turn {
    pub due: Duration,
    pub started: Duration,
    pub worked: Duration,
}

/// Runs `turns` turns of `work`, the `n`th due at `n × period` after the
/// start: each turn sleeps until its own deadline, so late work does not
/// push every later turn back.
pub fn fixed_period(
    period: Duration,
    turns: u32,
    mut work: impl FnMut(u32),
) -> Vec<Turn> {
    let start = Instant::now();
    let mut log = Vec::new();
    for n in 0..turns {
        let deadline = start + period * n;
        // Sleep off the rest of the period, if any is left; a turn whose
        // deadline has passed starts at once.
        if let Some(rest) = deadline.checked_duration_since(Instant::now()) {
            std::thread::sleep(rest);
        }
        let began = Instant::now();
        work(n);
        log.push(Turn {
            due: period * n,
            started: began - start,
            worked: began.elapsed(),
        });
    }
    log
}
// ANCHOR_END: turn

/// The same loop written the naive way: work, then sleep one period.
pub fn sleep_after(
    period: Duration,
    turns: u32,
    mut work: impl FnMut(u32),
) -> Vec<Turn> {
    let start = Instant::now();
    let mut log = Vec::new();
    for n in 0..turns {
        let began = Instant::now();
        work(n);
        log.push(Turn {
            due: period * n,
            started: began - start,
            worked: began.elapsed(),
        });
        std::thread::sleep(period);
    }
    log
}

#[cfg(test)]
mod tests {
    use super::*;

    const PERIOD: Duration = Duration::from_millis(10);

    fn work(n: u32) {
        std::thread::sleep(Duration::from_millis(if n == 2 { 25 } else { 3 }));
    }

    #[test]
    fn no_turn_starts_before_it_is_due() {
        for turn in fixed_period(PERIOD, 6, work) {
            assert!(turn.started >= turn.due, "{turn:?}");
        }
    }

    #[test]
    fn sleeping_after_the_work_drifts_by_all_the_work_before() {
        let turns = sleep_after(PERIOD, 6, work);
        let mut earlier_work = Duration::ZERO;
        for turn in &turns {
            // A sleep is never shorter than asked, so each turn starts at
            // least its periods plus all earlier work after the start.
            assert!(
                turn.started >= turn.due + earlier_work,
                "{turn:?} after {earlier_work:?} of work"
            );
            earlier_work += turn.worked;
        }
    }

    #[test]
    fn the_fixed_period_loop_gets_back_on_its_grid() {
        let fixed = fixed_period(PERIOD, 6, work);
        let drifting = sleep_after(PERIOD, 6, work);
        // Turn 5 of the drifting loop waited for 5 periods and all the work
        // of turns 0 to 4 (37 ms of it); the fixed loop's turn 5 is due at 5
        // periods, and turn 2's overrun is behind it.
        assert!(
            fixed[5].started < drifting[5].started,
            "{:?} against {:?}",
            fixed[5],
            drifting[5]
        );
    }
}
