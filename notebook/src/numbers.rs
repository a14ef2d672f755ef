//! Numbers quoted in prose, held to the runs they quote.
//!
//! A page that says a run took 203.2 ms while its output shows 197.7 ms
//! has a slip no test of the code finds. [`crate::check`] takes every
//! number with a decimal point or a thousands separator from a chapter's
//! prose and its knowledge check, and every whole number of two digits or
//! more followed by a unit of time, size or share ("121 ms", "15 KiB",
//! "97%"), and looks for it among the numbers the
//! page shows from runs: its cells' stored outputs (text and figures) and
//! its benchmark tables. A number that is not from a run (a version, a
//! default limit, a year, a figure derived by arithmetic) is named in a
//! comment on the page, with why, so that a reader of the source sees it
//! was meant: `<!-- not from a run: 1,024 (Linux's usual open-file limit) -->`
//! in markdown, `# not from a run: …` in a quiz file.

use std::collections::BTreeSet;

use regex::Regex;

/// The comment that names numbers not from a run.
const NOT_FROM_A_RUN: &str = "not from a run:";

fn number_pattern() -> Regex {
    Regex::new(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+|\d{2,}").expect("a valid constant pattern")
}

/// The units after which a whole number counts as a measurement ("408 ms",
/// "15 KiB", "97%"); other whole numbers (counts, sizes of examples, years)
/// are not checked.
const UNITS: [&str; 7] = ["ms", "µs", "ns", "KiB", "MiB", "GiB", "%"];

/// Whether a whole number is followed by a unit of [`UNITS`].
fn has_unit(after: &str) -> bool {
    let after = after.strip_prefix(' ').unwrap_or(after);
    UNITS
        .iter()
        .any(|unit| after.strip_prefix(unit).is_some_and(|rest| !rest.starts_with(|c: char| c.is_alphanumeric())))
}

/// `12,904` and `12904` are the same number.
fn normalize(number: &str) -> String {
    number.replace(',', "")
}

/// Every number a text shows, normalized: what quoted numbers are looked
/// for in.
pub fn shown(text: &str) -> BTreeSet<String> {
    let plain = Regex::new(r"\d+(?:,\d{3})*(?:\.\d+)?").expect("a valid constant pattern");
    plain.find_iter(text).map(|m| normalize(m.as_str())).collect()
}

/// Numbers a page or quiz says are not from a run.
pub fn exempt(text: &str) -> BTreeSet<String> {
    let pattern = number_pattern();
    let mut found = BTreeSet::new();
    for (at, _) in text.match_indices(NOT_FROM_A_RUN) {
        let rest = &text[at + NOT_FROM_A_RUN.len()..];
        let end = rest.find("-->").or_else(|| rest.find('\n')).unwrap_or(rest.len());
        found.extend(pattern.find_iter(&rest[..end]).map(|m| normalize(m.as_str())));
    }
    found
}

/// `text` with its fenced code blocks blanked, line for line (a fence may
/// follow the quotes that open a quiz file's string). Programs shown whole
/// are the reader's to read: they quote no run and call nothing.
pub(crate) fn without_fences(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut fence: Option<&str> = None;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start().trim_start_matches(['"', '\'']);
        let opens = ["```", "~~~"].into_iter().find(|f| trimmed.starts_with(f));
        match (fence, opens) {
            (None, Some(f)) => fence = Some(f),
            (Some(f), Some(g)) if f == g => fence = None,
            _ => {}
        }
        if fence.is_some() || opens.is_some() {
            out.push('\n');
        } else {
            out.push_str(line);
        }
    }
    out
}

/// Prose with what is not prose blanked out, line for line: fenced code,
/// inline code, HTML comments and tags, directives and link targets.
pub(crate) fn prose(text: &str) -> String {
    let out = without_fences(text);
    let blank = |text: &str, pattern: &str| -> String {
        let re = Regex::new(pattern).expect("a valid constant pattern");
        re.replace_all(text, |c: &regex::Captures| c[0].replace(|ch: char| ch != '\n', " ")).into_owned()
    };
    let out = blank(&out, r"(?s)<!--.*?-->");
    let out = blank(&out, r"`[^`\n]*`");
    let out = blank(&out, r"\{\{#[^}]*\}\}");
    let out = blank(&out, r"\]\([^)]*\)");
    blank(&out, r"<[^>\n]*>")
}

/// Words that say a number is rounded.
const ROUNDING_WORDS: [&str; 6] = ["about", "around", "roughly", "nearly", "almost", "some"];

