//! The preprocessor: expands the book's [`directives`]. `{{#cell
//! crate/example}}` becomes the code, a toolbar for the run button, and the
//! stored output of a real run; `{{#measurements crate/bench}}` a chart and
//! table of stored medians; `{{#schedule crate/name}}` an interleaving
//! player; `{{#predict id}}` a question asked before stored runs;
//! `{{#diagram name}}` a picture of an idea; `{{#quiz file.toml}}` a
//! knowledge check.
//!
//! It runs in-process when the notebook builds the book, and as an mdBook
//! command preprocessor (`notebook preprocessor`) when plain `mdbook build`
//! reads `book.toml`, so both give the same book.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use mdbook_preprocessor::book::Book;
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};

use crate::cells::{Catalog, Cell};
use crate::directives::{self, Directive};
use crate::measure::{self, Bench};
use crate::outputs::{self, Stored};
use crate::workspace::Workspace;

/// The name the preprocessor has in `book.toml`: `[preprocessor.cells]`.
pub const NAME: &str = "cells";

/// Expands cell directives.
pub struct CellPreprocessor;

impl Preprocessor for CellPreprocessor {
    fn name(&self) -> &str {
        NAME
    }

    fn run(&self, ctx: &PreprocessorContext, mut book: Book) -> Result<Book> {
        // Where the book's sources are published (book.toml, or the
        // publishing workflow's MDBOOK_OUTPUT__HTML__GIT_REPOSITORY_URL):
        // the static page's Run button names it.
        let repository = ctx.config.get::<String>("output.html.git-repository-url").ok().flatten();
        let expander = Expander::new(&Workspace::at(&ctx.root))?.with_repository(repository);
        let src = ctx.root.join(&ctx.config.book.src);
        let mut error = None;
        book.for_each_chapter_mut(|chapter| {
            if error.is_some() {
                return;
            }
            let file = chapter.source_path.clone().map(|p| src.join(p)).unwrap_or_else(|| PathBuf::from(&chapter.name));
            match expander.expand(&file, &chapter.content) {
                Ok(content) => chapter.content = content,
                Err(err) => error = Some(err),
            }
        });
        match error {
            Some(err) => Err(err),
            None => Ok(book),
        }
    }

    fn supports_renderer(&self, _renderer: &str) -> Result<bool> {
        Ok(true)
    }
}

/// What a build expands directives with, loaded once for the whole book:
/// the cells and the benchmarks.
pub struct Expander {
    workspace: Workspace,
    catalog: Catalog,
    benches: Vec<Bench>,
    repository: Option<String>,
}

impl Expander {
    pub fn new(workspace: &Workspace) -> Result<Expander> {
        Ok(Expander {
            workspace: workspace.clone(),
            catalog: workspace.catalog()?,
            benches: measure::benches(workspace)?,
            repository: None,
        })
    }

    /// The URL of the book's repository, for the static pages' Run button.
    pub fn with_repository(mut self, repository: Option<String>) -> Expander {
        self.repository = repository;
        self
    }

    /// Expands every directive of one page that the notebook expands (cells,
    /// measurements, quizzes), in one pass; mdBook's includes are left to
    /// mdBook. `file` is the page, for its folder and for errors.
    pub fn expand(&self, file: &Path, markdown: &str) -> Result<String> {
        let found = directives::parse(markdown);
        let mut ours = found.iter().filter(|f| !matches!(f.directive, Ok(Directive::Include { .. }))).peekable();
        if ours.peek().is_none() {
            return Ok(markdown.to_string());
        }
        let mut out = String::with_capacity(markdown.len() * 2);
        for (i, line) in markdown.split_inclusive('\n').enumerate() {
            let Some(found) = ours.next_if(|f| f.line == i + 1) else {
                out.push_str(line);
                continue;
            };
            let at = format!("{}:{}", file.display(), found.line);
            match &found.directive {
                Err(why) => bail!("{at}: {why}"),
                Ok(Directive::Cell(id)) => out.push_str(&self.cell(&at, id)?),
                Ok(Directive::Measurements(id)) => out.push_str(&self.measurements(&at, id)?),
                Ok(Directive::Quiz(path)) => out.push_str(&quiz(file, &at, path)?),
                Ok(Directive::Diagram(name)) => {
                    let dir = file.parent().unwrap_or(Path::new("."));
                    let diagram = crate::diagrams::load(dir, name).with_context(|| at.clone())?;
                    out.push_str(&crate::diagrams::render(dir, &diagram).with_context(|| at.clone())?);
                }
                Ok(Directive::Predict(id)) => {
                    let dir = file.parent().unwrap_or(Path::new("."));
                    let prediction = crate::predict::load(dir, id).with_context(|| at.clone())?;
                    let decided = crate::predict::decide(&self.workspace, &self.catalog, &prediction)
                        .with_context(|| at.clone())?;
                    out.push_str(&crate::predict::render(&decided)?);
                }
                Ok(Directive::Schedule(id)) => {
                    let scenario = crate::schedule::load(&self.workspace, id).with_context(|| at.clone())?;
                    out.push_str(&crate::schedule::render(id, &scenario));
                }
                Ok(Directive::Include { .. }) => unreachable!("includes were filtered out"),
            }
        }
        Ok(out)
    }

