//! How long a reader waits: from sending an edited cell to the server to its
//! first line of output, and to its exit. Warm (the server has prepared the
//! crates), for a cell that needs only std and one that starts tokio.
//!
//! `cargo bench -p notebook --bench latency [-- RUNS]` prints the medians and
//! the goals (2 cores: std-only under 300 ms, tokio under 600 ms to the first
//! output). It measures; it does not assert: a busy machine is not a bug.
//!
//! It serves the small book in `benches/latency-book/`, built into
//! `target/latency-book/`; the first run compiles tokio there.

use std::path::Path;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use notebook::machine::Machine;
use notebook::serve::{self, Server};
use notebook::workspace::Workspace;
use serde_json::{Value, json};

const CELLS: [(&str, Duration); 2] =
    [("latency/std_cell", Duration::from_millis(300)), ("latency/tokio_cell", Duration::from_millis(600))];
const WARMUP: usize = 2;

fn main() -> anyhow::Result<()> {
    let runs: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(15);
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let book = here.join("benches/latency-book");
    if std::env::var_os("CARGO_TARGET_DIR").is_none() {
        // SAFETY: nothing else runs yet: no thread reads the environment.
        unsafe { std::env::set_var("CARGO_TARGET_DIR", here.join("../target/latency-book")) };
    }
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async {
        let workspace = Workspace::at(&book);
        let mut options = serve::Options::new(&workspace);
        let book_dir = tempfile::tempdir()?;
        options.book_dir = book_dir.path().to_path_buf();
        options.watch = false;
        eprintln!("starting the server on {} (builds the crate and tokio the first time)...", book.display());
        let server = serve::start(workspace, options).await?;
        println!("\n{runs} runs per cell after {WARMUP} warm-up runs, on {}", Machine::current().describe());
        println!("{:<20} {:>14} {:>14} {:>10}", "cell", "first output", "exit", "goal");
        for (cell, goal) in CELLS {
            let original = original_code(&server, cell).await?;
            let mut first = Vec::new();
            let mut exit = Vec::new();
            for n in 0..WARMUP + runs {
                // A different source each time: nothing can come from a cache.
                let code = format!("{original}\n// run {n}\n");
                let (to_first, to_exit) = time_run(&server, cell, &code).await?;
                if n >= WARMUP {
                    first.push(to_first);
                    exit.push(to_exit);
                }
            }
            let (first, exit) = (median(&mut first), median(&mut exit));
            let verdict = if first < goal { "met" } else { "missed" };
            println!("{cell:<20} {:>11.0} ms {:>11.0} ms {:>7} ms  {verdict}", ms(first), ms(exit), goal.as_millis());
        }
        anyhow::Ok(())
    })
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

/// Sends one run; returns the time to the first stdout event and to exit.
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
    let (mut first, mut exit, mut pending) = (None, None, Vec::new());
    while let Some(chunk) = stream.next().await {
        pending.extend_from_slice(&chunk?);
        while let Some(end) = pending.iter().position(|&b| b == b'\n') {
            let line: Vec<u8> = pending.drain(..=end).collect();
            let event: Value = serde_json::from_slice(&line)?;
            match event["event"].as_str() {
                Some("stdout") if first.is_none() => first = Some(start.elapsed()),
                Some("exit") => exit = Some(start.elapsed()),
                Some("done") if event["status"] != "ok" => anyhow::bail!("{cell} did not run: {event}"),
                _ => {}
            }
        }
    }
    match (first, exit) {
        (Some(first), Some(exit)) => Ok((first, exit)),
        _ => anyhow::bail!("{cell} printed nothing or never exited"),
    }
}

fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}
