//! Knowledge checks: `{{#quiz quiz.toml}}` in a chapter expands into a quiz
//! the reader answers in the page.
//!
//! The quiz files use the format of mdbook-quiz (the Cognitive Engineering
//! Lab's quiz preprocessor): its schema is a library we read them with, and
//! its front end (`theme/quiz/`, vendored from mdbook-quiz 0.5.0) draws the
//! quiz in the page. (Its validator is not used: it brings some fifty
//! crates, a spell checker among them that this tool turned off, for checks
//! that the schema and the ones below make.) We do not run the mdbook-quiz program itself: it
//! writes into the book's sources on every build (its assets, and ids for
//! questions that lack one), and this tool never modifies the reader's
//! files. So ids are required here instead of generated.
//!
//! On top of mdbook-quiz's schema, every question must have an id that
//! is unique in the book and an explanation (`context`) the reader sees
//! after answering, and a multiple-choice question's answers and distractors
//! must be distinct, so that exactly the intended answers are right.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::Deserialize;

/// The parts of a question this tool checks beyond mdbook-quiz's schema.
#[derive(Debug, Deserialize)]
struct Question {
    #[serde(rename = "type")]
    kind: String,
    id: Option<String>,
    context: Option<String>,
    prompt: toml::Value,
    answer: toml::Value,
}

#[derive(Debug, Deserialize)]
struct QuizFile {
    questions: Vec<Question>,
}

/// A quiz read from its file and checked.
#[derive(Debug, Clone)]
pub struct Quiz {
    pub path: PathBuf,
    /// The quiz's name in the page (the chapter folder's name).
    pub name: String,
    /// The question ids, in order.
    pub ids: Vec<String>,
    /// The file as TOML, handed to the front end as JSON.
    pub value: toml::Value,
}

/// The fewest questions a chapter's knowledge check may have.
pub const MIN_QUESTIONS: usize = 3;

/// Reads and checks the quiz at `path`; `name` is what the page calls it.
pub fn load(path: &Path, name: &str) -> Result<Quiz> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading quiz {}", path.display()))?;
    // The schema: question types, and the fields each must and may have.
    // The error says which line and which field.
    toml::from_str::<mdbook_quiz_schema::Quiz>(&text)
        .map_err(|err| anyhow::anyhow!("{err}"))
        .with_context(|| format!("{}: not a valid mdbook-quiz quiz", path.display()))?;
    let file: QuizFile = toml::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
    if file.questions.len() < MIN_QUESTIONS {
        bail!(
            "{}: {} question(s); a knowledge check has at least {MIN_QUESTIONS}",
            path.display(),
            file.questions.len()
        );
    }
    let mut ids = Vec::new();
    for (i, q) in file.questions.iter().enumerate() {
        let at = format!("{}: question {}", path.display(), i + 1);
        let Some(id) = q.id.clone().filter(|id| !id.trim().is_empty()) else {
            bail!("{at} has no `id`; give it one, e.g. id = \"{name}-{}\"", i + 1);
        };
        if ids.contains(&id) {
            bail!("{at}: id `{id}` is used twice");
        }
        if q.context.as_deref().is_none_or(|c| c.trim().is_empty()) {
            bail!("{at} (`{id}`) has no `context`: say why the answer is right");
        }
        if q.kind == "MultipleChoice" {
            check_choices(&q.prompt, &q.answer).with_context(|| format!("{at} (`{id}`)"))?;
        }
        ids.push(id);
    }
    let value: toml::Value = toml::from_str(&text)?;
    Ok(Quiz { path: path.to_path_buf(), name: name.to_string(), ids, value })
}

/// The answers and distractors of a multiple-choice question are all
/// different, so that exactly the answers are right.
fn check_choices(prompt: &toml::Value, answer: &toml::Value) -> Result<()> {
    let strings = |v| -> Vec<String> { texts(v).iter().map(|s| s.trim().to_string()).collect() };
    let answers = strings(answer.get("answer"));
    let distractors = strings(prompt.get("distractors"));
    let mut seen = BTreeSet::new();
    for choice in answers.iter().chain(&distractors) {
        if !seen.insert(choice) {
            bail!("the choice {choice:?} appears twice (as an answer or a distractor)");
        }
    }
    if distractors.is_empty() {
        bail!("a multiple-choice question needs at least one distractor");
    }
    Ok(())
}

