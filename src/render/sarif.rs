//! `--format sarif`: SARIF 2.1.0, the format GitHub code scanning and other dashboards
//! ingest.
//!
//! Choices worth knowing: one run; `tool.driver.rules` lists every registered rule so
//! that a result's `ruleIndex` is its position in the registry; columns count UTF-16
//! code units (SARIF's default `columnKind`, stated explicitly on the run) while
//! `byteOffset`/`byteLength` give the exact span; artifact URIs are the paths as the
//! user named them, relative and percent-encoded, so the output holds nothing of the
//! machine it ran on and two runs compare byte for byte.

use serde_json::{json, Map, Value};

use super::Renderer;
use crate::lint::FileReport;
use crate::registry::RULES;
use crate::rule::{Label, Rule, Severity};
use crate::source::{SourceFile, Span};

/// The schema a SARIF 2.1.0 log names (OASIS, errata 01).
const SARIF_SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// Cargo's `homepage`: where GitHub links the tool's name. Omitted while unset, since
/// an invented address would mislead.
const INFORMATION_URI: &str = env!("CARGO_PKG_HOMEPAGE");

/// A SARIF 2.1.0 log of the findings, pretty-printed, ending in a newline.
pub fn sarif(reports: &[FileReport]) -> String {
    Renderer::Sarif.render_all(reports)
}

/// One report's results as elements of the run's `results` array, indented as inside
/// it and joined by commas; and how many there are.
pub(super) fn file(report: &FileReport) -> (String, usize) {
    let uri = artifact_uri(&report.source.name());
    let mut out = String::new();
    for (index, finding) in report.findings.iter().enumerate() {
        let mut result = Map::new();
        result.insert("ruleId".into(), json!(finding.code));
        if let Some(index) = RULES.iter().position(|r| r.meta.code == finding.code) {
            result.insert("ruleIndex".into(), json!(index));
        }
        result.insert("level".into(), json!(level(finding.severity)));
        let text = match &finding.help {
            Some(help) => format!("{}\nhelp: {help}", finding.message),
            None => finding.message.clone(),
        };
        result.insert("message".into(), json!({ "text": text }));
        result.insert(
            "locations".into(),
            json!([location(&report.source, &uri, &finding.primary, None)]),
        );
        if !finding.secondary.is_empty() {
            let related: Vec<Value> = finding
                .secondary
                .iter()
                .enumerate()
                .map(|(i, label)| location(&report.source, &uri, label, Some(i + 1)))
                .collect();
            result.insert("relatedLocations".into(), Value::Array(related));
        }
        if index > 0 {
            out.push(',');
        }
        // Pretty-printing indents by depth only (strings hold no raw line break), so an
        // element printed alone, indented to the array's depth, reads as inside it.
        let text =
            serde_json::to_string_pretty(&Value::Object(result)).unwrap_or_else(|_| "{}".into());
        for line in text.lines() {
            out.push('\n');
            out.push_str(RESULT_INDENT);
            out.push_str(line);
        }
    }
    (out, report.findings.len())
}

/// Where `results` elements sit: `runs` > run > `results` > element, two spaces a level.
const RESULT_INDENT: &str = "        ";

/// The log up to and including the opening bracket of `results`.
pub(super) fn open() -> String {
    let (head, _) = frame();
    head
}

/// The log after the last result.
pub(super) fn close(results: usize) -> String {
    let (_, tail) = frame();
    if results == 0 {
        tail
    } else {
        format!("\n{}{tail}", &RESULT_INDENT[2..])
    }
}

/// The pretty-printed log with no results, split just inside the brackets of `results`.
fn frame() -> (String, String) {
    let rules: Vec<Value> = RULES.iter().map(rule_descriptor).collect();
    let mut driver = Map::new();
    driver.insert("name".into(), json!("stacklint"));
    driver.insert("version".into(), json!(env!("CARGO_PKG_VERSION")));
    if !INFORMATION_URI.is_empty() {
        driver.insert("informationUri".into(), json!(INFORMATION_URI));
    }
    driver.insert("rules".into(), Value::Array(rules));
    let log = json!({
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": driver },
            "columnKind": "utf16CodeUnits",
            "results": [],
        }],
    });
    let mut text = serde_json::to_string_pretty(&log).unwrap_or_else(|_| "{}".into());
    text.push('\n');
    // `results` is the run's last key; every `"` inside rule texts is escaped, so the
    // last unescaped `"results": []` is this one.
    const EMPTY: &str = "\"results\": []";
    match text.rfind(EMPTY) {
        Some(at) => {
            let split = at + EMPTY.len() - 1;
            (text[..split].to_string(), text[split..].to_string())
        }
        None => (text, String::new()),
    }
}

