//! Running many cells: a failing or runaway cell is reported by name, and
//! the others still run.

use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::sync::Mutex;

use notebook::capture::run_all;
use notebook::cells::Cell;
use notebook::workspace::Workspace;

use crate::util::write_files;

#[test]
fn one_bad_cell_does_not_stop_the_others() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[
            ("chapters-code/demo/Cargo.toml", "[package]\nname = \"demo\"\n"),
            ("chapters-code/demo/examples/fine.rs", "fn main() {}\n"),
            ("chapters-code/demo/examples/hangs.rs", "//@ timeout = 1\nfn main() {}\n"),
            ("chapters-code/demo/examples/fails.rs", "fn main() {}\n"),
            ("chapters-code/demo/examples/later.rs", "fn main() {}\n"),
            // Stand-ins for the built programs.
            ("bin/fine", "#!/bin/sh\necho fine\n"),
            ("bin/hangs", "#!/bin/sh\necho waiting\nsleep 60\n"),
            ("bin/fails", "#!/bin/sh\necho oops >&2\nexit 3\n"),
            ("bin/later", "#!/bin/sh\necho later\n"),
        ],
    );
    let mut executables = BTreeMap::new();
    for name in ["fine", "hangs", "fails", "later"] {
        let path: PathBuf = dir.path().join("bin").join(name);
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        executables.insert(format!("demo/{name}"), path);
    }
    let workspace = Workspace::at(dir.path());
    let catalog = workspace.catalog().unwrap();
    let cells: Vec<&Cell> = catalog.iter().collect();
    let printed = Mutex::new(Vec::new());
    let report = run_all(&workspace, &cells, &executables, 2, |cell, outcome| {
        printed.lock().unwrap().push((cell.id.to_string(), outcome.output.clone()));
        Ok(())
    });
    let mut ok = report.ok.clone();
    ok.sort();
    assert_eq!(ok, ["demo/fine", "demo/later"]);
    let failed: BTreeMap<_, _> = report.failed.into_iter().collect();
    assert!(failed["demo/hangs"].starts_with("timed out after"), "{}", failed["demo/hangs"]);
    assert!(failed["demo/hangs"].contains("waiting"), "what it printed is shown: {}", failed["demo/hangs"]);
    assert!(failed["demo/fails"].starts_with("exited with status 3"), "{}", failed["demo/fails"]);
    assert!(failed["demo/fails"].contains("oops"), "{}", failed["demo/fails"]);
    let mut printed = printed.into_inner().unwrap();
    printed.sort();
    assert_eq!(printed, [("demo/fine".to_string(), "fine\n".to_string()), ("demo/later".into(), "later\n".into())]);
}
