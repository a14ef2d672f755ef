//! A real browser reads the served book: headless Chromium, driven through
//! chromedriver, opens a chapter, edits a cell, runs it with Shift+Enter
//! and Ctrl+Enter (and Run all, which stops at the cell that fails) and
//! sees its output; the edit and its output survive a reload, and Reset
//! brings the book's code and output back. Then the reader takes a
//! chapter's knowledge check: starts it, answers every question right by
//! clicking, and sees the result and the explanations. Then, with the
//! keyboard alone, the reader is the scheduler of a race and of a deadlock
//! (the interleaving players). Last, axe-core checks pages and a cell after a run
//! ([`crate::accessibility`]).
//!
//! Needs `chromium` and `chromedriver` (Debian: `apt-get install chromium
//! chromium-driver`; `.ci/run` installs them). Without them the test says so
//! and passes, except under CI (`CI` set), where a missing browser is a
//! failure: the suite must not go green by skipping its only browser check.
//! `CHROMIUM` and `CHROMEDRIVER` name other binaries.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use notebook::serve::{self, Server};
use serde_json::json;

use crate::util::workspace;

/// The cell the test edits.
const CELL: &str = "foundations/task_graph";
/// What the reader types, line by line, with no indentation: the editor
/// indents. A hidden block of its own (folded as the book's are), and a
/// mistake the compiler will point at.
const TYPED_WRONG: &str = "// HIDE_START\nuse std::fmt::Write;\n// HIDE_END\nfn main() {\nlet answer: u32 = \"42\";\nprintln!(\"edited in a real browser: {}\", answer);\n}";
/// The same, put right.
const TYPED: &str = "// HIDE_START\nuse std::fmt::Write;\n// HIDE_END\nfn main() {\nlet answer: u32 = 6 * 7;\nprintln!(\"edited in a real browser: {}\", answer);\n}";
/// What the editor holds after typing `TYPED`: auto-indented.
const EDITED: &str = "// HIDE_START\nuse std::fmt::Write;\n// HIDE_END\nfn main() {\n    let answer: u32 = 6 * 7;\n    println!(\"edited in a real browser: {}\", answer);\n}";
const EXPECTED: &str = "edited in a real browser: 42";
/// Generous: the first run of a cell compiles it.
const PATIENCE: Duration = Duration::from_secs(90);

#[test]
fn a_reader_edits_and_runs_a_cell_in_a_real_browser() {
    let Some((chromium, chromedriver)) = find_browser() else {
        if std::env::var_os("CI").is_some() {
            panic!("CI is set but chromium or chromedriver is missing: install them (see .ci/run)");
        }
        eprintln!("skipped: chromium and chromedriver not found (install them to run the browser test)");
        return;
    };
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let ws = workspace();
        let mut options = serve::Options::new(&ws);
        let book_dir = tempfile::tempdir().unwrap();
        options.book_dir = book_dir.path().to_path_buf();
        options.watch = false;
        let server = serve::start(ws, options).await.expect("the notebook server starts");
        // The reader's steps below are timed against PATIENCE; the crates'
        // preparation (served pages wait for it) is not part of them.
        assert_eq!(server.prepared().await, serve::Prepared::Ready, "the chapter crates were not prepared");
        let driver = Driver::start(&chromedriver);
        let profile = tempfile::tempdir().unwrap();
        let client = browser(&driver, &chromium, profile.path()).await;
        let mut result = reader_session(&client, &server).await;
        if result.is_ok() {
            result = quiz_session(&client, &server).await;
        }
        if result.is_ok() {
            result = schedule_session(&client, &server).await;
        }
        if result.is_ok() {
            result = stepper_session(&client, &server).await;
        }
        if result.is_ok() {
            result = print_session(&client, &server).await;
        }
        if result.is_ok() {
            result = crate::accessibility::accessibility_session(&client, &server).await;
        }
        if result.is_ok() {
            result = crate::accessibility::figures_session(&client, &server).await;
        }
        let _ = screenshot(&client, "last").await;
        client.close().await.ok();
        result.unwrap();
    });
}

