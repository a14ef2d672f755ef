//! How long a reader waits for an edited cell of the book: the server's
//! build of the edit, and the whole round trip to the program's exit, for
//! real cells that need only std and real cells that start tokio. Beside
//! each, what a warm `cargo build --release --example` of the same cell
//! costs: the floor a reader would pay without the notebook's compiler.
//!
//! `cargo bench -p notebook --bench latency [-- RUNS]` serves this book (the
//! chapter crates are built first, as `cargo book serve` does) and prints
//! medians, ratios and the goals (2 cores: std cells' build at most 120 ms,
//! tokio cells' at most 450 ms). It measures; it does not assert: a busy
//! machine is not a bug.
//!
//! Every edit is new (a line that prints the run's number, added at the top
//! of `main`), so nothing comes from a cache of the same source. The cargo
//! side sets the example's modification time to now, so that cargo rebuilds
//! it as after an edit, and then puts the old time back; the file's
//! contents are never written.

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant, SystemTime};

use futures_util::StreamExt;
use notebook::machine::Machine;
use notebook::serve::{self, Server};
use notebook::workspace::Workspace;
use regex::Regex;
use serde_json::{Value, json};

/// (cell, goal for the server's build of an edit)
const CELLS: [(&str, Duration); 4] = [
    ("foundations/io_vs_cpu", Duration::from_millis(120)),
    ("threads/spawn_and_join", Duration::from_millis(120)),
    ("tokio-in-practice/tokio_spawn_join", Duration::from_millis(450)),
    ("tokio-in-practice/tokio_semaphore", Duration::from_millis(450)),
];
const WARMUP: usize = 2;
/// Warm cargo builds take seconds each: fewer of them.
const CARGO_RUNS: usize = 5;

fn main() -> anyhow::Result<()> {
    let runs: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(15);
    let workspace = Workspace::here();
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async {
        let mut options = serve::Options::new(&workspace);
        let book_dir = tempfile::tempdir()?;
        options.book_dir = book_dir.path().to_path_buf();
        options.watch = false;
        eprintln!("starting the server (builds the chapter crates the first time)...");
        let server = serve::start(workspace.clone(), options).await?;
        if server.prepared().await != serve::Prepared::Ready {
            anyhow::bail!("the chapter crates could not be prepared");
        }
        println!("\n{runs} edits per cell after {WARMUP} warm-up edits; {CARGO_RUNS} warm cargo builds per cell");
        println!("on {}", Machine::current().describe());
        println!(
            "{:<36} {:>10} {:>10} {:>12} {:>9} {:>8}",
            "cell", "build", "to exit", "cargo build", "vs cargo", "goal"
        );
        for (cell, goal) in CELLS {
            let original = original_code(&server, cell).await?;
            let (mut builds, mut exits) = (Vec::new(), Vec::new());
            for n in 0..WARMUP + runs {
                let (build, exit) = time_run(&server, cell, &edited(&original, n)?).await?;
                if n >= WARMUP {
                    builds.push(build);
                    exits.push(exit);
                }
            }
            let cargo = warm_cargo_builds(&workspace, cell)?;
            let (build, exit) = (median(&mut builds), median(&mut exits));
            let cargo = median(&mut cargo.clone());
            let verdict = if build <= goal { "met" } else { "missed" };
            println!(
                "{cell:<36} {:>7.0} ms {:>7.0} ms {:>9.0} ms {:>8.1}x {:>5} ms {verdict}",
                ms(build),
                ms(exit),
                ms(cargo),
                cargo.as_secs_f64() / build.as_secs_f64(),
                goal.as_millis()
            );
        }
        println!("(build: the server's rustc call for the edit; to exit: from sending it to the program's exit)");
        anyhow::Ok(())
    })
}

/// The cell's code with one more line at the top of `main`.
fn edited(original: &str, n: usize) -> anyhow::Result<String> {
    let main = Regex::new(r"fn main\(\)[^{]*\{").expect("a valid constant pattern");
    let at = main.find(original).ok_or_else(|| anyhow::anyhow!("no fn main"))?.end();
    Ok(format!("{}\n    println!(\"edit {n}\");{}", &original[..at], &original[at..]))
}

async fn original_code(server: &Server, cell: &str) -> anyhow::Result<String> {
    let cells: Vec<Value> = reqwest::Client::new()
        .get(format!("{}/api/cells", server.base()))
        .header("Authorization", format!("token {}", server.token))
        .send()
        .await?
        .json()
        .await?;
    cells
        .iter()
        .find(|c| c["id"] == cell)
        .and_then(|c| c["code"].as_str())
        .map(str::to_string)
        .ok_or_else(|| anyhow::anyhow!("the server has no cell {cell}"))
}

/// Sends one run; returns the server's build time and the time to exit.
async fn time_run(server: &Server, cell: &str, code: &str) -> anyhow::Result<(Duration, Duration)> {
    let start = Instant::now();
    let response = reqwest::Client::new()
        .post(format!("{}/api/run", server.base()))
        .header("Authorization", format!("token {}", server.token))
        .json(&json!({"cell": cell, "code": code}))
        .send()
        .await?
        .error_for_status()?;
    let mut stream = response.bytes_stream();
    let (mut build, mut exit, mut pending) = (None, None, Vec::new());
    while let Some(chunk) = stream.next().await {
        pending.extend_from_slice(&chunk?);
        while let Some(end) = pending.iter().position(|&b| b == b'\n') {
            let line: Vec<u8> = pending.drain(..=end).collect();
            let event: Value = serde_json::from_slice(&line)?;
            match event["event"].as_str() {
                Some("exit") => exit = Some(start.elapsed()),
                Some("done") if event["status"] != "ok" => anyhow::bail!("{cell} did not run: {event}"),
                Some("done") => build = event["build_ms"].as_u64().map(Duration::from_millis),
                _ => {}
            }
        }
    }
    match (build, exit) {
        (Some(build), Some(exit)) => Ok((build, exit)),
        _ => anyhow::bail!("{cell} never built or never exited"),
    }
}

/// Warm `cargo build --release --example` of the cell, as after an edit.
fn warm_cargo_builds(workspace: &Workspace, cell: &str) -> anyhow::Result<Vec<Duration>> {
    let (krate, example) = cell.split_once('/').ok_or_else(|| anyhow::anyhow!("bad cell id {cell}"))?;
    let file: PathBuf = workspace.root.join("chapters-code").join(krate).join("examples").join(format!("{example}.rs"));
    let before = std::fs::metadata(&file)?.modified()?;
    let build = || -> anyhow::Result<Duration> {
        std::fs::File::options().append(true).open(&file)?.set_modified(SystemTime::now())?;
        let start = Instant::now();
        let status = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
            .args(["build", "--quiet", "--release", "-p", krate, "--example", example])
            .current_dir(&workspace.root)
            .status()?;
        anyhow::ensure!(status.success(), "cargo build of {cell} failed");
        Ok(start.elapsed())
    };
    // One build first, so that the ones measured start from a built state.
    let mut times = Vec::new();
    let result = (0..=CARGO_RUNS).try_for_each(|n| {
        let took = build()?;
        if n > 0 {
            times.push(took);
        }
        anyhow::Ok(())
    });
    std::fs::File::options().append(true).open(&file)?.set_modified(before)?;
    result.map(|()| times)
}

fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}
