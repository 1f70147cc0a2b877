//! `--format github`: GitHub Actions workflow commands, which the runner turns into
//! annotations on the pull request's diff.

use super::Renderer;
use crate::lint::FileReport;
use crate::rule::Severity;

/// One `::error|warning|notice file=…,line=…,col=…,endLine=…,endColumn=…,title=…::…`
/// line per finding. Lines and columns are 1-based, columns counting characters as in
/// `compact`; `endColumn` is the column just past the span. The message is followed by
/// the help on a second line.
pub fn github(reports: &[FileReport]) -> String {
    Renderer::Github.render_all(reports)
}

/// The commands for one report's findings.
pub(super) fn file(report: &FileReport) -> String {
    let mut out = String::new();
    let source = &report.source;
    let file = escape_property(&source.name());
    for finding in &report.findings {
        let start = source.line_col(finding.primary.span.start());
        let end = source.line_col(finding.primary.span.end());
        let title = crate::rule_docs::title(finding.meta);
        let message = match &finding.help {
            Some(help) => format!("{}\nhelp: {help}", finding.message),
            None => finding.message.clone(),
        };
        out.push_str(&format!(
            "::{} file={file},line={},col={},endLine={},endColumn={},title={}::{}\n",
            command(finding.severity),
            start.line,
            start.column,
            end.line,
            end.column,
            escape_property(&title),
            escape_data(&message),
        ));
    }
    out
}

fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

/// A command's message: `%`, CR and LF are percent-encoded (as `@actions/core` does),
/// so a newline cannot end the command early.
fn escape_data(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            _ => out.push(c),
        }
    }
    out
}

/// A property value: as [`escape_data`], plus `:` and `,`, which delimit properties.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_escapes_percent_and_line_breaks_only() {
        assert_eq!(
            escape_data("100% done: a, b\r\nnext"),
            "100%25 done: a, b%0D%0Anext"
        );
    }

    #[test]
    fn properties_also_escape_colons_and_commas() {
        assert_eq!(
            escape_property("100% done: a, b\nnext"),
            "100%25 done%3A a%2C b%0Anext"
        );
    }

    #[test]
    fn percent_is_escaped_before_anything_else() {
        // `%0A` typed literally must survive as text, not become a newline.
        assert_eq!(escape_data("%0A"), "%250A");
        assert_eq!(escape_property("%3A"), "%253A");
    }
}

#[cfg(test)]
mod rendering {
    use super::*;
    use crate::lint::FileReport;
    use crate::rule::{FileKind, Finding, Label};
    use crate::source::{SourceFile, Span};

    #[test]
    fn a_hostile_message_and_file_name_stay_one_command() {
        let report = FileReport {
            source: SourceFile::new("odd,dir:x/t.yaml", "Key: 50%\n".to_string()),
            kind: Some(FileKind::Template),
            findings: vec![Finding {
                meta: crate::registry::find("ELB-001").expect("a rule").meta,
                severity: Severity::Warning,
                message: "100% sure: a, b\nsecond line".into(),
                primary: Label {
                    span: Span::new(5, 8),
                    text: None,
                },
                secondary: Vec::new(),
                help: None,
                fix: None,
            }],
        };
        assert_eq!(
            github(&[report]),
            "::warning file=odd%2Cdir%3Ax/t.yaml,line=1,col=6,endLine=1,endColumn=9,\
             title=ELB-001 https-listener-without-certificate::100%25 sure: a, b%0Asecond line\n"
        );
    }
}
