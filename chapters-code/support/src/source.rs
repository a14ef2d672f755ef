//! Lines of the workspace's own code, read back for a picture or a player
//! that points at them.

use std::path::{Path, PathBuf};

/// The trimmed text of line `line` (counted from 1) of `file`, a path as
/// the compiler names it (from the workspace's root, or from the crate's
/// folder), or `None` if the file cannot be found. It is looked for from
/// the workspace's root, found above the crate's folder (a test) or the
/// current folder (a cell, which runs from the root), then from the
/// crate's folder.
pub(crate) fn line(file: &str, line: u32) -> Option<String> {
    let path = Path::new(file);
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from);
    let here = std::env::current_dir().ok();
    let roots = manifest.iter().chain(here.iter()).filter_map(|start| {
        start.ancestors().find(|a| a.join("book.toml").exists())
    });
    let candidates: Vec<PathBuf> = if path.is_absolute() {
        vec![path.to_path_buf()]
    } else {
        roots
            .map(|root| root.join(path))
            .chain(manifest.iter().map(|m| m.join(path)))
            .chain([path.to_path_buf()])
            .collect()
    };
    let text = candidates
        .iter()
        .find_map(|p| std::fs::read_to_string(p).ok())?;
    Some(
        text.lines()
            .nth((line as usize).saturating_sub(1))
            .unwrap_or_default()
            .trim()
            .to_string(),
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_line_of_this_file_is_read_back_trimmed() {
        let here = line!();
        let text = super::line(file!(), here).expect("this file is found");
        assert_eq!(text, "let here = line!();");
        assert_eq!(super::line("no/such/file.rs", 1), None);
    }
}
