//! Comparing a fresh run of a cell with its stored output.
//!
//! Each `vary` rule of the cell names a part of the output that changes from
//! run to run; its capture groups are replaced by `⟨what⟩` in both texts, and
//! the masked texts must then be equal. Everything else must match exactly.
//!
//! So that a rule cannot quietly accept anything, the stored output is checked
//! against the rules ([`check_rules`]): every rule must match it, each masked
//! part is short and on one line, and at most half of the output's visible
//! characters may be masked.
//!
//! Figures compare by their words: the titles and labels (the text elements
//! with a letter in them, masked by the same rules) must be the same; tick
//! numbers and coordinates vary with timing and are not compared.

use regex::Regex;
use similar::TextDiff;

use crate::spec::CellSpec;

/// The longest text one capture group may mask.
pub const MAX_MASKED_CHARS: usize = 24;

/// Replaces every varying part with `⟨what⟩`.
pub fn mask(text: &str, spec: &CellSpec) -> String {
    mask_with_values(text, spec).0
}

/// [`mask`], and the parts it masked: (the rule's `what`, the text), in
/// the order their placeholders appear in the masked text.
pub fn mask_with_values(text: &str, spec: &CellSpec) -> (String, Vec<(String, String)>) {
    let mut text = text.to_string();
    // Each rule masks the text the rules before it left; a placeholder's
    // value is known by its place, kept in step as the text changes.
    let mut masked: Vec<(usize, String, String)> = Vec::new();
    for rule in &spec.vary {
        let placeholder = format!("⟨{}⟩", rule.what);
        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        let mut moved: Vec<(usize, String, String)> = Vec::new();
        let mut earlier = masked.iter().peekable();
        for caps in rule.pattern.captures_iter(&text) {
            for group in caps.iter().skip(1).flatten() {
                if group.start() < last {
                    continue;
                }
                while let Some((at, what, value)) = earlier.next_if(|(at, _, _)| *at < group.start()) {
                    moved.push((out.len() + at - last, what.clone(), value.clone()));
                }
                out.push_str(&text[last..group.start()]);
                moved.push((out.len(), rule.what.clone(), group.as_str().to_string()));
                out.push_str(&placeholder);
                last = group.end();
            }
        }
        for (at, what, value) in earlier {
            moved.push((out.len() + at - last, what.clone(), value.clone()));
        }
        out.push_str(&text[last..]);
        text = out;
        masked = moved;
    }
    let values = masked.into_iter().map(|(_, what, value)| (what, value)).collect();
    // A varying number changes width, and with it the padding that aligns
    // a table's columns: the spaces next to a masked part vary with it.
    let padding = Regex::new(r" +(⟨[^⟩\n]*⟩) +| +(⟨[^⟩\n]*⟩)|(⟨[^⟩\n]*⟩) +").expect("a valid constant pattern");
    let text = padding
        .replace_all(&text, |c: &regex::Captures| {
            let (before, masked, after) = match (c.get(1), c.get(2), c.get(3)) {
                (Some(m), _, _) => (" ", m.as_str(), " "),
                (_, Some(m), _) => (" ", m.as_str(), ""),
                (_, _, Some(m)) => ("", m.as_str(), " "),
                _ => unreachable!("one of the three alternatives matched"),
            };
            format!("{before}{masked}{after}")
        })
        .into_owned();
    (text, values)
}

/// Problems with a cell's rules against its stored output; empty when sound.
pub fn check_rules(stored: &str, spec: &CellSpec) -> Vec<String> {
    let mut problems = Vec::new();
    let mut masked_chars = 0;
    for rule in &spec.vary {
        let mut matched = false;
        for caps in rule.pattern.captures_iter(stored) {
            matched = true;
            for group in caps.iter().skip(1).flatten() {
                let part = group.as_str();
                if part.contains('\n') {
                    problems.push(format!("rule {:?} masks more than one line: {part:?}", rule.what));
                } else if part.chars().count() > MAX_MASKED_CHARS {
                    problems.push(format!(
                        "rule {:?} masks {:?}, longer than {MAX_MASKED_CHARS} characters",
                        rule.what, part
                    ));
                }
                masked_chars += part.chars().filter(|c| !c.is_whitespace()).count();
            }
        }
        if !matched {
            problems.push(format!("rule {:?} matches nothing in the stored output", rule.what));
        }
    }
    let visible = stored.chars().filter(|c| !c.is_whitespace()).count();
    if visible > 0 && masked_chars * 2 > visible {
        problems.push(format!("the rules mask {masked_chars} of {visible} visible characters; at most half may vary"));
    }
    problems
}

