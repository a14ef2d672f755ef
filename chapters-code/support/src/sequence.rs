//! What a runtime does, message by message, for the book's steppers.
//!
//! The book's own runtimes (the event loop, `block_on`, the executor and
//! reactor) call [`note`] where something passes from one part to another:
//! the executor polls a task, a task answers `Pending`, the reactor is
//! asked to wake it, readiness arrives, the waker queues the task. Notes
//! are taken only while a [`Sequence`] is [recording](Sequence::record);
//! otherwise `note` is one relaxed atomic load and nothing else, so the
//! runtimes keep their calls in their everyday code.
//!
//! A recorded sequence is drawn as a sequence diagram: a column (a
//! *lane*) for each part, an arrow for each message, top to bottom in the
//! order they happened ([`Sequence::to_svg`], with the `svg` crate). Each
//! arrow carries what it means in a sentence and the line of the chapter's
//! code that sent it, so that the page can step through the run one
//! message at a time.

use std::collections::BTreeMap;
use std::panic::Location;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use svg::Document;
use svg::node::element::{Group, Line, Path as SvgPath, Rectangle, Text};

use crate::draw::{arrowhead, halo};
use crate::figure::{self, Description};
use crate::source;

/// One message from one lane to another (or to itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub from: String,
    pub to: String,
    /// A short label drawn on the arrow: `poll`, `Pending`, `wake`.
    pub label: String,
    /// The source file that sent it, as the compiler named it.
    pub file: String,
    /// The line of the [`note`] call.
    pub line: u32,
}

/// A recording of events, and the sentence each label means.
#[derive(Debug, Default)]
pub struct Sequence {
    lanes: Mutex<Vec<String>>,
    events: Mutex<Vec<Event>>,
    meanings: Mutex<BTreeMap<String, String>>,
}

static RECORDING: AtomicBool = AtomicBool::new(false);
static CURRENT: Mutex<Option<Arc<Sequence>>> = Mutex::new(None);

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // Nothing panics while holding these locks.
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Notes that `from` sent `to` the message `label`, if a sequence is
/// recording. The caller's line is kept with it.
#[track_caller]
pub fn note(from: &str, to: &str, label: &str) {
    if !RECORDING.load(Ordering::Relaxed) {
        return;
    }
    let at = Location::caller();
    if let Some(sequence) = lock(&CURRENT).as_ref() {
        sequence.push(Event {
            from: from.to_string(),
            to: to.to_string(),
            label: label.to_string(),
            file: at.file().to_string(),
            line: at.line(),
        });
    }
}

/// Whether a sequence is recording (for a runtime that must compute a
/// lane's name before it can [`note`]).
pub fn recording() -> bool {
    RECORDING.load(Ordering::Relaxed)
}

impl Sequence {
    /// An empty sequence whose first lanes, left to right, are `lanes`;
    /// lanes first named by an event are added after them.
    pub fn new(lanes: &[&str]) -> Arc<Sequence> {
        let sequence = Sequence::default();
        *lock(&sequence.lanes) = lanes.iter().map(|l| l.to_string()).collect();
        Arc::new(sequence)
    }

    /// Says what the messages labelled `label` mean, in a sentence that
    /// may name `{from}` and `{to}`.
    pub fn mean(&self, label: &str, sentence: &str) {
        lock(&self.meanings).insert(label.to_string(), sentence.to_string());
    }

    /// Runs `work` with this sequence recording every [`note`], on every
    /// thread, and stops recording when it returns. One sequence records
    /// at a time.
    pub fn record<T>(self: &Arc<Self>, work: impl FnOnce() -> T) -> T {
        *lock(&CURRENT) = Some(Arc::clone(self));
        RECORDING.store(true, Ordering::Relaxed);
        struct Stop;
        impl Drop for Stop {
            fn drop(&mut self) {
                RECORDING.store(false, Ordering::Relaxed);
                *lock(&CURRENT) = None;
            }
        }
        let _stop = Stop;
        work()
    }

    fn push(&self, event: Event) {
        let mut lanes = lock(&self.lanes);
        for lane in [&event.from, &event.to] {
            if !lanes.contains(lane) {
                lanes.push(lane.clone());
            }
        }
        lock(&self.events).push(event);
    }

    /// The events, in the order they were noted.
    pub fn events(&self) -> Vec<Event> {
        lock(&self.events).clone()
    }

    /// The lanes, left to right.
    pub fn lanes(&self) -> Vec<String> {
        lock(&self.lanes).clone()
    }

    /// What an event means, in a sentence: its label's meaning with the
    /// lanes filled in, or the bare message.
    pub fn meaning(&self, event: &Event) -> String {
        let meanings = lock(&self.meanings);
        match meanings.get(&event.label) {
            Some(sentence) => sentence
                .replace("{from}", &event.from)
                .replace("{to}", &event.to),
            None => {
                format!("{} sends {}: {}.", event.from, event.to, event.label)
            }
        }
    }

