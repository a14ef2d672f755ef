//! What a cell directive becomes, on a fixture workspace.

use std::path::Path;

use notebook::preprocess::Expander;
use notebook::workspace::Workspace;
use snapbox::{assert_data_eq, file};

fn fixture() -> (Workspace, String) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/book/fixtures/demo");
    let markdown = std::fs::read_to_string(root.join("src/demo/index.md")).unwrap();
    (Workspace::at(root), markdown)
}

#[test]
fn a_cell_expands_to_its_code_a_toolbar_and_its_stored_output() {
    let (workspace, markdown) = fixture();
    let expanded = Expander::new(&workspace).unwrap().expand(Path::new("src/demo/index.md"), &markdown).unwrap();
    assert_data_eq!(expanded, file!["snapshots/demo.md"]);
}

#[test]
fn an_unknown_cell_is_an_error_naming_file_and_line() {
    let (workspace, _) = fixture();
    let expander = Expander::new(&workspace).unwrap();
    let err = expander.expand(Path::new("src/demo/index.md"), "# Demo\n\n{{#cell demo/nope}}\n").unwrap_err();
    assert_eq!(err.to_string(), "src/demo/index.md:3: unknown cell `demo/nope`; the cells are: demo/hello");
}

#[test]
fn a_malformed_directive_is_an_error_naming_file_and_line() {
    let (workspace, _) = fixture();
    let err =
        Expander::new(&workspace).unwrap().expand(Path::new("a.md"), "x\n{{#cell demo/hello extra}}\n").unwrap_err();
    assert_eq!(
        err.to_string(),
        "a.md:2: malformed cell directive `{{#cell demo/hello extra}}`; write `{{#cell crate/example}}`"
    );
    // Every kind the notebook expands goes through the same parser.
    let err = Expander::new(&workspace).unwrap().expand(Path::new("a.md"), "x\n\ny {{#quiz quiz.toml}}\n").unwrap_err();
    assert_eq!(err.to_string(), "a.md:3: a quiz directive must stand alone on its line");
}

#[test]
fn a_cell_never_captured_says_how_to_capture_it() {
    let (workspace, _) = fixture();
    let catalog = workspace.catalog().unwrap();
    let cell = catalog.get("demo/hello").unwrap();
    let html = notebook::preprocess::render(cell, None, None);
    assert!(html.contains("No output captured yet: run <code>cargo book capture --cell demo/hello</code>"), "{html}");
}
