//! `POST /api/run`: compile a reader's edited cell and run it, streaming what
//! happens as newline-delimited JSON events:
//!
//! ```text
//! {"event":"build","text":"...compiler output, ANSI colours..."}
//! {"event":"started","run":0}
//! {"event":"stdout","run":0,"text":"..."}      (and "stderr")
//! {"event":"notice","run":0,"text":"output limit reached ..."}
//! {"event":"figure","run":0,"name":"timeline","svg":"<svg ..."}
//! {"event":"exit","run":0,"code":0,"signal":null,"killed":null,"duration_ms":12}
//! {"event":"done","status":"ok","build_ms":140,"duration_ms":160}
//! ```
//!
//! `status` in `done` is `ok`, `compile-error`, `failed` (a run did not exit
//! with 0) or `error` (the server could not do it; `text` says why).
//! `killed` in `exit` is `null`, `"timeout"`, `"output-limit"`,
//! `"process-limit"` or `"stopped"`.
//!
//! The edited code is written to a fresh scratch folder under `target/`,
//! never over the reader's files. The program runs in its own process group;
//! a timeout, the output limit, or the reader closing the request (the Stop
//! button) kills the whole group.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use axum::Json;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};
use tokio::io::{AsyncRead, AsyncReadExt};
use tokio::sync::{OwnedSemaphorePermit, mpsc};
use tokio_stream::wrappers::ReceiverStream;

use super::AppState;
use crate::cells::Cell;

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
    let source = scratch.0.join(format!("{}.rs", cell.id.example));
    let exe = scratch.0.join(format!("{}{}", cell.id.example, std::env::consts::EXE_SUFFIX));
    if let Err(err) = tokio::fs::write(&source, &code).await {
        send(&tx, json!({"event": "done", "status": "error", "text": format!("could not write the code: {err}")}))
            .await;
        return;
    }

    // Build.
    let compiler = state.compiler.read().await.clone();
    let Some(args) = compiler.args(&cell.id.krate, &source, &exe) else {
        send(
            &tx,
            json!({"event": "done", "status": "error", "text": format!("crate `{}` was not prepared", cell.id.krate)}),
        )
        .await;
        return;
    };
    let mut rustc = tokio::process::Command::new(compiler.rustc());
    rustc
        .args(&args)
        .current_dir(&scratch.0)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    let build = tokio::select! {
        output = rustc.output() => output,
        () = tx.closed() => return,
    };
    let build_ms = started.elapsed().as_millis() as u64;
    let output = match build {
        Ok(output) => output,
        Err(err) => {
            send(&tx, json!({"event": "done", "status": "error", "text": format!("could not start rustc: {err}")}))
                .await;
            return;
        }
    };
    let diagnostics = String::from_utf8_lossy(&output.stderr)
        .replace(&*source.display().to_string(), &format!("{}.rs", cell.id.example));
    if !diagnostics.trim().is_empty() {
        send(&tx, json!({"event": "build", "text": diagnostics})).await;
    }
    if !output.status.success() {
        send(&tx, json!({"event": "done", "status": "compile-error", "build_ms": build_ms, "duration_ms": started.elapsed().as_millis() as u64})).await;
        return;
    }

    // Run, `times` at once.
    let runs = (0..times).map(|run| run_program(&state, &cell, &exe, &scratch.0, run, &tx));
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

/// Why a run was killed.
#[derive(Clone, Copy)]
enum Kill {
    Timeout,
    OutputLimit,
    ProcessLimit,
    Stopped,
}

impl Kill {
    fn name(self) -> &'static str {
        match self {
            Kill::Timeout => "timeout",
            Kill::OutputLimit => "output-limit",
            Kill::ProcessLimit => "process-limit",
            Kill::Stopped => "stopped",
        }
    }
}

