//! The interleaving players of the lost update and the check then act,
//! explored by shuttle: every schedule of the chapter's own code on two
//! threads (shuttle's depth-first scheduler, with no bound), recorded step by
//! step. The distinct runs, their outcomes and one witness per outcome are
//! what the page's players show (`outputs/<name>.schedules.json`); each
//! witness is the list of threads shuttle chose, which it replays.
//!
//! Shuttle explores every order of the steps, so the reader can pick either
//! thread at any point. (It treats memory as sequentially consistent, which
//! is all these two races need; the store-buffering test needs loom, see
//! tests/loom.rs.)
//!
//! `RUSTFLAGS="--cfg shuttle" cargo test -p shared-state --test shuttle`
//! (`cargo book test` runs it).

#![cfg(shuttle)]

use std::collections::BTreeSet;
use std::path::Path;

use shared_state::schedules;
use support::schedule::{Run, Scenario, shuttle};

const CHECKER: &str = "shuttle 0.9.10";

/// A scenario's name, title and model.
type Model = (&'static str, &'static str, fn() -> Run);

const SCENARIOS: [Model; 2] = [
    (
        "lost_update",
        "Two threads each add 1 twice to one counter, with add_racily",
        schedules::lost_update,
    ),
    (
        "check_then_act",
        "Two buyers, one free seat, buy_racy",
        schedules::check_then_act,
    ),
];

fn explored(name: &str, title: &str, model: fn() -> Run) -> Scenario {
    let mut scenario = Scenario::new(name, title, CHECKER, &["A", "B"]);
    for (run, witness) in shuttle::explore(model) {
        scenario.add(run, || witness);
    }
    scenario.read_source();
    scenario
}

#[test]
fn the_stored_players_hold_every_run_shuttle_explores() {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    for (name, title, model) in SCENARIOS {
        explored(name, title, model).store_or_compare(here);
    }
}

#[test]
fn every_witness_replays_to_its_outcome() {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    for (name, _, model) in SCENARIOS {
        let stored = Scenario::load(&Scenario::path(here, name));
        for outcome in &stored.outcomes {
            let run = shuttle::replay(&outcome.witness, model);
            assert_eq!(run.outcome, outcome.outcome, "{name}");
            assert_eq!(
                run, stored.runs[outcome.run],
                "{name}: the witness's steps"
            );
        }
    }
}

#[test]
fn every_order_of_the_steps_is_a_stored_run() {
    // Two threads of 4 steps each (read, write, read, write) can interleave
    // in 8!/(4!4!) = 70 orders, and shuttle explores each of them.
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let stored = Scenario::load(&Scenario::path(here, "lost_update"));
    let orders: BTreeSet<Vec<String>> = stored
        .runs
        .iter()
        .map(|r| r.steps.iter().map(|s| s.thread.clone()).collect())
        .collect();
    assert_eq!(orders.len(), 70);
}

#[test]
fn the_quiz_accepts_exactly_the_counts_shuttle_finds() {
    // The knowledge check asks which final counts two threads adding 1
    // twice each can end with: its answers are the player's outcomes.
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let stored = Scenario::load(&Scenario::path(here, "lost_update"));
    let counts: BTreeSet<String> = stored
        .outcome_set()
        .iter()
        .map(|o| o.trim_start_matches("counter = ").to_string())
        .collect();
    let (answers, distractors) = support::quiz::choices(
        "shared-state",
        "shared-state/two-additions-each",
    );
    assert_eq!(counts, answers.into_iter().collect(), "the quiz's answers");
    assert!(
        distractors.iter().all(|d| !counts.contains(d)),
        "a distractor is a stored outcome: {counts:?}"
    );
}
