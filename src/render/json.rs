//! `--format json`: one object per finding.

use serde_json::{json as value, Value};

use super::Renderer;
use crate::lint::FileReport;

/// A JSON array of findings (see [`file`] for the fields), pretty-printed, ending in a
/// newline.
pub fn json(reports: &[FileReport]) -> String {
    Renderer::Json.render_all(reports)
}

/// One report's findings as JSON array elements, each on its own lines, indented as
/// inside the array and joined by commas; and how many there are. An element holds
/// `file`, `rule`, `name`, `severity`, `message`, `start` and `end` (1-based line and
/// character column), `span` (byte offset and length), plus `label`, `help`, `url`
/// and `labels` for the secondary places.
pub(super) fn file(report: &FileReport) -> (String, usize) {
    let mut findings = Vec::new();
    let source = &report.source;
    let file = source.name();
    for finding in &report.findings {
        let place = |span: crate::source::Span| {
            let start = source.line_col(span.start());
            let end = source.line_col(span.end());
            (
                value!({"line": start.line, "column": start.column}),
                value!({"line": end.line, "column": end.column}),
                value!({"offset": span.start(), "length": span.len()}),
            )
        };
        let (start, end, span) = place(finding.primary.span);
        let labels: Vec<Value> = finding
            .secondary
            .iter()
            .map(|label| {
                let (start, end, span) = place(label.span);
                value!({"message": label.text, "start": start, "end": end, "span": span})
            })
            .collect();
        findings.push(value!({
            "file": file,
            "rule": finding.code(),
            "name": finding.meta.name,
            "severity": finding.severity.as_str(),
            "message": finding.message,
            "start": start,
            "end": end,
            "span": span,
            "label": finding.primary.text,
            "help": finding.help,
            "url": finding.meta.source,
            "labels": labels,
        }));
    }
    let mut out = String::new();
    for (index, finding) in findings.iter().enumerate() {
        if index > 0 {
            out.push(',');
        }
        // Pretty-printing indents by nesting depth only (strings never hold a raw line
        // break), so an element printed alone and indented once reads as inside the array.
        let text = serde_json::to_string_pretty(finding).unwrap_or_else(|_| "null".into());
        for line in text.lines() {
            out.push_str("\n  ");
            out.push_str(line);
        }
    }
    (out, findings.len())
}
