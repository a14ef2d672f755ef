//! Plain `mdbook build` runs the cell preprocessor as a command (book.toml's
//! `[preprocessor.cells]`); `cargo book build` registers it in code. Both must
//! give the same book, byte for byte.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use mdbook_driver::MDBook;
use mdbook_driver::config::Config;

fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut found = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                found.insert(path.strip_prefix(dir).unwrap().to_path_buf(), std::fs::read(&path).unwrap());
            }
        }
    }
    found
}

#[test]
fn the_command_preprocessor_builds_the_same_book() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let in_process = tempfile::tempdir().unwrap();
    notebook::book::build_into(&root, in_process.path()).unwrap();

    // What `mdbook build` does with book.toml, with this test's build of the
    // tool in place of `cargo run` (cargo is busy running this test).
    let mut config = Config::from_disk(root.join("book.toml")).unwrap();
    config.set("preprocessor.cells.command", format!("{} preprocessor", env!("CARGO_BIN_EXE_notebook"))).unwrap();
    config.build.build_dir = tempfile::tempdir().unwrap().keep();
    let as_command = config.build.build_dir.clone();
    MDBook::load_with_config(&root, config).unwrap().build().unwrap();

    let (a, b) = (files(in_process.path()), files(&as_command));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>(), "the same files");
    for (path, bytes) in &a {
        assert!(bytes == &b[path], "{} differs between the two builds", path.display());
    }
    assert!(a.contains_key(Path::new("index.html")));
    std::fs::remove_dir_all(&as_command).unwrap();
}

#[test]
fn the_command_answers_mdbooks_supports_question() {
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_notebook"))
        .args(["preprocessor", "supports", "html"])
        .status()
        .unwrap();
    assert!(status.success());
}
