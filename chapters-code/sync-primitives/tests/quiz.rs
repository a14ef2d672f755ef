//! The knowledge check's question on what `connection_limit` prints,
//! decided by running the cell's program: every run must print the line
//! the quiz accepts.

use std::process::Command;

#[test]
fn every_run_prints_the_peak_the_quiz_accepts() {
    let answers = support::quiz::answers(
        "sync-primitives",
        "sync-primitives/connection-limit-outputs",
    );
    let program = support::examples::built("connection_limit");
    for _ in 0..20 {
        let out = Command::new(&program)
            .env("NOTEBOOK_FIGURES", std::env::temp_dir())
            .output()
            .unwrap();
        assert!(out.status.success());
        let text = String::from_utf8_lossy(&out.stdout);
        let line = text
            .lines()
            .find(|l| l.starts_with("most connections open at once"))
            .expect("the peak line");
        assert_eq!(answers, [line], "{text}");
    }
}

/// The knowledge check's question on the thread-local tally, decided by
/// running the cell's program.
#[test]
fn every_run_prints_the_total_the_quiz_accepts() {
    let answers = support::quiz::answers(
        "sync-primitives",
        "sync-primitives/thread-local-total",
    );
    let program = support::examples::built("once_and_local");
    // Each run builds eleven tables of primes: a few runs are enough.
    for _ in 0..3 {
        let out = Command::new(&program).output().unwrap();
        assert!(out.status.success());
        let text = String::from_utf8_lossy(&out.stdout);
        let line = text
            .lines()
            .map(str::trim)
            .find(|l| l.starts_with("shared total while"))
            .expect("the total line");
        assert_eq!(answers, [line], "{text}");
    }
}
