//! Captured outputs, stored next to the chapter crate and committed.
//!
//! For a cell `crate/example` the files are, in `chapters-code/crate/outputs/`:
//! - `example.txt`: what it printed (stdout and stderr interleaved);
//! - `example.NAME.svg`: each figure it showed;
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
            && (rest == "txt" || rest == "toml" || (rest.ends_with(".svg") && !rest[..rest.len() - 4].contains('.')))
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
    Ok(Some(Stored { text, figures, meta }))
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
    Ok(())
}

fn write(path: &PathBuf, text: &str) -> Result<()> {
    std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

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
