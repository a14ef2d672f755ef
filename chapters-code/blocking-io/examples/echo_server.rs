//! Cell `echo_server`: the echo server as a program you run in a
//! terminal and talk to with `nc 127.0.0.1 7007`; Ctrl-C stops it
//! gracefully. The cell runs it with `--demo`: one client of its own, and a
//! Ctrl-C it sends itself while half a line is in flight.
//@ args = ["--addr", "127.0.0.1:0", "--demo"]
//@ [[vary]]
//@ what = "port"
//@ pattern = '127\.0\.0\.1:(\d+)'
//@ [[vary]]
//@ what = "the cap (this machine's limits decide it)"
//@ pattern = 'at most (\d+) connections'
// HIDE_START
use std::io;

use blocking_io::cli::{self, Holds, ServerArgs};
use blocking_io::{per_connection, pool, single};
use clap::{Parser, ValueEnum};
// HIDE_END

/// Which of the chapter's three servers to run.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum Version {
    /// Version 1: one client at a time.
    Single,
    /// Version 2: a thread per connection.
    Threads,
    /// Version 3: a pool of worker threads.
    Pool,
}

/// A line echo server: every line comes back; `bye` ends the session.
#[derive(Debug, Parser)]
struct Args {
    #[arg(long, value_enum, default_value = "threads")]
    version: Version,
    #[command(flatten)]
    server: ServerArgs,
}

fn main() -> io::Result<()> {
    let args = Args::parse();
    // What each version can hold decides its default cap: a thread per
    // connection, as many as the machine lets it start; the pool (and the
    // one-at-a-time server, which leaves the rest in the kernel's queue),
    // the usual 64.
    let pool_cap = blocking_io::Config::default().max_connections;
    match args.version {
        Version::Single => {
            cli::run(&args.server, Holds::AtMost(pool_cap), |a, c| {
                single::start(a, c)
            })
        }
        Version::Threads => {
            cli::run(&args.server, Holds::ThreadEach, |a, c| {
                per_connection::start(a, c)
            })
        }
        Version::Pool => {
            cli::run(&args.server, Holds::AtMost(pool_cap), |a, c| {
                pool::start(a, c)
            })
        }
    }
}
