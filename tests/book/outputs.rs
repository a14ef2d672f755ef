//! Every cell, run again: its output must match the stored one, except where
//! the cell's rules say the output varies (timings, interleavings).

use notebook::capture;
use notebook::cells::Cell;
use notebook::compare;
use notebook::outputs;

use crate::util::workspace;

#[test]
fn every_cell_still_prints_what_the_book_shows() {
    let workspace = workspace();
    let catalog = workspace.catalog().expect("the catalog loads");
    let cells: Vec<&Cell> = catalog.iter().collect();
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
        Ok(())
    });
    let failures: Vec<String> = report.failed.iter().map(|(id, why)| format!("cell {id}: {why}")).collect();
    assert!(failures.is_empty(), "{} of {} cells differ:\n\n{}", failures.len(), cells.len(), failures.join("\n\n"));
    assert_eq!(report.ok.len(), cells.len());
}
