//! Cell `join_timers`: a 200 ms and a 300 ms timer, awaited one
//! after the other, then joined. One thread runs both ways; joined, the
//! timers run at the same time.
//@ timeout = 30
//@ [[vary]]
//@ what = "elapsed time"
//@ pattern = '(\d+) ms,'
// HIDE_START
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_by_hand::block_on::{Observer, block_on_observed};
use futures_by_hand::join::join;
use futures_by_hand::timer::Timer;
use support::timeline::Timeline;
// HIDE_END

const A: Duration = Duration::from_millis(200);
const B: Duration = Duration::from_millis(300);

fn main() -> std::io::Result<()> {
    let timeline = Arc::new(Timeline::new());
    let mut main_thread = Recorder::new(&timeline);

    // One after the other: b is not even created until a is done.
    let start = Instant::now();
    let one_after_the_other = async {
        Timer::after(A).traced(&timeline, "timer a").await;
        Timer::after(B).traced(&timeline, "timer b").await;
    };
    block_on_observed(one_after_the_other, &mut main_thread);
    let took = start.elapsed().as_millis();
    println!(
        "awaited one after the other: {took} ms, polled {} times",
        main_thread.polls
    );

    // Joined: both are polled from the start, so both threads sleep at once.
    main_thread.polls = 0;
    let start = Instant::now();
    let joined = join(
        Timer::after(A).traced(&timeline, "timer a"),
        Timer::after(B).traced(&timeline, "timer b"),
    );
    block_on_observed(joined, &mut main_thread);
    let took = start.elapsed().as_millis();
    println!(
        "joined:                      {took} ms, polled {} times",
        main_thread.polls
    );

    timeline.show(
        "join",
        "Timers of 200 and 300 ms: awaited in turn, then joined",
    )
}

// HIDE_START
/// Records the main thread's polls and parked spells on the timeline.
struct Recorder {
    timeline: Arc<Timeline>,
    started: Duration,
    polls: u32,
}

impl Recorder {
    fn new(timeline: &Arc<Timeline>) -> Self {
        let timeline = Arc::clone(timeline);
        Recorder {
            timeline,
            started: Duration::ZERO,
            polls: 0,
        }
    }
}

impl Observer for Recorder {
    fn before_poll(&mut self) {
        self.polls += 1;
        self.started = self.timeline.now();
    }
    fn after_poll(&mut self, _ready: bool) {
        let now = self.timeline.now();
        self.timeline.add("main: polls", "poll", self.started, now);
    }
    fn before_wait(&mut self) {
        self.started = self.timeline.now();
    }
    fn after_wait(&mut self, _parks: u32) {
        let now = self.timeline.now();
        self.timeline
            .add("main: parked", "parked", self.started, now);
    }
}
// HIDE_END
