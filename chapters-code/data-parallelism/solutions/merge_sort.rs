//! Solution: a parallel merge sort with `rayon::join` and a cutoff.

/// Below this many elements, sort sequentially.
pub const CUTOFF: usize = 1024;

/// Sorts `v` in ascending order, in parallel: halves sorted with
/// `rayon::join` down to [`CUTOFF`] elements, then merged.
pub fn par_merge_sort<T: Ord + Copy + Send + Sync>(v: &mut [T]) {
    if v.len() <= CUTOFF {
        v.sort_unstable();
        return;
    }
    let mid = v.len() / 2;
    {
        let (left, right) = v.split_at_mut(mid);
        // The first half runs here; the second waits in this worker's deque
        // for a thief, or runs here afterwards if nobody took it.
        rayon::join(|| par_merge_sort(left), || par_merge_sort(right));
    }
    let merged = merge(&v[..mid], &v[mid..]);
    v.copy_from_slice(&merged);
}

/// The two sorted slices as one sorted `Vec`.
fn merge<T: Ord + Copy>(left: &[T], right: &[T]) -> Vec<T> {
    let mut out = Vec::with_capacity(left.len() + right.len());
    let (mut i, mut j) = (0, 0);
    while i < left.len() && j < right.len() {
        if right[j] < left[i] {
            out.push(right[j]);
            j += 1;
        } else {
            out.push(left[i]);
            i += 1;
        }
    }
    out.extend_from_slice(&left[i..]);
    out.extend_from_slice(&right[j..]);
    out
}
