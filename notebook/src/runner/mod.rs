//! Runs one cell program under the book's limits: the only code that starts
//! one, whoever asks (capture, the tests that re-run cells, the server).
//!
//! Every run gets the same treatment, set up once in [`command`]:
//!
//! - its own process group, so that one signal reaches everything it started
//!   ([`group`]), and the group is killed when the run ends, however it ends;
//! - a survey of the group every 50 ms, killing it when it holds more
//!   processes than [`Limits::processes`] (a fork bomb) or more resident
//!   memory than [`Limits::memory_bytes`] (a runaway allocation, stopped
//!   before it swaps the machine). Resident memory, not address space: a
//!   server with ten thousand threads reserves 20 GiB of stacks and touches
//!   a few hundred MiB. The survey reads `/proc`, which only Linux has;
//!   elsewhere the time limit stops both, with the whole group;
//! - a wall-time limit and an output cap, both from [`Limits`];
//! - the environment of [`cell_env`]: where to leave figures, no backtraces.
//!
//! Two faces share all of that. [`run`] blocks and gives the whole output at
//! the end, standard output and standard error on one pipe so the text keeps
//! the order the program wrote it in, as a terminal shows ([`blocking`]).
//! [`stream`] is async and hands each piece of output over as it comes, the
//! two streams apart, and stops when asked to ([`streaming`]).

mod blocking;
pub mod group;
mod streaming;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use anyhow::Result;

pub use blocking::run;
pub use streaming::{Output, Utf8Stream, stream};

/// The timeout of a cell that declares none.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// The limits of one run. [`Limits::CELL`] holds the book's full runs (the
/// largest timeout a cell may declare, and what capture and the tests
/// enforce); [`Limits::LIVE`] the runs a reader starts from the served book,
/// the same but shorter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The longest a run may last, whatever its cell declares.
    pub max_timeout: Duration,
    /// Output beyond this many bytes is dropped and the run killed.
    pub output_bytes: usize,
    /// Resident memory of the whole group.
    pub memory_bytes: u64,
    /// Processes in one run's group.
    pub processes: usize,
}

impl Limits {
    /// The book's limits. The longest cells (the C10k comparisons) take
    /// about 200 s.
    pub const CELL: Limits = Limits {
        max_timeout: Duration::from_secs(300),
        output_bytes: 1024 * 1024,
        memory_bytes: 4 << 30,
        processes: 64,
    };

    /// A live run's limits: a minute at most, so that a reader is never left
    /// waiting longer. A cell whose full run may take more declares a lighter
    /// live one ([`crate::spec`]).
    pub const LIVE: Limits = Limits { max_timeout: Duration::from_secs(60), ..Limits::CELL };
}

impl Default for Limits {
    fn default() -> Self {
        Limits::CELL
    }
}

/// What to run and within which limits.
#[derive(Debug, Clone)]
pub struct RunRequest {
    pub program: PathBuf,
    pub args: Vec<String>,
    pub stdin: Option<String>,
    /// The cell's own timeout; the run is stopped at the smaller of this and
    /// `limits.max_timeout`.
    pub timeout: Duration,
    pub current_dir: PathBuf,
    pub limits: Limits,
}

impl RunRequest {
    /// The time this run may take.
    pub fn time_limit(&self) -> Duration {
        self.timeout.min(self.limits.max_timeout)
    }
}

/// Why a run was killed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kill {
    Timeout,
    OutputLimit,
    ProcessLimit,
    MemoryLimit,
    /// The caller asked (the reader pressed Stop).
    Stopped,
}

impl Kill {
    /// The name the server's events use.
    pub fn name(self) -> &'static str {
        match self {
            Kill::Timeout => "timeout",
            Kill::OutputLimit => "output-limit",
            Kill::ProcessLimit => "process-limit",
            Kill::MemoryLimit => "memory-limit",
            Kill::Stopped => "stopped",
        }
    }

    /// What a reader is told when it happens.
    pub fn notice(self, request: &RunRequest) -> String {
        let limits = &request.limits;
        match self {
            Kill::Timeout => {
                format!("time limit reached ({} s); the program was stopped", request.time_limit().as_secs())
            }
            Kill::OutputLimit => {
                format!("output limit reached ({} bytes); the program was stopped", limits.output_bytes)
            }
            Kill::ProcessLimit => {
                format!("process limit reached ({} processes); the program was stopped", limits.processes)
            }
            Kill::MemoryLimit => {
                format!("memory limit reached ({} MiB resident); the program was stopped", limits.memory_bytes >> 20)
            }
            Kill::Stopped => "stopped".to_string(),
        }
    }
}

