//! Exercise: a parallel merge sort with `rayon::join` and a cutoff.

/// Below this many elements, sort sequentially (for example with
/// `slice::sort`, or your own insertion sort): a `join` costs more than
/// sorting a few elements.
pub const CUTOFF: usize = 1024;

/// Sorts `v` in ascending order, like `v.sort()`, but in parallel:
///
/// - if `v` has at most [`CUTOFF`] elements, sort it sequentially;
/// - otherwise split it in two halves, sort both halves with
///   `rayon::join` (so that an idle worker can steal the second half), and
///   merge the two sorted halves into `v` (through a buffer: a `Vec` of
///   `v.len()` elements is fine).
///
/// It runs in whatever rayon pool calls it (the global one, or the pool of
/// a `ThreadPool::install`). The sort need not be stable. The tests check
/// the result on many inputs and that, in a pool of two threads, both
/// threads really compared elements.
pub fn par_merge_sort<T: Ord + Copy + Send + Sync>(v: &mut [T]) {
    let _ = v;
    todo!("split, sort the halves with rayon::join, merge")
}
