//! Positions as the Language Server Protocol counts them, and document text edits.
//!
//! LSP positions are a 0-based line and a 0-based column in UTF-16 code units; lines
//! end at `\n`, `\r\n` or a lone `\r` (as in [`SourceFile`]). Everything stacklint
//! stores is a byte offset, so this module converts both ways.

use std::path::{Path, PathBuf};

use lsp_types::{Position, Range, TextDocumentContentChangeEvent, Uri};

use crate::source::{SourceFile, Span};

/// The LSP position of byte `offset`.
pub fn position(source: &SourceFile, offset: usize) -> Position {
    let offset = source.floor_char_boundary(offset);
    Position {
        line: saturate(source.line_index(offset)),
        character: saturate(source.utf16_column(offset)),
    }
}

/// The LSP range of a byte span.
pub fn range(source: &SourceFile, span: Span) -> Range {
    Range {
        start: position(source, span.start()),
        end: position(source, span.end().max(span.start())),
    }
}

fn saturate(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

/// The byte offset of an LSP position in `text`. A line past the end is the end of the
/// text; a column past the end of its line is the end of that line; a column inside a
/// surrogate pair is the start of that character (as the protocol asks).
pub fn offset(text: &str, position: Position) -> usize {
    let bytes = text.as_bytes();
    let mut start = 0;
    for _ in 0..position.line {
        match bytes[start..]
            .iter()
            .position(|&b| b == b'\n' || b == b'\r')
        {
            Some(at) => {
                let end = start + at;
                start = if bytes[end] == b'\r' && bytes.get(end + 1) == Some(&b'\n') {
                    end + 2
                } else {
                    end + 1
                };
            }
            None => return text.len(),
        }
    }
    let mut units = 0usize;
    let wanted = position.character as usize;
    for (at, c) in text[start..].char_indices() {
        if c == '\n' || c == '\r' || units + c.len_utf16() > wanted {
            return start + at;
        }
        units += c.len_utf16();
    }
    text.len()
}

/// Applies one `didChange` content change (a range edit, or the whole text).
pub fn apply_change(text: &mut String, change: TextDocumentContentChangeEvent) {
    match change.range {
        Some(range) => {
            let start = offset(text, range.start);
            let end = offset(text, range.end).max(start);
            text.replace_range(start..end, &change.text);
        }
        None => *text = change.text,
    }
}

/// The file a document URI stands for. `file:` URIs are percent-decoded into a path;
/// any other (`untitled:`) keeps its path part, which is enough to detect the kind of
/// file by its name.
pub fn path_of(uri: &Uri) -> PathBuf {
    let path = percent_decode(uri.path().as_str());
    // `file:///C:/x` on Windows.
    let bytes = path.as_bytes();
    if cfg!(windows) && bytes.len() > 2 && bytes[0] == b'/' && bytes[2] == b':' {
        return PathBuf::from(&path[1..]);
    }
    PathBuf::from(path)
}

/// The `file:` URI of a path (made absolute), percent-encoding what a URI path may
/// not hold.
pub fn uri_of(path: &Path) -> Option<Uri> {
    let absolute = std::path::absolute(path).ok()?;
    let text = absolute.to_string_lossy().replace('\\', "/");
    let mut encoded = String::with_capacity(text.len() + 8);
    if !text.starts_with('/') {
        encoded.push('/');
    }
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                encoded.push(byte as char)
            }
            b':' if cfg!(windows) => encoded.push(':'),
            _ => encoded.push_str(&format!("%{byte:02X}")),
        }
    }
    format!("file://{encoded}").parse().ok()
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
            (b'%', Some(&h), Some(&l)) if hex(h).is_some() && hex(l).is_some() => {
                let value = hex(h).unwrap_or(0) * 16 + hex(l).unwrap_or(0);
                out.push(value as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(line: u32, character: u32) -> Position {
        Position { line, character }
    }

    #[test]
    fn utf16_columns_round_trip_on_non_ascii_lines() {
        let text = "a: é\nb: 😀 x\r\nc\rd";
        let source = SourceFile::new("t.yaml", text.to_string());
        let x = text.find('x').unwrap_or(0);
        assert_eq!(position(&source, x), at(1, 6));
        assert_eq!(offset(text, at(1, 6)), x);
        let d = text.find('d').unwrap_or(0);
        assert_eq!(position(&source, d), at(3, 0));
        assert_eq!(offset(text, at(3, 0)), d);
    }

    #[test]
    fn positions_out_of_range_are_clamped() {
        let text = "ab\ncd";
        assert_eq!(offset(text, at(0, 99)), 2);
        assert_eq!(offset(text, at(9, 0)), text.len());
        // Inside the surrogate pair of 😀: the start of the character.
        assert_eq!(offset("😀z", at(0, 1)), 0);
    }

    #[test]
    fn range_changes_edit_in_place() {
        let mut text = "a: é\nb: 2\n".to_string();
        apply_change(
            &mut text,
            TextDocumentContentChangeEvent {
                range: Some(Range {
                    start: at(0, 3),
                    end: at(1, 4),
                }),
                range_length: None,
                text: "x".into(),
            },
        );
        assert_eq!(text, "a: x\n");
    }

    #[test]
    fn file_uris_are_percent_decoded() {
        let uri: Uri = "file:///tmp/my%20stack/template.yaml"
            .parse()
            .unwrap_or_else(|_| panic!("valid URI"));
        assert_eq!(path_of(&uri), PathBuf::from("/tmp/my stack/template.yaml"));
        let back = uri_of(&path_of(&uri)).map(|u| u.as_str().to_string());
        assert_eq!(
            back.as_deref(),
            Some("file:///tmp/my%20stack/template.yaml")
        );
    }
}
