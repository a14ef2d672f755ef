//! Captured outputs, stored next to the chapter crate and committed.
//!
//! For a cell `crate/example` the files are, in `chapters-code/crate/outputs/`:
//! - `example.txt`: what it printed (stdout and stderr interleaved);
//! - `example.NAME.svg`: each figure it showed;
//! - `example.trace.json`: its timelines as one trace in Chrome's
//!   trace-event format (a process per timeline), when it drew any;
//! - `example.distribution.json`: what many runs printed, for a cell that
//!   declares `runs` ([`crate::distribution`]);
//! - `example.toml`: when and where it ran, how long it took, and a hash of
//!   the code that ran, so a changed cell is known to need a new capture.

use std::path::PathBuf;

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::cells::Cell;
use crate::machine::Machine;
use crate::runner::RunOutcome;

/// A stored run of a cell.
#[derive(Debug, Clone)]
pub struct Stored {
    pub text: String,
    pub figures: Vec<(String, String)>,
    /// The run's timelines as one trace-event JSON document, if it drew any.
    pub trace: Option<String>,
    pub meta: Meta,
}

/// Where and when a stored output was captured.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    /// The day of the capture, `YYYY-MM-DD`.
    pub date: String,
    pub duration_ms: u64,
    /// [`code_hash`] of the cell's source at capture time.
    pub code_sha256: String,
    pub machine: Machine,
}

