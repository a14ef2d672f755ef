//! How a cell runs, declared next to its code.
//!
//! A cell program carries its run spec as `//@ ` comment lines near the top
//! of the file; together they form a TOML document:
//!
//! ```text
//! //@ timeout = 30
//! //@ args = ["--clients", "3"]
//! //@ live_args = ["--clients", "1"]
//! //@ needs = ["valgrind"]
//! //@ [[vary]]
//! //@ what = "elapsed time"
//! //@ pattern = 'took (\d+) ms'
//! ```
//!
//! `vary` rules name what changes from run to run. Each capture group of a
//! pattern marks one varying part; the rest of the pattern must match
//! literally. Comparing a fresh run with the stored one masks exactly those
//! parts, so a rule can never accept "anything": see [`crate::compare`].
//!
//! A cell runs in one of two [`Variant`]s. The full run is the one the book
//! stores and the tests repeat. The live run is what a reader's Run button
//! starts in the served book, and must end within [`Limits::LIVE`]. For
//! most cells the two are the same run, held to that limit whoever starts
//! it; a cell that needs longer declares `live_args`, a lighter version
//! (fewer connections, rounds or iterations) that runs live in its place,
//! and only its full run may take up to [`Limits::CELL`]
//! ([`CellSpec::limits_for`]).
//!
//! `needs` lists programs the cell runs that are not part of Rust (a race
//! detector such as `valgrind`). The cell itself must say so plainly when
//! one is missing; the tests that re-run cells skip, with a note, a cell
//! whose needs are not on the `PATH` ([`CellSpec::missing_needs`]), since
//! its output then cannot match the stored one.

use std::time::Duration;

use anyhow::{Context, Result, bail};
use regex::Regex;
use serde::Deserialize;

use crate::runner::{DEFAULT_TIMEOUT, Limits};

/// The most runs a distribution may ask for: enough to see rare outcomes,
/// few enough that capturing the book stays quick.
pub const MAX_RUNS: u32 = 1000;

/// The prefix of a spec line.
pub const SPEC_PREFIX: &str = "//@";

/// How a cell runs and how its output may vary.
#[derive(Debug, Clone)]
pub struct CellSpec {
    /// Wall-time limit of one run.
    pub timeout: Duration,
    /// Command-line arguments.
    pub args: Vec<String>,
    /// The arguments of a lighter live run, where the full one takes longer
    /// than a live run may.
    pub live_args: Option<Vec<String>>,
    /// Text written to the program's standard input (closed afterwards).
    pub stdin: Option<String>,
    /// Programs the cell runs that must be on the `PATH`.
    pub needs: Vec<String>,
    /// How many runs `cargo book capture` stores as the cell's distribution
    /// of outcomes (`//@ runs = 100`), if any.
    pub runs: Option<u32>,
    /// Whether those runs may go two at a time (`//@ parallel_runs = true`):
    /// only for a cell that measures no time.
    pub parallel_runs: bool,
    /// Whether a fresh run may show an outcome the stored distribution lacks
    /// (`//@ open_outcomes = true`): for outcomes too many to see them all.
    pub open_outcomes: bool,
    /// What varies between runs.
    pub vary: Vec<VaryRule>,
}

impl Default for CellSpec {
    fn default() -> Self {
        CellSpec {
            timeout: DEFAULT_TIMEOUT,
            args: Vec::new(),
            live_args: None,
            stdin: None,
            needs: Vec::new(),
            runs: None,
            parallel_runs: false,
            open_outcomes: false,
            vary: Vec::new(),
        }
    }
}

/// One part of the output that varies from run to run.
#[derive(Debug, Clone)]
pub struct VaryRule {
    /// A human name for it, shown in diffs: "elapsed time".
    pub what: String,
    /// The pattern; each capture group is a varying part.
    pub pattern: Regex,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSpec {
    timeout: Option<u64>,
    #[serde(default)]
    args: Vec<String>,
    live_args: Option<Vec<String>>,
    stdin: Option<String>,
    #[serde(default)]
    needs: Vec<String>,
    runs: Option<u32>,
    #[serde(default)]
    parallel_runs: bool,
    #[serde(default)]
    open_outcomes: bool,
    #[serde(default)]
    vary: Vec<RawVary>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVary {
    what: String,
    pattern: String,
}

/// The spec lines of a source file: (1-based line number, text after the prefix).
pub fn spec_lines(source: &str) -> Vec<(usize, &str)> {
    source
        .lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let rest = line.trim_start().strip_prefix(SPEC_PREFIX)?;
            Some((i + 1, rest.strip_prefix(' ').unwrap_or(rest)))
        })
        .collect()
}

