//! Benchmarks whose figures reach the book.
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
//! Most benchmarks are criterion's, and their figures are read from what
//! criterion writes. A benchmark that measures another way (a load test
//! that runs servers side by side in rounds, say) reports its own: it
//! writes `{"method": "...", "figures": [Figure, ...]}` to the file named
//! by the environment variable [`FIGURES_ENV`], and the method goes into
//! the caption.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};

use crate::machine::Machine;
use crate::workspace::Workspace;

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
/// own figures, if it does not leave them to criterion.
pub const FIGURES_ENV: &str = "NOTEBOOK_FIGURES";

/// One benchmark's figures, as stored.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Measurement {
    /// The day it ran, `YYYY-MM-DD`.
    pub date: String,
    pub machine: Machine,
    /// How the figures were measured, for a benchmark that reported its
    /// own; none for criterion's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// One entry per benchmarked function, in the benchmark's order.
    pub results: Vec<Figure>,
}

/// What a benchmark that measures its own way reports (see [`FIGURES_ENV`]).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Reported {
    method: String,
    figures: Vec<Figure>,
}

/// The median time of one benchmarked function, with a 95% confidence
/// interval for it (criterion's, or the benchmark's own).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Figure {
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

/// Where a benchmark's figures are stored.
pub fn path(workspace: &Workspace, bench: &Bench) -> PathBuf {
    workspace.chapters_code().join(&bench.krate).join("measurements").join(format!("{}.json", bench.name))
}

/// The stored figures of a benchmark, if any.
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

/// Runs one benchmark with `cargo bench` and stores its figures: those it
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
        .env(FIGURES_ENV, &reported)
        .status()
        .context("starting cargo bench")?;
    if !status.success() {
        bail!("`cargo bench -p {} --bench {}` failed ({status})", bench.krate, bench.name);
    }
    let (method, results) = if reported.exists() {
        let r = read_reported(&reported)?;
        (Some(r.method), r.figures)
    } else {
        (None, read_criterion(&criterion_home, started)?)
    };
    if results.is_empty() {
        bail!(
            "{bench} ran but reported no figures (criterion wrote none under {0}, and it wrote no {1})",
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

/// Reads the figures a benchmark reported itself, and checks that they are
/// figures: finite, positive times, each median inside its interval.
fn read_reported(path: &Path) -> Result<Reported> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let reported: Reported = serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
    for f in &reported.figures {
        let times = [f.low_ns, f.median_ns, f.high_ns];
        let positive = times.iter().all(|t| t.is_finite() && *t > 0.0);
        if !positive || f.low_ns > f.median_ns || f.median_ns > f.high_ns {
            bail!(
                "{}: `{}` / `{}` is not a median inside its interval: {} ns in {} to {} ns",
                path.display(),
                f.group,
                f.function,
                f.median_ns,
                f.low_ns,
                f.high_ns
            );
        }
    }
    Ok(reported)
}

/// Reads criterion's results written since `since`, in the order they were
/// written (the benchmark's own order): each benchmarked function has
/// `<group>/<function>/new/benchmark.json` and `estimates.json`.
fn read_criterion(dir: &Path, since: SystemTime) -> Result<Vec<Figure>> {
    let mut figures = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry?;
        if entry.file_name() != "benchmark.json"
            || entry.path().parent().and_then(|p| p.file_name()) != Some("new".as_ref())
        {
            continue;
        }
        let modified = entry.metadata()?.modified()?;
        if modified < since {
            continue;
        }
        let read = |p: &Path| -> Result<serde_json::Value> {
            Ok(serde_json::from_str(&std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?)?)
        };
        let info = read(entry.path())?;
        let estimates = read(&entry.path().with_file_name("estimates.json"))?;
        let median = &estimates["median"];
        let number = |v: &serde_json::Value| v.as_f64().context("a number in criterion's estimates");
        figures.push((
            modified,
            Figure {
                group: info["group_id"].as_str().unwrap_or_default().to_string(),
                function: info["function_id"].as_str().unwrap_or_default().to_string(),
                median_ns: number(&median["point_estimate"])?,
                low_ns: number(&median["confidence_interval"]["lower_bound"])?,
                high_ns: number(&median["confidence_interval"]["upper_bound"])?,
            },
        ));
    }
    figures.sort_by_key(|(modified, _)| *modified);
    Ok(figures.into_iter().map(|(_, figure)| figure).collect())
}

