//! `--format json`: one object per finding.

use serde_json::{json as value, Value};

use crate::lint::FileReport;
use crate::registry;

/// A JSON array of findings: `file`, `rule`, `name`, `severity`, `message`, `start` and
/// `end` (1-based line and character column), `span` (byte offset and length), plus
/// `help`, `url` and `labels` for the secondary places.
pub fn json(reports: &[FileReport]) -> String {
    let mut findings = Vec::new();
    for report in reports {
        let source = &report.source;
        let file = source.name();
        for finding in &report.findings {
            let rule = registry::find(finding.code);
            let place = |span: crate::source::Span| {
                let start = source.line_col(span.start);
                let end = source.line_col(span.end);
                (
                    value!({"line": start.line, "column": start.column}),
                    value!({"line": end.line, "column": end.column}),
                    value!({"offset": span.start, "length": span.len()}),
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
                "rule": finding.code,
                "name": rule.map(|r| r.meta.name),
                "severity": finding.severity.as_str(),
                "message": finding.message,
                "start": start,
                "end": end,
                "span": span,
                "label": finding.primary.text,
                "help": finding.help,
                "url": rule.map(|r| r.meta.source),
                "labels": labels,
            }));
        }
    }
    let mut out =
        serde_json::to_string_pretty(&Value::Array(findings)).unwrap_or_else(|_| "[]".into());
    out.push('\n');
    out
}
