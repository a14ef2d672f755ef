//! Exercises: in a chapter crate, `src/exercises/<name>.rs` is a stub the
//! reader fills in, `solutions/<name>.rs` is the book's solution, and
//! `tests/exercises.rs` holds a module `<name>` of tests for each.
//!
//! The crate's feature `solutions` compiles the solution in place of the
//! stub (a `#[cfg_attr(feature = "solutions", path = ...)]` on the module),
//! so nothing ever copies one over the other: the reader's file is theirs.
//! The test target `exercises` has `test = false`, so `cargo test
//! --workspace` leaves it alone: on the stubs its tests fail, by design.
//!
//! `cargo book test` runs each crate's exercise tests twice: with the
//! solutions every test must pass; on the stubs every test must fail (a
//! test that passes on a stub cannot tell solved from unsolved). A stub the
//! reader has edited (it differs from git's `HEAD`) is left out of the
//! second check. `cargo book progress` runs them on the reader's code and
//! says what is solved.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::workspace::Workspace;

/// One exercise of a chapter crate.
#[derive(Debug, Clone)]
pub struct Exercise {
    pub name: String,
    /// `src/exercises/<name>.rs`, the reader's file.
    pub stub: PathBuf,
    /// `solutions/<name>.rs`.
    pub solution: PathBuf,
}

/// A chapter crate with exercises.
#[derive(Debug, Clone)]
pub struct ExerciseCrate {
    pub name: String,
    pub dir: PathBuf,
    /// The chapter's title and number in the book, when the book has it.
    pub chapter: Option<(usize, String)>,
    pub exercises: Vec<Exercise>,
}

/// Every chapter crate with exercises, in the book's order.
pub fn find(workspace: &Workspace) -> Result<Vec<ExerciseCrate>> {
    let chapters = chapter_titles(workspace);
    let mut found = Vec::new();
    for krate in workspace.crates()? {
        let stubs = krate.dir.join("src/exercises");
        if !stubs.is_dir() {
            continue;
        }
        let mut exercises = Vec::new();
        for entry in std::fs::read_dir(&stubs).with_context(|| format!("reading {}", stubs.display()))? {
            let stub = entry?.path();
            let Some(name) = stub.file_stem().and_then(|s| s.to_str()).map(str::to_string) else { continue };
            if stub.extension().is_none_or(|e| e != "rs") || name == "mod" {
                continue;
            }
            let solution = krate.dir.join("solutions").join(format!("{name}.rs"));
            if !solution.is_file() {
                bail!("exercise {}/{name} has no solution: {} is missing", krate.name, solution.display());
            }
            exercises.push(Exercise { name, stub, solution });
        }
        exercises.sort_by(|a, b| a.name.cmp(&b.name));
        let chapter = chapters.get(&krate.name).cloned();
        found.push(ExerciseCrate { name: krate.name, dir: krate.dir, chapter, exercises });
    }
    found.sort_by_key(|c| (c.chapter.as_ref().map_or(usize::MAX, |(n, _)| *n), c.name.clone()));
    Ok(found)
}

/// Chapter numbers and titles by crate, from `src/SUMMARY.md`: numbered
/// chapters are the list items, counted in order.
fn chapter_titles(workspace: &Workspace) -> BTreeMap<String, (usize, String)> {
    let summary = std::fs::read_to_string(workspace.src().join("SUMMARY.md")).unwrap_or_default();
    let item = regex::Regex::new(r"^\s*- \[([^\]]+)\]\(([^/)]+)/index\.md\)").expect("valid regex");
    let mut titles = BTreeMap::new();
    for (n, caps) in summary.lines().filter_map(|l| item.captures(l)).enumerate() {
        titles.insert(caps[2].to_string(), (n + 1, caps[1].to_string()));
    }
    titles
}

/// The result of one test of an exercise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    pub exercise: String,
    pub test: String,
    pub passed: bool,
}

/// What running a crate's exercise tests gave.
#[derive(Debug, Clone)]
pub enum Run {
    /// It compiled; every test's result.
    Ran(Vec<Case>),
    /// It did not compile: the compiler's message.
    DoesNotCompile(String),
}

/// Runs `cargo test --test exercises` for one crate, on the stubs or on the
/// solutions.
pub fn run(workspace: &Workspace, krate: &ExerciseCrate, solutions: bool) -> Result<Run> {
    let mut cmd = crate::cargo::command(workspace);
    cmd.args(["test", "--locked", "-p", &krate.name, "--test", "exercises"]);
    if solutions {
        cmd.args(["--features", "solutions"]);
    }
    // Every test runs even after a failure; the tests' own output is kept
    // out of the report.
    cmd.args(["--", "--test-threads=2"]).env("RUST_BACKTRACE", "0");
    let out = cmd.output().with_context(|| format!("running the exercise tests of {}", krate.name))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let cases = parse(&stdout);
    if cases.is_empty() && !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        let errors: Vec<&str> = stderr.lines().skip_while(|l| !l.starts_with("error")).take(30).collect();
        return Ok(Run::DoesNotCompile(errors.join("\n")));
    }
    Ok(Run::Ran(cases))
}

