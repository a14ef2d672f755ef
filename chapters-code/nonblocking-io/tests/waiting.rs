//! Busy-waiting versus sleeping versus `poll`: relative comparisons only,
//! each measured side by side and retried a few times, since a busy
//! machine can spoil any single run. The tests take turns (one lock), so
//! that one test's busy loop does not slow another's measurement.

use std::time::Duration;

use nonblocking_io::waiting::{Strategy, Summary, summarize};
use support::guard::take_turns;

const DELAY: Duration = Duration::from_millis(50);
const ROUNDS: usize = 5;
const ATTEMPTS: usize = 4;

fn run(strategy: Strategy) -> Summary {
    summarize(strategy, DELAY, ROUNDS).unwrap()
}

/// True if `holds` held in one of a few attempts; prints the others.
fn in_some_attempt(mut holds: impl FnMut() -> Result<(), String>) -> bool {
    let _alone = take_turns();
    for attempt in 1..=ATTEMPTS {
        match holds() {
            Ok(()) => return true,
            Err(why) => eprintln!("attempt {attempt}: {why}"),
        }
    }
    false
}

#[test]
fn busy_waiting_burns_far_more_cpu_than_sleeping() {
    assert!(in_some_attempt(|| {
        let busy = run(Strategy::Busy);
        let sleep = run(Strategy::Sleep(Duration::from_millis(1)));
        if busy.cpu > sleep.cpu * 5 && busy.tries > sleep.tries * 5 {
            Ok(())
        } else {
            Err(format!("busy {busy:?} vs sleep {sleep:?}"))
        }
    }));
}

#[test]
fn sleeping_notices_later_than_busy_waiting() {
    assert!(in_some_attempt(|| {
        let busy = run(Strategy::Busy);
        let sleep = run(Strategy::Sleep(Duration::from_millis(10)));
        if sleep.median_late() > busy.median_late() {
            Ok(())
        } else {
            Err(format!("busy {busy:?} vs sleep {sleep:?}"))
        }
    }));
}

#[cfg(unix)]
#[test]
fn poll_is_cheap_and_prompt() {
    assert!(in_some_attempt(|| {
        let busy = run(Strategy::Busy);
        let sleep = run(Strategy::Sleep(Duration::from_millis(10)));
        let poll = run(Strategy::Poll);
        if poll.cpu * 5 < busy.cpu
            && poll.median_late() < sleep.median_late()
            && poll.tries <= ROUNDS as u64
        {
            Ok(())
        } else {
            Err(format!("busy {busy:?}, sleep {sleep:?}, poll {poll:?}"))
        }
    }));
}
