//! A configuration file that cannot be used, with the exact places at fault.

use std::fmt;
use std::path::PathBuf;

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource};

use crate::source::{SourceFile, Span};

/// One mistake in a configuration file.
#[derive(Clone, Debug, PartialEq)]
pub struct ConfigProblem {
    pub message: String,
    /// The key or value at fault.
    pub span: Span,
    pub label: String,
    pub help: Option<String>,
}

/// Why a configuration file cannot be used.
#[derive(Debug)]
pub enum ConfigError {
    /// It could not be read, or is not UTF-8 text.
    Unreadable { source: SourceFile, reason: String },
    /// It was read and holds these mistakes (at least one).
    Invalid {
        source: SourceFile,
        problems: Vec<ConfigProblem>,
    },
}

impl ConfigError {
    /// The file, as read (empty when it could not be).
    pub fn source(&self) -> &SourceFile {
        match self {
            ConfigError::Unreadable { source, .. } | ConfigError::Invalid { source, .. } => source,
        }
    }

    pub fn path(&self) -> &PathBuf {
        &self.source().path
    }

    /// The mistakes found in the file (none when it could not be read).
    pub fn problems(&self) -> &[ConfigProblem] {
        match self {
            ConfigError::Unreadable { .. } => &[],
            ConfigError::Invalid { problems, .. } => problems,
        }
    }

    /// miette diagnostics, one per problem, pointing into the configuration file.
    pub fn render(&self, color: bool, width: usize) -> String {
        let (source, problems) = match self {
            ConfigError::Unreadable { source, reason } => {
                return format!("stacklint: {}: {reason}\n", source.name());
            }
            ConfigError::Invalid { source, problems } => (source, problems),
        };
        let theme = if color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        let handler = GraphicalReportHandler::new_themed(theme)
            .with_width(width)
            .with_links(false);
        let mut out = String::new();
        for problem in problems {
            // Clamp onto character boundaries so a bad span can never panic the renderer.
            let start = source.floor_char_boundary(problem.span.start());
            let end = source.floor_char_boundary(problem.span.end()).max(start);
            let diagnostic = ProblemDiagnostic {
                problem,
                at: (start, end - start),
                source: NamedSource::new(source.name(), source.text.clone()),
            };
            if handler.render_report(&mut out, &diagnostic).is_err() {
                out.push_str(&format!("{}\n", problem.message));
            }
            out.push('\n');
        }
        out
    }
}

/// `path:line:col: message`, one line per problem.
impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (source, problems) = match self {
            ConfigError::Unreadable { source, reason } => {
                return write!(f, "{}: {reason}", source.name());
            }
            ConfigError::Invalid { source, problems } => (source, problems),
        };
        let name = source.name();
        for (i, problem) in problems.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            let at = source.line_col(problem.span.start());
            write!(f, "{name}:{}:{}: {}", at.line, at.column, problem.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigError {}

struct ProblemDiagnostic<'a> {
    problem: &'a ConfigProblem,
    /// The problem's span as (offset, length), on character boundaries.
    at: (usize, usize),
    source: NamedSource<String>,
}

impl fmt::Debug for ProblemDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.problem.message)
    }
}

impl fmt::Display for ProblemDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.problem.message)
    }
}

impl std::error::Error for ProblemDiagnostic<'_> {}

impl Diagnostic for ProblemDiagnostic<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new("invalid-configuration"))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        let help = self.problem.help.as_deref()?;
        Some(Box::new(help))
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(
            LabeledSpan::new_primary_with_span(Some(self.problem.label.clone()), self.at),
        )))
    }
}
