//! The cells of the book: every example of every chapter crate.
//!
//! A cell's id is `crate/example`, e.g. `foundations/task_graph`. Ids are
//! public names (a reader's saved edits hang on them), and they are only ever
//! *looked up* in the [`Catalog`], never joined into a path.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

use anyhow::{Context, Result};

use crate::spec::{self, CellSpec};
use crate::workspace::Workspace;

/// Marks the start of lines shown only on demand in the book.
pub const HIDE_START: &str = "// HIDE_START";
/// Marks the end of such lines.
pub const HIDE_END: &str = "// HIDE_END";

/// `crate/example`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CellId {
    pub krate: String,
    pub example: String,
}

impl fmt::Display for CellId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.krate, self.example)
    }
}

/// One runnable program of the book.
#[derive(Debug, Clone)]
pub struct Cell {
    pub id: CellId,
    /// `chapters-code/<crate>/examples/<example>.rs`
    pub path: PathBuf,
    pub crate_dir: PathBuf,
    pub source: String,
    pub spec: CellSpec,
}

impl Cell {
    /// The folder its captured outputs are stored in.
    pub fn outputs_dir(&self) -> PathBuf {
        self.crate_dir.join("outputs")
    }

    /// The command a reader types to run it by hand.
    pub fn command(&self) -> String {
        let mut cmd = format!("cargo run --release -p {} --example {}", self.id.krate, self.id.example);
        if !self.spec.args.is_empty() {
            cmd.push_str(" --");
            for arg in &self.spec.args {
                cmd.push(' ');
                cmd.push_str(arg);
            }
        }
        cmd
    }

    /// The code a reader edits: the source without its spec lines (the spec
    /// is the book's, and applies to edited code too).
    pub fn editor_code(&self) -> String {
        self.source
            .lines()
            .filter(|l| !l.trim_start().starts_with(spec::SPEC_PREFIX))
            .map(|l| format!("{l}\n"))
            .collect()
    }

    /// The code as the book shows it: spec lines removed; the module doc and
    /// the lines between `HIDE_START` and `HIDE_END` hidden behind mdBook's
    /// `# ` prefix (revealed by the eye button), the markers removed.
    pub fn book_code(&self) -> String {
        let mut out = String::new();
        let mut hiding = false;
        for line in self.source.lines() {
            let trimmed = line.trim();
            if trimmed.starts_with(spec::SPEC_PREFIX) {
                continue;
            }
            if trimmed == HIDE_START {
                hiding = true;
                continue;
            }
            if trimmed == HIDE_END {
                hiding = false;
                continue;
            }
            if hiding || trimmed.starts_with("//!") {
                if line.is_empty() {
                    out.push_str("#\n");
                } else {
                    out.push_str("# ");
                    out.push_str(line);
                    out.push('\n');
                }
            } else {
                out.push_str(line);
                out.push('\n');
            }
        }
        // A blank line right after the hidden header looks odd when hidden.
        out
    }
}

/// All cells, by id.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    pub cells: BTreeMap<String, Cell>,
}

impl Catalog {
    /// Every cell of every chapter crate.
    pub fn load(workspace: &Workspace) -> Result<Catalog> {
        let mut cells = BTreeMap::new();
        for krate in workspace.crates()?.into_iter().filter(|c| !c.support) {
            let examples = krate.dir.join("examples");
            if !examples.is_dir() {
                continue;
            }
            for entry in std::fs::read_dir(&examples).with_context(|| format!("reading {}", examples.display()))? {
                let path = entry?.path();
                if path.extension().is_none_or(|e| e != "rs") {
                    continue;
                }
                let Some(example) = path.file_stem().and_then(|s| s.to_str()) else { continue };
                let id = CellId { krate: krate.name.clone(), example: example.to_string() };
                let source = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
                let spec = spec::parse(&source).with_context(|| format!("{}", path.display()))?;
                cells.insert(id.to_string(), Cell { id, path, crate_dir: krate.dir.clone(), source, spec });
            }
        }
        Ok(Catalog { cells })
    }

    /// Looks a cell up by its id; the only way a name becomes a file.
    pub fn get(&self, id: &str) -> Option<&Cell> {
        self.cells.get(id)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Cell> {
        self.cells.values()
    }

    pub fn len(&self) -> usize {
        self.cells.len()
    }

    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    /// The ids, for messages that list what exists.
    pub fn ids(&self) -> Vec<&str> {
        self.cells.keys().map(String::as_str).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(source: &str) -> Cell {
        Cell {
            id: CellId { krate: "c".into(), example: "e".into() },
            path: PathBuf::from("c/examples/e.rs"),
            crate_dir: PathBuf::from("c"),
            source: source.into(),
            spec: spec::parse(source).unwrap(),
        }
    }

    #[test]
    fn the_book_hides_doc_and_boilerplate_and_drops_the_spec() {
        let c =
            cell("//! What it shows.\n//@ timeout = 20\n// HIDE_START\nuse std::io;\n\n// HIDE_END\nfn main() {}\n");
        assert_eq!(c.book_code(), "# //! What it shows.\n# use std::io;\n#\nfn main() {}\n");
    }

    #[test]
    fn the_editor_gets_everything_but_the_spec() {
        let c = cell("//! Doc.\n//@ timeout = 20\n// HIDE_START\nuse std::io;\n// HIDE_END\nfn main() {}\n");
        assert_eq!(c.editor_code(), "//! Doc.\n// HIDE_START\nuse std::io;\n// HIDE_END\nfn main() {}\n");
    }

    #[test]
    fn the_command_carries_the_arguments() {
        let c = cell("//@ args = [\"--n\", \"3\"]\nfn main() {}\n");
        assert_eq!(c.command(), "cargo run --release -p c --example e -- --n 3");
    }
}
