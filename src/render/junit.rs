//! `--format junit`: JUnit XML, which CI dashboards (GitLab, Jenkins, Azure Pipelines)
//! show as test results.

use super::{Renderer, Tally};
use crate::lint::FileReport;

/// `testsuites` > one `testsuite` per linted file > one `testcase` per finding, whose
/// `failure` carries the message (`type` is the rule's code) and, as text, the
/// location, secondary labels and help. A file without findings gets one passing
/// `testcase`, so dashboards show what was checked. No timestamps or durations: the
/// output depends on the findings alone.
pub fn junit(reports: &[FileReport]) -> String {
    Renderer::Junit.render_all(reports)
}

/// Whether a report gets a `testsuite`: files of a known kind, and any file with a
/// finding (a named file that does not parse).
pub(super) fn is_listed(report: &FileReport) -> bool {
    report.kind.is_some() || !report.findings.is_empty()
}

/// The XML declaration and `testsuites`, whose counts need every file's.
pub(super) fn open(tally: &Tally) -> String {
    let (cases, findings) = (tally.cases, tally.findings());
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<testsuites name=\"stacklint\" tests=\"{cases}\" failures=\"{findings}\" errors=\"0\">\n"
    ));
    out
}

pub(super) fn close() -> String {
    "</testsuites>\n".into()
}

/// One report's `testsuite`, or nothing for a file that is not listed.
pub(super) fn file(report: &FileReport) -> String {
    let mut out = String::new();
    if !is_listed(report) {
        return out;
    }
    let source = &report.source;
    let file = source.name();
    let file_attr = escape(&file);
    out.push_str(&format!(
        "  <testsuite name=\"{file_attr}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"0\">\n",
        report.findings.len().max(1),
        report.findings.len()
    ));
    if report.findings.is_empty() {
        out.push_str(&format!(
            "    <testcase name=\"no findings\" classname=\"{file_attr}\" file=\"{file_attr}\"/>\n"
        ));
    }
    for finding in &report.findings {
        let at = source.line_col(finding.primary.span.start());
        let name = crate::rule_docs::title(finding.meta);
        let mut text = format!(
            "{file}:{}:{}: {}[{}] {}",
            at.line,
            at.column,
            finding.severity.as_str(),
            finding.code(),
            finding.message
        );
        for label in &finding.secondary {
            let at = source.line_col(label.span.start());
            let note = label.text.as_deref().unwrap_or("also here");
            text.push_str(&format!("\n{file}:{}:{}: {note}", at.line, at.column));
        }
        if let Some(help) = &finding.help {
            text.push_str(&format!("\nhelp: {help}"));
        }
        out.push_str(&format!(
            "    <testcase name=\"{} at {}:{}\" classname=\"{file_attr}\" file=\"{file_attr}\" line=\"{}\">\n",
            escape(&name),
            at.line,
            at.column,
            at.line
        ));
        out.push_str(&format!(
            "      <failure message=\"{}\" type=\"{}\">{}</failure>\n",
            escape(&finding.message),
            escape(finding.code()),
            escape_text(&text)
        ));
        out.push_str("    </testcase>\n");
    }
    out.push_str("  </testsuite>\n");
    out
}

/// An attribute value: see [`escape_text`]; tab and LF also become character
/// references, which attribute-value normalisation would otherwise turn into spaces.
fn escape(text: &str) -> String {
    escape_xml(text, true)
}

/// Element content safe in XML 1.0: the markup characters become entities, CR a
/// character reference (line-end normalisation would drop it), and the control
/// characters XML 1.0 forbids outright (no reference can carry them) and the
/// non-characters U+FFFE/U+FFFF are written as visible `\u{..}` text.
fn escape_text(text: &str) -> String {
    escape_xml(text, false)
}

fn escape_xml(text: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' if attribute => out.push_str("&#9;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\t' | '\n' => out.push(c),
            '\r' => out.push_str("&#13;"),
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => {
                out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_characters_become_entities() {
        assert_eq!(
            escape(r#"<a b="c" d='e'>&"#),
            "&lt;a b=&quot;c&quot; d=&apos;e&apos;&gt;&amp;"
        );
    }

    #[test]
    fn line_breaks_and_tabs_become_character_references_in_attributes() {
        assert_eq!(escape("a\tb\r\nc"), "a&#9;b&#13;&#10;c");
        assert_eq!(escape_text("a\tb\r\nc"), "a\tb&#13;\nc");
    }

    #[test]
    fn characters_xml_forbids_are_spelled_out() {
        assert_eq!(
            escape("a\u{0}b\u{1b}c\u{ffff}é"),
            "a\\u{0}b\\u{1b}c\\u{ffff}é"
        );
        assert_eq!(escape_text("\u{8}\u{b}\u{c}"), "\\u{8}\\u{b}\\u{c}");
    }
}