/// Parses the spec of a cell source. Errors say which line is wrong, counted
/// from the top of the source file.
pub fn parse(source: &str) -> Result<CellSpec> {
    let lines = spec_lines(source);
    if lines.is_empty() {
        return Ok(CellSpec::default());
    }
    let toml_text: String = lines.iter().map(|(_, l)| format!("{l}\n")).collect();
    let raw: RawSpec = toml::from_str(&toml_text).map_err(|err| {
        // Point at the source line the TOML error is on.
        let line = err
            .span()
            .map(|span| toml_text[..span.start].matches('\n').count())
            .and_then(|n| lines.get(n))
            .map_or(lines[0].0, |(line, _)| *line);
        anyhow::anyhow!("line {line}: bad cell spec: {}", err.message())
    })?;
    let first = lines[0].0;
    // A cell may not ask for more time than any run of it gets.
    let max = Limits::CELL.max_timeout.as_secs();
    let timeout = raw.timeout.unwrap_or(DEFAULT_TIMEOUT.as_secs());
    if timeout == 0 || timeout > max {
        bail!("line {first}: bad cell spec: timeout must be 1 to {max} seconds, not {timeout}");
    }
    let mut vary = Vec::new();
    for rule in raw.vary {
        let pattern = Regex::new(&rule.pattern)
            .with_context(|| format!("line {first}: bad cell spec: pattern {:?} of {:?}", rule.pattern, rule.what))?;
        if pattern.captures_len() < 2 {
            bail!(
                "line {first}: bad cell spec: pattern {:?} of {:?} has no capture group; \
                 put the varying part in parentheses",
                rule.pattern,
                rule.what
            );
        }
        if pattern.is_match("") {
            bail!("line {first}: bad cell spec: pattern {:?} of {:?} matches empty text", rule.pattern, rule.what);
        }
        vary.push(VaryRule { what: rule.what, pattern });
    }
    if let Some(runs) = raw.runs
        && !(2..=MAX_RUNS).contains(&runs)
    {
        bail!("line {first}: bad cell spec: runs must be 2 to {MAX_RUNS}, not {runs}");
    }
    Ok(CellSpec {
        timeout: Duration::from_secs(timeout),
        args: raw.args,
        live_args: raw.live_args,
        stdin: raw.stdin,
        needs: raw.needs,
        runs: raw.runs,
        parallel_runs: raw.parallel_runs,
        open_outcomes: raw.open_outcomes,
        vary,
    })
}

/// Which run of a cell: the book's, or the one a reader starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    /// The run the book stores and the tests repeat.
    Full,
    /// The run the served book's Run button starts.
    Live,
}

impl CellSpec {
    /// The arguments of a run.
    pub fn args_for(&self, variant: Variant) -> &[String] {
        match (variant, &self.live_args) {
            (Variant::Live, Some(live)) => live,
            _ => &self.args,
        }
    }

    /// The programs of `needs` that are not on the `PATH`: a file of that
    /// name in one of its folders, or none at all when there is no `PATH`.
    pub fn missing_needs(&self) -> Vec<&str> {
        let path = std::env::var_os("PATH").unwrap_or_default();
        let folders: Vec<_> = std::env::split_paths(&path).collect();
        self.needs
            .iter()
            .map(String::as_str)
            .filter(|program| !folders.iter().any(|folder| folder.join(program).is_file()))
            .collect()
    }

    /// True when the live run is not the full one.
    pub fn has_lighter_live_run(&self) -> bool {
        self.live_args.is_some()
    }

