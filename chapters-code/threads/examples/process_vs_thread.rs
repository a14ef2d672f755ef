//! Cell `process_vs_thread`: what a process costs against a thread, a
//! pipe against a channel, and a system call against a thread switch.
//@ timeout = 60
//@ [[vary]]
//@ what = "measured"
//@ pattern = '(\d+\.\d+)'
//@ [[vary]]
//@ what = "cpu"
//@ pattern = 'to CPU (\d+)'
// HIDE_START
use std::io;
use std::process::Command;
use std::time::Duration;

use support::pin::{Pinned, pin_to_one_core};
use threads::crossing::{
    channel_between_threads, clock_read, median_of, pipe_between_processes,
    pipe_between_threads, system_call, time_process, time_thread,
};
// HIDE_END

/// How many times each thing is timed; the medians are printed.
const SAMPLES: usize = 101;
const ROUNDS: u32 = 1_000;
const CALLS: u32 = 20_000;

fn main() -> io::Result<()> {
    // Everything on one core, child processes too (they inherit the pin),
    // so that every hand-over below is a switch on the same core.
    match pin_to_one_core() {
        Pinned::To(cpu) => println!("Pinned to CPU {cpu}, children too."),
        Pinned::Unsupported(why) => println!("Not pinned: {why}."),
    }
    println!("Medians of {SAMPLES} timings each.\n");

    println!("Start one and wait for it to end:");
    // `true` is the smallest program there is: it exits at once.
    let process =
        median_of(SAMPLES, || time_process(&mut Command::new("true")))?;
    let thread = median_of(SAMPLES, || Ok(time_thread()))?;
    row("a process (`true`)", process);
    row("a thread", thread);
    ratio("the process", process, "the thread", thread);

    println!("\nOne byte or message there and back ({ROUNDS} per timing):");
    let pipe_threads = median_of(SAMPLES, || pipe_between_threads(ROUNDS))?;
    let pipe_processes = median_of(SAMPLES, || pipe_between_processes(ROUNDS))?;
    let channel = median_of(SAMPLES, || Ok(channel_between_threads(ROUNDS)))?;
    row("pipe, thread to thread", pipe_threads);
    row("pipe, process to process", pipe_processes);
    row("mpsc channel, thread to thread", channel);
    ratio(
        "the pipe between processes",
        pipe_processes,
        "between threads",
        pipe_threads,
    );
    ratio(
        "the channel",
        channel,
        "the pipe between threads",
        pipe_threads,
    );

    println!("\nInto the kernel and back, against a switch of threads:");
    let syscall = median_of(SAMPLES, || Ok(system_call(CALLS)))?;
    // A round trip over the channel is two hand-overs, each a switch.
    let switch = channel / 2;
    let clock = median_of(SAMPLES, || Ok(clock_read(CALLS)))?;
    row("one system call (getppid)", syscall);
    row("one thread switch (a hand-over)", switch);
    row("reading the clock (no system call)", clock);
    ratio("the switch", switch, "the system call", syscall);
    ratio("the system call", syscall, "the clock", clock);
    Ok(())
}

// HIDE_START
fn row(what: &str, took: Duration) {
    println!("  {what:<36} {:>9.3} µs", took.as_secs_f64() * 1e6);
}

fn ratio(what: &str, took: Duration, other: &str, other_took: Duration) {
    let times = took.as_secs_f64() / other_took.as_secs_f64();
    println!("  {what} takes {times:.1} times as long as {other}");
}
// HIDE_END
