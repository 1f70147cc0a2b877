//! miette's graphical report: the snippet with the exact key or value underlined.

use std::fmt;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};

use super::{Renderer, Tally};
use crate::lint::FileReport;
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
        // A finding on a very long line (minified JSON) is shown through a window of
        // that line: miette pads to the column with a format width, which panics past
        // 65,535, and a megabyte of snippet helps no one.
        let window = Window::of(&report.source, finding);
        let windowed;
        let diagnostic = match &window {
            Some(window) => {
                windowed = window.finding(finding);
                FindingDiagnostic {
                    finding: &windowed,
                    source: window,
                    text: &window.text,
                }
            }
            None => FindingDiagnostic {
                finding,
                source: &source,
                text: &report.source.text,
            },
        };
        if handler.render_report(&mut out, &diagnostic).is_err() {
            out.push_str(&format!("{}: {}\n", finding.code(), finding.message));
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
        // miette's reader for `str` counts lines from the start of the text: once per
        // finding, that made 50,000 findings in a 500 KB file take 80 s. It is given
        // only the lines the span and its context can touch (one more after), and its
        // answer is moved back into the file.
        let file = self.0;
        let start = file.floor_char_boundary(span.offset());
        let end = file
            .floor_char_boundary(span.offset() + span.len())
            .max(start);
        let first_line = file.line_index(start).saturating_sub(context_lines_before);
        let last_line = file.line_index(end) + context_lines_after + 1;
        let base = file.line_start(first_line);
        let limit = file.line_start(last_line + 1);
        let window = &file.text[base..limit.max(base)];
        let local = SourceSpan::new((start - base).into(), end - start);
        let inner = window.read_span(&local, context_lines_before, context_lines_after)?;
        let offset = base + inner.span().offset();
        // miette counts columns in bytes; the header `file:line:col` must agree with
        // every other format, which count characters.
        let at = file.line_col(offset);
        Ok(Box::new(MietteSpanContents::new_named(
            crate::text::escape_controls(&file.name()).into_owned(),
            inner.data(),
            SourceSpan::new(offset.into(), inner.span().len()),
            first_line + inner.line(),
            at.column - 1,
            // miette's "line count" decides which snippets merge (`line + line_count >=
            // next.line`). Its own reader for `str` counts the line breaks from the start
            // of the text, which merges labels up to twice their line apart: kept for
            // labels close together (the snippets stay as miette draws them), but capped,
            // since a finding at line 50,000 whose secondary label is 40,000 lines away
            // drew every line between (100,000 such findings took minutes).
            (first_line + inner.line_count()).min(inner.line_count() + MERGE_GAP_LINES),
        )))
    }
}

/// Labels of one finding further apart than about this many lines are drawn as
/// separate snippets, not one snippet holding every line between them.
const MERGE_GAP_LINES: usize = 40;

/// Lines longer than this (in bytes) are shown through a [`Window`].
const LONG_LINE: usize = 4_096;
/// Characters a window shows before the primary label's start.
const WINDOW_BEFORE: usize = 40;
/// Characters a window shows from the primary label's start at most.
const WINDOW_AFTER: usize = 160;

/// An excerpt of the primary label's line, for findings that touch a long line: its
/// text (with `…` where it was cut), where it starts in the file, and the line's index.
struct Window {
    name: String,
    text: String,
    /// Byte offset in the file of `text[prefix..]`.
    start: usize,
    /// Bytes of `…` before the excerpt (0 or 3).
    prefix: usize,
    end: usize,
    line: usize,
    /// 0-based character column of `start`.
    column: usize,
}

