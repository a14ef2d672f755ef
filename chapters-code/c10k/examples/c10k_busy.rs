//! Cell `c10k_busy`: every echo server of the book under the same load,
//! one after the other: 1, 64 and 1,000 connections, each keeping one
//! 64-byte line in flight for two seconds; then, at 64 connections, 16
//! rounds in which every server but the pool runs once for half a second,
//! in an order that rotates, and each is compared with tokio on one thread
//! in the same round. Each server runs in a process of its own (this
//! program, started again as that server), so its CPU time and threads are
//! read from the operating system apart from the load generator's.
//@ timeout = 300
//@ live_args = ["--levels", "64", "--seconds", "1", "--rounds", "6", "--round-seconds", "0.3"]
//@ [[vary]]
//@ what = "echoes per second"
//@ pattern = '\s([\d,]+)/s'
//@ [[vary]]
//@ what = "latencies"
//@ pattern = '([\d.]+) ms'
//@ [[vary]]
//@ what = "server CPU"
//@ pattern = '(\d+)%'
//@ [[vary]]
//@ what = "threads and unserved connections"
//@ pattern = '(\d+) thr'
//@ [[vary]]
//@ what = "ratios to tokio"
//@ pattern = '([\d.]+)x'
//@ [[vary]]
//@ what = "server CPU per echo"
//@ pattern = '([\d.]+) µs'
//@ [[vary]]
//@ what = "served connections"
//@ pattern = '(\d+) served'
// HIDE_START
use std::time::Duration;

use c10k::compare::{self, Figure, Plan};
use c10k::load::{self, Load};
use c10k::server::{ServerProcess, servers};
use clap::Parser;
use support::bars::grouped;
use support::stats::{median, quartiles};
// HIDE_END

const LEVELS: [usize; 3] = [1, 64, 1000];
const MEASURE: Duration = Duration::from_secs(2);
/// Rounds of the side-by-side comparison (a multiple of the eight servers in
/// it, so that each goes first equally often), and each run's measured
/// time and warm-up in them.
const ROUNDS: usize = 16;
const ROUND: Duration = Duration::from_millis(500);
const ROUND_WARMUP: Duration = Duration::from_millis(200);

// HIDE_START
/// The book's run uses the constants above; the served book's Run button
/// asks for fewer levels, shorter loads and fewer rounds, so that a live
/// run ends within a minute.
#[derive(Parser)]
struct Args {
    #[arg(long, value_delimiter = ',', default_values_t = LEVELS)]
    levels: Vec<usize>,
    #[arg(long, default_value_t = MEASURE.as_secs_f64())]
    seconds: f64,
    #[arg(long, default_value_t = ROUNDS)]
    rounds: usize,
    #[arg(long, default_value_t = ROUND.as_secs_f64())]
    round_seconds: f64,
}
// HIDE_END

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn main() -> anyhow::Result<()> {
    c10k::server::serve_if_asked();
    let args = Args::parse();
    let measure = Duration::from_secs_f64(args.seconds);
    println!(
        "{:<24} {:>5} {:>11} {:>13} {:>10} {:>10} {:>8} {:>9}",
        "server", "conns", "served", "echoes", "p50", "p99", "CPU", "threads"
    );
    for (name, _) in servers() {
        for &connections in &args.levels {
            let server = ServerProcess::spawn(name, 20_000)?;
            let watch = server.watch();
            let report = load::run(&Load::closed(
                server.addr(),
                connections,
                connections,
                measure,
            ))?;
            let seen = watch.finish_over(report.measured);
            let cpu = seen
                .cores
                .map_or("?".to_string(), |c| format!("{:.0}%", 100.0 * c));
            let threads =
                seen.threads.map_or("?".to_string(), |t| format!("{t} thr"));
            println!(
                "{:<24} {:>5} {:>11} {:>11}/s {:>10} {:>10} {:>8} {:>9}",
                name,
                connections,
                format!("{} served", report.active),
                grouped(report.per_second().round() as u64),
                ms(report.p50),
                ms(report.p99),
                cpu,
                threads,
            );
            server.stop()?;
        }
    }
    println!();
    println!(
        "(served: connections that got echoes; the others waited, accepted but not served)"
    );
    // The chapter's comparison, side by side, at 64 connections: every
    // server but the pool, started once and left running, then ROUNDS
    // rounds in which each gets the same short load once, in an order that
    // rotates; each figure is divided by tokio's (on one thread) of the
    // same round. Two figures per run: echoes per second, and the server's
    // CPU time per echo (what the server itself spent, whoever else was
    // busy).
    let plan = Plan {
        connections: 64,
        rounds: args.rounds,
        measured: Duration::from_secs_f64(args.round_seconds),
        warmup: ROUND_WARMUP,
    };
    let rounds =
        compare::rotating_rounds(&compare::comparable_servers(), &plan)?;
    let Some(base) = rounds.index("tokio, one thread") else {
        anyhow::bail!(
            "tokio on one thread, the yardstick, is not among the servers"
        );
    };
    println!();
    println!(
        "64 connections, {} rounds; in each, every server measured for {} s after {} s of warm-up and divided by tokio on one thread (vs 1t):",
        args.rounds,
        args.round_seconds,
        ROUND_WARMUP.as_secs_f64()
    );
    println!(
        "  {:<24} {:>11}   {:>5} {:>13}   {:>13}   {:>5} {:>13}",
        "",
        "echoes",
        "vs 1t",
        "(middle half)",
        "server CPU",
        "vs 1t",
        "(middle half)"
    );
    for (s, name) in rounds.names.iter().enumerate() {
        let rate = rounds.ratios(s, base, Figure::Rate);
        let cost = rounds.ratios(s, base, Figure::Cost);
        let (r1, r3) = quartiles(&rate);
        let (c1, c3) = quartiles(&cost);
        println!(
            "  {name:<24} {:>11}/s {:>5.2}x {:>13}   {:>8.2} µs/echo {:>5.2}x {:>13}",
            grouped(median(&rounds.measured(s, Figure::Rate)).round() as u64),
            median(&rate),
            format!("{r1:.2}x-{r3:.2}x"),
            median(&rounds.measured(s, Figure::Cost)),
            median(&cost),
            format!("{c1:.2}x-{c3:.2}x"),
        );
    }
    // The lean sessions against the ones they replace, paired the same
    // way: each divided by its predecessor of the same round.
    println!();
    println!("lean sessions against the ones they replace, same rounds:");
    for (lean, before) in [
        ("our runtime, lean", "our runtime"),
        ("tokio, one thread, lean", "tokio, one thread"),
    ] {
        let (Some(l), Some(b)) = (rounds.index(lean), rounds.index(before))
        else {
            anyhow::bail!("{lean} or {before} is not among the servers");
        };
        let rate = rounds.ratios(l, b, Figure::Rate);
        let cost = rounds.ratios(l, b, Figure::Cost);
        let (r1, r3) = quartiles(&rate);
        let (c1, c3) = quartiles(&cost);
        println!(
            "  {lean:<24} echoes {:.2}x ({r1:.2}x-{r3:.2}x), CPU per echo {:.2}x ({c1:.2}x-{c3:.2}x) of {before}'s",
            median(&rate),
            median(&cost),
        );
    }
    Ok(())
}
