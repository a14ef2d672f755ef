//! `CachePadded`: its size and alignment, that adjacent counters share one
//! cache line and padded neighbours are far enough apart not to (all
//! decided at compile time, so checked exactly). How much faster padded
//! counters are is a timing, so no test asserts it: the `cache_padded` cell
//! prints the ratio of one run, and the rayon chapter's criterion benchmark
//! (`data-parallelism/false_sharing`) measures the same effect side by side.

use std::mem::{align_of, size_of};
use std::sync::atomic::{AtomicU64, Ordering};

use crossbeam_tools::padded::{Adjacent, Padded, distance, hammer};
use crossbeam_utils::CachePadded;

#[test]
fn padding_puts_each_counter_on_its_own_lines() {
    let align = align_of::<CachePadded<AtomicU64>>();
    // crossbeam pads to 128 bytes on x86_64, aarch64 and powerpc64, and to
    // between 16 (m68k) and 256 (s390x) elsewhere.
    if cfg!(any(target_arch = "x86_64", target_arch = "aarch64")) {
        assert_eq!(align, 128);
    }
    assert!(align >= 16);
    assert_eq!(size_of::<CachePadded<AtomicU64>>(), align);
    let adjacent = Adjacent::default();
    let padded = Padded::default();
    assert_eq!(distance(&adjacent.a, &adjacent.b), 8);
    // Both in the same 64-byte line, wherever the pair lands.
    let line = |p: &AtomicU64| p as *const AtomicU64 as usize / 64;
    assert_eq!(line(&adjacent.a), line(&adjacent.b));
    let boxed = Box::new(Adjacent::default());
    assert_eq!(line(&boxed.a), line(&boxed.b));
    assert_eq!(distance(&*padded.a, &*padded.b), align);
    assert_eq!(size_of::<Padded>(), 2 * align);
    assert_eq!(size_of::<Adjacent>(), 16);
}

#[test]
fn hammer_counts_every_increment() {
    let p = Padded::default();
    hammer(&p.a, &p.b, 10_000);
    assert_eq!(p.a.load(Ordering::Relaxed), 10_000);
    assert_eq!(p.b.load(Ordering::Relaxed), 10_000);
}
