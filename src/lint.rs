//! Linting one file: decode → parse → detect → model → rules → findings.

use std::path::Path;

use crate::config::{FileRules, Settings};
use crate::document::{load_json, load_yaml, AliasUse, LoadProblem, Loaded};
use crate::kind::{self, Syntax};
use crate::model::{Appspec, Dockerrun, EbConfig, Template};
use crate::registry::{self, RULES};
use crate::rule::{
    ConfiguredOption, FileKind, Finding, Fix, Label, RegisteredRule, Report, Severity,
};
use crate::schema::walk;
use crate::source::{SourceFile, Span};
use crate::suppress::{self, UNUSED_SUPPRESSION};

/// Codes of the findings the loader itself produces.
pub const SYNTAX_ERROR: &str = "PARSE-001";
pub const DUPLICATE_KEY: &str = "PARSE-002";
pub const UNSUPPORTED_CONTENT: &str = "PARSE-003";

/// What linting one input produced.
pub struct FileReport {
    pub source: SourceFile,
    /// `None` when the file is of no kind stacklint knows.
    pub kind: Option<FileKind>,
    pub findings: Vec<Finding>,
}

/// How a file came to be linted: named by the user, or found by walking a directory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileOrigin {
    Named,
    Walked,
}

/// Lints `bytes` as the file `path` with the file's `settings` (see
/// [`Settings::for_file`]; `Settings::default()` runs every rule as the catalog has it).
pub fn lint_bytes(
    path: &Path,
    bytes: Vec<u8>,
    origin: FileOrigin,
    settings: &Settings,
) -> FileReport {
    let text = match decode(bytes) {
        Ok(text) => text,
        Err((text, problem)) => {
            let rules = settings.for_path(path);
            let source = SourceFile::new(path, text);
            let kind = kind::kind_by_name(path);
            let mut findings = if kind.is_some() || origin == FileOrigin::Named {
                loader_findings(&[problem], &rules)
            } else {
                Vec::new()
            };
            apply_severities(&rules, &mut findings);
            return FileReport {
                source,
                kind,
                findings,
            };
        }
    };
    let source = SourceFile::new(path, text);
    let syntax = kind::syntax_of(path, &source.text);
    let loaded = match syntax {
        Syntax::Json => load_json(&source.text),
        Syntax::Yaml => load_yaml(&source.text),
    };
    lint_loaded(source, syntax, &loaded, origin, settings)
}

/// Lints a document already loaded from `source.text` (as [`lint_bytes`] loads it): the
/// language server keeps the tree of a document between edits and patches it when an
/// edit changes one scalar ([`crate::document::patch_scalar`]).
pub fn lint_loaded(
    source: SourceFile,
    syntax: Syntax,
    loaded: &Loaded,
    origin: FileOrigin,
    settings: &Settings,
) -> FileReport {
    let path = source.path.as_path();
    let rules = settings.for_path(path);
    let body_size = source.text.len() as u64;
    let kind = match &loaded.root {
        Some(root) if !loaded.has_fatal_problem() => kind::detect(path, root),
        _ => kind::sniff(path, &source.text).or_else(|| {
            // An empty or unparsable file the user named is reported, not ignored.
            (origin == FileOrigin::Named && (!loaded.problems.is_empty() || loaded.root.is_none()))
                .then_some(FileKind::Template)
        }),
    };
    let mut findings = Vec::new();
    if let Some(kind) = kind {
        findings = loader_findings(&loaded.problems, &rules);
        if kind == FileKind::Template {
            findings.extend(merge_key_findings(&loaded.merge_keys, &rules));
            findings.extend(alias_findings(&loaded.aliases, &rules));
        }
        for finding in &mut findings {
            finding.primary.span = visible(&source.text, finding.primary.span);
        }
        if loaded.root.is_none() && loaded.problems.is_empty() {
            findings.extend(empty_file(&source, &rules));
        }
        if !loaded.has_fatal_problem() {
            if let Some(root) = &loaded.root {
                run_rules(
                    kind,
                    root,
                    &source.text,
                    path,
                    body_size,
                    &rules,
                    &mut findings,
                );
                point_through_aliases(loaded, &source.text, &mut findings);
                suppress_findings(&source, root, kind, syntax, &rules, &mut findings);
            }
        }
        apply_severities(&rules, &mut findings);
        sort_findings(&mut findings);
    }
    FileReport {
        source,
        kind,
        findings,
    }
}

