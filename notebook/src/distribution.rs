//! What a cell prints across many runs, stored beside its one output.
//!
//! A concurrent program prints different things on different runs, and a
//! reader of the static book sees one run. A cell that declares
//! `//@ runs = N` is run N times by `cargo book capture` (two at a time with
//! `//@ parallel_runs = true`, for cells that measure no time), and every
//! run's output is masked by the cell's `vary` rules. Runs whose masked
//! texts are equal are one *outcome*; each outcome keeps its count, and
//! each of its masked parts (a *slot*) the range of values the runs printed
//! there. The result is `chapters-code/<crate>/outputs/<example>.distribution.json`,
//! with the machine, date, compiler and the hash of the code that ran, like
//! the single output; the page shows it under the output.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};

use crate::capture::run_cell;
use crate::cells::Cell;
use crate::compare;
use crate::machine::Machine;
use crate::outputs;
use crate::spec::Variant;
use crate::workspace::Workspace;

/// A stored distribution.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Distribution {
    /// How many runs it summarises.
    pub runs: u32,
    /// The day of the capture, `YYYY-MM-DD`.
    pub date: String,
    /// How long all the runs took, in milliseconds.
    pub duration_ms: u64,
    /// [`outputs::code_hash`] of the cell's source at capture time.
    pub code_sha256: String,
    pub machine: Machine,
    /// The outcomes, the most frequent first.
    pub outcomes: Vec<Outcome>,
}

/// Runs whose masked outputs are equal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Outcome {
    /// How many runs printed it.
    pub count: u32,
    /// The output with its varying parts masked (`⟨what⟩`).
    pub text: String,
    /// The masked parts in order, with what the runs printed in each.
    pub slots: Vec<Slot>,
}

/// One masked part of an outcome, across its runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Slot {
    /// The rule that masks it.
    pub what: String,
    /// The smallest, the median and the largest value, as printed (by
    /// number when every value is one, else in text order).
    pub min: String,
    pub median: String,
    pub max: String,
    /// How many different values the runs printed there.
    pub distinct: usize,
}

/// Where a cell's distribution is stored.
pub fn path(cell: &Cell) -> PathBuf {
    cell.outputs_dir().join(format!("{}.distribution.json", cell.id.example))
}

/// Loads a cell's stored distribution, if it has one.
pub fn load(cell: &Cell) -> Result<Option<Distribution>> {
    let path = path(cell);
    if !path.is_file() {
        return Ok(None);
    }
    let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let distribution = serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
    Ok(Some(distribution))
}

/// Runs `cell` as often as its spec asks and stores the distribution.
pub fn capture(workspace: &Workspace, cell: &Cell, executable: &Path, machine: &Machine) -> Result<Distribution> {
    let Some(runs) = cell.spec.runs else { bail!("cell `{}` declares no `runs`", cell.id) };
    let start = Instant::now();
    let lanes = if cell.spec.parallel_runs { 2 } else { 1 };
    let outputs: Vec<Result<String>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..lanes)
            .map(|lane| {
                let count = runs / lanes + u32::from(lane < runs % lanes);
                s.spawn(move || {
                    (0..count)
                        .map(|_| {
                            let outcome = run_cell(workspace, cell, executable, Variant::Full)?;
                            match outcome.failure() {
                                Some(why) => bail!("a run of `{}` failed: {why}", cell.id),
                                None => Ok(outcome.output),
                            }
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().expect("a run lane does not panic")).collect()
    });
    let outputs: Vec<String> = outputs.into_iter().collect::<Result<_>>()?;
    let distribution = Distribution {
        runs,
        date: jiff::Zoned::now().date().to_string(),
        duration_ms: start.elapsed().as_millis() as u64,
        code_sha256: outputs::code_hash(&cell.source),
        machine: machine.clone(),
        outcomes: outcomes(&outputs, cell),
    };
    let path = path(cell);
    std::fs::write(&path, serde_json::to_string_pretty(&distribution)? + "\n")
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(distribution)
}

/// Groups outputs by their masked text, the most frequent first (ties in
/// text order), and summarises each masked part.
pub fn outcomes(outputs: &[String], cell: &Cell) -> Vec<Outcome> {
    let mut groups: BTreeMap<String, Vec<Vec<(String, String)>>> = BTreeMap::new();
    for output in outputs {
        let (masked, values) = compare::mask_with_values(output, &cell.spec);
        groups.entry(masked).or_default().push(values);
    }
    let mut outcomes: Vec<Outcome> = groups
        .into_iter()
        .map(|(text, runs)| {
            let slot_count = runs.iter().map(Vec::len).min().unwrap_or(0);
            let slots = (0..slot_count)
                .map(|i| slot(&runs[0][i].0, runs.iter().map(|values| values[i].1.as_str()).collect()))
                .collect();
            Outcome { count: runs.len() as u32, text, slots }
        })
        .collect();
    outcomes.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.text.cmp(&b.text)));
    outcomes
}

