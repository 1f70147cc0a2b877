//! Hover on a finding: the rule's documentation.

use lsp_types::{Hover, HoverContents, MarkupContent, MarkupKind};

use crate::lint::FileReport;
use crate::registry;
use crate::rule_docs;

use super::text;

/// The documentation of every rule with a finding at byte `at`, or `None` when there
/// is no finding there.
pub fn hover(report: &FileReport, at: usize) -> Option<Hover> {
    let here: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.primary.span.start() <= at && at <= f.primary.span.end())
        .collect();
    let first = here.first()?;
    let mut range = first.primary.span;
    let mut sections = Vec::new();
    for finding in &here {
        range = range.cover(finding.primary.span);
        let Some(rule) = registry::find(finding.code()) else {
            continue;
        };
        sections.push(rule_docs::hover_section(rule, &finding.message));
    }
    if sections.is_empty() {
        return None;
    }
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: sections.join("\n\n---\n\n"),
        }),
        range: Some(text::range(&report.source, range)),
    })
}
