//! Sums over memory, and the floating-point sums whose order matters.

use data_parallelism::memory::{
    data, f64_sum_in_order, f64_sum_in_two_halves, heavy, sum_parallel,
    sum_sequential,
};
use rayon::prelude::*;

#[test]
fn the_sequential_and_the_parallel_sum_agree_exactly_on_integers() {
    let d = data(5_000_000);
    assert_eq!(sum_sequential(&d), sum_parallel(&d));
    // Integer addition (even wrapping) is associative: order cannot matter.
    let h: Vec<u64> = d[..10_000].iter().map(|&x| heavy(x)).collect();
    let seq = h.iter().fold(0u64, |a, &b| a.wrapping_add(b));
    let par = h.par_iter().copied().reduce(|| 0, u64::wrapping_add);
    assert_eq!(seq, par);
}

/// The float sums of the misconceptions section: adding in two halves
/// rounds differently from adding left to right.
#[test]
fn float_sums_depend_on_the_order_of_additions() {
    // The textbook case: 0.1 + 0.2 + 0.3 in two orders.
    assert_ne!((0.1 + 0.2) + 0.3, 0.1 + (0.2 + 0.3));
    // The cell's case: ten million times 0.1.
    let tenths = vec![0.1f64; 10_000_000];
    let in_order = f64_sum_in_order(&tenths);
    let halves = f64_sum_in_two_halves(&tenths);
    assert_ne!(in_order, halves);
    // Both are close to a million, neither is exactly a million.
    assert!((in_order - 1e6).abs() < 1.0 && in_order != 1e6);
    assert!((halves - 1e6).abs() < 1.0 && halves != 1e6);
}
