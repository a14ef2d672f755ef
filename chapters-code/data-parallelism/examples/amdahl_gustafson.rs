//! Chapter 14, cell `amdahl_gustafson`: a program with a serial phase and a
//! parallel phase, its parallel fraction measured on one thread, and its
//! speedups on more threads drawn against Amdahl's and Gustafson's laws.
//@ timeout = 60
//@ [[vary]]
//@ what = "cores"
//@ pattern = 'this machine has (\d+) cores'
//@ [[vary]]
//@ what = "time"
//@ pattern = '(\d+) ms'
//@ [[vary]]
//@ what = "fraction"
//@ pattern = 'p = (\d\.\d+)'
//@ [[vary]]
//@ what = "speedup"
//@ pattern = '(\d+\.\d+)x'
// HIDE_START
use std::thread::available_parallelism;

use data_parallelism::amdahl::{amdahl, amdahl_ceiling, best_run, gustafson};
use support::chart::{Chart, Series};
// HIDE_END

/// Steps of the serial phase, and the tasks of the parallel phase.
const STEPS: u64 = 50_000_000;
const TASK: u32 = 29;
const TASKS: usize = 96;
/// Each measurement keeps the fastest of this many runs.
const RUNS: usize = 3;

fn main() -> std::io::Result<()> {
    let cores = available_parallelism().map_or(2, |n| n.get());
    println!("this machine has {cores} cores; measured: 1 to {cores} threads");
    let tasks = vec![TASK; TASKS];
    // One thread: the phases' times give the parallel fraction p.
    let one = best_run(1, STEPS, &tasks, RUNS);
    let p = one.parallel_fraction();
    println!(
        "1 thread: serial {} ms + parallel {} ms, p = {p:.2}",
        one.serial.as_millis(),
        one.parallel.as_millis()
    );
    println!("Amdahl's ceiling for this p: {:.2}x", amdahl_ceiling(p));

    // Amdahl: the same problem on more threads.
    let mut measured = vec![(1.0, 1.0)];
    for threads in 2..=cores {
        let r = best_run(threads, STEPS, &tasks, RUNS);
        assert_eq!(r.result, one.result);
        let s = one.total().as_secs_f64() / r.total().as_secs_f64();
        println!(
            "{threads} threads: {} ms, speedup {s:.2}x, Amdahl predicts {:.2}x",
            r.total().as_millis(),
            amdahl(p, threads as f64)
        );
        measured.push((threads as f64, s));
    }

    // Gustafson: the parallel phase grows with the threads.
    let mut scaled = vec![(1.0, 1.0)];
    for threads in 2..=cores {
        let grown = vec![TASK; TASKS * threads];
        let r = best_run(threads, STEPS, &grown, RUNS);
        // One thread would need the serial phase plus `threads` times the
        // parallel phase: estimated from the one-thread run.
        let alone = one.serial + one.parallel * threads as u32;
        let s = alone.as_secs_f64() / r.total().as_secs_f64();
        println!(
            "{threads} threads, {threads}x the tasks: scaled speedup {s:.2}x, Gustafson predicts {:.2}x",
            gustafson(r.parallel_fraction(), threads as f64)
        );
        scaled.push((threads as f64, s));
    }

    // HIDE_START
    let top = cores.max(8);
    let model = |f: &dyn Fn(f64) -> f64| -> Vec<(f64, f64)> {
        (1..=top).map(|s| (s as f64, f(s as f64))).collect()
    };
    Chart::new(
        "Speedup against threads: measured points and the two laws",
        "threads",
        "speedup",
    )
    .series(Series::new(
        "Amdahl, model, not measured",
        model(&|s| amdahl(p, s)),
    ))
    .series(Series::new(
        "Gustafson, model, not measured",
        model(&|s| gustafson(p, s)),
    ))
    .series(Series::new("measured, same problem", measured))
    .series(Series::new("measured, problem grown with threads", scaled))
    .show("laws")
    // HIDE_END
}
