//! What decides what is reported for a file: `.stacklint.yaml` (found by walking up
//! from the file, or named with `--config`) with the command line's flags on top.
//!
//! Library callers (the CLI, the language server) ask for the [`Settings`] of each file
//! with [`Settings::for_file`] (or a caching [`Resolver`]) and pass them to
//! [`crate::lint::lint_bytes`].

mod error;
mod file;
mod pattern;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use error::{ConfigError, ConfigProblem};
pub use file::{load, load_text};
pub use pattern::PathPattern;

use crate::rule::{ConfiguredOption, Severity};
use crate::selection::{self, Selection};

/// The configuration file's name.
pub const CONFIG_FILE: &str = ".stacklint.yaml";

/// Everything that decides what is reported for a file. `Settings::default()` is a run
/// without configuration: every rule, catalog severities, no suppression report.
#[derive(Clone, Debug, Default)]
pub struct Settings {
    pub selection: Selection,
    /// Severity overrides by code or prefix (the longest matching pattern wins); `None`
    /// turns the rule off.
    pub severities: Vec<(String, Option<Severity>)>,
    /// Codes or prefixes not reported in files matching a pattern.
    pub per_path_ignores: Vec<(PathPattern, Vec<String>)>,
    /// Files skipped when walking directories.
    pub exclude: Vec<PathPattern>,
    /// Rule options set by the configuration.
    pub options: Vec<ConfiguredOption>,
    /// Report suppressions that suppress nothing (STACKLINT-001).
    pub report_unused_suppressions: bool,
    /// Run the `info` rules too (`include-info: true`, `--select-info`). Without it an
    /// info rule runs only when named by its exact code in `select` or `severity`.
    pub include_info: bool,
    /// The folder path patterns are relative to: the configuration file's.
    pub root: PathBuf,
    /// The configuration file these settings came from.
    pub config_file: Option<PathBuf>,
    /// The regions the templates are deployed to (`regions:`, `--regions`): SCHEMA-001
    /// reports a type missing from any of them. Empty: any region.
    pub regions: Vec<String>,
}

impl From<Selection> for Settings {
    fn from(selection: Selection) -> Self {
        Settings {
            selection,
            ..Settings::default()
        }
    }
}

/// Command-line flags that override the configuration file, key by key.
#[derive(Clone, Debug, Default)]
pub struct Overrides {
    /// `--config`: use this file for every input instead of discovering one.
    pub config_file: Option<PathBuf>,
    /// `--select` replaces the file's `select`.
    pub select: Option<Vec<String>>,
    /// `--ignore` replaces the file's `ignore`.
    pub ignore: Option<Vec<String>>,
    /// `--report-unused-suppressions` turns the report on whatever the file says.
    pub report_unused_suppressions: bool,
    /// `--select-info` runs the `info` rules whatever the file says.
    pub include_info: bool,
    /// `--regions` replaces the file's `regions`.
    pub regions: Option<Vec<String>>,
}

impl Overrides {
    fn apply(&self, mut settings: Settings) -> Settings {
        if let Some(select) = &self.select {
            settings.selection.select = select.clone();
        }
        if let Some(ignore) = &self.ignore {
            settings.selection.ignore = ignore.clone();
        }
        settings.report_unused_suppressions |= self.report_unused_suppressions;
        settings.include_info |= self.include_info;
        if let Some(regions) = &self.regions {
            settings.regions = regions.clone();
        }
        settings
    }
}

impl Settings {
    /// The settings for `file`: its configuration file (`overrides.config_file`, else
    /// the nearest `.stacklint.yaml` above it) with `overrides` applied. `file` need not
    /// exist (standard input named by `--stdin-filename`, an unsaved editor buffer).
    pub fn for_file(file: &Path, overrides: &Overrides) -> Result<Settings, ConfigError> {
        let config = overrides.config_file.clone().or_else(|| discover(file));
        let base = match config {
            Some(path) => load(&path)?,
            None => Settings::default(),
        };
        Ok(overrides.apply(base))
    }

    /// What applies to one file (per-path ignores resolved once).
    pub fn for_path(&self, file: &Path) -> FileRules<'_> {
        let relative = self.relative(file);
        let path_ignores = match &relative {
            Some(relative) => self
                .per_path_ignores
                .iter()
                .filter(|(pattern, _)| pattern.matches(relative))
                .flat_map(|(_, codes)| codes.iter().map(String::as_str))
                .collect(),
            None => Vec::new(),
        };
        FileRules {
            settings: self,
            path_ignores,
        }
    }

    /// Whether `exclude` skips `file`.
    pub fn excludes(&self, file: &Path) -> bool {
        self.relative(file)
            .is_some_and(|relative| self.exclude.iter().any(|p| p.matches(&relative)))
    }

    /// `file` relative to the configuration's folder, when it lies inside it.
    fn relative(&self, file: &Path) -> Option<PathBuf> {
        if self.per_path_ignores.is_empty() && self.exclude.is_empty() {
            return None;
        }
        let file = std::path::absolute(file).ok()?;
        file.strip_prefix(&self.root).ok().map(Path::to_path_buf)
    }
}

