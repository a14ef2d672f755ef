//! Concept diagrams: `{{#diagram name}}` places a picture of a chapter's
//! idea, a `<figure class="nb-diagram">` with its caption.
//!
//! A diagram is described as data in the chapter folder's `diagrams.toml`
//! (`[[diagram]]` entries: see [`support::diagram::Diagram`]).
//! `cargo book capture --diagrams` (and a whole capture) lays each out with
//! Graphviz's `dot` and stores the drawing as `diagrams/<name>.svg` beside
//! it, stamped with the hash of what it was drawn from; the page inlines
//! the stored drawing, so reading and building the book need no Graphviz.
//! The check refuses a drawing older than its description, and holds every
//! chapter to at least one diagram.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};
use serde::Deserialize;
use support::diagram::{Diagram, MARK};
use support::figure::Description;

use crate::workspace::Workspace;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    diagram: Vec<Diagram>,
}

/// Every diagram of the page folder `dir`.
pub fn all(dir: &Path) -> Result<Vec<Diagram>> {
    let path = dir.join("diagrams.toml");
    let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let file: File = toml::from_str(&text).with_context(|| format!("reading {}", path.display()))?;
    Ok(file.diagram)
}

/// The diagram `name` of the page folder `dir`.
pub fn load(dir: &Path, name: &str) -> Result<Diagram> {
    let Some(diagram) = all(dir)?.into_iter().find(|d| d.name == name) else {
        bail!("{} has no diagram `{name}`", dir.join("diagrams.toml").display());
    };
    Ok(diagram)
}

/// Where a diagram's drawing is stored.
pub fn stored_path(dir: &Path, name: &str) -> PathBuf {
    dir.join("diagrams").join(format!("{name}.svg"))
}

/// The hash of everything the drawing shows: its DOT and its words (the
/// description as written from its arrows).
fn source_hash(diagram: &Diagram) -> String {
    let words = format!("{}\n{}\n{}\n{}", diagram.dot(), diagram.title, diagram.description(), diagram.how_to_read);
    crate::outputs::code_hash(&words)
}

const STAMP: &str = "data-source-sha256";

/// Lays the diagram out with Graphviz and returns the page's SVG.
pub fn draw(diagram: &Diagram) -> Result<String> {
    let mut dot = Command::new("dot")
        .arg("-Tsvg")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context("starting Graphviz's `dot`, which draws the diagrams (Debian: apt-get install graphviz; macOS: brew install graphviz)")?;
    {
        use std::io::Write as _;
        let mut stdin = dot.stdin.take().context("dot's input")?;
        stdin.write_all(diagram.dot().as_bytes()).context("writing to dot")?;
    }
    let out = dot.wait_with_output().context("waiting for dot")?;
    if !out.status.success() {
        bail!("dot refused diagram `{}`: {}", diagram.name, String::from_utf8_lossy(&out.stderr));
    }
    let svg = diagram.finish(&String::from_utf8_lossy(&out.stdout));
    Ok(svg.replacen("<svg", &format!("<svg {STAMP}=\"{}\"", source_hash(diagram)), 1))
}

/// The stored drawing, if it was drawn from the diagram as it is now.
pub fn stored(dir: &Path, diagram: &Diagram) -> Result<String> {
    let path = stored_path(dir, &diagram.name);
    let Ok(svg) = std::fs::read_to_string(&path) else {
        bail!("diagram `{}` is not drawn yet; run `cargo book capture --diagrams`", diagram.name);
    };
    let stamp = format!("{STAMP}=\"{}\"", source_hash(diagram));
    if !svg.contains(&stamp) {
        bail!("diagram `{}` changed since it was drawn; run `cargo book capture --diagrams`", diagram.name);
    }
    Ok(svg)
}

/// The figure, one HTML block.
pub fn render(dir: &Path, diagram: &Diagram) -> Result<String> {
    let svg = stored(dir, diagram)?;
    let words = Description::of(&svg).context("a diagram carries its words")?;
    Ok(format!(
        "<figure class=\"nb-diagram\" data-diagram=\"{name}\">{svg}{caption}</figure>\n",
        name = html_escape::encode_double_quoted_attribute(&diagram.name),
        svg = crate::preprocess::inline_svg(&svg),
        caption = crate::preprocess::figcaption(&words),
    ))
}

/// Whether a stored figure is a diagram (drawn from a `Diagram`).
pub fn is_diagram(svg: &str) -> bool {
    crate::preprocess::svg_root(svg).is_some_and(|root| root.contains(MARK))
}

/// `cargo book capture --diagrams`: draws every diagram of every chapter
/// and stores the drawings. A chapter whose diagrams cannot be drawn does
/// not stop the others: its problems are reported at the end.
pub fn capture(workspace: &Workspace) -> Result<()> {
    let src = workspace.src();
    let mut drawn = 0;
    let mut failed = Vec::new();
    for entry in std::fs::read_dir(&src).with_context(|| format!("reading {}", src.display()))? {
        let dir = entry?.path();
        if !dir.join("diagrams.toml").is_file() {
            continue;
        }
        let diagrams = match all(&dir) {
            Ok(diagrams) => diagrams,
            Err(e) => {
                failed.push(format!("{e:#}"));
                continue;
            }
        };
        for diagram in diagrams {
            let at = dir.join("diagrams.toml").display().to_string();
            let problems = diagram.problems();
            if !problems.is_empty() {
                failed.push(format!("{at}: {}", problems.join("; ")));
                continue;
            }
            match draw(&diagram) {
                Err(e) => failed.push(format!("{at}: {e:#}")),
                Ok(svg) => {
                    let path = stored_path(&dir, &diagram.name);
                    std::fs::create_dir_all(path.parent().expect("a file has a folder"))?;
                    std::fs::write(&path, svg + "\n").with_context(|| format!("writing {}", path.display()))?;
                    drawn += 1;
                }
            }
        }
    }
    eprintln!("==> drew {drawn} diagram(s) with Graphviz");
    if !failed.is_empty() {
        bail!("some diagrams were not drawn:\n{}", failed.join("\n"));
    }
    Ok(())
}