/// A masked value as a number, if it is one: `1,234,567`, `12.5`.
pub(crate) fn number(v: &str) -> Option<f64> {
    v.replace([',', '_'], "").trim().parse::<f64>().ok()
}

/// The range of the values one masked part took.
fn slot(what: &str, mut values: Vec<&str>) -> Slot {
    if values.iter().all(|v| number(v).is_some()) {
        values.sort_by(|a, b| number(a).partial_cmp(&number(b)).unwrap_or(std::cmp::Ordering::Equal));
    } else {
        values.sort();
    }
    let mut distinct = values.clone();
    distinct.dedup();
    // A capture group may hold a table's padding: the value is what is left.
    let values: Vec<&str> = values.into_iter().map(str::trim).collect();
    Slot {
        what: what.to_string(),
        min: values.first().copied().unwrap_or_default().to_string(),
        median: values.get(values.len() / 2).copied().unwrap_or_default().to_string(),
        max: values.last().copied().unwrap_or_default().to_string(),
        distinct: distinct.len(),
    }
}

/// Whether a fresh output is one of the stored outcomes (after masking).
pub fn has_outcome(distribution: &Distribution, output: &str, cell: &Cell) -> bool {
    let masked = compare::mask(output, &cell.spec);
    distribution.outcomes.iter().any(|o| o.text == masked)
}

