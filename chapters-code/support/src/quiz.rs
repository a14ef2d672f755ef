//! The answers of the book's knowledge checks, for tests that check them.
//!
//! A "which outputs are possible?" question lists the possible outputs of a
//! concurrent program as its answers. Its chapter's tests run the program
//! many times and compare the set of outputs they saw with these answers,
//! so the quiz says what the program does, not what someone believed.

use std::path::PathBuf;

/// The right answers of question `id` in `src/<chapter>/quiz.toml`, with
/// markdown's backticks removed.
///
/// # Panics
/// If the quiz or the question is missing or malformed: this is for tests.
pub fn answers(chapter: &str, id: &str) -> Vec<String> {
    choices(chapter, id).0
}

/// The right answers and the distractors of a multiple-choice question, so
/// that a test can decide each choice by running or checking it.
///
/// # Panics
/// As [`answers`].
pub fn choices(chapter: &str, id: &str) -> (Vec<String>, Vec<String>) {
    let path = quiz_path(chapter);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    let quiz: toml::Table = text
        .parse()
        .unwrap_or_else(|e| panic!("parsing {}: {e}", path.display()));
    let question = quiz["questions"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|q| q.get("id").and_then(|v| v.as_str()) == Some(id))
        .unwrap_or_else(|| panic!("{} has no question `{id}`", path.display()));
    let plain = |v: &toml::Value| -> String {
        v.as_str()
            .expect("answers are strings")
            .replace('`', "")
            .trim()
            .to_string()
    };
    let all = |v: &toml::Value| -> Vec<String> {
        match v {
            toml::Value::Array(many) => many.iter().map(plain).collect(),
            one => vec![plain(one)],
        }
    };
    let distractors = question["prompt"]
        .get("distractors")
        .map(all)
        .unwrap_or_default();
    (all(&question["answer"]["answer"]), distractors)
}

fn quiz_path(chapter: &str) -> PathBuf {
    // This crate is chapters-code/support; the book's pages are in src/.
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../src")
        .join(chapter)
        .join("quiz.toml")
}
