//! Building cell programs and running them: `cargo book capture`, and the
//! whole-book test that re-runs every cell.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::{Context, Result, bail};
use cargo_metadata::Artifact;
use indicatif::{ProgressBar, ProgressStyle};

use crate::cells::Cell;
use crate::machine::Machine;
use crate::outputs;
use crate::runner::{self, RunOutcome, RunRequest};
use crate::spec::Variant;
use crate::workspace::Workspace;

/// The package name of an artifact: its manifest's folder is named after its
/// package (checked by [`Workspace::crates`]).
fn package_name(artifact: &Artifact) -> String {
    artifact.manifest_path.parent().and_then(|p| p.file_name()).unwrap_or_default().to_string()
}

/// Builds the given cells' programs (release profile) and returns each
/// cell's executable, by cell id.
pub fn build(workspace: &Workspace, cells: &[&Cell]) -> Result<BTreeMap<String, PathBuf>> {
    let crates: BTreeSet<&str> = cells.iter().map(|c| c.id.krate.as_str()).collect();
    if crates.is_empty() {
        return Ok(BTreeMap::new());
    }
    let mut executables = BTreeMap::new();
    for artifact in crate::cargo::build_examples(workspace, &crates)? {
        if artifact.target.is_example()
            && let Some(exe) = &artifact.executable
        {
            executables.insert(
                format!("{}/{}", package_name(&artifact), artifact.target.name),
                exe.clone().into_std_path_buf(),
            );
        }
    }
    let mut wanted = BTreeMap::new();
    for cell in cells {
        let id = cell.id.to_string();
        let exe = executables.remove(&id).with_context(|| format!("cargo built no executable for cell {id}"))?;
        wanted.insert(id, exe);
    }
    Ok(wanted)
}

/// Runs a built cell under its spec: its full or its live run, each under
/// the limits [`crate::spec::CellSpec::limits_for`] gives it.
pub fn run_cell(workspace: &Workspace, cell: &Cell, executable: &Path, variant: Variant) -> Result<RunOutcome> {
    runner::run(&RunRequest {
        program: executable.to_path_buf(),
        args: cell.spec.args_for(variant).to_vec(),
        stdin: cell.spec.stdin.clone(),
        timeout: cell.spec.timeout,
        current_dir: workspace.root.clone(),
        limits: cell.spec.limits_for(variant),
    })
}

/// The result of running many cells.
pub struct Report {
    pub ok: Vec<String>,
    /// (cell id, what went wrong)
    pub failed: Vec<(String, String)>,
}

/// Runs the cells, `jobs` at a time, with a progress bar, calling `each` with
/// every finished run. One cell failing does not stop the others.
pub fn run_all(
    workspace: &Workspace,
    cells: &[&Cell],
    executables: &BTreeMap<String, PathBuf>,
    jobs: usize,
    each: impl Fn(&Cell, &RunOutcome) -> Result<()> + Sync,
) -> Report {
    let bar = ProgressBar::new(cells.len() as u64);
    bar.set_style(
        ProgressStyle::with_template("{prefix:>8} [{bar:30}] {pos}/{len} {wide_msg}")
            .expect("a valid constant template")
            .progress_chars("=> "),
    );
    bar.set_prefix("running");
    let queue = Mutex::new(cells.iter());
    let report = Mutex::new(Report { ok: Vec::new(), failed: Vec::new() });
    let lock_report = || report.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    std::thread::scope(|scope| {
        for _ in 0..jobs.max(1) {
            scope.spawn(|| {
                loop {
                    // Poisoning needs a panic while holding the lock, and
                    // `next()` on a slice iterator does not panic.
                    let Some(cell) = queue.lock().unwrap_or_else(|p| p.into_inner()).next() else { break };
                    let id = cell.id.to_string();
                    bar.set_message(id.clone());
                    let result = executables
                        .get(&id)
                        .context("it was not built")
                        .and_then(|exe| run_cell(workspace, cell, exe, Variant::Full))
                        .and_then(|outcome| match outcome.failure() {
                            Some(failure) => bail!("{failure}; it printed:\n{}", tail(&outcome.output, 20)),
                            None => each(cell, &outcome),
                        });
                    match result {
                        Ok(()) => lock_report().ok.push(id),
                        Err(err) => {
                            let file = cell.path.strip_prefix(&workspace.root).unwrap_or(&cell.path);
                            bar.println(format!("cell {id} ({}) failed: {err:#}", file.display()));
                            lock_report().failed.push((id, format!("{err:#}")));
                        }
                    }
                    bar.inc(1);
                }
            });
        }
    });
    bar.finish_and_clear();
    report.into_inner().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The last `n` lines of a text.
pub fn tail(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

/// `cargo book capture`: runs the cells and stores their outputs.
pub fn capture(workspace: &Workspace, only: &[String], jobs: usize) -> Result<()> {
    let catalog = workspace.catalog()?;
    let cells: Vec<&Cell> = if only.is_empty() {
        catalog.iter().collect()
    } else {
        only.iter()
            .map(|id| {
                catalog
                    .get(id)
                    .with_context(|| format!("unknown cell `{id}`; the cells are: {}", catalog.ids().join(", ")))
            })
            .collect::<Result<_>>()?
    };
    let executables = build(workspace, &cells)?;
    let machine = Machine::current();
    let report = run_all(workspace, &cells, &executables, jobs, |cell, outcome| outputs::save(cell, outcome, &machine));
    for id in &report.ok {
        println!("captured {id}");
    }
    if !report.failed.is_empty() {
        let names: Vec<&str> = report.failed.iter().map(|(id, _)| id.as_str()).collect();
        bail!("{} of {} cells failed: {}", names.len(), cells.len(), names.join(", "));
    }
    let count = if report.ok.len() == 1 { "cell" } else { "cells" };
    println!("captured {} {count} on {}", report.ok.len(), machine.describe());
    // Then the distributions, for the cells that declare how many runs.
    for cell in cells.iter().filter(|cell| cell.spec.runs.is_some()) {
        let executable = &executables[&cell.id.to_string()];
        let distribution = crate::distribution::capture(workspace, cell, executable, &machine)
            .with_context(|| format!("capturing the distribution of `{}`", cell.id))?;
        println!(
            "captured {} runs of {}: {} outcome(s), in {:.1} s",
            distribution.runs,
            cell.id,
            distribution.outcomes.len(),
            distribution.duration_ms as f64 / 1000.0
        );
    }
    Ok(())
}
