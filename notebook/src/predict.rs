//! Predict, then see: `{{#predict id}}` asks the reader one question about
//! what a program will do, just before the program's stored runs (a cell's
//! distribution, or an interleaving player), and keeps the answer hidden
//! until they choose.
//!
//! The questions are written in the chapter folder's `predict.toml`; their
//! right answers are not. Each choice is a claim about the stored data, and
//! the data decides it when the page is built:
//!
//! - a question on a player (`schedule = "crate/name"`) lists possible
//!   outcomes (`choices`, each put into `outcome = "counter = {}"`): a
//!   choice is right when the model checker found that outcome;
//! - a question on a cell (`cell = "crate/example"`) has choices that are a
//!   range for one of the masked values (`slot`, counted from 0, with `min`
//!   and `max`): right when every stored run's value lies in it; or a
//!   phrase (`printed`): right when every stored run printed it.
//!
//! The question is drawn by the knowledge checks' front end (mdbook-quiz),
//! as a quiz of one question, and its explanation ends with what the stored
//! runs showed.

use std::path::Path;

use anyhow::{Context, Result, bail};
use serde::Deserialize;
use serde_json::json;

use crate::cells::Catalog;
use crate::distribution::{self, Distribution};
use crate::workspace::Workspace;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    predict: Vec<Prediction>,
}

/// One question of a `predict.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Prediction {
    pub id: String,
    pub prompt: String,
    /// Why the right answer is right; what the data showed is added.
    pub context: String,
    /// A player's scenario, `crate/name`.
    pub schedule: Option<String>,
    /// For a player: the outcome each choice stands for, `{}` the choice.
    pub outcome: Option<String>,
    /// For a player: the outcomes offered.
    #[serde(default)]
    pub choices: Vec<String>,
    /// A cell with a stored distribution, `crate/example`.
    pub cell: Option<String>,
    /// For a cell's ranges: which masked value, counted from 0.
    pub slot: Option<usize>,
    /// For a cell: the claims offered.
    #[serde(default)]
    pub claims: Vec<Claim>,
}

/// A claim about a cell's stored runs.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Claim {
    /// What the reader reads.
    pub text: String,
    /// Every run's value of the slot is at least this...
    pub min: Option<f64>,
    /// ...and at most this.
    pub max: Option<f64>,
    /// Or: every run printed this.
    pub printed: Option<String>,
}

/// A question with its answers decided.
#[derive(Debug, Clone, PartialEq)]
pub struct Decided {
    pub id: String,
    pub prompt: String,
    pub right: Vec<String>,
    pub wrong: Vec<String>,
    /// The author's explanation, then what the data showed.
    pub context: String,
}

/// The prediction `id` of the page in folder `dir`.
pub fn load(dir: &Path, id: &str) -> Result<Prediction> {
    let path = dir.join("predict.toml");
    let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let file: File = toml::from_str(&text).with_context(|| format!("reading {}", path.display()))?;
    file.predict
        .into_iter()
        .find(|p| p.id == id)
        .with_context(|| format!("{} has no prediction `{id}`", path.display()))
}

/// Decides which choices the stored data makes right.
pub fn decide(workspace: &Workspace, catalog: &Catalog, p: &Prediction) -> Result<Decided> {
    let (mut right, mut wrong) = (Vec::new(), Vec::new());
    let shown = match (&p.schedule, &p.cell) {
        (Some(id), None) => {
            let scenario = crate::schedule::load(workspace, id)?;
            let template = p.outcome.as_deref().unwrap_or("{}");
            for choice in &p.choices {
                let outcome = template.replace("{}", choice);
                let found = scenario.outcomes.iter().any(|o| o.outcome == outcome);
                if found { &mut right } else { &mut wrong }.push(choice.clone());
            }
            let counts: Vec<String> =
                scenario.outcomes.iter().map(|o| format!("{} ({} of them)", o.outcome, o.runs)).collect();
            format!(
                "{} explored every interleaving: {} different runs, which end with {}.",
                scenario.checker,
                scenario.runs.len(),
                counts.join(", ")
            )
        }
        (None, Some(id)) => {
            let Some(cell) = catalog.get(id) else { bail!("unknown cell `{id}`") };
            let Some(d) = distribution::load(cell)? else {
                bail!("cell `{id}` has no stored distribution to predict");
            };
            let mut said = Vec::new();
            for claim in &p.claims {
                let (holds, words) = judge(&d, p.slot, claim).with_context(|| format!("the claim {:?}", claim.text))?;
                if holds { &mut right } else { &mut wrong }.push(claim.text.clone());
                // What a range rests on is the same for every claim; a
                // phrase is worth saying only where every run printed it.
                if (claim.printed.is_none() || holds) && !said.contains(&words) {
                    said.push(words);
                }
            }
            format!("In the {} stored runs of the cell, {}.", d.runs, said.join("; "))
        }
        _ => bail!("a prediction names either a `schedule` or a `cell`"),
    };
    Ok(Decided {
        id: p.id.clone(),
        prompt: p.prompt.clone(),
        right,
        wrong,
        context: format!("{}\n\n{shown}", p.context.trim_end()),
    })
}

