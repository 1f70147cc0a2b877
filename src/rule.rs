//! What a rule is, and what it reports.
//!
//! A rule is one folder under `rules/` (see `rules/README.md`): `rule.rs` holds its
//! documentation (the `//!` comment), its [`RuleMeta`] and its check; `fail*`/`pass*`
//! fixtures sit beside it. `build.rs` finds the folders, so nothing lists rules by hand.

use crate::document::{Node, ScalarStyle};
use crate::model::eval::{Reference, Site};
use crate::model::{Appspec, Candidate, Dockerrun, EbConfig, Origin, Template};
use crate::schema::walk::{self, Judging, Object, Step};
use crate::source::Span;
use std::collections::HashSet;

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
#[derive(Debug, PartialEq)]
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
    /// The options a rule takes from `.stacklint.yaml` (`options: {CODE: {name: value}}`);
    /// declare each with a typed [`IntegerOption`]/[`DateOption`] and read it with
    /// [`Report::integer`]/[`Report::date`].
    fn options(&self) -> &'static [RuleOption] {
        &[]
    }
    /// A template's check. By default the rule's [`walker`](Self::walker) and
    /// [`reference_walker`](Self::reference_walker) walk it alone (nothing, for a rule
    /// without either): what callers without a lint get.
    fn template(&self, template: &Template, report: &mut Report) {
        walk_alone(self, template, report);
    }
    /// A rule that reads the schema walk returns a fresh [`ResourceWalker`]: the lint
    /// then shows it each judged resource (walked once for all such rules) instead of
    /// calling [`template`](Self::template).
    fn walker(&self) -> Option<Box<dyn ResourceWalker>> {
        None
    }
    /// A rule that reads the template's references returns a [`ReferenceWalker`] for
    /// `template` (none when it does not judge this one; decide that cheaply, as the
    /// lint then calls [`template`](Self::template), whose default asks again): the
    /// lint shows it every reference of one walk shared by all such rules
    /// ([`Template::each_template_reference`]), instead of calling `template`.
    fn reference_walker<'t, 'a>(
        &self,
        _template: &'t Template<'a>,
    ) -> Option<Box<dyn ReferenceWalker<'a> + 't>> {
        None
    }
    fn appspec(&self, _appspec: &Appspec, _report: &mut Report) {}
    fn dockerrun(&self, _dockerrun: &Dockerrun, _report: &mut Report) {}
    fn eb_config(&self, _config: &EbConfig, _report: &mut Report) {}
}

/// A rule's walk of one template: shown each judged resource with its objects
/// ([`walk::each_resource`]), then [`finish`](Self::finish) once. It holds what the
/// rule remembers between resources (the places already reported).
pub trait ResourceWalker {
    fn resource(&mut self, step: &Step, report: &mut Report);
    /// After the last resource: what the rule judges of the template as a whole.
    fn finish(&mut self, _template: &Template, _report: &mut Report) {}
}

/// A rule's reading of a template's references: shown each use of a name and where it
/// is written, then [`finish`](Self::finish) once to report. It keeps what it needs of
/// the uses (the shared walk does not collect them: a large template has hundreds of
/// thousands).
pub trait ReferenceWalker<'a> {
    fn reference(&mut self, site: Site<'a>, reference: Reference<'a>);
    fn finish(&mut self, report: &mut Report);
}

