//! Pictures under a cell's output.
//!
//! A cell program calls [`show_svg`]. When the notebook runs the cell it sets
//! the environment variable [`FIGURES_ENV`] to a folder, and the picture is
//! written there and shown under the text output. Run by hand with
//! `cargo run --example`, the picture goes to `target/figures/` and the
//! program prints where.

use std::io;
use std::path::{Path, PathBuf};

/// The variable the notebook sets to the folder that collects a run's figures.
pub const FIGURES_ENV: &str = "NOTEBOOK_FIGURES";

/// Shows `svg` under the cell's output. `name` is a short file-name-safe label
/// (letters, digits, `-` and `_`), used to order and name the figures of a run.
pub fn show_svg(name: &str, svg: &str) -> io::Result<PathBuf> {
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("figure name {name:?} must be letters, digits, '-' or '_'"),
        ));
    }
    match std::env::var_os(FIGURES_ENV) {
        // Under the notebook: write quietly, the notebook shows it.
        Some(dir) => write_figure(Path::new(&dir), name, svg),
        // By hand: write next to the build and say where it went.
        None => {
            let path = write_figure(&default_dir(), name, svg)?;
            println!("(figure written to {})", path.display());
            Ok(path)
        }
    }
}

fn write_figure(dir: &Path, name: &str, svg: &str) -> io::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    let path = dir.join(format!("{name}.svg"));
    std::fs::write(&path, svg)?;
    Ok(path)
}

/// `target/figures` of the workspace this program was built in, or the current
/// folder's `figures/` when the program was moved elsewhere.
fn default_dir() -> PathBuf {
    // The workspace's target folder, two levels above this crate; named
    // without `..` so that the printed path reads plainly.
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).ancestors().nth(2);
    match workspace.map(|w| w.join("target")) {
        Some(target) if target.is_dir() => target.join("figures"),
        _ => PathBuf::from("figures"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_could_escape_the_folder_are_refused() {
        for bad in ["", "../x", "a/b", "a b", "x.svg"] {
            let err = show_svg(bad, "<svg/>").unwrap_err();
            assert_eq!(err.kind(), io::ErrorKind::InvalidInput, "{bad:?}");
        }
    }
}
