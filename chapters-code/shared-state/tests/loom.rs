//! The knowledge check's "which final counts are possible?" question on the
//! racy loop, decided by loom: it runs two threads' `add_racily` in every
//! interleaving that can change the outcome, and the set of final counts it
//! sees must be exactly the set of answers the quiz accepts.
//!
//! And the fences: loom also explores what each `Relaxed` load may read
//! (any store that the memory model allows, not only the latest), so it
//! finds the stale read of the unfenced mailbox that x86 never shows, and
//! proves that the fenced mailbox and the fenced store-buffering test never
//! give the outcome their fences forbid.
//!
//! `RUSTFLAGS="--cfg loom" cargo test --release -p shared-state --test loom`
//! (`cargo book test` runs it).

#![cfg(loom)]

use std::collections::BTreeSet;
use std::sync::Mutex;

use loom::thread;
use shared_state::fences::{FencedFlags, FencedMailbox, Fences};
use shared_state::lost_update::add_racily;
use shared_state::sync::{AtomicBool, AtomicU64, fence};
use std::sync::atomic::AtomicBool as AtomicBool2;
use std::sync::atomic::Ordering::{
    self, AcqRel, Acquire, Relaxed, Release, SeqCst,
};

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
    finals.lock().unwrap().clone()
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

/// Every value the receiver of a fresh mailbox can take out, when another
/// thread sends 42, over all of loom's executions.
fn every_value_received(fences: Fences) -> BTreeSet<u64> {
    let received = std::sync::Arc::new(Mutex::new(BTreeSet::new()));
    let seen = received.clone();
    loom::model(move || {
        let mailbox = loom::sync::Arc::new(FencedMailbox::default());
        let sender = mailbox.clone();
        let s = thread::spawn(move || sender.send(42, fences));
        let value = mailbox.receive(fences);
        // `send` cannot panic, so neither can the thread.
        s.join().unwrap();
        // Nothing panics while holding this lock, so it is never poisoned.
        seen.lock().unwrap().insert(value);
    });
    // As above: never poisoned.
    received.lock().unwrap().clone()
}

#[test]
fn the_fenced_mailbox_always_delivers_the_value() {
    assert_eq!(every_value_received(Fences::With), BTreeSet::from([42]));
}

#[test]
fn the_relaxed_mailbox_can_deliver_an_empty_box() {
    // What x86 never showed: the flag seen, the data not yet.
    assert_eq!(
        every_value_received(Fences::Without),
        BTreeSet::from([0, 42])
    );
}

/// Every outcome `(r1, r2)` of the store-buffering test over all of loom's
/// executions.
fn every_store_buffering_outcome(fences: Fences) -> BTreeSet<(u64, u64)> {
    let outcomes = std::sync::Arc::new(Mutex::new(BTreeSet::new()));
    let seen = outcomes.clone();
    loom::model(move || {
        let flags = loom::sync::Arc::new(FencedFlags::default());
        let other = flags.clone();
        let b = thread::spawn(move || other.b(fences));
        let r1 = flags.a(fences);
        // `b` cannot panic, so neither can the thread.
        let r2 = b.join().unwrap();
        // Nothing panics while holding this lock, so it is never poisoned.
        seen.lock().unwrap().insert((r1, r2));
    });
    // As above: never poisoned.
    outcomes.lock().unwrap().clone()
}

#[test]
fn seq_cst_fences_forbid_both_reading_zero() {
    assert_eq!(
        every_store_buffering_outcome(Fences::With),
        BTreeSet::from([(0, 1), (1, 0), (1, 1)])
    );
}

#[test]
fn without_fences_both_can_read_zero() {
    assert!(every_store_buffering_outcome(Fences::Without).contains(&(0, 0)));
}

/// A fence also pairs with an atomic operation: a Release fence before a
/// Relaxed store synchronizes with an Acquire load that reads that store
/// (no fence on the receiving side).
#[test]
fn a_release_fence_pairs_with_an_acquire_load() {
    loom::model(|| {
        let data = loom::sync::Arc::new(AtomicU64::new(0));
        let ready = loom::sync::Arc::new(AtomicBool::new(false));
        let (d, r) = (data.clone(), ready.clone());
        let sender = thread::spawn(move || {
            d.store(42, Relaxed);
            fence(Release);
            r.store(true, Relaxed);
        });
        if ready.load(Acquire) {
            assert_eq!(data.load(Relaxed), 42);
        }
        // The sender cannot panic.
        sender.join().unwrap();
    });
}

/// And the other way round: a Release store read by a Relaxed load,
/// followed by an Acquire fence.
#[test]
fn an_acquire_fence_pairs_with_a_release_store() {
    loom::model(|| {
        let data = loom::sync::Arc::new(AtomicU64::new(0));
        let ready = loom::sync::Arc::new(AtomicBool::new(false));
        let (d, r) = (data.clone(), ready.clone());
        let sender = thread::spawn(move || {
            d.store(42, Relaxed);
            r.store(true, Release);
        });
        if ready.load(Relaxed) {
            fence(Acquire);
            assert_eq!(data.load(Relaxed), 42);
        }
        // The sender cannot panic.
        sender.join().unwrap();
    });
}