/// Runs the built program once, streaming its output. True when it exited 0.
async fn run_program(state: &AppState, cell: &Cell, exe: &Path, scratch: &Path, run: u32, tx: &Events) -> bool {
    let limits = &state.limits;
    let figures = scratch.join(format!("figures-{run}"));
    if let Err(err) = tokio::fs::create_dir_all(&figures).await {
        send(tx, json!({"event": "notice", "run": run, "text": format!("no folder for figures: {err}")})).await;
    }
    let mut command = tokio::process::Command::new(exe);
    command
        .args(&cell.spec.args)
        .current_dir(&state.workspace.root)
        .envs(crate::runner::cell_env(&figures))
        .stdin(if cell.spec.stdin.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    super::limits::confine(&mut command, limits);
    let start = Instant::now();
    let mut child = match command.spawn() {
        Ok(child) => child,
        Err(err) => {
            send(tx, json!({"event": "exit", "run": run, "code": null, "signal": null, "killed": null, "error": format!("could not start the program: {err}")})).await;
            return false;
        }
    };
    let pid = child.id();
    send(tx, json!({"event": "started", "run": run})).await;
    if let (Some(text), Some(mut stdin)) = (cell.spec.stdin.clone(), child.stdin.take()) {
        tokio::spawn(async move {
            use tokio::io::AsyncWriteExt;
            let _ = stdin.write_all(text.as_bytes()).await;
        });
    }
    let (out_tx, mut out_rx) = mpsc::channel::<(&'static str, Vec<u8>)>(16);
    let readers = [
        child.stdout.take().map(|s| tokio::spawn(pump("stdout", s, out_tx.clone()))),
        child.stderr.take().map(|s| tokio::spawn(pump("stderr", s, out_tx.clone()))),
    ];
    drop(out_tx);

    let deadline = tokio::time::Instant::now() + cell.spec.timeout.min(limits.max_timeout);
    let mut printed = 0usize;
    let mut killed: Option<Kill> = None;
    let mut decoders = [Utf8Stream::default(), Utf8Stream::default()];
    let mut watchdog = tokio::time::interval(Duration::from_millis(50));
    let mut exit = None;
    loop {
        tokio::select! {
            chunk = out_rx.recv(), if killed.is_none() => match chunk {
                Some((stream, bytes)) => {
                    let room = limits.output_bytes.saturating_sub(printed);
                    let take = bytes.len().min(room);
                    printed += take;
                    let which = usize::from(stream == "stderr");
                    let text = decoders[which].push(&bytes[..take]);
                    if !text.is_empty() {
                        send(tx, json!({"event": stream, "run": run, "text": text})).await;
                    }
                    if take < bytes.len() {
                        killed = Some(Kill::OutputLimit);
                        send(tx, json!({"event": "notice", "run": run, "text": format!("output limit reached ({} bytes); the program was stopped", limits.output_bytes)})).await;
                    }
                }
                None => {
                    // Both pipes closed: wait for the exit status.
                    if exit.is_none() {
                        exit = Some(tokio::select! {
                            status = child.wait() => status.ok(),
                            () = tokio::time::sleep_until(deadline) => { killed = Some(Kill::Timeout); None }
                            () = tx.closed() => { killed = Some(Kill::Stopped); None }
                        });
                    }
                    break;
                }
            },
            () = tokio::time::sleep_until(deadline), if killed.is_none() => {
                killed = Some(Kill::Timeout);
                send(tx, json!({"event": "notice", "run": run, "text": format!("time limit reached ({} s); the program was stopped", cell.spec.timeout.min(limits.max_timeout).as_secs())})).await;
            }
            () = tx.closed(), if killed.is_none() => killed = Some(Kill::Stopped),
            _ = watchdog.tick(), if killed.is_none() => {
                if let Some(pid) = pid && super::limits::group_too_big(pid, limits.processes) {
                    killed = Some(Kill::ProcessLimit);
                    send(tx, json!({"event": "notice", "run": run, "text": format!("process limit reached ({} processes); the program was stopped", limits.processes)})).await;
                }
            }
        }
        if killed.is_some() {
            break;
        }
    }
    // Kill the whole group: on a limit, on stop, and after a normal exit to
    // clean up anything it left running.
    if let Some(pid) = pid {
        super::limits::kill_group(pid);
    }
    let status = match exit {
        Some(status) => status,
        None => child.wait().await.ok(),
    };
    for reader in readers.into_iter().flatten() {
        reader.abort();
    }
    for (which, decoder) in decoders.iter_mut().enumerate() {
        let rest = decoder.finish();
        if !rest.is_empty() {
            send(tx, json!({"event": if which == 0 { "stdout" } else { "stderr" }, "run": run, "text": rest})).await;
        }
    }
    if killed.is_none() {
        for (name, svg) in crate::runner::read_figures(&figures).unwrap_or_default() {
            send(tx, json!({"event": "figure", "run": run, "name": name, "svg": svg})).await;
        }
    }
    let (code, signal) = match status {
        Some(status) => (status.code(), exit_signal(&status)),
        None => (None, None),
    };
    send(
        tx,
        json!({
            "event": "exit",
            "run": run,
            "code": code,
            "signal": signal,
            "killed": killed.map(Kill::name),
            "duration_ms": start.elapsed().as_millis() as u64,
        }),
    )
    .await;
    killed.is_none() && code == Some(0)
}

#[cfg(unix)]
fn exit_signal(status: &std::process::ExitStatus) -> Option<i32> {
    std::os::unix::process::ExitStatusExt::signal(status)
}

#[cfg(not(unix))]
fn exit_signal(_: &std::process::ExitStatus) -> Option<i32> {
    None
}

/// Reads a pipe in chunks as they come.
async fn pump(stream: &'static str, mut pipe: impl AsyncRead + Unpin, tx: mpsc::Sender<(&'static str, Vec<u8>)>) {
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        match pipe.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => {
                if tx.send((stream, buf[..n].to_vec())).await.is_err() {
                    return;
                }
            }
        }
    }
}

