//! Where parallelism starts to pay: one operation, a sum of squares, timed
//! sequentially and with rayon over input sizes from tiny to large.
//!
//! A rayon call has a fixed cost: it splits the input, pushes jobs, wakes
//! sleeping workers and waits for them. On a small input that cost is larger
//! than the whole sequential loop; on a large one it disappears.

use std::time::{Duration, Instant};

use rayon::prelude::*;

// ANCHOR: sum_squares
/// One thread.
pub fn sum_squares_sequential(data: &[u64]) -> u64 {
    data.iter()
        .map(|x| x.wrapping_mul(*x))
        .fold(0, u64::wrapping_add)
}

/// Rayon, with its default splitting.
pub fn sum_squares_parallel(data: &[u64]) -> u64 {
    data.par_iter()
        .map(|x| x.wrapping_mul(*x))
        .reduce(|| 0, u64::wrapping_add)
}
// ANCHOR_END: sum_squares

/// The time of one call of `f`: calls are repeated in batches long enough
/// to measure (at least `batch`), and the fastest batch's mean is kept.
pub fn time_per_call<R>(batch: Duration, mut f: impl FnMut() -> R) -> Duration {
    // Find how many calls fill a batch.
    let mut calls = 1u32;
    loop {
        let start = Instant::now();
        for _ in 0..calls {
            std::hint::black_box(f());
        }
        if start.elapsed() >= batch / 4 || calls >= 1 << 24 {
            break;
        }
        calls *= 2;
    }
    calls *= 4;
    (0..5)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..calls {
                std::hint::black_box(f());
            }
            start.elapsed() / calls
        })
        .min()
        // The range has five elements, so there is a minimum.
        .expect("five batches")
}

/// One size of the sweep.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    /// Number of elements.
    pub len: usize,
    /// Time of one sequential call.
    pub sequential: Duration,
    /// Time of one rayon call.
    pub parallel: Duration,
}

impl Point {
    /// How many times faster rayon was (below 1: slower).
    pub fn speedup(&self) -> f64 {
        self.sequential.as_secs_f64() / self.parallel.as_secs_f64().max(1e-12)
    }
}

// ANCHOR: crossover
/// The smallest size from which rayon won at that size and every larger
/// one: below it, splitting and waking threads cost more than they saved.
pub fn crossover(points: &[Point]) -> Option<usize> {
    let mut from = None;
    for p in points {
        match (p.speedup() > 1.0, from) {
            (true, None) => from = Some(p.len),
            (false, _) => from = None,
            (true, Some(_)) => {}
        }
    }
    from
}
// ANCHOR_END: crossover

#[cfg(test)]
mod tests {
    use super::*;

    fn point(len: usize, seq: u64, par: u64) -> Point {
        Point {
            len,
            sequential: Duration::from_nanos(seq),
            parallel: Duration::from_nanos(par),
        }
    }

    #[test]
    fn both_versions_compute_the_same_sum() {
        let data: Vec<u64> = (0..100_000).collect();
        let expected: u64 = (0..100_000u64).map(|x| x * x).sum();
        assert_eq!(sum_squares_sequential(&data), expected);
        assert_eq!(sum_squares_parallel(&data), expected);
        assert_eq!(sum_squares_parallel(&[]), 0);
    }

    #[test]
    fn the_crossover_is_where_rayon_wins_from_then_on() {
        let points = [
            point(10, 1, 5),
            point(100, 10, 8), // a lucky win, lost again below
            point(1000, 100, 120),
            point(10_000, 1000, 600),
            point(100_000, 10_000, 5200),
        ];
        assert_eq!(crossover(&points), Some(10_000));
        assert_eq!(crossover(&points[..3]), None);
        assert_eq!(crossover(&[]), None);
    }
}
