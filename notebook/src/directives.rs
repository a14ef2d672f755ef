//! The book's directives: every `{{#...}}` of the markdown that the notebook
//! reads, parsed in one place into one [`Directive`].
//!
//! Six stand alone on their line, and the notebook expands them
//! ([`crate::preprocess`]): `{{#cell crate/example}}` (a cell: its code and
//! stored output), `{{#measurements crate/bench}}` (a benchmark's stored
//! figures), `{{#schedule crate/name}}` (an interleaving player, from a
//! model checker's stored runs), `{{#predict id}}` (a question to answer
//! before looking at stored runs), `{{#diagram name}}` (a picture of an
//! idea) and `{{#quiz file.toml}}` (a knowledge check). The seventh,
//! mdBook's own `{{#include path:anchor}}` (or `rustdoc_include`), may sit
//! anywhere in a line; mdBook expands it, and the notebook only checks that
//! what it names exists ([`crate::check`]). A directive written with a
//! backslash before it (`\{{#cell ...}}`) is text.

use std::sync::LazyLock;

use regex::Regex;

/// One directive, well-formed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Directive {
    /// `{{#cell crate/example}}`: the cell id.
    Cell(String),
    /// `{{#measurements crate/bench}}`: the benchmark id.
    Measurements(String),
    /// `{{#schedule crate/name}}`: the scenario id.
    Schedule(String),
    /// `{{#quiz file.toml}}`: the path, relative to the page's folder.
    Quiz(String),
    /// `{{#predict id}}`: a question of the page folder's `predict.toml`.
    Predict(String),
    /// `{{#diagram name}}`: a diagram of the page folder's `diagrams.toml`.
    Diagram(String),
    /// `{{#include path}}` or `{{#include path:anchor}}`.
    Include {
        /// Relative to the page's folder.
        path: String,
        /// When the part after the colon is a name (not line numbers).
        anchor: Option<String>,
    },
}

/// A directive found in a page, or why the text that looks like one is not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// 1-based line number in the markdown file.
    pub line: usize,
    pub directive: Result<Directive, String>,
}

/// The directives that stand alone on a line: the name after `{{#`, the
/// pattern of its argument, and an example argument for error messages.
const STANDALONE: [(&str, &str, &str); 6] = [
    ("cell", r"[a-z0-9_-]+/[A-Za-z0-9_-]+", "crate/example"),
    ("measurements", r"[a-z0-9_-]+/[A-Za-z0-9_-]+", "crate/bench"),
    ("schedule", r"[a-z0-9_-]+/[A-Za-z0-9_-]+", "crate/name"),
    ("quiz", r"[^}\s]+", "quiz.toml"),
    ("predict", r"[a-z0-9_/-]+", "question-id"),
    ("diagram", r"[a-z0-9_-]+", "name"),
];

static STANDALONE_RE: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    STANDALONE
        .iter()
        .map(|(name, arg, _)| Regex::new(&format!(r"^\{{\{{#{name} ({arg})\}}\}}$")).expect("a valid constant pattern"))
        .collect()
});

static INCLUDE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^\\])\{\{#(?:include|rustdoc_include)\s+([^\s}:]+)(?::([^\s}]*))?\s*\}\}")
        .expect("a valid constant pattern")
});

