//! `.gitignore` and `.ignore` files, matched with memory linear in their size.
//!
//! The `ignore` crate compiles each pattern with a path and an extension (`build/*.tmp`)
//! into a regular expression of its own: a 1.2 MB `.gitignore` of 60,000 such lines
//! took 0.5 to 1 GB and seconds before the walk began. Here a pattern is a
//! [`glob::Pattern`] (a few bytes per character, no automaton), indexed by the literal
//! it needs (the name, the extension or, for an anchored pattern, the first folder), so
//! an entry is matched against the few patterns that can match it, not all of them.
//!
//! Semantics follow gitignore(5): blank lines and `#` comments are skipped, `\` escapes,
//! `!` re-includes, a trailing `/` matches folders only, a pattern with a `/` elsewhere
//! is anchored at its file's folder (otherwise it matches a name at any depth), `*` and
//! `?` stay within a folder, `**` crosses folders; the last matching line wins, and a
//! deeper folder's file wins over its parents'. A folder that is ignored is not entered,
//! so nothing below it can be re-included (as in git).

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};

use glob::{MatchOptions, Pattern};

/// The ignore files read in each folder, the later winning over the earlier.
const FILE_NAMES: [&str; 2] = [".gitignore", ".ignore"];
/// A larger ignore file is reported and not applied (no real one comes near).
const MAX_IGNORE_FILE: u64 = 16 << 20;

const OPTIONS: MatchOptions = MatchOptions {
    case_sensitive: true,
    require_literal_separator: true,
    require_literal_leading_dot: false,
};

struct Line {
    pattern: Pattern,
    /// The longest literal run of the pattern: a subject without it cannot match, and
    /// `contains` is far cheaper than a glob match (unkeyed lines are all tried).
    required: String,
    negated: bool,
    dir_only: bool,
    /// Matched against the path relative to the file's folder, not the name.
    anchored: bool,
}

/// The literal a pattern needs, to find its candidates without trying every line.
#[derive(Hash, PartialEq, Eq)]
enum Key {
    Name(String),
    Extension(String),
    FirstFolder(String),
}

/// One folder's ignore rules (its `.gitignore` and `.ignore`, in that order).
#[derive(Default)]
pub struct IgnoreFile {
    lines: Vec<Line>,
    /// Line indices by needed literal, ascending.
    keyed: HashMap<Key, Vec<usize>>,
    /// Lines with no literal to key on, ascending.
    unkeyed: Vec<usize>,
}

impl IgnoreFile {
    pub fn parse(text: &str) -> IgnoreFile {
        let mut file = IgnoreFile::default();
        for raw in text.lines() {
            let Some((line, key)) = parse_line(raw) else {
                continue;
            };
            let index = file.lines.len();
            file.lines.push(line);
            match key {
                Some(key) => file.keyed.entry(key).or_default().push(index),
                None => file.unkeyed.push(index),
            }
        }
        file
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.lines.len()
    }

    /// `Some(true)` ignored, `Some(false)` re-included, `None` no line matches.
    /// `relative` is the entry's path below the file's folder, `/`-separated.
    pub fn decide(&self, relative: &str, is_dir: bool) -> Option<bool> {
        let name = relative.rsplit('/').next().unwrap_or(relative);
        let mut lists: Vec<&[usize]> = vec![&self.unkeyed];
        let mut keys = vec![Key::Name(name.to_string())];
        if let Some((_, extension)) = name.rsplit_once('.') {
            keys.push(Key::Extension(extension.to_string()));
        }
        if let Some((first, _)) = relative.split_once('/') {
            keys.push(Key::FirstFolder(first.to_string()));
        }
        lists.extend(
            keys.iter()
                .filter_map(|k| self.keyed.get(k).map(Vec::as_slice)),
        );
        // The last matching line wins: the latest match of each list, then the latest.
        let last = lists
            .iter()
            .filter_map(|list| {
                list.iter()
                    .rev()
                    .copied()
                    .find(|&i| self.lines[i].matches(relative, name, is_dir))
            })
            .max()?;
        Some(!self.lines[last].negated)
    }
}

impl Line {
    fn matches(&self, relative: &str, name: &str, is_dir: bool) -> bool {
        if self.dir_only && !is_dir {
            return false;
        }
        let subject = if self.anchored { relative } else { name };
        subject.contains(&self.required) && self.pattern.matches_with(subject, OPTIONS)
    }
}

/// One line of an ignore file, or `None` for a blank line, a comment or a pattern the
/// glob syntax rejects (git skips those too).
fn parse_line(raw: &str) -> Option<(Line, Option<Key>)> {
    if raw.starts_with('#') {
        return None;
    }
    let mut text = trim_unescaped_trailing_spaces(raw);
    let negated = text.starts_with('!');
    if negated {
        text = &text[1..];
    }
    let dir_only = text.ends_with('/') && !text.ends_with("\\/");
    let text = text.trim_end_matches('/');
    if text.is_empty() {
        return None;
    }
    let anchored = text.contains('/');
    let text = text.strip_prefix('/').unwrap_or(text);
    let glob = to_glob(text);
    let pattern = Pattern::new(&glob).ok()?;
    let key = key_of(text, anchored);
    let required = if text.contains(['\\', '[']) {
        String::new()
    } else {
        text.split(['*', '?', '/'])
            .max_by_key(|run| run.len())
            .unwrap_or("")
            .to_string()
    };
    Some((
        Line {
            pattern,
            required,
            negated,
            dir_only,
            anchored,
        },
        key,
    ))
}

