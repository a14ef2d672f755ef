//! Cell `overlap_on_one_core`: concurrency without parallelism.
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

use support::measure::spin_cpu;
use support::pin::{Pinned, pin_to_one_core};
use support::timeline::Timeline;
// HIDE_END

/// How long each wait, and each computation, lasts.
const JOB: Duration = Duration::from_millis(300);
/// How often the heartbeat wants to tick.
const BEAT: Duration = Duration::from_millis(20);

fn main() -> std::io::Result<()> {
    let cores = match pin_to_one_core() {
        Pinned::To(cpu) => {
            println!(
                "Pinned to CPU {cpu}: all this program's threads share it."
            );
            "one core"
        }
        Pinned::Unsupported(why) => {
            println!("Not pinned ({why}): it may use every core.");
            "every core"
        }
    };
    let timeline = Timeline::new();
    let stop = AtomicBool::new(false);
    let ticks = Mutex::new(Vec::new());

    thread::scope(|s| {
        // The heartbeat: a thread that only wants to wake up every 20 ms,
        // the way a user interface wants to redraw.
        s.spawn(|| {
            while !stop.load(Ordering::Relaxed) {
                // Nothing panics while holding this lock: unwrap is safe.
                ticks.lock().unwrap().push(Instant::now());
                thread::sleep(BEAT);
            }
        });

        // The heartbeat stops when this closure ends, normally or by a panic;
        // otherwise the scope would wait for it forever.
        let _stop = StopOnDrop(&stop);

        // A wait uses no CPU: the thread sleeps, as it would while a disk or
        // a server prepares an answer.
        one_then_all("waits", "wait", &|| thread::sleep(JOB), &timeline);
        // A computation needs the core for all of its 300 ms.
        let compute = || {
            spin_cpu(JOB);
        };
        one_then_all("computations", "compute", &compute, &timeline);
    });
    let gap = longest_gap(&ticks.into_inner().unwrap());
    println!(
        "\nMeanwhile a heartbeat thread ticked every {} ms.",
        BEAT.as_millis()
    );
    println!(
        "  The longest it went without a tick: {:.2} s",
        gap.as_secs_f64()
    );

    // The same computations with no second thread: the "heartbeat" can only
    // tick between them, as a program with one thread of control must.
    let mut ticks = vec![Instant::now()];
    for _ in 0..3 {
        spin_cpu(JOB);
        ticks.push(Instant::now());
    }
    println!(
        "With the ticks on the computing thread itself, between computations:"
    );
    println!(
        "  The longest it went without a tick: {:.2} s",
        longest_gap(&ticks).as_secs_f64()
    );

    let title = format!("Three waits, then three computations, on {cores}");
    timeline.show("one-core", &title)
}

/// Runs `job` three times one after another, then three times at once on
/// three threads, and prints how long each way took.
fn one_then_all(
    what: &str,
    label: &str,
    job: &(dyn Fn() + Sync),
    timeline: &Timeline,
) {
    println!("\nThree {what} of {} ms each:", JOB.as_millis());
    let start = Instant::now();
    for _ in 0..3 {
        timeline.record("main", label, job);
    }
    let secs = start.elapsed().as_secs_f64();
    println!("  one after another:  {secs:.2} s");
    let start = Instant::now();
    thread::scope(|s| {
        for n in 1..=3 {
            s.spawn(move || timeline.record(format!("thread {n}"), label, job));
        }
    });
    let secs = start.elapsed().as_secs_f64();
    println!("  all three at once:  {secs:.2} s");
}

// HIDE_START
/// Sets the flag when dropped.
struct StopOnDrop<'a>(&'a AtomicBool);

impl Drop for StopOnDrop<'_> {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

fn longest_gap(ticks: &[Instant]) -> Duration {
    ticks
        .windows(2)
        .map(|w| w[1] - w[0])
        .max()
        .unwrap_or_default()
}
// HIDE_END