/// The settings as they apply to one file.
pub struct FileRules<'s> {
    pub settings: &'s Settings,
    path_ignores: Vec<&'s str>,
}

impl FileRules<'_> {
    /// Whether the rule `code` runs on this file.
    pub fn enabled(&self, code: &str) -> bool {
        self.settings.selection.includes(code)
            && !self.ignored(code)
            && (self.settings.include_info || self.named(code) || !is_info_rule(code))
    }

    /// [`FileRules::enabled`] for a rule whose metadata is at hand (no registry look-up:
    /// this runs for every rule on every file).
    pub fn runs(&self, meta: &crate::rule::RuleMeta) -> bool {
        let code = meta.code;
        self.settings.selection.includes(code)
            && !self.ignored(code)
            && (self.settings.include_info || meta.severity != Severity::Info || self.named(code))
    }

    /// Whether `code` is named exactly (not by a prefix) in `select` or `severity`:
    /// what turns an `info` rule on without `include-info`.
    fn named(&self, code: &str) -> bool {
        let exact = |pattern: &String| pattern.trim().eq_ignore_ascii_case(code);
        self.settings.selection.select.iter().any(exact)
            || self
                .settings
                .severities
                .iter()
                .any(|(pattern, severity)| severity.is_some() && exact(pattern))
    }

    /// Whether `code` is turned off: by `ignore`, a per-path ignore or severity `off`
    /// (`select` aside).
    pub fn ignored(&self, code: &str) -> bool {
        let selection = &self.settings.selection;
        selection.ignore.iter().any(|p| selection::matches(p, code))
            || self
                .path_ignores
                .iter()
                .any(|p| selection::matches(p, code))
            || self.severity_override(code) == Some(None)
    }

    /// The severity of `code`'s findings: the override, else `default`.
    pub fn severity(&self, code: &str, default: Severity) -> Severity {
        self.severity_override(code).flatten().unwrap_or(default)
    }

    fn severity_override(&self, code: &str) -> Option<Option<Severity>> {
        self.settings
            .severities
            .iter()
            .filter(|(pattern, _)| selection::matches(pattern, code))
            .max_by_key(|(pattern, _)| pattern.len())
            .map(|(_, severity)| *severity)
    }
}

/// Whether `code` is a rule whose catalog severity is `info` (off by default).
pub fn is_info_rule(code: &str) -> bool {
    crate::registry::find(code).is_some_and(|rule| rule.meta.severity == Severity::Info)
}

/// The nearest `.stacklint.yaml` in `file`'s folder or above it.
/// Shown relative to the working folder when it lies inside it.
pub fn discover(file: &Path) -> Option<PathBuf> {
    let absolute = std::path::absolute(file).ok()?;
    let found = absolute
        .parent()?
        .ancestors()
        .map(|dir| dir.join(CONFIG_FILE))
        .find(|candidate| candidate.is_file())?;
    let relative = std::env::current_dir()
        .ok()
        .and_then(|cwd| found.strip_prefix(cwd).ok().map(Path::to_path_buf));
    Some(relative.unwrap_or(found))
}

/// How many folders' configuration file [`Resolver`] remembers.
const MEMO_FOLDERS: usize = 256;

/// Settings for many files, each configuration file loaded once.
pub struct Resolver {
    overrides: Overrides,
    /// The configuration file of the folders seen last: a walk gives files folder by
    /// folder, so a small memo serves it, and a million folders do not fill it.
    config_by_dir: HashMap<PathBuf, Option<PathBuf>>,
    loaded: HashMap<Option<PathBuf>, Result<Arc<Settings>, Arc<ConfigError>>>,
}

impl Resolver {
    pub fn new(overrides: Overrides) -> Self {
        Resolver {
            overrides,
            config_by_dir: HashMap::new(),
            loaded: HashMap::new(),
        }
    }

    /// The settings for `file` (see [`Settings::for_file`]).
    pub fn settings_for(&mut self, file: &Path) -> Result<Arc<Settings>, Arc<ConfigError>> {
        let config = match &self.overrides.config_file {
            Some(path) => Some(path.clone()),
            None => {
                let dir = std::path::absolute(file)
                    .ok()
                    .and_then(|p| p.parent().map(Path::to_path_buf))
                    .unwrap_or_default();
                if self.config_by_dir.len() >= MEMO_FOLDERS
                    && !self.config_by_dir.contains_key(&dir)
                {
                    self.config_by_dir.clear();
                }
                self.config_by_dir
                    .entry(dir.clone())
                    .or_insert_with(|| discover(&dir.join("_")))
                    .clone()
            }
        };
        let overrides = &self.overrides;
        self.loaded
            .entry(config.clone())
            .or_insert_with(|| {
                let base = match &config {
                    Some(path) => load(path).map_err(Arc::new)?,
                    None => Settings::default(),
                };
                Ok(Arc::new(overrides.apply(base)))
            })
            .clone()
    }
}
