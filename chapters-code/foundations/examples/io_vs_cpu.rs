//! Cell `io_vs_cpu`: an I/O-bound job and a CPU-bound job, alone
//! and four at a time, with their wall time and CPU time side by side.
//@ timeout = 60
//@ [[vary]]
//@ what = "measured"
//@ pattern = '(\d+\.\d\d)'
//@ [[vary]]
//@ what = "cores"
//@ pattern = 'has (\d+) cores'
// HIDE_START
use std::thread::{self, available_parallelism};
use std::time::Duration;

use foundations::work::{SlowServer, ask_slow_server, count_primes};
use support::measure::{Usage, measure};
// HIDE_END

/// The server takes this long to answer each request...
const SERVER_DELAY: Duration = Duration::from_millis(40);
/// ...and the I/O-bound job makes this many requests, one after another.
const REQUESTS: u32 = 10;
/// The CPU-bound job counts the primes below this.
const PRIMES_BELOW: u64 = 2_000_000;
/// How many jobs run at once in the second half.
const AT_ONCE: usize = 4;

fn main() -> std::io::Result<()> {
    let server = SlowServer::start(SERVER_DELAY)?;
    let addr = server.addr();
    let io_job = || ask_slow_server(addr, REQUESTS).map(|_| ());
    let cpu_job = || {
        count_primes(PRIMES_BELOW);
        Ok(())
    };
    println!(
        "I/O-bound job: {REQUESTS} requests to a server that answers each \
         after {} ms.",
        SERVER_DELAY.as_millis()
    );
    println!("CPU-bound job: count the primes below {PRIMES_BELOW}.");
    let cores = available_parallelism().map_or(1, |n| n.get());
    println!("This machine has {cores} cores.");

    println!("\n{:<35}wall time   CPU time   CPU/wall", "");
    let io_one = measure(io_job).1;
    let cpu_one = measure(cpu_job).1;
    row("one I/O-bound job", io_one, None);
    row("one CPU-bound job", cpu_one, None);

    // The same jobs, AT_ONCE of them, each on a thread of its own.
    let n = AT_ONCE;
    let io_many = measure(|| on_threads(n, n, io_job)).1;
    row(
        &format!("{n} I/O-bound jobs, {n} threads"),
        io_many,
        Some(io_one),
    );
    let cpu_many = measure(|| on_threads(n, n, cpu_job)).1;
    row(
        &format!("{n} CPU-bound jobs, {n} threads"),
        cpu_many,
        Some(cpu_one),
    );

    // With fewer cores than jobs: the same CPU-bound jobs on one thread per
    // core, each thread running its share one after another.
    if cores < n {
        let cpu_fewer = measure(|| on_threads(n, cores, cpu_job)).1;
        let what = format!("{n} CPU-bound jobs, 1 thread/core");
        row(&what, cpu_fewer, Some(cpu_one));
    }
    Ok(())
}

// HIDE_START
/// Runs `jobs` copies of `job` on `threads` threads, the copies shared out as
/// evenly as they go, and waits for all of them.
fn on_threads(
    jobs: usize,
    threads: usize,
    job: impl Fn() -> std::io::Result<()> + Sync,
) {
    let job = &job;
    thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                // Thread t runs copies t, t + threads, t + 2 * threads, ...
                let share = (t..jobs).step_by(threads).count();
                s.spawn(move || (0..share).try_for_each(|_| job()))
            })
            .collect();
        for handle in handles {
            // A job that failed (the server went away) is a broken cell: say so.
            handle
                .join()
                .expect("a job panicked")
                .expect("a job failed");
        }
    });
}

fn row(what: &str, usage: Usage, alone: Option<Usage>) {
    let s = |d: Duration| d.as_secs_f64();
    print!(
        "{what:<33} {:6.2} s    {:6.2} s    {:5.2}",
        s(usage.wall),
        s(usage.cpu),
        usage.cpu_per_wall()
    );
    match alone {
        Some(one) => {
            println!("   ({:.2}x the time of one)", s(usage.wall) / s(one.wall))
        }
        None => println!(),
    }
}
// HIDE_END
