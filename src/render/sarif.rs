//! `--format sarif`: SARIF 2.1.0, the format GitHub code scanning and other dashboards
//! ingest.
//!
//! Choices worth knowing: one run; `tool.driver.rules` lists every registered rule so
//! that a result's `ruleIndex` is its position in the registry; columns count UTF-16
//! code units (SARIF's default `columnKind`, stated explicitly on the run) while
//! `byteOffset`/`byteLength` give the exact span; artifact URIs are the paths as the
//! user named them, relative and percent-encoded, so the output holds nothing of the
//! machine it ran on and two runs compare byte for byte.
//!
//! For GitHub code scanning: each result has a `partialFingerprints` entry made of the
//! rule and the finding's place in the document (`/Resources/Queue/Properties/QueueName`,
//! the resource's logical id and the property path), not its line, so an alert stays
//! the same alert when lines above it move; rules carry `properties.tags`,
//! `precision` and, for the security rules, `security-severity`; secondary labels are
//! `relatedLocations` linked from the message (`[declared FIFO here](1)`).

use serde_json::{json, Map, Value};

use super::Renderer;
use crate::document::Node;
use crate::lint::FileReport;
use crate::registry::RULES;
use crate::rule::{Label, RegisteredRule, Severity};
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
    // The document again, for the findings' logical places (only files with findings
    // pay for it; the lint's own tree is gone by now).
    let loaded = if report.findings.is_empty() {
        None
    } else {
        Some(crate::lint::load(&report.source.path, &report.source.text))
    };
    let root = loaded.as_ref().and_then(|loaded| loaded.root.as_ref());
    let mut seen: Vec<(String, usize)> = Vec::new();
    for (index, finding) in report.findings.iter().enumerate() {
        let mut result = Map::new();
        result.insert("ruleId".into(), json!(finding.code()));
        if let Some(index) = RULES
            .iter()
            .position(|r| std::ptr::eq(r.meta, finding.meta))
        {
            result.insert("ruleIndex".into(), json!(index));
        }
        result.insert("level".into(), json!(level(finding.severity)));
        let mut text = finding.message.clone();
        if !finding.secondary.is_empty() {
            // Embedded links to the related locations, which GitHub shows as links; the
            // text's own brackets are escaped so they cannot read as links.
            text = escape_brackets(&text);
            let links: Vec<String> = finding
                .secondary
                .iter()
                .enumerate()
                .map(|(i, label)| {
                    let label = label.text.as_deref().unwrap_or("related location");
                    format!("[{}]({})", escape_brackets(label), i + 1)
                })
                .collect();
            text.push_str(&format!(" (see {})", links.join(", ")));
        }
        if let Some(help) = &finding.help {
            let help = if finding.secondary.is_empty() {
                help.clone()
            } else {
                escape_brackets(help)
            };
            text.push_str(&format!("\nhelp: {help}"));
        }
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
        let pointer =
            root.map_or_else(String::new, |root| logical_path(root, finding.primary.span));
        let key = format!("{}\u{0}{pointer}", finding.code());
        // Two findings of one rule at one place: numbered in document order.
        let occurrence = match seen.iter_mut().find(|(k, _)| *k == key) {
            Some((_, n)) => {
                *n += 1;
                *n
            }
            None => {
                seen.push((key.clone(), 1));
                1
            }
        };
        result.insert(
            "partialFingerprints".into(),
            json!({ FINGERPRINT: format!("{:016x}:{occurrence}", fnv1a(key.as_bytes())) }),
        );
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

/// The `partialFingerprints` key: versioned, so that a change of scheme is a new key
/// rather than every alert closing and reopening.
const FINGERPRINT: &str = "stacklintLogicalLocation/v1";

/// The JSON pointer (RFC 6901) of the innermost mapping entry or list item that
/// holds `span`: for a template `/Resources/<logical id>/Properties/<property>...`.
fn logical_path(root: &Node, span: Span) -> String {
    let inside = |outer: Span| outer.start() <= span.start() && span.end() <= outer.end();
    let mut pointer = String::new();
    let mut node = root;
    loop {
        if let Some(entries) = node.as_map() {
            match entries.iter().find(|entry| inside(entry.span())) {
                Some(entry) => {
                    pointer.push('/');
                    pointer.push_str(&entry.key.text.replace('~', "~0").replace('/', "~1"));
                    node = &entry.value;
                }
                None => break,
            }
        } else if let Some(items) = node.as_seq() {
            match items.iter().position(|item| inside(item.span())) {
                Some(index) => {
                    pointer.push_str(&format!("/{index}"));
                    node = &items[index];
                }
                None => break,
            }
        } else {
            break;
        }
    }
    pointer
}

/// 64-bit FNV-1a: a stable hash (the standard library's is not stable across
/// releases), enough to tell places apart.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// SARIF message text: `[`, `]` and `\` that are not embedded-link syntax are escaped
/// with a backslash (SARIF 2.1.0 §3.11.6).
fn escape_brackets(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '[' | ']' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Rules about a security weakness (exposure, weak or missing encryption, plain
/// credentials, weak authentication) and their GitHub `security-severity` (0.1-3.9
/// low, 4.0-6.9 medium, 7.0-8.9 high, 9.0+ critical). Rules that only make a
/// deployment fail or a system unreliable are not listed.
const SECURITY_SEVERITY: &[(&str, &str)] = &[
    ("AGW-001", "4.0"),
    ("AGW-005", "6.5"),
    ("CFR-001", "5.0"),
    ("CFR-002", "5.0"),
    ("CFR-005", "5.5"),
    ("COG-001", "5.0"),
    ("EC2-001", "6.5"),
    ("EC2-002", "5.0"),
    ("ECA-004", "5.0"),
    ("ELB-003", "6.0"),
    ("ELB-004", "5.0"),
    ("ELB-005", "5.5"),
    ("IAM-001", "9.5"),
    ("IAM-002", "7.5"),
    ("KMS-001", "4.0"),
    ("KMS-002", "4.0"),
    ("RDS-002", "5.0"),
];

/// A rule's `properties`: tags (`security` or `correctness`, then the service),
/// precision, and the security severity of security rules.
fn rule_properties(meta: &crate::rule::RuleMeta) -> Value {
    let security = SECURITY_SEVERITY
        .iter()
        .find(|(code, _)| *code == meta.code)
        .map(|(_, score)| *score);
    let service = meta
        .code
        .split_once('-')
        .map_or(meta.code, |(service, _)| service)
        .to_ascii_lowercase();
    let category = if security.is_some() {
        "security"
    } else {
        "correctness"
    };
    let mut properties = Map::new();
    properties.insert("tags".into(), json!([category, service]));
    // Rules decide only what the template decides and stay silent otherwise; info
    // rules are advice, whose relevance depends more on the context.
    let precision = match meta.severity {
        Severity::Info => "high",
        _ => "very-high",
    };
    properties.insert("precision".into(), json!(precision));
    if let Some(score) = security {
        properties.insert("security-severity".into(), json!(score));
    }
    Value::Object(properties)
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
fn rule_descriptor(rule: &RegisteredRule) -> Value {
    let meta = rule.meta;
    let full = first_section(rule.docs).unwrap_or(meta.summary);
    let markdown = crate::rule_docs::with_source_link(rule);
    json!({
        "id": meta.code,
        "name": meta.name,
        "shortDescription": { "text": meta.summary },
        "fullDescription": { "text": full },
        "help": { "text": rule.docs.trim_end(), "markdown": markdown },
        "helpUri": meta.source,
        "defaultConfiguration": { "level": level(meta.severity) },
        "properties": rule_properties(meta),
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
    let start = source.floor_char_boundary(span.start());
    let end = source.floor_char_boundary(span.end()).max(start);
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