/// Whether a claim holds of every stored run, and the data it rests on in
/// words.
fn judge(d: &Distribution, slot: Option<usize>, claim: &Claim) -> Result<(bool, String)> {
    if let Some(phrase) = &claim.printed {
        let printing = d.outcomes.iter().filter(|o| o.text.contains(phrase.as_str())).map(|o| o.count).sum::<u32>();
        let words = match printing == d.runs {
            true => format!("every run printed \"{phrase}\""),
            false => format!("{printing} printed \"{phrase}\""),
        };
        return Ok((printing == d.runs, words));
    }
    let Some(index) = slot else { bail!("a range needs the prediction's `slot`") };
    let (mut low, mut high) = (f64::INFINITY, f64::NEG_INFINITY);
    let mut what = String::new();
    for outcome in &d.outcomes {
        let Some(s) = outcome.slots.get(index) else { bail!("the stored outcomes have no slot {index}") };
        low = low.min(number(&s.min)?);
        high = high.max(number(&s.max)?);
        what = s.what.clone();
    }
    let (min, max) = (claim.min.unwrap_or(f64::NEG_INFINITY), claim.max.unwrap_or(f64::INFINITY));
    let words = if low == high {
        format!("the {what} was {} in every run", plain(low))
    } else {
        format!("the {what} ranged from {} to {}", plain(low), plain(high))
    };
    Ok((min <= low && high <= max, words))
}

fn number(text: &str) -> Result<f64> {
    distribution::number(text).with_context(|| format!("`{text}` is not a number"))
}

/// A number as the runs print it: thousands separated, no needless `.0`.
fn plain(x: f64) -> String {
    if x.fract() != 0.0 {
        return format!("{x}");
    }
    let out = support::bars::grouped(x.abs() as u64);
    if x < 0.0 { format!("-{out}") } else { out }
}

/// Problems with a decided question: it must have a right and a wrong
/// choice; a question on one cell value has exactly one right claim.
pub fn problems(p: &Prediction, d: &Decided) -> Vec<String> {
    let mut problems = Vec::new();
    if d.right.is_empty() {
        problems.push(format!("prediction `{}`: the stored data makes no choice right", d.id));
    }
    if d.wrong.is_empty() {
        problems.push(format!("prediction `{}`: the stored data makes every choice right; offer a wrong one", d.id));
    }
    if p.cell.is_some() && d.right.len() > 1 {
        problems.push(format!(
            "prediction `{}`: {} claims hold of the stored runs ({}); make exactly one hold",
            d.id,
            d.right.len(),
            d.right.join("; ")
        ));
    }
    problems
}

/// The HTML: a one-question quiz for the knowledge checks' front end.
pub fn render(d: &Decided) -> Result<String> {
    let answer = match d.right.as_slice() {
        [one] => json!(one),
        many => json!(many),
    };
    let question = json!({
        "type": "MultipleChoice",
        "id": d.id,
        "prompt": { "prompt": d.prompt, "distractors": d.wrong },
        "answer": { "answer": answer },
        "context": d.context,
    });
    let quiz = crate::quiz::Quiz {
        path: Default::default(),
        name: format!("predict-{}", d.id.replace('/', "-")),
        ids: vec![d.id.clone()],
        value: toml::Value::try_from(json!({ "questions": [question] }))?,
    };
    Ok(format!(
        "<div class=\"nb-predict\"><p class=\"nb-predict-title\"><strong>Predict first.</strong> \
         Answer before you look below: the answer comes from the stored runs.</p>\n\n{}</div>\n",
        crate::quiz::render(&quiz)?.trim_end()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::distribution::{Outcome, Slot};

    fn distribution(values: &[(&str, &str)]) -> Distribution {
        let slots = values
            .iter()
            .map(|(min, max)| Slot {
                what: "count".into(),
                min: min.to_string(),
                median: min.to_string(),
                max: max.to_string(),
                distinct: 2,
            })
            .collect();
        Distribution {
            runs: 10,
            date: "2026-12-04".into(),
            duration_ms: 1,
            code_sha256: String::new(),
            machine: crate::machine::Machine::current(),
            outcomes: vec![Outcome { count: 10, text: "sold twice in⟨count⟩ races".into(), slots }],
        }
    }

    fn claim(text: &str, min: Option<f64>, max: Option<f64>, printed: Option<&str>) -> Claim {
        Claim { text: text.into(), min, max, printed: printed.map(str::to_string) }
    }

    #[test]
    fn a_range_holds_when_every_run_lies_in_it() {
        let d = distribution(&[("5,217", "19,977")]);
        let inside = claim("thousands", Some(1000.0), Some(20000.0), None);
        let (holds, words) = judge(&d, Some(0), &inside).unwrap();
        assert!(holds);
        assert_eq!(words, "the count ranged from 5,217 to 19,977");
        let too_narrow = claim("over ten thousand", Some(10000.0), None, None);
        assert!(!judge(&d, Some(0), &too_narrow).unwrap().0);
    }

    #[test]
    fn a_phrase_holds_when_every_run_printed_it() {
        let d = distribution(&[("1", "2")]);
        assert!(judge(&d, None, &claim("sold twice", None, None, Some("sold twice in"))).unwrap().0);
        assert!(!judge(&d, None, &claim("never", None, None, Some("never sold twice"))).unwrap().0);
    }

    #[test]
    fn a_question_needs_a_right_and_a_wrong_choice() {
        let p = Prediction {
            id: "x".into(),
            prompt: String::new(),
            context: String::new(),
            schedule: None,
            outcome: None,
            choices: vec![],
            cell: Some("a/b".into()),
            slot: Some(0),
            claims: vec![],
        };
        let decided = |right: &[&str], wrong: &[&str]| Decided {
            id: "x".into(),
            prompt: String::new(),
            right: right.iter().map(|s| s.to_string()).collect(),
            wrong: wrong.iter().map(|s| s.to_string()).collect(),
            context: String::new(),
        };
        assert!(problems(&p, &decided(&["a"], &["b"])).is_empty());
        assert_eq!(problems(&p, &decided(&[], &["b"])).len(), 1);
        assert_eq!(problems(&p, &decided(&["a", "c"], &["b"])).len(), 1);
        assert_eq!(problems(&p, &decided(&["a"], &[])).len(), 1);
    }
}
