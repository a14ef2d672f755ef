//! Compiling a reader's edited cell fast.
//!
//! `cargo build` of a whole example costs a second or more even when nothing
//! changed (cargo resolves, fingerprints, and links at full optimisation).
//! The notebook instead builds the chapter crates once, release profile, and
//! then calls `rustc` directly on the edited file, with one `--extern` per
//! library the example could use: the chapter crate itself and its normal and
//! dev dependencies, taken from cargo's own records (`cargo metadata` for the
//! names, cargo's artifact messages for the compiled files). Only the cell's
//! own code is compiled; everything it calls is already built and optimised.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use cargo_metadata::{DependencyKind, MetadataCommand, PackageId};

use crate::workspace::Workspace;

/// What `rustc` needs to compile a cell of one chapter crate.
#[derive(Debug, Clone)]
pub struct CrateLinks {
    pub edition: String,
    /// `--extern NAME=PATH`.
    pub externs: Vec<(String, PathBuf)>,
    /// `-L dependency=...`: where the libraries' own dependencies are.
    pub deps_dirs: BTreeSet<PathBuf>,
}

/// Compiles edited cells; see the module documentation.
#[derive(Debug, Clone)]
pub struct Compiler {
    rustc: PathBuf,
    crates: BTreeMap<String, CrateLinks>,
    /// Where the toolchain keeps the standard library as a shared library,
    /// if it does ([`shared_std`]).
    shared_std: Option<PathBuf>,
}

/// How far [`Compiler::prepare_with`] is: chapter crates ready, of all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub ready: usize,
    pub total: usize,
}

impl Compiler {
    /// Builds the chapter crates (release) and records how to link against
    /// them. Cargo prints its progress on stderr.
    pub fn prepare(workspace: &Workspace) -> Result<Compiler> {
        Compiler::prepare_with(workspace, |_| {})
    }

    /// [`Compiler::prepare`], telling `progress` each time a chapter crate
    /// is ready (its library and every example built), and once at the
    /// start.
    pub fn prepare_with(workspace: &Workspace, mut progress: impl FnMut(Progress)) -> Result<Compiler> {
        let chapter_crates: Vec<String> =
            workspace.crates()?.into_iter().filter(|c| !c.support).map(|c| c.name).collect();
        let names: BTreeSet<&str> = chapter_crates.iter().map(String::as_str).collect();
        let metadata = MetadataCommand::new().current_dir(&workspace.root).exec().context("running cargo metadata")?;
        // What each chapter crate waits for: its library and its examples.
        let mut waiting: BTreeMap<&PackageId, BTreeSet<&str>> = metadata
            .workspace_packages()
            .into_iter()
            .filter(|p| names.contains(p.name.as_str()))
            .map(|p| {
                let targets = p.targets.iter().filter(|t| t.is_lib() || t.is_example()).map(|t| t.name.as_str());
                (&p.id, targets.collect())
            })
            .collect();
        let total = waiting.len();
        progress(Progress { ready: 0, total });
        let mut ready = 0;
        let artifacts = crate::cargo::build_examples_with(workspace, &names, &mut |artifact| {
            if let Some(targets) = waiting.get_mut(&artifact.package_id)
                && targets.remove(artifact.target.name.as_str())
                && targets.is_empty()
            {
                ready += 1;
                progress(Progress { ready, total });
            }
        })?;
        let resolve = metadata.resolve.as_ref().context("cargo metadata gave no dependency graph")?;

        // The compiled library of each package, per feature set.
        let mut libraries: BTreeMap<&PackageId, Vec<(&Vec<String>, PathBuf)>> = BTreeMap::new();
        for artifact in &artifacts {
            let is_lib = artifact.target.kind.iter().any(|k| {
                matches!(
                    k,
                    cargo_metadata::TargetKind::Lib
                        | cargo_metadata::TargetKind::RLib
                        | cargo_metadata::TargetKind::ProcMacro
                )
            });
            if !is_lib {
                continue;
            }
            let file = artifact.filenames.iter().find(|f| {
                let name = f.as_str();
                name.ends_with(".rlib") || name.ends_with(".so") || name.ends_with(".dylib") || name.ends_with(".dll")
            });
            if let Some(file) = file {
                libraries
                    .entry(&artifact.package_id)
                    .or_default()
                    .push((&artifact.features, file.clone().into_std_path_buf()));
            }
        }
        let library = |id: &PackageId| -> Option<PathBuf> {
            let built = libraries.get(id)?;
            // A package built twice (for a proc-macro and for the program)
            // differs in features; the program's are the ones cargo resolved.
            let features = resolve.nodes.iter().find(|n| &n.id == id).map(|n| &n.features);
            built
                .iter()
                .find(|(f, _)| {
                    features.is_some_and(|want| want.iter().map(|x| x.to_string()).collect::<Vec<_>>() == **f)
                })
                .or(built.first())
                .map(|(_, p)| p.clone())
        };

        let mut crates = BTreeMap::new();
        for name in &chapter_crates {
            let package = metadata
                .workspace_packages()
                .into_iter()
                .find(|p| p.name.as_str() == name)
                .with_context(|| format!("cargo metadata does not list `{name}`"))?;
            let node = resolve.nodes.iter().find(|n| n.id == package.id).context("no resolve node")?;
            let mut externs = Vec::new();
            if let Some(lib) = package.targets.iter().find(|t| t.is_lib())
                && let Some(path) = library(&package.id)
            {
                externs.push((lib.name.replace('-', "_"), path));
            }
            for dep in &node.deps {
                let usable = dep
                    .dep_kinds
                    .iter()
                    .any(|k| matches!(k.kind, DependencyKind::Normal | DependencyKind::Development));
                if usable && let Some(path) = library(&dep.pkg) {
                    externs.push((dep.name.clone(), path));
                }
            }
            let deps_dirs = externs.iter().filter_map(|(_, p)| p.parent().map(Path::to_path_buf)).collect();
            crates.insert(name.clone(), CrateLinks { edition: package.edition.to_string(), externs, deps_dirs });
        }
        let rustc = std::env::var_os("RUSTC").map(PathBuf::from).unwrap_or_else(|| toolchain_rustc(workspace));
        let shared_std = shared_std(&rustc);
        Ok(Compiler { rustc, crates, shared_std })
    }

