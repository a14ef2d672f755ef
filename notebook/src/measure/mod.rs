//! Benchmarks whose medians reach the book.
//!
//! A chapter crate's benchmarks (`[[bench]]` targets) are run by
//! `cargo book measure`, which stores each benchmark's medians, with the
//! machine and date, as JSON in
//! `chapters-code/<crate>/measurements/<bench>.json`. A page shows them with
//! `{{#measurements <crate>/<bench>}}` on a line of its own: per group, a
//! bar chart drawn at build time from the file (SVG, with plotters) and a
//! table of medians and ratios, then a caption that says where and when
//! they were measured. Like cell outputs, the files are committed: the book
//! builds without running benchmarks.
//!
//! Most benchmarks are criterion's, and their medians are read from what
//! criterion writes ([`read`]). A benchmark that measures another way (a
//! load test that runs servers side by side in rounds, say) reports its
//! own: it writes `{"method": "...", "medians": [Median, ...]}` to the file
//! named by the environment variable [`MEDIANS_ENV`], and the method goes
//! into the caption. [`render`] draws what a page shows.
//!
//! Here a "figure" is a picture, never a number: what a benchmark gives is
//! a [`Median`], with its interval.

use std::path::PathBuf;
use std::time::SystemTime;

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};

mod read;
mod render;

use crate::machine::Machine;
use crate::workspace::Workspace;
pub use render::{human, render};

/// A benchmark target of a chapter crate, `crate/bench`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Bench {
    pub krate: String,
    pub name: String,
}

impl std::fmt::Display for Bench {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.krate, self.name)
    }
}

/// The environment variable that tells a benchmark where to report its
/// own medians, if it does not leave them to criterion.
pub const MEDIANS_ENV: &str = "NOTEBOOK_MEDIANS";

/// One benchmark's medians, as stored.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Measurement {
    /// The day it ran, `YYYY-MM-DD`.
    pub date: String,
    pub machine: Machine,
    /// How the medians were measured, for a benchmark that reported its
    /// own; none for criterion's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// One entry per benchmarked function, in the benchmark's order.
    pub results: Vec<Median>,
}

/// The median time of one benchmarked function, with a 95% confidence
/// interval for it (criterion's, or the benchmark's own).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Median {
    pub group: String,
    pub function: String,
    pub median_ns: f64,
    pub low_ns: f64,
    pub high_ns: f64,
}

/// Every `[[bench]]` target of the chapter crates.
pub fn benches(workspace: &Workspace) -> Result<Vec<Bench>> {
    let mut found = Vec::new();
    for krate in workspace.crates()? {
        let manifest = krate.dir.join("Cargo.toml");
        let text = std::fs::read_to_string(&manifest).with_context(|| format!("reading {}", manifest.display()))?;
        let value: toml::Table = toml::from_str(&text).with_context(|| format!("parsing {}", manifest.display()))?;
        let targets = value.get("bench").and_then(|b| b.as_array()).cloned().unwrap_or_default();
        for target in targets {
            if let Some(name) = target.get("name").and_then(|n| n.as_str()) {
                found.push(Bench { krate: krate.name.clone(), name: name.to_string() });
            }
        }
    }
    found.sort();
    Ok(found)
}

/// Looks a `crate/bench` id up among the benches.
pub fn find(workspace: &Workspace, id: &str) -> Result<Option<Bench>> {
    Ok(benches(workspace)?.into_iter().find(|b| b.to_string() == id))
}

/// Where a benchmark's medians are stored.
pub fn path(workspace: &Workspace, bench: &Bench) -> PathBuf {
    workspace.chapters_code().join(&bench.krate).join("measurements").join(format!("{}.json", bench.name))
}

/// The stored medians of a benchmark, if any.
pub fn load(workspace: &Workspace, bench: &Bench) -> Result<Option<Measurement>> {
    let path = path(workspace, bench);
    if !path.exists() {
        return Ok(None);
    }
    let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    Ok(Some(serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))?))
}

/// The command that measures a benchmark.
pub fn command(bench: &Bench) -> String {
    format!("cargo book measure --bench {bench}")
}

/// Runs one benchmark with `cargo bench` and stores its medians: those it
/// reported itself, or else criterion's.
pub fn run(workspace: &Workspace, bench: &Bench) -> Result<Measurement> {
    // A folder of criterion's own for each benchmark, so that results
    // written at the same time by another benchmark (another `measure`, a
    // `cargo bench`) cannot be mistaken for this one's.
    let criterion_home = target_dir(workspace)?.join("criterion").join("book").join(&bench.krate).join(&bench.name);
    let started = SystemTime::now();
    std::fs::create_dir_all(&criterion_home).with_context(|| format!("creating {}", criterion_home.display()))?;
    let reported = criterion_home.join("reported.json");
    if reported.exists() {
        std::fs::remove_file(&reported).with_context(|| format!("removing {}", reported.display()))?;
    }
    let status = crate::cargo::command(workspace)
        .args(["bench", "--locked", "-p", &bench.krate, "--bench", &bench.name, "--", "--noplot"])
        .env("CRITERION_HOME", &criterion_home)
        .env(MEDIANS_ENV, &reported)
        .status()
        .context("starting cargo bench")?;
    if !status.success() {
        bail!("`cargo bench -p {} --bench {}` failed ({status})", bench.krate, bench.name);
    }
    let (method, results) = if reported.exists() {
        let r = read::reported(&reported)?;
        (Some(r.method), r.medians)
    } else {
        (None, read::criterion(&criterion_home, started)?)
    };
    if results.is_empty() {
        bail!(
            "{bench} ran but reported no medians (criterion wrote none under {0}, and it wrote no {1})",
            criterion_home.display(),
            reported.display()
        );
    }
    let measurement =
        Measurement { date: jiff::Zoned::now().date().to_string(), machine: Machine::current(), method, results };
    let path = path(workspace, bench);
    std::fs::create_dir_all(path.parent().expect("a measurements folder"))?;
    let json = serde_json::to_string_pretty(&measurement)? + "\n";
    std::fs::write(&path, json).with_context(|| format!("writing {}", path.display()))?;
    Ok(measurement)
}

fn target_dir(workspace: &Workspace) -> Result<PathBuf> {
    let metadata = cargo_metadata::MetadataCommand::new()
        .current_dir(&workspace.root)
        .no_deps()
        .exec()
        .context("running cargo metadata")?;
    Ok(metadata.target_directory.into_std_path_buf())
}