async fn reader_session(client: &Client, server: &Server) -> Result<(), String> {
    // The address the server prints carries the token; the server trades it
    // for a cookie and sends the browser to the book.
    client.goto(&server.url()).await.map_err(|e| format!("opening {}: {e}", server.url()))?;
    let page = format!("{}/foundations/index.html", server.base());
    client.goto(&page).await.map_err(|e| e.to_string())?;
    let cell = format!("#cell-{}", CELL.replace('/', "-"));
    let editor = format!("{cell} .cm-content");

    // Live mode: the page found the server and turned the cell into an
    // editor, which holds the whole program but shows none of the book's
    // machinery: the hidden lines are folded, the markers never shown.
    wait_for(client, &editor).await?;
    let original = code_of(client, &cell).await?;
    if !original.contains("fn main") || !original.contains("HIDE_START") {
        return Err(format!("the editor does not hold the cell's whole program: {original:?}"));
    }
    let visible = text_of(client, &editor).await?;
    if visible.contains("HIDE_START") || visible.contains("//!") || !visible.contains("fn main") {
        return Err(format!("the editor shows the book's machinery, or not the code: {visible:?}"));
    }
    let fold = text_of(client, &format!("{cell} .nb-fold")).await?;
    if !fold.contains("hidden line") {
        return Err(format!("no fold says how many lines are hidden: {fold:?}"));
    }
    click(client, &format!("{cell} .nb-show-hidden")).await?;
    let unfolded = text_of(client, &editor).await?;
    if !unfolded.contains("use ") || unfolded.contains("HIDE_START") {
        return Err(format!("showing hidden lines should show them, and still not the markers: {unfolded:?}"));
    }
    click(client, &format!("{cell} .nb-show-hidden")).await?;

    // Type a program with a mistake over the old one, as a reader would,
    // and run it with Shift+Enter: the compiler's message appears in place,
    // and in full under the cell.
    type_over(client, &editor, TYPED_WRONG).await?;
    if text_of(client, &editor).await?.contains("std::fmt::Write") {
        return Err("the reader's own hidden block is not folded".into());
    }
    let shift_enter = format!("{}{}", char::from(Key::Shift), char::from(Key::Enter));
    let content = client.find(Locator::Css(&editor)).await.map_err(|e| e.to_string())?;
    content.send_keys(&shift_enter).await.map_err(|e| e.to_string())?;
    wait_for_text(client, &format!("{cell} .nb-status"), "did not compile").await?;
    wait_for_text(client, &format!("{cell} .nb-inline-error"), "mismatched types").await?;
    wait_for(client, &format!("{cell} .cm-lintRange-error")).await?;
    wait_for_text(client, &format!("{cell} .nb-build"), "error[E0308]").await?;
    let _ = screenshot(client, "compile-error").await;

    // Run all starts with this cell, the page's first, and stops there,
    // saying why: the cells after it do not run.
    click(client, ".nb-run-all").await?;
    wait_for_text(client, ".nb-page-toolbar .nb-status", &format!("stopped at cell {CELL}: it did not compile"))
        .await?;

    // Put right and run again. The compiler warns about the unused import,
    // which sits in the folded lines: they unfold to show it.
    type_over(client, &editor, TYPED).await?;
    let typed = code_of(client, &cell).await?;
    if typed.trim_end() != EDITED {
        return Err(format!("typing went wrong (the editor indents as it goes): {typed:?}"));
    }
    // Ctrl+Enter runs too, as in mdBook's playground and Jupyter.
    let ctrl_enter = format!("{}{}", char::from(Key::Control), char::from(Key::Enter));
    let content = client.find(Locator::Css(&editor)).await.map_err(|e| e.to_string())?;
    content.send_keys(&ctrl_enter).await.map_err(|e| e.to_string())?;
    wait_for_text(client, &format!("{cell} .nb-output"), EXPECTED).await?;
    wait_for_text(client, &format!("{cell} .nb-status"), "done").await?;
    wait_for_text(client, &format!("{cell} .nb-inline-warning"), "unused import").await?;
    if !text_of(client, &editor).await?.contains("std::fmt::Write") {
        return Err("a warning in hidden lines did not unfold them".into());
    }
    let output = text_of(client, &format!("{cell} .nb-output")).await?;
    if output.contains("Waves:") {
        return Err(format!("the stored output is still shown after the run: {output}"));
    }
    // Compared with the book's run, this one differs.
    click(client, &format!("{cell} .nb-compare")).await?;
    wait_for_text(client, &format!("{cell} .nb-comparison"), "differs from the book's").await?;
    let _ = screenshot(client, "ran").await;

    // A reload keeps the edit (it lives in the browser's storage).
    client.refresh().await.map_err(|e| e.to_string())?;
    wait_for(client, &editor).await?;
    let kept = code_of(client, &cell).await?;
    if kept.trim_end() != EDITED {
        return Err(format!("the edit was lost on reload: {kept:?}"));
    }
    let classes = client
        .find(Locator::Css(&cell))
        .await
        .map_err(|e| e.to_string())?
        .attr("class")
        .await
        .map_err(|e| e.to_string())?
        .unwrap_or_default();
    if !classes.contains("nb-is-edited") {
        return Err(format!("the reloaded cell is not marked edited: {classes:?}"));
    }
    // So does the output of the last run, marked as the reader's.
    wait_for_text(client, &format!("{cell} .nb-kept"), "Your last run").await?;
    wait_for_text(client, &format!("{cell} .nb-output"), EXPECTED).await?;

    // Reset brings back the book's code and its stored output; run as the
    // book has it, the program prints what the book shows, up to the
    // variation its rules expect.
    click(client, &format!("{cell} .nb-reset")).await?;
    let reset = code_of(client, &cell).await?;
    if reset != original {
        return Err(format!("Reset did not restore the code: {reset:?}"));
    }
    wait_for_text(client, &format!("{cell} .nb-output"), "Waves: [1] [2 3 4] [5]").await?;
    click(client, &format!("{cell} .nb-run")).await?;
    wait_for_text(client, &format!("{cell} .nb-status"), "done").await?;
    click(client, &format!("{cell} .nb-compare")).await?;
    wait_for_text(client, &format!("{cell} .nb-comparison"), "Same as the book's run").await?;

    // By keyboard alone: Escape, then Tab, leaves the editor.
    let content = client.find(Locator::Css(&editor)).await.map_err(|e| e.to_string())?;
    content.click().await.map_err(|e| e.to_string())?;
    content.send_keys(&char::from(Key::Escape).to_string()).await.map_err(|e| e.to_string())?;
    content.send_keys(&char::from(Key::Tab).to_string()).await.map_err(|e| e.to_string())?;
    let focused = client
        .execute(
            "var e = document.activeElement; return [!!e.closest('.cm-editor'), e.outerHTML.slice(0, 120)];",
            vec![],
        )
        .await
        .map_err(|e| e.to_string())?;
    if focused[0] != json!(false) {
        return Err(format!("Escape then Tab did not leave the editor; the focus is on {}", focused[1]));
    }

    // In a dark theme the cell is still readable: its text is not drawn in
    // the colour of its background.
    client
        .execute("localStorage.setItem('mdbook-theme', 'coal'); return true;", vec![])
        .await
        .map_err(|e| e.to_string())?;
    client.refresh().await.map_err(|e| e.to_string())?;
    wait_for(client, &editor).await?;
    let colours = client
        .execute(
            "var cell = document.querySelector(arguments[0]);
             var look = function (sel) {
                 var s = getComputedStyle(cell.querySelector(sel));
                 return [s.color, s.backgroundColor];
             };
             var editor = getComputedStyle(cell.querySelector('.cm-editor'));
             return [document.documentElement.className, look('.nb-text'),
                     [getComputedStyle(cell.querySelector('.cm-line')).color, editor.backgroundColor],
                     look('.nb-run')];",
            vec![json!(cell)],
        )
        .await
        .map_err(|e| e.to_string())?;
    let _ = screenshot(client, "dark").await;
    if !colours[0].as_str().unwrap_or_default().contains("coal") {
        return Err(format!("the page did not switch to the dark theme: {colours}"));
    }
    for pair in colours.as_array().into_iter().flatten().skip(1) {
        if pair[0] == pair[1] {
            return Err(format!("text drawn in its background's colour in the dark theme: {colours}"));
        }
    }
    Ok(())
}