/// How a run ended and what it printed.
#[derive(Debug, Clone)]
pub struct RunOutcome {
    /// What it printed, decoded as UTF-8 (invalid bytes replaced): stdout and
    /// stderr interleaved as written ([`run`]), or one after the other's
    /// chunks as they arrived ([`stream`]).
    pub output: String,
    /// The figures (name, SVG text) the program showed, ordered by name;
    /// none when it was killed.
    pub figures: Vec<(String, String)>,
    /// The traces (name, trace-event JSON) the program showed beside its
    /// timelines, ordered by name; none when it was killed.
    pub traces: Vec<(String, String)>,
    /// The exit code, or `None` when a signal ended it.
    pub exit_code: Option<i32>,
    /// The signal that ended it (Unix).
    pub signal: Option<i32>,
    /// Why it was killed, if it was.
    pub killed: Option<Kill>,
    pub duration: Duration,
}

impl RunOutcome {
    pub fn success(&self) -> bool {
        self.exit_code == Some(0) && self.killed.is_none()
    }

    /// A one-line account of a run that did not succeed.
    pub fn failure(&self) -> Option<String> {
        match self.killed {
            Some(Kill::Timeout) => {
                return Some(format!("timed out after {:.1} s and was killed", self.duration.as_secs_f64()));
            }
            Some(Kill::OutputLimit) => return Some("printed more than the output limit and was killed".to_string()),
            Some(Kill::ProcessLimit) => return Some("started too many processes and was killed".to_string()),
            Some(Kill::MemoryLimit) => return Some("used more memory than the limit and was killed".to_string()),
            Some(Kill::Stopped) => return Some("was stopped".to_string()),
            None => {}
        }
        if let Some(signal) = self.signal {
            Some(format!("was killed by signal {signal}"))
        } else if self.exit_code != Some(0) {
            Some(format!("exited with status {}", self.exit_code.unwrap_or(-1)))
        } else {
            None
        }
    }
}

/// The environment every cell program runs with, captured, re-run by the
/// tests or run by the server: where to put its figures, and no backtraces,
/// so that a panic prints the same whatever the caller's environment says.
pub fn cell_env(figures: &Path) -> [(&'static str, &std::ffi::OsStr); 2] {
    [(support_figures_env(), figures.as_os_str()), ("RUST_BACKTRACE", "0".as_ref())]
}

fn support_figures_env() -> &'static str {
    // The name `support::figure::FIGURES_ENV` uses; chapter crates never
    // depend on the notebook, so the two agree by this test-checked constant.
    "NOTEBOOK_FIGURES"
}

/// The command for a request: program, arguments, folder, environment,
/// standard input piped or closed, in a process group of its own. Its output
/// handles are the caller's to set.
fn command(request: &RunRequest, figures: &Path) -> Command {
    let mut command = Command::new(&request.program);
    command
        .args(&request.args)
        .current_dir(&request.current_dir)
        .envs(cell_env(figures))
        .stdin(if request.stdin.is_some() { Stdio::piped() } else { Stdio::null() });
    group::confine(&mut command);
    command
}

/// The SVG files a program left in its figures folder, by name.
fn read_figures(dir: &Path) -> Result<Vec<(String, String)>> {
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

/// The traces a program left in its figures folder (`NAME.trace.json`),
/// by name.
fn read_traces(dir: &Path) -> Result<Vec<(String, String)>> {
    let mut traces = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let file = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if let Some(name) = file.strip_suffix(".trace.json") {
            traces.push((name.to_string(), std::fs::read_to_string(&path)?));
        }
    }
    traces.sort();
    Ok(traces)
}

/// How often a run's group is surveyed.
const WATCH_EVERY: Duration = Duration::from_millis(50);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_figures_folder_is_announced_under_the_name_support_reads() {
        assert_eq!(support_figures_env(), support::figure::FIGURES_ENV);
    }

    #[test]
    fn a_run_lasts_at_most_the_smaller_of_its_timeout_and_the_limit() {
        let mut request = RunRequest {
            program: "true".into(),
            args: vec![],
            stdin: None,
            timeout: Duration::from_secs(30),
            current_dir: ".".into(),
            limits: Limits::CELL,
        };
        assert_eq!(request.time_limit(), Duration::from_secs(30));
        request.limits.max_timeout = Duration::from_secs(3);
        assert_eq!(request.time_limit(), Duration::from_secs(3));
        assert!(Kill::Timeout.notice(&request).contains("(3 s)"));
    }
}
