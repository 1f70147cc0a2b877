//! miette's graphical report: the snippet with the exact key or value underlined.

use std::fmt;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};

use super::{Renderer, Tally};
use crate::lint::FileReport;
use crate::registry;
use crate::rule::{Finding, Severity};
use crate::source::SourceFile;

/// How the human report looks.
#[derive(Clone, Debug)]
pub struct HumanOptions {
    pub color: bool,
    /// Terminal width to wrap at.
    pub width: usize,
}

/// Renders every finding of every report, then a summary line.
pub fn human(reports: &[FileReport], options: &HumanOptions) -> String {
    Renderer::Human(options.clone()).render_all(reports)
}

/// Renders every finding of one report, each followed by a blank line.
pub(super) fn file(report: &FileReport, options: &HumanOptions) -> String {
    let mut out = String::new();
    if report.findings.is_empty() {
        return out;
    }
    let theme = if options.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(options.width)
        .with_links(false);
    let source = FileSource(&report.source);
    for finding in &report.findings {
        let diagnostic = FindingDiagnostic {
            finding,
            source: &source,
        };
        if handler.render_report(&mut out, &diagnostic).is_err() {
            out.push_str(&format!("{}: {}\n", finding.code, finding.message));
        }
        out.push('\n');
    }
    out
}

/// The closing line: how many findings of each severity in how many files (`human`
/// ends with it; the command line writes it on standard error after `compact`).
pub fn summary(tally: &Tally) -> String {
    let Tally {
        errors,
        warnings,
        infos,
        files,
        ..
    } = *tally;
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    if errors + warnings + infos == 0 {
        return format!("No problems found in {}.\n", plural(files, "file"));
    }
    format!(
        "Found {}, {}, {} in {}.\n",
        plural(errors, "error"),
        plural(warnings, "warning"),
        plural(infos, "info"),
        plural(files, "file")
    )
}

/// A source file as miette reads it, named by its path.
struct FileSource<'a>(&'a SourceFile);

impl SourceCode for FileSource<'_> {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self
            .0
            .text
            .read_span(span, context_lines_before, context_lines_after)?;
        // miette counts columns in bytes; the header `file:line:col` must agree with
        // every other format, which count characters.
        let at = self.0.line_col(inner.span().offset());
        Ok(Box::new(MietteSpanContents::new_named(
            self.0.name(),
            inner.data(),
            *inner.span(),
            inner.line(),
            at.column - 1,
            inner.line_count(),
        )))
    }
}

struct FindingDiagnostic<'a> {
    finding: &'a Finding,
    source: &'a FileSource<'a>,
}

impl fmt::Debug for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.finding.code, self.finding.message)
    }
}

impl fmt::Display for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.finding.message)
    }
}

impl std::error::Error for FindingDiagnostic<'_> {}

impl Diagnostic for FindingDiagnostic<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        let name = registry::find(self.finding.code).map_or("", |r| r.meta.name);
        Some(Box::new(format!("{}({name})", self.finding.code)))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.finding.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        let help = self.finding.help.as_deref()?;
        Some(Box::new(format!(
            "{help}\n(see `stacklint rule {}`)",
            self.finding.code
        )))
    }

    fn url<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        let rule = registry::find(self.finding.code)?;
        Some(Box::new(rule.meta.source))
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let text = &self.source.0.text;
        let to_miette = |label: &crate::rule::Label, primary: bool| {
            // Clamp onto character boundaries so a bad span can never panic the renderer.
            let start = floor(text, label.span.start);
            let end = floor(text, label.span.end).max(start);
            let span = SourceSpan::new(start.into(), end - start);
            if primary {
                LabeledSpan::new_primary_with_span(label.text.clone(), span)
            } else {
                LabeledSpan::new_with_span(label.text.clone(), span)
            }
        };
        let primary = std::iter::once(to_miette(&self.finding.primary, true));
        let secondary = self
            .finding
            .secondary
            .iter()
            .map(move |l| to_miette(l, false));
        Some(Box::new(primary.chain(secondary)))
    }
}

fn floor(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}
