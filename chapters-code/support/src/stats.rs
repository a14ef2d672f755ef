//! A few order statistics for lists of measurements: the median, the
//! quartiles and the range. Medians and quartiles, not means: one round
//! disturbed by the rest of the machine moves a mean, and barely moves a
//! median.

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
}