impl Window {
    /// A window when any label starts or ends on (or next to) a long line.
    fn of(source: &SourceFile, finding: &Finding) -> Option<Window> {
        let line_len = |line: usize| source.line_start(line + 1) - source.line_start(line);
        let long = std::iter::once(&finding.primary)
            .chain(&finding.secondary)
            .flat_map(|label| {
                let first = source.line_index(label.span.start());
                let last = source.line_index(label.span.end());
                [first.saturating_sub(1), first, last, last + 1]
            })
            .any(|line| line_len(line) > LONG_LINE);
        if !long {
            return None;
        }
        let text = &source.text;
        let at = source.floor_char_boundary(finding.primary.span.start());
        let line = source.line_index(at);
        let line_start = source.line_start(line);
        let line_end = text[line_start..]
            .find(['\n', '\r'])
            .map_or(text.len(), |i| line_start + i);
        let start = text[line_start..at]
            .char_indices()
            .rev()
            .nth(WINDOW_BEFORE - 1)
            .map_or(line_start, |(i, _)| line_start + i);
        let end = text[at..line_end]
            .char_indices()
            .nth(WINDOW_AFTER)
            .map_or(line_end, |(i, _)| at + i);
        let mut excerpt = String::new();
        if start > line_start {
            excerpt.push('…');
        }
        let prefix = excerpt.len();
        excerpt.push_str(&text[start..end]);
        if end < line_end {
            excerpt.push('…');
        }
        Some(Window {
            name: crate::text::escape_controls(&source.name()).into_owned(),
            text: excerpt,
            start,
            prefix,
            end,
            line,
            column: source.line_col(start).column - 1,
        })
    }

    /// The finding with its labels moved into the window: the primary label clamped
    /// to it, secondary labels outside it left out.
    fn finding(&self, finding: &Finding) -> Finding {
        let inside = |offset: usize| self.prefix + offset.clamp(self.start, self.end) - self.start;
        let moved = |label: &crate::rule::Label| crate::rule::Label {
            span: crate::source::Span::new(inside(label.span.start()), inside(label.span.end())),
            text: label.text.clone(),
        };
        let mut windowed = finding.clone();
        windowed.primary = moved(&finding.primary);
        windowed.secondary = finding
            .secondary
            .iter()
            .filter(|l| l.span.start() >= self.start && l.span.end() <= self.end)
            .map(moved)
            .collect();
        windowed.fix = None;
        windowed
    }
}

impl SourceCode for Window {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        _context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let offset = span.offset().clamp(self.prefix, self.text.len());
        let column = if context_lines_before == 0 {
            self.column
                + self
                    .text
                    .get(self.prefix..offset)
                    .map_or(0, |t| t.chars().count())
        } else {
            0
        };
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            self.text.as_bytes(),
            SourceSpan::new(0.into(), self.text.len()),
            self.line,
            column,
            1,
        )))
    }
}

struct FindingDiagnostic<'a> {
    finding: &'a Finding,
    source: &'a dyn SourceCode,
    /// The text the labels' spans index.
    text: &'a str,
}

impl fmt::Debug for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.finding.code(), self.finding.message)
    }
}

impl fmt::Display for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::text::escape_controls(&self.finding.message))
    }
}

impl std::error::Error for FindingDiagnostic<'_> {}

impl Diagnostic for FindingDiagnostic<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        let meta = self.finding.meta;
        Some(Box::new(format!("{}({})", meta.code, meta.name)))
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
            "{}\n(see `stacklint rule {}`)",
            crate::text::escape_controls(help),
            self.finding.code()
        )))
    }

    fn url<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.finding.meta.source))
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let text = self.text;
        let to_miette = |label: &crate::rule::Label, primary: bool| {
            // Clamp onto character boundaries so a bad span can never panic the renderer.
            let start = floor(text, label.span.start());
            let end = floor(text, label.span.end()).max(start);
            let span = SourceSpan::new(start.into(), end - start);
            let text = label
                .text
                .as_deref()
                .map(|t| crate::text::escape_controls(t).into_owned());
            if primary {
                LabeledSpan::new_primary_with_span(text, span)
            } else {
                LabeledSpan::new_with_span(text, span)
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
