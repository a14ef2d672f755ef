//! Cooperative scheduling: a task runs until it returns `Pending`, and no
//! one can take the thread from it before. A ticker that wants to run
//! every few milliseconds, beside a task that computes for a long time,
//! shows it.

use std::hint::black_box;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use support::timeline::Timeline;

use crate::executor::spawn;
use crate::future::yield_now;
use crate::runtime::Runtime;
use crate::time::{sleep, sleep_until};

/// What happened, in the order it happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// The ticker ran: its `n`th tick, `late` after it was due.
    Tick { n: u32, late: Duration },
    /// The hog started computing.
    HogStart,
    /// The hog finished: it `took` this long by the wall clock, of which
    /// `computing` inside `spin_for` (the rest went to the executor, the
    /// other tasks and the machine, between its slices).
    HogEnd { took: Duration, computing: Duration },
}

/// How the hog computes.
#[derive(Debug, Clone, Copy)]
pub struct Hog {
    /// How long it computes in all (wall-clock time, see [`spin_for`]).
    pub work: Duration,
    /// `None`: all in one go, never yielding. `Some(slice)`: computes a
    /// slice at a time, and yields after each.
    pub slice: Option<Duration>,
}

/// Computes for `duration` of wall-clock time, without an `.await`. (Not
/// CPU time: on a busy machine, 150 ms of CPU time can take twice as long
/// by the clock, and the ticks' lateness is measured by the clock.)
pub fn spin_for(duration: Duration) -> u64 {
    let start = Instant::now();
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    while start.elapsed() < duration {
        // A little arithmetic between clock reads.
        for _ in 0..1_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
        }
        x = black_box(x);
    }
    x
}

/// The ticker's period and how many ticks it makes.
pub const TICK: Duration = Duration::from_millis(10);
/// Ticks of the ticker.
pub const TICKS: u32 = 30;

// ANCHOR: hog
/// Runs a ticker (every [`TICK`], [`TICKS`] times) and, from its third
/// tick on, a hog beside it, on one runtime. Records the spans on
/// `timeline` and returns the events in order.
pub fn ticker_and_hog(hog: Hog, timeline: &Arc<Timeline>) -> Vec<Event> {
    let events = Arc::new(Mutex::new(Vec::new()));
    let log = {
        let events = Arc::clone(&events);
        move |e: Event| events.lock().expect("never poisoned").push(e)
    };
    let runtime = Runtime::new().expect("a runtime");
    runtime.block_on({
        let timeline = Arc::clone(timeline);
        async move {
            let ticker = spawn({
                let (timeline, log) = (Arc::clone(&timeline), log.clone());
                async move {
                    let start = Instant::now();
                    for n in 1..=TICKS {
                        // Due at a fixed time: a tick held up is late,
                        // and the ticks after it are not pushed back.
                        let due = start + TICK * n;
                        sleep_until(due).await;
                        let late = due.elapsed();
                        let at = timeline.now();
                        timeline.add("ticker", "tick", at, at + TICK / 5);
                        log(Event::Tick { n, late });
                    }
                }
            });
            sleep(TICK * 2 + TICK / 2).await;
            let hog = spawn(async move {
                log(Event::HogStart);
                let started = Instant::now();
                let mut computing = Duration::ZERO;
                match hog.slice {
                    // No `.await` in here: nothing else runs until it ends.
                    None => {
                        timeline
                            .record("hog", "compute", || spin_for(hog.work));
                        computing = started.elapsed();
                    }
                    Some(slice) => {
                        let mut done = Duration::ZERO;
                        let mut slices = 0;
                        let mut bar_start = timeline.now();
                        while done < hog.work {
                            let slice_start = Instant::now();
                            spin_for(slice);
                            computing += slice_start.elapsed();
                            done += slice;
                            slices += 1;
                            // One bar on the timeline per ten slices, or
                            // the picture would hold thousands of bars.
                            if slices % 10 == 0 || done >= hog.work {
                                let now = timeline.now();
                                timeline.add("hog", "", bar_start, now);
                                bar_start = now;
                            }
                            yield_now().await;
                        }
                    }
                }
                log(Event::HogEnd {
                    took: started.elapsed(),
                    computing,
                });
            });
            hog.await;
            ticker.await;
        }
    });
    drop(runtime);
    Arc::try_unwrap(events)
        .map(|m| m.into_inner().expect("never poisoned"))
        .unwrap_or_default()
}
// ANCHOR_END: hog

/// The ticks that ran between the hog's start and its end.
pub fn ticks_during_hog(events: &[Event]) -> usize {
    let start = events.iter().position(|e| *e == Event::HogStart);
    let end = events
        .iter()
        .position(|e| matches!(e, Event::HogEnd { .. }));
    match (start, end) {
        (Some(s), Some(e)) => events[s..e]
            .iter()
            .filter(|e| matches!(e, Event::Tick { .. }))
            .count(),
        _ => 0,
    }
}

/// How long the hog took by the wall clock, and how much of that it spent
/// computing (zeros if it never ended).
pub fn hog_times(events: &[Event]) -> (Duration, Duration) {
    events
        .iter()
        .find_map(|e| match e {
            Event::HogEnd { took, computing } => Some((*took, *computing)),
            _ => None,
        })
        .unwrap_or_default()
}

/// The latest any tick ran.
pub fn worst_lateness(events: &[Event]) -> Duration {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Tick { late, .. } => Some(*late),
            _ => None,
        })
        .max()
        .unwrap_or_default()
}
