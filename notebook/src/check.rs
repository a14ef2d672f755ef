//! `cargo book check`: the fast consistency checks, run before anything slow.
//!
//! Each page's [`directives`] are parsed once, by the parser the build uses,
//! and each kind is checked by a function of its own:
//!
//! - a cell directive is well-formed and names a cell of its own chapter's
//!   crate (folder `src/<crate>/`);
//! - a `{{#measurements}}` names a benchmark with stored medians;
//! - a `{{#quiz}}` names a valid quiz (see [`crate::quiz`]);
//! - an `{{#include}}` names a file that exists and, if it names an anchor,
//!   the file has it.
//!
//! Then the book as a whole: question ids are unique across the book; every
//! chapter crate is used by the book, has a chapter folder and a knowledge
//! check there; no two cells share an example name (cargo's outputs would
//! collide); every cell is placed exactly once and has a stored output,
//! captured from its current source, whose `vary` rules are sound (see
//! [`crate::compare::check_rules`]), and whose figures are described in
//! words. Every page and quiz quotes only numbers its runs show
//! ([`crate::numbers`]) and refers to chapters, places and code that exist
//! ([`crate::references`]); the right answer is the longest option in at
//! most 40% of the book's single-answer questions ([`crate::quiz`]).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::cells::Catalog;
use crate::directives::{self, Directive};
use crate::measure::{self, Bench};
use crate::quiz::Quiz;
use crate::references;
use crate::workspace::{ChapterCrate, Workspace};
use crate::{compare, outputs};

/// One thing wrong, with where.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    /// A file, relative to the workspace, and a line when there is one.
    pub place: String,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.place, self.message)
    }
}

/// Every markdown file under `src/`, sorted.
pub fn markdown_files(src: &Path) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).with_context(|| format!("reading {}", dir.display()))? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "md") {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

/// Runs every check; an empty list means the book is consistent.
pub fn check(workspace: &Workspace) -> Result<Vec<Problem>> {
    let mut book = Book {
        workspace,
        catalog: workspace.catalog()?,
        benches: measure::benches(workspace)?,
        chapters_code: workspace.chapters_code().canonicalize().unwrap_or_else(|_| workspace.chapters_code()),
        problems: Vec::new(),
        placed: BTreeMap::new(),
        used_crates: BTreeSet::new(),
        quizzes: Vec::new(),
    };
    let src = workspace.src();
    let summary = std::fs::read_to_string(src.join("SUMMARY.md")).unwrap_or_default();
    let chapters = references::chapters(&summary);
    let code = references::code_names(&workspace.chapters_code());
    for file in markdown_files(&src)? {
        let text = std::fs::read_to_string(&file).with_context(|| format!("reading {}", file.display()))?;
        let page = Page {
            dir: file.parent().unwrap_or(&src),
            folder: file.parent().filter(|p| *p != src).and_then(|p| p.file_name()).and_then(|n| n.to_str()),
        };
        book.quoted_numbers(&file, &text, page.folder)?;
        book.references(&file, &text, &chapters, &code);
        for found in directives::parse(&text) {
            let place = format!("{}:{}", book.relative(&file), found.line);
            match found.directive {
                Err(why) => book.problem(place, why),
                Ok(Directive::Cell(id)) => book.cell_directive(&page, place, id),
                Ok(Directive::Measurements(id)) => book.measurements_directive(place, &id)?,
                Ok(Directive::Quiz(path)) => book.quiz_directive(&page, place, &path),
                Ok(Directive::Schedule(id)) => book.schedule_directive(place, &id),
                Ok(Directive::Predict(id)) => book.predict_directive(&page, place, &id),
                Ok(Directive::Diagram(name)) => book.diagram_directive(&page, place, &name),
                Ok(Directive::Include { path, anchor }) => book.include_directive(&page, place, &path, anchor),
            }
        }
    }
    book.question_ids();
    let crates = workspace.crates()?;
    for krate in crates.iter().filter(|c| !c.support) {
        book.chapter_crate(krate);
    }
    book.example_names();
    for cell in book.catalog.iter() {
        let problems = cell_placed_once(&book, cell).into_iter().chain(cell_output(&book, cell));
        book.problems.extend(problems.collect::<Vec<_>>());
    }
    let mut problems = book.problems;
    problems.sort();
    Ok(problems)
}

/// What the checks learn as they walk the book.
struct Book<'a> {
    workspace: &'a Workspace,
    catalog: Catalog,
    benches: Vec<Bench>,
    /// `chapters-code/`, canonical, to tell which crate an include reads.
    chapters_code: PathBuf,
    problems: Vec<Problem>,
    /// Where each cell is placed.
    placed: BTreeMap<String, Vec<String>>,
    /// The crates some page uses, by cell or by include.
    used_crates: BTreeSet<String>,
    quizzes: Vec<Quiz>,
}

