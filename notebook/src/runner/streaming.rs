//! The async face: output handed over as it comes, a stop on request.

use std::process::Stdio;
use std::time::Instant;

use anyhow::{Context, Result};
use tokio::io::{AsyncRead, AsyncReadExt};
use tokio::sync::mpsc;

use super::{Kill, RunOutcome, RunRequest, WATCH_EVERY, group};

/// A piece of what a streamed run does, in the order it happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    Stdout(String),
    Stderr(String),
    /// Why the run is being stopped, said once, before it ends.
    Notice(String),
}

/// Runs the program, sending its output to `out` as it comes. The run is
/// stopped (and its group killed) when `out`'s receiver is dropped: the
/// reader went away. `Err` only when the program could not be started.
pub async fn stream(request: &RunRequest, out: mpsc::Sender<Output>) -> Result<RunOutcome> {
    let figures = tempfile::tempdir().context("creating a folder for figures")?;
    let mut command = tokio::process::Command::from(super::command(request, figures.path()));
    command.stdout(Stdio::piped()).stderr(Stdio::piped()).kill_on_drop(true);
    let start = Instant::now();
    let mut child = command.spawn().with_context(|| format!("starting {}", request.program.display()))?;
    let pid = child.id();
    if let (Some(text), Some(mut stdin)) = (request.stdin.clone(), child.stdin.take()) {
        tokio::spawn(async move {
            use tokio::io::AsyncWriteExt;
            let _ = stdin.write_all(text.as_bytes()).await;
        });
    }
    let (chunks_tx, mut chunks) = mpsc::channel::<(usize, Vec<u8>)>(16);
    let readers = [
        child.stdout.take().map(|s| tokio::spawn(pump(0, s, chunks_tx.clone()))),
        child.stderr.take().map(|s| tokio::spawn(pump(1, s, chunks_tx.clone()))),
    ];
    drop(chunks_tx);

    let limits = &request.limits;
    let deadline = tokio::time::Instant::now() + request.time_limit();
    let mut text = String::new();
    let mut printed = 0usize;
    let mut killed: Option<Kill> = None;
    let mut decoders = [Utf8Stream::default(), Utf8Stream::default()];
    let mut watchdog = tokio::time::interval(WATCH_EVERY);
    let mut exit = None;
    loop {
        tokio::select! {
            chunk = chunks.recv() => match chunk {
                Some((which, bytes)) => {
                    let room = limits.output_bytes.saturating_sub(printed);
                    let take = bytes.len().min(room);
                    printed += take;
                    let piece = decoders[which].push(&bytes[..take]);
                    if !piece.is_empty() {
                        text.push_str(&piece);
                        let _ = out.send(if which == 0 { Output::Stdout(piece) } else { Output::Stderr(piece) }).await;
                    }
                    if take < bytes.len() {
                        killed = Some(Kill::OutputLimit);
                    }
                }
                None => {
                    // Both pipes closed: wait for the exit status.
                    exit = tokio::select! {
                        status = child.wait() => status.ok(),
                        () = tokio::time::sleep_until(deadline) => { killed = Some(Kill::Timeout); None }
                        () = out.closed() => { killed = Some(Kill::Stopped); None }
                    };
                    break;
                }
            },
            () = tokio::time::sleep_until(deadline) => killed = Some(Kill::Timeout),
            () = out.closed() => killed = Some(Kill::Stopped),
            _ = watchdog.tick() => {
                if let Some(pid) = pid && let Some(kill) = group::over_limit(pid, limits) {
                    killed = Some(kill);
                }
            }
        }
        if killed.is_some() {
            break;
        }
    }
    if let Some(kill) = killed
        && kill != Kill::Stopped
    {
        let _ = out.send(Output::Notice(kill.notice(request))).await;
    }
    // Kill the whole group: on a limit, on stop, and after a normal exit to
    // clean up anything it left running.
    if let Some(pid) = pid {
        group::kill(pid);
    }
    let status = match exit {
        Some(status) => Some(status),
        None => child.wait().await.ok(),
    };
    for reader in readers.into_iter().flatten() {
        reader.abort();
    }
    for (which, decoder) in decoders.iter_mut().enumerate() {
        let rest = decoder.finish();
        if !rest.is_empty() {
            text.push_str(&rest);
            let _ = out.send(if which == 0 { Output::Stdout(rest) } else { Output::Stderr(rest) }).await;
        }
    }
    let (figures, traces) = if killed.is_none() {
        (
            super::read_figures(figures.path()).unwrap_or_default(),
            super::read_traces(figures.path()).unwrap_or_default(),
        )
    } else {
        (Vec::new(), Vec::new())
    };
    let (exit_code, signal) = match status {
        Some(status) => (status.code(), exit_signal(&status)),
        None => (None, None),
    };
    Ok(RunOutcome { output: text, figures, traces, exit_code, signal, killed, duration: start.elapsed() })
}

#[cfg(unix)]
fn exit_signal(status: &std::process::ExitStatus) -> Option<i32> {
    std::os::unix::process::ExitStatusExt::signal(status)
}

#[cfg(not(unix))]
fn exit_signal(_: &std::process::ExitStatus) -> Option<i32> {
    None
}

/// Reads a pipe in chunks as they come, tagged with which pipe it is.
async fn pump(which: usize, mut pipe: impl AsyncRead + Unpin, tx: mpsc::Sender<(usize, Vec<u8>)>) {
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        match pipe.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => {
                if tx.send((which, buf[..n].to_vec())).await.is_err() {
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

#[cfg(test)]
mod tests {
    use std::time::Duration;

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

    #[cfg(unix)]
    #[tokio::test]
    async fn dropping_the_receiver_stops_the_run_and_its_children() {
        let request = super::super::RunRequest {
            program: "/bin/sh".into(),
            args: vec!["-c".into(), "echo up; sleep 60 & sleep 60".into()],
            stdin: None,
            timeout: Duration::from_secs(60),
            current_dir: std::env::temp_dir(),
            limits: super::super::Limits::CELL,
        };
        let (tx, mut rx) = mpsc::channel(16);
        let run = tokio::spawn(async move { stream(&request, tx).await });
        assert_eq!(rx.recv().await, Some(Output::Stdout("up\n".into())));
        drop(rx);
        let outcome = tokio::time::timeout(Duration::from_secs(30), run).await.unwrap().unwrap().unwrap();
        assert_eq!(outcome.killed, Some(Kill::Stopped));
        assert_eq!(outcome.output, "up\n");
    }
}