/// Some shown number is within 5% of `n`.
fn near(n: f64, shown: &BTreeSet<String>) -> bool {
    shown.iter().filter_map(|s| s.parse::<f64>().ok()).any(|s| s != 0.0 && ((n - s) / s).abs() <= 0.05)
}

/// Some shown number, rounded to as many decimals as `written` has, is
/// `written`: 0.043 is "about 0.04".
fn rounds_to(written: &str, shown: &BTreeSet<String>) -> bool {
    let decimals = written.split_once('.').map_or(0, |(_, d)| d.len());
    shown.iter().filter_map(|s| s.parse::<f64>().ok()).any(|s| format!("{s:.decimals$}") == written)
}

/// The numbers of a page's prose (or a quiz's text) that no run on the
/// page shows and no comment exempts: (line, number as written).
pub fn unshown(text: &str, shown: &BTreeSet<String>) -> Vec<(usize, String)> {
    let exempt = exempt(text);
    let pattern = number_pattern();
    let mut found = Vec::new();
    for (i, line) in prose(text).lines().enumerate() {
        for m in pattern.find_iter(line) {
            let before = line[..m.start()].chars().next_back();
            let after = line[m.end()..].chars().next();
            // Part of a longer token (v1.2.3, x86_64, 1.2.3): not a quoted
            // figure.
            if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_')
                || after.is_some_and(|c| c.is_ascii_digit())
                || line[m.end()..].starts_with('.') && line[m.end() + 1..].starts_with(|c: char| c.is_ascii_digit())
            {
                continue;
            }
            // A whole number is held to the runs only as a measurement.
            let whole = !m.as_str().contains([',', '.']);
            if whole && !has_unit(&line[m.end()..]) {
                continue;
            }
            let number = normalize(m.as_str());
            if shown.contains(&number) || exempt.contains(&number) {
                continue;
            }
            // "168 µs" for a table's 168.35 µs is the run's number, rounded.
            if whole && rounds_to(&number, shown) {
                continue;
            }
            // "About 8,700" rounds a number the run shows: within 5% of it.
            let words = line[..m.start()].to_ascii_lowercase();
            let rounded = ROUNDING_WORDS.iter().any(|w| words.trim_end().ends_with(w));
            if rounded && (number.parse::<f64>().is_ok_and(|n| near(n, shown)) || rounds_to(&number, shown)) {
                continue;
            }
            found.push((i + 1, m.as_str().to_string()));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_number_the_output_does_not_show_is_found() {
        let shown = shown("one echo: 197.7 ms; 12904 bytes\n");
        let page = "The echo took 203.2 ms, and the future is 12,904 bytes.\n";
        assert_eq!(unshown(page, &shown), vec![(1, "203.2".to_string())]);
    }

    #[test]
    fn code_comments_versions_and_exemptions_are_not_prose() {
        let shown = BTreeSet::new();
        let page = "Use `sleep(1.5)`.\n\n```rust\nlet x = 2.5;\n```\n\nSince Rust1.63 and \
                    [docs](https://x.org/v1.2/a.html), <span title=\"3.5\">it</span>.\n\
                    {{#cell a/b 4.5}}\nThe limit is 1,024. <!-- not from a run: 1,024 (the default) -->\n";
        assert_eq!(unshown(page, &shown), Vec::<(usize, String)>::new());
    }

    #[test]
    fn a_rounded_number_is_near_a_shown_one() {
        let shown = shown("echoes: 8,727/s and 11,688/s\n");
        let page = "between about 8,700 and about 11,700, but not about 9,500.\n";
        assert_eq!(unshown("about 0.04 ms\n", &super::shown("0.043 ms")), Vec::<(usize, String)>::new());
        assert_eq!(unshown(page, &shown), vec![(1, "9,500".to_string())]);
    }

    #[test]
    fn whole_numbers_count_only_with_a_unit() {
        let shown = shown("consumer after 122 ms; 97% busy; 168.35 µs\n");
        let page = "It took 121 ms (not 122 ms), 97% and 96 %, 168 µs, with 12 items in 2026.\n";
        assert_eq!(unshown(page, &shown), vec![(1, "121".to_string()), (1, "96".to_string())]);
    }

    #[test]
    fn ratios_and_sentence_ends_are_numbers_too() {
        let shown = shown("1.01x\n");
        let page = "It made 1.01x the echoes, and 0.97x.\n";
        assert_eq!(unshown(page, &shown), vec![(1, "0.97".to_string())]);
    }
}
