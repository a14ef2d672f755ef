//! Helpers shared by the whole-book tests.

use std::path::{Path, PathBuf};

use notebook::workspace::Workspace;

/// The repository's root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn workspace() -> Workspace {
    Workspace::at(root())
}

/// Writes files (path relative to `dir`, contents) into a folder.
pub fn write_files(dir: &Path, files: &[(&str, &str)]) {
    for (path, text) in files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().expect("a file has a parent")).expect("create folder");
        std::fs::write(&path, text).expect("write file");
    }
}
