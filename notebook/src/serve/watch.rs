//! Rebuilding when the sources change: the book's markdown and theme, the
//! chapter crates' code and stored outputs. A change to a chapter crate's
//! code also rebuilds the crate, so edited cells link against the new code.
//! Then every open page is told to reload.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result};
use notify::{self, EventKind, RecommendedWatcher, RecursiveMode, Watcher as _};

use super::AppState;

/// How long to wait for more changes before rebuilding: an editor's save is
/// often several events, and a `git checkout` is many.
const SETTLE: Duration = Duration::from_millis(300);

/// Keeps watching while it lives.
pub struct Watcher {
    _watcher: RecommendedWatcher,
}

/// Starts watching `src/`, `theme/`, `book.toml` and `chapters-code/`.
pub fn start(state: AppState) -> Result<Watcher> {
    let root = state.workspace.root.clone();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<Vec<PathBuf>>();
    // Only changes count. Reading a file is an event too (on Linux, inotify
    // reports opens), and the rebuild reads every source: counting those
    // would rebuild forever.
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if let Ok(event) = event
            && is_change(&event.kind)
        {
            let _ = tx.send(event.paths);
        }
    })
    .context("starting the file watcher")?;
    for (path, mode) in [
        ("src", RecursiveMode::Recursive),
        ("theme", RecursiveMode::Recursive),
        ("chapters-code", RecursiveMode::Recursive),
        ("book.toml", RecursiveMode::NonRecursive),
    ] {
        let path = root.join(path);
        watcher.watch(&path, mode).with_context(|| format!("watching {}", path.display()))?;
    }
    tokio::spawn(async move {
        let mut generation = 0u64;
        while let Some(mut paths) = rx.recv().await {
            // Let the burst settle, then take every change that queued up
            // meanwhile in one rebuild.
            tokio::time::sleep(SETTLE).await;
            while let Ok(more) = rx.try_recv() {
                paths.extend(more);
            }
            let relevant: Vec<&PathBuf> = paths.iter().filter(|p| !in_build_output(p)).collect();
            if relevant.is_empty() {
                continue;
            }
            let code_changed = relevant.iter().any(|p| is_crate_code(&root, p));
            generation += 1;
            if let Err(err) = rebuild(&state, code_changed).await {
                eprintln!("rebuild failed: {err:#}");
                continue;
            }
            eprintln!("rebuilt the book (change #{generation}); reloading open pages");
            let _ = state.reloads.send(generation);
        }
    });
    Ok(Watcher { _watcher: watcher })
}

/// Whether an event changed something: made, modified or removed a file.
fn is_change(kind: &EventKind) -> bool {
    matches!(kind, EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_) | EventKind::Any)
}

/// Files the tools write themselves: never a reason to rebuild.
fn in_build_output(path: &Path) -> bool {
    path.components().any(|c| c.as_os_str() == "target")
}

/// A chapter crate's code or manifest (not its examples or outputs, which
/// only need the book rebuilt).
fn is_crate_code(root: &Path, path: &Path) -> bool {
    let Ok(inside) = path.strip_prefix(root.join("chapters-code")) else { return false };
    let parts: Vec<_> = inside.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    match parts.as_slice() {
        [_, file] => file == "Cargo.toml",
        [_, dir, ..] => dir == "src",
        _ => false,
    }
}

async fn rebuild(state: &AppState, code_changed: bool) -> Result<()> {
    let root = state.workspace.root.clone();
    let book_dir = state.book_dir.clone();
    tokio::task::spawn_blocking(move || crate::book::build_into(&root, &book_dir)).await??;
    let catalog = state.workspace.catalog()?;
    *state.catalog.write().await = catalog;
    if code_changed {
        super::prepare(state).await;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn library_code_needs_the_crate_rebuilt_examples_do_not() {
        let root = Path::new("/w");
        assert!(is_crate_code(root, Path::new("/w/chapters-code/threads/src/lib.rs")));
        assert!(is_crate_code(root, Path::new("/w/chapters-code/threads/Cargo.toml")));
        assert!(!is_crate_code(root, Path::new("/w/chapters-code/threads/examples/a.rs")));
        assert!(!is_crate_code(root, Path::new("/w/src/threads/index.md")));
        assert!(in_build_output(Path::new("/w/target/notebook/book/index.html")));
    }

    #[test]
    fn reading_a_file_is_not_a_change() {
        use notify::event::{AccessKind, CreateKind, ModifyKind};
        assert!(!is_change(&EventKind::Access(AccessKind::Any)));
        assert!(is_change(&EventKind::Modify(ModifyKind::Any)));
        assert!(is_change(&EventKind::Create(CreateKind::File)));
    }
}