/// The whole program in a cell's editor, hidden lines included.
async fn code_of(client: &Client, cell: &str) -> Result<String, String> {
    let code = client
        .execute(
            "var found = NotebookEditor.find(document.querySelector(arguments[0] + ' .cm-content'));
             return found ? found.getCode() : null;",
            vec![json!(cell)],
        )
        .await
        .map_err(|e| e.to_string())?;
    code.as_str().map(str::to_string).ok_or_else(|| format!("no editor in {cell}"))
}

/// Selects everything in an editor and types `text` over it, a key at a time.
async fn type_over(client: &Client, editor: &str, text: &str) -> Result<(), String> {
    let content = client.find(Locator::Css(editor)).await.map_err(|e| e.to_string())?;
    content.click().await.map_err(|e| e.to_string())?;
    let select_all = format!("{}a{}", char::from(Key::Control), char::from(Key::Null));
    content.send_keys(&select_all).await.map_err(|e| e.to_string())?;
    content.send_keys(&char::from(Key::Backspace).to_string()).await.map_err(|e| e.to_string())?;
    content.send_keys(text).await.map_err(|e| e.to_string())
}

/// Clicks the element, first brought to the middle of the window, as a
/// reader would scroll to it: at the window's edge, mdBook's menu bar,
/// which stays at the top, may be over it.
pub(crate) async fn click(client: &Client, css: &str) -> Result<(), String> {
    let element = wait_for(client, css).await?;
    client
        .execute("arguments[0].scrollIntoView({block: 'center'}); return true;", vec![json!(element)])
        .await
        .map_err(|e| format!("scrolling to {css}: {e}"))?;
    element.click().await.map_err(|e| format!("clicking {css}: {e}"))
}

