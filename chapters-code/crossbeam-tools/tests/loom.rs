//! Model checks of the pool's sleep/wake protocol and worker loop
//! (`src/sleep.rs`). Under `--cfg loom`, `src/sync.rs` gives `Sleepers`
//! loom's lock and condition variable, so these models run the pool's own
//! `Sleepers::publish` and `Sleepers::worker_loop`, the code the pool runs.
//! Loom cannot run crossbeam-deque itself, so a counter of queued jobs
//! stands in for the deques: what matters is the order of "push, then
//! notify" against "check, then sleep". Loom runs each small program in
//! every interleaving its threads allow (bounded by LOOM_MAX_PREEMPTIONS)
//! and fails if any of them breaks an assertion or ends with every thread
//! blocked.
//!
//! `RUSTFLAGS="--cfg loom" LOOM_MAX_PREEMPTIONS=2 cargo test --release -p
//! crossbeam-tools --test loom`
#![cfg(loom)]

use loom::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use loom::sync::{Arc, Condvar, Mutex};
use loom::thread;

use crossbeam_tools::sleep::Sleepers;

// ANCHOR: model
/// Takes one of the `queued` jobs, if there is one: the stand-in for
/// `find_job`.
fn take(queued: &AtomicUsize) -> Option<usize> {
    queued
        .fetch_update(SeqCst, SeqCst, |n| n.checked_sub(1))
        .ok()
}

/// One worker running the pool's worker loop, and the pool's owner, which
/// publishes one job, waits until it has run (as `Handle::join` waits from
/// outside the pool), then shuts the pool down. `racy` picks the broken
/// sleep.
fn one_job(racy: bool) {
    let queued = Arc::new(AtomicUsize::new(0));
    let sleepers = Arc::new(Sleepers::new());
    let done = Arc::new((Mutex::new(false), Condvar::new()));
    let worker = {
        let (queued, sleepers, done) = (
            Arc::clone(&queued),
            Arc::clone(&sleepers),
            Arc::clone(&done),
        );
        thread::spawn(move || {
            let find = || take(&queued);
            let run = |_job| {
                *done.0.lock().unwrap() = true;
                done.1.notify_all();
            };
            let has_work = || queued.load(SeqCst) > 0;
            if racy {
                sleepers.worker_loop_racy(find, run, has_work);
            } else {
                sleepers.worker_loop(find, run, has_work);
            }
        })
    };
    // Push, then notify, as `Spawner::spawn` does.
    sleepers.publish(|| {
        queued.fetch_add(1, SeqCst);
    });
    let mut finished = done.0.lock().unwrap();
    while !*finished {
        finished = done.1.wait(finished).unwrap();
    }
    drop(finished);
    sleepers.shut_down();
    worker.join().unwrap();
}

#[test]
fn a_worker_never_sleeps_through_a_new_job() {
    loom::model(|| one_job(false));
}

/// The broken protocol, run on its own by the test below: in some
/// interleaving the worker sleeps forever next to the job, and loom reports
/// the deadlock. (Loom then aborts the whole test program, hence a program
/// of its own.)
#[test]
#[ignore = "fails on purpose; run by the test below"]
fn racy_model() {
    loom::model(|| one_job(true));
}

#[test]
fn checking_for_work_before_taking_the_lock_loses_a_wake_up() {
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "racy_model",
            "--exact",
            "--ignored",
            "--test-threads=1",
            "--nocapture",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "loom did not catch the lost wake-up");
    assert!(stderr.contains("deadlock"), "{stderr}");
}
// ANCHOR_END: model

/// Two workers, and a job published just before the pool shuts down: it
/// runs, exactly once, and both workers leave their loop.
#[test]
fn shutting_down_runs_the_queued_job_and_stops_every_worker() {
    loom::model(|| {
        let queued = Arc::new(AtomicUsize::new(0));
        let ran = Arc::new(AtomicUsize::new(0));
        let sleepers = Arc::new(Sleepers::new());
        let workers: Vec<_> = (0..2)
            .map(|_| {
                let (queued, ran, sleepers) = (
                    Arc::clone(&queued),
                    Arc::clone(&ran),
                    Arc::clone(&sleepers),
                );
                thread::spawn(move || {
                    sleepers.worker_loop(
                        || take(&queued),
                        |_job| {
                            ran.fetch_add(1, SeqCst);
                        },
                        || queued.load(SeqCst) > 0,
                    );
                })
            })
            .collect();
        sleepers.publish(|| {
            queued.fetch_add(1, SeqCst);
        });
        sleepers.shut_down();
        for worker in workers {
            worker.join().unwrap();
        }
        assert_eq!(ran.load(SeqCst), 1, "the queued job did not run once");
        assert_eq!(sleepers.sleeping(), 0);
    });
}