    fn cell(&self, at: &str, id: &str) -> Result<String> {
        let Some(cell) = self.catalog.get(id) else {
            bail!("{at}: unknown cell `{id}`; the cells are: {}", self.catalog.ids().join(", "));
        };
        let stored = outputs::load(cell).with_context(|| format!("{at}: the stored output of `{id}`"))?;
        if stored.is_none() {
            tracing::warn!("{at}: cell `{id}` has no stored output; run `cargo book capture --cell {id}`");
        }
        Ok(render(cell, stored.as_ref(), self.repository.as_deref()))
    }

    fn measurements(&self, at: &str, id: &str) -> Result<String> {
        let Some(bench) = self.benches.iter().find(|b| b.to_string() == id) else {
            let known: Vec<String> = self.benches.iter().map(|b| b.to_string()).collect();
            bail!("{at}: unknown benchmark `{id}`; the benchmarks are: {}", known.join(", "));
        };
        match measure::load(&self.workspace, bench)? {
            Some(m) => Ok(measure::render(bench, &m)),
            None => bail!("{at}: `{id}` has no stored medians; run `{}`", measure::command(bench)),
        }
    }
}

/// A knowledge check: the quiz file beside the page, named after the page's
/// folder.
fn quiz(file: &Path, at: &str, path: &str) -> Result<String> {
    let dir = file.parent().unwrap_or(Path::new("."));
    let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or("quiz");
    let quiz = crate::quiz::load(&dir.join(path), name).with_context(|| at.to_string())?;
    crate::quiz::render(&quiz)
}

/// The markdown (with HTML blocks) a cell expands to. `repository`, when
/// known, is where the book's sources are published.
pub fn render(cell: &Cell, stored: Option<&Stored>, repository: Option<&str>) -> String {
    let id = cell.id.to_string();
    let code = cell.book_code();
    let fence = "`".repeat(longest_backtick_run(&code).max(2) + 1);
    let mut out = String::new();
    let repository = repository
        .map(|url| format!(" data-repository=\"{}\"", html_escape::encode_double_quoted_attribute(url)))
        .unwrap_or_default();
    // Blank lines end HTML blocks in markdown, so every HTML block below is a
    // single line or a <pre> (which may hold blank lines), and markdown (the
    // code fence) sits between them.
    out.push_str(&format!(
        "<div class=\"nb-cell\" id=\"cell-{anchor}\" data-cell=\"{id}\" data-timeout=\"{timeout}\" data-command=\"{command}\"{repository}>\n\n",
        anchor = id.replace('/', "-"),
        timeout = cell.spec.timeout.as_secs(),
        command = html_escape::encode_double_quoted_attribute(&cell.command()),
    ));
    out.push_str(&format!("{fence}rust,noplayground\n{code}{fence}\n\n"));
    out.push_str(&download(cell));
    out.push_str("<div class=\"nb-output\">\n\n");
    match stored {
        Some(stored) => {
            let text = crate::terminal::to_html(&stored.text);
            out.push_str(&format!("<pre class=\"nb-text\">{}</pre>\n\n", text.trim_end_matches('\n')));
            for (name, svg) in &stored.figures {
                out.push_str(&figure(name, svg));
            }
            if let Some(trace) = &stored.trace {
                out.push_str(&trace_download(cell, trace));
            }
            let meta = &stored.meta;
            out.push_str(&format!(
                "<p class=\"nb-caption\">Output of a real run, captured {date} on {machine}; it took {secs:.2} s. \
                 Run it yourself: <code>{command}</code></p>\n\n",
                date = meta.date,
                machine = html_escape::encode_text(&meta.machine.describe()),
                secs = meta.duration_ms as f64 / 1000.0,
                command = html_escape::encode_text(&cell.command()),
            ));
            // Under the one run, what many runs printed, if stored.
            if let Ok(Some(distribution)) = crate::distribution::load(cell) {
                out.push_str(&crate::distribution::render(&distribution));
            }
        }
        None => out.push_str(&format!(
            "<p class=\"nb-caption nb-missing\">No output captured yet: run <code>cargo book capture --cell {id}</code>.</p>\n\n"
        )),
    }
    out.push_str("</div>\n\n</div>\n");
    out
}

