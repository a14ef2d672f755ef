//! Interleaving players: `{{#schedule crate/name}}` places what a model
//! checker found for one of the book's races (every distinct run of the
//! chapter's code on two threads, step by step, and a witness run for each
//! outcome), stored by the chapter's model tests as
//! `chapters-code/<crate>/outputs/<name>.schedules.json`
//! ([`support::schedule::Scenario`]).
//!
//! The page gets the data (for `theme/schedule.js`, which lets the reader
//! choose which thread moves next, or replay a witness) and, for readers
//! without JavaScript, every outcome with its witness as a numbered list.
//! The check makes sure each stored step still points at the line of code
//! it was recorded from.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use support::schedule::{Run, Scenario, Step};

use crate::workspace::Workspace;

/// `cargo book capture --schedules`: runs every chapter's model tests that
/// store a scenario (`tests/shuttle.rs`, and `tests/loom.rs` where it stores
/// one) with `NOTEBOOK_WRITE_SCHEDULES` set, so that they write what they
/// explore instead of comparing it with what is stored.
pub fn capture(workspace: &Workspace) -> Result<()> {
    let mut shuttle = Vec::new();
    let mut loom = Vec::new();
    for krate in workspace.crates()? {
        let tests = krate.dir.join("tests");
        let stores =
            |file: &str| std::fs::read_to_string(tests.join(file)).is_ok_and(|text| text.contains("store_or_compare("));
        if stores("shuttle.rs") {
            shuttle.push(krate.name.clone());
        }
        if stores("loom.rs") {
            loom.push(krate.name.clone());
        }
    }
    // (checker, crates, cargo test's extra arguments)
    let runs = [("shuttle", shuttle, vec![]), ("loom", loom, vec!["--release"])];
    for (checker, crates, extra) in runs {
        if crates.is_empty() {
            continue;
        }
        let mut args = vec!["test".to_string(), "--locked".to_string()];
        args.extend(extra.into_iter().map(String::from));
        for name in &crates {
            args.extend(["-p".to_string(), name.clone()]);
        }
        // Each crate's storing test is named `the_stored_...`.
        args.extend(["--test", checker, "the_stored"].map(String::from));
        eprintln!("==> storing the {checker} explorations of {}", crates.join(", "));
        let status = crate::cargo::command(workspace)
            .args(&args)
            .env("RUSTFLAGS", format!("--cfg {checker}"))
            .env("CARGO_TARGET_DIR", format!("target/{checker}"))
            .env("NOTEBOOK_WRITE_SCHEDULES", "1")
            .status()
            .with_context(|| format!("starting cargo {}", args.join(" ")))?;
        if !status.success() {
            bail!("the {checker} explorations failed ({status})");
        }
    }
    Ok(())
}

/// Where scenario `id` (`crate/name`) is stored.
pub fn path(workspace: &Workspace, id: &str) -> Result<PathBuf> {
    let Some((krate, name)) = id.split_once('/') else {
        bail!("a schedule is named crate/name, not `{id}`");
    };
    Ok(Scenario::path(&workspace.chapters_code().join(krate), name))
}

/// The stored scenario `id`, or why it cannot be read.
pub fn load(workspace: &Workspace, id: &str) -> Result<Scenario> {
    let path = path(workspace, id)?;
    let shown = path.strip_prefix(&workspace.root).unwrap_or(&path).display().to_string();
    let Ok(text) = std::fs::read_to_string(&path) else {
        bail!("schedule `{id}` has no stored runs ({shown}); run `cargo book capture --schedules`");
    };
    let scenario: Scenario = serde_json::from_str(&text).with_context(|| format!("reading {shown}"))?;
    if scenario.outcomes.is_empty() || scenario.runs.is_empty() {
        bail!("{shown} holds no runs");
    }
    Ok(scenario)
}

