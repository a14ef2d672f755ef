//! The book's load generator, as a program: point it at any echo server.
//!
//! ```sh
//! cargo run --release -p c10k --bin loadgen -- --addr 127.0.0.1:7007 \
//!     --connections 1000 --active 64 --seconds 5
//! ```

use std::net::SocketAddr;
use std::time::Duration;

use c10k::load::{self, Load};
use clap::Parser;

/// Opens many connections to an echo server, sends lines on some of them,
/// and reports echoes per second and latency percentiles.
#[derive(Debug, Parser)]
struct Args {
    /// The server's address.
    #[arg(long, default_value = "127.0.0.1:7007")]
    addr: SocketAddr,
    /// Connections to open and hold.
    #[arg(long, default_value_t = 64)]
    connections: usize,
    /// How many of them send lines (default: all).
    #[arg(long)]
    active: Option<usize>,
    /// Bytes per line, newline included.
    #[arg(long, default_value_t = 64)]
    message: usize,
    /// Seconds measured (after half a second of warm-up).
    #[arg(long, default_value_t = 5.0)]
    seconds: f64,
    /// Lines per second over all active connections (an open loop);
    /// without it, each connection keeps one line in flight.
    #[arg(long)]
    rate: Option<f64>,
}

fn main() -> std::process::ExitCode {
    match run(Args::parse()) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn run(args: Args) -> anyhow::Result<()> {
    let mut load = Load::closed(
        args.addr,
        args.connections,
        args.active.unwrap_or(args.connections),
        Duration::try_from_secs_f64(args.seconds)
            .ok()
            .filter(|d| !d.is_zero())
            .ok_or_else(|| {
                anyhow::anyhow!(
                    "--seconds must be a positive number, not {}",
                    args.seconds
                )
            })?,
    );
    load.message = args.message;
    load.rate = args.rate;
    load.progress = true;
    let report = load::run(&load)?;
    println!(
        "{} connections, {} sending: {:.0} echoes/s; latency p50 {:?}, p99 {:?}, max {:?}",
        report.connections,
        report.active,
        report.per_second(),
        report.p50,
        report.p99,
        report.max
    );
    if report.unserved > 0 {
        println!(
            "{} connections were accepted but never served",
            report.unserved
        );
    }
    if report.refused > 0 {
        println!(
            "{} connections were refused (an error line, or closed unanswered)",
            report.refused
        );
    }
    if report.starved > 0 {
        println!(
            "{} sending connections were left waiting for an echo",
            report.starved
        );
    }
    Ok(())
}
