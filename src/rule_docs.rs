//! A rule's documentation as Markdown, assembled here for every place that shows it:
//! `stacklint rule CODE` (the whole page), the language server's hover (a section per
//! finding) and SARIF's `help.markdown`. Each reads the same parts: the title, the
//! `//!` docs of `rule.rs`, the AWS source page.

use crate::rule::{RegisteredRule, RuleMeta, Severity};

/// How the `info` rules are turned on, as `stacklint rules` and `rule` say it.
pub const INFO_NOTE: &str = "info rules are off by default: they run when selected by exact code \
(`--select SQS-004`, `select: [SQS-004]`), with `--select-info` or `include-info: true`, or \
when `severity` names the code";

/// `CODE name`, as headings and CI annotations title a rule.
pub fn title(meta: &RuleMeta) -> String {
    format!("{} {}", meta.code, meta.name)
}

/// The page `stacklint rule CODE` prints: title, severity, file kinds, fix, source,
/// the docs, the `## Example` from the fixtures and the options.
pub fn page(rule: &RegisteredRule) -> String {
    let meta = rule.meta;
    let fix = if rule.has_fix {
        "yes: `stacklint check --fix` applies it (`--diff` shows it)"
    } else {
        "none (no single edit is certainly right)"
    };
    let severity = if meta.severity == Severity::Info {
        format!("info ({INFO_NOTE})")
    } else {
        meta.severity.as_str().to_string()
    };
    let kinds: Vec<&str> = meta.kinds.iter().map(|k| k.as_str()).collect();
    let mut out = format!(
        "# {}\n\nSeverity: {severity}. Applies to: {}.\nFix: {fix}.\nSource: {}\n\n{}\n",
        title(meta),
        kinds.join(", "),
        meta.source,
        rule.docs
    );
    if !rule.example.is_empty() {
        out.push('\n');
        out.push_str(rule.example.trim_end());
        out.push('\n');
    }
    let options = rule.check.options();
    if !options.is_empty() {
        out.push_str(&format!(
            "\nOptions (`options: {{{}: {{NAME: VALUE}}}}` in .stacklint.yaml):\n",
            meta.code
        ));
        for option in options {
            out.push_str(&format!(
                "- `{}`: {}, default {}: {}\n",
                option.name,
                option.kind.describe(),
                option.default.show(),
                option.doc
            ));
        }
    }
    out
}

/// The hover section for one finding of `rule`: title, severity and message, the
/// docs, and where to read more.
pub fn hover_section(rule: &RegisteredRule, message: &str) -> String {
    let meta = rule.meta;
    format!(
        "### {}\n\n**{}** — {message}\n\n{}\n\n[AWS documentation]({}) · `stacklint rule {}`",
        title(meta),
        meta.severity.as_str(),
        rule.docs.trim(),
        meta.source,
        meta.code
    )
}

/// The docs followed by a link to the AWS source page (SARIF `help.markdown`).
pub fn with_source_link(rule: &RegisteredRule) -> String {
    let source = rule.meta.source;
    format!("{}\n\nSource: [{source}]({source})", rule.docs.trim_end())
}
