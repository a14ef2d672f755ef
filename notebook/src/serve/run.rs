//! `POST /api/run`: compile a reader's edited cell and run it, streaming what
//! happens as newline-delimited JSON events:
//!
//! ```text
//! {"event":"preparing","ready":9,"total":16}   (while the chapter crates are prepared)
//! {"event":"build","text":"...compiler output, ANSI colours...","html":"...the same as HTML..."}
//! {"event":"diagnostics","markers":[{"level":"error","message":"...","line_start":3,...}]}
//! {"event":"started","run":0,"limit_s":60}
//! {"event":"stdout","run":0,"text":"..."}      (and "stderr")
//! {"event":"notice","run":0,"text":"output limit reached ..."}
//! {"event":"figure","run":0,"name":"timeline","svg":"<svg ...","words":{"title":...,"description":...,"how_to_read":...}}
//! {"event":"exit","run":0,"code":0,"signal":null,"killed":null,"duration_ms":12}
//! {"event":"compare","run":0,"same":true,"truncated":false,"lines":[{"kind":"varies","stored":"...","fresh":"...","what":"time"}],
//!  "outcome":"took ⟨time⟩ ms","values":[["time","12"]]}
//! {"event":"done","status":"ok","build_ms":140,"duration_ms":160}
//! ```
//!
//! `status` in `done` is `ok`, `compile-error`, `failed` (a run did not exit
//! with 0) or `error` (the server could not do it; `text` says why).
//! `killed` in `exit` is `null`, `"timeout"`, `"output-limit"`,
//! `"process-limit"` or `"stopped"` ([`Kill`]).
//!
//! The edited code is compiled under `target/` ([`build`]), never over the
//! reader's files, and each run's program is linked into a fresh scratch
//! folder there. The program is run by [`runner::stream`]
//! as the cell's live variant (its `live_args`, where it has a lighter one),
//! under [`runner::Limits::LIVE`]; the reader closing the request (the Stop
//! button) stops it.

use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::time::Instant;

use axum::Json;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};
use tokio::sync::{OwnedSemaphorePermit, mpsc};
use tokio_stream::wrappers::ReceiverStream;

use super::{AppState, Prepared, build};
use crate::cells::Cell;
use crate::compare;
use crate::compile::Compiler;
use crate::diagnostics;
use crate::runner::{self, Kill, Output, RunRequest};
use crate::spec::Variant;

/// What the page sends.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunBody {
    /// The cell's id, `crate/example`.
    pub cell: String,
    /// The edited source.
    pub code: String,
    /// Run it this many times at once ("Run x20"); default 1.
    #[serde(default)]
    pub times: Option<u32>,
}

fn refuse(status: StatusCode, message: String) -> Response {
    (status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], format!("{message}\n")).into_response()
}

/// The handler.
pub async fn run(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let json_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(';').next().is_some_and(|t| t.trim() == "application/json"));
    if !json_type {
        return refuse(StatusCode::UNSUPPORTED_MEDIA_TYPE, "refused: send the run request as application/json".into());
    }
    let body: RunBody = match serde_json::from_slice(&body) {
        Ok(body) => body,
        Err(err) => return refuse(StatusCode::BAD_REQUEST, format!("refused: bad run request: {err}")),
    };
    let limits = &state.limits;
    if body.code.len() > limits.source_bytes {
        return refuse(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("refused: the code is {} bytes; a cell may be at most {}", body.code.len(), limits.source_bytes),
        );
    }
    let times = body.times.unwrap_or(1);
    if times == 0 || times > limits.max_times {
        return refuse(StatusCode::BAD_REQUEST, format!("refused: times must be 1 to {}", limits.max_times));
    }
    // Names are looked up, never joined into paths.
    let Some(cell) = state.catalog.read().await.get(&body.cell).cloned() else {
        return refuse(StatusCode::NOT_FOUND, format!("refused: there is no cell `{}`", body.cell));
    };
    let Ok(permit) = state.run_slots.clone().try_acquire_owned() else {
        return refuse(
            StatusCode::TOO_MANY_REQUESTS,
            format!("refused: {} runs are already going; wait for one to finish", limits.concurrent_runs),
        );
    };
    let (tx, rx) = mpsc::channel::<Result<Bytes, std::convert::Infallible>>(64);
    tokio::spawn(run_cell(state, cell, body.code, times, tx, permit));
    Response::builder()
        .header(header::CONTENT_TYPE, "application/x-ndjson")
        .header(header::CACHE_CONTROL, "no-store")
        .body(Body::from_stream(ReceiverStream::new(rx)))
        .unwrap_or_else(|_| refuse(StatusCode::INTERNAL_SERVER_ERROR, "could not start the response".into()))
}

