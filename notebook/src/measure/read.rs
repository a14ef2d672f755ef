//! Reading the medians a benchmark left: criterion's files, or a report of
//! its own.

use std::path::Path;
use std::time::SystemTime;

use anyhow::{Context, Result, bail};
use serde::Deserialize;

use super::Median;

/// What a benchmark that measures its own way reports (see [`super::MEDIANS_ENV`]).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Reported {
    pub method: String,
    pub medians: Vec<Median>,
}

/// Reads the medians a benchmark reported itself, and checks that they are
/// medians: finite, positive times, each inside its interval.
pub(super) fn reported(path: &Path) -> Result<Reported> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let reported: Reported = serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
    for f in &reported.medians {
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
pub(super) fn criterion(dir: &Path, since: SystemTime) -> Result<Vec<Median>> {
    let mut medians = Vec::new();
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
        medians.push((
            modified,
            Median {
                group: info["group_id"].as_str().unwrap_or_default().to_string(),
                function: info["function_id"].as_str().unwrap_or_default().to_string(),
                median_ns: number(&median["point_estimate"])?,
                low_ns: number(&median["confidence_interval"]["lower_bound"])?,
                high_ns: number(&median["confidence_interval"]["upper_bound"])?,
            },
        ));
    }
    medians.sort_by_key(|(modified, _)| *modified);
    Ok(medians.into_iter().map(|(_, median)| median).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_a_benchmark_reports_itself_are_read_and_checked() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("reported.json");
        let median = |median: f64, low: f64| {
            format!(r#"{{"group": "g", "function": "f", "median_ns": {median}, "low_ns": {low}, "high_ns": 30.0}}"#)
        };
        let report = |medians: String| format!(r#"{{"method": "m", "medians": [{medians}]}}"#);
        std::fs::write(&path, report(median(20.0, 10.0))).unwrap();
        let read = reported(&path).unwrap();
        assert_eq!(read.method, "m");
        assert_eq!(read.medians.len(), 1);
        assert_eq!(read.medians[0].median_ns, 20.0);
        // A median outside its interval, a time that is not positive, or a
        // field too many, is refused with the file named.
        for bad in [
            report(median(40.0, 10.0)),
            report(median(20.0, 0.0)),
            r#"{"method": "m", "medians": [], "extra": 1}"#.to_string(),
        ] {
            std::fs::write(&path, &bad).unwrap();
            let error = format!("{:#}", reported(&path).unwrap_err());
            assert!(error.contains("reported.json"), "{error}");
        }
        // And the median, when it is one that is wrong.
        std::fs::write(&path, report(median(40.0, 10.0))).unwrap();
        let error = format!("{:#}", reported(&path).unwrap_err());
        assert!(error.contains("`g` / `f`"), "{error}");
    }
}