fn trim_unescaped_trailing_spaces(raw: &str) -> &str {
    let mut end = raw.len();
    while raw[..end].ends_with(' ') && !raw[..end - 1].ends_with('\\') {
        end -= 1;
    }
    &raw[..end]
}

/// gitignore glob → `glob` crate syntax: `\x` becomes `[x]`, `[^` becomes `[!`.
fn to_glob(text: &str) -> String {
    // `**` that is not a whole component is a plain `*` in gitignore (an error in glob).
    let text: Vec<String> = text
        .split('/')
        .map(|part| {
            if part != "**" && part.contains("**") {
                let mut part = part.to_string();
                while part.contains("**") {
                    part = part.replace("**", "*");
                }
                part
            } else {
                part.to_string()
            }
        })
        .collect();
    let text = text.join("/");
    let mut out = String::with_capacity(text.len() + 4);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(escaped @ ('*' | '?' | '[' | ']')) => {
                    out.push('[');
                    out.push(escaped);
                    out.push(']');
                }
                Some(escaped) => out.push(escaped),
                None => {}
            },
            '[' if chars.peek() == Some(&'^') => {
                chars.next();
                out.push_str("[!");
            }
            _ => out.push(c),
        }
    }
    out
}

fn is_literal(text: &str) -> bool {
    !text.contains(['*', '?', '[', '\\'])
}

/// The literal every path the pattern matches must have, if the pattern shows one.
fn key_of(text: &str, anchored: bool) -> Option<Key> {
    let last = text.rsplit('/').next().unwrap_or(text);
    if is_literal(last) {
        return Some(Key::Name(last.to_string()));
    }
    if let Some(extension) = last.strip_prefix("*.") {
        if is_literal(extension) && !extension.contains('.') {
            return Some(Key::Extension(extension.to_string()));
        }
    }
    let first = text.split('/').next().unwrap_or(text);
    (anchored && text.contains('/') && is_literal(first) && !first.is_empty())
        .then(|| Key::FirstFolder(first.to_string()))
}

/// The ignore rules of one walk: each folder's files, read once when first needed.
#[derive(Clone)]
pub struct IgnoreRules {
    root: PathBuf,
    /// The folders above `root`, deepest first, and `root` as they see it (absolute).
    above: Arc<(Vec<PathBuf>, PathBuf)>,
    cache: Arc<Mutex<Cache>>,
}

/// Folders' ignore files, as read. A sorted walk asks about a folder while it walks
/// it and its subfolders, so the cache is emptied when it grows past
/// [`CACHED_FOLDERS`]: a walk of a million folders holds a few hundred.
#[derive(Default)]
struct Cache {
    folders: HashMap<PathBuf, Arc<IgnoreFile>>,
    /// Shared by every folder with no ignore file, most of them.
    none: Arc<IgnoreFile>,
    errors: Vec<String>,
}

const CACHED_FOLDERS: usize = 1024;

impl IgnoreRules {
    /// The rules of a walk of `root`. The folders above it count too (a repository's
    /// `.gitignore` applies to a folder linted inside it), as they did with `ignore`.
    pub fn new(root: &Path) -> IgnoreRules {
        let absolute = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        let above = absolute
            .ancestors()
            .skip(1)
            .map(Path::to_path_buf)
            .collect();
        IgnoreRules {
            root: root.to_path_buf(),
            above: Arc::new((above, absolute)),
            cache: Arc::new(Mutex::new(Cache::default())),
        }
    }

    /// Whether the walk should skip `path`, an entry below the root.
    pub fn is_ignored(&self, path: &Path, is_dir: bool) -> bool {
        let Ok(below) = path.strip_prefix(&self.root) else {
            return false;
        };
        let Some(below_text) = slash_path(below) else {
            return false;
        };
        // The entry's own folders, deepest first: the first that decides wins.
        let mut walked: Vec<&Path> = below.ancestors().skip(1).collect();
        walked.dedup();
        for folder in walked {
            let file = self.file_of(&self.root.join(folder));
            if file.lines.is_empty() {
                continue;
            }
            let Some(relative) = below.strip_prefix(folder).ok().and_then(slash_path) else {
                continue;
            };
            if let Some(ignored) = file.decide(&relative, is_dir) {
                return ignored;
            }
        }
        let (above, absolute_root) = &*self.above;
        let mut relative = below_text;
        let mut base = absolute_root.as_path();
        for folder in above {
            // `relative` grows by the name of the folder left behind.
            if let Some(name) = base.file_name().and_then(|n| n.to_str()) {
                relative = format!("{name}/{relative}");
            }
            base = folder;
            if let Some(ignored) = self.file_of(folder).decide(&relative, is_dir) {
                return ignored;
            }
        }
        false
    }

