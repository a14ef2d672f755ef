//! Memory-bound work: adding up a large array does one addition per 8 bytes
//! read, so the time goes into moving bytes from memory to the core, not
//! into computing. More cores add adders, not memory bandwidth.

use std::time::{Duration, Instant};

use rayon::prelude::*;

/// `len` numbers, 0, 1, 2, ... (writing them also makes the operating
/// system give the array real memory pages before anything is timed).
pub fn data(len: usize) -> Vec<u64> {
    (0..len as u64).collect()
}

// ANCHOR: sums
/// One thread reads the whole array.
pub fn sum_sequential(data: &[u64]) -> u64 {
    data.iter().sum()
}

/// Rayon's workers read disjoint parts of the array and add them up.
pub fn sum_parallel(data: &[u64]) -> u64 {
    data.par_iter().sum()
}

/// A compute-bound counterpart of the same shape: per element, a few
/// hundred multiply-and-shift steps on a value held in a register, so
/// memory traffic is negligible next to the arithmetic.
pub fn heavy(x: u64) -> u64 {
    let mut h = x;
    for _ in 0..200 {
        h = h.wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(17) ^ x;
    }
    h
}
// ANCHOR_END: sums

/// The fastest of `runs` runs of `f`, with the value of the last run.
/// The fastest run is the one least disturbed by other programs.
pub fn best_of<R>(runs: usize, mut f: impl FnMut() -> R) -> (R, Duration) {
    let mut best = Duration::MAX;
    let mut value = None;
    for _ in 0..runs.max(1) {
        let start = Instant::now();
        let v = std::hint::black_box(f());
        best = best.min(start.elapsed());
        value = Some(v);
    }
    // `runs.max(1)` is at least 1, so the loop set `value`.
    (value.expect("at least one run"), best)
}

/// Bytes per second, in GB/s (10⁹ bytes per second).
pub fn gb_per_s(bytes: usize, took: Duration) -> f64 {
    bytes as f64 / took.as_secs_f64().max(1e-12) / 1e9
}

// ANCHOR: float_sums
/// Floating-point addition is not associative: `(a + b) + c` can differ
/// from `a + (b + c)`, because each addition rounds. A parallel sum adds in
/// another order than a loop does, so its last digits can differ. This sum
/// adds `values` left to right.
pub fn f64_sum_in_order(values: &[f64]) -> f64 {
    values.iter().sum()
}

/// The same numbers summed the way a two-thread split would: each half on
/// its own, then the two partial sums.
pub fn f64_sum_in_two_halves(values: &[f64]) -> f64 {
    let (left, right) = values.split_at(values.len() / 2);
    left.iter().sum::<f64>() + right.iter().sum::<f64>()
}
// ANCHOR_END: float_sums

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_sums_agree() {
        let d = data(1_000_003);
        let expected = 1_000_003u64 * 1_000_002 / 2;
        assert_eq!(sum_sequential(&d), expected);
        assert_eq!(sum_parallel(&d), expected);
    }
}
