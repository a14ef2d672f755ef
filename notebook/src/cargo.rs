//! Calling cargo: the one place that finds it and builds the cells with it.

use std::collections::BTreeSet;
use std::io::BufReader;
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};
use cargo_metadata::{Artifact, Message};

use crate::workspace::Workspace;

/// A `cargo` command run in the workspace: the cargo that started this tool
/// (`CARGO`, which `cargo book` sets), or the one on the `PATH`.
pub fn command(workspace: &Workspace) -> Command {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command.current_dir(&workspace.root);
    command
}

/// Builds the examples (and so the libraries and dependencies) of the given
/// crates, release profile, and returns cargo's artifact messages. Compiler
/// errors are printed as cargo prints them and fail the build.
pub fn build_examples(workspace: &Workspace, crates: &BTreeSet<&str>) -> Result<Vec<Artifact>> {
    build_examples_with(workspace, crates, &mut |_| {})
}

/// [`build_examples`], telling `built` of each artifact as cargo finishes
/// it (or finds it fresh).
pub fn build_examples_with(
    workspace: &Workspace,
    crates: &BTreeSet<&str>,
    built: &mut dyn FnMut(&Artifact),
) -> Result<Vec<Artifact>> {
    let mut command = command(workspace);
    command
        .args(["build", "--release", "--examples", "--message-format=json-render-diagnostics"])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    for krate in crates {
        command.args(["-p", krate]);
    }
    let mut child = command.spawn().context("starting cargo build")?;
    let stdout = child.stdout.take().context("cargo's stdout")?;
    let mut artifacts = Vec::new();
    for message in Message::parse_stream(BufReader::new(stdout)) {
        if let Message::CompilerArtifact(artifact) = message.context("reading cargo's messages")? {
            built(&artifact);
            artifacts.push(artifact);
        }
    }
    let status = child.wait().context("waiting for cargo build")?;
    if !status.success() {
        bail!("building the cells failed (cargo build exited with {status}); the compiler's messages are above");
    }
    Ok(artifacts)
}
