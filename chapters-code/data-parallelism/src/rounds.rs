//! Side-by-side timing on a machine whose speed drifts.
//!
//! On a virtual machine, how much two cores can do at once is not fixed: the
//! host runs other machines on the same hardware, and the second core's
//! share of it changes from one second to the next. Timing version A for a
//! couple of seconds and then version B for a couple of seconds (as
//! criterion does) compares A in one state of the machine with B in
//! another. [`rotating_rounds`] instead times every version once per
//! *round*, back to back, rotating which goes first, and keeps the ratios
//! per round: within a round the machine's state is nearly the same for
//! all versions, so a ratio of two versions' times is fair even when the
//! times themselves are not.

use std::time::{Duration, Instant};

/// The statistics the cells take of the rounds.
pub use support::stats::{median, range};

// ANCHOR: rounds
/// Runs every one of `versions` once per round, for `rounds` rounds; round
/// `r` starts with version `r % versions.len()`, so no version is always
/// first (or always right after a particular other). Returns the times,
/// `times[v][r]` for version `v` in round `r`.
pub fn rotating_rounds(
    rounds: usize,
    versions: &mut [&mut dyn FnMut()],
) -> Vec<Vec<Duration>> {
    let n = versions.len();
    let mut times = vec![Vec::with_capacity(rounds); n];
    for r in 0..rounds {
        for k in 0..n {
            let v = (r + k) % n;
            let start = Instant::now();
            (versions[v])();
            times[v].push(start.elapsed());
        }
    }
    times
}
// ANCHOR_END: rounds

/// Per round, `base`'s time divided by `other`'s: how many times faster
/// `other` was than `base` in that round.
pub fn ratios(base: &[Duration], other: &[Duration]) -> Vec<f64> {
    base.iter()
        .zip(other)
        .map(|(b, o)| b.as_secs_f64() / o.as_secs_f64().max(1e-12))
        .collect()
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;

    use super::*;

    #[test]
    fn every_version_runs_once_per_round_and_the_first_rotates() {
        let calls = RefCell::new(Vec::new());
        let mut a = || calls.borrow_mut().push('a');
        let mut b = || calls.borrow_mut().push('b');
        let mut c = || calls.borrow_mut().push('c');
        let mut versions: [&mut dyn FnMut(); 3] = [&mut a, &mut b, &mut c];
        let times = rotating_rounds(4, &mut versions);
        assert_eq!(
            calls.into_inner().iter().collect::<String>(),
            "abcbcacababc"
        );
        assert!(times.iter().all(|t| t.len() == 4));
    }

    #[test]
    fn ratios_are_per_round() {
        let ms = Duration::from_millis;
        assert_eq!(ratios(&[ms(10), ms(30)], &[ms(5), ms(10)]), [2.0, 3.0]);
    }
}
