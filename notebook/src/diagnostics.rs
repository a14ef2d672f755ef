//! What the compiler said about an edited cell, read from rustc's JSON
//! diagnostics (`--error-format=json --json=diagnostic-rendered-ansi`).
//!
//! Each diagnostic gives two things: the text a terminal would show (with
//! its colours), which the page prints under the cell as before, and where
//! in the code it points, which the editor underlines. Only spans in the
//! cell's own file are kept: a note pointing into a library has no line in
//! the editor.

use serde::{Deserialize, Serialize};

/// One place the compiler points at, in the cell's code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Marker {
    /// `error`, `warning`, `note` or `help`.
    pub level: String,
    /// The diagnostic's message, with the span's label where it has one:
    /// "mismatched types: expected `u32`, found `&str`".
    pub message: String,
    /// 1-based lines and columns (columns count characters), end exclusive.
    pub line_start: usize,
    pub column_start: usize,
    pub line_end: usize,
    pub column_end: usize,
}

/// What a build printed: the rendered text, and the markers for the editor.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub rendered: String,
    pub markers: Vec<Marker>,
}

#[derive(Deserialize)]
struct Diagnostic {
    message: String,
    level: String,
    #[serde(default)]
    spans: Vec<Span>,
    #[serde(default)]
    children: Vec<Diagnostic>,
    rendered: Option<String>,
}

#[derive(Deserialize)]
struct Span {
    file_name: String,
    line_start: usize,
    line_end: usize,
    column_start: usize,
    column_end: usize,
    is_primary: bool,
    label: Option<String>,
}

/// Reads rustc's standard error. `file` is the cell's file name as rustc was
/// given it; lines that are not JSON (a linker's own words) are kept as text.
pub fn read(stderr: &str, file: &str) -> Report {
    let mut report = Report::default();
    for line in stderr.lines() {
        let Ok(diagnostic) = serde_json::from_str::<Diagnostic>(line) else {
            if !line.trim().is_empty() {
                report.rendered.push_str(line);
                report.rendered.push('\n');
            }
            continue;
        };
        if let Some(text) = &diagnostic.rendered {
            report.rendered.push_str(text);
        }
        mark(&diagnostic, file, &mut report.markers);
    }
    report
}

/// The primary spans of a diagnostic, and of its children (a `help` that
/// says where a `;` goes), in `file`.
fn mark(diagnostic: &Diagnostic, file: &str, markers: &mut Vec<Marker>) {
    for span in diagnostic.spans.iter().filter(|s| s.is_primary && s.file_name == file) {
        let message = match span.label.as_deref() {
            Some(label) if !label.is_empty() => format!("{}: {label}", diagnostic.message),
            _ => diagnostic.message.clone(),
        };
        markers.push(Marker {
            level: diagnostic.level.clone(),
            message,
            line_start: span.line_start,
            column_start: span.column_start,
            line_end: span.line_end,
            column_end: span.column_end,
        });
    }
    for child in &diagnostic.children {
        mark(child, file, markers);
    }
}

#[cfg(test)]
mod tests {
    use std::process::Command;

    use super::*;

    /// A real rustc, on a file with two mistakes.
    fn compile(code: &str) -> (String, String) {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("cell.rs");
        std::fs::write(&file, code).unwrap();
        let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
        let output = Command::new(rustc)
            .args(["--error-format=json", "--json=diagnostic-rendered-ansi", "--crate-type=bin", "-o"])
            .arg(dir.path().join("cell"))
            .arg(&file)
            .output()
            .expect("rustc runs");
        (String::from_utf8_lossy(&output.stderr).into_owned(), file.display().to_string())
    }

    #[test]
    fn markers_point_at_the_lines_rustc_blames() {
        let (stderr, file) = compile("fn main() {\n    let x: u32 = \"a\";\n    let y = 1\n}\n");
        let report = read(&stderr, &file);
        let mismatch = report.markers.iter().find(|m| m.message.starts_with("mismatched types")).expect("E0308");
        assert_eq!((mismatch.level.as_str(), mismatch.line_start, mismatch.column_start), ("error", 2, 18));
        assert!(mismatch.message.contains("expected `u32`"), "{}", mismatch.message);
        let semicolon = report.markers.iter().find(|m| m.message.contains("expected `;`")).expect("the missing ;");
        assert_eq!(semicolon.line_start, 3);
        // The text is still all there for the output pane, colours included.
        assert!(report.rendered.contains("mismatched types") && report.rendered.contains('\u{1b}'));
        assert!(report.rendered.contains("aborting due to 2 previous errors"));
    }

    #[test]
    fn spans_in_other_files_and_plain_lines_are_not_markers() {
        let stderr = concat!(
            r#"{"message":"m","level":"warning","spans":[{"file_name":"lib.rs","line_start":1,"line_end":1,"#,
            r#""column_start":1,"column_end":2,"is_primary":true,"label":null}],"children":[],"rendered":"w\n"}"#,
            "\nnote: the linker said something\n"
        );
        let report = read(stderr, "cell.rs");
        assert!(report.markers.is_empty());
        assert_eq!(report.rendered, "w\nnote: the linker said something\n");
    }
}
