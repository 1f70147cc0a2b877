//! Source text and positions.
//!
//! Every position stacklint stores is a byte offset into the original text; line and
//! column are derived here, once, so that all output formats agree on them.

use std::path::PathBuf;

/// A half-open byte range `[start, end)` into a file's text.
///
/// Stored as `u32`s: every key and value of a document carries one, and inputs are
/// read up to 128 MiB ([`crate::files::MAX_INPUT`]), far below 4 GiB.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    start: u32,
    end: u32,
}

/// An offset as a span stores it (offsets past 4 GiB, which no input reaches, become
/// the last one).
const fn offset(at: usize) -> u32 {
    if at > u32::MAX as usize {
        u32::MAX
    } else {
        at as u32
    }
}

impl Span {
    pub const fn new(start: usize, end: usize) -> Self {
        Span {
            start: offset(start),
            end: offset(end),
        }
    }

    pub const fn empty(at: usize) -> Self {
        Span::new(at, at)
    }

    /// Where the span begins: a byte offset into the text.
    pub const fn start(&self) -> usize {
        self.start as usize
    }

    /// Where the span ends (exclusive).
    pub const fn end(&self) -> usize {
        self.end as usize
    }

    /// The span as a range, for slicing the text.
    pub const fn range(&self) -> std::ops::Range<usize> {
        self.start()..self.end()
    }

    pub const fn len(&self) -> usize {
        (self.end - self.start) as usize
    }

    pub const fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// The smallest span covering both.
    pub fn cover(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

/// A 1-based line and a 1-based column counted in characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

/// The text of one input plus the table of its line starts.
#[derive(Debug)]
pub struct SourceFile {
    /// The path as the user gave it (or `--stdin-filename`), used for display.
    pub path: PathBuf,
    pub text: String,
    /// `u32` halves the table (4 bytes a line): inputs are read up to 128 MiB. In a
    /// text past 4 GiB, the lines after that mark all count as its last line. Built on
    /// the first question about a line: most files have no finding and no suppression
    /// comment, and a large file's findings are rendered after its tree is freed, so the
    /// table is not part of the peak memory (it was 3% of it, for a 20 MB template).
    line_starts: std::sync::OnceLock<Vec<u32>>,
}

impl SourceFile {
    pub fn new(path: impl Into<PathBuf>, text: String) -> Self {
        SourceFile {
            path: path.into(),
            text,
            line_starts: std::sync::OnceLock::new(),
        }
    }

    /// Display name of the file, with forward slashes on every platform.
    pub fn name(&self) -> String {
        self.path.to_string_lossy().replace('\\', "/")
    }

    /// The 0-based line holding byte `offset`.
    pub fn line_index(&self, offset: usize) -> usize {
        let offset = u32::try_from(offset).unwrap_or(u32::MAX);
        match self.line_starts().binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next.saturating_sub(1),
        }
    }

    /// Byte offset where 0-based `line` starts.
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts()
            .get(line)
            .map_or(self.text.len(), |&start| start as usize)
    }

    /// Line and character column of a byte offset (clamped into the text and onto a
    /// character boundary).
    pub fn line_col(&self, offset: usize) -> LineCol {
        let offset = self.floor_char_boundary(offset);
        let line = self.line_index(offset);
        let start = self.line_start(line);
        let column = self.text[start..offset].chars().count() + 1;
        LineCol {
            line: line + 1,
            column,
        }
    }

    /// UTF-16 column (0-based) of a byte offset, as the Language Server Protocol counts.
    pub fn utf16_column(&self, offset: usize) -> usize {
        let offset = self.floor_char_boundary(offset);
        let start = self.line_start(self.line_index(offset));
        self.text[start..offset].encode_utf16().count()
    }

    pub fn floor_char_boundary(&self, offset: usize) -> usize {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }

    fn line_starts(&self) -> &[u32] {
        self.line_starts.get_or_init(|| line_starts(&self.text))
    }

    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.range()).unwrap_or("")
    }
}

fn line_starts(text: &str) -> Vec<u32> {
    let mut starts = vec![0];
    let bytes = text.as_bytes();
    // memchr jumps between line ends instead of looking at every byte (this table is
    // built for every file, and was a visible share of the lint time of large ones).
    for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
        // A lone CR (old Mac line ending) also ends a line; CRLF is handled by '\n'.
        if bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n') {
            match u32::try_from(i + 1) {
                Ok(start) => starts.push(start),
                Err(_) => break,
            }
        }
    }
    starts.shrink_to_fit();
    starts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_not_bytes() {
        let file = SourceFile::new("t.yaml", "a: é\nb: ü x\n".to_string());
        let x = file.text.find('x').unwrap_or(0);
        assert_eq!(file.line_col(x), LineCol { line: 2, column: 6 });
        assert_eq!(file.line_col(0), LineCol { line: 1, column: 1 });
    }

    #[test]
    fn crlf_and_lone_cr_both_end_lines() {
        let file = SourceFile::new("t", "a\r\nb\rc".to_string());
        assert_eq!(file.line_col(3).line, 2);
        assert_eq!(file.line_col(5).line, 3);
    }

    #[test]
    fn utf16_columns_count_surrogate_pairs() {
        let file = SourceFile::new("t", "😀x".to_string());
        assert_eq!(file.utf16_column(4), 2);
    }
}
