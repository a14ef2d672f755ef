//! The chapter's comparison at 64 connections, measured at length for the
//! book's stored figures: `cargo book measure --bench c10k/servers`.
//!
//! Not a criterion benchmark: criterion times one function after another,
//! and on two cores shared with the load generator that compares each
//! server with the machine of its own minute (see `c10k::compare`). This
//! runs the rotating rounds instead and hands `cargo book measure` its
//! medians in the file named by `NOTEBOOK_MEDIANS`: per server, the median
//! over the rounds of the time per echo (one over echoes per second) and of
//! the server's CPU time per echo, each with a 95% interval for that
//! median. Without `NOTEBOOK_MEDIANS` it only prints them.

use std::time::Duration;

use anyhow::{Context, Result};
use c10k::compare::{self, Figure, Plan, Rounds};
use serde_json::{Value, json};
use support::stats::{median, median_interval_95};

const PLAN: Plan = Plan {
    connections: 64,
    // A multiple of the eight servers: each goes first equally often.
    rounds: 40,
    measured: Duration::from_millis(500),
    warmup: Duration::from_millis(200),
};

fn main() -> Result<()> {
    c10k::server::serve_if_asked();
    // `cargo bench` passes `--bench` and whatever follows `--`: nothing
    // here takes options, so they are ignored.
    eprintln!(
        "{} rounds at {} connections, every server but the pool once a round...",
        PLAN.rounds, PLAN.connections
    );
    let rounds =
        compare::rotating_rounds(&compare::comparable_servers(), &PLAN)?;
    let mut figures = Vec::new();
    figures.extend(group(
        &rounds,
        "time per echo, 64 connections",
        Figure::Rate,
        |rate| 1e9 / rate,
    ));
    figures.extend(group(
        &rounds,
        "server CPU time per echo, 64 connections",
        Figure::Cost,
        |micros| micros * 1e3,
    ));
    for figure in &figures {
        println!(
            "{:<42} {:<22} {:>9.0} ns ({:.0} to {:.0})",
            figure["group"].as_str().unwrap_or_default(),
            figure["function"].as_str().unwrap_or_default(),
            figure["median_ns"].as_f64().unwrap_or(f64::NAN),
            figure["low_ns"].as_f64().unwrap_or(f64::NAN),
            figure["high_ns"].as_f64().unwrap_or(f64::NAN),
        );
    }
    if let Some(path) = std::env::var_os("NOTEBOOK_MEDIANS") {
        let report = json!({
            "method": format!(
                "the book's load generator in {} rotating rounds, each \
                 server measured for {} s after {} s of warm-up in each \
                 (each server's median over the rounds, with a 95% interval \
                 for it),",
                PLAN.rounds,
                PLAN.measured.as_secs_f64(),
                PLAN.warmup.as_secs_f64()
            ),
            "medians": figures,
        });
        let text = serde_json::to_string_pretty(&report)?;
        std::fs::write(&path, text)
            .with_context(|| format!("writing {}", path.to_string_lossy()))?;
    }
    Ok(())
}

/// One figure per server: the median over the rounds of `figure`, turned
/// into nanoseconds by `to_ns`, with its 95% interval.
fn group(
    rounds: &Rounds,
    name: &str,
    figure: Figure,
    to_ns: impl Fn(f64) -> f64,
) -> Vec<Value> {
    rounds
        .names
        .iter()
        .enumerate()
        .map(|(s, server)| {
            let ns: Vec<f64> =
                rounds.measured(s, figure).into_iter().map(&to_ns).collect();
            let (low, high) = median_interval_95(&ns);
            json!({
                "group": name,
                "function": server,
                "median_ns": median(&ns),
                "low_ns": low,
                "high_ns": high,
            })
        })
        .collect()
}
