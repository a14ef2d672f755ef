//! Building a reader's edited cell: one `rustc` call ([`crate::compile`]),
//! fast because each cell keeps rustc's incremental state from one build to
//! the next.
//!
//! Rustc reuses that state best when a build looks the same from outside:
//! the same working folder, source file and output file (a source file at
//! a new path each time costs about a third more for a tokio cell, an
//! output file at a new path loses the state altogether). So each cell has
//! a folder of its own, `target/notebook/incremental/<crate>/<example>/`,
//! holding the reader's code (`src/`), the state (`cache/`) and the
//! executable (`out/`); builds of one cell take turns (a lock per cell), and
//! each run gets the executable linked (or copied) into its own scratch
//! folder, so that no run sees the file the next build writes.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::sync::{Arc, Mutex};

use super::AppState;
use crate::cells::Cell;
use crate::compile::Compiler;

/// One lock per cell, made when first needed.
#[derive(Default)]
pub struct Builds {
    locks: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
}

impl Builds {
    fn lock_for(&self, cell: &Cell) -> Arc<tokio::sync::Mutex<()>> {
        // Poisoning needs a panic while holding the lock, and nothing below
        // can panic.
        let mut locks = self.locks.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        locks.entry(cell.id.to_string()).or_default().clone()
    }
}

/// Where a cell's builds keep their state and their executable.
fn cell_folder(state: &AppState, cell: &Cell) -> PathBuf {
    state.workspace.root.join("target/notebook/incremental").join(&cell.id.krate).join(&cell.id.example)
}

/// Compiles `code` (the reader's code of `cell`) into the executable
/// `exe`. Gives rustc's verdict and messages, and the path of the source
/// file the messages name. `Err` says why rustc could not be started.
pub async fn build(
    state: &AppState,
    compiler: &Compiler,
    cell: &Cell,
    code: &str,
    exe: &Path,
) -> Result<(Output, PathBuf), String> {
    let folder = cell_folder(state, cell);
    let source = folder.join("src").join(format!("{}.rs", cell.id.example));
    let built = folder.join("out").join(exe.file_name().unwrap_or(cell.id.example.as_ref()));
    let Some(args) = compiler.args(&cell.id.krate, &source, &built, &folder.join("cache")) else {
        return Err(format!("crate `{}` was not prepared", cell.id.krate));
    };
    let lock = state.builds.lock_for(cell);
    let _turn = lock.lock().await;
    for sub in ["src", "out"] {
        tokio::fs::create_dir_all(folder.join(sub))
            .await
            .map_err(|err| format!("could not create {}: {err}", folder.display()))?;
    }
    tokio::fs::write(&source, code).await.map_err(|err| format!("could not write the code: {err}"))?;
    // A run may still be using the last executable, through its link: write
    // the new one as a new file, never over that one.
    let _ = tokio::fs::remove_file(&built).await;
    let output = tokio::process::Command::new(compiler.rustc())
        .args(&args)
        // The same folder every time, as the output file is.
        .current_dir(&state.workspace.root)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .output()
        .await
        .map_err(|err| format!("could not start rustc: {err}"))?;
    if output.status.success() {
        // A link costs nothing; across file systems, a copy.
        if tokio::fs::hard_link(&built, exe).await.is_err() {
            tokio::fs::copy(&built, exe).await.map_err(|err| format!("could not copy the program: {err}"))?;
        }
    }
    Ok((output, source))
}
