//! The book's solution to the exercise in `src/exercises/timer_wheel.rs`.

use std::collections::HashMap;
use std::time::{Duration, Instant};

/// A timer of a [`TimerWheel`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TimerId(pub u64);

/// Timers in a ring of `slots` buckets, one per tick of length `tick`.
#[derive(Debug)]
pub struct TimerWheel {
    start: Instant,
    tick: Duration,
    /// Bucket `k % slots` holds the timers due at tick `k`, each with its
    /// tick: (tick, id). Cancelled timers stay until the bucket is visited.
    buckets: Vec<Vec<(u64, TimerId)>>,
    /// Timers added with a tick the wheel had already passed.
    late: Vec<(u64, TimerId)>,
    /// Every pending timer and its tick.
    pending: HashMap<TimerId, u64>,
    /// The first tick whose bucket has not been visited.
    next_tick: u64,
    next_id: u64,
}

impl TimerWheel {
    /// An empty wheel whose tick 0 is `start`; `tick` and `slots` are more
    /// than zero.
    pub fn new(start: Instant, tick: Duration, slots: usize) -> TimerWheel {
        assert!(!tick.is_zero() && slots > 0, "an empty wheel cannot turn");
        TimerWheel {
            start,
            tick,
            buckets: vec![Vec::new(); slots],
            late: Vec::new(),
            pending: HashMap::new(),
            next_tick: 0,
            next_id: 0,
        }
    }

    /// Adds a timer for `deadline`; it is due at the first tick at or
    /// after it.
    pub fn add(&mut self, deadline: Instant) -> TimerId {
        let after = deadline.saturating_duration_since(self.start);
        let due =
            u64::try_from(after.as_nanos().div_ceil(self.tick.as_nanos()))
                .unwrap_or(u64::MAX);
        let id = TimerId(self.next_id);
        self.next_id += 1;
        self.pending.insert(id, due);
        if due < self.next_tick {
            // Its bucket has been visited for that tick: it would wait a
            // whole turn, or for ever. It fires at the next call.
            self.late.push((due, id));
        } else {
            let slot = self.slot(due);
            self.buckets[slot].push((due, id));
        }
        id
    }

    /// Cancels a pending timer; `false` if `id` is not pending.
    pub fn cancel(&mut self, id: TimerId) -> bool {
        self.pending.remove(&id).is_some()
    }

    /// Removes and returns the timers due at or before `now`, earliest
    /// tick first, and in the order they were added within a tick.
    pub fn expired(&mut self, now: Instant) -> Vec<TimerId> {
        let mut due = std::mem::take(&mut self.late);
        if let Some(now_tick) = self.tick_at(now)
            && now_tick >= self.next_tick
        {
            // Each bucket once, however far `now` has moved.
            let ticks = now_tick - self.next_tick + 1;
            let visits = ticks.min(self.buckets.len() as u64);
            for tick in self.next_tick..self.next_tick + visits {
                let slot = self.slot(tick);
                let pending = &self.pending;
                self.buckets[slot].retain(|&(at, id)| {
                    if !pending.contains_key(&id) {
                        return false; // cancelled
                    }
                    if at <= now_tick {
                        due.push((at, id));
                        return false;
                    }
                    true // a later turn
                });
            }
            self.next_tick = now_tick + 1;
        }
        // Ids grow in the order timers were added.
        due.sort_unstable();
        due.into_iter()
            .map(|(_, id)| id)
            .filter(|id| self.pending.remove(id).is_some())
            .collect()
    }

    /// How long `poll` may sleep from `now`: until the tick of the
    /// earliest pending timer (zero if past); `None` without timers.
    pub fn next_timeout(&self, now: Instant) -> Option<Duration> {
        let earliest = *self.pending.values().min()?;
        let nanos = self.tick.as_nanos() * u128::from(earliest);
        let at = u64::try_from(nanos).ok().and_then(|nanos| {
            self.start.checked_add(Duration::from_nanos(nanos))
        });
        // A tick beyond what an `Instant` can hold: sleep for ever.
        Some(at?.saturating_duration_since(now))
    }

    fn slot(&self, tick: u64) -> usize {
        (tick % self.buckets.len() as u64) as usize
    }

    /// The last tick at or before `now`; `None` before tick 0.
    fn tick_at(&self, now: Instant) -> Option<u64> {
        let after = now.checked_duration_since(self.start)?;
        u64::try_from(after.as_nanos() / self.tick.as_nanos()).ok()
    }
}
