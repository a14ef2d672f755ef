//! Cell `c10k_busy`: every echo server of the book under the same load,
//! one after the other: 1, 64 and 1,000 connections, each keeping one
//! 64-byte line in flight for two seconds; then, at 64 connections, five
//! rounds of one second in which every server runs once, in an order that
//! rotates. Each server runs in a process of its own (this program, started
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
// HIDE_END

const LEVELS: [usize; 3] = [1, 64, 1000];
const MEASURE: Duration = Duration::from_secs(2);
const ROUNDS: usize = 5;

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
    // The chapter's comparison, side by side: at 64 connections, ROUNDS
    // rounds in which every server runs once, in an order that rotates;
    // each server's median round, and its ratio to tokio on one thread.
    // Two figures per round: echoes per second, and the server's CPU time
    // per echo (what the server itself spent, whoever else was busy).
    let names: Vec<&str> = servers().iter().map(|(n, _)| *n).collect();
    let mut rates: Vec<Vec<f64>> = vec![Vec::new(); names.len()];
    let mut costs: Vec<Vec<f64>> = vec![Vec::new(); names.len()];
    for round in 0..ROUNDS {
        for k in 0..names.len() {
            let i = (k + round) % names.len();
            let server = ServerProcess::spawn(names[i], 20_000)?;
            let watch = server.watch();
            let load = Load::closed(server.addr(), 64, 64, MEASURE / 2);
            let report = load::run(&load)?;
            let peak = watch.finish_over(report.measured);
            rates[i].push(report.per_second());
            if let Some(cores) = peak.cores {
                costs[i].push(cores * 1e6 / report.per_second());
            }
            server.stop()?;
        }
    }
    let median = |r: &mut Vec<f64>| {
        r.sort_by(f64::total_cmp);
        r.get(r.len() / 2).copied().unwrap_or(f64::NAN)
    };
    let at_64: Vec<(String, f64, f64)> = names
        .iter()
        .zip(rates.iter_mut().zip(&mut costs))
        .map(|(name, (r, c))| (name.to_string(), median(r), median(c)))
        .collect();
    let base = at_64.iter().find(|(n, ..)| n == "tokio, one thread");
    if let Some((_, base_rate, base_cost)) = base.cloned() {
        println!();
        println!(
            "64 connections, median of {ROUNDS} rounds, relative to tokio on one thread:"
        );
        println!(
            "  {:<22} {:>11}   {:>5}   {:>13}   {:>5}",
            "", "echoes", "", "server CPU", ""
        );
        for (name, rate, cost) in &at_64 {
            println!(
                "  {name:<22} {:>11}/s {:>5.2}x {:>8.2} µs/echo {:>5.2}x",
                grouped(rate.round() as u64),
                rate / base_rate,
                cost,
                cost / base_cost,
            );
        }
    }
    let at_64: Vec<(String, f64)> =
        at_64.into_iter().map(|(n, rate, _)| (n, rate)).collect();
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