    /// What could not be read, for the run's error list.
    pub fn take_errors(&self) -> Vec<String> {
        match self.cache.lock() {
            Ok(mut cache) => std::mem::take(&mut cache.errors),
            Err(_) => Vec::new(),
        }
    }

    fn file_of(&self, folder: &Path) -> Arc<IgnoreFile> {
        let Ok(mut cache) = self.cache.lock() else {
            return Arc::new(IgnoreFile::default());
        };
        if let Some(file) = cache.folders.get(folder) {
            return file.clone();
        }
        let mut text = String::new();
        for name in FILE_NAMES {
            let path = folder.join(name);
            if !path.is_file() {
                continue;
            }
            match super::read_bounded(&path, MAX_IGNORE_FILE) {
                Ok(bytes) => {
                    text.push_str(&String::from_utf8_lossy(&bytes));
                    text.push('\n');
                }
                Err(error) => {
                    // Once, though the folder may be read again after the cache empties.
                    let error = format!("{}: {error}", path.display());
                    if !cache.errors.contains(&error) {
                        cache.errors.push(error);
                    }
                }
            }
        }
        let file = if text.is_empty() {
            cache.none.clone()
        } else {
            Arc::new(IgnoreFile::parse(&text))
        };
        if cache.folders.len() >= CACHED_FOLDERS {
            cache.folders.clear();
        }
        cache.folders.insert(folder.to_path_buf(), file.clone());
        file
    }
}

/// `a/b/c` from a relative path of normal components (`None` for anything else).
fn slash_path(path: &Path) -> Option<String> {
    let mut parts = Vec::new();
    for component in path.components() {
        match component {
            Component::Normal(part) => parts.push(part.to_str()?),
            Component::CurDir => {}
            _ => return None,
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decide(text: &str, path: &str, is_dir: bool) -> Option<bool> {
        IgnoreFile::parse(text).decide(path, is_dir)
    }

    #[test]
    fn names_match_at_any_depth_and_slashes_anchor() {
        assert_eq!(decide("*.log\n", "a/b/x.log", false), Some(true));
        assert_eq!(decide("build\n", "a/build", true), Some(true));
        assert_eq!(decide("/build\n", "a/build", true), None);
        assert_eq!(decide("/build\n", "build", true), Some(true));
        assert_eq!(decide("a/*.tmp\n", "a/x.tmp", false), Some(true));
        assert_eq!(decide("a/*.tmp\n", "b/a/x.tmp", false), None);
        assert_eq!(decide("a/*\n", "a/x", false), Some(true));
        assert_eq!(decide("**/gen\n", "x/y/gen", true), Some(true));
        assert_eq!(decide("**/gen\n", "gen", true), Some(true));
        assert_eq!(decide("a/**/b\n", "a/b", false), Some(true));
        assert_eq!(decide("*gen*\n", "x/ogeno", false), Some(true));
        assert_eq!(decide("*gen*\n", "x/other", false), None);
        assert_eq!(decide("x**y\n", "xaby", false), Some(true));
        assert_eq!(decide("docs/**/*.md\n", "docs/a/b/c.md", false), Some(true));
    }

    #[test]
    fn the_last_line_wins_and_negation_reincludes() {
        let text = "*.yaml\n!keep.yaml\n";
        assert_eq!(decide(text, "x.yaml", false), Some(true));
        assert_eq!(decide(text, "keep.yaml", false), Some(false));
        assert_eq!(
            decide("!keep.yaml\n*.yaml\n", "keep.yaml", false),
            Some(true)
        );
    }

    #[test]
    fn folders_only_comments_blanks_and_escapes() {
        assert_eq!(decide("out/\n", "out", false), None);
        assert_eq!(decide("out/\n", "out", true), Some(true));
        assert_eq!(decide("# out\n\n   \n", "# out", false), None);
        assert_eq!(decide("\\#out\n", "#out", false), Some(true));
        assert_eq!(decide("\\!x\n", "!x", false), Some(true));
        assert_eq!(decide("a\\*\n", "a*", false), Some(true));
        assert_eq!(decide("a\\*\n", "ab", false), None);
        assert_eq!(decide("x.yaml  \n", "x.yaml", false), Some(true));
        assert_eq!(decide("[^a]b\n", "cb", false), Some(true));
    }

    #[test]
    fn sixty_thousand_patterns_are_stored_not_compiled() {
        let text: String = (0..60_000)
            .map(|i| format!("build/out-{i:06}/*.tmp\n"))
            .collect();
        let file = IgnoreFile::parse(&text);
        assert_eq!(file.len(), 60_000);
        // Every line is keyed on `tmp`: other names try none of them.
        assert!(file.unkeyed.is_empty());
        assert_eq!(file.decide("build/out-000042/x.tmp", false), Some(true));
        assert_eq!(file.decide("build/out-000042/x.yaml", false), None);
    }
}
