//! Finding a crate's example programs from its tests, to run a cell's
//! program as a reader would.

use std::path::PathBuf;

/// The example `name` of the crate under test: `cargo test` builds a
/// package's examples next to its tests, in `target/<profile>/examples/`.
///
/// # Panics
/// If it is not there (a `cargo test --test X` run builds no examples), with
/// the command that builds them.
pub fn built(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("the test program's path");
    // target/<profile>/deps/<test>-<hash> -> target/<profile>
    let profile_dir = exe
        .parent()
        .and_then(|d| d.parent())
        .expect("a test program lives in target/<profile>/deps/");
    let path = profile_dir.join("examples").join(name);
    assert!(
        path.exists(),
        "{} is missing: `cargo test -p <crate>` builds the examples \
         (with `--test`, add `--examples`)",
        path.display()
    );
    path
}
