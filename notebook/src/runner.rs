//! Runs one cell program with limits, and collects what it printed.
//!
//! The program gets its own process group, so that a timeout kills it and
//! everything it started. Standard output and standard error share one pipe,
//! so the text keeps the order the program wrote it in, as a terminal shows.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use wait_timeout::ChildExt;

/// What to run and within which limits.
#[derive(Debug, Clone)]
pub struct RunRequest {
    pub program: PathBuf,
    pub args: Vec<String>,
    pub stdin: Option<String>,
    pub timeout: Duration,
    /// Output beyond this many bytes is dropped and the run is killed.
    pub output_limit: usize,
    pub current_dir: PathBuf,
}

/// How a run ended and what it printed.
#[derive(Debug, Clone)]
pub struct RunOutcome {
    /// stdout and stderr interleaved, decoded as UTF-8 (invalid bytes replaced).
    pub output: String,
    /// The figures (name, SVG text) the program showed, ordered by name.
    pub figures: Vec<(String, String)>,
    /// The exit code, or `None` when a signal ended it.
    pub exit_code: Option<i32>,
    /// The signal that ended it (Unix).
    pub signal: Option<i32>,
    pub timed_out: bool,
    /// The output limit was hit.
    pub truncated: bool,
    pub duration: Duration,
}

impl RunOutcome {
    pub fn success(&self) -> bool {
        self.exit_code == Some(0) && !self.timed_out && !self.truncated
    }

    /// A one-line account of a run that did not succeed.
    pub fn failure(&self) -> Option<String> {
        if self.timed_out {
            Some(format!("timed out after {:.1} s and was killed", self.duration.as_secs_f64()))
        } else if self.truncated {
            Some("printed more than the output limit and was killed".to_string())
        } else if let Some(signal) = self.signal {
            Some(format!("was killed by signal {signal}"))
        } else if self.exit_code != Some(0) {
            Some(format!("exited with status {}", self.exit_code.unwrap_or(-1)))
        } else {
            None
        }
    }
}

/// Runs the program to completion, or until a limit stops it.
pub fn run(request: &RunRequest) -> Result<RunOutcome> {
    let figures = tempfile::tempdir().context("creating a folder for figures")?;
    let (reader, writer) = std::io::pipe().context("creating the output pipe")?;
    let mut command = Command::new(&request.program);
    command
        .args(&request.args)
        .current_dir(&request.current_dir)
        .envs(cell_env(figures.path()))
        .stdin(if request.stdin.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(writer.try_clone().context("sharing the output pipe")?)
        .stderr(writer);
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        // Its own process group: a kill reaches every process it started.
        command.process_group(0);
    }
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

    let limit = request.output_limit;
    let reading = std::thread::spawn(move || read_limited(reader, limit));

    let status = child.wait_timeout(request.timeout).context("waiting for the program")?;
    let timed_out = status.is_none();
    // Kill the whole group: the program on timeout, and any process it left
    // behind holding the pipe after it exited.
    kill_group(&mut child);
    let status = match status {
        Some(status) => status,
        None => child.wait().context("waiting for the killed program")?,
    };
    let duration = start.elapsed();
    // The reader ends at end-of-file, or when the limit was hit (then the
    // group kill above closed the pipe).
    let (bytes, truncated) = reading.join().map_err(|_| anyhow::anyhow!("the output reader panicked"))??;

    #[cfg(unix)]
    let signal = std::os::unix::process::ExitStatusExt::signal(&status);
    #[cfg(not(unix))]
    let signal = None;
    Ok(RunOutcome {
        output: String::from_utf8_lossy(&bytes).into_owned(),
        figures: read_figures(figures.path())?,
        exit_code: status.code(),
        signal,
        timed_out,
        truncated,
        duration,
    })
}

/// The environment every cell program runs with, captured, re-run by the
/// tests or run by the server: where to put its figures, and no backtraces,
/// so that a panic prints the same whatever the caller's environment says.
pub fn cell_env(figures: &std::path::Path) -> [(&'static str, &std::ffi::OsStr); 2] {
    [(support_figures_env(), figures.as_os_str()), ("RUST_BACKTRACE", "0".as_ref())]
}

fn support_figures_env() -> &'static str {
    // The name `support::figure::FIGURES_ENV` uses; chapter crates never
    // depend on the notebook, so the two agree by this test-checked constant.
    "NOTEBOOK_FIGURES"
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

#[cfg(unix)]
fn kill_group(child: &mut std::process::Child) {
    use nix::sys::signal::{Signal, killpg};
    use nix::unistd::Pid;
    // The group id is the child's pid (process_group(0) above). It may be
    // gone already; that is fine.
    let _ = killpg(Pid::from_raw(child.id() as i32), Signal::SIGKILL);
}

#[cfg(not(unix))]
fn kill_group(child: &mut std::process::Child) {
    let _ = child.kill();
}

pub fn read_figures(dir: &Path) -> Result<Vec<(String, String)>> {
    let mut figures = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "svg")
            && let Some(name) = path.file_stem().and_then(|s| s.to_str())
        {
            figures.push((name.to_string(), std::fs::read_to_string(&path)?));
        }
    }
    figures.sort();
    Ok(figures)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn sh(script: &str, timeout: Duration, limit: usize) -> RunOutcome {
        run(&RunRequest {
            program: "/bin/sh".into(),
            args: vec!["-c".into(), script.into()],
            stdin: None,
            timeout,
            output_limit: limit,
            current_dir: std::env::temp_dir(),
        })
        .unwrap()
    }

    #[test]
    fn the_figures_folder_is_announced_under_the_name_support_reads() {
        assert_eq!(support_figures_env(), support::figure::FIGURES_ENV);
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
        assert!(out.timed_out);
        assert!(out.duration < Duration::from_secs(30), "{:?}", out.duration);
        assert!(out.failure().unwrap().contains("timed out"));
    }

    #[test]
    fn endless_output_is_cut_at_the_limit() {
        let out = sh("yes", Duration::from_secs(20), 10_000);
        assert!(out.truncated);
        assert_eq!(out.output.len(), 10_000);
        assert!(!out.timed_out);
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
    }
}
