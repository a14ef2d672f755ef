//! A few order statistics for lists of measurements: the median, the
//! quartiles, the range, and an interval for the median. Medians and
//! quartiles, not means: one round disturbed by the rest of the machine
//! moves a mean, and barely moves a median.

/// The median of some numbers (the mean of the two middle ones for an even
/// count); `NaN` for none.
pub fn median(values: &[f64]) -> f64 {
    quantile(values, 0.5)
}

/// The first and third quartiles: half of the numbers lie between them.
/// `(NaN, NaN)` for none.
pub fn quartiles(values: &[f64]) -> (f64, f64) {
    (quantile(values, 0.25), quantile(values, 0.75))
}

/// The smallest and largest of some numbers.
pub fn range(values: &[f64]) -> (f64, f64) {
    values
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &x| {
            (lo.min(x), hi.max(x))
        })
}

/// An interval that holds the median of whatever the numbers were drawn
/// from with at least 95% confidence, whatever their distribution: the
/// k-th smallest and k-th largest of them, for the largest k for which
/// fewer than 5% of samples would have the median outside (a binomial
/// count, since each number falls below the median with probability one
/// half). With fewer than 6 numbers no such pair exists, and it returns
/// the range.
pub fn median_interval_95(values: &[f64]) -> (f64, f64) {
    let n = values.len();
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    // P(at most j of n numbers fall below the median), j = 0, 1, ...,
    // built up in logarithms so that large n does not underflow.
    let ln_half_n = n as f64 * 0.5f64.ln();
    let mut ln_choose = 0.0; // ln C(n, j)
    let mut below = 0.0; // P(at most j - 1 below)
    let mut k = 0;
    for j in 0..n / 2 {
        if 2.0 * (below + (ln_choose + ln_half_n).exp()) > 0.05 {
            break;
        }
        below += (ln_choose + ln_half_n).exp();
        ln_choose += ((n - j) as f64).ln() - ((j + 1) as f64).ln();
        k = j + 1;
    }
    if k == 0 {
        return range(values);
    }
    (v[k - 1], v[n - k])
}

/// The `q`-quantile (0 to 1), interpolating linearly between the two
/// nearest ranks; `NaN` for no numbers.
fn quantile(values: &[f64], q: f64) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let at = q.clamp(0.0, 1.0) * (v.len() - 1) as f64;
    let (below, above) = (at.floor() as usize, at.ceil() as usize);
    v[below] + (v[above] - v[below]) * (at - below as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_quartiles_and_ranges() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
        assert!(median(&[]).is_nan());
        assert_eq!(quartiles(&[5.0, 1.0, 4.0, 2.0, 3.0]), (2.0, 4.0));
        assert_eq!(quartiles(&[1.0, 2.0, 3.0, 4.0]), (1.75, 3.25));
        assert_eq!(quartiles(&[7.0]), (7.0, 7.0));
        assert_eq!(range(&[2.0, 0.5, 1.5]), (0.5, 2.0));
    }

    #[test]
    fn the_median_interval_is_the_order_statistics_a_binomial_table_gives() {
        // Tables of the sign test: for 21 numbers the 6th smallest and 6th
        // largest (97.3%; the 7th would give only 92.2%); for 41 the 14th
        // (97.2%; the 15th, 94.0%); for 6, the smallest and largest (96.9%).
        let ranks = |n: usize| -> Vec<f64> {
            (1..=n).rev().map(|i| i as f64).collect()
        };
        assert_eq!(median_interval_95(&ranks(21)), (6.0, 16.0));
        assert_eq!(median_interval_95(&ranks(41)), (14.0, 28.0));
        assert_eq!(median_interval_95(&ranks(6)), (1.0, 6.0));
        // Too few for 95%: the range.
        assert_eq!(median_interval_95(&ranks(5)), (1.0, 5.0));
        // Large counts do not underflow.
        let (lo, hi) = median_interval_95(&ranks(2001));
        assert!(lo > 900.0 && lo < 1001.0 && hi > 1001.0 && hi < 1100.0);
    }
}
