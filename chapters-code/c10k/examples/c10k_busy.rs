//! Cell `c10k_busy`: every echo server of the book under the same load,
//! one after the other: 1, 64 and 1,000 connections, each keeping one
//! 64-byte line in flight for two seconds; then, at 64 connections, 21
//! rounds of half a second in which every server but the pool runs once,
//! in an order that rotates, and each is compared with tokio on one thread
//! in the same round. Each server runs in a process of its own (this
//! program, started
//! again as that server), so its CPU time and threads are read from the
//! operating system apart from the load generator's.
//@ timeout = 300
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

use c10k::load::{self, Load};
use c10k::server::{ServerProcess, servers};
use support::bars::{BarChart, grouped};
use support::stats::{median, quartiles};
// HIDE_END

const LEVELS: [usize; 3] = [1, 64, 1000];
const MEASURE: Duration = Duration::from_secs(2);
/// Rounds of the side-by-side comparison, and each run's measured time
/// and warm-up in them.
const ROUNDS: usize = 21;
const ROUND: Duration = Duration::from_millis(500);
const ROUND_WARMUP: Duration = Duration::from_millis(200);

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn main() -> anyhow::Result<()> {
    c10k::server::serve_if_asked();
    println!(
        "{:<22} {:>5} {:>11} {:>13} {:>10} {:>10} {:>8} {:>9}",
        "server", "conns", "served", "echoes", "p50", "p99", "CPU", "threads"
    );
    for (name, _) in servers() {
        for connections in LEVELS {
            let server = ServerProcess::spawn(name, 20_000)?;
            let watch = server.watch();
            let report = load::run(&Load::closed(
                server.addr(),
                connections,
                connections,
                MEASURE,
            ))?;
            let peak = watch.finish_over(report.measured);
            let cpu = peak
                .cores
                .map_or("?".to_string(), |c| format!("{:.0}%", 100.0 * c));
            let threads =
                peak.threads.map_or("?".to_string(), |t| format!("{t} thr"));
            println!(
                "{:<22} {:>5} {:>11} {:>11}/s {:>10} {:>10} {:>8} {:>9}",
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
    // The chapter's comparison, side by side, at 64 connections. Every
    // server is started once and left running; then ROUNDS rounds, in
    // which every server gets the same short load once, in an order that
    // rotates. Within a round the machine is nearly the same for all of
    // them, so each server's figures are divided by tokio's (on one
    // thread) *of the same round*, and the median of those ratios is the
    // comparison. Two figures per run: echoes per second, and the server's
    // CPU time per echo (what the server itself spent, whoever else was
    // busy).
    // Not the pool: it serves four of the 64 connections (see the table),
    // so its figures are not for the same load; and each of its runs
    // would wait 5 s for the 60 it never serves.
    let names: Vec<&str> = servers()
        .iter()
        .map(|(n, _)| *n)
        .filter(|n| *n != "thread pool")
        .collect();
    let running = names
        .iter()
        .map(|name| ServerProcess::spawn(name, 20_000))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let mut rates = vec![vec![f64::NAN; ROUNDS]; names.len()];
    let mut costs = vec![vec![f64::NAN; ROUNDS]; names.len()];
    for round in 0..ROUNDS {
        for k in 0..names.len() {
            let i = (k + round) % names.len();
            let server = &running[i];
            let watch = server.watch();
            let mut load = Load::closed(server.addr(), 64, 64, ROUND);
            load.warmup = ROUND_WARMUP;
            let report = load::run(&load)?;
            let peak = watch.finish_over(report.measured);
            rates[i][round] = report.per_second();
            if let Some(cores) = peak.cores {
                costs[i][round] = cores * 1e6 / report.per_second();
            }
        }
    }
    for server in running {
        server.stop()?;
    }
    // Per round, a server's figure divided by tokio's in the same round.
    let per_round = |of: &[f64], base: &[f64]| -> Vec<f64> {
        of.iter()
            .zip(base)
            .map(|(x, b)| x / b)
            .filter(|r| r.is_finite())
            .collect()
    };
    let base = names.iter().position(|n| *n == "tokio, one thread");
    if let Some(b) = base {
        println!();
        println!(
            "64 connections, {ROUNDS} rounds of {} s, each server against tokio on one thread in the same round:",
            ROUND.as_secs_f64()
        );
        println!(
            "  {:<22} {:>11}   {:>5} {:>13}   {:>13}   {:>5} {:>13}",
            "", "echoes", "", "(middle half)", "server CPU", "", "(middle half)"
        );
        for (i, name) in names.iter().enumerate() {
            let rate = per_round(&rates[i], &rates[b]);
            let cost = per_round(&costs[i], &costs[b]);
            let (r1, r3) = quartiles(&rate);
            let (c1, c3) = quartiles(&cost);
            println!(
                "  {name:<22} {:>11}/s {:>5.2}x {:>13}   {:>8.2} µs/echo {:>5.2}x {:>13}",
                grouped(median(&rates[i]).round() as u64),
                median(&rate),
                format!("{r1:.2}x-{r3:.2}x"),
                median(&costs[i]),
                median(&cost),
                format!("{c1:.2}x-{c3:.2}x"),
            );
        }
    }
    let at_64: Vec<(String, f64)> = names
        .iter()
        .zip(&rates)
        .map(|(name, r)| (name.to_string(), median(r)))
        .collect();
    BarChart {
        title: format!(
            "Echoes per second, 64 connections (median of {ROUNDS} rounds)"
        ),
        y_desc: "echoes per second".into(),
        bars: at_64,
        line: None,
        decimals: 0,
    }
    .show("at_64")?;
    Ok(())
}
