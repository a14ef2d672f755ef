//! The hand-built pool: every job runs, panics cost no capacity, a full
//! queue makes `execute` wait, and dropping the pool joins its workers.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::{Duration, Instant};

use message_passing::pool::ThreadPool;

#[test]
fn every_job_runs_exactly_once() {
    let ran = Arc::new(AtomicUsize::new(0));
    let pool = ThreadPool::new(3, 8).unwrap();
    for _ in 0..500 {
        let ran = Arc::clone(&ran);
        pool.execute(move || {
            ran.fetch_add(1, Ordering::Relaxed);
        })
        .unwrap();
    }
    drop(pool);
    assert_eq!(ran.load(Ordering::Relaxed), 500);
}

#[test]
fn panicking_jobs_do_not_lose_capacity() {
    let pool = ThreadPool::new(2, 8).unwrap();
    // Two panics: if each killed its worker, none would be left.
    for _ in 0..2 {
        pool.execute(|| panic!("on purpose")).unwrap();
    }
    // Two jobs that can only finish together: they need both workers at
    // the same time, so both workers must still be alive.
    let (done, finished) = crossbeam_channel::unbounded();
    let meet = Arc::new(Barrier::new(2));
    for _ in 0..2 {
        let (meet, done) = (Arc::clone(&meet), done.clone());
        pool.execute(move || {
            meet.wait();
            done.send(thread::current().name().map(String::from))
                .unwrap();
        })
        .unwrap();
    }
    let mut names = Vec::new();
    for _ in 0..2 {
        let name = finished
            .recv_timeout(Duration::from_secs(5))
            .expect("both workers survived the panics");
        names.push(name.unwrap());
    }
    names.sort();
    assert_eq!(names, ["worker 0", "worker 1"]);
    assert_eq!(pool.panicked(), 2);
    assert_eq!(pool.size(), 2);
}

#[test]
fn drop_waits_for_queued_jobs_and_joins_the_workers() {
    let ran = Arc::new(AtomicUsize::new(0));
    let pool = ThreadPool::new(2, 16).unwrap();
    for _ in 0..10 {
        let ran = Arc::clone(&ran);
        pool.execute(move || {
            thread::sleep(Duration::from_millis(5));
            ran.fetch_add(1, Ordering::Relaxed);
        })
        .unwrap();
    }
    drop(pool);
    // Every job ran before `drop` returned, and the workers are gone: the
    // closures (and their clones of `ran`) were all dropped.
    assert_eq!(ran.load(Ordering::Relaxed), 10);
    assert_eq!(Arc::strong_count(&ran), 1);
}

#[test]
fn a_full_queue_makes_execute_wait() {
    // One worker, room for one waiting job. The worker is held on a gate.
    let pool = ThreadPool::new(1, 1).unwrap();
    let (open, gate) = crossbeam_channel::bounded::<()>(0);
    pool.execute(move || gate.recv().unwrap()).unwrap();
    pool.execute(|| {}).unwrap(); // fills the queue (maybe after a moment)
    thread::scope(|s| {
        let opener = s.spawn(|| {
            thread::sleep(Duration::from_millis(100));
            open.send(()).unwrap();
        });
        let start = Instant::now();
        // The worker is busy and the queue is full (or becomes full once
        // the worker took the first job): this waits for the gate.
        pool.execute(|| {}).unwrap();
        pool.execute(|| {}).unwrap();
        assert!(start.elapsed() >= Duration::from_millis(50));
        opener.join().unwrap();
    });
}
