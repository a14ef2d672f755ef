//! Servers compared side by side, on a machine that changes under them.
//!
//! The client and the server share this machine's two cores, and how much
//! the two cores can do moves all the time: over minutes, as the host's
//! other work comes and goes, and from one run to the next. Running server
//! A for a while and then server B compares A in one state of the machine
//! with B in another. [`rotating_rounds`] starts every server once and
//! leaves them running, then gives each the same short load once per
//! *round* (a few seconds for all of them), in an order that rotates;
//! [`Rounds::ratios`] then divides a server's figure by another's *of the
//! same round*. Whatever changes more slowly than a round moves both
//! figures alike and cancels in the ratio; whatever changes faster is
//! noise in each ratio, which the median over many rounds damps.

use std::time::Duration;

use anyhow::{Context, Result};

use crate::load::{self, Load};
use crate::server::{ServerProcess, servers};

/// How to compare: how many connections, how many rounds, and how long
/// each server is loaded in a round.
#[derive(Debug, Clone, Copy)]
pub struct Plan {
    /// Connections per run, every one of them sending.
    pub connections: usize,
    pub rounds: usize,
    /// Time measured per run.
    pub measured: Duration,
    /// Time before measuring starts, per run.
    pub warmup: Duration,
}

/// Which figure of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Figure {
    /// Echoes per second.
    Rate,
    /// The server's CPU time per echo, in microseconds.
    Cost,
}

/// What the rounds measured: `rates[s][r]` and `costs[s][r]` for server
/// `names[s]` in round `r` (`NaN` where the OS did not say the CPU time).
#[derive(Debug, Clone)]
pub struct Rounds {
    pub names: Vec<String>,
    pub rates: Vec<Vec<f64>>,
    pub costs: Vec<Vec<f64>>,
}

/// The servers that take part: every server but the pool. It serves four
/// of the connections and leaves the others waiting (the chapter shows
/// why), so its figures are not for the same load, and every run of it
/// waits 5 s for the connections it never serves.
pub fn comparable_servers() -> Vec<&'static str> {
    servers()
        .into_iter()
        .map(|(name, _)| name)
        .filter(|name| *name != "thread pool")
        .collect()
}

/// The servers in the order round `round` runs them: each round starts one
/// further along, so that over a multiple of `servers` rounds each server
/// goes first, second, and so on, equally often (the same server before it
/// in most rounds, though: the order is a rotation, not a shuffle).
pub fn order(round: usize, servers: usize) -> impl Iterator<Item = usize> {
    (0..servers).map(move |k| (k + round) % servers)
}

/// Starts every server of `names` (by [`servers`]' names), runs `plan`'s
/// rounds against them, and stops them.
pub fn rotating_rounds(names: &[&str], plan: &Plan) -> Result<Rounds> {
    let running = names
        .iter()
        .map(|name| ServerProcess::spawn(name, 20_000))
        .collect::<Result<Vec<_>>>()?;
    let mut rates = vec![vec![f64::NAN; plan.rounds]; names.len()];
    let mut costs = vec![vec![f64::NAN; plan.rounds]; names.len()];
    for round in 0..plan.rounds {
        for s in order(round, names.len()) {
            let server = &running[s];
            let watch = server.watch();
            let mut load = Load::closed(
                server.addr(),
                plan.connections,
                plan.connections,
                plan.measured,
            );
            load.warmup = plan.warmup;
            let report = load::run(&load)
                .with_context(|| format!("round {round}, {}", names[s]))?;
            let seen = watch.finish_over(report.measured);
            rates[s][round] = report.per_second();
            if let Some(cores) = seen.cores {
                costs[s][round] = cores * 1e6 / report.per_second();
            }
        }
    }
    for server in running {
        server.stop()?;
    }
    Ok(Rounds {
        names: names.iter().map(|n| n.to_string()).collect(),
        rates,
        costs,
    })
}

impl Rounds {
    /// Where server `name` is in the lists.
    pub fn index(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n == name)
    }

    /// Server `of`'s figures, round by round.
    pub fn figures(&self, of: usize, figure: Figure) -> &[f64] {
        match figure {
            Figure::Rate => &self.rates[of],
            Figure::Cost => &self.costs[of],
        }
    }

    /// Server `of`'s figures from the rounds that have one (CPU time may be
    /// missing), for statistics over the rounds.
    pub fn measured(&self, of: usize, figure: Figure) -> Vec<f64> {
        let figures = self.figures(of, figure);
        figures.iter().copied().filter(|x| x.is_finite()).collect()
    }

    /// Per round, server `of`'s figure divided by server `base`'s in the
    /// same round; rounds where either is missing are left out.
    pub fn ratios(&self, of: usize, base: usize, figure: Figure) -> Vec<f64> {
        let (of, base) = (self.figures(of, figure), self.figures(base, figure));
        of.iter()
            .zip(base)
            .map(|(x, b)| x / b)
            .filter(|r| r.is_finite())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_server_runs_once_per_round_and_the_first_rotates() {
        let rounds: Vec<Vec<usize>> =
            (0..4).map(|r| order(r, 3).collect()).collect();
        assert_eq!(rounds, [[0, 1, 2], [1, 2, 0], [2, 0, 1], [0, 1, 2]]);
    }

    #[test]
    fn ratios_are_taken_within_a_round_and_skip_missing_figures() {
        let rounds = Rounds {
            names: vec!["a".into(), "b".into()],
            rates: vec![vec![100.0, 300.0, 50.0], vec![50.0, 100.0, 50.0]],
            costs: vec![vec![2.0, f64::NAN, 3.0], vec![4.0, 4.0, 3.0]],
        };
        assert_eq!(rounds.ratios(0, 1, Figure::Rate), [2.0, 3.0, 1.0]);
        assert_eq!(rounds.ratios(0, 1, Figure::Cost), [0.5, 1.0]);
        assert_eq!(rounds.measured(0, Figure::Cost), [2.0, 3.0]);
        assert_eq!(rounds.measured(1, Figure::Rate), [50.0, 100.0, 50.0]);
        assert_eq!(rounds.index("b"), Some(1));
        assert_eq!(rounds.index("c"), None);
    }

    #[test]
    fn the_pool_is_left_out_and_tokio_is_in() {
        let names = comparable_servers();
        assert!(!names.contains(&"thread pool"));
        assert!(names.contains(&"tokio, one thread"));
        assert_eq!(names.len(), servers().len() - 1);
    }
}
