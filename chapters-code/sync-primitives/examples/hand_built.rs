//! Cell `hand_built`: the book's own spinlock, semaphore and
//! one-shot channel, at work.
// HIDE_START
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

use sync_primitives::oneshot;
use sync_primitives::semaphore::Semaphore;
use sync_primitives::spinlock::SpinLock;
// HIDE_END

fn main() {
    // SpinLock: four threads, 100,000 increments each, under the lock.
    let counter = SpinLock::new(0u64);
    thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                for _ in 0..100_000 {
                    *counter.lock() += 1;
                }
            });
        }
    });
    println!("SpinLock:  4 x 100000 increments = {}", *counter.lock());

    // Semaphore: 8 threads, at most 2 inside at once.
    let gate = Semaphore::new(2);
    let (inside, most) = (AtomicUsize::new(0), AtomicUsize::new(0));
    thread::scope(|s| {
        for _ in 0..8 {
            s.spawn(|| {
                let _permit = gate.acquire();
                let now = inside.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                thread::sleep(Duration::from_millis(10));
                inside.fetch_sub(1, Ordering::SeqCst);
            });
        }
    });
    println!(
        "Semaphore: 8 threads, 2 permits, most inside at once: {}",
        most.into_inner()
    );

    // One-shot channel: made on the thread that will receive.
    let (sender, receiver) = oneshot::channel();
    thread::scope(|s| {
        s.spawn(move || sender.send((1..=10).sum::<u32>()));
        println!("Oneshot:   the sum of 1..=10 arrived: {}", receiver.recv());
    });
}
