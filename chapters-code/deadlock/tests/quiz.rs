//! The knowledge check's question on what the coin-flip livelock run can
//! print, decided by running it: every line the quiz accepts shows up in
//! real runs, and no line it rejects ever does.

use std::collections::BTreeSet;

use deadlock::livelock::polite_threads;

/// Reads "a thread got both locks in round R; threads stepped back S
/// times" as (R, S).
fn parse(line: &str) -> (u32, u32) {
    let numbers: Vec<u32> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter(|part| !part.is_empty())
        .map(|part| part.parse().unwrap())
        .collect();
    assert_eq!(numbers.len(), 2, "{line}");
    (numbers[0], numbers[1])
}

#[test]
fn the_lines_a_coin_flip_run_can_print_are_the_quizs() {
    let (answers, distractors) =
        support::quiz::choices("deadlock", "deadlock/backoff-outputs");
    let wanted: BTreeSet<(u32, u32)> =
        answers.iter().map(|a| parse(a)).collect();
    let rejected: BTreeSet<(u32, u32)> =
        distractors.iter().map(|d| parse(d)).collect();
    let mut seen = BTreeSet::new();
    // The rarest answer shows in about 2% of runs: 20,000 runs miss it with
    // a probability below 10^-100. At least 2,000 runs look for the lines
    // that must never show.
    for run in 1..=20_000 {
        let outcome = polite_threads(200, true);
        let round = outcome.succeeded_in.expect("coin flips make progress");
        seen.insert((round, outcome.stepped_back));
        if run >= 2_000 && wanted.is_subset(&seen) {
            break;
        }
    }
    assert!(
        wanted.is_subset(&seen),
        "never seen: {:?}",
        wanted.difference(&seen)
    );
    assert!(
        seen.is_disjoint(&rejected),
        "seen: {:?}",
        seen.intersection(&rejected)
    );
}
