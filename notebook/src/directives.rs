//! Finding the book's directives in markdown: `{{#cell crate/example}}`, which
//! the notebook expands, and mdBook's own `{{#include path:anchor}}`, which the
//! consistency checks resolve.

use std::sync::LazyLock;

use regex::Regex;

/// A `{{#cell ...}}` line, well-formed or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellDirective {
    /// 1-based line number in the markdown file.
    pub line: usize,
    /// The cell id, or the reason the directive is malformed.
    pub id: Result<String, String>,
}

/// An `{{#include ...}}` or `{{#rustdoc_include ...}}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncludeDirective {
    pub line: usize,
    /// The path, relative to the markdown file.
    pub path: String,
    /// `path:anchor`, when the part after the colon is a name.
    pub anchor: Option<String>,
}

static CELL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\{\{#cell ([a-z0-9_-]+/[A-Za-z0-9_-]+)\}\}$").expect("a valid constant pattern"));
static INCLUDE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^\\])\{\{#(?:include|rustdoc_include)\s+([^\s}:]+)(?::([^\s}]*))?\s*\}\}")
        .expect("a valid constant pattern")
});

/// Every cell directive of a markdown text. A directive must stand alone on
/// its line; anything else that starts with `{{#cell` is reported malformed.
/// Escaped directives (`\{{#cell ...}}`) are text.
pub fn cells(markdown: &str) -> Vec<CellDirective> {
    let mut found = Vec::new();
    for (i, line) in markdown.lines().enumerate() {
        let trimmed = line.trim();
        let Some(at) = line.find("{{#cell") else { continue };
        if at > 0 && line[..at].ends_with('\\') {
            continue;
        }
        let id = match CELL.captures(trimmed) {
            Some(caps) => Ok(caps[1].to_string()),
            None if !trimmed.starts_with("{{#cell") => Err("a cell directive must stand alone on its line".to_string()),
            None => Err(format!("malformed cell directive `{trimmed}`; write `{{{{#cell crate/example}}}}`")),
        };
        found.push(CellDirective { line: i + 1, id });
    }
    found
}

/// Every include directive of a markdown text.
pub fn includes(markdown: &str) -> Vec<IncludeDirective> {
    let mut found = Vec::new();
    for (i, line) in markdown.lines().enumerate() {
        for caps in INCLUDE.captures_iter(line) {
            let anchor = caps
                .get(2)
                .map(|m| m.as_str())
                .filter(|a| !a.is_empty() && !a.chars().next().is_some_and(|c| c.is_ascii_digit()))
                .map(str::to_string);
            found.push(IncludeDirective { line: i + 1, path: caps[1].to_string(), anchor });
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

    #[test]
    fn cell_directives_are_found_with_their_lines() {
        let md = "# T\n\n{{#cell foundations/task_graph}}\n\ntext \\{{#cell not/one}}\n";
        assert_eq!(cells(md), vec![CellDirective { line: 3, id: Ok("foundations/task_graph".into()) }]);
    }

    #[test]
    fn malformed_cell_directives_say_why() {
        let md = "{{#cell}}\n{{#cell a/b extra}}\nsee {{#cell a/b}}\n";
        let found = cells(md);
        assert_eq!(found.len(), 3);
        assert!(found[0].id.as_ref().unwrap_err().contains("malformed"));
        assert!(found[1].id.as_ref().unwrap_err().contains("malformed"));
        assert!(found[2].id.as_ref().unwrap_err().contains("alone on its line"));
    }

    #[test]
    fn includes_with_and_without_anchors() {
        let md = "```rust\n{{#include ../x/src/a.rs:graph}}\n{{#include b.rs}}\n{{#include c.rs:3:5}}\n```\n";
        let found = includes(md);
        assert_eq!(found.len(), 3);
        assert_eq!((found[0].path.as_str(), found[0].anchor.as_deref()), ("../x/src/a.rs", Some("graph")));
        assert_eq!(found[1].anchor, None);
        assert_eq!(found[2].anchor, None);
    }

    #[test]
    fn anchors_are_read_from_comments() {
        assert_eq!(anchors("// ANCHOR: one\nx\n// ANCHOR_END: one\n"), ["one"]);
    }
}