/// The text of a field that holds one string or a list of them (a
/// question's answer, its distractors); none for anything else.
pub(crate) fn texts(v: Option<&toml::Value>) -> Vec<String> {
    match v {
        Some(toml::Value::String(s)) => vec![s.clone()],
        Some(toml::Value::Array(a)) => a.iter().filter_map(|x| x.as_str().map(str::to_string)).collect(),
        _ => Vec::new(),
    }
}

/// The HTML mdbook-quiz's front end turns into a quiz: a placeholder with
/// the questions as JSON. Answers are remembered in the reader's browser.
pub fn render(quiz: &Quiz) -> Result<String> {
    // Every data attribute holds JSON, as the front end expects.
    let attr = |value: &dyn erased::Json| -> Result<String> {
        Ok(html_escape::encode_double_quoted_attribute(&value.json()?).into_owned())
    };
    Ok(format!(
        "<div class=\"quiz-placeholder\" data-quiz-name=\"{}\" data-quiz-questions=\"{}\" \
         data-quiz-cache-answers=\"true\"></div>\n",
        attr(&quiz.name)?,
        attr(&quiz.value)?,
    ))
}

mod erased {
    /// A value that can be written as JSON, behind a `dyn`.
    pub trait Json {
        fn json(&self) -> serde_json::Result<String>;
    }
    impl<T: serde::Serialize> Json for T {
        fn json(&self) -> serde_json::Result<String> {
            serde_json::to_string(self)
        }
    }
}

/// Every quiz placed in the book, by file, with the page that places it;
/// ids must be unique across all of them.
pub fn check_ids(quizzes: &[Quiz]) -> Vec<String> {
    let mut owner: BTreeMap<&str, &Path> = BTreeMap::new();
    let mut problems = Vec::new();
    for quiz in quizzes {
        for id in &quiz.ids {
            if let Some(other) = owner.insert(id, &quiz.path)
                && other != quiz.path
            {
                problems.push(format!("question id `{id}` is used in {} and {}", other.display(), quiz.path.display()));
            }
        }
    }
    problems
}

/// The largest share of single-answer questions, across the book, whose
/// right answer may be longer than every distractor. Above it, a student who
/// knows nothing picks the longest option and passes.
pub const MAX_LONGEST_ANSWER_SHARE: f64 = 0.4;

/// The single-answer multiple-choice questions (by id) whose right answer
/// is longer, in characters read (backticks left out), than every
/// distractor; and how many single-answer questions there are.
pub fn longest_answers(quizzes: &[Quiz]) -> (Vec<String>, usize) {
    let read = |v: &toml::Value| v.as_str().map(|s| s.replace('`', "").trim().chars().count());
    let mut longest = Vec::new();
    let mut single = 0;
    for quiz in quizzes {
        let questions = quiz.value.get("questions").and_then(toml::Value::as_array).into_iter().flatten();
        for q in questions.filter(|q| q.get("type").and_then(toml::Value::as_str) == Some("MultipleChoice")) {
            let Some(answer) = q.get("answer").and_then(|a| a.get("answer")).and_then(read) else {
                continue; // several right answers: length gives nothing away
            };
            single += 1;
            let distractors = q.get("prompt").and_then(|p| p.get("distractors")).and_then(toml::Value::as_array);
            let longest_distractor = distractors.into_iter().flatten().filter_map(read).max().unwrap_or(0);
            if answer > longest_distractor {
                longest.push(q.get("id").and_then(toml::Value::as_str).unwrap_or("?").to_string());
            }
        }
    }
    (longest, single)
}

