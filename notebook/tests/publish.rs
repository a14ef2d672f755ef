//! The publishing workflow (`.github/workflows/pages.yml`) builds the book
//! with `cargo book build` and settings from GitHub. This test runs that
//! step as the workflow does, with the tool's binary, and reads the pages
//! it made: a workflow that no longer builds, or settings that no longer
//! reach the page, fail here before they fail on GitHub.

use std::path::Path;
use std::process::Command;

/// What GitHub puts in the workflow's `${{ … }}`, for a repository
/// `example/many-things-at-once` published from `main`.
const GITHUB: &[(&str, &str)] = &[
    ("github.server_url", "https://github.com"),
    ("github.repository", "example/many-things-at-once"),
    ("github.ref_name", "main"),
    ("steps.pages.outputs.base_path", "/many-things-at-once"),
];
const REPOSITORY: &str = "https://github.com/example/many-things-at-once";

/// The workflow's step that runs `command`: its environment, as written.
fn step_env(workflow: &str, command: &str) -> Vec<(String, String)> {
    let lines: Vec<&str> = workflow.lines().collect();
    let run = format!("run: {command}");
    let at =
        lines.iter().position(|l| l.trim() == run).unwrap_or_else(|| panic!("no step of the workflow says `{run}`"));
    let indent = |l: &str| l.len() - l.trim_start().len();
    // The step's keys sit at the `run:` line's indentation; `env:` is one of
    // them, its variables deeper. The step ends where the indentation drops
    // below its keys, or at the next `- ` item.
    let key_indent = indent(lines[at]);
    let start = (0..at).rev().find(|&i| lines[i].trim_start().starts_with("- ")).expect("the step's first line");
    let end = (at + 1..lines.len())
        .find(|&i| {
            let l = lines[i];
            !l.trim().is_empty() && (indent(l) < key_indent || l.trim_start().starts_with("- "))
        })
        .unwrap_or(lines.len());
    let step = &lines[start..end];
    let Some(env_at) = step.iter().position(|l| l.trim() == "env:") else {
        return Vec::new();
    };
    step[env_at + 1..]
        .iter()
        .take_while(|l| indent(l) > key_indent)
        .map(|l| {
            let (key, value) = l.trim().split_once(':').unwrap_or_else(|| panic!("not `KEY: value`: {l}"));
            (key.trim().to_string(), value.trim().to_string())
        })
        .collect()
}

/// `${{ x }}` replaced with what GitHub would put there.
fn expand(value: &str) -> String {
    let mut out = String::new();
    let mut rest = value;
    while let Some(open) = rest.find("${{") {
        out.push_str(&rest[..open]);
        let close = rest[open..].find("}}").expect("an expression ends with }}") + open;
        let expression = rest[open + 3..close].trim();
        let known = GITHUB.iter().find(|(name, _)| *name == expression);
        let (_, value) =
            known.unwrap_or_else(|| panic!("the workflow uses `{expression}`, which this test does not know"));
        out.push_str(value);
        rest = &rest[close + 2..];
    }
    out.push_str(rest);
    out
}

#[test]
fn the_publishing_workflow_builds_a_book_that_links_to_its_sources() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let workflow = std::fs::read_to_string(root.join(".github/workflows/pages.yml")).expect("the workflow");
    let env: Vec<(String, String)> =
        step_env(&workflow, "cargo book build").into_iter().map(|(key, value)| (key, expand(&value))).collect();
    assert!(
        env.iter().any(|(key, _)| key == "MDBOOK_OUTPUT__HTML__GIT_REPOSITORY_URL"),
        "the build step sets no repository address: {env:?}"
    );
    assert!(workflow.contains("path: book"), "the workflow publishes another folder than the book's");

    // `cargo book build` is this binary's `build`; the pages go to a
    // temporary folder instead of book/.
    let out = tempfile::tempdir().unwrap();
    let status = Command::new(env!("CARGO_BIN_EXE_notebook"))
        .arg("--root")
        .arg(&root)
        .arg("build")
        .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .env("MDBOOK_BUILD__BUILD_DIR", out.path())
        .status()
        .expect("the tool runs");
    assert!(status.success(), "the workflow's build step failed: {status}");

    let page = std::fs::read_to_string(out.path().join("foundations/index.html")).expect("a chapter page");
    assert!(page.contains(&format!("href=\"{REPOSITORY}\"")), "no link to the repository on the page");
    assert!(
        page.contains(&format!("href=\"{REPOSITORY}/edit/main/src/foundations/index.md\"")),
        "no edit link to the page's source"
    );
    // Each cell's Run button names the repository to clone, and can save
    // the cell's program.
    assert!(page.contains(&format!("data-repository=\"{REPOSITORY}\"")), "cells do not know the repository");
    assert!(page.contains("class=\"nb-download\""), "cells offer no download");
    let not_found = std::fs::read_to_string(out.path().join("404.html")).expect("the 404 page");
    assert!(
        not_found.contains("/many-things-at-once/"),
        "the 404 page does not know the site's path, so its links break"
    );
}
