//! Time slices, made visible.
//!
//! A thread cannot see the scheduler, but it can see its own clock jump. A
//! thread that only computes and reads the clock in a tight loop sees the
//! time advance by a fraction of a microsecond per turn of the loop; when it
//! sees a jump of much more, it was not running in between: the kernel had
//! given its core to another thread. Each unbroken stretch is a [`Ran`].

use std::thread;
use std::time::{Duration, Instant};

/// A jump in the clock longer than this means the thread was off its core.
pub const GAP: Duration = Duration::from_micros(200);

/// A stretch of time during which a thread ran without a break, measured from
/// a common origin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ran {
    /// When the stretch started.
    pub start: Duration,
    /// When it ended.
    pub end: Duration,
}

// ANCHOR: spin
/// Computes (reads the clock in a loop) until `until` has passed since
/// `origin`, and returns the stretches during which it really ran.
pub fn spin_and_record(origin: Instant, until: Duration) -> Vec<Ran> {
    let mut stretches = Vec::new();
    let mut start = origin.elapsed();
    let mut last = start;
    while last < until {
        let now = origin.elapsed();
        if now - last > GAP {
            // The clock jumped: we were switched out between two readings.
            stretches.push(Ran { start, end: last });
            start = now;
        }
        last = now;
    }
    // The last stretch, unless the thread woke up past the deadline and
    // stopped at once (a stretch of no length).
    if last > start {
        stretches.push(Ran { start, end: last });
    }
    stretches
}
// ANCHOR_END: spin

/// Runs `threads` spinning threads at once for `duration` and returns, for
/// each, the stretches during which it ran.
pub fn spinners(threads: usize, duration: Duration) -> Vec<Vec<Ran>> {
    let origin = Instant::now();
    thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| s.spawn(move || spin_and_record(origin, duration)))
            .collect();
        // A spinner only reads the clock and pushes to its own vector: it
        // cannot panic, so joining cannot fail.
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    })
}

/// How long the stretches of one thread add up to.
pub fn total(stretches: &[Ran]) -> Duration {
    stretches.iter().map(|r| r.end - r.start).sum()
}

/// How long two threads' stretches overlap: on one core, they cannot.
pub fn overlap(a: &[Ran], b: &[Ran]) -> Duration {
    let mut sum = Duration::ZERO;
    for x in a {
        for y in b {
            let (start, end) = (x.start.max(y.start), x.end.min(y.end));
            if end > start {
                sum += end - start;
            }
        }
    }
    sum
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlap_adds_up_shared_time() {
        let ms = Duration::from_millis;
        let a = [
            Ran {
                start: ms(0),
                end: ms(10),
            },
            Ran {
                start: ms(20),
                end: ms(30),
            },
        ];
        let b = [Ran {
            start: ms(5),
            end: ms(25),
        }];
        assert_eq!(overlap(&a, &b), ms(10));
        assert_eq!(total(&a), ms(20));
    }

    #[test]
    fn a_lone_spinner_runs_to_the_end() {
        let origin = Instant::now();
        let stretches = spin_and_record(origin, Duration::from_millis(20));
        // It returns only once the time is up. (Its last stretch may end
        // before that: a thread switched out just before the deadline and
        // back after it stops at once, and that stretch has no length.)
        assert!(origin.elapsed() >= Duration::from_millis(20));
        assert!(!stretches.is_empty());
        assert!(stretches.iter().all(|r| r.start <= r.end));
        assert!(stretches.windows(2).all(|w| w[0].end <= w[1].start));
    }
}
