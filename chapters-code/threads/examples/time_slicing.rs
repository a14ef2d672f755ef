//! Cell `time_slicing`: three threads that never stop computing
//! share one core; each records when it really ran.
//@ timeout = 20
//@ [[vary]]
//@ what = "measured"
//@ pattern = '(\d+\.\d)'
//@ [[vary]]
//@ what = "count"
//@ pattern = '(\d+) (?:slices|times)'
//@ [[vary]]
//@ what = "cpu"
//@ pattern = 'to CPU (\d+)'
// HIDE_START
use std::thread;
use std::time::{Duration, Instant};

use support::pin::{Pinned, pin_to_one_core};
use support::timeline::Timeline;
use threads::slices::{Ran, spin_and_record, total};
use threads::switches::{self, Switches};
// HIDE_END

const SPINNERS: usize = 3;
const RUN_FOR: Duration = Duration::from_millis(90);

fn main() -> std::io::Result<()> {
    match pin_to_one_core() {
        Pinned::To(cpu) => {
            println!("Pinned to CPU {cpu}; spinning threads: {SPINNERS}.")
        }
        Pinned::Unsupported(why) => println!("Not pinned ({why})."),
    }
    let origin = Instant::now();
    // Each spinner computes without ever waiting, for 90 ms of wall time,
    // and reports the stretches it ran and its context switches.
    let results: Vec<(Vec<Ran>, Option<Switches>)> = thread::scope(|s| {
        let spinners: Vec<_> = (0..SPINNERS)
            .map(|_| {
                s.spawn(move || {
                    let before = switches::current();
                    let ran = spin_and_record(origin, RUN_FOR);
                    let after = switches::current();
                    // Both readings exist on Linux only: subtract them then
                    // (`zip` pairs two Options; `-` is `Switches`' own).
                    (ran, after.zip(before).map(|(a, b)| a - b))
                })
            })
            .collect();
        // Spinners only read clocks and push to vectors: they cannot panic.
        spinners.into_iter().map(|h| h.join().unwrap()).collect()
    });

    let timeline = Timeline::new();
    for (n, (ran, switched)) in results.iter().enumerate() {
        let lane = format!("spinner {}", n + 1);
        for r in ran {
            timeline.add(&lane, "", r.start, r.end);
        }
        let ms = total(ran).as_secs_f64() * 1e3;
        print!(
            "{lane}: ran {ms:.1} ms of {} ms in {} slices",
            RUN_FOR.as_millis(),
            ran.len()
        );
        match switched {
            Some(s) => println!("; preempted {} times", s.involuntary),
            None => println!(" (switch counts need Linux)"),
        }
    }
    let title =
        format!("{SPINNERS} spinning threads on one core: when each ran");
    timeline.show("time-slices", &title)
}