/// Runs every selected rule for `kind` over the document.
fn run_rules(
    kind: FileKind,
    root: &crate::document::Node,
    text: &str,
    path: &Path,
    body_size: u64,
    rules: &FileRules,
    findings: &mut Vec<Finding>,
) {
    let options = &rules.settings.options;
    let selected = RULES
        .iter()
        .filter(|rule| rule.meta.kinds.contains(&kind) && rules.runs(rule.meta));
    match kind {
        FileKind::Template => {
            let mut template = Template::new(root, path).with_source(text);
            // What was read, not a file of that name on disk (`--stdin-filename`).
            template.body_size = body_size;
            template.regions = &rules.settings.regions;
            let mut walkers = Vec::new();
            let mut reference_walkers = Vec::new();
            for rule in selected {
                if let Some(walker) = rule.check.walker() {
                    walkers.push((rule, walker));
                } else if let Some(walker) = rule.check.reference_walker(&template) {
                    reference_walkers.push((rule, walker));
                } else {
                    with_report(rule, options, findings, |report| {
                        rule.check.template(&template, report)
                    });
                }
            }
            if !reference_walkers.is_empty() {
                template.each_template_reference(&mut |site, reference| {
                    for (_, walker) in &mut reference_walkers {
                        walker.reference(site, reference);
                    }
                });
                for (rule, mut walker) in reference_walkers {
                    with_report(rule, options, findings, |report| walker.finish(report));
                }
            }
            if !walkers.is_empty() {
                walk::each_resource(&template, &mut |step| {
                    for (rule, walker) in &mut walkers {
                        with_report(rule, options, findings, |report| {
                            walker.resource(step, report)
                        });
                    }
                });
                for (rule, walker) in &mut walkers {
                    with_report(rule, options, findings, |report| {
                        walker.finish(&template, report)
                    });
                }
            }
        }
        FileKind::Appspec => {
            let appspec = Appspec::new(root, path);
            for rule in selected {
                with_report(rule, options, findings, |report| {
                    rule.check.appspec(&appspec, report)
                });
            }
        }
        FileKind::Dockerrun => {
            let dockerrun = Dockerrun::new(root, path);
            for rule in selected {
                with_report(rule, options, findings, |report| {
                    rule.check.dockerrun(&dockerrun, report)
                });
            }
        }
        FileKind::EbConfig => {
            let config = EbConfig { root, path };
            for rule in selected {
                with_report(rule, options, findings, |report| {
                    rule.check.eb_config(&config, report)
                });
            }
        }
    }
}

fn with_report(
    rule: &RegisteredRule,
    options: &[ConfiguredOption],
    findings: &mut Vec<Finding>,
    run: impl FnOnce(&mut Report),
) {
    let mut report = Report::with_options(rule, options, findings);
    run(&mut report);
}

/// A finding on an alias's copy is reported at the alias (the place of use); this adds
/// the anchored original as a secondary label, and drops a fix that would edit the
/// alias (`*proto` is not the value it stands for: rewriting its bytes as if it were
/// could break the document, and the anchor's other uses would not follow).
fn point_through_aliases(loaded: &Loaded, text: &str, findings: &mut [Finding]) {
    if loaded.aliases.is_empty() {
        return;
    }
    for finding in findings {
        let primary = finding.primary.span;
        // The alias itself, or a key and its alias on one line (`Protocol: *proto`).
        let alias = loaded.alias_ending(primary).filter(|alias| {
            text.get(primary.start()..alias.at.start())
                .is_some_and(|before| !before.contains('\n'))
        });
        if let Some(alias) = alias {
            let name = text.get(alias.at.range()).unwrap_or("the alias");
            finding.also(
                alias.target,
                format!("`{name}` stands for this anchored value"),
            );
        }
        if finding
            .fix
            .as_ref()
            .is_some_and(|fix| loaded.touches_alias(fix.span))
        {
            finding.fix = None;
        }
    }
}

/// Drops suppressed findings, then reports unused suppressions when asked to.
fn suppress_findings(
    source: &SourceFile,
    root: &crate::document::Node,
    kind: FileKind,
    syntax: Syntax,
    rules: &FileRules,
    findings: &mut Vec<Finding>,
) {
    let mut suppressions = suppress::collect(source, root, kind, syntax == Syntax::Yaml);
    suppress::apply(&mut suppressions, findings, source);
    // Asking for the report selects STACKLINT-001; only an explicit ignore or `off`
    // turns it off again.
    if rules.settings.report_unused_suppressions && !rules.ignored(UNUSED_SUPPRESSION) {
        let severity = registry::builtin(UNUSED_SUPPRESSION).severity;
        findings.extend(suppress::unused(
            &suppressions,
            |code| rules.enabled(code),
            severity,
        ));
    }
}

