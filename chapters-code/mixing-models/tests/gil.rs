//! The simulated GIL: holders never overlap (by construction); waits do;
//! computations take turns and so add up; without the GIL they overlap.

mod util;

use std::time::Duration;

use mixing_models::gil::{Gil, State, Work, run};
use util::{take_turns, within_tries};

const EACH: Duration = Duration::from_millis(100);

#[test]
fn two_threads_never_hold_the_gil_at_once() {
    let _turn = take_turns();
    for work in [Work::Io(EACH), Work::Cpu(EACH)] {
        let r = run(&[work; 4], true);
        assert!(!r.any_overlap(State::Running), "{:?}", r.spans);
        assert!(!r.in_state(State::Running).is_empty());
    }
}

/// Holders never overlap, and each computation's slices together used
/// 100 ms of CPU, so the wall time is at least the sum: 400 ms. The CPU
/// used is at most about one core's worth of the wall time.
#[test]
fn computations_under_the_gil_add_up() {
    let _turn = take_turns();
    let r = run(&[Work::Cpu(EACH); 4], true);
    assert!(r.wall >= EACH * 4, "{:?}", r.wall);
    let held: Duration = r
        .in_state(State::Running)
        .iter()
        .map(|s| s.end - s.start)
        .sum();
    assert!(held >= EACH * 4 && held <= r.wall, "{held:?}, {:?}", r.wall);
    let ceiling = r.wall.mul_f64(1.1) + Duration::from_millis(10);
    assert!(r.cpu <= ceiling, "cpu {:?}, wall {:?}", r.cpu, r.wall);
}

/// The four waits overlap, so the I/O run takes about one wait, far less
/// than the computations' 400 ms.
#[test]
fn waits_under_the_gil_overlap() {
    let _turn = take_turns();
    within_tries(3, || {
        let io = run(&[Work::Io(EACH); 4], true);
        if !io.any_overlap(State::Waiting) {
            return Err(format!("no waits overlap: {:?}", io.spans));
        }
        if io.wall >= EACH * 2 {
            return Err(format!("I/O run took {:?}", io.wall));
        }
        Ok(())
    });
}

/// Without the GIL, computations run at the same time (in parallel on
/// free cores; interleaved by the kernel otherwise, but overlapping).
#[test]
fn without_the_gil_computations_overlap() {
    let _turn = take_turns();
    within_tries(3, || {
        let free = run(&[Work::Cpu(EACH); 4], false);
        match free.any_overlap(State::Running) {
            true => Ok(()),
            false => Err("no overlap without a GIL".into()),
        }
    });
}

/// The GIL hands over in turn: a thread that releases it and asks again
/// goes behind the one already waiting.
#[test]
fn the_gil_is_handed_over_in_turn() {
    let gil = Gil::default();
    let order = std::sync::Mutex::new(Vec::new());
    gil.acquire();
    std::thread::scope(|s| {
        let waiter = s.spawn(|| {
            gil.acquire();
            order.lock().unwrap().push("waiter");
            gil.release();
        });
        // Let the waiter queue up for its ticket first.
        while !waiter.is_finished() && !gil_has_waiter(&gil) {
            std::thread::yield_now();
        }
        gil.release();
        gil.acquire();
        order.lock().unwrap().push("releaser");
        gil.release();
    });
    assert_eq!(*order.lock().unwrap(), ["waiter", "releaser"]);
}

fn gil_has_waiter(gil: &Gil) -> bool {
    gil.waiting() > 0
}
