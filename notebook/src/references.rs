//! References a page makes to the rest of the book and to the code, held
//! to what they point at.
//!
//! Three kinds of slip the book's readers found, each caught here:
//! - "chapter 9" where chapter 11 was meant, or a chapter number with no
//!   link a reader can follow: a page that names a chapter by number links
//!   to it, and the number is that chapter's place in `SUMMARY.md`;
//! - "the fourth exercise below", which stops being true when the page
//!   changes: a place is pointed at with a link to its anchor;
//! - an explanation that calls a function the code does not have: a name
//!   written as a call in inline code (`` `add_racily(&c, 2)` ``) in a page
//!   or a quiz's prompt, answers and explanation (not its distractors,
//!   which may be wrong on purpose) is a name the book's code uses, or one
//!   the same text defines (`fn fetch`), or one named in a comment:
//!   `<!-- not in the code: uv_read_start (libuv's C function) -->`, or
//!   `# not in the code: …` in a quiz file.

use std::collections::BTreeSet;
use std::path::Path;

use regex::Regex;

/// The comment that names called names the book's code does not use.
const NOT_IN_THE_CODE: &str = "not in the code:";

/// The book's numbered chapters in reading order, as their folders under
/// `src/`: the list items of `SUMMARY.md` (mdBook numbers them on, across
/// parts), less the unnumbered pages before the first part.
pub fn chapters(summary: &str) -> Vec<String> {
    let item = Regex::new(r"^\s*[-*]\s+\[[^\]]*\]\(([^)]+)\)").expect("a valid constant pattern");
    summary
        .lines()
        .filter_map(|line| item.captures(line))
        .filter_map(|c| c[1].split('/').next().filter(|_| c[1].contains('/')).map(str::to_string))
        .collect()
}

/// A chapter named by number: where, which, and whether the page links to
/// it anywhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChapterMention {
    /// There is no chapter with this number.
    Missing { line: usize, number: usize },
    /// The page names the chapter but never links to it (only its first
    /// mention is reported).
    Unlinked { line: usize, number: usize, folder: String },
}

/// Mentions of "chapter N" in `text`'s prose (code, comments and link
/// targets left out) that point nowhere or that no link of the page
/// follows. `linkable` is false for quiz files, whose text is not a page.
pub fn chapter_mentions(text: &str, chapters: &[String], linkable: bool) -> Vec<ChapterMention> {
    let mention = Regex::new(r"(?i)\bchapters?\s+(\d+)").expect("a valid constant pattern");
    let link = Regex::new(r"\]\(([^)#\s]*)").expect("a valid constant pattern");
    let linked: BTreeSet<&str> = link
        .captures_iter(text)
        .filter_map(|c| c.get(1))
        .filter_map(|m| m.as_str().trim_start_matches("../").split('/').next())
        .collect();
    let mut reported = BTreeSet::new();
    let mut found = Vec::new();
    for (i, line) in crate::numbers::prose(text).lines().enumerate() {
        for c in mention.captures_iter(line) {
            let number: usize = c[1].parse().unwrap_or(0);
            let Some(folder) = number.checked_sub(1).and_then(|n| chapters.get(n)) else {
                found.push(ChapterMention::Missing { line: i + 1, number });
                continue;
            };
            if linkable && !linked.contains(folder.as_str()) && reported.insert(number) {
                found.push(ChapterMention::Unlinked { line: i + 1, number, folder: folder.clone() });
            }
        }
    }
    found
}

/// Places pointed at by their position on the page ("the fourth exercise
/// below"): (line, the words).
pub fn positional(text: &str) -> Vec<(usize, String)> {
    let ordinal = r"first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last|\d+(?:st|nd|rd|th)";
    let thing = r"exercises?|questions?|cells?|figures?|sections?|steps?|paragraphs?|tables?";
    let pattern = Regex::new(&format!(
        r"(?i)\b(?:(?:{ordinal})\s+(?:{thing})|(?:exercise|question|figure)\s+\d+)\s+(?:below|above)\b"
    ))
    .expect("a valid constant pattern");
    let mut found = Vec::new();
    for (i, line) in crate::numbers::prose(text).lines().enumerate() {
        found.extend(pattern.find_iter(line).map(|m| (i + 1, m.as_str().to_string())));
    }
    found
}

