//! What a rule is, and what it reports.
//!
//! A rule is one folder under `rules/` (see `rules/README.md`): `rule.rs` holds its
//! documentation (the `//!` comment), its [`RuleMeta`] and its check; `fail*`/`pass*`
//! fixtures sit beside it. `build.rs` finds the folders, so nothing lists rules by hand.

use crate::model::{Appspec, Dockerrun, EbConfig, Template};
use crate::source::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn parse(text: &str) -> Option<Severity> {
        match text {
            "info" => Some(Severity::Info),
            "warning" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

/// The kinds of file stacklint understands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FileKind {
    /// CloudFormation, SAM included (a SAM template is a template with `is_sam`).
    Template,
    Appspec,
    Dockerrun,
    /// `.ebextensions/*.config`.
    EbConfig,
}

impl FileKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Template => "template",
            FileKind::Appspec => "appspec",
            FileKind::Dockerrun => "dockerrun",
            FileKind::EbConfig => "ebextensions",
        }
    }
}

/// Everything about a rule except its check and documentation.
#[derive(Debug)]
pub struct RuleMeta {
    /// `SERVICE-NNN`, fixed by the catalog.
    pub code: &'static str,
    /// Kebab-case, reads as the problem.
    pub name: &'static str,
    pub severity: Severity,
    /// The kinds of file the rule looks at; empty for rules the loader reports.
    pub kinds: &'static [FileKind],
    /// One sentence: what the rule finds.
    pub summary: &'static str,
    /// The AWS documentation page that states the rule's fact.
    pub source: &'static str,
}

/// A rule's check. Each method sees one kind of file through its typed model; a rule
/// implements those of its `kinds`.
pub trait Check: Sync {
    fn template(&self, _template: &Template, _report: &mut Report) {}
    fn appspec(&self, _appspec: &Appspec, _report: &mut Report) {}
    fn dockerrun(&self, _dockerrun: &Dockerrun, _report: &mut Report) {}
    fn eb_config(&self, _config: &EbConfig, _report: &mut Report) {}
}

/// A rule as the registry holds it.
pub struct Rule {
    pub meta: &'static RuleMeta,
    pub check: &'static dyn Check,
    /// Markdown, from the `//!` comment of the rule's `rule.rs`.
    pub docs: &'static str,
    /// The rule's folder name under `rules/`.
    pub dir: &'static str,
}

/// A marked place in the file with an optional text.
#[derive(Clone, Debug, PartialEq)]
pub struct Label {
    pub span: Span,
    pub text: Option<String>,
}

/// One problem found in one file.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    /// The most specific place at fault: the value, or the key anchoring an absence.
    pub primary: Label,
    /// Other places involved (the queue when the function is at fault, ...).
    pub secondary: Vec<Label>,
    pub help: Option<String>,
}

impl Finding {
    /// Names the primary label.
    pub fn label(&mut self, text: impl Into<String>) -> &mut Self {
        self.primary.text = Some(text.into());
        self
    }

    /// Adds a secondary label at another place.
    pub fn also(&mut self, span: Span, text: impl Into<String>) -> &mut Self {
        if span != self.primary.span {
            self.secondary.push(Label {
                span,
                text: Some(text.into()),
            });
        }
        self
    }

    pub fn help(&mut self, text: impl Into<String>) -> &mut Self {
        self.help = Some(text.into());
        self
    }
}

/// Collects the findings of one rule on one file.
pub struct Report<'r> {
    meta: &'static RuleMeta,
    findings: &'r mut Vec<Finding>,
}

impl<'r> Report<'r> {
    pub fn new(meta: &'static RuleMeta, findings: &'r mut Vec<Finding>) -> Self {
        Report { meta, findings }
    }

    /// Reports a finding at `span`; chain [`Finding::label`], [`Finding::also`] and
    /// [`Finding::help`] to complete it.
    pub fn add(&mut self, span: Span, message: impl Into<String>) -> &mut Finding {
        self.findings.push(Finding {
            code: self.meta.code,
            severity: self.meta.severity,
            message: message.into(),
            primary: Label { span, text: None },
            secondary: Vec::new(),
            help: None,
        });
        let last = self.findings.len() - 1;
        &mut self.findings[last]
    }
}