/// Whether both threads of the store-buffering test can read 0 when each
/// has a `fence(order)` between its Relaxed store and its Relaxed load.
fn both_can_read_zero_with_fence(order: Ordering) -> bool {
    let both_zero = std::sync::Arc::new(AtomicBool2::new(false));
    let seen = both_zero.clone();
    loom::model(move || {
        let x = loom::sync::Arc::new(AtomicU64::new(0));
        let y = loom::sync::Arc::new(AtomicU64::new(0));
        let (x2, y2) = (x.clone(), y.clone());
        let b = thread::spawn(move || {
            y2.store(1, Relaxed);
            fence(order);
            x2.load(Relaxed)
        });
        x.store(1, Relaxed);
        fence(order);
        let r1 = y.load(Relaxed);
        // The thread cannot panic.
        let r2 = b.join().unwrap();
        if (r1, r2) == (0, 0) {
            seen.store(true, Relaxed);
        }
    });
    both_zero.load(Relaxed)
}

/// The knowledge check's fence question: of the fences it offers, exactly
/// the ones it accepts forbid both threads reading 0. A weaker fence does
/// not: Release, Acquire, or both at once (AcqRel), none orders a store
/// before a later load.
#[test]
fn only_the_fences_the_quiz_accepts_forbid_both_reading_zero() {
    let (answers, distractors) = support::quiz::choices(
        "shared-state",
        "shared-state/fence-store-buffering",
    );
    let fence_of = |choice: &str| match choice {
        "fence(Release)" => Release,
        "fence(Acquire)" => Acquire,
        "fence(AcqRel)" => AcqRel,
        "fence(SeqCst)" => SeqCst,
        other => panic!("not a fence the test knows: {other}"),
    };
    for answer in &answers {
        assert!(!both_can_read_zero_with_fence(fence_of(answer)), "{answer}");
    }
    for distractor in &distractors {
        assert!(
            both_can_read_zero_with_fence(fence_of(distractor)),
            "{distractor}"
        );
    }
}

/// A fence works through the operations next to it, in the right place: an
/// Acquire fence *before* the flag load orders nothing for that load, and
/// the receiver can see the flag and an empty mailbox.
#[test]
fn an_acquire_fence_before_the_load_does_not_help() {
    let stale = std::sync::Arc::new(AtomicBool2::new(false));
    let seen = stale.clone();
    loom::model(move || {
        let data = loom::sync::Arc::new(AtomicU64::new(0));
        let ready = loom::sync::Arc::new(AtomicBool::new(false));
        let (d, r) = (data.clone(), ready.clone());
        let sender = thread::spawn(move || {
            d.store(42, Relaxed);
            r.store(true, Release);
        });
        fence(Acquire); // too early: no load before it read the flag
        if ready.load(Relaxed) && data.load(Relaxed) == 0 {
            seen.store(true, Relaxed);
        }
        // The sender cannot panic.
        sender.join().unwrap();
    });
    assert!(stale.load(Relaxed));
}

// ---- The interleaving player of the store-buffering test ------------------
//
// Explored whole (no bound on preemptions), every execution recorded step by
// step: the distinct runs, their outcomes and one witness per outcome are what
// the page's player shows (`outputs/store_buffering.schedules.json`). Loom,
// not shuttle, because only loom lets a `Relaxed` load read an older store:
// the outcome where both read 0. (The other players are in tests/shuttle.rs.)

mod player {
    use std::path::Path;

    use shared_state::schedules;
    use support::schedule::{Scenario, loom};

    fn explored() -> Scenario {
        let mut scenario = Scenario::new(
            "store_buffering",
            "The store-buffering test under Relaxed",
            "loom 0.7.3",
            &["A", "B"],
        );
        for (run, witness) in loom::explore(schedules::store_buffering) {
            scenario.add(run, || witness);
        }
        scenario.read_source();
        scenario
    }

    #[test]
    fn the_stored_player_holds_every_run_loom_explores() {
        explored().store_or_compare(Path::new(env!("CARGO_MANIFEST_DIR")));
    }

    #[test]
    fn both_reading_zero_is_among_the_outcomes() {
        let outcomes = explored().outcome_set();
        assert!(
            outcomes.contains("A read y = 0, B read x = 0"),
            "{outcomes:?}"
        );
        assert_eq!(outcomes.len(), 4, "{outcomes:?}");
    }

    #[test]
    fn every_witness_replays_to_its_outcome() {
        let here = Path::new(env!("CARGO_MANIFEST_DIR"));
        let stored = Scenario::load(&Scenario::path(here, "store_buffering"));
        for outcome in &stored.outcomes {
            let run =
                loom::replay(&outcome.witness, schedules::store_buffering);
            assert_eq!(run.outcome, outcome.outcome);
            assert_eq!(run, stored.runs[outcome.run], "the witness's steps");
        }
    }
}
