//! Cell `treiber_stack_epoch`: a lock-free stack on
//! crossbeam-epoch under four threads, and the rule that makes freeing its
//! nodes safe: nothing retired is freed while a thread that might still see
//! it is pinned.
// HIDE_START
use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

use crossbeam_tools::treiber::{TreiberStack, deferred_free};
// HIDE_END

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
    let seen = deferred_free(1_000, Duration::from_secs(10));
    println!(
        "retired while main is pinned; after 1000 collections: freed {}",
        seen.freed_while_pinned
    );
    println!(
        "main unpinned; a few collections later: freed {}",
        seen.freed_after_unpin
    );
}