    /// The limits a run is held to. A live run gets [`Limits::LIVE`]. So
    /// does the full run of a cell without a lighter live run, which is the
    /// same run: a reader must be able to start it. Only the full run of a
    /// cell that has a lighter one may take longer, up to [`Limits::CELL`].
    pub fn limits_for(&self, variant: Variant) -> Limits {
        match variant {
            Variant::Full if self.has_lighter_live_run() => Limits::CELL,
            _ => Limits::LIVE,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_spec_lines_means_the_defaults() {
        let spec = parse("fn main() {}\n").unwrap();
        assert_eq!(spec.timeout, DEFAULT_TIMEOUT);
        assert!(spec.args.is_empty() && spec.vary.is_empty() && spec.stdin.is_none());
    }

    #[test]
    fn a_full_spec_parses() {
        let source = "//! doc\n//@ timeout = 30\n//@ args = [\"-n\", \"3\"]\n//@ stdin = \"hi\\n\"\n\
                      //@ [[vary]]\n//@ what = \"time\"\n//@ pattern = '(\\d+) ms'\nfn main() {}\n";
        let spec = parse(source).unwrap();
        assert_eq!(spec.timeout, Duration::from_secs(30));
        assert_eq!(spec.args, ["-n", "3"]);
        assert_eq!(spec.stdin.as_deref(), Some("hi\n"));
        assert_eq!(spec.vary.len(), 1);
        assert_eq!(spec.vary[0].what, "time");
    }

    #[test]
    fn errors_name_the_source_line() {
        let source = "//! doc\n\n//@ timeout = 30\n//@ colour = \"red\"\nfn main() {}\n";
        let err = parse(source).unwrap_err().to_string();
        assert!(err.starts_with("line 4:"), "{err}");
        assert!(err.contains("colour"), "{err}");
    }

    #[test]
    fn patterns_without_a_varying_part_are_refused() {
        let source = "//@ [[vary]]\n//@ what = \"x\"\n//@ pattern = '\\d+ ms'\n";
        let err = parse(source).unwrap_err().to_string();
        assert!(err.contains("no capture group"), "{err}");
    }

    #[test]
    fn patterns_that_match_nothing_at_all_are_refused() {
        let source = "//@ [[vary]]\n//@ what = \"x\"\n//@ pattern = '(\\d*)'\n";
        assert!(parse(source).unwrap_err().to_string().contains("matches empty text"));
    }

    #[test]
    fn only_a_cell_with_a_lighter_live_run_may_run_longer_than_a_live_run() {
        let spec = parse("//@ timeout = 200\n").unwrap();
        assert_eq!(spec.limits_for(Variant::Full), Limits::LIVE);
        assert_eq!(spec.limits_for(Variant::Live), Limits::LIVE);
        let spec = parse("//@ timeout = 200\n//@ args = [\"-n\", \"9\"]\n//@ live_args = [\"-n\", \"1\"]\n").unwrap();
        assert_eq!(spec.args_for(Variant::Full), ["-n", "9"]);
        assert_eq!(spec.args_for(Variant::Live), ["-n", "1"]);
        assert!(spec.has_lighter_live_run());
        assert_eq!(spec.limits_for(Variant::Full), Limits::CELL);
        assert_eq!(spec.limits_for(Variant::Live), Limits::LIVE);
    }

    #[test]
    fn without_live_args_the_live_run_is_the_full_one() {
        let spec = parse("//@ args = [\"-n\", \"3\"]\n").unwrap();
        assert_eq!(spec.args_for(Variant::Live), spec.args_for(Variant::Full));
        assert!(!spec.has_lighter_live_run());
    }

    #[test]
    fn needs_name_programs_and_the_missing_ones_are_found() {
        assert!(parse("fn main() {}\n").unwrap().needs.is_empty());
        let spec = parse("//@ needs = [\"sh\", \"no-such-program-anywhere\"]\n").unwrap();
        assert_eq!(spec.needs, ["sh", "no-such-program-anywhere"]);
        // `sh` is on the PATH of every Unix system the book runs on.
        assert_eq!(spec.missing_needs(), ["no-such-program-anywhere"]);
    }

    #[test]
    fn silly_timeouts_are_refused() {
        assert!(parse("//@ timeout = 0\n").is_err());
        assert!(parse("//@ timeout = 100000\n").is_err());
    }
}