/// Severity overrides apply after the checks, so `--fail-on` sees them.
fn apply_severities(rules: &FileRules, findings: &mut [Finding]) {
    if rules.settings.severities.is_empty() {
        return;
    }
    for finding in findings {
        finding.severity = rules.severity(finding.code(), finding.severity);
    }
}

pub fn sort_findings(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        (a.primary.span.start(), a.primary.span.end(), a.code()).cmp(&(
            b.primary.span.start(),
            b.primary.span.end(),
            b.code(),
        ))
    });
}

/// Text from bytes, or (a lossy text for display, the problem) when the bytes are not
/// UTF-8 text.
fn decode(bytes: Vec<u8>) -> Result<String, (String, LoadProblem)> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err((
            String::new(),
            LoadProblem::Unsupported {
                message: "the file is UTF-16 encoded; CloudFormation and stacklint read UTF-8"
                    .into(),
                at: Span::empty(0),
            },
        ));
    }
    if let Some(nul) = memchr::memchr(0, &bytes) {
        let text = String::from_utf8_lossy(&bytes[..nul]).into_owned();
        let at = text.len();
        return Err((
            text,
            LoadProblem::Unsupported {
                message: format!("binary content: a NUL byte at offset {nul}"),
                at: Span::empty(at),
            },
        ));
    }
    String::from_utf8(bytes).map_err(|error| {
        let at = error.utf8_error().valid_up_to();
        let bytes = error.into_bytes();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let bad = bytes[at];
        (
            text,
            LoadProblem::Unsupported {
                message: format!("invalid UTF-8: byte 0x{bad:02X} at offset {at}"),
                // Empty: the original bytes were replaced by U+FFFD in `text`, so any
                // length would be wrong in one of the two.
                at: Span::empty(at),
            },
        )
    })
}

/// An empty span at the very end of the text cannot be shown: move it onto the last
/// character that is not white space.
fn visible(text: &str, span: Span) -> Span {
    if !span.is_empty() || span.start() < text.trim_end().len() {
        return span;
    }
    match text.trim_end().char_indices().last() {
        Some((at, c)) => Span::new(at, at + c.len_utf8()),
        None => span,
    }
}

fn empty_file(source: &SourceFile, rules: &FileRules) -> Option<Finding> {
    rules.enabled(SYNTAX_ERROR).then(|| Finding {
        meta: registry::builtin(SYNTAX_ERROR),
        severity: registry::builtin(SYNTAX_ERROR).severity,
        message: "the file holds no document (it is empty or only comments)".into(),
        primary: Label {
            span: Span::empty(source.text.len()),
            text: Some("nothing here".into()),
        },
        secondary: Vec::new(),
        help: Some("add the document's content, or delete the file".into()),
        fix: None,
    })
}