/// Says so if too many right answers are the longest option
/// ([`MAX_LONGEST_ANSWER_SHARE`]), naming them.
pub fn check_longest_answers(quizzes: &[Quiz]) -> Option<String> {
    let (longest, single) = longest_answers(quizzes);
    let allowed = (single as f64 * MAX_LONGEST_ANSWER_SHARE).floor() as usize;
    (longest.len() > allowed).then(|| {
        format!(
            "in {} of {single} single-answer questions the right answer is the longest option; at most {allowed} \
             ({:.0}%) may be, or picking the longest passes: shorten the answer or give a distractor the detail \
             of a real misconception, in some of: {}",
            longest.len(),
            MAX_LONGEST_ANSWER_SHARE * 100.0,
            longest.join(", ")
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_text(text: &str) -> Result<Quiz> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("quiz.toml");
        std::fs::write(&path, text).unwrap();
        load(&path, "chapter")
    }

    const GOOD: &str = "[[questions]]\nid = \"q\"\ntype = \"MultipleChoice\"\nprompt.prompt = \"Which?\"\n\
                        prompt.distractors = [\"no\"]\nanswer.answer = \"yes\"\ncontext = \"Because.\"\n";

    fn question(id: &str, answer: &str, distractors: &[&str]) -> String {
        let distractors: Vec<String> = distractors.iter().map(|d| format!("{d:?}")).collect();
        format!(
            "[[questions]]\nid = \"{id}\"\ntype = \"MultipleChoice\"\nprompt.prompt = \"Which?\"\n\
             prompt.distractors = [{}]\nanswer.answer = {answer:?}\ncontext = \"Because.\"\n",
            distractors.join(", ")
        )
    }

    #[test]
    fn too_many_longest_right_answers_are_reported() {
        let many = ["[[questions]]\nid = \"m\"\ntype = \"MultipleChoice\"\nprompt.prompt = \"Which?\"\n\
                     prompt.distractors = [\"no\"]\nanswer.answer = [\"a long right one\", \"yes\"]\n\
                     context = \"Because.\"\n"
            .to_string()];
        let text = |longest: usize| -> String {
            let mut parts = many.to_vec();
            for i in 0..5 {
                // Backticks are not read: `ab` is shorter than abc.
                let (answer, distractor) = if i < longest { ("`rightful`", "wrong") } else { ("`ab`", "abc") };
                parts.push(question(&format!("q{i}"), answer, &[distractor, "no"]));
            }
            parts.concat()
        };
        let two = load_text(&text(2)).unwrap();
        assert_eq!(longest_answers(std::slice::from_ref(&two)), (vec!["q0".to_string(), "q1".to_string()], 5));
        assert_eq!(check_longest_answers(&[two]), None, "2 of 5 is 40%");
        let three = load_text(&text(3)).unwrap();
        let message = check_longest_answers(&[three]).expect("3 of 5 is too many");
        assert!(message.starts_with("in 3 of 5 single-answer questions"), "{message}");
        assert!(message.ends_with("q0, q1, q2"), "{message}");
    }

    #[test]
    fn a_good_quiz_loads_and_renders_as_json_in_an_attribute() {
        let three = [GOOD.replace("\"q\"", "\"a\""), GOOD.replace("\"q\"", "\"b\""), GOOD.to_string()].concat();
        let quiz = load_text(&three).unwrap();
        assert_eq!(quiz.ids, ["a", "b", "q"]);
        let html = render(&quiz).unwrap();
        assert!(html.starts_with("<div class=\"quiz-placeholder\" data-quiz-name=\"&quot;chapter&quot;\""), "{html}");
        assert!(html.contains("&quot;answer&quot;:&quot;yes&quot;"), "{html}");
    }

    #[test]
    fn every_question_needs_an_id_and_an_explanation() {
        let no_id = [GOOD.replace("id = \"q\"\n", ""), GOOD.replace("\"q\"", "\"b\""), GOOD.to_string()].concat();
        assert!(format!("{:#}", load_text(&no_id).unwrap_err()).contains("question 1 has no `id`"));
        let twice = [GOOD, GOOD, GOOD].concat();
        assert!(format!("{:#}", load_text(&twice).unwrap_err()).contains("id `q` is used twice"));
        let no_context = [
            GOOD.replace("context = \"Because.\"\n", "").replace("\"q\"", "\"a\""),
            GOOD.to_string(),
            GOOD.replace("\"q\"", "\"c\""),
        ]
        .concat();
        assert!(format!("{:#}", load_text(&no_context).unwrap_err()).contains("has no `context`"));
    }

    #[test]
    fn a_quiz_outside_mdbook_quizs_schema_is_refused_with_where_and_why() {
        let bad = "[[questions]]\nid = \"q\"\ntype = \"NoSuchType\"\n";
        let error = format!("{:#}", load_text(bad).unwrap_err());
        assert!(error.contains("not a valid mdbook-quiz quiz") && error.contains("line 3"), "{error}");
        let no_answer = GOOD.replace("answer.answer = \"yes\"\n", "");
        let error = format!("{:#}", load_text(&no_answer).unwrap_err());
        assert!(error.contains("not a valid mdbook-quiz quiz") && error.contains("answer"), "{error}");
    }

    #[test]
    fn answers_and_distractors_must_differ() {
        let prompt: toml::Value = toml::from_str("distractors = ['a', 'b']").unwrap();
        let answer: toml::Value = toml::from_str("answer = ['b']").unwrap();
        assert!(check_choices(&prompt, &answer).is_err());
        let answer: toml::Value = toml::from_str("answer = 'c'").unwrap();
        assert!(check_choices(&prompt, &answer).is_ok());
    }
}