/// Every identifier in the Rust files under `dir` (a `target` folder
/// left out): the names the book's code uses.
pub fn code_names(dir: &Path) -> BTreeSet<String> {
    let word = Regex::new(r"[A-Za-z_][A-Za-z0-9_]*").expect("a valid constant pattern");
    let mut names = BTreeSet::new();
    let files = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_entry(|e| e.file_name() != "target")
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "rs"));
    for file in files {
        if let Ok(source) = std::fs::read_to_string(file.path()) {
            names.extend(word.find_iter(&source).map(|m| m.as_str().to_string()));
        }
    }
    names
}

/// Names written as calls in `text`'s inline code that the code does not
/// use, `text` does not define and no comment names: (line, name).
/// `exempt_from` is the text whose `not in the code:` comments count (the
/// whole file, when `text` is a part of it).
pub fn unknown_calls(text: &str, code: &BTreeSet<String>, exempt_from: &str) -> Vec<(usize, String)> {
    let span = Regex::new(r"`([^`\n]+)`").expect("a valid constant pattern");
    let call = Regex::new(r"([A-Za-z_][A-Za-z0-9_]*)\s*(?:::<[^>]*>)?\(").expect("a valid constant pattern");
    let defined = Regex::new(r"\b(?:fn|struct|enum|trait|macro_rules!)\s+([A-Za-z_][A-Za-z0-9_]*)")
        .expect("a valid constant pattern");
    let mut known: BTreeSet<&str> = defined.captures_iter(text).filter_map(|c| c.get(1)).map(|m| m.as_str()).collect();
    let exempt = exempt_names(exempt_from);
    known.extend(exempt.iter().map(String::as_str));
    let mut found = Vec::new();
    for (i, line) in crate::numbers::without_fences(text).lines().enumerate() {
        for code_span in span.captures_iter(line) {
            for c in call.captures_iter(&code_span[1]) {
                let name = &c[1];
                if !code.contains(name) && !known.contains(name) {
                    found.push((i + 1, name.to_string()));
                }
            }
        }
    }
    found
}

/// Names a text says are not in the code.
fn exempt_names(text: &str) -> BTreeSet<String> {
    let word = Regex::new(r"[A-Za-z_][A-Za-z0-9_]*").expect("a valid constant pattern");
    let mut names = BTreeSet::new();
    for (at, _) in text.match_indices(NOT_IN_THE_CODE) {
        let rest = &text[at + NOT_IN_THE_CODE.len()..];
        let end = rest.find("-->").or_else(|| rest.find('\n')).unwrap_or(rest.len());
        // The names come before the reason in parentheses.
        let names_part = rest[..end].split('(').next().unwrap_or_default();
        names.extend(word.find_iter(names_part).map(|m| m.as_str().to_string()));
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    const SUMMARY: &str = "# Summary\n\n[Introduction](introduction.md)\n\n# Part I\n\n\
                           - [One](one/index.md)\n- [Two](two/index.md)\n\n# Part II\n\n- [Three](three/index.md)\n";

    #[test]
    fn chapters_are_numbered_on_across_parts() {
        assert_eq!(chapters(SUMMARY), ["one", "two", "three"]);
    }

    #[test]
    fn a_chapter_named_by_number_exists_and_is_linked() {
        let chapters = chapters(SUMMARY);
        let page = "As [chapter 1](../one/index.md#a) showed, and chapter 1 again;\n\
                    chapter 3 too, and chapter 3 again; `chapter 9` is code; chapter 4 is not.\n";
        assert_eq!(
            chapter_mentions(page, &chapters, true),
            [
                ChapterMention::Unlinked { line: 2, number: 3, folder: "three".into() },
                ChapterMention::Missing { line: 2, number: 4 },
            ]
        );
        assert_eq!(chapter_mentions(page, &chapters, false), [ChapterMention::Missing { line: 2, number: 4 }]);
    }

    #[test]
    fn places_pointed_at_by_position_are_found() {
        let page = "Try the fourth exercise below.\nSee [the exercise](#ex) below, or exercise 2 above.\n";
        assert_eq!(positional(page), [(1, "fourth exercise below".into()), (2, "exercise 2 above".into())]);
    }

    #[test]
    fn calls_the_code_does_not_make_are_found() {
        let code: BTreeSet<String> = ["add_racily", "lock", "unwrap"].map(String::from).into();
        let text = "Call `add_racily(&c, 2)` and `m.lock().unwrap()`, not `add_slowly(1)`.\n\
                    ```rust\nlet x = invented(1);\n```\n\
                    `async fn fetch()` is defined here, so `fetch()` is known.\n\
                    `uv_read_start(s, a, r)` is libuv's. <!-- not in the code: uv_read_start (libuv's C function) -->\n";
        assert_eq!(unknown_calls(text, &code, text), [(1, "add_slowly".to_string())]);
    }
}