/// The cell's program file, whole, as a link that saves it: the static
/// page's Run button offers it. A data URL, so that it works wherever the
/// page is, with no server and no copy of the file beside the page.
fn download(cell: &Cell) -> String {
    use base64::Engine as _;
    let file = cell.path.file_name().and_then(|n| n.to_str()).unwrap_or("main.rs");
    let data = base64::engine::general_purpose::STANDARD.encode(&cell.source);
    // Its path in the repository: from `chapters-code/` on.
    let parts: Vec<_> = cell.path.components().map(|c| c.as_os_str().to_string_lossy()).collect();
    let from = parts.iter().rposition(|p| p == "chapters-code").unwrap_or(0);
    let path = parts[from..].join("/");
    format!(
        "<p class=\"nb-download\" hidden><a download=\"{file}\" href=\"data:text/x-rust;charset=utf-8;base64,{data}\">Download {file}</a> \
         (the program as it is in <code>{path}</code>)</p>\n\n",
        file = html_escape::encode_double_quoted_attribute(file),
        path = html_escape::encode_text(&path),
    )
}

/// The run's timelines as a trace file to download, and how to open it:
/// the viewer readers meet again when they profile their own programs.
fn trace_download(cell: &Cell, trace: &str) -> String {
    use base64::Engine as _;
    let file = format!("{}.trace.json", cell.id.example);
    let data = base64::engine::general_purpose::STANDARD.encode(trace);
    format!(
        "<p class=\"nb-trace\"><a download=\"{file}\" href=\"data:application/json;base64,{data}\">Download the timeline as a trace</a> \
         ({kib:.1} KiB): open it in <a href=\"https://ui.perfetto.dev\">Perfetto</a> (\"Open trace file\") or at \
         <code>chrome://tracing</code> in Chrome, to zoom in, measure spans and search them.</p>\n\n",
        file = html_escape::encode_double_quoted_attribute(&file),
        kib = trace.len() as f64 / 1024.0,
    )
}

/// A stored figure, inline, with its how-to-read sentence as the caption.
/// The SVG carries its own accessible name and description (`<title>`,
/// `<desc>`, written by `support` from the run's data); the caption is for
/// everyone. A figure that has none (the check reports it) shows without.
fn figure(name: &str, svg: &str) -> String {
    let caption = support::figure::Description::of(svg).map(|words| figcaption(&words)).unwrap_or_default();
    // A picture of an idea, drawn from the run, is a diagram; a sequence of
    // messages is a stepper (theme/stepper.js).
    let class = if crate::diagrams::is_diagram(svg) {
        "nb-figure nb-diagram"
    } else if is_sequence(svg) {
        "nb-figure nb-stepper"
    } else {
        "nb-figure"
    };
    format!("<figure class=\"{class}\" data-figure=\"{name}\">{}{caption}</figure>\n\n", inline_svg(svg))
}

/// Whether a stored figure is a sequence diagram (`support::sequence`).
fn is_sequence(svg: &str) -> bool {
    svg_root(svg).is_some_and(|root| root.contains("data-sequence=\"true\""))
}

/// A picture's `<svg ...` root tag, where its marks and words are.
pub(crate) fn svg_root(svg: &str) -> Option<&str> {
    let root = &svg[svg.find("<svg")?..];
    Some(&root[..root.find('>').unwrap_or(root.len())])
}

/// A figure's caption: its title, then how to read it.
pub(crate) fn figcaption(words: &support::figure::Description) -> String {
    format!(
        "<figcaption><strong>{}.</strong> {}</figcaption>",
        html_escape::encode_text(words.title.trim_end_matches('.')),
        html_escape::encode_text(&words.how_to_read),
    )
}

/// An SVG made safe to sit in a one-line HTML block: no XML declaration, no
/// blank lines.
pub(crate) fn inline_svg(svg: &str) -> String {
    let svg = match svg.find("<svg") {
        Some(start) => &svg[start..],
        None => svg,
    };
    svg.lines().map(str::trim_end).filter(|l| !l.trim().is_empty()).collect::<Vec<_>>().join("\n")
}

fn longest_backtick_run(text: &str) -> usize {
    text.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}

/// mdBook's command-preprocessor protocol: `notebook preprocessor supports R`
/// answers by exit status; `notebook preprocessor` reads `[context, book]` as
/// JSON on stdin and writes the book back.
pub fn run_as_command(supports: Option<&str>) -> Result<()> {
    if let Some(renderer) = supports {
        return if CellPreprocessor.supports_renderer(renderer)? {
            Ok(())
        } else {
            bail!("unsupported renderer {renderer}")
        };
    }
    let (ctx, book) = mdbook_preprocessor::parse_input(std::io::stdin()).context("reading mdBook's input")?;
    let book = CellPreprocessor.run(&ctx, book)?;
    serde_json::to_writer(std::io::stdout(), &book).context("writing the book")?;
    Ok(())
}