/// The distribution as HTML, for under the cell's output: a bar per
/// outcome with its count, and the outcome's text with every masked part
/// replaced by the range the runs printed there.
pub fn render(distribution: &Distribution) -> String {
    let e = |t: &str| html_escape::encode_text(t).into_owned();
    let n = distribution.outcomes.len();
    // Every outcome's masked text and count, for the served page to place
    // the reader's own runs beside these (theme/notebook.js).
    let data: Vec<serde_json::Value> =
        distribution.outcomes.iter().map(|o| serde_json::json!({"text": o.text, "count": o.count})).collect();
    let mut out = format!(
        "<div class=\"nb-distribution\" role=\"group\" aria-label=\"What {runs} runs printed\" \
         data-runs=\"{runs}\" data-outcomes=\"{data}\">\
         <p class=\"nb-distribution-title\"><strong>Across {runs} runs</strong>: {outcomes}. \
         Where the output varies, the range shows the smallest and largest value the runs printed, and the median.</p>\n\n",
        runs = distribution.runs,
        data = html_escape::encode_double_quoted_attribute(&serde_json::Value::from(data).to_string()),
        outcomes = if n == 1 {
            "every run printed the same, apart from the parts that vary".to_string()
        } else {
            format!("{n} different outcomes, the most frequent first")
        },
    );
    const SHOWN: usize = 6;
    for outcome in distribution.outcomes.iter().take(SHOWN) {
        let share = outcome.count as f64 / distribution.runs as f64 * 100.0;
        let mut text = String::new();
        let mut rest = outcome.text.as_str();
        for slot in &outcome.slots {
            let placeholder = format!("⟨{}⟩", slot.what);
            let Some(at) = rest.find(&placeholder) else { break };
            text.push_str(&e(&rest[..at]));
            let range = if slot.distinct == 1 {
                slot.min.trim().to_string()
            } else {
                format!("{}–{} (median {})", slot.min.trim(), slot.max.trim(), slot.median.trim())
            };
            text.push_str(&format!("<mark class=\"nb-range\" title=\"{}\">{}</mark>", e(&slot.what), e(&range)));
            rest = &rest[at + placeholder.len()..];
        }
        text.push_str(&e(rest));
        // Blank lines end an HTML block in markdown, except inside a <pre>
        // that starts its own: so the <pre> starts a line of its own.
        out.push_str(&format!(
            "<div class=\"nb-outcome\"><p class=\"nb-outcome-count\"><span class=\"nb-bar\" style=\"width:{width:.0}%\"></span> \
             {count} of {runs} runs</p>\n\n<pre class=\"nb-text\">{text}</pre>\n\n</div>\n\n",
            width = share.max(1.0) / 2.0,
            count = outcome.count,
            runs = distribution.runs,
            text = text.trim_end_matches('\n'),
        ));
    }
    if n > SHOWN {
        let rest: u32 = distribution.outcomes[SHOWN..].iter().map(|o| o.count).sum();
        out.push_str(&format!(
            "<p class=\"nb-outcome-count\">and {} more outcomes, {rest} runs in all</p>\n\n",
            n - SHOWN
        ));
    }
    out.push_str(&format!(
        "<p class=\"nb-caption\">{runs} runs captured {date} on {machine}, in {secs:.1} s.</p></div>\n\n",
        runs = distribution.runs,
        date = distribution.date,
        machine = e(&distribution.machine.describe()),
        secs = distribution.duration_ms as f64 / 1000.0,
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cells::CellId;

    fn cell(spec: &str) -> Cell {
        let source = format!("{spec}fn main() {{}}\n");
        Cell {
            id: CellId { krate: "c".into(), example: "e".into() },
            path: PathBuf::from("chapters-code/c/examples/e.rs"),
            crate_dir: PathBuf::from("chapters-code/c"),
            spec: crate::spec::parse(&source).unwrap(),
            source,
        }
    }

    #[test]
    fn runs_that_differ_only_where_they_may_are_one_outcome() {
        let cell = cell("//@ [[vary]]\n//@ what = \"count\"\n//@ pattern = 'count (\\d[\\d,]*)'\n");
        let outputs: Vec<String> =
            ["count 1,200\nok\n", "count 900\nok\n", "count 1,050\nok\n", "count 7\nlost\n"].map(String::from).into();
        let outcomes = outcomes(&outputs, &cell);
        assert_eq!(outcomes.len(), 2);
        assert_eq!((outcomes[0].count, outcomes[0].text.as_str()), (3, "count ⟨count⟩\nok\n"));
        let slot = &outcomes[0].slots[0];
        // By number, not by text: 900 is the smallest, 1,200 the largest.
        assert_eq!((slot.min.as_str(), slot.median.as_str(), slot.max.as_str()), ("900", "1,050", "1,200"));
        assert_eq!(slot.distinct, 3);
        assert_eq!(outcomes[1].count, 1);
    }

    #[test]
    fn a_fresh_run_is_one_of_the_stored_outcomes_or_not() {
        let cell = cell("//@ [[vary]]\n//@ what = \"n\"\n//@ pattern = 'n=(\\d+)'\n");
        let outputs = vec!["n=1 a\n".to_string(), "n=2 a\n".to_string()];
        let distribution = Distribution {
            runs: 2,
            date: "2026-12-04".into(),
            duration_ms: 10,
            code_sha256: String::new(),
            machine: Machine::current(),
            outcomes: outcomes(&outputs, &cell),
        };
        assert!(has_outcome(&distribution, "n=99 a\n", &cell));
        assert!(!has_outcome(&distribution, "n=1 b\n", &cell));
        let html = render(&distribution);
        assert!(html.contains("<div class=\"nb-distribution\""), "{html}");
        assert!(html.contains("n=<mark class=\"nb-range\" title=\"n\">1–2 (median 2)</mark> a"), "{html}");
        assert!(html.contains("2 of 2 runs"), "{html}");
    }
}
