//! Cell `lock_free_queues`: the same run of producers and
//! consumers through `ArrayQueue`, `SegQueue` and `Mutex<VecDeque>`: every
//! item comes out once from each, and the times differ.
//@ timeout = 60
//@ [[vary]]
//@ what = "time"
//@ pattern = '(\d+\.\d) ms'
//@ [[vary]]
//@ what = "full-queue retries"
//@ pattern = 'full (\d+) times'
// HIDE_START
use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::Duration;

use crossbeam_queue::{ArrayQueue, SegQueue};
use crossbeam_tools::queues::{Run, each_once, run};
use support::bars::BarChart;
// HIDE_END

const PER_PRODUCER: u64 = 100_000;

/// The fastest of three runs, to take out some of the noise of a busy
/// machine.
fn best(mut one_run: impl FnMut() -> Run) -> Run {
    let runs = (0..3).map(|_| one_run());
    runs.min_by_key(|r| r.elapsed).expect("three runs")
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn main() -> std::io::Result<()> {
    let mut bars = Vec::new();
    for threads in [1, 4] {
        let total = threads as u64 * PER_PRODUCER;
        println!(
            "{threads} producer(s) and {threads} consumer(s), {total} items:"
        );
        let per = PER_PRODUCER;
        let array = best(|| run(&ArrayQueue::new(1024), threads, threads, per));
        let seg = best(|| run(&SegQueue::new(), threads, threads, per));
        let mutex =
            best(|| run(&Mutex::new(VecDeque::new()), threads, threads, per));
        for (name, r) in [
            ("ArrayQueue(1024)", &array),
            ("SegQueue", &seg),
            ("Mutex<VecDeque>", &mutex),
        ] {
            let full = if r.full > 0 || name.starts_with("Array") {
                format!(", found it full {} times", r.full)
            } else {
                String::new()
            };
            println!(
                "  {name:<17} {:>6.1} ms, every item once: {}{full}",
                ms(r.elapsed),
                each_once(r, total)
            );
            if threads == 4 {
                bars.push((name.to_string(), ms(r.elapsed)));
            }
        }
    }
    BarChart {
        title: "4 producers, 4 consumers, 400,000 items (best of 3)".into(),
        y_desc: "ms (lower is better)".into(),
        bars,
        line: None,
        decimals: 1,
    }
    .show("lock_free_queues")
}
