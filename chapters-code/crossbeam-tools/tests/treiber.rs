//! The Treiber stack on crossbeam-epoch: last in, first out on one thread;
//! under many threads pushing and popping at once, every item is popped
//! exactly once; and every value is dropped exactly once, whether it was
//! popped or still on the stack when the stack was dropped.

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

use crossbeam_tools::treiber::{TreiberStack, deferred_free};

#[test]
fn one_thread_gets_its_items_back_last_in_first_out() {
    let stack = TreiberStack::new();
    assert!(stack.is_empty());
    assert_eq!(stack.pop(), None::<i32>);
    for i in 0..5 {
        stack.push(i);
    }
    let popped: Vec<i32> = std::iter::from_fn(|| stack.pop()).collect();
    assert_eq!(popped, [4, 3, 2, 1, 0]);
    assert!(stack.is_empty());
}

#[test]
fn many_threads_pop_every_item_exactly_once() {
    const THREADS: u64 = 8;
    const PER: u64 = 20_000;
    for _ in 0..3 {
        let stack = TreiberStack::new();
        let popped: Vec<u64> = thread::scope(|s| {
            let workers: Vec<_> = (0..THREADS)
                .map(|t| {
                    let stack = &stack;
                    s.spawn(move || {
                        // Push and pop interleaved, so that pops race with
                        // pushes and with each other on the same head.
                        let mut mine = Vec::new();
                        for i in 0..PER {
                            stack.push(t * PER + i);
                            if i % 2 == 1 {
                                mine.extend(stack.pop());
                                mine.extend(stack.pop());
                            }
                        }
                        mine
                    })
                })
                .collect();
            workers
                .into_iter()
                .flat_map(|w| w.join().unwrap())
                .collect()
        });
        // Each thread pushed PER and popped PER (two per odd i; a pop may
        // come back empty only if the stack was momentarily empty).
        let mut all = popped;
        all.extend(std::iter::from_fn(|| stack.pop()));
        assert_eq!(all.len() as u64, THREADS * PER, "an item lost or doubled");
        let distinct: HashSet<u64> = all.iter().copied().collect();
        assert_eq!(distinct.len() as u64, THREADS * PER, "an item doubled");
    }
}

/// A value that counts its drops.
struct Counted<'a>(&'a AtomicUsize);

impl Drop for Counted<'_> {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

#[test]
fn every_value_is_dropped_exactly_once() {
    let drops = AtomicUsize::new(0);
    let stack = TreiberStack::new();
    thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                for i in 0..1_000 {
                    stack.push(Counted(&drops));
                    if i % 3 == 0 {
                        // Popped values are dropped here, by us.
                        drop(stack.pop());
                    }
                }
            });
        }
    });
    let popped = drops.load(Ordering::SeqCst);
    assert_eq!(popped, 4 * 334);
    // Free the retired nodes now (as far as other tests' pins allow): their
    // destruction frees memory and must not drop a value a second time.
    collect_garbage();
    assert_eq!(
        drops.load(Ordering::SeqCst),
        4 * 334,
        "a value dropped twice"
    );
    // The rest are dropped by the stack's own Drop.
    drop(stack);
    collect_garbage();
    assert_eq!(drops.load(Ordering::SeqCst), 4_000);
}

/// Gives crossbeam-epoch many chances to free what was retired.
fn collect_garbage() {
    for _ in 0..1_000 {
        crossbeam_epoch::pin().flush();
    }
}

#[test]
fn nothing_retired_is_freed_while_a_thread_is_pinned() {
    let seen = deferred_free(1_000, Duration::from_secs(20));
    assert_eq!(seen.freed_while_pinned, 0, "freed under a pinned thread");
    assert_eq!(seen.freed_after_unpin, 1, "never freed, or freed twice");
}