type Events = mpsc::Sender<Result<Bytes, std::convert::Infallible>>;

async fn send(tx: &Events, event: Value) {
    let mut line = event.to_string();
    line.push('\n');
    // The reader may have gone; the run notices through `tx.closed()`.
    let _ = tx.send(Ok(Bytes::from(line))).await;
}

/// Removes the scratch folder however the run ends.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

async fn run_cell(state: AppState, cell: Cell, code: String, times: u32, tx: Events, _permit: OwnedSemaphorePermit) {
    let started = Instant::now();
    let n = state.run_counter.fetch_add(1, Ordering::Relaxed);
    let scratch = Scratch(state.scratch_root.join(format!("run-{}-{n}", std::process::id())));
    if let Err(err) = tokio::fs::create_dir_all(&scratch.0).await {
        send(
            &tx,
            json!({"event": "done", "status": "error", "text": format!("could not create a scratch folder: {err}")}),
        )
        .await;
        return;
    }
    let exe = scratch.0.join(format!("{}{}", cell.id.example, std::env::consts::EXE_SUFFIX));

    // The chapter crates must be ready first: while they are prepared, the
    // reader is told how far it is.
    let compiler = tokio::select! {
        compiler = compiler(&state, &tx) => compiler,
        () = tx.closed() => return,
    };
    let compiler = match compiler {
        Ok(compiler) => compiler,
        Err(why) => {
            send(&tx, json!({"event": "done", "status": "error", "text": why})).await;
            return;
        }
    };
    // Build; a reader who leaves stops it.
    let building = Instant::now();
    let build = tokio::select! {
        output = build::build(&state, &compiler, &cell, &code, &exe) => output,
        () = tx.closed() => return,
    };
    let build_ms = building.elapsed().as_millis() as u64;
    let (output, source) = match build {
        Ok(built) => built,
        Err(err) => {
            send(&tx, json!({"event": "done", "status": "error", "text": err})).await;
            return;
        }
    };
    let report = diagnostics::read(&String::from_utf8_lossy(&output.stderr), &source.display().to_string());
    let text = report.rendered.replace(&*source.display().to_string(), &format!("{}.rs", cell.id.example));
    if !text.trim().is_empty() {
        let html = crate::terminal::to_html(&text);
        send(&tx, json!({"event": "build", "text": text, "html": html})).await;
    }
    if !report.markers.is_empty() {
        send(&tx, json!({"event": "diagnostics", "markers": report.markers})).await;
    }
    if !output.status.success() {
        send(&tx, json!({"event": "done", "status": "compile-error", "build_ms": build_ms, "duration_ms": started.elapsed().as_millis() as u64})).await;
        return;
    }

    // Run, `times` at once; each run is compared with the book's.
    let stored = crate::outputs::load(&cell).ok().flatten().map(|stored| stored.text);
    let runs = (0..times).map(|run| run_program(&state, &cell, &exe, run, stored.as_deref(), &tx));
    let results = futures_util::future::join_all(runs).await;
    let all_ok = results.iter().all(|ok| *ok);
    send(
        &tx,
        json!({
            "event": "done",
            "status": if all_ok { "ok" } else { "failed" },
            "build_ms": build_ms,
            "duration_ms": started.elapsed().as_millis() as u64,
        }),
    )
    .await;
}

/// The compiler, once the chapter crates are prepared; until then, a
/// `preparing` event each time another crate is ready.
async fn compiler(state: &AppState, tx: &Events) -> Result<Compiler, String> {
    let mut prepared = state.prepared.subscribe();
    loop {
        let now = prepared.borrow_and_update().clone();
        match now {
            Prepared::Ready => {
                if let Some(compiler) = state.compiler.read().await.clone() {
                    return Ok(compiler);
                }
            }
            Prepared::Failed { why } => {
                return Err(format!("the chapter crates could not be prepared, so no cell can be built: {why}"));
            }
            Prepared::Working { ready, total } => {
                send(tx, json!({"event": "preparing", "ready": ready, "total": total})).await;
            }
        }
        if prepared.changed().await.is_err() {
            return Err("the server is stopping".into());
        }
    }
}