/// Decodes a byte stream as UTF-8 across chunk boundaries: a character split
/// between two reads is held back until its end arrives.
#[derive(Default)]
pub struct Utf8Stream {
    pending: Vec<u8>,
}

impl Utf8Stream {
    /// The text that is complete so far.
    pub fn push(&mut self, bytes: &[u8]) -> String {
        self.pending.extend_from_slice(bytes);
        let valid_up_to = match std::str::from_utf8(&self.pending) {
            Ok(_) => self.pending.len(),
            Err(err) => match err.error_len() {
                // An incomplete character at the end: keep it for later.
                None => err.valid_up_to(),
                // Invalid bytes: decode lossily, they will not get better.
                Some(_) => self.pending.len(),
            },
        };
        let rest = self.pending.split_off(valid_up_to);
        let text = String::from_utf8_lossy(&self.pending).into_owned();
        self.pending = rest;
        text
    }

    /// Whatever is left at the end of the stream.
    pub fn finish(&mut self) -> String {
        let text = String::from_utf8_lossy(&self.pending).into_owned();
        self.pending.clear();
        text
    }
}

/// `GET /api/cells`: every cell, with the code the editor starts from.
pub async fn cells(State(state): State<AppState>) -> Json<Value> {
    let catalog = state.catalog.read().await;
    let cells: Vec<Value> = catalog
        .iter()
        .map(|cell| json!({"id": cell.id.to_string(), "chapter": cell.id.krate, "code": cell.editor_code(), "timeout": cell.spec.timeout.as_secs()}))
        .collect();
    Json(Value::Array(cells))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_character_split_across_reads_is_decoded_whole() {
        let mut stream = Utf8Stream::default();
        let bytes = "aé".as_bytes();
        assert_eq!(stream.push(&bytes[..2]), "a");
        assert_eq!(stream.push(&bytes[2..]), "é");
        assert_eq!(stream.finish(), "");
    }

    #[test]
    fn invalid_bytes_are_replaced_not_held() {
        let mut stream = Utf8Stream::default();
        assert_eq!(stream.push(&[b'a', 0xff, b'b']), "a\u{fffd}b");
        assert_eq!(stream.push(&[0xe2, 0x82]), "");
        assert_eq!(stream.finish(), "\u{fffd}");
    }
}
