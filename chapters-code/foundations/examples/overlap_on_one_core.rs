//! Chapter 1, cell `overlap_on_one_core`: concurrency without parallelism.
//! The program confines itself to one core (on Linux), then runs three waits
//! and three computations, first one after another and then all at once,
//! while a heartbeat thread keeps ticking.
//@ timeout = 30
//@ [[vary]]
//@ what = "measured"
//@ pattern = '(\d+\.\d\d)'
//@ [[vary]]
//@ what = "cpu"
//@ pattern = 'to CPU (\d+)'
// HIDE_START
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use foundations::pin::{Pinned, pin_to_one_core};
use support::measure::spin_cpu;
use support::timeline::Timeline;
// HIDE_END

/// How long each wait, and each computation, lasts.
const JOB: Duration = Duration::from_millis(300);
/// How often the heartbeat wants to tick.
const BEAT: Duration = Duration::from_millis(20);

fn main() -> std::io::Result<()> {
    match pin_to_one_core() {
        Pinned::To(cpu) => println!("Pinned to CPU {cpu}: this program and all its threads share one core."),
        Pinned::Unsupported(why) => println!("Not pinned ({why}); the computations may run in parallel here."),
    }
    let timeline = Timeline::new();
    let stop = AtomicBool::new(false);
    let ticks = Mutex::new(Vec::new());

    thread::scope(|s| {
        // The heartbeat: a thread that only wants to wake up every 20 ms,
        // the way a user interface wants to redraw.
        s.spawn(|| {
            while !stop.load(Ordering::Relaxed) {
                ticks.lock().unwrap().push(Instant::now());
                thread::sleep(BEAT);
            }
        });

        // A wait uses no CPU: the thread sleeps, as it would while a disk or
        // a server prepares an answer.
        let wait = || thread::sleep(JOB);
        let compute = || {
            spin_cpu(JOB);
        };
        for (what, job) in [("waits", &wait as &(dyn Fn() + Sync)), ("computations", &compute)] {
            let label = &what[..what.len() - 1];
            println!("\nThree {what} of {} ms each:", JOB.as_millis());
            let start = Instant::now();
            for _ in 0..3 {
                timeline.record("main", label, job);
            }
            println!("  one after another:  {:.2} s", start.elapsed().as_secs_f64());
            let start = Instant::now();
            thread::scope(|s| {
                for n in 1..=3 {
                    let timeline = &timeline;
                    s.spawn(move || timeline.record(format!("thread {n}"), label, job));
                }
            });
            println!("  all three at once:  {:.2} s", start.elapsed().as_secs_f64());
        }
        stop.store(true, Ordering::Relaxed);
    });
    let gap = longest_gap(&ticks.into_inner().unwrap());
    println!("\nMeanwhile a heartbeat thread ticked every {} ms.", BEAT.as_millis());
    println!("  The longest it went without a tick: {:.2} s", gap.as_secs_f64());

    // The same computations with no second thread: the "heartbeat" can only
    // tick between them, as a program with one thread of control must.
    let mut ticks = vec![Instant::now()];
    for _ in 0..3 {
        spin_cpu(JOB);
        ticks.push(Instant::now());
    }
    println!("With the ticks on the computing thread itself, between computations:");
    println!("  The longest it went without a tick: {:.2} s", longest_gap(&ticks).as_secs_f64());

    timeline.show("one-core", "Three waits, then three computations, on one core")
}

// HIDE_START
fn longest_gap(ticks: &[Instant]) -> Duration {
    ticks.windows(2).map(|w| w[1] - w[0]).max().unwrap_or_default()
}
// HIDE_END