/// Runs the built program once through the runner, forwarding its output as
/// events. True when it exited 0.
async fn run_program(state: &AppState, cell: &Cell, exe: &Path, run: u32, stored: Option<&str>, tx: &Events) -> bool {
    let request = RunRequest {
        program: exe.to_path_buf(),
        args: cell.spec.args_for(Variant::Live).to_vec(),
        stdin: cell.spec.stdin.clone(),
        timeout: cell.spec.timeout,
        current_dir: state.workspace.root.clone(),
        limits: state.limits.run,
    };
    let (out_tx, mut out_rx) = mpsc::channel::<Output>(16);
    let running = runner::stream(&request, out_tx);
    tokio::pin!(running);
    send(tx, json!({"event": "started", "run": run, "limit_s": request.time_limit().as_secs()})).await;
    // Forward output until the run ends; if the reader goes away, dropping
    // the receiver tells the runner to stop.
    let outcome = loop {
        tokio::select! {
            outcome = &mut running => break outcome,
            output = out_rx.recv() => if let Some(output) = output {
                forward(tx, run, output).await;
            },
            () = tx.closed() => {
                out_rx.close();
                break running.await;
            }
        }
    };
    // What the runner sent after the last select.
    while let Ok(output) = out_rx.try_recv() {
        forward(tx, run, output).await;
    }
    let outcome = match outcome {
        Ok(outcome) => outcome,
        Err(err) => {
            send(tx, json!({"event": "exit", "run": run, "code": null, "signal": null, "killed": null, "error": format!("could not start the program: {err:#}")})).await;
            return false;
        }
    };
    for (name, svg) in &outcome.figures {
        // The picture's words (support's charts write them), for the page's
        // alt text and caption; null for a picture drawn without them.
        let words = support::figure::Description::of(svg);
        let words =
            words.map(|w| json!({"title": w.title, "description": w.description, "how_to_read": w.how_to_read}));
        send(tx, json!({"event": "figure", "run": run, "name": name, "svg": svg, "words": words})).await;
    }
    send(
        tx,
        json!({
            "event": "exit",
            "run": run,
            "code": outcome.exit_code,
            "signal": outcome.signal,
            "killed": outcome.killed.map(Kill::name),
            "duration_ms": outcome.duration.as_millis() as u64,
        }),
    )
    .await;
    if let Some(stored) = stored {
        send(tx, comparison(run, stored, &outcome.output, cell)).await;
    }
    outcome.success()
}

/// The most lines a comparison sends.
const COMPARED_LINES: usize = 2000;

/// A run's output against the book's, line by line ([`compare::line_by_line`]).
fn comparison(run: u32, stored: &str, fresh: &str, cell: &Cell) -> Value {
    let mut lines = compare::line_by_line(stored, fresh, &cell.spec);
    let same = lines.iter().all(|line| matches!(line.kind, "same" | "varies"));
    let truncated = lines.len() > COMPARED_LINES;
    lines.truncate(COMPARED_LINES);
    // The run as an outcome of the cell's distribution: masked by its
    // rules, with the values masked out, so that the page can count the
    // reader's runs beside the book's.
    let (outcome, values) = compare::mask_with_values(fresh, &cell.spec);
    json!({
        "event": "compare", "run": run, "same": same, "truncated": truncated, "lines": lines,
        "outcome": outcome, "values": values,
    })
}

async fn forward(tx: &Events, run: u32, output: Output) {
    let (kind, text) = match output {
        Output::Stdout(text) => ("stdout", text),
        Output::Stderr(text) => ("stderr", text),
        Output::Notice(text) => ("notice", text),
    };
    send(tx, json!({"event": kind, "run": run, "text": text})).await;
}

/// `GET /api/cells`: every cell, with the code the editor starts from.
pub async fn cells(State(state): State<AppState>) -> Json<Value> {
    let catalog = state.catalog.read().await;
    let cells: Vec<Value> = catalog
        .iter()
        .map(|cell| {
            json!({
                "id": cell.id.to_string(),
                "chapter": cell.id.krate,
                "code": cell.editor_code(),
                "timeout": cell.spec.timeout.as_secs(),
                "live_args": cell.spec.live_args,
                "full_command": cell.command(),
            })
        })
        .collect();
    Json(Value::Array(cells))
}
