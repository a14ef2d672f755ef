//! Cell `echo_server`: the echo server as a program you run in a
//! terminal and talk to with `nc 127.0.0.1 7007`; Ctrl-C stops it
//! gracefully. The cell runs it with `--demo`: one client of its own, and a
//! Ctrl-C it sends itself while half a line is in flight.
//@ args = ["--addr", "127.0.0.1:0", "--demo"]
//@ [[vary]]
//@ what = "port"
//@ pattern = '127\.0\.0\.1:(\d+)'
// HIDE_START
use std::io;

use blocking_io::cli::{self, ServerArgs};
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
    match args.version {
        Version::Single => cli::run(&args.server, |a, c| single::start(a, c)),
        Version::Threads => {
            cli::run(&args.server, |a, c| per_connection::start(a, c))
        }
        Version::Pool => cli::run(&args.server, |a, c| pool::start(a, c)),
    }
}