/// A time for people: ns, µs, ms or s.
pub fn human(ns: f64) -> String {
    match ns {
        n if n < 1e3 => format!("{n:.1} ns"),
        n if n < 1e6 => format!("{:.2} µs", n / 1e3),
        n if n < 1e9 => format!("{:.2} ms", n / 1e6),
        n => format!("{:.2} s", n / 1e9),
    }
}

/// The HTML a directive expands to: per group, a table of medians relative
/// to the group's fastest, and bars drawn to scale; then the caption.
pub fn render(bench: &Bench, m: &Measurement) -> String {
    let mut groups: Vec<&str> = Vec::new();
    for f in &m.results {
        if !groups.contains(&f.group.as_str()) {
            groups.push(&f.group);
        }
    }
    let mut out = format!("<div class=\"nb-measurements\" data-bench=\"{bench}\">\n");
    for group in groups {
        let rows: Vec<&Figure> = m.results.iter().filter(|f| f.group == group).collect();
        let fastest = rows.iter().map(|f| f.median_ns).fold(f64::INFINITY, f64::min);
        let slowest = rows.iter().map(|f| f.median_ns).fold(0.0, f64::max);
        out.push_str(&chart(group, &rows));
        out.push_str(&format!(
            "<table class=\"nb-bench\"><caption>{}</caption><thead><tr><th>what</th><th>median</th><th>95% interval</th><th>vs fastest</th><th></th></tr></thead><tbody>",
            html_escape::encode_text(group)
        ));
        for f in rows {
            let width = if slowest > 0.0 { (f.median_ns / slowest * 100.0).max(1.0) } else { 0.0 };
            out.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td>{} – {}</td><td>{:.2}×</td><td class=\"nb-bar-cell\"><span class=\"nb-bar\" style=\"width:{width:.0}%\"></span></td></tr>",
                html_escape::encode_text(&f.function),
                human(f.median_ns),
                human(f.low_ns),
                human(f.high_ns),
                f.median_ns / fastest,
            ));
        }
        out.push_str("</tbody></table>\n");
    }
    out.push_str(&format!(
        "<p class=\"nb-caption\">Measured with {} on {}, {}. Measure it yourself: <code>{}</code></p>\n</div>\n",
        html_escape::encode_text(m.method.as_deref().unwrap_or("criterion")),
        html_escape::encode_text(&m.machine.describe()),
        html_escape::encode_text(&m.date),
        html_escape::encode_text(&command(bench)),
    ));
    out
}

