//! The cells of the book: every example of every chapter crate.
//!
//! A cell's id is `crate/example`, e.g. `foundations/task_graph`. Ids are
//! public names (a reader's saved edits hang on them), and they are only ever
//! *looked up* in the [`Catalog`], never joined into a path.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::Deserialize;

use crate::spec::{self, CellSpec};

/// Marks the start of lines shown only on demand in the book.
pub const HIDE_START: &str = "// HIDE_START";
/// Marks the end of such lines.
pub const HIDE_END: &str = "// HIDE_END";

/// The workspace: where the book, the chapter crates and the outputs are.
#[derive(Debug, Clone)]
pub struct Workspace {
    pub root: PathBuf,
}

/// A crate under `chapters-code/`.
#[derive(Debug, Clone)]
pub struct ChapterCrate {
    pub name: String,
    pub dir: PathBuf,
    /// A support crate serves chapters and is not one.
    pub support: bool,
}

#[derive(Deserialize)]
struct Manifest {
    package: Package,
}

#[derive(Deserialize)]
struct Package {
    name: String,
    #[serde(default)]
    metadata: Option<Metadata>,
}

#[derive(Deserialize)]
struct Metadata {
    #[serde(default)]
    notebook: Option<NotebookMetadata>,
}

#[derive(Deserialize)]
struct NotebookMetadata {
    #[serde(default)]
    support: bool,
}

impl Workspace {
    /// The workspace this tool was built in.
    pub fn here() -> Workspace {
        // The parent of this crate, named plainly (no `..`) for messages.
        let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
        Workspace { root: manifest.parent().unwrap_or(manifest).to_path_buf() }
    }

    pub fn at(root: impl Into<PathBuf>) -> Workspace {
        Workspace { root: root.into() }
    }

    pub fn chapters_code(&self) -> PathBuf {
        self.root.join("chapters-code")
    }

    pub fn src(&self) -> PathBuf {
        self.root.join("src")
    }

    /// Every crate under `chapters-code/`, sorted by name.
    pub fn crates(&self) -> Result<Vec<ChapterCrate>> {
        let dir = self.chapters_code();
        let mut crates = Vec::new();
        let entries = std::fs::read_dir(&dir).with_context(|| format!("reading {}", dir.display()))?;
        for entry in entries {
            let dir = entry?.path();
            let manifest_path = dir.join("Cargo.toml");
            if !manifest_path.is_file() {
                continue;
            }
            let text = std::fs::read_to_string(&manifest_path)
                .with_context(|| format!("reading {}", manifest_path.display()))?;
            let manifest: Manifest =
                toml::from_str(&text).with_context(|| format!("parsing {}", manifest_path.display()))?;
            let dir_name = dir.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
            if manifest.package.name != dir_name {
                bail!(
                    "{}: package name `{}` must equal its folder name `{dir_name}`",
                    manifest_path.display(),
                    manifest.package.name
                );
            }
            let support = manifest.package.metadata.and_then(|m| m.notebook).is_some_and(|n| n.support);
            crates.push(ChapterCrate { name: dir_name, dir, support });
        }
        crates.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(crates)
    }

    /// Every cell of every chapter crate.
    pub fn catalog(&self) -> Result<Catalog> {
        let mut cells = BTreeMap::new();
        for krate in self.crates()?.into_iter().filter(|c| !c.support) {
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
}

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
