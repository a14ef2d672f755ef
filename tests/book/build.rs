//! The book builds cleanly, and every internal link in it leads somewhere.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use regex::Regex;
use tracing::Level;
use tracing_subscriber::layer::SubscriberExt;

use crate::util::root;

/// Collects warnings and errors that mdBook and the notebook log.
#[derive(Clone, Default)]
struct Warnings(Arc<Mutex<Vec<String>>>);

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for Warnings {
    fn on_event(&self, event: &tracing::Event<'_>, _ctx: tracing_subscriber::layer::Context<'_, S>) {
        if *event.metadata().level() <= Level::WARN {
            let mut message = String::new();
            event.record(&mut MessageVisitor(&mut message));
            self.0.lock().unwrap().push(format!("{}: {message}", event.metadata().level()));
        }
    }
}

struct MessageVisitor<'a>(&'a mut String);

impl tracing::field::Visit for MessageVisitor<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.push_str(&format!("{}={value:?} ", field.name()));
    }
}

fn build_book() -> (tempfile::TempDir, Vec<String>) {
    let out = tempfile::tempdir().expect("a temporary folder");
    let warnings = Warnings::default();
    let subscriber = tracing_subscriber::registry().with(warnings.clone());
    tracing::subscriber::with_default(subscriber, || {
        notebook::book::build_into(&root(), out.path()).expect("the book builds");
    });
    let logged = warnings.0.lock().unwrap().clone();
    (out, logged)
}

#[test]
fn the_book_builds_without_warnings_and_its_links_resolve() {
    let (out, warnings) = build_book();
    assert!(warnings.is_empty(), "building the book logged:\n{}", warnings.join("\n"));
    let broken = broken_links(out.path());
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn cells_reach_the_page_with_their_output_and_caption() {
    let (out, _) = build_book();
    let page = std::fs::read_to_string(out.path().join("foundations/index.html")).expect("the chapter page");
    let catalog = crate::util::workspace().catalog().unwrap();
    for cell in catalog.iter().filter(|c| c.id.krate == "foundations") {
        let marker = format!("data-cell=\"{}\"", cell.id);
        assert!(page.contains(&marker), "{} is not on its page", cell.id);
    }
    assert!(page.contains("class=\"nb-text\""), "no output text on the page");
    assert!(page.contains("Output of a real run, captured"), "no capture caption on the page");
    assert!(page.contains("<svg"), "no figure on the page");
    assert!(!page.contains("{{#cell"), "an unexpanded cell directive");
    assert!(!page.contains("//@"), "a cell's spec leaked into the page");
}

/// Without JavaScript, every interleaving player of the built page is its
/// list: each `{{#schedule}}` figure holds its runs as data a player can read,
/// and every outcome with a run that ends in it, as numbered steps.
#[test]
fn schedules_reach_the_page_with_a_list_for_readers_without_javascript() {
    let (out, _) = build_book();
    let page = std::fs::read_to_string(out.path().join("shared-state/index.html")).expect("the chapter page");
    let figure = Regex::new(r#"(?s)<figure class="nb-schedule" id="([^"]+)".*?</figure>"#).unwrap();
    let data = Regex::new(r#"(?s)<script type="application/json" class="nb-schedule-data">(.*?)</script>"#).unwrap();
    let list = Regex::new(r#"(?s)<div class="nb-schedule-list">.*?<ol class="nb-schedule-steps">\s*<li>"#).unwrap();
    let figures: Vec<_> = figure.captures_iter(&page).collect();
    let ids: Vec<&str> = figures.iter().map(|f| f.get(1).unwrap().as_str()).collect();
    assert_eq!(
        ids,
        [
            "schedule-shared-state-lost_update",
            "schedule-shared-state-check_then_act",
            "schedule-shared-state-store_buffering"
        ],
        "the chapter's players"
    );
    for found in &figures {
        let (id, html) = (&found[1], &found[0]);
        let json = data.captures(html).unwrap_or_else(|| panic!("{id} carries no data"));
        let scenario: support::schedule::Scenario =
            serde_json::from_str(&json[1]).unwrap_or_else(|e| panic!("{id}'s data is not a scenario: {e}"));
        assert!(!scenario.runs.is_empty(), "{id} has no runs");
        assert!(list.is_match(html), "{id} has no list of steps for readers without JavaScript");
        for outcome in &scenario.outcomes {
            assert!(
                html.contains(&format!("<strong>{}</strong>", outcome.outcome)),
                "{id} does not list {}",
                outcome.outcome
            );
        }
    }
}

/// Every relative `href` and `src` of every page, resolved: the file exists
/// and, for `#fragment`, holds an element with that id.
fn broken_links(site: &Path) -> Vec<String> {
    let link = Regex::new(r#"(?:href|src)="([^"]*)""#).unwrap();
    let id = Regex::new(r#"\bid="([^"]*)""#).unwrap();
    let mut ids: HashMap<PathBuf, Vec<String>> = HashMap::new();
    let mut broken = Vec::new();
    let pages: Vec<PathBuf> = walkdir::WalkDir::new(site)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    for page in &pages {
        let html = std::fs::read_to_string(page).unwrap();
        for caps in link.captures_iter(&html) {
            let target = &caps[1];
            if target.is_empty()
                || target.contains("://")
                || target.starts_with("//")
                || target.starts_with("mailto:")
                || target.starts_with("javascript:")
                || target.starts_with("data:")
            {
                continue;
            }
            let (path, fragment) = match target.split_once('#') {
                Some((p, f)) => (p, Some(f)),
                None => (target, None),
            };
            let path = path.split('?').next().unwrap_or(path);
            let file = if path.is_empty() {
                page.clone()
            } else if let Some(abs) = path.strip_prefix('/') {
                site.join(abs)
            } else {
                page.parent().unwrap().join(path)
            };
            let file = if file.is_dir() { file.join("index.html") } else { file };
            let shown = format!("{}: {target}", page.strip_prefix(site).unwrap().display());
            let Ok(file) = file.canonicalize() else {
                broken.push(shown);
                continue;
            };
            if let Some(fragment) = fragment.filter(|f| !f.is_empty()) {
                let known = ids.entry(file.clone()).or_insert_with(|| {
                    let html = std::fs::read_to_string(&file).unwrap_or_default();
                    id.captures_iter(&html).map(|c| c[1].to_string()).collect()
                });
                if !known.iter().any(|k| k == fragment) {
                    broken.push(format!("{shown} (no element with id {fragment:?})"));
                }
            }
        }
    }
    broken
}