/// The walker of a value rule: `judge` on every object of every judged resource
/// ([`walk::judge_objects`]), each place reported once per template.
pub struct Judge {
    judge: for<'j, 'a> fn(&mut Judging<'j, 'a>, &Object<'a>, &mut Report),
    reported: HashSet<Span>,
}

impl Judge {
    pub fn boxed(
        judge: for<'j, 'a> fn(&mut Judging<'j, 'a>, &Object<'a>, &mut Report),
    ) -> Option<Box<dyn ResourceWalker>> {
        Some(Box::new(Judge {
            judge,
            reported: HashSet::new(),
        }))
    }
}

impl ResourceWalker for Judge {
    fn resource(&mut self, step: &Step, report: &mut Report) {
        let judge = self.judge;
        walk::judge_objects(step, &mut self.reported, &mut |judging, object| {
            judge(judging, object, report)
        });
    }
}

/// `check`'s walks of `template` on their own: the default [`Check::template`].
pub fn walk_alone<C: Check + ?Sized>(check: &C, template: &Template, report: &mut Report) {
    if let Some(mut walker) = check.walker() {
        walk::each_resource(template, &mut |step| walker.resource(step, report));
        walker.finish(template, report);
    }
    if let Some(mut walker) = check.reference_walker(template) {
        template.each_template_reference(&mut |site, reference| walker.reference(site, reference));
        walker.finish(report);
    }
}

/// One option a rule declares: its name, type, default and documentation.
#[derive(Debug)]
pub struct RuleOption {
    /// Kebab-case, as written in `.stacklint.yaml`.
    pub name: &'static str,
    pub kind: OptionKind,
    pub default: OptionValue,
    /// One sentence: what the option changes.
    pub doc: &'static str,
}

/// An integer option, declared once with its range and default: the rule lists
/// [`IntegerOption::declare`] in [`Check::options`] (so the configuration is checked
/// against it) and reads it with [`Report::integer`], which falls back to `default`.
#[derive(Debug)]
pub struct IntegerOption {
    pub name: &'static str,
    pub min: i64,
    pub max: i64,
    pub default: i64,
    pub doc: &'static str,
}

impl IntegerOption {
    /// The option as the configuration check and the docs see it.
    pub const fn declare(&self) -> RuleOption {
        RuleOption {
            name: self.name,
            kind: OptionKind::Integer {
                min: self.min,
                max: self.max,
            },
            default: OptionValue::Integer(self.default),
            doc: self.doc,
        }
    }
}

/// A date option (`YYYY-MM-DD`) whose default is today's UTC date; read it with
/// [`Report::date`].
#[derive(Debug)]
pub struct DateOption {
    pub name: &'static str,
    pub doc: &'static str,
}

impl DateOption {
    /// The option as the configuration check and the docs see it.
    pub const fn declare(&self) -> RuleOption {
        RuleOption {
            name: self.name,
            kind: OptionKind::Date,
            default: OptionValue::Date(None),
            doc: self.doc,
        }
    }
}

/// The type of a rule option, with the values it accepts.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum OptionKind {
    /// A whole number in `min..=max`.
    Integer {
        min: i64,
        max: i64,
    },
    Boolean,
    /// A calendar day, written `YYYY-MM-DD`.
    Date,
}

/// A rule option's value.
#[derive(Clone, Debug, PartialEq)]
pub enum OptionValue {
    Integer(i64),
    Boolean(bool),
    /// Days since 1970-01-01 ([`crate::date`]); `None` is today, from the system clock.
    Date(Option<i64>),
}

impl OptionValue {
    /// The value as `.stacklint.yaml` writes it.
    pub fn show(&self) -> String {
        match self {
            OptionValue::Integer(value) => value.to_string(),
            OptionValue::Boolean(value) => value.to_string(),
            OptionValue::Date(Some(days)) => crate::date::format(*days),
            OptionValue::Date(None) => "today".into(),
        }
    }
}

impl OptionKind {
    /// What the configuration file must hold, for error messages.
    pub fn describe(self) -> String {
        match self {
            OptionKind::Integer { min, max } => format!("an integer from {min} to {max}"),
            OptionKind::Boolean => "`true` or `false`".into(),
            OptionKind::Date => "a date `YYYY-MM-DD`".into(),
        }
    }
}

/// A value set for one rule's option (by `.stacklint.yaml`).
#[derive(Clone, Debug, PartialEq)]
pub struct ConfiguredOption {
    pub code: &'static str,
    pub name: &'static str,
    pub value: OptionValue,
}

/// A rule as the registry holds it: its metadata, its check (each rule's own
/// `struct Rule`), its docs and fixtures' facts.
pub struct RegisteredRule {
    pub meta: &'static RuleMeta,
    pub check: &'static dyn Check,
    /// Markdown, from the `//!` comment of the rule's `rule.rs`.
    pub docs: &'static str,
    /// Markdown `## Example` section made from the rule's fixtures by `build.rs`: the
    /// first failing case with its pinned diagnostic, and the first passing case.
    pub example: &'static str,
    /// Whether the rule offers a machine-applicable fix (`stacklint check --fix`):
    /// derived by `build.rs` from the `fail*.fixed` files pinned in its folder.
    pub has_fix: bool,
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
    /// The rule that reports it: renderers read its name and documentation page here.
    pub meta: &'static RuleMeta,
    /// The rule's severity, unless the rule or the configuration changed it.
    pub severity: Severity,
    pub message: String,
    /// The most specific place at fault: the value, or the key anchoring an absence.
    pub primary: Label,
    /// Other places involved (the queue when the function is at fault, ...).
    pub secondary: Vec<Label>,
    pub help: Option<String>,
    /// The correction, when the rule knows the one right edit (see [`Fix`]).
    pub fix: Option<Fix>,
}

/// A machine-applicable correction: replace the bytes of `span` with `replacement`.
///
/// A rule sets one only when there is exactly one right answer (CloudFront's
/// `allow-all` becomes `redirect-to-https`); editors offer it as a quick fix (see
/// `stacklint lsp`). Applying it must make the finding go away and keep the file valid.
#[derive(Clone, Debug, PartialEq)]
pub struct Fix {
    pub span: Span,
    pub replacement: String,
    /// What the edit does, as an editor lists it.
    pub title: String,
}

impl Finding {
    /// The reporting rule's code.
    pub fn code(&self) -> &'static str {
        self.meta.code
    }

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

    /// When `candidate` is a parameter's value (its `Default` or one of its
    /// `AllowedValues`): labels that value with `value_label` and the parameter's name
    /// with "parameter", so the reader sees where the value came from. Nothing for a
    /// value written in place (the primary label is already on it).
    pub fn also_parameter(
        &mut self,
        candidate: &Candidate,
        value_label: impl Into<String>,
    ) -> &mut Self {
        if let Origin::Parameter(name) = candidate.origin {
            self.also(candidate.node.span(), value_label);
            self.also(name, "parameter");
        }
        self
    }