/// Findings for what the loader found wrong with the input itself.
fn loader_findings(problems: &[LoadProblem], rules: &FileRules) -> Vec<Finding> {
    let mut findings = Vec::new();
    for problem in problems {
        let (code, message, primary, secondary, help) = match problem {
            LoadProblem::Syntax {
                message,
                at,
                opened,
            } => (
                SYNTAX_ERROR,
                format!("syntax error: {message}"),
                Label {
                    span: *at,
                    text: Some("here".into()),
                },
                opened
                    .map(|span| Label {
                        span,
                        text: Some("unclosed bracket opened here".into()),
                    })
                    .into_iter()
                    .collect(),
                "fix the syntax; no other rule runs on a file that does not parse",
            ),
            LoadProblem::DuplicateKey { key, first, again } => (
                DUPLICATE_KEY,
                format!("duplicate key `{key}`"),
                Label {
                    span: *again,
                    text: Some("repeated here".into()),
                },
                vec![Label {
                    span: *first,
                    text: Some("first defined here".into()),
                }],
                "remove one of them: parsers keep only the last, silently dropping the other",
            ),
            LoadProblem::ExtraDocument { at } => (
                UNSUPPORTED_CONTENT,
                "unsupported content: a second YAML document, which is ignored".into(),
                Label {
                    span: *at,
                    text: Some("second document starts here".into()),
                },
                Vec::new(),
                "CloudFormation, CodeDeploy and Elastic Beanstalk read one document per file: merge it into the first or move it to a file of its own",
            ),
            LoadProblem::TrailingComma { at } => (
                SYNTAX_ERROR,
                "a trailing comma, which JSON does not allow (CloudFormation accepts it)".into(),
                Label {
                    span: *at,
                    text: Some("trailing comma".into()),
                },
                Vec::new(),
                "remove the comma: CloudFormation reads JSON templates with a YAML parser and deploys the file, but jq, JSON.parse and most JSON tools reject it",
            ),
            LoadProblem::Unsupported { message, at } => (
                UNSUPPORTED_CONTENT,
                format!("unsupported content: {message}"),
                Label {
                    span: *at,
                    text: Some("here".into()),
                },
                Vec::new(),
                "stacklint reads UTF-8 YAML and JSON text within sane size and nesting limits",
            ),
        };
        if !rules.enabled(code) {
            continue;
        }
        // A trailing comma is a portability warning with one right edit: deleting it.
        let (severity, fix) = match problem {
            LoadProblem::TrailingComma { at } => (
                Severity::Warning,
                Some(Fix {
                    span: *at,
                    replacement: String::new(),
                    title: "remove the trailing comma".into(),
                }),
            ),
            _ => (registry::builtin(code).severity, None),
        };
        findings.push(Finding {
            meta: registry::builtin(code),
            severity,
            message,
            primary,
            secondary,
            help: Some(help.into()),
            fix,
        });
    }
    findings
}

/// PARSE-003 (as a warning) at each YAML merge key of a template. The template-formats
/// page lists hash merges (and aliases) among the YAML features CloudFormation does
/// not support; `aws cloudformation package` resolves both, so the template is linted
/// as merged. AppSpec files are read by the CodeDeploy agent's Ruby YAML, which merges:
/// no finding there.
fn merge_key_findings(merge_keys: &[Span], rules: &FileRules) -> Vec<Finding> {
    if !rules.enabled(UNSUPPORTED_CONTENT) {
        return Vec::new();
    }
    merge_keys
        .iter()
        .map(|&at| {
            unsupported_yaml_warning(
                at,
                "merge key",
                "a YAML merge key (`<<`)",
                "write the merged keys out in the mapping, or deploy through `aws cloudformation package`, which resolves merge keys; stacklint lints the template as merged",
            )
        })
        .collect()
}

/// PARSE-003 (as a warning) at each YAML alias of a template, with its anchor as a
/// secondary label. CloudFormation rejects them ("Template error: YAML aliases are not
/// allowed in CloudFormation templates"); `aws cloudformation package` and SAM resolve
/// them first, so, as with merge keys, the template is linted as expanded.
/// The alias of a merge key (`<<: *base`, `<<: [*a, *b]`) is left to the merge key's
/// own finding.
fn alias_findings(aliases: &[AliasUse], rules: &FileRules) -> Vec<Finding> {
    if !rules.enabled(UNSUPPORTED_CONTENT) {
        return Vec::new();
    }
    aliases
        .iter()
        .filter(|alias| !alias.merged)
        // `point_through_aliases` adds the anchor, as for every finding at an alias.
        .map(|alias| {
            unsupported_yaml_warning(
                alias.at,
                "alias",
                "a YAML alias",
                "write the value out again, or deploy through `aws cloudformation package` or SAM, which expand aliases; stacklint lints the template as expanded",
            )
        })
        .collect()
}

/// A PARSE-003 warning at a YAML feature CloudFormation does not support (`what`,
/// named in the message) but deployment tools expand first.
fn unsupported_yaml_warning(at: Span, label: &str, what: &str, help: &str) -> Finding {
    Finding {
        meta: registry::builtin(UNSUPPORTED_CONTENT),
        severity: Severity::Warning,
        message: format!("unsupported content: {what}, which CloudFormation does not support"),
        primary: Label {
            span: at,
            text: Some(label.into()),
        },
        secondary: Vec::new(),
        help: Some(help.into()),
        fix: None,
    }
}

/// Loads a document for callers outside the lint pipeline (configuration files).
pub fn load(path: &Path, text: &str) -> Loaded {
    match kind::syntax_of(path, text) {
        Syntax::Json => load_json(text),
        Syntax::Yaml => load_yaml(text),
    }
}
