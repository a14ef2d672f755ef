//! A process costs far more to start than a thread; once both ends run, a
//! pipe between processes, a pipe between threads and a channel between
//! threads cost about the same; a system call costs far less than a switch
//! of threads, and reading the clock (Linux's vDSO) less than a system call.
//!
//! Only directions and generous ratios: never an absolute time. And the
//! fastest of many timings, not the median the cell prints: on a busy
//! machine a new thread or process may wait for a core, which hides the
//! difference; the fastest timing is one that did not wait.

use std::process::Command;
use std::thread;
use std::time::Duration;

use support::guard::take_turns;
use support::pin::{Pinned, pin_to_one_core};
use threads::crossing::{
    channel_between_threads, clock_read, pipe_between_processes,
    pipe_between_threads, system_call, time_process, time_thread,
};

const SAMPLES: usize = 31;

/// The fastest of `SAMPLES` timings.
fn fastest(mut sample: impl FnMut() -> Duration) -> Duration {
    // SAMPLES is not zero, so there is a minimum.
    (0..SAMPLES).map(|_| sample()).min().unwrap()
}

/// Runs `f` on a thread pinned to one core (the pin ends with the thread),
/// or returns `None` after saying why it could not pin.
fn pinned<R: Send>(f: impl FnOnce() -> R + Send) -> Option<R> {
    thread::scope(|s| {
        s.spawn(|| match pin_to_one_core() {
            Pinned::To(_) => Some(f()),
            Pinned::Unsupported(why) => {
                println!("skipped: cannot pin to one core: {why}");
                None
            }
        })
        .join()
        .unwrap()
    })
}

fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64()
}

#[test]
fn a_process_costs_more_to_start_than_a_thread() {
    let _turn = take_turns();
    let process = fastest(|| time_process(&mut Command::new("true")).unwrap());
    let thread = fastest(time_thread);
    // The cell shows some twenty times; demand three.
    assert!(
        ratio(process, thread) > 3.0,
        "process {process:?}, thread {thread:?}"
    );
}

#[test]
fn round_trips_cost_about_the_same_between_processes_and_threads() {
    let _turn = take_turns();
    let Some((processes, threads, channel)) = pinned(|| {
        let rounds = 500;
        (
            fastest(|| pipe_between_processes(rounds).unwrap()),
            fastest(|| pipe_between_threads(rounds).unwrap()),
            fastest(|| channel_between_threads(rounds)),
        )
    }) else {
        return;
    };
    // "About the same": within a factor of three either way.
    for (what, r) in [
        ("pipe, processes / threads", ratio(processes, threads)),
        ("channel / pipe, threads", ratio(channel, threads)),
    ] {
        assert!((1.0 / 3.0..3.0).contains(&r), "{what}: {r:.2}");
    }
}

#[cfg(unix)]
#[test]
fn a_system_call_costs_less_than_a_thread_switch() {
    let _turn = take_turns();
    let Some((syscall, switch)) = pinned(|| {
        (
            fastest(|| system_call(20_000)),
            // A round trip is two hand-overs, each a switch.
            fastest(|| channel_between_threads(500) / 2),
        )
    }) else {
        return;
    };
    // The cell shows some twenty times; demand three.
    assert!(
        ratio(switch, syscall) > 3.0,
        "switch {switch:?}, system call {syscall:?}"
    );
}

#[cfg(target_os = "linux")]
#[test]
fn reading_the_clock_needs_no_system_call() {
    // The vDSO reads the clock in user space only when the clock source
    // can be read from user space (on x86, the TSC); in some virtual
    // machines it cannot, and the vDSO falls back to a system call.
    let source = std::fs::read_to_string(
        "/sys/devices/system/clocksource/clocksource0/current_clocksource",
    )
    .unwrap_or_default();
    if !matches!(source.trim(), "tsc" | "arch_sys_counter") {
        println!("skipped: clock source {source:?} may need a system call");
        return;
    }
    let _turn = take_turns();
    let clock = fastest(|| clock_read(20_000));
    let syscall = fastest(|| system_call(20_000));
    assert!(
        ratio(syscall, clock) > 2.0,
        "system call {syscall:?}, clock {clock:?}"
    );
}
