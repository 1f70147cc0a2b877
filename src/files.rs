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
    for found in Inputs::new(args) {
        match found {
            Ok(input) => inputs.push(input),
            Err(error) => errors.push(error),
        }
    }
    (inputs, errors)
}

/// The files [`collect`] finds, as they are found: a walk of a million files holds one
/// directory's sorted listing per level, never the whole list. An error (an argument
/// that names nothing, an unreadable folder) comes in its place in the order.
pub struct Inputs<'a> {
    args: std::iter::Enumerate<std::slice::Iter<'a, PathBuf>>,
    /// The glob being expanded.
    glob: Option<Glob>,
    /// The folder being walked, with its ignore rules (whose errors follow its files).
    walk: Option<(ignore::Walk, ignore_rules::IgnoreRules)>,
    /// Errors waiting to be yielded (those of a finished walk).
    pending: std::collections::VecDeque<String>,
    named: NamedFiles,
}

/// The files and folders the arguments name, so that each file is linted once however
/// often the arguments reach it (`stacklint a.yaml ./a.yaml`, `stacklint templates
/// templates/a.yaml`, `stacklint . templates`): where it is first named, as a named file
/// (linted even if the configuration excludes it; a walk or glob that reaches it passes
/// it by), and a named folder's files by that folder's walk (another walk that reaches
/// the folder passes it by). Bounded by the arguments, never by the files a walk finds
/// (a run over a million files keeps no list of them).
#[derive(Default)]
struct NamedFiles {
    files: NamedPaths,
    /// Shared with the walks (which filter from other threads' reach).
    folders: std::sync::Arc<NamedPaths>,
    /// The positions of the arguments that name a file or folder an earlier one named.
    repeats: std::collections::HashSet<usize>,
}

/// The files, or the folders, the arguments name.
#[derive(Default)]
struct NamedPaths {
    /// Their canonical paths.
    canonical: std::collections::HashSet<PathBuf>,
    /// Their file names: a path a walk finds is resolved (a system call) only when its
    /// name is one of these.
    names: std::collections::HashSet<std::ffi::OsString>,
}

impl NamedPaths {
    /// Records a named path; false when an earlier argument named it.
    fn insert(&mut self, canonical: PathBuf, name: std::ffi::OsString) -> bool {
        self.names.insert(name);
        self.canonical.insert(canonical)
    }

    /// Whether an argument names `path`, which a walk or glob found.
    fn is_named(&self, path: &Path) -> bool {
        let named_like = path.file_name().is_some_and(|n| self.names.contains(n));
        named_like
            && path
                .canonicalize()
                .is_ok_and(|canonical| self.canonical.contains(&canonical))
    }
}

impl NamedFiles {
    fn new(args: &[PathBuf]) -> NamedFiles {
        let mut named = NamedFiles::default();
        let mut folders = NamedPaths::default();
        for (at, arg) in args.iter().enumerate() {
            let Ok(canonical) = arg.canonicalize() else {
                continue;
            };
            // `.` has no file name; what it resolves to has (the root has none, and no
            // walk reaches it).
            let Some(name) = canonical.file_name().map(|n| n.to_os_string()) else {
                continue;
            };
            let first = if canonical.is_file() {
                named.files.insert(canonical, name)
            } else if canonical.is_dir() {
                folders.insert(canonical, name)
            } else {
                true
            };
            if !first {
                named.repeats.insert(at);
            }
        }
        named.folders = std::sync::Arc::new(folders);
        named
    }
}

/// A glob pattern being expanded.
struct Glob {
    pattern: String,
    paths: glob::Paths,
    /// Whether it has matched anything (a folder or a file of any kind).
    matched: bool,
    /// The files it has produced: `t/**` matches a folder and the files in it, and
    /// each is linted once.
    seen: std::collections::HashSet<PathBuf>,
}