/// A horizontal bar chart of one group's medians, as inline SVG: drawn
/// when the book is built, from the stored figures.
fn chart(group: &str, rows: &[&Figure]) -> String {
    use plotters::prelude::*;
    let slowest = rows.iter().map(|f| f.median_ns).fold(0.0, f64::max);
    if rows.is_empty() || slowest <= 0.0 {
        return String::new();
    }
    // Times on the axis in one unit, the one that suits the slowest.
    let (unit, scale) = match slowest {
        n if n < 1e3 => ("ns", 1.0),
        n if n < 1e6 => ("µs", 1e3),
        n if n < 1e9 => ("ms", 1e6),
        _ => ("s", 1e9),
    };
    let height = 80 + 34 * rows.len() as u32;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (720, height)).into_drawing_area();
        let drawn = (|| -> Result<(), Box<dyn std::error::Error + '_>> {
            root.fill(&WHITE)?;
            // Drawn bottom-up: reversed, so that the chart reads in the
            // table's order, top to bottom.
            let n = rows.len();
            let names: Vec<String> = rows.iter().rev().map(|f| f.function.clone()).collect();
            let mut chart = ChartBuilder::on(&root)
                .margin(10)
                .x_label_area_size(48)
                .y_label_area_size(200)
                .build_cartesian_2d(0.0..slowest / scale * 1.15, (0..n).into_segmented())?;
            chart
                .configure_mesh()
                .disable_y_mesh()
                .x_desc(format!("median time ({unit}); shorter is faster"))
                .label_style(("sans-serif", 15))
                .axis_desc_style(("sans-serif", 15))
                .y_label_formatter(&|v| match v {
                    SegmentValue::CenterOf(i) => names.get(*i).cloned().unwrap_or_default(),
                    _ => String::new(),
                })
                .draw()?;
            chart.draw_series(rows.iter().enumerate().map(|(i, f)| {
                let top = SegmentValue::Exact(n - 1 - i);
                let bottom = SegmentValue::Exact(n - i);
                let mut bar = Rectangle::new([(0.0, top), (f.median_ns / scale, bottom)], BLUE.mix(0.55).filled());
                bar.set_margin(6, 6, 0, 0);
                bar
            }))?;
            root.present()?;
            Ok(())
        })();
        // Writing into a String cannot fail; a drawing error leaves the
        // table, which follows, to carry the figures.
        let _ = drawn;
    }
    format!(
        "<figure class=\"nb-figure nb-bench-chart\" aria-label=\"{}\">{}</figure>\n",
        html_escape::encode_double_quoted_attribute(group),
        svg.lines().filter(|l| !l.starts_with("<?xml")).collect::<Vec<_>>().join("\n")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_read_in_their_unit() {
        assert_eq!(human(12.34), "12.3 ns");
        assert_eq!(human(2_500.0), "2.50 µs");
        assert_eq!(human(3_000_000.0), "3.00 ms");
    }

    #[test]
    fn the_table_compares_with_the_fastest() {
        let m = Measurement {
            date: "2026-11-23".into(),
            machine: Machine {
                cores: 2,
                os: "linux".into(),
                os_version: "6".into(),
                arch: "x86_64".into(),
                cpu: "cpu".into(),
            },
            method: None,
            results: vec![
                Figure { group: "g".into(), function: "fast".into(), median_ns: 10.0, low_ns: 9.0, high_ns: 11.0 },
                Figure { group: "g".into(), function: "slow".into(), median_ns: 30.0, low_ns: 29.0, high_ns: 31.0 },
            ],
        };
        let html = render(&Bench { krate: "c".into(), name: "b".into() }, &m);
        assert!(html.contains("<td>slow</td><td>30.0 ns</td><td>29.0 ns – 31.0 ns</td><td>3.00×</td>"), "{html}");
        assert!(html.contains("cargo book measure --bench c/b"));
        assert!(html.contains("<svg") && html.contains("median time (ns)"), "{html}");
        assert!(html.contains("2026-11-23"));
        assert!(html.contains("Measured with criterion on 2 cores"), "{html}");
        let own = Measurement { method: Some("rounds & more".into()), ..m };
        let html = render(&Bench { krate: "c".into(), name: "b".into() }, &own);
        assert!(html.contains("Measured with rounds &amp; more on 2 cores"), "{html}");
    }

    #[test]
    fn figures_a_benchmark_reports_itself_are_read_and_checked() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("reported.json");
        let figure = |median: f64, low: f64| {
            format!(r#"{{"group": "g", "function": "f", "median_ns": {median}, "low_ns": {low}, "high_ns": 30.0}}"#)
        };
        let report = |figures: String| format!(r#"{{"method": "m", "figures": [{figures}]}}"#);
        std::fs::write(&path, report(figure(20.0, 10.0))).unwrap();
        let read = read_reported(&path).unwrap();
        assert_eq!(read.method, "m");
        assert_eq!(read.figures.len(), 1);
        assert_eq!(read.figures[0].median_ns, 20.0);
        // A median outside its interval, a time that is not positive, or a
        // field too many, is refused with the file named.
        for bad in [
            report(figure(40.0, 10.0)),
            report(figure(20.0, 0.0)),
            r#"{"method": "m", "figures": [], "extra": 1}"#.to_string(),
        ] {
            std::fs::write(&path, &bad).unwrap();
            let error = format!("{:#}", read_reported(&path).unwrap_err());
            assert!(error.contains("reported.json"), "{error}");
        }
        // And the figure, when it is one that is wrong.
        std::fs::write(&path, report(figure(40.0, 10.0))).unwrap();
        let error = format!("{:#}", read_reported(&path).unwrap_err());
        assert!(error.contains("`g` / `f`"), "{error}");
    }
}
