//! The recorded run of `ping_pong` is the run the code makes: the order
//! of its messages is the one the executor, the run queue and the reactor
//! enforce, every `Pending` is followed by a wake before the next poll,
//! and each message was sent from the runtime's own code.
//!
//! Recording is global to the process: every test here takes its turn.

use std::time::Duration;

use mini_runtime::ping_pong::{Exchange, LANES, MEANINGS, ping_pong};
use support::guard::{guarded, take_turns};
use support::sequence::Event;

/// Runs the exchange, one recording at a time, failing if it hangs.
fn run() -> Exchange {
    let _turn = take_turns();
    guarded(Duration::from_secs(20), "the ping-pong run", || {
        ping_pong().expect("a loopback connection and a runtime")
    })
}

fn short(events: &[Event]) -> Vec<String> {
    events
        .iter()
        .map(|e| format!("{} -> {}: {}", e.from, e.to, e.label))
        .collect()
}

#[test]
fn the_messages_come_in_the_order_the_code_enforces() {
    let exchange = run();
    assert_eq!(exchange.heard, "ping");
    assert_eq!(exchange.reply, "pong");
    // The root is polled first (its woken flag starts set), then the
    // tasks in spawn order; with both waiting, the executor sleeps. The
    // first sleep can only end with "ping" (task 2 wrote it before the
    // executor slept, and loopback delivers it at once); the second, with
    // "pong", written during task 1's second poll. Task 1's end wakes no
    // one (nobody awaits its handle yet); task 2's wakes the root.
    let expected = [
        "executor -> block_on's future: poll",
        "block_on's future -> executor: Pending",
        "executor -> run queue: pop",
        "executor -> task 1: poll",
        "task 1 -> reactor: wait: token 0, read",
        "task 1 -> executor: Pending",
        "executor -> run queue: pop",
        "executor -> task 2: poll",
        "task 2 -> reactor: wait: token 1, read",
        "task 2 -> executor: Pending",
        "executor -> reactor: park",
        "reactor -> OS: epoll_wait",
        "OS -> reactor: ready: token 0, read",
        "reactor -> executor: wakers",
        "task 1 -> run queue: wake",
        "executor -> run queue: pop",
        "executor -> task 1: poll",
        "task 1 -> executor: Ready",
        "executor -> reactor: park",
        "reactor -> OS: epoll_wait",
        "OS -> reactor: ready: token 1, read",
        "reactor -> executor: wakers",
        "task 2 -> run queue: wake",
        "executor -> run queue: pop",
        "executor -> task 2: poll",
        "block_on's future -> executor: set woken",
        "task 2 -> executor: Ready",
        "executor -> block_on's future: poll",
        "block_on's future -> executor: Ready",
    ];
    assert_eq!(short(&exchange.sequence.events()), expected);
}

#[test]
fn every_pending_is_followed_by_a_wake_before_the_next_poll() {
    let events = run().sequence.events();
    assert_eq!(events[0].label, "poll", "the run starts with a poll");
    for lane in ["block_on's future", "task 1", "task 2"] {
        // This future's polls, answers and wakes, in order.
        let mine: Vec<&str> = events
            .iter()
            .filter_map(|e| match e.label.as_str() {
                "poll" if e.to == lane => Some("poll"),
                "Pending" | "Ready" if e.from == lane => Some(e.label.as_str()),
                "wake" | "set woken" if e.from == lane => Some("wake"),
                _ => None,
            })
            .collect();
        assert_eq!(mine.first(), Some(&"poll"), "{lane}: {mine:?}");
        assert_eq!(mine.last(), Some(&"Ready"), "{lane}: {mine:?}");
        for pair in mine.windows(2) {
            let ok = matches!(
                pair,
                ["poll", "Pending" | "Ready"]
                    | ["Pending", "wake"]
                    | ["wake", "poll"]
            );
            assert!(ok, "{lane}: {pair:?} in {mine:?}");
        }
    }
}

#[test]
fn a_task_is_polled_only_after_it_was_popped_and_woken_only_by_its_token() {
    let events = run().sequence.events();
    for (i, event) in events.iter().enumerate() {
        if event.label == "poll" && event.to.starts_with("task") {
            assert_eq!(events[i - 1].label, "pop", "poll at {}", i + 1);
        }
        if event.label == "wake" {
            // The wake comes from the wakers the reactor handed back,
            // which it took for the token this task waited on.
            let task = &event.from;
            let waited = events[..i]
                .iter()
                .rev()
                .find(|e| &e.from == task && e.label.starts_with("wait: "))
                .expect("a wake follows a wait");
            let token = waited.label.trim_start_matches("wait: ");
            assert_eq!(events[i - 1].label, "wakers", "wake at {}", i + 1);
            assert_eq!(events[i - 2].label, format!("ready: {token}"));
        }
    }
}

#[test]
fn every_message_has_a_meaning_a_lane_and_a_line_of_the_runtime() {
    let sequence = run().sequence;
    assert_eq!(sequence.lanes(), LANES, "no lane beyond the declared ones");
    for event in sequence.events() {
        assert!(
            MEANINGS.iter().any(|(label, _)| *label == event.label),
            "no meaning for {:?}",
            event.label
        );
        // Sent from the runtime's code (not the program's), from a line
        // that calls `note` or one of the reactor's note helpers.
        assert!(
            ["executor.rs", "task.rs", "reactor.rs"]
                .iter()
                .any(|f| event.file.ends_with(f)),
            "{event:?}"
        );
        let text = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("src")
                .join(
                    std::path::Path::new(&event.file)
                        .file_name()
                        .expect("a file name"),
                ),
        )
        .expect("the runtime's source");
        let line = text.lines().nth(event.line as usize - 1).unwrap_or("");
        assert!(line.contains("note"), "{event:?}: {line}");
    }
}
