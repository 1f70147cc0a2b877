//! Which files a run reads: named files, directories walked recursively (honouring
//! `.gitignore` and `.ignore`, see [`ignore_rules`]), and glob patterns.

mod ignore_rules;

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::kind;
use crate::lint::FileOrigin;

/// A file to lint, and how it was found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Input {
    pub path: PathBuf,
    pub origin: FileOrigin,
}

/// Expands command-line arguments into files, in a deterministic order: arguments in
/// the order given, each directory's files sorted. Arguments that name nothing are
/// returned as errors (and the run goes on with the rest).
pub fn collect(args: &[PathBuf]) -> (Vec<Input>, Vec<String>) {
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    for arg in args {
        let metadata = std::fs::metadata(arg);
        match &metadata {
            Ok(metadata) if metadata.is_dir() => walk(arg, &mut inputs, &mut errors),
            Ok(_) => inputs.push(Input {
                path: arg.clone(),
                origin: FileOrigin::Named,
            }),
            Err(_) if arg.to_str().is_some_and(|s| s.contains(['*', '?', '['])) => {
                if let Some(pattern) = arg.to_str() {
                    expand_glob(pattern, &mut inputs, &mut errors);
                }
            }
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                errors.push(format!("{}: no such file or directory", arg.display()));
            }
            // Inside a folder that cannot be searched, say so: it exists.
            Err(error) => errors.push(format!("{}: {error}", arg.display())),
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
            walk(&path, inputs, errors);
        } else if kind::is_candidate(&path) {
            inputs.push(Input {
                path,
                origin: FileOrigin::Walked,
            });
        }
    }
    if !matched {
        errors.push(format!("{pattern}: the pattern matches no file"));
    }
}

/// Walks `dir`; a folder or file that cannot be read is an error naming it (the
/// rest of the tree is still walked).
fn walk(dir: &Path, inputs: &mut Vec<Input>, errors: &mut Vec<String>) {
    let rules = ignore_rules::IgnoreRules::new(dir);
    let filter = rules.clone();
    let walker = ignore::WalkBuilder::new(dir)
        // `.ebextensions` is hidden but holds configuration we lint.
        .hidden(false)
        .require_git(false)
        // Read by `ignore_rules`, in memory linear in their size (the crate compiles a
        // regular expression per pattern: a 1.2 MB `.gitignore` took 0.5 to 1 GB).
        .git_ignore(false)
        .ignore(false)
        .filter_entry(move |entry| {
            let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
            entry.file_name() != ".git"
                && (entry.depth() == 0 || !filter.is_ignored(entry.path(), is_dir))
        })
        .sort_by_file_name(|a, b| a.cmp(b))
        .build();
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                errors.push(walk_error(&error));
                continue;
            }
        };
        let is_file = entry.file_type().is_some_and(|t| t.is_file());
        if is_file && kind::is_candidate(entry.path()) {
            inputs.push(Input {
                path: entry.into_path(),
                origin: FileOrigin::Walked,
            });
        }
    }
    errors.extend(rules.take_errors());
}

/// `path: reason` for an error of the walk (the crate's own text repeats itself).
fn walk_error(error: &ignore::Error) -> String {
    fn parts(error: &ignore::Error) -> (Option<&Path>, String) {
        match error {
            ignore::Error::WithPath { path, err } => (Some(path), parts(err).1),
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                parts(err)
            }
            ignore::Error::Loop { child, .. } => (Some(child), "a symbolic link loop".to_string()),
            ignore::Error::Io(error) => (None, error.to_string()),
            other => (None, other.to_string()),
        }
    }
    match parts(error) {
        (Some(path), reason) => format!("{}: {reason}", path.display()),
        (None, reason) => reason,
    }
}

/// The largest input read: far past CloudFormation's 1 MB template quota (and past the
/// 100 MB stress templates the tests lint), small enough that a file growing while it
/// is read, or a device, cannot exhaust memory.
pub const MAX_INPUT: u64 = 128 << 20;
/// The largest configuration file read.
pub const MAX_CONFIG: u64 = 1 << 20;

/// Reads a regular file of at most `limit` bytes. FIFOs and devices are refused (they
/// could block or never end), and so is a file over the limit, also one that grows
/// past it while being read.
pub fn read_bounded(path: &Path, limit: u64) -> std::io::Result<Vec<u8>> {
    let metadata = std::fs::metadata(path)?;
    if !metadata.is_file() {
        return Err(std::io::Error::other("not a regular file"));
    }
    let too_large = |size: u64| {
        std::io::Error::other(format!(
            "{size} bytes, over the {limit}-byte limit; not read"
        ))
    };
    if metadata.len() > limit {
        return Err(too_large(metadata.len()));
    }
    let file = std::fs::File::open(path)?;
    // Sized from the metadata: grown by doubling, the buffer of a 20 MB file held 32 MB.
    let expected = usize::try_from(metadata.len()).unwrap_or(0);
    read_capped(file, limit, expected).map_err(|error| match error {
        Capped::TooLarge => std::io::Error::other(format!(
            "grew past the {limit}-byte limit while being read; not read"
        )),
        Capped::Io(error) => error,
    })
}

/// Why [`read_capped`] failed.
pub enum Capped {
    TooLarge,
    Io(std::io::Error),
}

/// Reads `input` to its end, or fails once it holds more than `limit` bytes. `expected`
/// is the size it is likely to have (0 when unknown): the buffer starts that large.
pub fn read_capped(input: impl Read, limit: u64, expected: usize) -> Result<Vec<u8>, Capped> {
    let mut bytes = Vec::with_capacity(expected);
    input
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(Capped::Io)?;
    if bytes.len() as u64 > limit {
        return Err(Capped::TooLarge);
    }
    Ok(bytes)
}
