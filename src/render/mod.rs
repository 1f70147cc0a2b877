//! Turning findings into output. Detection never formats; rendering never decides.
//!
//! Output is built file by file: a [`Renderer`] turns one file's report into a [`Part`]
//! (on the thread that linted the file, so the file's source can be dropped right
//! after), and a [`Stream`] writes the parts in input order between the format's
//! opening and closing. A run over thousands of files thus never holds them all.

mod github;
mod human;
mod json;
mod junit;
mod sarif;

use std::io::{self, Write};

pub use github::github;
pub use human::{human, summary, HumanOptions};
pub use json::json;
pub use junit::junit;
pub use sarif::sarif;

use crate::lint::FileReport;
use crate::rule::Severity;

/// An output format.
#[derive(Clone, Debug)]
pub enum Renderer {
    /// miette's graphical diagnostics, then a summary line.
    Human(HumanOptions),
    /// `file:line:col: severity[CODE] message`, one line per finding.
    Compact,
    /// One JSON array of findings.
    Json,
    /// A SARIF 2.1.0 log.
    Sarif,
    /// GitHub Actions workflow commands.
    Github,
    /// JUnit XML.
    Junit,
}

/// One file's rendered output.
#[derive(Debug, Default)]
pub struct Part {
    /// The rendered findings, without the separator the format puts between items.
    pub text: String,
    /// How many items (array elements for JSON and SARIF) `text` holds; a part of no
    /// items writes nothing.
    pub items: usize,
    pub tally: Tally,
}

/// Counts for the opening or closing summary.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// Files of a kind stacklint knows (the others are skipped).
    pub files: usize,
    /// JUnit test cases: one per finding, or one for a linted file without findings.
    pub cases: usize,
}

impl Tally {
    fn of(report: &FileReport) -> Tally {
        let mut tally = Tally {
            files: usize::from(report.kind.is_some()),
            cases: if junit::is_listed(report) {
                report.findings.len().max(1)
            } else {
                0
            },
            ..Tally::default()
        };
        for finding in &report.findings {
            match finding.severity {
                Severity::Error => tally.errors += 1,
                Severity::Warning => tally.warnings += 1,
                Severity::Info => tally.infos += 1,
            }
        }
        tally
    }

    pub fn findings(&self) -> usize {
        self.errors + self.warnings + self.infos
    }

    fn add(&mut self, other: Tally) {
        self.errors += other.errors;
        self.warnings += other.warnings;
        self.infos += other.infos;
        self.files += other.files;
        self.cases += other.cases;
    }
}

impl Renderer {
    /// Renders one file's findings.
    pub fn file(&self, report: &FileReport) -> Part {
        let (text, items) = match self {
            Renderer::Human(options) => whole(human::file(report, options)),
            Renderer::Compact => whole(compact_file(report)),
            Renderer::Json => json::file(report),
            Renderer::Sarif => sarif::file(report),
            Renderer::Github => whole(github::file(report)),
            Renderer::Junit => whole(junit::file(report)),
        };
        Part {
            text,
            items,
            tally: Tally::of(report),
        }
    }

    /// Whether the opening depends on the totals (JUnit's counts), so parts must be
    /// held back until the last one is in.
    fn opens_with_totals(&self) -> bool {
        matches!(self, Renderer::Junit)
    }

    fn open(&self, tally: &Tally) -> String {
        match self {
            Renderer::Json => "[".into(),
            Renderer::Sarif => sarif::open(),
            Renderer::Junit => junit::open(tally),
            Renderer::Human(_) | Renderer::Compact | Renderer::Github => String::new(),
        }
    }