/// The chapter whose knowledge check the reader takes.
const QUIZ_PAGE: &str = "blocking-io/index.html";

/// Text as the page shows it: markdown's backticks are gone, and spacing is
/// collapsed.
fn shown(markdown: &str) -> String {
    markdown.replace('`', "").split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A chapter printed to PDF, as a reader prints it: several pages, and in
/// print the cells' toolbars are gone while code, output and figures stay.
async fn print_session(client: &Client, server: &Server) -> Result<(), String> {
    let page = format!("{}/foundations/index.html", server.base());
    client.goto(&page).await.map_err(|e| e.to_string())?;
    wait_for(client, ".nb-toolbar").await?;
    let pdf = client.print(Default::default()).await.map_err(|e| format!("printing: {e}"))?;
    if !pdf.starts_with(b"%PDF") {
        return Err("printing did not give a PDF".into());
    }
    let pages = pdf.windows(b"/Type /Page\n".len()).filter(|w| *w == b"/Type /Page\n").count()
        + pdf.windows(b"/Type /Page/".len()).filter(|w| *w == b"/Type /Page/").count()
        + pdf.windows(b"/Type /Page>".len()).filter(|w| *w == b"/Type /Page>").count();
    if pages < 2 {
        return Err(format!("a whole chapter printed on {pages} page(s)"));
    }
    // What print shows, by the page's own print rules: ask each element's
    // style as print would compute it (the rules of `@media print` that
    // match it).
    let hidden = client
        .execute(
            "var hides = function (el) {
                 for (var sheet of document.styleSheets) {
                     var rules; try { rules = sheet.cssRules; } catch (e) { continue; }
                     for (var rule of rules) {
                         if (!(rule instanceof CSSMediaRule) || rule.conditionText !== 'print') continue;
                         for (var inner of rule.cssRules) {
                             if (inner.style && inner.style.display === 'none' && el.matches(inner.selectorText)) return true;
                         }
                     }
                 }
                 return false;
             };
             return [hides(document.querySelector('.nb-toolbar')),
                     hides(document.querySelector('.nb-output pre')),
                     hides(document.querySelector('.nb-figure'))];",
            vec![],
        )
        .await
        .map_err(|e| e.to_string())?;
    if hidden != json!([true, false, false]) {
        return Err(format!("in print, (toolbar, output, figure) hidden: {hidden}; want only the toolbar"));
    }
    std::fs::write(workspace().root.join("target/notebook/e2e/foundations.pdf"), &pdf).map_err(|e| e.to_string())?;
    Ok(())
}

