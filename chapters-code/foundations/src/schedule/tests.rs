use std::sync::{Condvar, Mutex};
use std::time::Duration;

use super::*;

/// What happened, in the order it happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Event {
    Start(Task),
    End(Task),
}

fn position(events: &[Event], event: Event) -> usize {
    events
        .iter()
        .position(|e| *e == event)
        .unwrap_or_else(|| panic!("{event:?} never happened: {events:?}"))
}

#[test]
fn sequential_runs_in_the_given_order_on_one_thread() {
    let ran = Mutex::new(Vec::new());
    let me = thread::current().id();
    run_sequential(&[1, 3, 2, 4, 5], |task| {
        assert_eq!(thread::current().id(), me);
        ran.lock().unwrap().push(task);
    });
    assert_eq!(ran.into_inner().unwrap(), [1, 3, 2, 4, 5]);
}

#[test]
fn waves_respect_every_dependency() {
    let graph = TaskGraph::chapter_example();
    let events = Mutex::new(Vec::new());
    run_in_waves(&graph, |task, _| {
        events.lock().unwrap().push(Event::Start(task));
        thread::sleep(Duration::from_millis(5));
        events.lock().unwrap().push(Event::End(task));
    });
    let events = events.into_inner().unwrap();
    assert_eq!(
        events.len(),
        10,
        "every task started and ended once: {events:?}"
    );
    for task in graph.tasks() {
        for &need in graph.needs(task) {
            assert!(
                position(&events, Event::End(need))
                    < position(&events, Event::Start(task)),
                "task {task} started before task {need} ended: {events:?}"
            );
        }
    }
}

/// The proof that tasks 2, 3 and 4 really are in flight at the same time:
/// each of them waits until all three have started. Run one at a time, the
/// first would wait for the others forever (here: until the deadline, and
/// then the test fails).
#[test]
fn the_middle_wave_runs_at_the_same_time() {
    let started = Mutex::new(0);
    let all_started = Condvar::new();
    let saw_all = Mutex::new(Vec::new());
    run_in_waves(&TaskGraph::chapter_example(), |task, thread| {
        if !(2..=4).contains(&task) {
            return;
        }
        assert!((1..=3).contains(&thread));
        let mut count = started.lock().unwrap();
        *count += 1;
        all_started.notify_all();
        let (count, timeout) = all_started
            .wait_timeout_while(count, Duration::from_secs(20), |count| {
                *count < 3
            })
            .unwrap();
        saw_all
            .lock()
            .unwrap()
            .push((task, *count == 3 && !timeout.timed_out()));
    });
    let mut saw_all = saw_all.into_inner().unwrap();
    saw_all.sort();
    assert_eq!(saw_all, [(2, true), (3, true), (4, true)]);
}
