//! `cargo book check` on the real book, and on a fixture full of mistakes.

use std::time::Duration;

use notebook::check::check;
use notebook::machine::Machine;
use notebook::outputs;
use notebook::runner::RunOutcome;
use notebook::workspace::Workspace;

use crate::util::{workspace, write_files};

#[test]
fn the_book_is_consistent() {
    let problems = check(&workspace()).expect("the checks run");
    let listed: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert!(problems.is_empty(), "cargo book check found problems:\n{}", listed.join("\n"));
}

#[test]
fn the_book_has_cells_and_every_cell_has_an_output_to_show() {
    let catalog = workspace().catalog().expect("the catalog loads");
    assert!(catalog.len() >= 3, "the book has {} cells", catalog.len());
    for cell in catalog.iter() {
        let stored = outputs::load(cell).expect("readable").unwrap_or_else(|| panic!("{} has no output", cell.id));
        assert!(!stored.text.trim().is_empty(), "{} printed nothing", cell.id);
    }
}

/// Every timeline a cell draws comes with a trace that a trace viewer can
/// open: trace-event JSON whose threads are the timeline's lanes, with a
/// named thread for every span's lane.
#[test]
fn every_timeline_has_a_trace_with_its_lanes() {
    let lane = regex::Regex::new(r"Lane (.+?): busy").unwrap();
    let catalog = workspace().catalog().expect("the catalog loads");
    let mut traces = 0;
    for cell in catalog.iter() {
        let stored = outputs::load(cell).expect("readable").expect("captured");
        // The lanes the cell's timelines name in their descriptions.
        let mut lanes: Vec<String> = Vec::new();
        for (_, svg) in &stored.figures {
            let Some(words) = support::figure::Description::of(svg) else { continue };
            if words.how_to_read.starts_with("Each row is one lane") {
                lanes.extend(lane.captures_iter(&words.description).map(|c| c[1].to_string()));
            }
        }
        let Some(trace) = &stored.trace else {
            assert!(lanes.is_empty(), "{}: a timeline with no trace", cell.id);
            continue;
        };
        traces += 1;
        let trace: serde_json::Value = serde_json::from_str(trace).unwrap_or_else(|e| panic!("{}: {e}", cell.id));
        let events = trace["traceEvents"].as_array().unwrap_or_else(|| panic!("{}: no traceEvents", cell.id));
        let mut named = std::collections::BTreeMap::new();
        for e in events.iter().filter(|e| e["name"] == "thread_name" && e["ph"] == "M") {
            let thread = (e["pid"].as_u64().unwrap(), e["tid"].as_u64().unwrap());
            named.insert(thread, e["args"]["name"].as_str().unwrap().to_string());
        }
        let spans: Vec<_> = events.iter().filter(|e| e["ph"] == "X").collect();
        assert!(!spans.is_empty(), "{}: a trace with no spans", cell.id);
        for span in spans {
            assert!(span["name"].is_string(), "{}: {span}", cell.id);
            assert!(span["ts"].as_f64().is_some_and(|t| t >= 0.0), "{}: {span}", cell.id);
            assert!(span["dur"].as_f64().is_some_and(|d| d >= 0.0), "{}: {span}", cell.id);
            let thread = (span["pid"].as_u64().unwrap(), span["tid"].as_u64().unwrap());
            assert!(named.contains_key(&thread), "{}: a span on an unnamed thread: {span}", cell.id);
        }
        let mut in_trace: Vec<String> = named.into_values().collect();
        in_trace.sort();
        lanes.sort();
        assert_eq!(in_trace, lanes, "{}: the trace's threads are the timelines' lanes", cell.id);
    }
    assert!(traces > 0, "no cell has a trace");
}

fn outcome(text: &str) -> RunOutcome {
    RunOutcome {
        output: text.to_string(),
        figures: Vec::new(),
        traces: Vec::new(),
        exit_code: Some(0),
        signal: None,
        killed: None,
        duration: Duration::from_millis(5),
    }
}

/// A quiz of multiple-choice questions with these ids, whose only
/// distractor is `distractor` (the answer is "right").
fn quiz(ids: &[&str], distractor: &str) -> String {
    ids.iter()
        .map(|id| {
            format!(
                "[[questions]]\nid = \"{id}\"\ntype = \"MultipleChoice\"\nprompt.prompt = \"Which?\"\n\
                 prompt.distractors = [\"{distractor}\"]\nanswer.answer = \"right\"\ncontext = \"Because.\"\n"
            )
        })
        .collect()
}

