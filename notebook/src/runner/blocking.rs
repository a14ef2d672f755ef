//! The blocking face: run to the end, then hand over everything.

use std::io::{Read, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use anyhow::{Context, Result};
use wait_timeout::ChildExt;

use super::{Kill, RunOutcome, RunRequest, WATCH_EVERY, group};

/// Runs the program to completion, or until a limit stops it. Standard output
/// and standard error share one pipe, so the text keeps the order the program
/// wrote it in.
pub fn run(request: &RunRequest) -> Result<RunOutcome> {
    let figures = tempfile::tempdir().context("creating a folder for figures")?;
    let (reader, writer) = std::io::pipe().context("creating the output pipe")?;
    let mut command = super::command(request, figures.path());
    command.stdout(writer.try_clone().context("sharing the output pipe")?).stderr(writer);
    let start = Instant::now();
    let mut child = command.spawn().with_context(|| format!("starting {}", request.program.display()))?;
    // The command holds our copies of the pipe's write end; drop them, or the
    // reader would never see end-of-file.
    drop(command);

    if let (Some(text), Some(mut stdin)) = (request.stdin.clone(), child.stdin.take()) {
        // A program that never reads its input must not block us: write from
        // a thread, which ends when the program exits and the pipe breaks.
        std::thread::spawn(move || {
            let _ = stdin.write_all(text.as_bytes());
        });
    }

    let limit = request.limits.output_bytes;
    let over_limit = Arc::new(AtomicBool::new(false));
    let reading = {
        let over_limit = over_limit.clone();
        std::thread::spawn(move || {
            let read = read_limited(reader, limit);
            if matches!(read, Ok((_, true))) {
                over_limit.store(true, Ordering::Relaxed);
            }
            read
        })
    };

    // Wait in short steps: each step checks the output cap and surveys the
    // process group.
    let deadline = start + request.time_limit();
    let mut killed = None;
    let status = loop {
        let now = Instant::now();
        if now >= deadline {
            killed = Some(Kill::Timeout);
            break None;
        }
        if let Some(status) = child.wait_timeout(WATCH_EVERY.min(deadline - now)).context("waiting for the program")? {
            break Some(status);
        }
        if over_limit.load(Ordering::Relaxed) {
            killed = Some(Kill::OutputLimit);
            break None;
        }
        if let Some(kill) = group::over_limit(child.id(), &request.limits) {
            killed = Some(kill);
            break None;
        }
    };
    // Kill the whole group: the program on a limit, and any process it left
    // behind holding the pipe after it exited.
    group::kill(child.id());
    let status = match status {
        Some(status) => status,
        None => child.wait().context("waiting for the killed program")?,
    };
    let duration = start.elapsed();
    // The reader ends at end-of-file, or when the cap was hit (then the
    // group kill above closed the pipe).
    let (bytes, truncated) = reading.join().map_err(|_| anyhow::anyhow!("the output reader panicked"))??;
    if truncated && killed.is_none() {
        // It printed past the cap and exited before the next check.
        killed = Some(Kill::OutputLimit);
    }

    #[cfg(unix)]
    let signal = std::os::unix::process::ExitStatusExt::signal(&status);
    #[cfg(not(unix))]
    let signal = None;
    Ok(RunOutcome {
        output: String::from_utf8_lossy(&bytes).into_owned(),
        figures: if killed.is_none() { super::read_figures(figures.path())? } else { Vec::new() },
        traces: if killed.is_none() { super::read_traces(figures.path())? } else { Vec::new() },
        exit_code: status.code(),
        signal,
        killed,
        duration,
    })
}

fn read_limited(mut reader: impl Read, limit: usize) -> std::io::Result<(Vec<u8>, bool)> {
    let mut bytes = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        let n = reader.read(&mut buf)?;
        if n == 0 {
            return Ok((bytes, false));
        }
        let room = limit.saturating_sub(bytes.len());
        bytes.extend_from_slice(&buf[..n.min(room)]);
        if n > room {
            return Ok((bytes, true));
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use std::time::Duration;

    use super::super::Limits;
    use super::*;

    fn sh(script: &str, timeout: Duration, limit: usize) -> RunOutcome {
        sh_under(script, timeout, Limits { output_bytes: limit, ..Limits::CELL })
    }

    fn sh_under(script: &str, timeout: Duration, limits: Limits) -> RunOutcome {
        let request = RunRequest {
            program: "/bin/sh".into(),
            args: vec!["-c".into(), script.into()],
            stdin: None,
            timeout,
            current_dir: std::env::temp_dir(),
            limits,
        };
        run(&request).unwrap()
    }

    #[test]
    fn stdout_and_stderr_keep_their_order() {
        let out = sh("echo one; echo two >&2; echo three", Duration::from_secs(10), 1 << 20);
        assert_eq!(out.output, "one\ntwo\nthree\n");
        assert!(out.success());
    }

    #[test]
    fn a_program_that_outlives_its_limit_is_killed_with_its_children() {
        // The shell starts a child that would hold the pipe open for a minute.
        let out = sh("sleep 60 & sleep 60", Duration::from_millis(300), 1 << 20);
        assert_eq!(out.killed, Some(Kill::Timeout));
        assert!(out.duration < Duration::from_secs(30), "{:?}", out.duration);
        assert!(out.failure().unwrap().contains("timed out"));
    }

    #[test]
    fn endless_output_is_cut_at_the_limit() {
        let out = sh("yes", Duration::from_secs(20), 10_000);
        assert_eq!(out.killed, Some(Kill::OutputLimit));
        assert_eq!(out.output.len(), 10_000);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn too_many_processes_kill_the_whole_group() {
        let script = "for i in $(seq 40); do sleep 60 & done; wait";
        let out = sh_under(script, Duration::from_secs(60), Limits { processes: 8, ..Limits::CELL });
        assert_eq!(out.killed, Some(Kill::ProcessLimit), "{out:?}");
        assert!(out.failure().unwrap().contains("too many processes"));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_runaway_allocation_is_killed_at_the_memory_limit() {
        // `tail` keeps everything since the last newline, and /dev/zero has
        // none: its memory grows until something stops it.
        let out =
            sh_under("tail /dev/zero", Duration::from_secs(120), Limits { memory_bytes: 64 << 20, ..Limits::CELL });
        assert_eq!(out.killed, Some(Kill::MemoryLimit), "{out:?}");
    }

    #[test]
    fn exit_codes_and_signals_are_reported() {
        assert_eq!(sh("exit 3", Duration::from_secs(10), 100).exit_code, Some(3));
        let killed = sh("kill -9 $$", Duration::from_secs(10), 100);
        assert_eq!(killed.signal, Some(9));
        assert!(killed.failure().unwrap().contains("signal 9"));
    }

    #[test]
    fn figures_come_back_by_name() {
        let out = sh(
            "printf '<svg/>' > \"$NOTEBOOK_FIGURES/b.svg\"; printf '<svg></svg>' > \"$NOTEBOOK_FIGURES/a.svg\"",
            Duration::from_secs(10),
            100,
        );
        assert_eq!(out.figures, vec![("a".to_string(), "<svg></svg>".to_string()), ("b".into(), "<svg/>".into())]);
        assert!(out.traces.is_empty());
    }
}
