//! Chapter 1, cell `io_vs_cpu`: an I/O-bound job and a CPU-bound job, alone
//! and four at a time, with their wall time and CPU time side by side.
//@ timeout = 60
//@ [[vary]]
//@ what = "measured"
//@ pattern = '(\d+\.\d\d)'
//@ [[vary]]
//@ what = "cores"
//@ pattern = 'cores: (\d+)'
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
    println!("I/O-bound job: {REQUESTS} requests to a server that answers each after {} ms.", SERVER_DELAY.as_millis());
    println!("CPU-bound job: count the primes below {PRIMES_BELOW}.");
    println!("\n                     wall time   CPU time   CPU/wall");
    let (io_one, cpu_one) = (measure(io_job).1, measure(cpu_job).1);
    row("one I/O-bound job", io_one, None);
    row("one CPU-bound job", cpu_one, None);
    let io_many = measure(|| at_once(AT_ONCE, io_job)).1;
    let cpu_many = measure(|| at_once(AT_ONCE, cpu_job)).1;
    row(&format!("{AT_ONCE} I/O-bound jobs"), io_many, Some(io_one));
    row(&format!("{AT_ONCE} CPU-bound jobs"), cpu_many, Some(cpu_one));
    let cores = available_parallelism().map_or(1, |n| n.get());
    println!("(Four jobs at once: one thread each; cores: {cores}.)");
    Ok(())
}

// HIDE_START
/// Runs `n` copies of `job` at once, each on its own thread, and waits for all.
fn at_once(n: usize, job: impl Fn() -> std::io::Result<()> + Sync) {
    thread::scope(|s| {
        let handles: Vec<_> = (0..n).map(|_| s.spawn(&job)).collect();
        for handle in handles {
            // A job that failed (the server went away) is a broken cell: say so.
            handle.join().expect("a job panicked").expect("a job failed");
        }
    });
}

fn row(what: &str, usage: Usage, alone: Option<Usage>) {
    let s = |d: Duration| d.as_secs_f64();
    print!("{what:<20} {:6.2} s    {:6.2} s    {:5.2}", s(usage.wall), s(usage.cpu), usage.cpu_per_wall());
    match alone {
        Some(one) => println!("   ({:.2} times the wall time of one)", s(usage.wall) / s(one.wall)),
        None => println!(),
    }
}
// HIDE_END
