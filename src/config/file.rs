//! Reading `.stacklint.yaml` through our own YAML loader, so that every mistake in it is
//! reported at the exact key or value.

use std::path::Path;

use super::error::{ConfigError, ConfigProblem};
use super::pattern::PathPattern;
use super::Settings;
use crate::document::{load_yaml, LoadProblem, Node, ScalarStyle, Value};
use crate::registry;
use crate::rule::{ConfiguredOption, OptionKind, OptionValue, Severity};
use crate::selection;
use crate::source::{SourceFile, Span};
use crate::suggest::{closest, suggest_code};

/// The keys a configuration file may hold.
const KEYS: &[&str] = &[
    "select",
    "ignore",
    "severity",
    "per-path-ignores",
    "exclude",
    "options",
    "report-unused-suppressions",
    "include-info",
    "regions",
];

/// Reads and checks the configuration file at `path`.
pub fn load(path: &Path) -> Result<Settings, ConfigError> {
    load_text(path, read(path)?)
}

fn read(path: &Path) -> Result<String, ConfigError> {
    match crate::files::read_bounded(path, crate::files::MAX_CONFIG) {
        Ok(bytes) => String::from_utf8(bytes).map_err(|_| ConfigError::Unreadable {
            source: SourceFile::new(path, String::new()),
            reason: "the configuration file is not UTF-8 text".into(),
        }),
        Err(error) => Err(ConfigError::Unreadable {
            source: SourceFile::new(path, String::new()),
            reason: error.to_string(),
        }),
    }
}

/// Checks `text` as the configuration file at `path` (the language server checks an
/// editor's unsaved buffer this way).
pub fn load_text(path: &Path, text: String) -> Result<Settings, ConfigError> {
    let root = std::path::absolute(path)
        .ok()
        .and_then(|p| p.parent().map(Path::to_path_buf))
        .unwrap_or_default();
    let source = SourceFile::new(path, text);
    let mut reader = Reader {
        text: &source.text,
        settings: Settings {
            root,
            config_file: Some(path.to_path_buf()),
            ..Settings::default()
        },
        problems: Vec::new(),
    };
    let loaded = load_yaml(&source.text);
    for problem in &loaded.problems {
        reader.problems.push(load_problem(problem));
    }
    if !loaded.has_fatal_problem() {
        if let Some(root) = &loaded.root {
            reader.read(root);
        }
    }
    let Reader {
        settings, problems, ..
    } = reader;
    if problems.is_empty() {
        Ok(settings)
    } else {
        Err(ConfigError::Invalid { source, problems })
    }
}

fn load_problem(problem: &LoadProblem) -> ConfigProblem {
    match problem {
        LoadProblem::Syntax { message, at, .. } => ConfigProblem {
            message: format!("syntax error: {message}"),
            span: *at,
            label: "here".into(),
            help: None,
        },
        LoadProblem::DuplicateKey { key, again, .. } => ConfigProblem {
            message: format!("duplicate key `{key}`"),
            span: *again,
            label: "repeated here".into(),
            help: Some("keep one of them".into()),
        },
        LoadProblem::ExtraDocument { at } => ConfigProblem {
            message: "a second YAML document; the configuration is the first one only".into(),
            span: *at,
            label: "second document starts here".into(),
            help: Some("merge it into the first document".into()),
        },
        LoadProblem::Unsupported { message, at } => ConfigProblem {
            message: format!("unsupported content: {message}"),
            span: *at,
            label: "here".into(),
            help: None,
        },
        LoadProblem::TrailingComma { at } => ConfigProblem {
            message: "a trailing comma, which JSON does not allow".into(),
            span: *at,
            label: "trailing comma".into(),
            help: Some("remove the comma".into()),
        },
    }
}

struct Reader<'t> {
    /// The configuration's text, to see how keys are quoted.
    text: &'t str,
    settings: Settings,
    problems: Vec<ConfigProblem>,
}

