//! The workspace: where the book, the chapter crates and their outputs are.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::Deserialize;

use crate::cells::Catalog;

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
        Catalog::load(self)
    }
}