/// SARIF's name for a severity: `info` is a `note`.
fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A `reportingDescriptor`: GitHub shows `shortDescription` and `fullDescription` at
/// the top of an alert and `help` below it, so each gets the rule's own words.
fn rule_descriptor(rule: &Rule) -> Value {
    let meta = rule.meta;
    let full = first_section(rule.docs).unwrap_or(meta.summary);
    let markdown = format!(
        "{}\n\nSource: [{}]({})",
        rule.docs.trim_end(),
        meta.source,
        meta.source
    );
    json!({
        "id": meta.code,
        "name": meta.name,
        "shortDescription": { "text": meta.summary },
        "fullDescription": { "text": full },
        "help": { "text": rule.docs.trim_end(), "markdown": markdown },
        "helpUri": meta.source,
        "defaultConfiguration": { "level": level(meta.severity) },
    })
}

/// The body of the documentation's first `## ` section ("What it finds"), if any.
fn first_section(docs: &str) -> Option<&str> {
    let start = docs.find("## ")?;
    let body = &docs[start..];
    let body = &body[body.find('\n')? + 1..];
    let end = body.find("\n## ").unwrap_or(body.len());
    let text = body[..end].trim();
    (!text.is_empty()).then_some(text)
}

/// A `location` for a label: the file, the region, and the label's text; related
/// locations carry an `id` (1-based) so messages could link to them.
fn location(source: &SourceFile, uri: &str, label: &Label, id: Option<usize>) -> Value {
    let mut location = Map::new();
    if let Some(id) = id {
        location.insert("id".into(), json!(id));
    }
    location.insert(
        "physicalLocation".into(),
        json!({
            "artifactLocation": { "uri": uri },
            "region": region(source, label.span),
        }),
    );
    if let Some(text) = &label.text {
        location.insert("message".into(), json!({ "text": text }));
    }
    Value::Object(location)
}

/// Lines are 1-based; columns are 1-based UTF-16 code units, `endColumn` being the
/// column just past the span; the byte range is the span itself.
fn region(source: &SourceFile, span: Span) -> Value {
    let start = source.floor_char_boundary(span.start);
    let end = source.floor_char_boundary(span.end).max(start);
    json!({
        "startLine": source.line_col(start).line,
        "startColumn": source.utf16_column(start) + 1,
        "endLine": source.line_col(end).line,
        "endColumn": source.utf16_column(end) + 1,
        "byteOffset": start,
        "byteLength": end - start,
    })
}

/// The file name as a URI reference: relative paths stay relative (GitHub resolves
/// them against the repository root), absolute ones become `file:` URIs; every byte
/// outside RFC 3986's unreserved and path characters is percent-encoded.
fn artifact_uri(name: &str) -> String {
    let mut relative = name;
    while let Some(rest) = relative.strip_prefix("./") {
        relative = rest;
    }
    let drive = relative.as_bytes();
    let is_windows_absolute =
        drive.len() >= 3 && drive[0].is_ascii_alphabetic() && &drive[1..3] == b":/";
    if relative.starts_with('/') {
        format!("file://{}", percent_encode(relative, true))
    } else if is_windows_absolute {
        format!("file:///{}", percent_encode(relative, true))
    } else {
        // A colon in a relative reference would read as a scheme: encode it.
        percent_encode(relative, false)
    }
}

fn percent_encode(path: &str, keep_colon: bool) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        let keep = byte.is_ascii_alphanumeric()
            || b"-._~!$&'()*+,;=@/".contains(&byte)
            || (keep_colon && byte == b':');
        if keep {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_stay_relative_and_are_percent_encoded() {
        assert_eq!(artifact_uri("./a/b c.yaml"), "a/b%20c.yaml");
        assert_eq!(artifact_uri("ü/100%.yaml"), "%C3%BC/100%25.yaml");
        assert_eq!(artifact_uri("c:d#e?.yaml"), "c%3Ad%23e%3F.yaml");
        assert_eq!(artifact_uri("-"), "-");
    }

    #[test]
    fn absolute_paths_become_file_uris() {
        assert_eq!(artifact_uri("/srv/x y.yaml"), "file:///srv/x%20y.yaml");
        assert_eq!(artifact_uri("C:/t/x.yaml"), "file:///C:/t/x.yaml");
    }

    #[test]
    fn first_section_is_the_what_it_finds_body() {
        let docs = "## What it finds\nA queue\nwith no DLQ.\n\n## Why it matters\nBecause.";
        assert_eq!(first_section(docs), Some("A queue\nwith no DLQ."));
        assert_eq!(first_section("no headings"), None);
    }
}
