//! The `loop_steps` cell's recording says what its program does: every
//! wait returns, every call gets one answer, a handler is called without
//! an event just after it is added, a timer is due only after a wait that
//! timed out, nothing reaches a handler after it closes, and the order is
//! the same on every run.

use support::guard::take_turns;
use support::sequence::Event;

// The cell itself: its `main` is not called here.
#[allow(dead_code)]
#[path = "../examples/loop_steps.rs"]
mod loop_steps;

const OS: &str = event_loop::event_loop::OS;

/// One recorded run (recording is global to the process: tests take
/// turns).
fn run() -> (Vec<Event>, std::sync::Arc<support::sequence::Sequence>) {
    let _turn = take_turns();
    let (echo, sequence) =
        loop_steps::record().expect("the cell's program runs");
    assert_eq!(echo, "hello\n");
    (sequence.events(), sequence)
}

fn is_call(e: &Event) -> bool {
    e.from == "loop"
        && (e.label.starts_with("ready(")
            || e.label == "timeout()"
            || e.label == "stop()")
}

fn is_answer(e: &Event) -> bool {
    e.to == "loop" && ["Wait", "Again", "Close"].contains(&e.label.as_str())
}

#[test]
fn every_run_tells_the_same_story() {
    let expected = [
        ("loop", OS, "poll, 0 ms"),
        (OS, "loop", "nothing ready"),
        ("loop", "listener", "ready(no event)"),
        ("listener", "loop", "Wait"),
        ("loop", OS, "poll, no timeout"),
        ("client", OS, "connect"),
        (OS, "loop", "token 1: readable"),
        ("loop", "listener", "ready(readable)"),
        ("listener", "loop", "add handler"),
        ("listener", "loop", "Wait"),
        ("loop", OS, "poll, 0 ms"),
        (OS, "loop", "nothing ready"),
        ("loop", "session 1", "ready(no event)"),
        ("session 1", "loop", "Wait"),
        ("loop", OS, "poll, no timeout"),
        ("client", OS, "send line"),
        (OS, "loop", "token 2: readable"),
        ("loop", "session 1", "ready(readable)"),
        ("session 1", "timers", "set timer"),
        ("session 1", "loop", "Wait"),
        ("loop", OS, "poll until deadline"),
        (OS, "loop", "timed out"),
        ("timers", "loop", "due"),
        ("loop", "session 1", "timeout()"),
        ("session 1", "loop", "Close"),
        ("loop", OS, "poll, no timeout"),
        ("client", OS, "wake"),
        (OS, "loop", "token 0: waker"),
        ("loop", "listener", "stop()"),
        ("listener", "loop", "Close"),
    ];
    for _ in 0..3 {
        let (events, _) = run();
        let got: Vec<(&str, &str, &str)> = events
            .iter()
            .map(|e| (e.from.as_str(), e.to.as_str(), e.label.as_str()))
            .collect();
        assert_eq!(got, expected);
    }
}

#[test]
fn every_label_has_a_meaning_and_every_message_a_line_of_code() {
    let (events, sequence) = run();
    for e in &events {
        let fallback = format!("{} sends {}: {}.", e.from, e.to, e.label);
        assert_ne!(sequence.meaning(e), fallback, "{e:?} has no meaning");
        assert!(
            e.file.ends_with("event_loop.rs")
                || e.file.ends_with("loop_steps.rs"),
            "{e:?} was noted outside the loop and the cell"
        );
    }
}

#[test]
fn every_wait_returns_before_the_loop_calls_anyone() {
    let (events, _) = run();
    assert_eq!(events[0].label, "poll, 0 ms", "the first message is a wait");
    for (i, e) in events.iter().enumerate() {
        if e.from != "loop" || e.to != OS {
            continue;
        }
        // The next message from the OS to the loop comes before any
        // message of the loop's own: only the client acts meanwhile.
        let rest = &events[i + 1..];
        let back = rest
            .iter()
            .position(|r| r.from == OS)
            .expect("every wait returns");
        assert!(
            rest[..back].iter().all(|r| r.from == "client"),
            "the loop acted during its wait: {:?}",
            &rest[..back]
        );
    }
}

#[test]
fn every_call_gets_one_answer_before_the_next_call() {
    let (events, _) = run();
    for (i, call) in events.iter().enumerate().filter(|(_, e)| is_call(e)) {
        let rest = &events[i + 1..];
        let answer = rest
            .iter()
            .position(is_answer)
            .expect("every call is answered");
        assert_eq!(rest[answer].from, call.to, "the called handler answers");
        // In between, only the handler itself speaks (it adds a handler,
        // sets its timer).
        assert!(rest[..answer].iter().all(|r| r.from == call.to));
    }
    let calls = events.iter().filter(|e| is_call(e)).count();
    let answers = events.iter().filter(|e| is_answer(e)).count();
    assert_eq!(calls, answers);
}

#[test]
fn a_handler_starts_without_an_event_on_the_turn_after_it_is_added() {
    let (events, _) = run();
    let added = events
        .iter()
        .position(|e| e.label == "add handler")
        .expect("the listener adds a session");
    let first = events
        .iter()
        .position(|e| e.to == "session 1")
        .expect("the session is called");
    assert!(added < first);
    assert_eq!(events[first].label, "ready(no event)");
    // It is queued, so the wait of the turn in between does not sleep.
    let waits: Vec<&str> = events[added..first]
        .iter()
        .filter(|e| e.from == "loop" && e.to == OS)
        .map(|e| e.label.as_str())
        .collect();
    assert_eq!(waits, ["poll, 0 ms"]);
}

#[test]
fn a_timer_is_due_only_after_a_wait_until_it_timed_out() {
    let (events, _) = run();
    let set = events.iter().position(|e| e.label == "set timer").unwrap();
    let due = events.iter().position(|e| e.label == "due").unwrap();
    assert!(set < due);
    // The waits between: until the deadline, never for ever.
    let waits: Vec<&str> = events[set..due]
        .iter()
        .filter(|e| e.from == "loop" && e.to == OS)
        .map(|e| e.label.as_str())
        .collect();
    assert_eq!(waits, ["poll until deadline"]);
    assert_eq!(events[due - 1].label, "timed out");
    // The loop calls the handler whose timer it was.
    assert_eq!(events[due + 1].label, "timeout()");
    assert_eq!(events[due + 1].to, events[set].from);
    // Waits before the timer was set, or after it fired, have no deadline.
    for e in events[..set].iter().chain(&events[due..]) {
        assert_ne!(e.label, "poll until deadline");
    }
}

#[test]
fn nothing_reaches_a_handler_after_it_closes_and_the_stop_comes_last() {
    let (events, _) = run();
    for (i, e) in events.iter().enumerate() {
        if e.label == "Close" {
            assert!(
                events[i + 1..]
                    .iter()
                    .all(|r| r.to != e.from && r.from != e.from),
                "{} was still in use after it closed",
                e.from
            );
        }
    }
    let wake = events.iter().position(|e| e.label == "wake").unwrap();
    assert_eq!(events[wake + 1].label, "token 0: waker");
    assert_eq!(events[wake + 2].label, "stop()");
    assert_eq!(events.last().unwrap().label, "Close");
}
