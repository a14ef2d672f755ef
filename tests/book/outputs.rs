//! Every cell, run again: its output must match the stored one, except where
//! the cell's rules say the output varies (timings, interleavings), and
//! where the cell stores a distribution of many runs, it must be one of
//! their outcomes. And the
//! lighter live run of every cell that has one, as the served book runs it.
//! A cell that needs a program which is not installed (its `needs`, such as
//! `valgrind`) is skipped, with a note: its output could not match.

use std::sync::{Mutex, MutexGuard};

use notebook::capture;
use notebook::cells::Cell;
use notebook::compare;
use notebook::distribution;
use notebook::outputs;
use notebook::spec::Variant;

use crate::util::workspace;

/// The two tests below run cells one at a time, and not at the same time
/// as each other: cells that measure time deserve a quiet machine.
static ONE_CELL_AT_A_TIME: Mutex<()> = Mutex::new(());

fn quiet() -> MutexGuard<'static, ()> {
    ONE_CELL_AT_A_TIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Whether the programs a cell needs are installed; if not, says so.
fn has_its_needs(cell: &Cell) -> bool {
    let missing = cell.spec.missing_needs();
    if !missing.is_empty() {
        eprintln!("skipped cell {}: it needs {}, which is not on the PATH", cell.id, missing.join(", "));
    }
    missing.is_empty()
}

#[test]
fn every_cell_still_prints_what_the_book_shows() {
    let _quiet = quiet();
    let workspace = workspace();
    let catalog = workspace.catalog().expect("the catalog loads");
    let cells: Vec<&Cell> = catalog.iter().filter(|cell| has_its_needs(cell)).collect();
    let executables = capture::build(&workspace, &cells).expect("the cells build");
    // One at a time: cells that measure time deserve a quiet machine, and
    // the other tests of this binary already use the second core.
    let report = capture::run_all(&workspace, &cells, &executables, 1, |cell, fresh| {
        let stored = outputs::load(cell)?
            .ok_or_else(|| anyhow::anyhow!("no stored output; run `cargo book capture --cell {}`", cell.id))?;
        compare::compare_text(&stored.text, &fresh.output, &cell.spec)
            .map_err(|diff| anyhow::anyhow!("its output changed:\n{diff}"))?;
        compare::compare_figures(&stored.figures, &fresh.figures, &cell.spec)
            .map_err(|why| anyhow::anyhow!("{why}"))?;
        // A cell with a stored distribution: the fresh run must be one of
        // its outcomes, unless the cell says its outcomes are too many to
        // have seen them all.
        if let Some(distribution) = distribution::load(cell)?
            && !cell.spec.open_outcomes
            && !distribution::has_outcome(&distribution, &fresh.output, cell)
        {
            anyhow::bail!(
                "its output is none of the {} outcomes of its stored distribution of {} runs",
                distribution.outcomes.len(),
                distribution.runs
            );
        }
        Ok(())
    });
    let failures: Vec<String> = report.failed.iter().map(|(id, why)| format!("cell {id}: {why}")).collect();
    assert!(failures.is_empty(), "{} of {} cells differ:\n\n{}", failures.len(), cells.len(), failures.join("\n\n"));
    assert_eq!(report.ok.len(), cells.len());
}

/// The cells whose full run may take longer than a live run may have each
/// declare a lighter live run: it must succeed under the live limit (which
/// kills it at a minute), as the served book's Run button starts it. Every
/// other cell's live run is its full run, which the test above repeats
/// under that same limit ([`notebook::spec::CellSpec::limits_for`]).
#[test]
fn every_lighter_live_run_ends_well_within_the_live_limit() {
    let _quiet = quiet();
    let workspace = workspace();
    let catalog = workspace.catalog().expect("the catalog loads");
    let cells: Vec<&Cell> =
        catalog.iter().filter(|cell| cell.spec.has_lighter_live_run() && has_its_needs(cell)).collect();
    assert!(!cells.is_empty(), "no cell declares live_args; the C10k cells must");
    let executables = capture::build(&workspace, &cells).expect("the cells build");
    for cell in cells {
        let outcome = capture::run_cell(&workspace, cell, &executables[&cell.id.to_string()], Variant::Live)
            .unwrap_or_else(|err| panic!("cell {}: its live run could not start: {err:#}", cell.id));
        if let Some(failure) = outcome.failure() {
            panic!("cell {}: its live run {failure}; it printed:\n{}", cell.id, capture::tail(&outcome.output, 20));
        }
        assert!(!outcome.output.trim().is_empty(), "cell {}: its live run printed nothing", cell.id);
    }
}