    /// Offers replacing the scalar `node` by `text` (a plain word such as
    /// `redirect-to-https`), keeping the scalar's quotes. Block scalars and
    /// non-scalars get no fix.
    pub fn fix_scalar(&mut self, node: &Node, text: &str, title: impl Into<String>) -> &mut Self {
        let replacement = match node.scalar_style() {
            Some(ScalarStyle::Plain) => text.to_string(),
            Some(ScalarStyle::SingleQuoted) => format!("'{text}'"),
            Some(ScalarStyle::DoubleQuoted) => format!("\"{text}\""),
            _ => return self,
        };
        self.fix = Some(Fix {
            span: node.span(),
            replacement,
            title: title.into(),
        });
        self
    }
}

/// Collects the findings of one rule on one file, and hands the rule its options.
pub struct Report<'r> {
    meta: &'static RuleMeta,
    configured: &'r [ConfiguredOption],
    findings: &'r mut Vec<Finding>,
}

impl<'r> Report<'r> {
    /// A report for a rule run with its options' defaults.
    pub fn new(meta: &'static RuleMeta, findings: &'r mut Vec<Finding>) -> Self {
        Report {
            meta,
            configured: &[],
            findings,
        }
    }

    /// A report for `rule` with the option values set in `configured` (settings for
    /// other rules are skipped).
    pub fn with_options(
        rule: &RegisteredRule,
        configured: &'r [ConfiguredOption],
        findings: &'r mut Vec<Finding>,
    ) -> Self {
        Report {
            meta: rule.meta,
            configured,
            findings,
        }
    }

    /// The value `.stacklint.yaml` sets for this rule's option `name`, if any.
    fn configured(&self, name: &str) -> Option<&OptionValue> {
        self.configured
            .iter()
            .find(|s| s.code == self.meta.code && s.name == name)
            .map(|s| &s.value)
    }

    /// An integer option's value: as configured (the configuration check guarantees
    /// the type and range), else its declared default.
    pub fn integer(&self, option: &IntegerOption) -> i64 {
        match self.configured(option.name) {
            Some(OptionValue::Integer(value)) => *value,
            _ => option.default,
        }
    }

    /// A date option's value in days since 1970-01-01: as configured, else today
    /// (read from the system clock here, once per call).
    pub fn date(&self, option: &DateOption) -> i64 {
        match self.configured(option.name) {
            Some(OptionValue::Date(Some(days))) => *days,
            _ => crate::date::today(),
        }
    }

    /// Reports a finding about `candidate`, one of the values `usage` may take, at
    /// [`Candidate::span_at`]: the value when written in place, else `usage` (the
    /// `Ref`); chain [`Finding::also_parameter`] to show the parameter's value.
    pub fn add_candidate(
        &mut self,
        candidate: &Candidate,
        usage: &Node,
        message: impl Into<String>,
    ) -> &mut Finding {
        self.add(candidate.span_at(usage), message)
    }

    /// Reports a finding at `span`; chain [`Finding::label`], [`Finding::also`] and
    /// [`Finding::help`] to complete it.
    pub fn add(&mut self, span: Span, message: impl Into<String>) -> &mut Finding {
        self.findings.push(Finding {
            meta: self.meta,
            severity: self.meta.severity,
            message: message.into(),
            primary: Label { span, text: None },
            secondary: Vec::new(),
            help: None,
            fix: None,
        });
        let last = self.findings.len() - 1;
        &mut self.findings[last]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMIT: IntegerOption = IntegerOption {
        name: "limit",
        min: 1,
        max: 9,
        default: 3,
        doc: "a test option",
    };

    static META: RuleMeta = RuleMeta {
        code: "TEST-001",
        name: "test",
        severity: Severity::Warning,
        kinds: &[FileKind::Template],
        summary: "A test rule.",
        source: "https://example.com",
    };

    struct NoCheck;
    impl Check for NoCheck {}

    static RULE: RegisteredRule = RegisteredRule {
        meta: &META,
        check: &NoCheck,
        docs: "",
        example: "",
        has_fix: false,
        dir: "TEST-001",
    };

    #[test]
    fn an_integer_option_is_as_configured_for_its_rule_else_its_default() {
        let mut findings = Vec::new();
        assert_eq!(Report::new(&META, &mut findings).integer(&LIMIT), 3);
        let set = |code, value| ConfiguredOption {
            code,
            name: "limit",
            value: OptionValue::Integer(value),
        };
        let others = [set("OTHER-001", 8)];
        assert_eq!(
            Report::with_options(&RULE, &others, &mut findings).integer(&LIMIT),
            3
        );
        let ours = [set("OTHER-001", 8), set("TEST-001", 7)];
        assert_eq!(
            Report::with_options(&RULE, &ours, &mut findings).integer(&LIMIT),
            7
        );
        assert_eq!(LIMIT.declare().default, OptionValue::Integer(3));
    }
}
