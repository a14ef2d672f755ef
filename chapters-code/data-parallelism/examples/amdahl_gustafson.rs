//! Cell `amdahl_gustafson`: a program with a serial phase and a
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
//@ what = "fraction on more threads"
//@ pattern = 'p′ = (\d\.\d+)'
//@ [[vary]]
//@ what = "speedup"
//@ pattern = '(\d+\.\d+)x'
// HIDE_START
use std::thread::available_parallelism;

use data_parallelism::amdahl::{
    Phases, amdahl, amdahl_ceiling, best_run, gustafson,
};
use support::chart::{Chart, Series};
// HIDE_END

/// Steps of the serial phase, and the tasks of the parallel phase.
const STEPS: u64 = 50_000_000;
const TASK: u32 = 29;
const TASKS: usize = 96;
/// Each measurement keeps the fastest of this many runs.
const RUNS: usize = 3;
/// The grown problem is also run on one thread, which takes `threads`
/// times the parallel phase: measured up to this many threads.
const GROWN_MAX: usize = 8;

fn main() -> std::io::Result<()> {
    let cores = available_parallelism().map_or(2, |n| n.get());
    println!("this machine has {cores} cores; measured: 1 to {cores} threads");
    let tasks = vec![TASK; TASKS];
    // One thread: the phases' times give the parallel fraction p.
    let one = best_run(1, STEPS, &tasks, RUNS);
    let p = one.parallel_fraction();
    println!("1 thread: {}, p = {p:.2}", phases(&one));
    println!("Amdahl's ceiling for this p: {:.2}x", amdahl_ceiling(p));

    // Amdahl: the same problem on more threads.
    let mut measured = vec![(1.0, 1.0)];
    for threads in 2..=cores {
        let r = best_run(threads, STEPS, &tasks, RUNS);
        assert_eq!(r.result, one.result);
        let s = one.total().as_secs_f64() / r.total().as_secs_f64();
        println!("{threads} threads: {}", phases(&r));
        println!(
            "  speedup {s:.2}x, Amdahl predicts {:.2}x",
            amdahl(p, threads as f64)
        );
        measured.push((threads as f64, s));
    }

    // Gustafson: the parallel phase grows with the threads. The scaled
    // speedup is the grown problem's time on one thread over its time on
    // `threads` threads; the law predicts it from the fraction p′ of the
    // time on `threads` threads that was parallel.
    let mut scaled = vec![(1.0, 1.0)];
    for threads in 2..=cores.min(GROWN_MAX) {
        let grown = vec![TASK; TASKS * threads];
        let alone = best_run(1, STEPS, &grown, RUNS);
        let r = best_run(threads, STEPS, &grown, RUNS);
        assert_eq!(r.result, alone.result);
        let s = alone.total().as_secs_f64() / r.total().as_secs_f64();
        println!("{threads}x the tasks, 1 thread: {}", phases(&alone));
        println!(
            "{threads}x the tasks, {threads} threads: {}, p′ = {:.2}",
            phases(&r),
            r.parallel_fraction()
        );
        println!(
            "  scaled speedup {s:.2}x, Gustafson predicts {:.2}x",
            gustafson(r.parallel_fraction(), threads as f64)
        );
        scaled.push((threads as f64, s));
    }

    // HIDE_START
    // The laws for the p measured on one thread: as a prediction up to the
    // cores measured, and beyond them as a model only. (For Gustafson, the
    // grown problem on s threads has the same two phases as the original on
    // one, so its p′ is this p: the printed p′ shows how close.)
    let top = cores.max(GROWN_MAX);
    let law = |f: &dyn Fn(f64) -> f64, from: usize, to: usize| {
        (from..=to)
            .map(|s| (s as f64, f(s as f64)))
            .collect::<Vec<_>>()
    };
    let amdahl_p = |s| amdahl(p, s);
    let gustafson_p = |s| gustafson(p, s);
    let mut chart = Chart::new(
        format!(
            "Speedup against threads: measured, and the two laws for p = {p:.2}"
        ),
        "threads",
        "speedup",
    )
    .series(Series::new(
        format!("Amdahl's law, 1 to {cores} threads"),
        law(&amdahl_p, 1, cores),
    ))
    .series(Series::new(
        format!("Gustafson's law, 1 to {cores} threads"),
        law(&gustafson_p, 1, cores),
    ));
    if top > cores {
        chart = chart
            .series(Series::new(
                format!(
                    "Amdahl's law beyond {cores} cores: model, not measured"
                ),
                law(&amdahl_p, cores, top),
            ))
            .series(Series::new(
                format!(
                    "Gustafson's law beyond {cores} cores: model, not measured"
                ),
                law(&gustafson_p, cores, top),
            ));
    }
    chart
        .series(Series::new("measured, same problem", measured))
        .series(Series::new("measured, problem grown with threads", scaled))
        .show("laws")
    // HIDE_END
}

/// "serial 70 ms + parallel 115 ms = 185 ms", in whole milliseconds (the
/// sum is of the rounded figures, so that it adds up as printed).
fn phases(r: &Phases) -> String {
    let ms = |d: std::time::Duration| (d.as_secs_f64() * 1e3).round() as u64;
    let (serial, parallel) = (ms(r.serial), ms(r.parallel));
    format!(
        "serial {serial} ms + parallel {parallel} ms = {} ms",
        serial + parallel
    )
}
