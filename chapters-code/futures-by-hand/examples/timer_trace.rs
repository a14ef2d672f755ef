//! Cell `timer_trace`: a 100 ms timer future run by `block_on`.
//! Who runs when: the main thread polls and parks; the timer's thread
//! sleeps, then wakes the main thread.
//@ timeout = 30
//@ [[vary]]
//@ what = "time"
//@ pattern = '(\d+\.\d+)'
//@ [[vary]]
//@ what = "parks (a park may return early)"
//@ pattern = 'parked \((\d+)x\)'
// HIDE_START
use std::sync::Arc;
use std::time::Duration;

use futures_by_hand::block_on::{Observer, block_on_observed};
use futures_by_hand::timer::Timer;
use support::timeline::Timeline;
// HIDE_END

/// Records each poll and each wait of `block_on` on the timeline.
struct Recorder {
    timeline: Arc<Timeline>,
    started: Duration,
    /// What each poll returned.
    answers: Vec<&'static str>,
}

impl Observer for Recorder {
    fn before_poll(&mut self) {
        self.started = self.timeline.now();
    }
    fn after_poll(&mut self, ready: bool) {
        self.answers.push(if ready { "Ready" } else { "Pending" });
        let now = self.timeline.now();
        self.timeline.add("main: polls", "poll", self.started, now);
    }
    fn before_wait(&mut self) {
        self.started = self.timeline.now();
    }
    fn after_wait(&mut self, parks: u32) {
        let label = format!("parked ({parks}x)");
        let now = self.timeline.now();
        self.timeline.add("main: parked", label, self.started, now);
    }
}

fn main() -> std::io::Result<()> {
    let timeline = Arc::new(Timeline::new());
    let timer = Timer::after(Duration::from_millis(100))
        .traced(&timeline, "timer thread");
    let mut recorder = Recorder {
        timeline: Arc::clone(&timeline),
        started: Duration::ZERO,
        answers: Vec::new(),
    };
    block_on_observed(timer, &mut recorder);

    println!("   from      to (ms)  lane           what");
    for span in timeline.spans() {
        let (from, to) = (ms(span.start), ms(span.end));
        println!("{from:7.3} {to:7.3}       {:<14} {}", span.lane, span.label);
    }
    println!("the polls returned: {}", recorder.answers.join(", "));
    timeline.show("timer", "A 100 ms timer future under block_on")
}

// HIDE_START
fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}
// HIDE_END
