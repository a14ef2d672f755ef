//! The hand-built primitives under real threads, and what waiting costs.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex};
use std::thread;
use std::time::Duration;

use support::measure::thread_cpu_time;
use sync_primitives::oneshot;
use sync_primitives::semaphore::Semaphore;
use sync_primitives::spinlock::SpinLock;
use sync_primitives::waiting::{
    wait_by_sleeping, wait_by_spinning, wait_by_try_lock,
};

#[test]
fn the_spinlock_counts_every_increment() {
    let counter = SpinLock::new(0u64);
    thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| (0..50_000).for_each(|_| *counter.lock() += 1));
        }
    });
    assert_eq!(*counter.lock(), 200_000);
}

#[test]
fn ten_permits_admit_ten_at_once_and_never_more() {
    let pool = Semaphore::new(10);
    let (inside, most) = (AtomicUsize::new(0), AtomicUsize::new(0));
    thread::scope(|s| {
        for _ in 0..30 {
            s.spawn(|| {
                let _permit = pool.acquire();
                let now = inside.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                // Long enough that all ten permits are taken at some point.
                thread::sleep(Duration::from_millis(100));
                inside.fetch_sub(1, Ordering::SeqCst);
            });
        }
    });
    assert_eq!(most.into_inner(), 10);
}

#[test]
fn a_oneshot_crosses_threads() {
    let (sender, receiver) = oneshot::channel();
    thread::spawn(move || sender.send(vec![1, 2, 3]));
    assert_eq!(receiver.recv(), [1, 2, 3]);
}

/// CPU time a waiter thread uses while another thread takes `wait` to
/// signal it.
fn waiter_cpu(wait: impl FnOnce() + Send, signal: impl FnOnce()) -> Duration {
    thread::scope(|s| {
        let waiter = s.spawn(|| {
            let start = thread_cpu_time();
            wait();
            thread_cpu_time() - start
        });
        thread::sleep(Duration::from_millis(200));
        signal();
        waiter.join().unwrap()
    })
}

/// Busy waiting burns CPU; sleeping does not. The comparison is between the
/// two in one run; the spinners are given a few tries, in case the machine
/// is too busy to give a spinning thread much of a core.
#[test]
fn busy_waiting_burns_cpu_and_sleeping_does_not() {
    let (done, changed) = (Mutex::new(false), Condvar::new());
    let sleeping = waiter_cpu(
        || wait_by_sleeping(&done, &changed),
        || {
            *done.lock().unwrap() = true;
            changed.notify_all();
        },
    );
    assert!(
        sleeping < Duration::from_millis(20),
        "a sleeping waiter used {sleeping:?}"
    );
    for attempt in 1..=3 {
        let flag = AtomicBool::new(false);
        let spinning = waiter_cpu(
            || wait_by_spinning(&flag),
            || flag.store(true, Ordering::Release),
        );
        let lock = Mutex::new(false);
        let trying = waiter_cpu(
            || wait_by_try_lock(&lock),
            || *lock.lock().unwrap() = true,
        );
        if spinning > sleeping * 5 + Duration::from_millis(20)
            && trying > sleeping * 5 + Duration::from_millis(20)
        {
            return;
        }
        eprintln!(
            "attempt {attempt}: spinning {spinning:?}, try-lock {trying:?}, sleeping {sleeping:?}"
        );
    }
    panic!("busy waiters never burned clearly more CPU than a sleeping one");
}