    /// The crates it can compile cells of.
    pub fn crates(&self) -> impl Iterator<Item = &str> {
        self.crates.keys().map(String::as_str)
    }

    /// The `rustc` arguments that compile `source` (a cell of `krate`) into
    /// the executable `output`, keeping what the next build of the same cell
    /// can reuse in the folder `incremental`. `None` for an unknown crate.
    pub fn args(&self, krate: &str, source: &Path, output: &Path, incremental: &Path) -> Option<Vec<String>> {
        let links = self.crates.get(krate)?;
        let mut args = vec![
            format!("--edition={}", links.edition),
            "--crate-name=cell".to_string(),
            "--crate-type=bin".to_string(),
            // Optimised enough that timings mean something, cheap to compile.
            "-Copt-level=1".to_string(),
            "-Cdebuginfo=0".to_string(),
            // What makes an edit fast (the latency benchmark measures it):
            // an edit changes a line or two, and the rest of the cell, with
            // the library code it instantiates (tokio's, for a tokio cell),
            // is compiled once and reused; no LTO pass over the whole cell
            // after each edit; and no debug information of the libraries
            // for the linker to copy.
            format!("-Cincremental={}", incremental.display()),
            "-Clto=off".to_string(),
            "-Cstrip=debuginfo".to_string(),
            // Diagnostics as JSON, each with the text a terminal would show
            // (in colour): the editor marks the spans, the page prints the
            // text ([`crate::diagnostics`]).
            "--error-format=json".to_string(),
            "--json=diagnostic-rendered-ansi".to_string(),
            "-o".to_string(),
            output.display().to_string(),
        ];
        if let Some(dir) = &self.shared_std {
            // The standard library linked as the shared library the
            // toolchain ships, not copied into each program: about 10 ms
            // less of an edited std cell's build of about 120 (measured
            // side by side on `threads/spawn_and_join`). The program finds
            // the library through the absolute path written into it (the
            // run's copy lives in another folder, so a path relative to the
            // program would not do).
            args.push("-Cprefer-dynamic".to_string());
            args.push(format!("-Clink-arg=-Wl,-rpath,{}", dir.display()));
        }
        for dir in &links.deps_dirs {
            args.push(format!("-Ldependency={}", dir.display()));
        }
        for (name, path) in &links.externs {
            args.push(format!("--extern={name}={}", path.display()));
        }
        args.push(source.display().to_string());
        Some(args)
    }

    /// The compiler to call.
    pub fn rustc(&self) -> &Path {
        &self.rustc
    }
}

/// The toolchain's own `rustc`, found with `rustc --print sysroot`, or
/// `rustc` as `PATH` finds it. Where rustup is installed, the `rustc` on
/// `PATH` is rustup's proxy, which chooses a toolchain and then starts the
/// real compiler: about 7 ms of every build of an edit (measured on this
/// book's machine, 17 against 10 ms for `rustc --version`). The proxy is
/// asked once, from the workspace, so that a toolchain file there counts.
fn toolchain_rustc(workspace: &Workspace) -> PathBuf {
    let proxy = PathBuf::from("rustc");
    let sysroot = std::process::Command::new(&proxy)
        .args(["--print", "sysroot"])
        .current_dir(&workspace.root)
        .output()
        .ok()
        .filter(|output| output.status.success())
        .and_then(|output| String::from_utf8(output.stdout).ok());
    let Some(sysroot) = sysroot else { return proxy };
    let real = Path::new(sysroot.trim()).join("bin").join(format!("rustc{}", std::env::consts::EXE_SUFFIX));
    if real.is_file() { real } else { proxy }
}

/// The folder holding the toolchain's shared standard library
/// (`libstd-*.so` on Linux, `.dylib` on macOS), found with
/// `rustc --print target-libdir`. `None` where there is none, or on Windows,
/// where a program finds libraries through `PATH` rather than a path
/// written into it: cells then link the standard library statically.
fn shared_std(rustc: &Path) -> Option<PathBuf> {
    if !cfg!(unix) {
        return None;
    }
    let output = std::process::Command::new(rustc).args(["--print", "target-libdir"]).output().ok()?;
    if !output.status.success() {
        return None;
    }
    let dir = PathBuf::from(String::from_utf8(output.stdout).ok()?.trim());
    let suffix = std::env::consts::DLL_SUFFIX;
    let has_std = std::fs::read_dir(&dir).ok()?.filter_map(|e| e.ok()).any(|entry| {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        name.starts_with("libstd-") && name.ends_with(suffix)
    });
    has_std.then_some(dir)
}
