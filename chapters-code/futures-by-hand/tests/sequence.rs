//! The recorded messages of `block_on`, `join` and the timer (the cell
//! `join_steps`) say what the code does: every run of the same program
//! records the same messages, in the order the code enforces.
//!
//! Recording is global to this test program: the tests take turns.

// The timer and the join are left out of a loom build.
#![cfg(not(loom))]

use std::time::Duration;

use futures_by_hand::block_on::block_on;
use futures_by_hand::join::join;
use futures_by_hand::timer::Timer;
use support::guard::{guarded, take_turns};
use support::sequence::{Event, Sequence};

/// Records `block_on(join(timer a, timer b))` with timers of `a` and `b`.
fn record_join(a: Duration, b: Duration) -> Vec<Event> {
    let sequence = Sequence::new(&[]);
    let recorded = std::sync::Arc::clone(&sequence);
    guarded(
        Duration::from_secs(20),
        "block_on(join) returned",
        move || {
            recorded.record(|| {
                block_on(join(
                    Timer::after(a).named("timer a"),
                    Timer::after(b).named("timer b"),
                ))
            })
        },
    );
    sequence.events()
}

/// The messages as `from > to: label`, for comparing.
fn plain(events: &[Event]) -> Vec<String> {
    events
        .iter()
        .map(|e| format!("{} > {}: {}", e.from, e.to, e.label))
        .collect()
}

#[test]
fn joined_timers_send_the_messages_the_code_enforces() {
    let _turn = take_turns();
    let events =
        record_join(Duration::from_millis(100), Duration::from_millis(250));
    // First poll: each timer starts its thread, leaves the waker, and is
    // Pending; then timer a fires, then timer b.
    let expected = [
        "block_on > join: poll",
        "join > timer a: poll",
        "timer a > timer a's thread: start",
        "timer a > timer a's thread: waker",
        "timer a > join: Pending",
        "join > timer b: poll",
        "timer b > timer b's thread: start",
        "timer b > timer b's thread: waker",
        "timer b > join: Pending",
        "join > block_on: Pending",
        "block_on > block_on: park",
        "timer a's thread > timer a's thread: deadline",
        "timer a's thread > block_on: wake",
        "block_on > join: poll",
        "join > timer a: poll",
        "timer a > join: Ready",
        "join > timer b: poll",
        "timer b > timer b's thread: waker",
        "timer b > join: Pending",
        "join > block_on: Pending",
        "block_on > block_on: park",
        "timer b's thread > timer b's thread: deadline",
        "timer b's thread > block_on: wake",
        "block_on > join: poll",
        "join > timer b: poll",
        "timer b > join: Ready",
        "join > block_on: Ready",
    ];
    assert_eq!(plain(&events), expected);
}

#[test]
fn the_order_follows_the_deadlines_not_the_order_of_the_sides() {
    let _turn = take_turns();
    // Timer b is due first now: its thread wakes block_on first, and the
    // second round of polls finds b Ready and a still Pending.
    let events =
        record_join(Duration::from_millis(250), Duration::from_millis(100));
    let plain = plain(&events);
    let deadlines: Vec<&str> = plain
        .iter()
        .filter(|m| m.ends_with("deadline"))
        .map(|m| m.split(" > ").next().unwrap_or_default())
        .collect();
    assert_eq!(deadlines, ["timer b's thread", "timer a's thread"]);
    let answers: Vec<&String> = plain
        .iter()
        .filter(|m| m.starts_with("timer") && m.contains("> join:"))
        .collect();
    assert_eq!(
        answers,
        [
            "timer a > join: Pending",
            "timer b > join: Pending",
            "timer a > join: Pending",
            "timer b > join: Ready",
            "timer a > join: Ready",
        ]
    );
}

/// The rules every run obeys, whatever the delays.
fn check_rules(events: &[Event]) {
    let first = events.first().expect("a message");
    assert_eq!((&*first.from, &*first.label), ("block_on", "poll"));
    let last = events.last().expect("a message");
    assert_eq!((&*last.to, &*last.label), ("block_on", "Ready"));
    // block_on polls again only after a wake: every Pending it receives
    // is followed by a wake before its next poll.
    let mut waiting_for_wake = Vec::new();
    for (i, event) in events.iter().enumerate() {
        match event.label.as_str() {
            "Pending" if event.to == "block_on" => {
                waiting_for_wake.push(i);
            }
            "wake" => {
                assert!(
                    waiting_for_wake.pop().is_some(),
                    "message {}: a wake with nobody waiting",
                    i + 1
                );
            }
            "poll" if event.from == "block_on" => {
                assert!(
                    waiting_for_wake.is_empty(),
                    "message {}: block_on polled again without a wake",
                    i + 1
                );
            }
            _ => {}
        }
    }
    // Each timer: start once, first; every Pending follows a waker left
    // with its thread, and its thread's deadline comes before its Ready.
    for timer in ["timer a", "timer b"] {
        let thread = format!("{timer}'s thread");
        let mine: Vec<&Event> = events
            .iter()
            .filter(|e| e.from.starts_with(timer) || e.to.starts_with(timer))
            .collect();
        let starts = mine.iter().filter(|e| e.label == "start").count();
        assert_eq!(starts, 1, "{timer} starts its thread once");
        for (i, e) in mine.iter().enumerate() {
            if e.from == timer && e.label == "Pending" {
                let before = &mine[i - 1];
                assert_eq!((&*before.to, &*before.label), (&*thread, "waker"));
            }
        }
        let deadline = mine.iter().position(|e| e.label == "deadline");
        let ready = mine.iter().position(|e| e.label == "Ready");
        assert!(deadline.is_some() && deadline < ready, "{timer}: {mine:?}");
    }
}

#[test]
fn every_pending_waits_for_a_wake_before_the_next_poll() {
    let _turn = take_turns();
    check_rules(&record_join(
        Duration::from_millis(100),
        Duration::from_millis(250),
    ));
    check_rules(&record_join(
        Duration::from_millis(200),
        Duration::from_millis(50),
    ));
}

#[test]
fn each_message_points_at_its_note_in_the_chapter_code() {
    let _turn = take_turns();
    let events =
        record_join(Duration::from_millis(20), Duration::from_millis(120));
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    for event in events {
        let text = std::fs::read_to_string(format!("{root}/{}", event.file))
            .expect("the noting file can be read");
        let line = text.lines().nth(event.line as usize - 1).unwrap_or("");
        assert!(
            line.trim_start().starts_with("note(")
                && line.contains(&format!("\"{}\"", event.label)),
            "{event:?}: {line}"
        );
        assert!(event.file.starts_with("chapters-code/futures-by-hand/src/"));
    }
}

#[test]
fn lanes_are_named_after_the_futures_types() {
    let _turn = take_turns();
    // A timer alone: its default name, and its thread's.
    let sequence = Sequence::new(&[]);
    sequence.record(|| block_on(Timer::after(Duration::from_millis(10))));
    assert_eq!(sequence.lanes(), ["block_on", "timer", "timer's thread"]);
    // An async block is a "future".
    let sequence = Sequence::new(&[]);
    sequence.record(|| block_on(async { 7 }));
    let plain = plain(&sequence.events());
    assert_eq!(
        plain,
        ["block_on > future: poll", "future > block_on: Ready"]
    );
}
