//! Cell `c10k_idle`: ten thousand connections, all idle, held open against
//! each echo server of the book (or as many as this machine's open-file
//! limit allows, said in the output). What does each idle client cost the
//! server, in threads and in memory?
//@ timeout = 300
//@ live_args = ["--connections", "1000"]
//@ [[vary]]
//@ what = "memory"
//@ pattern = '([\d.]+) MiB'
//@ [[vary]]
//@ what = "memory per connection"
//@ pattern = '([\d.]+) KiB'
//@ [[vary]]
//@ what = "threads"
//@ pattern = '(\d+) thr'
//@ [[vary]]
//@ what = "served"
//@ pattern = '(\d+) served'
//@ [[vary]]
//@ what = "connections held (the open-file limit decides)"
//@ pattern = '(?m)^(\d+) connections per server'
//@ [[vary]]
//@ what = "open-file limit"
//@ pattern = 'limit here: (\d+)'
//@ [[vary]]
//@ what = "connections in the table"
//@ pattern = '\s(\d+)\s+\d+ served'
//@ [[vary]]
//@ what = "latency"
//@ pattern = '([\d.]+) ms'
// HIDE_START
use std::time::Duration;

use c10k::limits;
use c10k::load::{self, Load};
use c10k::server::{ServerProcess, servers};
use clap::Parser;
use support::bars::BarChart;
// HIDE_END

const WANTED: usize = 10_000;
const MIB: f64 = 1024.0 * 1024.0;

// HIDE_START
/// The book's run holds WANTED connections; the served book's Run button
/// asks for fewer, so that a live run ends within a minute.
#[derive(Parser)]
struct Args {
    #[arg(long, default_value_t = WANTED)]
    connections: usize,
}
// HIDE_END

fn main() -> anyhow::Result<()> {
    c10k::server::serve_if_asked();
    let wanted = Args::parse().connections;
    // Each connection takes a descriptor here and up to two in the server
    // (its socket, and a copy kept to stop it): stay under both limits.
    let hard = limits::open_files().map_or(u64::MAX, |(_, hard)| hard);
    let n = wanted.min(
        usize::try_from(hard / 2)
            .unwrap_or(usize::MAX)
            .saturating_sub(100),
    );
    println!(
        "{n} connections per server (wanted {wanted}; open-file limit here: \
         {hard}, and a server needs up to two descriptors per connection)"
    );
    println!(
        "{:<24} {:>8} {:>14} {:>10} {:>12} {:>14} {:>16}",
        "server",
        "conns",
        "served",
        "threads",
        "memory",
        "per conn",
        "one echo (p50)"
    );
    let mut per_conn = Vec::new();
    for (name, _) in servers() {
        let server = ServerProcess::spawn(name, 2 * wanted)?;
        let idle = server.stats().map_or(0, |s| s.resident);
        let watch = server.watch();
        // One connection talks for a second; the rest only connect and
        // stay, and the server must hold them all meanwhile.
        let mut load =
            Load::closed(server.addr(), n, 1, Duration::from_secs(1));
        load.warmup = Duration::from_millis(200);
        let report = load::run(&load)?;
        let peak = watch.finish();
        let held = peak.resident.saturating_sub(idle) as f64;
        let threads =
            peak.threads.map_or("?".to_string(), |t| format!("{t} thr"));
        println!(
            "{:<24} {:>8} {:>14} {:>10} {:>8.1} MiB {:>10.1} KiB {:>13.2} ms",
            name,
            n,
            format!("{} served", n - report.unserved - report.refused),
            threads,
            peak.resident as f64 / MIB,
            held / n as f64 / 1024.0,
            report.p50.as_secs_f64() * 1000.0,
        );
        per_conn.push((name.to_string(), held / n as f64 / 1024.0));
        server.stop()?;
    }
    println!();
    println!(
        "(memory: the server's resident memory with every connection open;"
    );
    println!(" per conn: what it grew by, divided by the connections)");
    println!();
    // What each connection's task future holds, whatever it waits for:
    // the part of "per conn" that the session's code decides.
    println!("one connection's task future (size_of_val):");
    for (name, bytes) in c10k::lean::task_sizes()? {
        println!("  {name:<20} {bytes:>6} bytes");
    }
    BarChart {
        title: format!("Server memory per idle connection, {n} connections"),
        y_desc: "KiB per connection".into(),
        bars: per_conn,
        line: None,
        decimals: 1,
    }
    .show("per_connection")?;
    Ok(())
}
