//! Preemption: threads that never wait still share one core, in slices.
#![cfg(target_os = "linux")]

use std::thread;
use std::time::{Duration, Instant};

use support::pin::{Pinned, pin_to_one_core};
use threads::slices::{overlap, spin_and_record, total};
use threads::switches;

#[test]
fn spinning_threads_on_one_core_take_turns() {
    assert!(matches!(pin_to_one_core(), Pinned::To(_)));
    let run_for = Duration::from_millis(300);
    let origin = Instant::now();
    let (a, b) = thread::scope(|s| {
        let spin = || {
            let before = switches::current().unwrap();
            let ran = spin_and_record(origin, run_for);
            (ran, switches::current().unwrap() - before)
        };
        let a = s.spawn(spin);
        let b = s.spawn(spin);
        (a.join().unwrap(), b.join().unwrap())
    });
    for (ran, switched) in [&a, &b] {
        // Neither thread starved the other: each ran in several slices,
        // for a fair part of the time, and was preempted to make way.
        assert!(ran.len() >= 2, "one long stretch: {ran:?}");
        assert!(total(ran) >= run_for / 10, "starved: {:?}", total(ran));
        assert!(switched.involuntary >= 1, "{switched:?}");
    }
    // One core runs one thread at a time: their stretches do not overlap
    // (beyond the clock readings at the edges of a stretch).
    let shared = overlap(&a.0, &b.0);
    assert!(
        shared < run_for / 20,
        "they overlapped for {shared:?} on one core"
    );
}

#[test]
fn every_hand_over_on_one_core_is_a_context_switch() {
    // Runs in a thread of its own so that the pin does not outlive the test.
    thread::spawn(|| {
        assert!(matches!(pin_to_one_core(), Pinned::To(_)));
        let rounds = 2_000;
        let run = threads::pingpong::ping_pong(rounds);
        let switches = run.switches.expect("Linux counts switches");
        // Each round wakes the other thread and puts this one to sleep,
        // twice: at least one voluntary switch per round, on one core.
        assert!(
            switches.voluntary >= u64::from(rounds),
            "{rounds} rounds, {switches:?}"
        );
    })
    .join()
    .unwrap();
}
