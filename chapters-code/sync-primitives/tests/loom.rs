//! Model checks of the hand-built primitives: loom runs each small program
//! in every interleaving its threads allow (bounded by LOOM_MAX_PREEMPTIONS)
//! and fails if any of them breaks an assertion, races on a cell, or hangs.
//!
//! Run by `cargo book test` as
//! `RUSTFLAGS="--cfg loom" cargo test -p sync-primitives --test loom --release`.
#![cfg(loom)]

use loom::sync::Arc;
use loom::sync::atomic::{AtomicUsize, Ordering};
use loom::thread;

use sync_primitives::oneshot;
use sync_primitives::semaphore::Semaphore;
use sync_primitives::spinlock::SpinLock;

// ANCHOR: spinlock_model
#[test]
fn the_spinlock_never_loses_an_increment() {
    loom::model(|| {
        let lock = Arc::new(SpinLock::new(0));
        let other = {
            let lock = Arc::clone(&lock);
            thread::spawn(move || lock.lock().with_mut(|n| *n += 1))
        };
        lock.lock().with_mut(|n| *n += 1);
        other.join().unwrap();
        assert_eq!(lock.lock().with(|n| *n), 2);
    });
}
// ANCHOR_END: spinlock_model

#[test]
fn the_semaphore_never_admits_more_than_its_permits() {
    loom::model(|| {
        let gate = Arc::new(Semaphore::new(1));
        let inside = Arc::new(AtomicUsize::new(0));
        let visit = {
            let (gate, inside) = (Arc::clone(&gate), Arc::clone(&inside));
            move || {
                let _permit = gate.acquire();
                assert_eq!(
                    inside.fetch_add(1, Ordering::SeqCst),
                    0,
                    "two inside"
                );
                inside.fetch_sub(1, Ordering::SeqCst);
            }
        };
        let other = thread::spawn(visit.clone());
        visit();
        other.join().unwrap();
    });
}

#[test]
fn the_oneshot_delivers_the_value() {
    loom::model(|| {
        let (sender, receiver) = oneshot::channel();
        let other = thread::spawn(move || sender.send(String::from("hi")));
        assert_eq!(receiver.recv(), "hi");
        other.join().unwrap();
    });
}
