//! Helgrind, Valgrind's race detector, on the programs of
//! `shared_state::detectors`: it finds the unsynchronized counter's data
//! race; it also reports correct code built on atomics (a std `Mutex`, a
//! Release/Acquire flag), which it cannot see as synchronization; and it
//! finds nothing when the racy code did not run.
//!
//! Each test runs this test binary again under Helgrind, with only the
//! ignored `program` below selected, and the program to run named in an
//! environment variable. Without Valgrind (macOS, or not installed) the
//! tests say so and check nothing.

use std::process::Command;

use shared_state::detectors::{
    HelgrindReport, flag_publish, mutex_count, parse_helgrind,
    unsynchronized_count, valgrind_version,
};

/// The environment variable that names the program `program` runs.
const PROGRAM: &str = "SHARED_STATE_HELGRIND_PROGRAM";
/// The source the reports point into.
const SOURCE: &str = include_str!("../src/detectors.rs");

/// Not a test: the program Helgrind watches, run by the tests below.
#[test]
#[ignore = "run by the helgrind tests, under Valgrind"]
fn program() {
    match std::env::var(PROGRAM).as_deref() {
        Ok("unsynchronized") => println!("{}", unsynchronized_count(1_000)),
        Ok("unsynchronized-idle") => println!("{}", unsynchronized_count(0)),
        Ok("mutex") => println!("{}", mutex_count(1_000)),
        Ok("publish") => println!("{}", flag_publish(42)),
        Ok(other) => panic!("no program {other}"),
        // Run by hand (`--ignored`): nothing was asked for.
        Err(_) => println!("run only by the helgrind tests"),
    }
}

/// What Helgrind reports about one program, or `None` without Valgrind.
fn helgrind_on(program: &str) -> Option<HelgrindReport> {
    if valgrind_version().is_none() {
        println!(
            "skipped: Valgrind is not installed (`apt install valgrind`; \
             it does not run on macOS)"
        );
        return None;
    }
    // The path of this very test binary; it exists, since it is running.
    let me = std::env::current_exe().expect("the test binary has a path");
    let out = Command::new("valgrind")
        .arg("--tool=helgrind")
        .arg(me)
        .args(["--exact", "program", "--ignored", "--test-threads=1"])
        .env(PROGRAM, program)
        .output()
        .expect("valgrind starts");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{program} failed under Helgrind:\n{stdout}"
    );
    assert!(
        stdout.contains("1 passed"),
        "{program} did not run:\n{stdout}"
    );
    let report =
        parse_helgrind(&String::from_utf8_lossy(&out.stderr), "detectors.rs");
    println!("{program}: {report:?}");
    Some(report)
}

/// The line numbers of `detectors.rs` that contain `text`.
fn lines_with(text: &str) -> Vec<u32> {
    (1..)
        .zip(SOURCE.lines())
        .filter(|(_, line)| line.contains(text))
        .map(|(n, _)| n)
        .collect()
}

#[test]
fn helgrind_finds_the_unsynchronized_counters_race() {
    let Some(report) = helgrind_on("unsynchronized") else {
        return;
    };
    let read = lines_with("count.read_volatile()");
    let write = lines_with("count.write_volatile(seen + 1)");
    assert!(!report.races.is_empty(), "no race found: {report:?}");
    // Every race is at the read or the write of `add_unsynchronized`
    // (optimised, the two may become one instruction on the write's line).
    for race in &report.races {
        assert!(
            read.contains(&race.line) || write.contains(&race.line),
            "{race:?} is not in add_unsynchronized"
        );
    }
    assert!(report.races.iter().any(|r| r.access.starts_with("write")));
}

#[test]
fn helgrind_reports_a_mutex_counter_it_cannot_see_locking() {
    let Some(report) = helgrind_on("mutex") else {
        return;
    };
    // Correct code: std's Mutex is built on atomics and the futex system
    // call, not on the pthread mutex Helgrind knows.
    let add = lines_with("*counter.lock().unwrap() += 1");
    assert!(
        report.races.iter().any(|r| add.contains(&r.line)),
        "expected a (false) report at the addition: {report:?}"
    );
}

#[test]
fn helgrind_reports_a_correct_release_acquire_publish() {
    let Some(report) = helgrind_on("publish") else {
        return;
    };
    // The value is read after the Acquire load saw the flag: correct, but
    // Helgrind does not know what Release and Acquire promise.
    let read = lines_with("unsafe { *self.value.get() }");
    assert!(
        report.races.iter().any(|r| read.contains(&r.line)),
        "expected a (false) report at the read of the value: {report:?}"
    );
}

#[test]
fn helgrind_says_nothing_of_a_race_that_did_not_run() {
    let Some(report) = helgrind_on("unsynchronized-idle") else {
        return;
    };
    // The same racy code, with no additions to make: no racing access ran,
    // so there is nothing to report.
    assert!(report.races.is_empty(), "{report:?}");
}