/// Compares a fresh output with the stored one; `Err` carries a readable diff
/// of the masked texts.
pub fn compare_text(stored: &str, fresh: &str, spec: &CellSpec) -> Result<(), String> {
    let (a, b) = (mask(stored, spec), mask(fresh, spec));
    if a == b {
        return Ok(());
    }
    let diff = TextDiff::from_lines(&a, &b);
    Err(diff.unified_diff().context_radius(3).header("stored (masked)", "fresh run (masked)").to_string())
}

/// How one line of a fresh run compares with the stored output.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Line {
    /// `same`; `varies` (equal once the `vary` rules mask their parts);
    /// `missing` (only in the stored output); `extra` (only in the fresh run).
    pub kind: &'static str,
    pub stored: Option<String>,
    pub fresh: Option<String>,
    /// For `varies`: what varies on that line, as the rules name it.
    pub what: Option<String>,
}

/// The two outputs side by side, line by line: lines are matched by their
/// masked text (so a line whose timing changed is the same line), and each
/// shows its own unmasked text.
pub fn line_by_line(stored: &str, fresh: &str, spec: &CellSpec) -> Vec<Line> {
    // A rule masks parts of single lines, so the masked texts keep the
    // originals' line breaks: line i of one is line i of the other.
    let (masked_a, masked_b) = (mask(stored, spec), mask(fresh, spec));
    let (a, b): (Vec<&str>, Vec<&str>) = (stored.lines().collect(), fresh.lines().collect());
    let (ma, mb): (Vec<&str>, Vec<&str>) = (masked_a.lines().collect(), masked_b.lines().collect());
    let diff = similar::capture_diff_slices(similar::Algorithm::Myers, &ma, &mb);
    let mut lines = Vec::new();
    for op in diff {
        for change in op.iter_changes(&ma, &mb) {
            let (old, new) = (change.old_index(), change.new_index());
            let text = |all: &[&str], i: Option<usize>| i.and_then(|i| all.get(i)).map(|l| (*l).to_string());
            let (stored_line, fresh_line) = (text(&a, old), text(&b, new));
            let kind = match change.tag() {
                similar::ChangeTag::Equal if stored_line == fresh_line => "same",
                similar::ChangeTag::Equal => "varies",
                similar::ChangeTag::Delete => "missing",
                similar::ChangeTag::Insert => "extra",
            };
            let what = (kind == "varies").then(|| {
                let masked = old.and_then(|i| ma.get(i)).copied().unwrap_or_default();
                spec.vary
                    .iter()
                    .filter(|rule| masked.contains(&format!("⟨{}⟩", rule.what)))
                    .map(|rule| rule.what.clone())
                    .collect::<Vec<_>>()
                    .join(", ")
            });
            lines.push(Line { kind, stored: stored_line, fresh: fresh_line, what });
        }
    }
    lines
}

/// The words of a figure: its text elements that hold a letter, masked.
pub fn figure_words(svg: &str, spec: &CellSpec) -> Vec<String> {
    // An SVG text element: `<text ...>content</text>`.
    let text_element = Regex::new(r"(?s)<text[^>]*>(.*?)</text>").expect("a valid constant pattern");
    let mut words: Vec<String> = text_element
        .captures_iter(svg)
        .map(|c| html_escape::decode_html_entities(c[1].trim()).into_owned())
        .filter(|t| t.chars().any(char::is_alphabetic))
        .map(|t| mask(&t, spec))
        .collect();
    words.sort();
    words
}