/// Problems of a stored scenario against the code as it is now: a step
/// whose line no longer holds the code it was recorded from, a witness
/// pointing past the runs.
pub fn problems(workspace: &Workspace, scenario: &Scenario) -> Vec<String> {
    let mut problems = Vec::new();
    for (file, lines) in &scenario.source {
        let text = match std::fs::read_to_string(resolve(workspace, file)) {
            Ok(text) => text,
            Err(e) => {
                problems.push(format!("{file}: {e}"));
                continue;
            }
        };
        let now: Vec<&str> = text.lines().collect();
        for (line, code) in lines {
            let current = now.get(*line as usize - 1).map(|l| l.trim()).unwrap_or("");
            if current != code {
                problems.push(format!(
                    "{file}:{line} was `{code}` when the runs were recorded and is `{current}` now: \
                     run `cargo book capture --schedules`"
                ));
            }
        }
    }
    for outcome in &scenario.outcomes {
        if scenario.runs.get(outcome.run).is_none_or(|r| r.outcome != outcome.outcome) {
            problems.push(format!("the witness of `{}` is not a run with that outcome", outcome.outcome));
        }
    }
    problems
}

fn resolve(workspace: &Workspace, file: &str) -> PathBuf {
    let path = Path::new(file);
    if path.is_absolute() { path.to_path_buf() } else { workspace.root.join(path) }
}

/// The HTML a `{{#schedule}}` directive becomes: one block, no blank lines.
pub fn render(id: &str, scenario: &Scenario) -> String {
    let e = |t: &str| html_escape::encode_text(t).into_owned();
    let runs = scenario.runs.len();
    // Inside <script>, only `</` could end the element early.
    let data = serde_json::to_string(scenario).expect("a scenario is plain data").replace("</", "<\\/");
    let mut list = format!(
        "<p>{checker} ran every interleaving of this code and found {runs} different runs, which end in {n} ways. \
         For each, one run that ends that way, step by step:</p><ul>",
        checker = e(&scenario.checker),
        n = scenario.outcomes.len(),
    );
    for outcome in &scenario.outcomes {
        let Some(run) = scenario.runs.get(outcome.run) else { continue };
        list.push_str(&format!(
            "<li><p><strong>{outcome}</strong> ({count} of {runs} runs):</p>{steps}</li>",
            outcome = e(&outcome.outcome),
            count = outcome.runs,
            steps = steps_list(scenario, run),
        ));
    }
    list.push_str("</ul>");
    let files: Vec<String> = scenario.source.keys().map(|f| format!("<code>{}</code>", e(short(f)))).collect();
    format!(
        "<figure class=\"nb-schedule\" id=\"schedule-{anchor}\" data-schedule=\"{id}\">\
         <script type=\"application/json\" class=\"nb-schedule-data\">{data}</script>\
         <div class=\"nb-schedule-list\">{list}</div>\
         <figcaption><strong>Be the scheduler: {title}.</strong> Every step is a line of the chapter's code ({files}); \
         choose which thread takes the next one, or replay a run that ends in each outcome. \
         The runs are the ones {checker} explored, recorded when the book was captured.</figcaption></figure>\n",
        anchor = id.replace('/', "-"),
        id = e(id),
        title = e(scenario.title.trim_end_matches('.')),
        files = files.join(", "),
        checker = e(&scenario.checker),
    )
}

/// A run as a numbered list of steps, each with its line of code and the
/// shared state after it.
fn steps_list(scenario: &Scenario, run: &Run) -> String {
    let e = |t: &str| html_escape::encode_text(t).into_owned();
    let mut out = String::from("<ol class=\"nb-schedule-steps\">");
    for step in &run.steps {
        let code = scenario.source.get(&step.file).and_then(|lines| lines.get(&step.line)).map_or("", String::as_str);
        out.push_str(&format!(
            "<li>{thread} <code>{code}</code> {action}. <span class=\"nb-schedule-state\">{state}</span></li>",
            thread = e(&step.thread),
            code = e(code),
            action = e(&step.action),
            state = e(&state_words(step)),
        ));
    }
    out.push_str("</ol>");
    out
}

/// The state after a step in words: `counter = 2; A holds seats`.
pub fn state_words(step: &Step) -> String {
    let mut parts: Vec<String> = step.state.iter().map(|(k, v)| format!("{k} = {v}")).collect();
    parts.extend(step.holders.iter().map(|(lock, thread)| format!("{thread} holds {lock}")));
    parts.extend(step.waiting.iter().map(|(thread, lock)| format!("{thread} waits for {lock}")));
    format!("({})", parts.join("; "))
}

/// `chapters-code/shared-state/src/lost_update.rs` as `shared-state/src/lost_update.rs`.
fn short(file: &str) -> &str {
    file.strip_prefix("chapters-code/").unwrap_or(file)
}
