//! A crashing child process leaves its parent running; a panicking thread
//! leaves its process running.
//!
//! The child is this test program itself, run again with a filter that picks
//! one of the ignored "child" tests below and an environment variable that
//! lets it crash.

use std::process::Command;
use std::thread;

use threads::process::describe;

const CHILD: &str = "THREADS_TEST_CHILD";

fn run_child(test: &str) -> std::process::ExitStatus {
    Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            test,
            "--ignored",
            "--test-threads=1",
            "--nocapture",
        ])
        .env(CHILD, "1")
        .output()
        .unwrap()
        .status
}

#[test]
#[ignore = "run by the isolation tests as a child process"]
fn child_aborts() {
    if std::env::var_os(CHILD).is_some() {
        std::process::abort();
    }
}

#[test]
#[ignore = "run by the isolation tests as a child process"]
fn child_exits_with_three() {
    if std::env::var_os(CHILD).is_some() {
        std::process::exit(3);
    }
}

#[test]
fn a_child_that_exits_badly_leaves_us_running() {
    let status = run_child("child_exits_with_three");
    assert_eq!(status.code(), Some(3));
    assert_eq!(describe(status), "exited with code 3");
}

#[cfg(unix)]
#[test]
fn a_child_killed_by_a_signal_leaves_us_running() {
    let status = run_child("child_aborts");
    assert_eq!(status.code(), None, "no exit code: it was killed");
    assert_eq!(describe(status), "killed by signal 6 (SIGABRT)");
}

#[test]
fn a_panicking_thread_is_reported_by_join() {
    let handle = thread::spawn(|| -> u32 { panic!("on purpose") });
    let payload = handle.join().unwrap_err();
    assert_eq!(payload.downcast_ref::<&str>(), Some(&"on purpose"));
    // And this thread, and the process, go on.
    assert_eq!(thread::spawn(|| 2 + 2).join().unwrap(), 4);
}