async fn quiz_session(client: &Client, server: &Server) -> Result<(), String> {
    let err = |e: fantoccini::error::CmdError| e.to_string();
    client.goto(&format!("{}/{QUIZ_PAGE}", server.base())).await.map_err(err)?;
    // The questions, as the page received them, tell the test what to pick.
    let questions = client
        .execute(
            "return JSON.parse(document.querySelector('.quiz-placeholder').dataset.quizQuestions).questions;",
            vec![],
        )
        .await
        .map_err(err)?;
    let questions = questions.as_array().cloned().unwrap_or_default();
    if questions.is_empty() {
        return Err("the page has no quiz questions".into());
    }
    let start = wait_for(client, ".mdbook-quiz button.start").await?;
    start.click().await.map_err(err)?;
    for (n, question) in questions.iter().enumerate() {
        let answers: Vec<String> = match &question["answer"]["answer"] {
            serde_json::Value::String(one) => vec![shown(one)],
            serde_json::Value::Array(many) => many.iter().filter_map(|a| a.as_str()).map(shown).collect(),
            other => return Err(format!("question {n}: unexpected answer {other}")),
        };
        let prompt = shown(question["prompt"]["prompt"].as_str().unwrap_or_default());
        let prompt_start: String = prompt.chars().take(30).collect();
        wait_for_text(client, ".mdbook-quiz", &prompt_start).await?;
        // Click each right choice, as a reader would.
        let choices = client
            .find_all(Locator::Css(".mdbook-quiz input[type=radio], .mdbook-quiz input[type=checkbox]"))
            .await
            .map_err(err)?;
        let mut clicked = 0;
        for choice in choices {
            let id = choice.attr("id").await.map_err(err)?.unwrap_or_default();
            let label = client.find(Locator::Css(&format!("label[for='{id}']"))).await.map_err(err)?;
            let text = shown(&label.text().await.map_err(err)?);
            if answers.contains(&text) {
                choice.click().await.map_err(err)?;
                clicked += 1;
            }
        }
        if clicked != answers.len() {
            let _ = screenshot(client, "quiz-choices").await;
            return Err(format!("question {n}: found {clicked} of the answers {answers:?} among the choices"));
        }
        client.find(Locator::Css(".mdbook-quiz input[type=submit]")).await.map_err(err)?.click().await.map_err(err)?;
    }
    // The end: every answer right, and the explanations shown.
    let total = questions.len();
    wait_for_text(client, ".mdbook-quiz", &format!("You answered {total}/{total} questions correctly")).await?;
    let _ = screenshot(client, "quiz-done").await;
    let first_context = shown(questions[0]["context"].as_str().unwrap_or_default());
    let context_start: String = first_context.chars().take(40).collect();
    wait_for_text(client, ".mdbook-quiz", &context_start).await?;
    Ok(())
}

/// The chapter with interleaving players, the first of them, and the
/// chapter whose player can deadlock.
const SCHEDULE_PAGE: &str = "shared-state/index.html";
const LOST_UPDATE: &str = "#schedule-shared-state-lost_update";
const DEADLOCK_PAGE: &str = "deadlock/index.html";
const TWO_LOCKS: &str = "#schedule-deadlock-two_locks";

