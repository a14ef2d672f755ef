//! The knowledge check's "which final counts are possible?" question on the
//! racy loop, decided by loom: it runs two threads' `add_racily` in every
//! interleaving that can change the outcome, and the set of final counts it
//! sees must be exactly the set of answers the quiz accepts.
//!
//! `RUSTFLAGS="--cfg loom" cargo test --release -p shared-state --test loom`
//! (`cargo book test` runs it).

#![cfg(loom)]

use std::collections::BTreeSet;
use std::sync::Mutex;

use loom::thread;
use shared_state::lost_update::add_racily;
use shared_state::sync::AtomicU64;

/// Every final count of two threads each adding 1 `times` times, over all
/// of loom's executions.
fn every_final_count(times: u64) -> BTreeSet<u64> {
    // Plain std types, outside the model, so that the set gathers what every
    // execution saw.
    let finals = std::sync::Arc::new(Mutex::new(BTreeSet::new()));
    let seen = finals.clone();
    // No bound on preemptions: the count 2 needs four of them (A, B, A, B,
    // A, B, each switch in the middle of the other's work), more than
    // `cargo book test`'s LOOM_MAX_PREEMPTIONS=2 allows, and the model is
    // small enough to explore whole.
    let mut model = loom::model::Builder::new();
    model.preemption_bound = None;
    model.check(move || {
        let counter = loom::sync::Arc::new(AtomicU64::new(0));
        let other = counter.clone();
        let b = thread::spawn(move || add_racily(&other, times));
        add_racily(&counter, times);
        // `add_racily` cannot panic, so neither can the thread.
        b.join().unwrap();
        let total = counter.load(std::sync::atomic::Ordering::Relaxed);
        // Nothing panics while holding this lock, so it is never poisoned.
        seen.lock().unwrap().insert(total);
    });
    // As above: never poisoned.
    let finals = finals.lock().unwrap().clone();
    finals
}

#[test]
fn two_additions_each_end_in_exactly_the_counts_the_quiz_accepts() {
    let (answers, distractors) = support::quiz::choices(
        "shared-state",
        "shared-state/two-additions-each",
    );
    let counts = |choices: Vec<String>| -> BTreeSet<u64> {
        choices
            .iter()
            .map(|c| c.parse().expect("the question's choices are counts"))
            .collect()
    };
    let possible = every_final_count(2);
    assert_eq!(possible, counts(answers), "the quiz's answers");
    assert!(
        possible.is_disjoint(&counts(distractors)),
        "a distractor is possible: {possible:?}"
    );
}

#[test]
fn one_addition_each_can_lose_one() {
    // The table in the chapter: 1 or 2, nothing else.
    assert_eq!(every_final_count(1), BTreeSet::from([1, 2]));
}
