//! The chapter's "which outputs are possible?" questions, checked against
//! real runs: the set of outcomes the tests see must be exactly the set of
//! answers the knowledge check (`src/shared-state/quiz.toml`) accepts.

use std::collections::BTreeSet;

use shared_state::ordering::{Order, has_parallel_cores, store_buffering};

/// Trials per round, and rounds at most: an outcome the quiz lists must
/// show within them.
const TRIALS: usize = 100_000;
const ROUNDS: usize = 20;

fn outcome(r1: usize, r2: usize) -> String {
    format!("r1 = {r1}, r2 = {r2}")
}

/// Every outcome seen with `order`, in rounds until all of `wanted` have
/// shown (or the rounds run out).
fn outcomes_seen(order: Order, wanted: &BTreeSet<String>) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    for _ in 0..ROUNDS {
        let outcomes = store_buffering(order, TRIALS);
        for (r1, row) in outcomes.counts.iter().enumerate() {
            for (r2, n) in row.iter().enumerate() {
                if *n > 0 {
                    seen.insert(outcome(r1, r2));
                }
            }
        }
        if wanted.is_subset(&seen) {
            break;
        }
    }
    seen
}

#[test]
fn store_buffering_with_seqcst_shows_exactly_the_quizs_outcomes() {
    if !has_parallel_cores() {
        eprintln!("skipped: the outcomes need two threads at the same instant");
        return;
    }
    let quiz: BTreeSet<String> = support::quiz::answers(
        "shared-state",
        "shared-state/store-buffering-seqcst",
    )
    .into_iter()
    .collect();
    assert_eq!(outcomes_seen(Order::SeqCst, &quiz), quiz);
}

#[test]
fn the_orderings_that_let_both_threads_read_zero_are_the_quizs() {
    if !has_parallel_cores() {
        eprintln!("skipped: the outcomes need two threads at the same instant");
        return;
    }
    // How the question words each ordering.
    let wording = [
        (Order::Relaxed, "Relaxed on every store and load"),
        (
            Order::ReleaseAcquire,
            "Release on the stores and Acquire on the loads",
        ),
        (Order::SeqCst, "SeqCst on every store and load"),
    ];
    let quiz: BTreeSet<String> = support::quiz::answers(
        "shared-state",
        "shared-state/store-buffering-orderings",
    )
    .into_iter()
    .collect();
    let both_zero = BTreeSet::from([outcome(0, 0)]);
    let seen: BTreeSet<String> = wording
        .iter()
        .filter(|(order, _)| {
            outcomes_seen(*order, &both_zero).contains(&outcome(0, 0))
        })
        .map(|(_, words)| words.to_string())
        .collect();
    assert_eq!(seen, quiz);
}

#[test]
fn real_runs_of_two_additions_each_end_only_in_counts_the_quiz_accepts() {
    // Loom (tests/loom.rs) decides the exact set; real runs must stay inside
    // it. The rare counts need a precise interleaving and may not show.
    let quiz: BTreeSet<u64> = support::quiz::answers(
        "shared-state",
        "shared-state/two-additions-each",
    )
    .iter()
    .map(|a| a.parse().expect("the question's answers are counts"))
    .collect();
    let seen: BTreeSet<u64> = (0..2_000)
        .map(|_| shared_state::lost_update::racy_count(2, 2))
        .collect();
    assert!(seen.is_subset(&quiz), "seen {seen:?}, quiz {quiz:?}");
}