const CELL_ONE: &str = "//! One.\n//@ [[vary]]\n//@ what = \"time\"\n//@ pattern = 'took (\\d+) ms'\nfn main() {}\n";

/// A player's stored runs, recorded from a line of `alpha/src/lib.rs` that
/// has changed since.
fn stale_schedule() -> String {
    use support::schedule::{Run, Scenario, Step};
    let step = Step {
        thread: "A".into(),
        file: "chapters-code/alpha/src/lib.rs".into(),
        line: 1,
        action: "reads 0 from x".into(),
        state: [("x".to_string(), "0".to_string())].into(),
        holders: Default::default(),
        waiting: Default::default(),
    };
    let mut scenario = Scenario::new("race", "A race", "shuttle", &["A"]);
    scenario.add(Run { outcome: "x = 0".into(), steps: vec![step] }, || "[]".into());
    scenario.source.insert("chapters-code/alpha/src/lib.rs".into(), [(1, "let x = 0;".to_string())].into());
    serde_json::to_string(&scenario).unwrap()
}

#[test]
fn every_kind_of_mistake_is_reported_with_its_place() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    write_files(
        dir.path(),
        &[
            (
                "chapters-code/alpha/Cargo.toml",
                "[package]\nname = \"alpha\"\n[[bench]]\nname = \"speed\"\nharness = false\n",
            ),
            ("chapters-code/alpha/src/lib.rs", "// ANCHOR: present\n// ANCHOR_END: present\n"),
            ("chapters-code/alpha/examples/one.rs", CELL_ONE),
            ("chapters-code/alpha/examples/two.rs", "fn main() {}\n"),
            ("chapters-code/alpha/examples/three.rs", "fn main() {}\n"),
            ("chapters-code/alpha/examples/four.rs", "fn main() {}\n"),
            ("chapters-code/alpha/examples/five.rs", "//@ runs = 3\nfn main() {}\n"),
            ("chapters-code/unused/Cargo.toml", "[package]\nname = \"unused\"\n"),
            ("chapters-code/unused/examples/two.rs", "fn main() {}\n"),
            ("chapters-code/beta/Cargo.toml", "[package]\nname = \"beta\"\n"),
            ("src/beta/index.md", "# Beta, a chapter without a quiz\n"),
            (
                "chapters-code/helper/Cargo.toml",
                "[package]\nname = \"helper\"\n[package.metadata.notebook]\nsupport = true\n",
            ),
            (
                "src/alpha/index.md",
                "# Alpha\n\n{{#cell alpha/one}}\n\n{{#cell alpha/nope}}\n\n{{#cell}}\n\n\
                 ```rust\n{{#include ../../chapters-code/alpha/src/lib.rs:present}}\n\
                 {{#include ../../chapters-code/alpha/src/lib.rs:missing}}\n\
                 {{#include ../../chapters-code/alpha/src/gone.rs}}\n```\n\n\
                 {{#cell alpha/two}}\n\n{{#cell alpha/one}}\n\n{{#cell alpha/three}}\n\n{{#cell alpha/five}}\n\n\
                 {{#quiz quiz.toml}}\n\n{{#schedule alpha/race}}\n\n{{#schedule alpha/gone}}\n\n{{#predict alpha/guess}}\n\n{{#diagram gone}}\n",
            ),
            (
                "src/alpha/predict.toml",
                "[[predict]]\nid = \"alpha/guess\"\ncell = \"alpha/five\"\nprompt = \"?\"\ncontext = \"!\"\n\
                 claims = [{ text = \"all\", printed = \"five\" }]\n",
            ),
            ("chapters-code/alpha/outputs/race.schedules.json", &stale_schedule()),
            ("src/alpha/quiz.toml", &quiz(&["a1", "a2", "a3"], "x")),
            ("src/other/quiz.toml", &quiz(&["o1", "a2", "o3"], "x")),
            ("src/other/same.toml", &quiz(&["s1", "s2", "s3"], "right")),
            ("src/other/short.toml", &quiz(&["t1", "t2"], "x")),
            (
                "src/other/index.md",
                "{{#cell alpha/four}}\n\n{{#measurements alpha/speed}}\n\n{{#measurements alpha/nothing}}\n\n\
                 {{#quiz quiz.toml}}\n\n{{#quiz same.toml}}\n\n{{#quiz short.toml}}\n\n{{#quiz gone.toml}}\n\n\
                 see {{#measurements alpha/speed}}\n\n{{#quiz}}\n\n\
                 The run took 12.5 ms, then 13.75 ms, under a limit of 1,024 <!-- not from a run: 1,024 (a limit) -->.\n\n\
                 As chapter 1 showed, and [chapter 2](../beta/index.md) and chapter 3 did not, the fourth \
                 exercise below calls `invented_call(1)` and `uv_poll(2)`. <!-- not in the code: uv_poll (libuv's) -->\n",
            ),
            (
                "src/SUMMARY.md",
                "# Summary\n\n[Intro](intro.md)\n\n# Part\n\n- [Alpha](alpha/index.md)\n- [Beta](beta/index.md)\n",
            ),
        ],
    );
    let workspace = Workspace::at(dir.path());
    let catalog = workspace.catalog().expect("the fixture's catalog loads");
    let machine = Machine::current();
    // `one` has an output whose rule matches nothing; `three`'s output was
    // captured from other source; `two` was never captured.
    outputs::save(catalog.get("alpha/one").unwrap(), &outcome("no timing here\n"), &machine).unwrap();
    // `four` drew three figures: one described as support's charts describe
    // theirs, one drawn by hand with no words, one whose words are empty.
    let mut four = outcome("four took 12.5 ms\n");
    let words = |how: &str| support::figure::Description {
        title: "Bars".into(),
        description: "one bar, 3 high".into(),
        how_to_read: how.into(),
    };
    four.figures = vec![
        ("good".into(), support::figure::describe("<svg><rect/></svg>", &words("One bar per run."))),
        ("bare".into(), "<svg><rect/></svg>".into()),
        ("empty".into(), support::figure::describe("<svg><rect/></svg>", &words(" "))),
        (
            // A stepper's message that points at a line that has changed.
            "steps".into(),
            support::figure::describe(
                "<svg data-sequence=\"true\"><g class=\"nb-step\" data-step=\"1\" \
                 data-where=\"alpha/src/lib.rs:1\" data-code=\"let x = 0;\"><line/></g></svg>",
                &words("One arrow per message."),
            ),
        ),
    ];
    outputs::save(catalog.get("alpha/four").unwrap(), &four, &machine).unwrap();
    let mut three = catalog.get("alpha/three").unwrap().clone();
    three.source.push_str("// an edit after the capture\n");
    outputs::save(&three, &outcome("three\n"), &machine).unwrap();
    // `five` asks for a distribution of 3 runs and has none stored.
    outputs::save(catalog.get("alpha/five").unwrap(), &outcome("five\n"), &machine).unwrap();

    let problems: Vec<String> = check(&workspace).expect("the checks run").iter().map(ToString::to_string).collect();
    let expected = [
        "chapters-code: example name `two` is used by alpha/two and unused/two; cargo puts all examples in one folder, so names must differ",
        "chapters-code/alpha/examples/five.rs: cell `alpha/five` declares runs = 3 but has no stored distribution; run `cargo book capture --cell alpha/five`",
        "chapters-code/alpha/examples/four.rs: cell `alpha/four`, figure `bare`: its <svg> has no role=\"img\"; draw it with support's charts, which describe it",
        "chapters-code/alpha/examples/four.rs: cell `alpha/four`, figure `empty`: its words are empty: a how-to-read caption",
        "chapters-code/alpha/examples/four.rs: cell `alpha/four`, figure `steps`: alpha/src/lib.rs:1 sent a message from `let x = 0;` and is `// ANCHOR: present` now; run `cargo book capture --cell alpha/four`",
        "chapters-code/alpha/examples/one.rs: cell `alpha/one` is placed more than once: src/alpha/index.md:3, src/alpha/index.md:17",
        "chapters-code/alpha/examples/one.rs: cell `alpha/one`: rule \"time\" matches nothing in the stored output",
        "chapters-code/alpha/examples/three.rs: cell `alpha/three` changed since its output was captured; run `cargo book capture --cell alpha/three`",
        "chapters-code/alpha/examples/two.rs: cell `alpha/two` has no stored output; run `cargo book capture --cell alpha/two`",
        "chapters-code/beta: chapter crate `beta` is not used by any page of the book",
        "chapters-code/unused: chapter crate `unused` has no chapter folder `src/unused/`",
        "chapters-code/unused: chapter crate `unused` is not used by any page of the book",
        "chapters-code/unused/examples/two.rs: cell `unused/two` has no stored output; run `cargo book capture --cell unused/two`",
        "chapters-code/unused/examples/two.rs: cell `unused/two` is not placed in the book",
        "src: in 6 of 6 single-answer questions the right answer is the longest option; at most 2 (40%) may be, or picking the longest passes: shorten the answer or give a distractor the detail of a real misconception, in some of: a1, a2, a3, o1, a2, o3",
        "src: question id `a2` is used in src/alpha/quiz.toml and src/other/quiz.toml",
        "src/alpha/index.md:11: `../../chapters-code/alpha/src/lib.rs` has no anchor `missing`",
        "src/alpha/index.md:12: included file `../../chapters-code/alpha/src/gone.rs` does not exist",
        "src/alpha/index.md:25: schedule `alpha/race`: chapters-code/alpha/src/lib.rs:1 was `let x = 0;` when the runs were recorded and is `// ANCHOR: present` now: run `cargo book capture --schedules`",
        "src/alpha/index.md:27: schedule `alpha/gone` has no stored runs (chapters-code/alpha/outputs/gone.schedules.json); run `cargo book capture --schedules`",
        "src/alpha/index.md:29: cell `alpha/five` has no stored distribution to predict",
        "src/alpha/index.md:31: reading src/alpha/diagrams.toml: No such file or directory (os error 2)",
        "src/alpha/index.md:5: unknown cell `alpha/nope`",
        "src/alpha/index.md:7: malformed cell directive `{{#cell}}`; write `{{#cell crate/example}}`",
        "src/beta/index.md: the chapter has no knowledge check: add `{{#quiz quiz.toml}}`",
        "src/beta/index.md: the chapter has no picture of its idea: add a diagram to diagrams.toml and place it with `{{#diagram name}}`",
        "src/other/index.md:1: chapter folder `other` places cell `alpha/four` of another chapter's crate",
        "src/other/index.md:11: src/other/short.toml: 2 question(s); a knowledge check has at least 3",
        "src/other/index.md:13: reading quiz src/other/gone.toml: No such file or directory (os error 2)",
        "src/other/index.md:15: a measurements directive must stand alone on its line",
        "src/other/index.md:17: malformed quiz directive `{{#quiz}}`; write `{{#quiz quiz.toml}}`",
        "src/other/index.md:19: 13.75 is not among the numbers this page's runs show (outputs, figures, tables): quote the run, or name it in a `not from a run:` comment with why",
        "src/other/index.md:21: \"fourth exercise below\" points by position, which moves when the page does: link to its anchor",
        "src/other/index.md:21: `invented_call(…)` is called in the text but no code of the book uses `invented_call`: name a function that exists, or say why in a `not in the code: invented_call (why)` comment",
        "src/other/index.md:21: chapter 1 is named but the page never links to it: make a mention a link, [chapter 1](../alpha/index.md)",
        "src/other/index.md:21: chapter 3 is named, but the book has 2 chapters",
        "src/other/index.md:3: `alpha/speed` has no stored medians; run `cargo book measure --bench alpha/speed`",
        "src/other/index.md:5: unknown benchmark `alpha/nothing`",
        "src/other/index.md:9: src/other/same.toml: question 1 (`s1`): the choice \"right\" appears twice (as an answer or a distractor)",
    ];
    assert_eq!(problems, expected, "all problems:\n{}", problems.join("\n"));
}

#[test]
fn the_running_page_states_the_limits_the_runner_enforces() {
    let limits = notebook::runner::Limits::CELL;
    let live = notebook::runner::Limits::LIVE;
    let page = std::fs::read_to_string(Workspace::here().src().join("running-this-book.md")).unwrap();
    // Lines are wrapped, so compare with the whitespace folded.
    let page = page.split_whitespace().collect::<Vec<_>>().join(" ");
    for said in [
        format!("prints more than {} MiB", limits.output_bytes >> 20),
        format!("more than {} processes", limits.processes),
        format!("more than {} GiB of memory", limits.memory_bytes >> 30),
        format!("up to {} s", limits.max_timeout.as_secs()),
        format!(
            "time limit or {}",
            if live.max_timeout.as_secs() == 60 {
                "a minute".to_string()
            } else {
                format!("{} s", live.max_timeout.as_secs())
            }
        ),
    ] {
        assert!(page.contains(&said), "src/running-this-book.md should say \"{said}\"");
    }
}