/// Compares the figures of two runs: the same names, and the same words in each.
pub fn compare_figures(stored: &[(String, String)], fresh: &[(String, String)], spec: &CellSpec) -> Result<(), String> {
    let names = |f: &[(String, String)]| f.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    if names(stored) != names(fresh) {
        return Err(format!("figures differ: stored {:?}, fresh run {:?}", names(stored), names(fresh)));
    }
    for ((name, a), (_, b)) in stored.iter().zip(fresh) {
        let (a, b) = (figure_words(a, spec), figure_words(b, spec));
        if a != b {
            return Err(format!("figure {name:?} has other labels: stored {a:?}, fresh run {b:?}"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec;

    #[test]
    fn line_by_line_tells_variation_from_difference() {
        let spec = spec(&[("elapsed", r"took (\d+) ms")]);
        let stored = "start\ntook 12 ms\nresult 42\nend\n";
        let fresh = "start\ntook 15 ms\nresult 41\nend\nextra\n";
        let lines = line_by_line(stored, fresh, &spec);
        let kinds: Vec<&str> = lines.iter().map(|l| l.kind).collect();
        assert_eq!(kinds, ["same", "varies", "missing", "extra", "same", "extra"]);
        assert_eq!(lines[1].what.as_deref(), Some("elapsed"));
        assert_eq!(lines[1].stored.as_deref(), Some("took 12 ms"));
        assert_eq!(lines[1].fresh.as_deref(), Some("took 15 ms"));
        assert_eq!(lines[2].stored.as_deref(), Some("result 42"));
        assert_eq!(lines[3].fresh.as_deref(), Some("result 41"));
    }

    fn spec(rules: &[(&str, &str)]) -> CellSpec {
        let mut text = String::new();
        for (what, pattern) in rules {
            text.push_str(&format!("//@ [[vary]]\n//@ what = {what:?}\n//@ pattern = '{pattern}'\n"));
        }
        spec::parse(&text).unwrap()
    }

    #[test]
    fn column_padding_next_to_a_varying_number_is_not_a_difference() {
        let spec = spec(&[("n", r"(\d+\.\d)")]);
        let narrow = "a:    9.8 ms   x\n";
        let wide = "a:   11.5 ms   x\n";
        assert_eq!(mask(narrow, &spec), mask(wide, &spec));
        assert_eq!(mask(narrow, &spec), "a: ⟨n⟩ ms   x\n");
        // Text that differs elsewhere still differs.
        assert_ne!(mask("a: 9.8 ms\n", &spec), mask("b: 9.8 ms\n", &spec));
    }

    #[test]
    fn only_the_captured_parts_are_masked() {
        let s = spec(&[("time", r"took (\d+) ms")]);
        assert_eq!(mask("took 12 ms\n12 items\n", &s), "took ⟨time⟩ ms\n12 items\n");
    }

    #[test]
    fn runs_that_differ_only_where_declared_match() {
        let s = spec(&[("time", r"took (\d+) ms")]);
        assert!(compare_text("a\ntook 10 ms\n", "a\ntook 97 ms\n", &s).is_ok());
    }

    #[test]
    fn a_difference_outside_the_rules_fails_with_a_diff() {
        let s = spec(&[("time", r"took (\d+) ms")]);
        let diff = compare_text("total 2000000\ntook 10 ms\n", "total 1999999\ntook 9 ms\n", &s).unwrap_err();
        assert!(diff.contains("-total 2000000"), "{diff}");
        assert!(diff.contains("+total 1999999"), "{diff}");
    }

    #[test]
    fn rules_that_would_accept_anything_are_refused() {
        // A capture of whole lines: too long, and most of the output.
        let s = spec(&[("line", r"(?m)^(.+)$")]);
        let problems = check_rules("a line much longer than twenty-four characters\n", &s);
        assert!(problems.iter().any(|p| p.contains("longer than")), "{problems:?}");
        assert!(problems.iter().any(|p| p.contains("at most half")), "{problems:?}");
    }

    #[test]
    fn a_stale_rule_is_reported() {
        let s = spec(&[("time", r"took (\d+) ms")]);
        let problems = check_rules("nothing timed here\n", &s);
        assert_eq!(problems, ["rule \"time\" matches nothing in the stored output"]);
    }

    #[test]
    fn figures_compare_by_their_words_not_their_numbers() {
        let s = spec(&[("time", r"(\d+) ms")]);
        let a = r#"<svg><text x="1">Timeline</text><text x="5">0</text><text>task 1: 5 ms</text></svg>"#;
        let b = r#"<svg><text x="2">Timeline</text><text x="9">250</text><text>task 1: 7 ms</text></svg>"#;
        let c = r#"<svg><text x="2">Timeline</text><text>task 2: 7 ms</text></svg>"#;
        let fig = |svg: &str| vec![("timeline".to_string(), svg.to_string())];
        assert!(compare_figures(&fig(a), &fig(b), &s).is_ok());
        assert!(compare_figures(&fig(a), &fig(c), &s).is_err());
        assert!(compare_figures(&fig(a), &[], &s).is_err());
    }
}