impl Reader<'_> {
    fn problem(&mut self, span: Span, message: String, label: &str, help: Option<String>) {
        self.problems.push(ConfigProblem {
            message,
            span,
            label: label.into(),
            help,
        });
    }

    fn read(&mut self, root: &Node) {
        if root.is_null() {
            return;
        }
        let Some(entries) = root.as_map() else {
            self.problem(
                root.span(),
                "the configuration must be a mapping of settings".into(),
                "not a mapping",
                Some(format!("use the keys {}", KEYS.join(", "))),
            );
            return;
        };
        for entry in entries {
            let value = &entry.value;
            match entry.key.text.as_str() {
                "select" => {
                    self.settings.selection.select = self.rule_patterns(value);
                }
                "ignore" => {
                    self.settings.selection.ignore = self.rule_patterns(value);
                }
                "severity" => self.severities(value),
                "per-path-ignores" => self.per_path_ignores(value),
                "exclude" => {
                    for item in self.list(value) {
                        if let Some(pattern) = self.path_pattern(item) {
                            self.settings.exclude.push(pattern);
                        }
                    }
                }
                "options" => self.options(value),
                "report-unused-suppressions" => {
                    if let Some(on) = self.boolean(value, "report-unused-suppressions") {
                        self.settings.report_unused_suppressions = on;
                    }
                }
                "include-info" => {
                    if let Some(on) = self.boolean(value, "include-info") {
                        self.settings.include_info = on;
                    }
                }
                "regions" => {
                    for item in self.list(value) {
                        let Some(name) = self.string(item, "a region name") else {
                            continue;
                        };
                        match crate::schema::unknown_region(name) {
                            None => self.settings.regions.push(name.to_string()),
                            Some(help) => self.problem(
                                item.span(),
                                format!("unknown region `{name}`"),
                                "not a region",
                                Some(help),
                            ),
                        }
                    }
                }
                other => self.problem(
                    entry.key.span,
                    format!("unknown key `{other}`"),
                    "not a setting",
                    Some(match closest(other, KEYS.iter().copied()) {
                        Some(key) => format!("did you mean `{key}`?"),
                        None => format!("the keys are {}", KEYS.join(", ")),
                    }),
                ),
            }
        }
    }

    /// A `true` or `false` value of the setting `key`.
    fn boolean(&mut self, value: &Node, key: &str) -> Option<bool> {
        let on = value.as_bool();
        if on.is_none() {
            self.problem(
                value.span(),
                format!("`{key}` must be `true` or `false`"),
                "not a boolean",
                None,
            );
        }
        on
    }

    /// The items of a list (a lone scalar is reported: lists keep edits uniform).
    fn list<'n>(&mut self, node: &'n Node) -> &'n [Node] {
        match node.as_seq() {
            Some(items) => items,
            None if node.is_null() => &[],
            None => {
                self.problem(
                    node.span(),
                    "expected a list".into(),
                    "not a list",
                    Some("write `[A, B]` or one `- item` per line".into()),
                );
                &[]
            }
        }
    }

    fn string<'n>(&mut self, node: &'n Node, what: &str) -> Option<&'n str> {
        match &node.value {
            Value::Scalar(text) if !node.is_null() => Some(text.trim()),
            _ => {
                self.problem(
                    node.span(),
                    format!("expected {what}"),
                    "not a string",
                    None,
                );
                None
            }
        }
    }

    /// A rule code or prefix that names at least one rule.
    fn rule_pattern(&mut self, node: &Node) -> Option<String> {
        let text = self.string(node, "a rule code or prefix")?;
        if selection::names_a_rule(text) {
            return Some(text.to_string());
        }
        self.problem(
            node.span(),
            format!("unknown rule code `{text}`"),
            "no rule has this code or prefix",
            Some(suggest_code(text)),
        );
        None
    }

    fn rule_patterns(&mut self, node: &Node) -> Vec<String> {
        let mut patterns = Vec::new();
        for item in self.list(node) {
            if let Some(pattern) = self.rule_pattern(item) {
                patterns.push(pattern);
            }
        }
        patterns
    }

    fn map<'n>(&mut self, node: &'n Node, what: &str) -> &'n [crate::document::Entry] {
        match node.as_map() {
            Some(entries) => entries,
            None if node.is_null() => &[],
            None => {
                self.problem(
                    node.span(),
                    format!("expected a mapping of {what}"),
                    "not a mapping",
                    None,
                );
                &[]
            }
        }
    }

    /// A mapping key as a scalar node (quoting included), to be read like a value.
    fn key_node(&self, entry: &crate::document::Entry) -> Node {
        let style = match self.text.as_bytes().get(entry.key.span.start()) {
            Some(b'"') => ScalarStyle::DoubleQuoted,
            Some(b'\'') => ScalarStyle::SingleQuoted,
            _ => ScalarStyle::Plain,
        };
        Node::scalar(entry.key.span, entry.key.text.as_str().into(), style)
    }

    fn severities(&mut self, node: &Node) {
        for entry in self.map(node, "rule codes to severities") {
            let key = self.key_node(entry);
            let pattern = self.rule_pattern(&key);
            let severity = match entry.value.as_str().map(str::trim) {
                Some("off") => Some(None),
                Some(text) => Severity::parse(text).map(Some),
                None => None,
            };
            let Some(severity) = severity else {
                self.problem(
                    entry.value.span(),
                    "a severity must be `error`, `warning`, `info` or `off`".into(),
                    "not a severity",
                    None,
                );
                continue;
            };
            if let Some(pattern) = pattern {
                self.settings.severities.push((pattern, severity));
            }
        }
    }

    fn per_path_ignores(&mut self, node: &Node) {
        for entry in self.map(node, "path patterns to rule codes") {
            let pattern = self.path_pattern(&self.key_node(entry));
            let codes = self.rule_patterns(&entry.value);
            if let Some(pattern) = pattern {
                self.settings.per_path_ignores.push((pattern, codes));
            }
        }
    }

    /// A glob; a malformed one is reported at the character at fault when the text
    /// is written without escapes.
    fn path_pattern(&mut self, node: &Node) -> Option<PathPattern> {
        let text = self.string(node, "a path pattern")?;
        match PathPattern::new(text) {
            Ok(pattern) => Some(pattern),
            Err(error) => {
                let span = glob_error_span(node, error.pos);
                self.problem(
                    span,
                    format!("invalid path pattern `{text}`: {}", error.msg),
                    "here",
                    Some("patterns are globs: `*` within a folder, `**` across folders, `[abc]` one of the characters".into()),
                );
                None
            }
        }
    }

    fn options(&mut self, node: &Node) {
        for entry in self.map(node, "rule codes to their options") {
            let Some(rule) = registry::find(entry.key.text.trim()) else {
                self.problem(
                    entry.key.span,
                    format!("unknown rule code `{}`", entry.key.text),
                    "no rule has this code",
                    Some(suggest_code(&entry.key.text)),
                );
                continue;
            };
            let declared = rule.check.options();
            if declared.is_empty() {
                self.problem(
                    entry.key.span,
                    format!("{} takes no options", rule.meta.code),
                    "this rule has no options",
                    Some("`stacklint rule CODE` lists a rule's options".into()),
                );
                continue;
            }
            for option in self.map(&entry.value, "option names to values") {
                let name = option.key.text.as_str();
                let Some(declaration) = declared.iter().find(|o| o.name == name) else {
                    let names: Vec<&str> = declared.iter().map(|o| o.name).collect();
                    self.problem(
                        option.key.span,
                        format!("{} has no option `{name}`", rule.meta.code),
                        "unknown option",
                        Some(match closest(name, names.iter().copied()) {
                            Some(close) => format!("did you mean `{close}`?"),
                            None => format!("its options are {}", names.join(", ")),
                        }),
                    );
                    continue;
                };
                let value = match declaration.kind {
                    OptionKind::Integer { min, max } => option
                        .value
                        .as_i64()
                        .filter(|v| (min..=max).contains(v))
                        .map(OptionValue::Integer),
                    OptionKind::Boolean => option.value.as_bool().map(OptionValue::Boolean),
                    OptionKind::Date => option
                        .value
                        .as_str()
                        .and_then(crate::date::parse)
                        .map(|days| OptionValue::Date(Some(days))),
                };
                match value {
                    Some(value) => self.settings.options.push(ConfiguredOption {
                        code: rule.meta.code,
                        name: declaration.name,
                        value,
                    }),
                    None => self.problem(
                        option.value.span(),
                        format!(
                            "{} option `{name}` must be {}",
                            rule.meta.code,
                            declaration.kind.describe()
                        ),
                        "invalid value",
                        Some(format!(
                            "{} (default {})",
                            declaration.doc,
                            show(&declaration.default)
                        )),
                    ),
                }
            }
        }
    }
}

fn show(value: &OptionValue) -> String {
    value.show()
}

/// Where in `node` the glob's character `pos` is, when the scalar's text is its source
/// verbatim (plain, or quoted without escapes); else the whole value.
fn glob_error_span(node: &Node, pos: usize) -> Span {
    let (Value::Scalar(text), Some(style)) = (&node.value, node.scalar_style()) else {
        return node.span();
    };
    let quote = match style {
        ScalarStyle::Plain => 0,
        ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => 1,
        _ => return node.span(),
    };
    if node.span().len() != text.len() + 2 * quote || !text.is_char_boundary(pos) {
        return node.span();
    }
    let at = node.span().start() + quote + pos.min(text.len());
    let width = text[pos.min(text.len())..]
        .chars()
        .next()
        .map_or(0, char::len_utf8);
    Span::new(at, at + width)
}