/// The page a directive is on.
struct Page<'a> {
    /// Its folder, which relative paths start from.
    dir: &'a Path,
    /// The chapter folder's name, for pages inside one.
    folder: Option<&'a str>,
}

impl Book<'_> {
    fn relative(&self, path: &Path) -> String {
        path.strip_prefix(&self.workspace.root).unwrap_or(path).display().to_string()
    }

    fn problem(&mut self, place: String, message: String) {
        self.problems.push(Problem { place, message });
    }

    /// An interleaving player's stored runs exist and still point at the
    /// code they were recorded from.
    fn schedule_directive(&mut self, place: String, id: &str) {
        match crate::schedule::load(self.workspace, id) {
            Err(e) => self.problem(place, format!("{e:#}")),
            Ok(scenario) => {
                if let Some((krate, _)) = id.split_once('/') {
                    self.used_crates.insert(krate.to_string());
                }
                for why in crate::schedule::problems(self.workspace, &scenario) {
                    self.problem(place.clone(), format!("schedule `{id}`: {why}"));
                }
            }
        }
    }

    /// A diagram exists, is whole (its arrows join its nodes, its words are
    /// there), and its stored drawing is of it as it is now.
    fn diagram_directive(&mut self, page: &Page, place: String, name: &str) {
        match crate::diagrams::load(page.dir, name) {
            Err(e) => {
                let root = format!("{}/", self.workspace.root.display());
                self.problem(place, format!("{e:#}").replace(&root, ""));
            }
            Ok(diagram) => {
                let problems = diagram.problems();
                if problems.is_empty()
                    && let Err(e) = crate::diagrams::render(page.dir, &diagram)
                {
                    self.problem(place.clone(), format!("{e:#}"));
                }
                for why in problems {
                    self.problem(place.clone(), why);
                }
            }
        }
    }

    /// A prediction exists, and the stored data makes some of its choices
    /// right and some wrong.
    fn predict_directive(&mut self, page: &Page, place: String, id: &str) {
        let decided = crate::predict::load(page.dir, id)
            .and_then(|p| crate::predict::decide(self.workspace, &self.catalog, &p).map(|d| (p, d)));
        match decided {
            Err(e) => self.problem(place, format!("{e:#}")),
            Ok((p, d)) => {
                for why in crate::predict::problems(&p, &d) {
                    self.problem(place.clone(), why);
                }
            }
        }
    }

    /// Every number the page's prose (and its chapter's quiz) quotes is one
    /// its runs show, or is named as not from a run ([`crate::numbers`]).
    fn quoted_numbers(&mut self, file: &Path, text: &str, folder: Option<&str>) -> Result<()> {
        let mut shown = String::new();
        for found in directives::parse(text) {
            match found.directive {
                Ok(Directive::Cell(id)) => {
                    if let Some(cell) = self.catalog.get(&id)
                        && let Ok(Some(stored)) = outputs::load(cell)
                    {
                        shown.push_str(&stored.text);
                        for (_, svg) in &stored.figures {
                            shown.push_str(svg);
                        }
                        // What many runs printed counts as shown too.
                        if let Ok(Some(distribution)) = crate::distribution::load(cell) {
                            shown.push_str(&crate::distribution::render(&distribution));
                        }
                    }
                }
                Ok(Directive::Measurements(id)) => {
                    if let Some(bench) = self.benches.iter().find(|b| b.to_string() == id)
                        && let Some(m) = measure::load(self.workspace, bench)?
                    {
                        shown.push_str(&measure::render(bench, &m));
                    }
                }
                _ => {}
            }
        }
        let shown = crate::numbers::shown(&shown);
        let mut texts = vec![(file.to_path_buf(), text.to_string())];
        if folder.is_some() {
            let quiz = file.with_file_name("quiz.toml");
            if let Ok(quiz_text) = std::fs::read_to_string(&quiz) {
                texts.push((quiz, quiz_text));
            }
        }
        for (path, text) in texts {
            for (line, number) in crate::numbers::unshown(&text, &shown) {
                let place = format!("{}:{line}", self.relative(&path));
                self.problem(
                    place,
                    format!(
                        "{number} is not among the numbers this page's runs show (outputs, figures, tables): \
                         quote the run, or name it in a `not from a run:` comment with why"
                    ),
                );
            }
        }
        Ok(())
    }

    /// Chapters named by number exist and are linked, nothing is pointed
    /// at by its position, and calls in inline code are calls the code
    /// makes ([`references`]); for the page, and its chapter's quiz.
    fn references(&mut self, file: &Path, text: &str, chapters: &[String], code: &BTreeSet<String>) {
        let place = self.relative(file);
        self.references_in(&place, text, text, chapters, code, true);
        let quiz_path = file.with_file_name("quiz.toml");
        if file.file_name().is_some_and(|n| n == "index.md")
            && let Ok(quiz_text) = std::fs::read_to_string(&quiz_path)
            && let Ok(quiz) = quiz_text.parse::<toml::Table>()
        {
            let quiz_place = self.relative(&quiz_path);
            let questions = quiz.get("questions").and_then(toml::Value::as_array).cloned().unwrap_or_default();
            for q in questions {
                let id = q.get("id").and_then(toml::Value::as_str).unwrap_or("?");
                // Distractors are wrong on purpose: they may name what does
                // not exist.
                let parts = [
                    crate::quiz::texts(q.get("prompt").and_then(|p| p.get("prompt"))),
                    crate::quiz::texts(q.get("answer").and_then(|a| a.get("answer"))),
                    crate::quiz::texts(q.get("context")),
                ]
                .concat();
                let place = format!("{quiz_place} (question `{id}`)");
                self.references_in(&place, &parts.join("\n"), &quiz_text, chapters, code, false);
            }
        }
    }

    fn references_in(
        &mut self,
        place: &str,
        text: &str,
        whole: &str,
        chapters: &[String],
        code: &BTreeSet<String>,
        page: bool,
    ) {
        let at = |line: usize| if page { format!("{place}:{line}") } else { place.to_string() };
        for mention in references::chapter_mentions(text, chapters, page) {
            match mention {
                references::ChapterMention::Missing { line, number } => self.problem(
                    at(line),
                    format!("chapter {number} is named, but the book has {} chapters", chapters.len()),
                ),
                references::ChapterMention::Unlinked { line, number, folder } => self.problem(
                    at(line),
                    format!(
                        "chapter {number} is named but the page never links to it: \
                         make a mention a link, [chapter {number}](../{folder}/index.md)"
                    ),
                ),
            }
        }
        for (line, words) in references::positional(text) {
            self.problem(
                at(line),
                format!("\"{words}\" points by position, which moves when the page does: link to its anchor"),
            );
        }
        for (line, name) in references::unknown_calls(text, code, whole) {
            self.problem(
                at(line),
                format!(
                    "`{name}(…)` is called in the text but no code of the book uses `{name}`: \
                     name a function that exists, or say why in a `not in the code: {name} (why)` comment"
                ),
            );
        }
    }

    /// The cell exists and belongs to the page's chapter.
    fn cell_directive(&mut self, page: &Page, place: String, id: String) {
        let Some(cell) = self.catalog.get(&id) else {
            return self.problem(place, format!("unknown cell `{id}`"));
        };
        let krate = cell.id.krate.clone();
        if let Some(folder) = page.folder
            && folder != krate
        {
            self.problem(
                place.clone(),
                format!("chapter folder `{folder}` places cell `{id}` of another chapter's crate"),
            );
        }
        self.used_crates.insert(krate);
        self.placed.entry(id).or_default().push(place);
    }

    /// The benchmark exists and has stored medians.
    fn measurements_directive(&mut self, place: String, id: &str) -> Result<()> {
        let Some(bench) = self.benches.iter().find(|b| b.to_string() == id) else {
            self.problem(place, format!("unknown benchmark `{id}`"));
            return Ok(());
        };
        if measure::load(self.workspace, bench)?.is_none() {
            let message = format!("`{id}` has no stored medians; run `{}`", measure::command(bench));
            self.problem(place, message);
        }
        Ok(())
    }

    /// The quiz loads and passes its own checks; its ids are kept for the
    /// book-wide check.
    fn quiz_directive(&mut self, page: &Page, place: String, path: &str) {
        let name = page.dir.file_name().and_then(|n| n.to_str()).unwrap_or("quiz");
        match crate::quiz::load(&page.dir.join(path), name) {
            Ok(quiz) => self.quizzes.push(quiz),
            Err(err) => {
                let message = format!("{err:#}").replace(&self.root_prefix(), "");
                self.problem(place, message);
            }
        }
    }

    /// The included file exists, and has the anchor if one is named.
    fn include_directive(&mut self, page: &Page, place: String, path: &str, anchor: Option<String>) {
        let target = page.dir.join(path);
        let Ok(source) = std::fs::read_to_string(&target) else {
            return self.problem(place, format!("included file `{path}` does not exist"));
        };
        if let Ok(canonical) = target.canonicalize()
            && let Ok(inside) = canonical.strip_prefix(&self.chapters_code)
            && let Some(krate) = inside.components().next()
        {
            self.used_crates.insert(krate.as_os_str().to_string_lossy().into_owned());
        }
        if let Some(anchor) = anchor
            && !directives::anchors(&source).contains(&anchor)
        {
            self.problem(place, format!("`{path}` has no anchor `{anchor}`"));
        }
    }

    /// Question ids are unique across the book, and the longest option is
    /// not a safe guess.
    fn question_ids(&mut self) {
        for message in crate::quiz::check_ids(&self.quizzes) {
            let message = message.replace(&self.root_prefix(), "");
            self.problem("src".to_string(), message);
        }
        if let Some(message) = crate::quiz::check_longest_answers(&self.quizzes) {
            self.problem("src".to_string(), message);
        }
    }

    /// A chapter crate is used by the book, has its folder, and a
    /// knowledge check and a diagram in the folder's page.
    fn chapter_crate(&mut self, krate: &ChapterCrate) {
        let place = self.relative(&krate.dir);
        if !self.used_crates.contains(&krate.name) {
            self.problem(place.clone(), format!("chapter crate `{}` is not used by any page of the book", krate.name));
        }
        let folder = self.workspace.src().join(&krate.name);
        let page = folder.join("index.md");
        if !folder.is_dir() {
            let message = format!("chapter crate `{}` has no chapter folder `src/{}/`", krate.name, krate.name);
            self.problem(place, message);
        } else if let Ok(text) = std::fs::read_to_string(&page) {
            let found = directives::parse(&text);
            let has = |kind: fn(&Directive) -> bool| found.iter().any(|f| f.directive.as_ref().is_ok_and(kind));
            let place = self.relative(&page);
            if !has(|d| matches!(d, Directive::Quiz(_))) {
                self.problem(
                    place.clone(),
                    "the chapter has no knowledge check: add `{{#quiz quiz.toml}}`".to_string(),
                );
            }
            // A picture of the chapter's idea: a concept diagram, or a
            // diagram a cell draws from its run.
            let cell_draws_one = |d: &Directive| match d {
                Directive::Cell(id) => self.catalog.get(id).is_some_and(|cell| {
                    outputs::load(cell)
                        .ok()
                        .flatten()
                        .is_some_and(|stored| stored.figures.iter().any(|(_, svg)| crate::diagrams::is_diagram(svg)))
                }),
                _ => false,
            };
            if !has(|d| matches!(d, Directive::Diagram(_)))
                && !found.iter().any(|f| f.directive.as_ref().is_ok_and(cell_draws_one))
            {
                self.problem(
                    place,
                    "the chapter has no picture of its idea: add a diagram to diagrams.toml and place it with `{{#diagram name}}`"
                        .to_string(),
                );
            }
        }
    }

    /// Cargo writes every example to `target/<profile>/examples/<name>`:
    /// two crates with an example of the same name overwrite each other's
    /// program, and a cell would run the wrong one.
    fn example_names(&mut self) {
        let mut by_name: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        for cell in self.catalog.iter() {
            by_name.entry(&cell.id.example).or_default().push(cell.id.to_string());
        }
        let problems: Vec<Problem> = by_name
            .iter()
            .filter(|(_, ids)| ids.len() > 1)
            .map(|(name, ids)| Problem {
                place: "chapters-code".to_string(),
                message: format!(
                    "example name `{name}` is used by {}; cargo puts all examples in one folder, so names must differ",
                    ids.join(" and ")
                ),
            })
            .collect();
        self.problems.extend(problems);
    }

    /// The workspace root as it starts paths in messages.
    fn root_prefix(&self) -> String {
        format!("{}/", self.workspace.root.display())
    }
}