/// The hash stored with an output: SHA-256 of the cell's source less its
/// `//!` doc lines. Those only describe the program, so rewording them needs
/// no new capture; everything else counts, the `//@` spec lines included
/// (they set its arguments, input and time limit).
pub fn code_hash(source: &str) -> String {
    let code: String =
        source.lines().filter(|line| !line.trim_start().starts_with("//!")).flat_map(|line| [line, "\n"]).collect();
    let digest = Sha256::digest(code.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

fn text_path(cell: &Cell) -> PathBuf {
    cell.outputs_dir().join(format!("{}.txt", cell.id.example))
}

fn meta_path(cell: &Cell) -> PathBuf {
    cell.outputs_dir().join(format!("{}.toml", cell.id.example))
}

fn trace_path(cell: &Cell) -> PathBuf {
    cell.outputs_dir().join(format!("{}.trace.json", cell.id.example))
}

fn figure_path(cell: &Cell, name: &str) -> PathBuf {
    cell.outputs_dir().join(format!("{}.{name}.svg", cell.id.example))
}

/// The files of a cell's stored output that exist now.
fn existing_files(cell: &Cell) -> Result<Vec<PathBuf>> {
    let dir = cell.outputs_dir();
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let prefix = format!("{}.", cell.id.example);
    let mut files = Vec::new();
    for entry in std::fs::read_dir(&dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if let Some(rest) = name.strip_prefix(&prefix)
            && (rest == "txt"
                || rest == "toml"
                || rest == "trace.json"
                || rest == "distribution.json"
                || (rest.ends_with(".svg") && !rest[..rest.len() - 4].contains('.')))
        {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// Loads a cell's stored output, or `None` if it was never captured.
pub fn load(cell: &Cell) -> Result<Option<Stored>> {
    let text_path = text_path(cell);
    if !text_path.is_file() {
        return Ok(None);
    }
    let text = std::fs::read_to_string(&text_path).with_context(|| format!("reading {}", text_path.display()))?;
    let meta_path = meta_path(cell);
    let meta_text = std::fs::read_to_string(&meta_path).with_context(|| format!("reading {}", meta_path.display()))?;
    let meta: Meta = toml::from_str(&meta_text).with_context(|| format!("parsing {}", meta_path.display()))?;
    let svg_prefix = format!("{}.", cell.id.example);
    let mut figures = Vec::new();
    for path in existing_files(cell)? {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if let Some(figure) = name.strip_prefix(&svg_prefix).and_then(|r| r.strip_suffix(".svg")) {
            let svg = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
            figures.push((figure.to_string(), svg));
        }
    }
    let trace_path = trace_path(cell);
    let trace = match trace_path.is_file() {
        true => {
            Some(std::fs::read_to_string(&trace_path).with_context(|| format!("reading {}", trace_path.display()))?)
        }
        false => None,
    };
    Ok(Some(Stored { text, figures, trace, meta }))
}

/// Stores a successful run as the cell's output, replacing the old one.
pub fn save(cell: &Cell, outcome: &RunOutcome, machine: &Machine) -> Result<()> {
    let dir = cell.outputs_dir();
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    for old in existing_files(cell)? {
        std::fs::remove_file(&old).with_context(|| format!("removing {}", old.display()))?;
    }
    let meta = Meta {
        date: jiff::Zoned::now().date().to_string(),
        duration_ms: outcome.duration.as_millis() as u64,
        code_sha256: code_hash(&cell.source),
        machine: machine.clone(),
    };
    write(&text_path(cell), &outcome.output)?;
    write(&meta_path(cell), &toml::to_string(&meta)?)?;
    for (name, svg) in &outcome.figures {
        write(&figure_path(cell, name), svg)?;
    }
    if !outcome.traces.is_empty() {
        write(&trace_path(cell), &merge_traces(&outcome.traces)?)?;
    }
    Ok(())
}

/// The traces of one run's timelines as one trace-event document: each
/// timeline becomes a process of its own (numbered in name order, so that
/// their threads do not mix), its events otherwise as it wrote them.
pub fn merge_traces(traces: &[(String, String)]) -> Result<String> {
    let mut events = Vec::new();
    for (pid, (name, json)) in traces.iter().enumerate() {
        let trace: serde_json::Value =
            serde_json::from_str(json).with_context(|| format!("trace `{name}` is not JSON"))?;
        let list = trace
            .get("traceEvents")
            .and_then(serde_json::Value::as_array)
            .with_context(|| format!("trace `{name}` has no traceEvents list"))?;
        for event in list {
            let mut event = event.clone();
            event["pid"] = serde_json::Value::from(pid + 1);
            events.push(event);
        }
    }
    let lines: Vec<String> = events.iter().map(serde_json::Value::to_string).collect();
    Ok(format!("{{\"displayTimeUnit\":\"ms\",\"traceEvents\":[\n{}\n]}}\n", lines.join(",\n")))
}

fn write(path: &PathBuf, text: &str) -> Result<()> {
    std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_timeline_becomes_a_process_of_the_merged_trace() {
        let one = r#"{"traceEvents":[{"name":"x","ph":"X","pid":1,"tid":0,"ts":1,"dur":2}]}"#;
        let two = r#"{"traceEvents":[{"name":"thread_name","ph":"M","pid":1,"tid":3,"args":{"name":"w"}}]}"#;
        let merged = merge_traces(&[("a".into(), one.into()), ("b".into(), two.into())]).unwrap();
        let value: serde_json::Value = serde_json::from_str(&merged).unwrap();
        let pids: Vec<u64> =
            value["traceEvents"].as_array().unwrap().iter().map(|e| e["pid"].as_u64().unwrap()).collect();
        assert_eq!(pids, [1, 2]);
        assert!(merge_traces(&[("bad".into(), "{".into())]).unwrap_err().to_string().contains("bad"));
    }

    #[test]
    fn rewording_the_doc_keeps_the_hash_and_anything_else_changes_it() {
        let source = "//! Cell `x`: what it shows.\n//@ timeout = 20\nfn main() { println!(\"hi\"); }\n";
        let hash = code_hash(source);
        assert_eq!(code_hash(&source.replace("what it shows", "what it shows, reworded")), hash);
        assert_ne!(code_hash(&source.replace("20", "30")), hash, "the spec decides how it runs");
        assert_ne!(code_hash(&source.replace("hi", "ho")), hash);
        assert_ne!(code_hash(&source.replace("fn main", "// a note\nfn main")), hash, "only //! lines are left out");
    }
}