    /// The sequence diagram, with its words (see [`figure::describe`]) and
    /// each event in a group of its own that carries its step number, its
    /// meaning and its line of code, for the page's stepper.
    pub fn to_svg(&self, title: &str) -> String {
        let lanes = self.lanes();
        let events = self.events();
        const LANE: f64 = 125.0;
        const ROW: f64 = 24.0;
        const TOP: f64 = 56.0;
        const LEFT: f64 = 40.0;
        let x = |lane: &str| {
            LEFT + LANE
                * (lanes.iter().position(|l| l == lane).unwrap_or(0) as f64
                    + 0.5)
        };
        // Room on the right for the label of a step within the last lane.
        let width = LEFT + LANE * lanes.len() as f64 + 70.0;
        let height = TOP + ROW * (events.len() as f64 + 1.0);
        let arrowhead = arrowhead("nb-seq-arrow");
        let mut doc = Document::new()
            .set("viewBox", (0, 0, width, height))
            .set("width", width)
            .set("height", height)
            .set("data-sequence", "true")
            .set("font-family", "sans-serif")
            .set("font-size", 12)
            .add(svg::node::element::Definitions::new().add(arrowhead))
            .add(
                Rectangle::new()
                    .set("width", width)
                    .set("height", height)
                    .set("fill", "white"),
            );
        for lane in &lanes {
            let cx = x(lane);
            doc = doc
                .add(
                    Rectangle::new()
                        .set("x", cx - LANE / 2.0 + 8.0)
                        .set("y", 8)
                        .set("width", LANE - 16.0)
                        .set("height", 26)
                        .set("rx", 4)
                        .set("fill", "#eef")
                        .set("stroke", "black"),
                )
                .add(
                    Text::new(lane.as_str())
                        .set("x", cx)
                        .set("y", 25)
                        .set("text-anchor", "middle"),
                )
                .add(
                    Line::new()
                        .set("x1", cx)
                        .set("y1", 34)
                        .set("x2", cx)
                        .set("y2", height - 8.0)
                        .set("stroke", "#999")
                        .set("stroke-dasharray", "4 4"),
                );
        }
        for (i, event) in events.iter().enumerate() {
            let y = TOP + ROW * (i as f64 + 0.5);
            let (x1, x2) = (x(&event.from), x(&event.to));
            let code =
                source::line(&event.file, event.line).unwrap_or_default();
            let mut group = Group::new()
                .set("class", "nb-step")
                .set("data-step", i + 1)
                .set("data-meaning", self.meaning(event))
                .set(
                    "data-where",
                    format!("{}:{}", short(&event.file), event.line),
                )
                .set("data-code", code)
                .add(
                    Text::new(format!("{}", i + 1))
                        .set("x", 6)
                        .set("y", y + 4.0)
                        .set("fill", "#555"),
                );
            if event.from == event.to {
                // A step within one lane: a small loop to its right.
                let d = format!("M{x1},{} h24 v12 h-22", y - 6.0);
                group = group
                    .add(
                        SvgPath::new()
                            .set("d", d)
                            .set("fill", "none")
                            .set("stroke", "black")
                            .set("marker-end", "url(#nb-seq-arrow)"),
                    )
                    .add(halo(
                        Text::new(event.label.as_str())
                            .set("x", x1 + 28.0)
                            .set("y", y + 4.0),
                    ));
            } else {
                group = group
                    .add(
                        Line::new()
                            .set("x1", x1)
                            .set("y1", y)
                            .set("x2", x2)
                            .set("y2", y)
                            .set("stroke", "black")
                            .set("marker-end", "url(#nb-seq-arrow)"),
                    )
                    .add(halo(
                        Text::new(event.label.as_str())
                            .set("x", (x1 + x2) / 2.0)
                            .set("y", y - 5.0)
                            .set("text-anchor", "middle"),
                    ));
            }
            doc = doc.add(group);
        }
        let steps: Vec<String> = events
            .iter()
            .enumerate()
            .map(|(i, e)| {
                format!("{}. {} → {}: {}", i + 1, e.from, e.to, e.label)
            })
            .collect();
        let words = Description {
            title: title.to_string(),
            description: format!(
                "A sequence diagram of {} messages between {}. In order: {}.",
                events.len(),
                lanes.join(", "),
                steps.join("; ")
            ),
            how_to_read: "Each column is a part of the program, and time runs down the page: each arrow is one \
                          message, from the part that sent it to the part it reached, numbered in the order they \
                          happened."
                .to_string(),
        };
        figure::describe(&doc.to_string(), &words)
    }

    /// Shows the diagram under the cell's output (see
    /// [`figure::show_svg`]); the page makes it a stepper.
    pub fn show(&self, name: &str, title: &str) -> std::io::Result<PathBuf> {
        figure::show_svg(name, &self.to_svg(title))
    }
}

fn short(file: &str) -> &str {
    file.strip_prefix("chapters-code/").unwrap_or(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Recording is global: the tests take turns.
    static TURN: Mutex<()> = Mutex::new(());

    #[test]
    fn notes_are_kept_only_while_recording_with_their_lines() {
        let _turn = lock(&TURN);
        note("executor", "task 1", "poll");
        let sequence = Sequence::new(&["executor"]);
        let line = line!() + 1;
        sequence.record(|| note("executor", "task 1", "poll"));
        note("executor", "task 1", "poll");
        let events = sequence.events();
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].line, line);
        assert!(events[0].file.ends_with("sequence.rs"));
        assert_eq!(sequence.lanes(), ["executor", "task 1"]);
    }

    #[test]
    fn the_diagram_has_a_step_per_event_with_its_meaning_and_code() {
        let _turn = lock(&TURN);
        let sequence = Sequence::new(&["executor", "task"]);
        sequence.mean("poll", "The {from} polls the {to}.");
        sequence.record(|| {
            note("executor", "task", "poll");
            note("task", "executor", "Pending");
        });
        let svg = sequence.to_svg("Two messages");
        assert_eq!(svg.matches("class=\"nb-step\"").count(), 2);
        assert!(
            svg.contains("data-meaning=\"The executor polls the task.\""),
            "{svg}"
        );
        assert!(svg.contains("data-meaning=\"task sends executor: Pending.\""));
        assert!(svg.contains("data-code=\"note(&quot;executor&quot;, &quot;task&quot;, &quot;poll&quot;);\""), "{svg}");
        let words = Description::of(&svg).expect("described");
        assert!(words.description.ends_with(
            "1. executor → task: poll; 2. task → executor: Pending."
        ));
    }
}