/// A cell is placed exactly once.
fn cell_placed_once(book: &Book, cell: &crate::cells::Cell) -> Option<Problem> {
    let id = cell.id.to_string();
    let place = book.relative(&cell.path);
    match book.placed.get(&id).map(Vec::len).unwrap_or(0) {
        0 => Some(Problem { place, message: format!("cell `{id}` is not placed in the book") }),
        1 => None,
        _ => Some(Problem {
            place,
            message: format!("cell `{id}` is placed more than once: {}", book.placed[&id].join(", ")),
        }),
    }
}

/// A cell has a stored output, captured from its current source, that its
/// `vary` rules fit.
fn cell_output(book: &Book, cell: &crate::cells::Cell) -> Vec<Problem> {
    let id = cell.id.to_string();
    let place = book.relative(&cell.path);
    let problem = |message: String| Problem { place: place.clone(), message };
    match outputs::load(cell) {
        Err(err) => vec![problem(format!("{err:#}"))],
        Ok(None) => vec![problem(format!("cell `{id}` has no stored output; run `cargo book capture --cell {id}`"))],
        Ok(Some(stored)) => {
            let mut problems = Vec::new();
            if stored.meta.code_sha256 != outputs::code_hash(&cell.source) {
                problems.push(problem(format!(
                    "cell `{id}` changed since its output was captured; run `cargo book capture --cell {id}`"
                )));
            }
            for message in compare::check_rules(&stored.text, &cell.spec) {
                problems.push(problem(format!("cell `{id}`: {message}")));
            }
            match (cell.spec.runs, crate::distribution::load(cell)) {
                (_, Err(err)) => problems.push(problem(format!("{err:#}"))),
                (Some(runs), Ok(None)) => problems.push(problem(format!(
                    "cell `{id}` declares runs = {runs} but has no stored distribution; \
                     run `cargo book capture --cell {id}`"
                ))),
                (None, Ok(Some(_))) => problems.push(problem(format!(
                    "cell `{id}` has a stored distribution but declares no `runs`; capture it again"
                ))),
                (Some(runs), Ok(Some(d))) => {
                    if d.code_sha256 != outputs::code_hash(&cell.source) || d.runs != runs {
                        problems.push(problem(format!(
                            "cell `{id}` changed since its distribution was captured; \
                             run `cargo book capture --cell {id}`"
                        )));
                    }
                }
                (None, Ok(None)) => {}
            }
            for (name, svg) in &stored.figures {
                if let Some(message) = undescribed(svg) {
                    problems.push(problem(format!("cell `{id}`, figure `{name}`: {message}")));
                }
                for message in stale_steps(book, svg) {
                    problems.push(problem(format!(
                        "cell `{id}`, figure `{name}`: {message}; run `cargo book capture --cell {id}`"
                    )));
                }
            }
            problems
        }
    }
}

