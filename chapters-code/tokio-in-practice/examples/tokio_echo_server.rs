//! The Tokio chapter's cell `tokio_echo_server`: version 7, the echo server on
//! tokio, as a program you run in a terminal and talk to with
//! `nc 127.0.0.1 7007`; Ctrl-C stops it gracefully. The cell runs it with
//! `--demo`: one client of its own, and a Ctrl-C it sends itself while half
//! a line is in flight.
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
use clap::Parser;
use tokio_in_practice::echo;
// HIDE_END

/// A line echo server on tokio: every line comes back; `bye` ends the
/// session.
#[derive(Debug, Parser)]
struct Args {
    #[command(flatten)]
    server: ServerArgs,
}

fn main() -> io::Result<()> {
    let args = Args::parse();
    cli::run(&args.server, Holds::DescriptorEach, echo::start)
}
