//! Which files a run reads: named files, directories walked recursively (honouring
//! `.gitignore`), and glob patterns.

use std::path::{Path, PathBuf};

use crate::kind;
use crate::lint::Origin;

/// A file to lint, and how it was found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Input {
    pub path: PathBuf,
    pub origin: Origin,
}

/// Expands command-line arguments into files, in a deterministic order: arguments in
/// the order given, each directory's files sorted. Arguments that name nothing are
/// returned as errors (and the run goes on with the rest).
pub fn collect(args: &[PathBuf]) -> (Vec<Input>, Vec<String>) {
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    for arg in args {
        if arg.is_dir() {
            walk(arg, &mut inputs);
        } else if arg.exists() {
            inputs.push(Input {
                path: arg.clone(),
                origin: Origin::Named,
            });
        } else if let Some(pattern) = arg.to_str().filter(|s| s.contains(['*', '?', '['])) {
            expand_glob(pattern, &mut inputs, &mut errors);
        } else {
            errors.push(format!("{}: no such file or directory", arg.display()));
        }
    }
    let mut seen = std::collections::HashSet::new();
    inputs.retain(|input| seen.insert(input.path.clone()));
    (inputs, errors)
}

fn expand_glob(pattern: &str, inputs: &mut Vec<Input>, errors: &mut Vec<String>) {
    let paths = match glob::glob(pattern) {
        Ok(paths) => paths,
        Err(error) => {
            errors.push(format!("{pattern}: invalid glob pattern: {error}"));
            return;
        }
    };
    let mut matched = false;
    for path in paths.flatten() {
        matched = true;
        if path.is_dir() {
            walk(&path, inputs);
        } else if kind::is_candidate(&path) {
            inputs.push(Input {
                path,
                origin: Origin::Walked,
            });
        }
    }
    if !matched {
        errors.push(format!("{pattern}: the pattern matches no file"));
    }
}

fn walk(dir: &Path, inputs: &mut Vec<Input>) {
    let walker = ignore::WalkBuilder::new(dir)
        // `.ebextensions` is hidden but holds configuration we lint.
        .hidden(false)
        .require_git(false)
        .filter_entry(|entry| entry.file_name() != ".git")
        .sort_by_file_name(|a, b| a.cmp(b))
        .build();
    for entry in walker.flatten() {
        let is_file = entry.file_type().is_some_and(|t| t.is_file());
        if is_file && kind::is_candidate(entry.path()) {
            inputs.push(Input {
                path: entry.into_path(),
                origin: Origin::Walked,
            });
        }
    }
}