impl<'a> Inputs<'a> {
    pub fn new(args: &'a [PathBuf]) -> Inputs<'a> {
        Inputs {
            args: args.iter().enumerate(),
            glob: None,
            walk: None,
            pending: std::collections::VecDeque::new(),
            named: NamedFiles::new(args),
        }
    }

    /// The next file of the walk in progress; `None` once it has ended.
    fn next_walked(&mut self) -> Option<Result<Input, String>> {
        let (walker, rules) = self.walk.as_mut()?;
        for entry in walker.by_ref() {
            let entry = match entry {
                Ok(entry) => entry,
                Err(error) => return Some(Err(walk_error(&error))),
            };
            let is_file = entry.file_type().is_some_and(|t| t.is_file());
            // A folder a glob matched: its files may match the glob too.
            let mut repeated = || {
                let seen = self.glob.as_mut().map(|glob| &mut glob.seen);
                seen.is_some_and(|seen| !seen.insert(entry.path().to_path_buf()))
            };
            if is_file
                && kind::is_candidate(entry.path())
                && !repeated()
                && !self.named.files.is_named(entry.path())
            {
                return Some(Ok(Input {
                    path: entry.into_path(),
                    origin: FileOrigin::Walked,
                }));
            }
        }
        self.pending.extend(rules.take_errors());
        self.walk = None;
        None
    }

    /// The next match of the glob in progress (a folder starts a walk); `None` once it
    /// has ended.
    fn next_matched(&mut self) -> Option<Result<Input, String>> {
        let glob = self.glob.as_mut()?;
        for path in glob.paths.by_ref().flatten() {
            glob.matched = true;
            if path.is_dir() {
                // A folder an argument names is walked there.
                if !self.named.folders.is_named(&path) {
                    self.walk = Some(walker(&path, &self.named.folders));
                    return None;
                }
                continue;
            }
            if kind::is_candidate(&path)
                && glob.seen.insert(path.clone())
                && !self.named.files.is_named(&path)
            {
                return Some(Ok(Input {
                    path,
                    origin: FileOrigin::Walked,
                }));
            }
        }
        if !glob.matched {
            let error = format!("{}: the pattern matches no file", glob.pattern);
            self.pending.push_back(error);
        }
        self.glob = None;
        None
    }

    /// Starts on one argument: a file is returned, a folder or pattern is opened.
    fn open(&mut self, arg: &Path) -> Option<Result<Input, String>> {
        let metadata = std::fs::metadata(arg);
        match &metadata {
            Ok(metadata) if metadata.is_dir() => {
                self.walk = Some(walker(arg, &self.named.folders));
                None
            }
            Ok(_) => Some(Ok(Input {
                path: arg.to_path_buf(),
                origin: FileOrigin::Named,
            })),
            Err(_) if arg.to_str().is_some_and(|s| s.contains(['*', '?', '['])) => {
                let pattern = arg.to_str()?;
                match glob::glob(pattern) {
                    Ok(paths) => {
                        self.glob = Some(Glob {
                            pattern: pattern.to_string(),
                            paths,
                            matched: false,
                            seen: Default::default(),
                        });
                        None
                    }
                    Err(error) => Some(Err(format!("{pattern}: invalid glob pattern: {error}"))),
                }
            }
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                Some(Err(format!("{}: no such file or directory", arg.display())))
            }
            // Inside a folder that cannot be searched, say so: it exists.
            Err(error) => Some(Err(format!("{}: {error}", arg.display()))),
        }
    }
}

impl Iterator for Inputs<'_> {
    type Item = Result<Input, String>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(error) = self.pending.pop_front() {
                return Some(Err(error));
            }
            if self.walk.is_some() {
                if let Some(found) = self.next_walked() {
                    return Some(found);
                }
            } else if self.glob.is_some() {
                if let Some(found) = self.next_matched() {
                    return Some(found);
                }
            } else {
                let (at, arg) = self.args.next()?;
                if self.named.repeats.contains(&at) {
                    continue;
                }
                if let Some(found) = self.open(arg) {
                    return Some(found);
                }
            }
        }
    }
}

/// A sorted walk of `dir`; a folder or file that cannot be read is an error naming it
/// (the rest of the tree is still walked). It passes by the folders below `dir` that
/// an argument names: they are walked where named.
fn walker(
    dir: &Path,
    named: &std::sync::Arc<NamedPaths>,
) -> (ignore::Walk, ignore_rules::IgnoreRules) {
    let rules = ignore_rules::IgnoreRules::new(dir);
    let filter = rules.clone();
    let named = std::sync::Arc::clone(named);
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
                && (entry.depth() == 0
                    || !(filter.is_ignored(entry.path(), is_dir)
                        || is_dir && named.is_named(entry.path())))
        })
        .sort_by_file_name(|a, b| a.cmp(b))
        .build();
    (walker, rules)
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
