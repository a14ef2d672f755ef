//! Building the book with mdBook as a library, the cell preprocessor
//! registered in code.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use mdbook_driver::MDBook;

use crate::preprocess::CellPreprocessor;

/// Loads the book at `root` with the cell preprocessor in place of the
/// command preprocessor that `book.toml` names for plain `mdbook`.
pub fn load(root: &Path) -> Result<MDBook> {
    let mut book = MDBook::load(root).with_context(|| format!("loading the book at {}", root.display()))?;
    book.with_preprocessor(CellPreprocessor);
    Ok(book)
}

/// Builds the book into its build folder (`book/`, unless book.toml or
/// `MDBOOK_BUILD__BUILD_DIR` says otherwise), and returns that folder.
pub fn build(root: &Path) -> Result<PathBuf> {
    let book = load(root)?;
    book.build().context("building the book")?;
    Ok(root.join(&book.config.build.build_dir))
}

/// Builds the book into another folder, leaving `book/` alone.
pub fn build_into(root: &Path, dir: &Path) -> Result<()> {
    let mut book = load(root)?;
    book.config.build.build_dir = dir.to_path_buf();
    book.build().context("building the book")
}