/// Reads libtest's lines `test <exercise>::<test> ... ok` (or `FAILED`).
pub fn parse(stdout: &str) -> Vec<Case> {
    stdout
        .lines()
        .filter_map(|line| {
            let rest = line.strip_prefix("test ")?;
            let (name, result) = rest.split_once(" ... ")?;
            let (exercise, test) = name.split_once("::")?;
            let passed = match result.trim() {
                "ok" => true,
                "FAILED" => false,
                _ => return None,
            };
            Some(Case { exercise: exercise.to_string(), test: test.to_string(), passed })
        })
        .collect()
}

/// Whether the reader has changed a file from what git's `HEAD` holds.
/// Without git, or outside a repository, files count as unchanged.
fn edited(workspace: &Workspace, file: &Path) -> bool {
    Command::new("git")
        .current_dir(&workspace.root)
        .args(["diff", "--quiet", "HEAD", "--"])
        .arg(file)
        .status()
        .map(|s| s.code() == Some(1))
        .unwrap_or(false)
}

/// `cargo book test`'s exercise step: solutions pass every test, stubs fail
/// every test.
pub fn check(workspace: &Workspace) -> Result<()> {
    let mut problems = Vec::new();
    for krate in find(workspace)? {
        let cases = match run(workspace, &krate, true)? {
            Run::Ran(cases) => cases,
            Run::DoesNotCompile(why) => bail!("the solutions of {} do not compile:\n{why}", krate.name),
        };
        for exercise in &krate.exercises {
            let mine: Vec<&Case> = cases.iter().filter(|c| c.exercise == exercise.name).collect();
            if mine.is_empty() {
                problems.push(format!(
                    "{}/{}: no tests (a module `{}` in tests/exercises.rs)",
                    krate.name, exercise.name, exercise.name
                ));
            }
            for case in mine.iter().filter(|c| !c.passed) {
                problems.push(format!("{}/{}: the solution fails `{}`", krate.name, exercise.name, case.test));
            }
        }
        let stub_cases = match run(workspace, &krate, false)? {
            Run::Ran(cases) => cases,
            Run::DoesNotCompile(why) => bail!("the exercise stubs of {} do not compile:\n{why}", krate.name),
        };
        for exercise in &krate.exercises {
            if edited(workspace, &exercise.stub) {
                eprintln!("    (skipped the stub check of {}/{}: you have edited it)", krate.name, exercise.name);
                continue;
            }
            for case in stub_cases.iter().filter(|c| c.exercise == exercise.name && c.passed) {
                problems.push(format!(
                    "{}/{}: `{}` passes on the stub, so it cannot tell solved from unsolved",
                    krate.name, exercise.name, case.test
                ));
            }
        }
        let n = krate.exercises.len();
        eprintln!("    {}: {n} exercise(s), solutions pass, stubs fail", krate.name);
    }
    if !problems.is_empty() {
        bail!("exercise problems:\n{}", problems.join("\n"));
    }
    Ok(())
}

/// `cargo book progress`: which exercises the reader has solved.
pub fn progress(workspace: &Workspace) -> Result<()> {
    let crates = find(workspace)?;
    let total: usize = crates.iter().map(|c| c.exercises.len()).sum();
    let mut solved = 0;
    let mut report = String::new();
    for krate in &crates {
        let title = match &krate.chapter {
            Some((n, title)) => format!("{n}. {title}"),
            None => krate.name.clone(),
        };
        report.push_str(&format!("\n{title}\n"));
        eprintln!("checking {} ...", krate.name);
        match run(workspace, krate, false)? {
            Run::DoesNotCompile(why) => {
                report.push_str(&format!("  does not compile yet:\n{}\n", indent(&why, "    ")));
                for exercise in &krate.exercises {
                    report.push_str(&format!("  [ ] {}\n", exercise.name));
                }
            }
            Run::Ran(cases) => {
                for exercise in &krate.exercises {
                    let mine: Vec<&Case> = cases.iter().filter(|c| c.exercise == exercise.name).collect();
                    let passing = mine.iter().filter(|c| c.passed).count();
                    let done = !mine.is_empty() && passing == mine.len();
                    solved += usize::from(done);
                    let mark = if done { "[x]" } else { "[ ]" };
                    report.push_str(&format!("  {mark} {:<24} {passing}/{} tests pass\n", exercise.name, mine.len()));
                    if !done {
                        let stub = exercise.stub.strip_prefix(&workspace.root).unwrap_or(&exercise.stub);
                        report.push_str(&format!(
                            "      edit {}, then: cargo test -p {} --test exercises {}\n",
                            stub.display(),
                            krate.name,
                            exercise.name
                        ));
                    }
                }
            }
        }
    }
    println!("Exercises solved: {solved} of {total}{report}");
    Ok(())
}

fn indent(text: &str, by: &str) -> String {
    text.lines().map(|l| format!("{by}{l}")).collect::<Vec<_>>().join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_libtest_lines() {
        let out = "running 3 tests\ntest a::one ... ok\ntest a::two ... FAILED\ntest b::x ... ignored\n\
                   test lonely ... ok\n\nfailures:\n";
        assert_eq!(
            parse(out),
            vec![
                Case { exercise: "a".into(), test: "one".into(), passed: true },
                Case { exercise: "a".into(), test: "two".into(), passed: false },
            ]
        );
    }
}