    fn separator(&self) -> &'static str {
        match self {
            Renderer::Json | Renderer::Sarif => ",",
            _ => "",
        }
    }

    fn close(&self, tally: &Tally, items: usize) -> String {
        match self {
            // Nothing linted: the command line says so on standard error instead.
            Renderer::Human(_) if tally.files == 0 && tally.findings() == 0 => String::new(),
            Renderer::Human(_) => human::summary(tally),
            Renderer::Compact | Renderer::Github => String::new(),
            Renderer::Json if items == 0 => "]\n".into(),
            Renderer::Json => "\n]\n".into(),
            Renderer::Sarif => sarif::close(items),
            Renderer::Junit => junit::close(),
        }
    }

    /// Renders whole reports into one string (tests, and callers that hold them all).
    pub fn render_all(&self, reports: &[FileReport]) -> String {
        let mut stream = Stream::new(self, Vec::new());
        for report in reports {
            stream.push(self.file(report));
        }
        match stream.finish() {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(_) => String::new(),
        }
    }
}

/// A part that is one item when it holds anything.
fn whole(text: String) -> (String, usize) {
    let items = usize::from(!text.is_empty());
    (text, items)
}

/// Writes parts, in the order they are pushed, between the format's opening and
/// closing. The first write error is kept and returned by [`Stream::finish`]; later
/// writes are skipped.
pub struct Stream<'r, W: Write> {
    renderer: &'r Renderer,
    out: W,
    items: usize,
    tally: Tally,
    /// Parts held back until the opening can be written (see `opens_with_totals`):
    /// rendered text only, never the sources.
    held: Option<String>,
    error: Option<io::Error>,
    /// Whether the human format ends with its summary line (`--quiet` turns it off).
    summary: bool,
}

impl<'r, W: Write> Stream<'r, W> {
    pub fn new(renderer: &'r Renderer, out: W) -> Self {
        let mut stream = Stream {
            renderer,
            out,
            items: 0,
            tally: Tally::default(),
            held: None,
            error: None,
            summary: true,
        };
        if renderer.opens_with_totals() {
            stream.held = Some(String::new());
        } else {
            let open = renderer.open(&Tally::default());
            stream.write(open.as_bytes());
        }
        stream
    }

    pub fn push(&mut self, part: Part) {
        self.tally.add(part.tally);
        if part.items == 0 {
            return;
        }
        let separator = if self.items > 0 {
            self.renderer.separator()
        } else {
            ""
        };
        self.items += part.items;
        match &mut self.held {
            Some(held) => {
                held.push_str(separator);
                held.push_str(&part.text);
            }
            None => {
                self.write(separator.as_bytes());
                self.write(part.text.as_bytes());
            }
        }
    }

    /// Leaves out the closing summary line (the human format's), for `--quiet`.
    pub fn without_summary(&mut self) {
        self.summary = false;
    }

    /// What has been pushed so far.
    pub fn tally(&self) -> Tally {
        self.tally
    }

    /// Writes the closing and flushes; returns the writer, or the first write error.
    pub fn finish(mut self) -> io::Result<W> {
        if let Some(held) = self.held.take() {
            let open = self.renderer.open(&self.tally);
            self.write(open.as_bytes());
            self.write(held.as_bytes());
        }
        let close = match self.renderer {
            Renderer::Human(_) if !self.summary => String::new(),
            renderer => renderer.close(&self.tally, self.items),
        };
        self.write(close.as_bytes());
        if self.error.is_none() {
            if let Err(error) = self.out.flush() {
                self.error = Some(error);
            }
        }
        match self.error {
            Some(error) => Err(error),
            None => Ok(self.out),
        }
    }

    fn write(&mut self, bytes: &[u8]) {
        if self.error.is_none() && !bytes.is_empty() {
            if let Err(error) = self.out.write_all(bytes) {
                self.error = Some(error);
            }
        }
    }
}

/// `file:line:col: severity[CODE] message`, one line per finding: the form editors and
/// grep expect.
pub fn compact(reports: &[FileReport]) -> String {
    Renderer::Compact.render_all(reports)
}

fn compact_file(report: &FileReport) -> String {
    let mut out = String::new();
    let name = report.source.name();
    let name = crate::text::escape_controls(&name);
    for finding in &report.findings {
        let at = report.source.line_col(finding.primary.span.start());
        out.push_str(&format!(
            "{name}:{}:{}: {}[{}] {}\n",
            at.line,
            at.column,
            finding.severity.as_str(),
            finding.code(),
            crate::text::escape_controls(&finding.message)
        ));
    }
    out
}
