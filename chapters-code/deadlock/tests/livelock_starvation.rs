//! Livelock and its cure; starvation and its cure.

use std::time::Duration;

use deadlock::livelock::polite_threads;
use deadlock::starvation::writer_wait;

#[test]
fn lockstep_politeness_makes_no_progress() {
    let outcome = polite_threads(100, false);
    assert_eq!(outcome.succeeded_in, None);
    assert_eq!(outcome.rounds, 100);
    assert_eq!(outcome.stepped_back, 200, "both stepped back every round");
}

#[test]
fn coin_flips_break_the_symmetry() {
    // Each round ends the livelock with probability 1/2: 100 rounds without
    // progress would take a one-in-2^100 streak.
    for _ in 0..20 {
        let outcome = polite_threads(100, true);
        assert!(outcome.succeeded_in.is_some(), "{outcome:?}");
    }
}

#[test]
fn overlapping_readers_starve_a_writer_unless_the_lock_is_fair() {
    let (readers, hold, period) =
        (6, Duration::from_millis(5), Duration::from_millis(300));
    // Retried, in case a busy machine leaves a gap between readers.
    let mut seen = Vec::new();
    for _ in 0..3 {
        let unfair = writer_wait(false, readers, hold, period);
        let fair = writer_wait(true, readers, hold, period);
        // Unfair: the writer waits for most of the readers' period. Fair: it
        // waits for the readers inside to finish, a few holds at most.
        if unfair >= period / 2 && fair < period / 4 {
            return;
        }
        seen.push((unfair, fair));
    }
    panic!("no clear starvation and cure: (unfair, fair) waits {seen:?}");
}