/// Every directive of a markdown text, in order of lines.
pub fn parse(markdown: &str) -> Vec<Found> {
    let mut found = Vec::new();
    for (i, line) in markdown.lines().enumerate() {
        let line_no = i + 1;
        for (kind, (name, _, example)) in STANDALONE.iter().enumerate() {
            let opening = format!("{{{{#{name}");
            let Some(at) = line.find(&opening) else { continue };
            if line[..at].ends_with('\\') {
                continue;
            }
            // `{{#cells` is not `{{#cell`.
            if line[at + opening.len()..].starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_') {
                continue;
            }
            let trimmed = line.trim();
            let directive = match STANDALONE_RE[kind].captures(trimmed) {
                Some(caps) => Ok(match *name {
                    "cell" => Directive::Cell(caps[1].to_string()),
                    "measurements" => Directive::Measurements(caps[1].to_string()),
                    "schedule" => Directive::Schedule(caps[1].to_string()),
                    "predict" => Directive::Predict(caps[1].to_string()),
                    "diagram" => Directive::Diagram(caps[1].to_string()),
                    _ => Directive::Quiz(caps[1].to_string()),
                }),
                None if !trimmed.starts_with(&opening) => {
                    Err(format!("a {name} directive must stand alone on its line"))
                }
                None => Err(format!("malformed {name} directive `{trimmed}`; write `{{{{#{name} {example}}}}}`")),
            };
            found.push(Found { line: line_no, directive });
        }
        for caps in INCLUDE.captures_iter(line) {
            let anchor = caps
                .get(2)
                .map(|m| m.as_str())
                .filter(|a| !a.is_empty() && !a.chars().next().is_some_and(|c| c.is_ascii_digit()))
                .map(str::to_string);
            found
                .push(Found { line: line_no, directive: Ok(Directive::Include { path: caps[1].to_string(), anchor }) });
        }
    }
    found
}

/// Lines `ANCHOR: name` in a source file: the anchors it offers.
pub fn anchors(source: &str) -> Vec<String> {
    source
        .lines()
        .filter_map(|l| {
            let rest = &l[l.find("ANCHOR:")? + "ANCHOR:".len()..];
            Some(rest.trim().to_string())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(line: usize, directive: Directive) -> Found {
        Found { line, directive: Ok(directive) }
    }

    #[test]
    fn standalone_directives_are_found_with_their_lines() {
        let md = "# T\n\n{{#cell foundations/task_graph}}\n\ntext \\{{#cell not/one}}\n\
                  {{#measurements c10k/servers}}\n  {{#quiz quiz.toml}}  \n{{#schedule shared-state/lost_update}}\n";
        assert_eq!(
            parse(md),
            vec![
                ok(3, Directive::Cell("foundations/task_graph".into())),
                ok(6, Directive::Measurements("c10k/servers".into())),
                ok(7, Directive::Quiz("quiz.toml".into())),
                ok(8, Directive::Schedule("shared-state/lost_update".into())),
            ]
        );
    }

    #[test]
    fn malformed_directives_say_why() {
        let md = "{{#cell}}\n{{#cell a/b extra}}\nsee {{#cell a/b}}\n{{#measurements nothing}}\n{{#quiz}}\n";
        let errors: Vec<String> = parse(md).into_iter().map(|f| f.directive.unwrap_err()).collect();
        assert_eq!(
            errors,
            [
                "malformed cell directive `{{#cell}}`; write `{{#cell crate/example}}`",
                "malformed cell directive `{{#cell a/b extra}}`; write `{{#cell crate/example}}`",
                "a cell directive must stand alone on its line",
                "malformed measurements directive `{{#measurements nothing}}`; write `{{#measurements crate/bench}}`",
                "malformed quiz directive `{{#quiz}}`; write `{{#quiz quiz.toml}}`",
            ]
        );
    }

    #[test]
    fn includes_with_and_without_anchors() {
        let md = "```rust\n{{#include ../x/src/a.rs:graph}}\n{{#include b.rs}}\n{{#include c.rs:3:5}}\n\
                  \\{{#include not.rs}}\n```\n";
        let include = |path: &str, anchor: Option<&str>| Directive::Include {
            path: path.to_string(),
            anchor: anchor.map(str::to_string),
        };
        assert_eq!(
            parse(md),
            vec![
                ok(2, include("../x/src/a.rs", Some("graph"))),
                ok(3, include("b.rs", None)),
                ok(4, include("c.rs", None)),
            ]
        );
    }

    #[test]
    fn anchors_are_read_from_comments() {
        assert_eq!(anchors("// ANCHOR: one\nx\n// ANCHOR_END: one\n"), ["one"]);
    }
}