/// A stepper's messages each name the line of code that sent them
/// (`data-where="crate/src/file.rs:42"`, `data-code="..."`): those whose
/// line no longer holds that code, so that the page would point the
/// reader at the wrong line.
fn stale_steps(book: &Book, svg: &str) -> Vec<String> {
    let attribute = |tag: &str, name: &str| -> Option<String> {
        let key = format!(" {name}=\"");
        let at = tag.find(&key)? + key.len();
        let value = &tag[at..at + tag[at..].find('"')?];
        Some(html_escape::decode_html_entities(value).into_owned())
    };
    let mut problems = Vec::new();
    for (at, _) in svg.match_indices("<g class=\"nb-step\"") {
        let tag = &svg[at..at + svg[at..].find('>').unwrap_or(0)];
        let (Some(place), Some(code)) = (attribute(tag, "data-where"), attribute(tag, "data-code")) else {
            continue;
        };
        let Some((file, line)) = place.rsplit_once(':') else { continue };
        let Ok(line) = line.parse::<usize>() else { continue };
        let text = std::fs::read_to_string(book.workspace.chapters_code().join(file)).unwrap_or_default();
        let now = text.lines().nth(line.saturating_sub(1)).map(str::trim).unwrap_or("");
        if now != code && !problems.iter().any(|p: &String| p.starts_with(&format!("{place} "))) {
            problems.push(format!("{place} sent a message from `{code}` and is `{now}` now"));
        }
    }
    problems
}

/// Why a stored figure cannot be read without sight, if it cannot: it needs
/// `role="img"`, a title, a description written from its data, and a
/// how-to-read sentence for its caption (what `support`'s drawing functions
/// write; see `support::figure::describe`).
fn undescribed(svg: &str) -> Option<String> {
    let root_tag = crate::preprocess::svg_root(svg).unwrap_or(&svg[..svg.find('>').unwrap_or(svg.len())]);
    if !root_tag.contains("role=\"img\"") {
        return Some("its <svg> has no role=\"img\"; draw it with support's charts, which describe it".into());
    }
    let Some(words) = support::figure::Description::of(svg) else {
        return Some("it has no <title>, <desc> and how-to-read caption; draw it with support's charts".into());
    };
    let missing: Vec<&str> = [
        ("a title", words.title.trim()),
        ("a description", words.description.trim()),
        ("a how-to-read caption", words.how_to_read.trim()),
    ]
    .into_iter()
    .filter(|(_, text)| text.is_empty())
    .map(|(what, _)| what)
    .collect();
    (!missing.is_empty()).then(|| format!("its words are empty: {}", missing.join(", ")))
}
