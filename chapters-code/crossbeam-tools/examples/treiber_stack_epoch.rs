//! Chapter 15, cell `treiber_stack_epoch`: a lock-free stack on
//! crossbeam-epoch under four threads, and the rule that makes freeing its
//! nodes safe: nothing retired is freed while a thread that might still see
//! it is pinned.
// HIDE_START
use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

use crossbeam_epoch as epoch;
use crossbeam_tools::treiber::TreiberStack;
// HIDE_END

/// Counts the runs of the function retired below.
static FREED: AtomicUsize = AtomicUsize::new(0);

const THREADS: u64 = 4;
const PER: u64 = 100_000;

/// A value that counts its drops.
struct Counted<'a>(u64, &'a AtomicUsize);

impl Drop for Counted<'_> {
    fn drop(&mut self) {
        self.1.fetch_add(1, Ordering::Relaxed);
    }
}

fn main() {
    let drops = AtomicUsize::new(0);
    let stack = TreiberStack::new();
    // Every thread pushes its own numbers and pops as many, interleaved.
    let popped: Vec<u64> = thread::scope(|s| {
        let threads: Vec<_> = (0..THREADS)
            .map(|t| {
                let (stack, drops) = (&stack, &drops);
                s.spawn(move || {
                    let mut mine = Vec::new();
                    for i in 0..PER {
                        stack.push(Counted(t * PER + i, drops));
                        if let Some(item) = stack.pop() {
                            mine.push(item.0);
                        }
                    }
                    mine
                })
            })
            .collect();
        // The threads only push and pop: they cannot panic.
        threads
            .into_iter()
            .flat_map(|t| t.join().unwrap())
            .collect()
    });
    let distinct: HashSet<u64> = popped.iter().copied().collect();
    println!("{THREADS} threads pushed {} items", THREADS * PER);
    println!(
        "popped {}, distinct {}, left on the stack: {}",
        popped.len(),
        distinct.len(),
        if stack.is_empty() { "none" } else { "some" }
    );
    drop(stack);
    println!("values dropped: {}", drops.load(Ordering::Relaxed));

    // Deferred freeing, seen directly: main stays pinned while another
    // thread retires something; it cannot be freed until main unpins.
    let main_pin = epoch::pin();
    thread::scope(|s| {
        s.spawn(|| {
            let guard = epoch::pin();
            // Retire a "node": here a function that counts when it runs,
            // which is when the memory would be freed.
            guard.defer(|| FREED.fetch_add(1, Ordering::SeqCst));
            // Hand it to the global queue of garbage, then unpin.
            guard.flush();
            drop(guard);
            // Try hard to collect garbage: it stays, main is pinned.
            for _ in 0..1_000 {
                epoch::pin().flush();
            }
        });
    });
    println!(
        "retired while main is pinned; after 1000 collections: freed {}",
        FREED.load(Ordering::SeqCst)
    );
    drop(main_pin);
    // Now nobody is pinned: the next collections free it.
    let mut tries = 0;
    while FREED.load(Ordering::SeqCst) == 0 && tries < 100_000 {
        epoch::pin().flush();
        tries += 1;
    }
    println!(
        "main unpinned; a few collections later: freed {}",
        FREED.load(Ordering::SeqCst)
    );
}