/// Being the scheduler with the keyboard alone. On the lost update, the
/// reader alternates the threads (`a`, `b`, ...) until both have written
/// the same value, sees the outcome and how many runs end so, goes back one
/// step (←); then Tabs to "Show a run that ends with: counter = 4", presses
/// Enter, and takes that run's steps with →. On the two transfers, the
/// reader makes each thread take its first lock and then wait for the
/// other's: a deadlock, drawn as its wait-for cycle.
async fn schedule_session(client: &Client, server: &Server) -> Result<(), String> {
    let err = |e: fantoccini::error::CmdError| e.to_string();
    client.goto(&format!("{}/{SCHEDULE_PAGE}", server.base())).await.map_err(err)?;
    let player = format!("{LOST_UPDATE} .nb-schedule-player");
    let outcome = format!("{LOST_UPDATE} .nb-schedule-outcome");
    let status = format!("{LOST_UPDATE} .nb-schedule-status");
    wait_for(client, &player).await?;
    // How many runs end each way, as the page received them.
    let data = client
        .execute(
            "var d = JSON.parse(document.querySelector(arguments[0] + ' .nb-schedule-data').textContent);
             var count = {};
             d.outcomes.forEach(function (o) { count[o.outcome] = [o.runs, d.runs[o.run].steps.length]; });
             return [d.runs.length, count];",
            vec![json!(LOST_UPDATE)],
        )
        .await
        .map_err(err)?;
    let runs = data[0].as_u64().unwrap_or_default();
    let ends = |outcome: &str| -> Result<(u64, u64), String> {
        let found = &data[1][outcome];
        match (found[0].as_u64(), found[1].as_u64()) {
            (Some(count), Some(steps)) => Ok((count, steps)),
            _ => Err(format!("the lost update has no outcome {outcome:?}: {data}")),
        }
    };

    // The player has the focus, as after a Tab to it; from here on, keys.
    focus(client, &player).await?;
    for key in ["a", "b", "a", "b", "a", "b", "a", "b"] {
        press(client, key).await?;
    }
    let (count, _) = ends("counter = 2")?;
    wait_for_text(client, &outcome, &format!("counter = 2: {count} of the {runs} runs end this way")).await?;
    wait_for_text(client, &status, "Step 8: B writes 2 to counter").await?;
    let history =
        client.find_all(Locator::Css(&format!("{LOST_UPDATE} .nb-schedule-history li"))).await.map_err(err)?;
    if history.len() != 8 {
        return Err(format!("after eight steps the history lists {}", history.len()));
    }
    let _ = screenshot(client, "schedule-lost-update").await;

    // One step back: the run is no longer complete, and B's write is next.
    press(client, &char::from(Key::Left).to_string()).await?;
    wait_for_text(client, &status, "Back to step 7").await?;
    if text_of(client, &outcome).await?.contains("Run complete") {
        return Err("going back one step still shows the run as complete".into());
    }
    wait_for_text(client, &format!("{LOST_UPDATE} .nb-schedule-threads"), "B: writes 2 to counter").await?;

    // Tab to the button that shows a run ending with counter = 4, and
    // press Enter.
    let show = "Show a run that ends with: counter = 4";
    let mut found = false;
    for _ in 0..20 {
        press(client, &char::from(Key::Tab).to_string()).await?;
        if client.active_element().await.map_err(err)?.text().await.map_err(err)? == show {
            found = true;
            break;
        }
    }
    if !found {
        return Err(format!("Tab never reached {show:?}"));
    }
    press(client, &char::from(Key::Enter).to_string()).await?;
    wait_for_text(client, &status, "Showing a run that ends with: counter = 4").await?;
    let (count, steps) = ends("counter = 4")?;
    for _ in 0..steps {
        press(client, &char::from(Key::Right).to_string()).await?;
    }
    wait_for_text(client, &outcome, &format!("counter = 4: {count} of the {runs} runs end this way")).await?;
    wait_for_text(client, &format!("{LOST_UPDATE} .nb-schedule-controls"), "End of the run that ends with counter = 4")
        .await?;

    // The two transfers: each thread takes its first lock, then waits.
    client.goto(&format!("{}/{DEADLOCK_PAGE}", server.base())).await.map_err(err)?;
    let player = format!("{TWO_LOCKS} .nb-schedule-player");
    wait_for(client, &player).await?;
    focus(client, &player).await?;
    for key in ["a", "b", "a", "b"] {
        press(client, key).await?;
    }
    wait_for_text(client, &format!("{TWO_LOCKS} .nb-schedule-outcome"), "deadlock:").await?;
    wait_for_text(client, &format!("{TWO_LOCKS} .nb-schedule-threads"), "A: waiting for account B, which B holds")
        .await?;
    let picture = client
        .execute(
            "var svg = document.querySelector(arguments[0] + ' .nb-schedule-outcome svg[role=img]');
             return svg ? [svg.querySelector('title').textContent, svg.querySelector('desc').textContent,
                           svg.querySelectorAll('line').length] : null;",
            vec![json!(TWO_LOCKS)],
        )
        .await
        .map_err(err)?;
    let desc = picture[1].as_str().unwrap_or_default();
    if !desc.contains("A holds account A and waits for account B")
        || !desc.contains("a cycle")
        || picture[2] != json!(4)
    {
        return Err(format!("no wait-for cycle drawn for the deadlock, or not described: {picture}"));
    }
    let _ = screenshot(client, "schedule-deadlock").await;
    Ok(())
}

