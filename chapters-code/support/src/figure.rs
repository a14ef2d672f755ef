//! Pictures under a cell's output.
//!
//! A cell program calls [`show_svg`]. When the notebook runs the cell it sets
//! the environment variable [`FIGURES_ENV`] to a folder, and the picture is
//! written there and shown under the text output. Run by hand with
//! `cargo run --example`, the picture goes to `target/figures/` and the
//! program prints where.
//!
//! Every picture says what it is to those who cannot see it: the drawing
//! functions of this crate pass theirs through [`describe`], which gives the
//! SVG `role="img"`, a `<title>` (its accessible name), a `<desc>` (what
//! the data shows, written from the data) and a how-to-read sentence that
//! the book prints as the figure's caption. [`Description::of`] reads them
//! back.

use std::io;
use std::path::{Path, PathBuf};

/// The variable the notebook sets to the folder that collects a run's figures.
pub const FIGURES_ENV: &str = "NOTEBOOK_FIGURES";

/// Shows `svg` under the cell's output. `name` is a short file-name-safe label
/// (letters, digits, `-` and `_`), used to order and name the figures of a run.
pub fn show_svg(name: &str, svg: &str) -> io::Result<PathBuf> {
    show_file(name, &format!("{name}.svg"), svg, |path| {
        format!("(figure written to {})", path.display())
    })
}

/// Writes `file` (named after `name`, checked first) for the notebook to
/// collect or, run by hand, next to the build, printing `said` of it.
fn show_file(
    name: &str,
    file: &str,
    text: &str,
    said: fn(&Path) -> String,
) -> io::Result<PathBuf> {
    check_name(name)?;
    match std::env::var_os(FIGURES_ENV) {
        // Under the notebook: write quietly, the notebook shows it.
        Some(dir) => write_file(Path::new(&dir), file, text),
        // By hand: write next to the build and say where it went.
        None => {
            let path = write_file(&default_dir(), file, text)?;
            println!("{}", said(&path));
            Ok(path)
        }
    }
}

/// What a picture says in words: its name, what its data shows, and how to
/// read it (axes, lanes, what a bar or a line is).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Description {
    /// The accessible name: the picture's title.
    pub title: String,
    /// What the data shows, for a reader who cannot see the picture.
    pub description: String,
    /// How to read the picture; the book prints it as the caption.
    pub how_to_read: String,
}

impl Description {
    /// Reads back what [`describe`] wrote into `svg`, if it did.
    pub fn of(svg: &str) -> Option<Description> {
        let root = &svg[svg.find("<svg")?..];
        let root_tag = &root[..root.find('>')?];
        let attribute = "data-how-to-read=\"";
        let how = &root_tag[root_tag.find(attribute)? + attribute.len()..];
        let how_to_read = unescape(&how[..how.find('"')?]);
        let inner = |tag: &str| -> Option<String> {
            let open = format!("<{tag}>");
            let start = root.find(&open)? + open.len();
            let end = start + root[start..].find(&format!("</{tag}>"))?;
            Some(unescape(&root[start..end]))
        };
        Some(Description {
            title: inner("title")?,
            description: inner("desc")?,
            how_to_read,
        })
    }
}

/// `svg` with `role="img"`, a `<title>` and a `<desc>` as the first children
/// of its root, and the how-to-read sentence in a `data-how-to-read`
/// attribute. A picture without an `<svg` root is returned unchanged.
pub fn describe(svg: &str, words: &Description) -> String {
    let Some(start) = svg.find("<svg") else {
        return svg.to_string();
    };
    let Some(close) = svg[start..].find('>').map(|i| start + i) else {
        return svg.to_string();
    };
    let (tag, rest) = (&svg[..close], &svg[close + 1..]);
    let tag = tag.strip_suffix('/').unwrap_or(tag);
    format!(
        "{tag} role=\"img\" data-how-to-read=\"{how}\">\n<title>{title}</title>\n<desc>{desc}</desc>{rest}",
        how = escape(&words.how_to_read),
        title = escape(&words.title),
        desc = escape(&words.description),
    )
}

/// A number as a description says it: three significant digits, thousands
/// grouped, no exponent (`1,235`, `12.3`, `0.0123`).
pub fn number(v: f64) -> String {
    if !v.is_finite() {
        return format!("{v}");
    }
    let magnitude = v.abs();
    if magnitude >= 100.0 {
        let rounded = v.round();
        let grouped = crate::bars::grouped(rounded.abs() as u64);
        return if rounded < 0.0 {
            format!("-{grouped}")
        } else {
            grouped
        };
    }
    let decimals = match magnitude {
        0.0 => 0,
        m if m >= 10.0 => 1,
        m if m >= 1.0 => 2,
        m => (2.0 - m.log10().floor()) as usize,
    };
    let text = format!("{v:.decimals$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn unescape(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&gt;", ">")
        .replace("&lt;", "<")
        .replace("&amp;", "&")
}

/// Hands the notebook a trace of the same run as the figure `name`, in
/// Chrome's trace-event JSON, which Perfetto and `chrome://tracing` open
/// (see [`crate::timeline::Timeline::to_trace_json`]). The notebook keeps
/// it beside the cell's output and offers it for download.
pub fn show_trace(name: &str, json: &str) -> io::Result<PathBuf> {
    show_file(name, &format!("{name}.trace.json"), json, |path| {
        format!(
            "(trace written to {}; open it in https://ui.perfetto.dev)",
            path.display()
        )
    })
}

fn check_name(name: &str) -> io::Result<()> {
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("figure name {name:?} must be letters, digits, '-' or '_'"),
        ));
    }
    Ok(())
}

fn write_file(dir: &Path, file: &str, text: &str) -> io::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    let path = dir.join(file);
    std::fs::write(&path, text)?;
    Ok(path)
}

/// `target/figures` of the workspace this program was built in, or the current
/// folder's `figures/` when the program was moved elsewhere.
fn default_dir() -> PathBuf {
    // The workspace's target folder, two levels above this crate; named
    // without `..` so that the printed path reads plainly.
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).ancestors().nth(2);
    match workspace.map(|w| w.join("target")) {
        Some(target) if target.is_dir() => target.join("figures"),
        _ => PathBuf::from("figures"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_description_is_written_in_and_read_back() {
        let words = Description {
            title: "A <b> & \"c\"".into(),
            description: "one bar, 3 high".into(),
            how_to_read: "bars are \"things\"".into(),
        };
        let svg = describe("<svg width=\"1\">\n<rect/>\n</svg>", &words);
        assert!(svg.starts_with("<svg width=\"1\" role=\"img\""), "{svg}");
        assert!(svg.contains("<title>A &lt;b&gt; &amp; &quot;c&quot;</title>"));
        assert_eq!(Description::of(&svg), Some(words));
        assert_eq!(Description::of("<svg><rect/></svg>"), None);
    }

    #[test]
    fn description_numbers_keep_three_digits() {
        let cases = [
            (1234.5, "1,235"),
            (250.0, "250"),
            (12.34, "12.3"),
            (1.5, "1.5"),
            (0.01234, "0.0123"),
            (0.0, "0"),
            (-3.0, "-3"),
        ];
        for (v, text) in cases {
            assert_eq!(number(v), text, "{v}");
        }
    }

    #[test]
    fn names_that_could_escape_the_folder_are_refused() {
        for bad in ["", "../x", "a/b", "a b", "x.svg"] {
            let err = show_svg(bad, "<svg/>").unwrap_err();
            assert_eq!(err.kind(), io::ErrorKind::InvalidInput, "{bad:?}");
        }
    }
}
