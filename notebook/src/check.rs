//! `cargo book check`: the fast consistency checks, run before anything slow.
//!
//! - every cell directive is well-formed and names a cell; every cell is
//!   placed exactly once;
//! - every `{{#include}}` names a file that exists and, if it names an anchor,
//!   the file has it;
//! - every chapter crate is used by the book, and a chapter folder uses only
//!   its own crate's cells (folder `src/<crate>/`);
//! - every chapter page has a knowledge check, and every `{{#quiz}}` names
//!   a valid quiz (see [`crate::quiz`]), and
//!   question ids are unique across the book;
//! - no two cells share an example name (cargo's outputs would collide);
//! - every cell has a stored output, captured from its current source, whose
//!   `vary` rules are sound (see [`crate::compare::check_rules`]).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::workspace::Workspace;
use crate::{compare, directives, outputs};

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
    let mut problems = Vec::new();
    let catalog = workspace.catalog()?;
    let crates = workspace.crates()?;
    let relative = |path: &Path| path.strip_prefix(&workspace.root).unwrap_or(path).display().to_string();
    let src = workspace.src();

    // Where each cell is placed, and which crates each file uses.
    let mut placed: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut used_crates: BTreeSet<String> = BTreeSet::new();
    let mut quizzes = Vec::new();
    let chapters_code = workspace.chapters_code().canonicalize().unwrap_or_else(|_| workspace.chapters_code());
    for file in markdown_files(&src)? {
        let text = std::fs::read_to_string(&file).with_context(|| format!("reading {}", file.display()))?;
        let folder = file.parent().filter(|p| *p != src).and_then(|p| p.file_name()).and_then(|n| n.to_str());
        for directive in directives::cells(&text) {
            let place = format!("{}:{}", relative(&file), directive.line);
            match directive.id {
                Err(why) => problems.push(Problem { place, message: why }),
                Ok(id) => match catalog.get(&id) {
                    None => problems.push(Problem { place, message: format!("unknown cell `{id}`") }),
                    Some(cell) => {
                        used_crates.insert(cell.id.krate.clone());
                        if let Some(folder) = folder
                            && folder != cell.id.krate
                        {
                            problems.push(Problem {
                                place: place.clone(),
                                message: format!(
                                    "chapter folder `{folder}` places cell `{id}` of another chapter's crate"
                                ),
                            });
                        }
                        placed.entry(id).or_default().push(place);
                    }
                },
            }
        }
        for directive in crate::quiz::directives(&text) {
            let place = format!("{}:{}", relative(&file), directive.line);
            let dir = file.parent().unwrap_or(&src);
            let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or("quiz");
            match crate::quiz::load(&dir.join(&directive.path), name) {
                Ok(quiz) => quizzes.push(quiz),
                Err(err) => {
                    // Paths in the message, relative to the workspace.
                    let root = format!("{}/", workspace.root.display());
                    problems.push(Problem { place, message: format!("{err:#}").replace(&root, "") })
                }
            }
        }
        for (line, id) in crate::measure::directives(&text) {
            let place = format!("{}:{line}", relative(&file));
            match crate::measure::find(workspace, &id)? {
                None => problems.push(Problem { place, message: format!("unknown benchmark `{id}`") }),
                Some(bench) => {
                    if crate::measure::load(workspace, &bench)?.is_none() {
                        let message =
                            format!("`{id}` has no stored figures; run `{}`", crate::measure::command(&bench));
                        problems.push(Problem { place, message });
                    }
                }
            }
        }
        for include in directives::includes(&text) {
            let place = format!("{}:{}", relative(&file), include.line);
            let target = file.parent().unwrap_or(&src).join(&include.path);
            let Ok(source) = std::fs::read_to_string(&target) else {
                problems.push(Problem { place, message: format!("included file `{}` does not exist", include.path) });
                continue;
            };
            if let Ok(canonical) = target.canonicalize()
                && let Ok(inside) = canonical.strip_prefix(&chapters_code)
                && let Some(krate) = inside.components().next()
            {
                used_crates.insert(krate.as_os_str().to_string_lossy().into_owned());
            }
            if let Some(anchor) = include.anchor
                && !directives::anchors(&source).contains(&anchor)
            {
                problems.push(Problem { place, message: format!("`{}` has no anchor `{anchor}`", include.path) });
            }
        }
    }

    for message in crate::quiz::check_ids(&quizzes) {
        let root = format!("{}/", workspace.root.display());
        problems.push(Problem { place: "src".to_string(), message: message.replace(&root, "") });
    }

    for krate in crates.iter().filter(|c| !c.support) {
        if !used_crates.contains(&krate.name) {
            problems.push(Problem {
                place: relative(&krate.dir),
                message: format!("chapter crate `{}` is not used by any page of the book", krate.name),
            });
        }
        let page = src.join(&krate.name).join("index.md");
        if !src.join(&krate.name).is_dir() {
            problems.push(Problem {
                place: relative(&krate.dir),
                message: format!("chapter crate `{}` has no chapter folder `src/{}/`", krate.name, krate.name),
            });
        } else if std::fs::read_to_string(&page).is_ok_and(|text| crate::quiz::directives(&text).is_empty()) {
            problems.push(Problem {
                place: relative(&page),
                message: "the chapter has no knowledge check: add `{{#quiz quiz.toml}}`".to_string(),
            });
        }
    }

    // Cargo writes every example to `target/<profile>/examples/<name>`: two
    // crates with an example of the same name overwrite each other's
    // program, and a cell would run the wrong one.
    let mut by_name: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for cell in catalog.iter() {
        by_name.entry(&cell.id.example).or_default().push(cell.id.to_string());
    }
    for (name, ids) in by_name.iter().filter(|(_, ids)| ids.len() > 1) {
        problems.push(Problem {
            place: "chapters-code".to_string(),
            message: format!(
                "example name `{name}` is used by {}; cargo puts all examples in one folder, so names must differ",
                ids.join(" and ")
            ),
        });
    }

    for cell in catalog.iter() {
        let id = cell.id.to_string();
        let place = relative(&cell.path);
        match placed.get(&id).map(Vec::len).unwrap_or(0) {
            0 => problems
                .push(Problem { place: place.clone(), message: format!("cell `{id}` is not placed in the book") }),
            1 => {}
            _ => problems.push(Problem {
                place: place.clone(),
                message: format!("cell `{id}` is placed more than once: {}", placed[&id].join(", ")),
            }),
        }
        match outputs::load(cell) {
            Err(err) => problems.push(Problem { place, message: format!("{err:#}") }),
            Ok(None) => problems.push(Problem {
                place,
                message: format!("cell `{id}` has no stored output; run `cargo book capture --cell {id}`"),
            }),
            Ok(Some(stored)) => {
                if stored.meta.source_sha256 != outputs::source_hash(&cell.source) {
                    problems.push(Problem {
                        place: place.clone(),
                        message: format!(
                            "cell `{id}` changed since its output was captured; run `cargo book capture --cell {id}`"
                        ),
                    });
                }
                for message in compare::check_rules(&stored.text, &cell.spec) {
                    problems.push(Problem { place: place.clone(), message: format!("cell `{id}`: {message}") });
                }
            }
        }
    }
    problems.sort();
    Ok(problems)
}