/// The stepper of the event loop's run, with the keyboard only: the
/// Right arrow walks forward a message at a time, printing what each
/// means, the Left arrow goes back, End goes to the last; and the arrows
/// do not turn the page, as mdBook's own keys would.
async fn stepper_session(client: &Client, server: &Server) -> Result<(), String> {
    let err = |e: fantoccini::error::CmdError| e.to_string();
    let page = format!("{}/event-loop/index.html", server.base());
    client.goto(&page).await.map_err(err)?;
    let stepper = "figure.nb-stepper";
    wait_for(client, &format!("{stepper} .nb-stepper-controls")).await?;
    // What the page holds: every message's sentence, in order.
    let meanings = client
        .execute(
            "return Array.prototype.map.call(document.querySelectorAll(arguments[0] + ' g.nb-step'),
                 function (g) { return g.getAttribute('data-meaning'); });",
            vec![json!(stepper)],
        )
        .await
        .map_err(err)?;
    let meanings: Vec<String> = meanings
        .as_array()
        .map(|all| all.iter().filter_map(|m| m.as_str().map(str::to_string)).collect())
        .unwrap_or_default();
    if meanings.len() < 3 {
        return Err(format!("the stepper has {} messages", meanings.len()));
    }
    let count = format!("{stepper} .nb-stepper-count");
    let meaning = format!("{stepper} .nb-stepper-meaning");
    focus(client, &format!("{stepper} svg")).await?;
    let right = char::from(Key::Right).to_string();
    for _ in 0..3 {
        press(client, &right).await?;
    }
    wait_for_text(client, &count, &format!("Message 3 of {}", meanings.len())).await?;
    wait_for_text(client, &meaning, &format!("3. {}", meanings[2])).await?;
    press(client, &char::from(Key::Left).to_string()).await?;
    wait_for_text(client, &count, &format!("Message 2 of {}", meanings.len())).await?;
    press(client, &char::from(Key::End).to_string()).await?;
    let last = meanings.len();
    wait_for_text(client, &count, &format!("Message {last} of {last}")).await?;
    wait_for_text(client, &meaning, &format!("{last}. {}", meanings[last - 1])).await?;
    let current = client.find_all(Locator::Css(&format!("{stepper} g.nb-step.nb-step-current"))).await.map_err(err)?;
    if current.len() != 1 {
        return Err(format!("{} messages are drawn as the current one", current.len()));
    }
    let url = client.current_url().await.map_err(err)?;
    if !url.as_str().contains("event-loop/index.html") {
        return Err(format!("the arrow keys turned the page to {url}"));
    }
    let _ = screenshot(client, "stepper-event-loop").await;

    // Served, running the cell draws the reader's own run in place of the
    // book's, and it can be stepped through the same way.
    let cell = "#cell-event-loop-loop_steps";
    click(client, &format!("{cell} .nb-run")).await?;
    let live = format!("{cell} .nb-output figure.nb-stepper");
    wait_for(client, &format!("{live} .nb-stepper-controls")).await?;
    focus(client, &format!("{live} svg")).await?;
    press(client, &right).await?;
    wait_for_text(client, &format!("{live} .nb-stepper-count"), "Message 1 of").await?;
    Ok(())
}

/// Moves the focus to the element, as a reader's Tab would.
async fn focus(client: &Client, css: &str) -> Result<(), String> {
    let element = wait_for(client, css).await?;
    client
        .execute(
            "arguments[0].scrollIntoView({block: 'center'}); arguments[0].focus(); return true;",
            vec![json!(element)],
        )
        .await
        .map(|_| ())
        .map_err(|e| format!("focusing {css}: {e}"))
}

/// Presses a key where the focus is.
async fn press(client: &Client, key: &str) -> Result<(), String> {
    let focused = client.active_element().await.map_err(|e| e.to_string())?;
    focused.send_keys(key).await.map_err(|e| format!("pressing {key:?}: {e}"))
}

/// Waits until an element matching `css` exists.
pub(crate) async fn wait_for(client: &Client, css: &str) -> Result<fantoccini::elements::Element, String> {
    let deadline = Instant::now() + PATIENCE;
    loop {
        if let Ok(found) = client.find(Locator::Css(css)).await {
            return Ok(found);
        }
        if Instant::now() > deadline {
            return Err(format!("no element `{css}` after {PATIENCE:?}"));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn text_of(client: &Client, css: &str) -> Result<String, String> {
    client.find(Locator::Css(css)).await.map_err(|e| format!("`{css}`: {e}"))?.text().await.map_err(|e| e.to_string())
}

/// Waits until the element's text contains `expected`.
pub(crate) async fn wait_for_text(client: &Client, css: &str, expected: &str) -> Result<(), String> {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let text = text_of(client, css).await.unwrap_or_default();
        if text.contains(expected) {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err(format!("`{css}` never showed {expected:?}; it shows {text:?}"));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Saves what the browser shows to `target/notebook/e2e/<name>.png`, for a
/// person to look at when the test fails.
async fn screenshot(client: &Client, name: &str) -> Result<PathBuf, String> {
    let png = client.screenshot().await.map_err(|e| e.to_string())?;
    let dir = workspace().root.join("target/notebook/e2e");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let path = dir.join(format!("{name}.png"));
    std::fs::write(&path, png).map_err(|e| e.to_string())?;
    Ok(path)
}

fn find_browser() -> Option<(PathBuf, PathBuf)> {
    let chromium = binary("CHROMIUM", &["chromium", "chromium-browser", "google-chrome"])?;
    let chromedriver = binary("CHROMEDRIVER", &["chromedriver"])?;
    Some((chromium, chromedriver))
}

/// A program named by `var`, or the first of `names` on the PATH.
fn binary(var: &str, names: &[&str]) -> Option<PathBuf> {
    if let Some(path) = std::env::var_os(var) {
        return Some(PathBuf::from(path));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).flat_map(|dir| names.iter().map(move |n| dir.join(n))).find(|p| p.is_file())
}

/// chromedriver on a free loopback port; killed when dropped.
struct Driver {
    child: Child,
    port: u16,
}

impl Driver {
    fn start(program: &Path) -> Driver {
        // Ask the OS for a free port, then hand it to chromedriver.
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new(program)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("starting {}: {e}", program.display()));
        let driver = Driver { child, port };
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not listen on port {port} within 30 s");
            std::thread::sleep(Duration::from_millis(50));
        }
        driver
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn browser(driver: &Driver, chromium: &Path, profile: &Path) -> Client {
    let capabilities = json!({
        "goog:chromeOptions": {
            "binary": chromium,
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=1280,1600",
                format!("--user-data-dir={}", profile.display()),
            ]
        }
    });
    let serde_json::Value::Object(capabilities) = capabilities else { unreachable!("built as an object above") };
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    ClientBuilder::new(connector)
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .expect("chromedriver starts a Chromium session")
}
