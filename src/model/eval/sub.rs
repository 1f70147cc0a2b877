//! The string of an `Fn::Sub`, parsed once into literal text, `${X}` / `${X.Attr}`
//! variables and `${!Literal}` escapes, each with its exact span in the source.

use crate::document::{Node, ScalarStyle, Value};
use crate::source::Span;

/// One piece of an `Fn::Sub` string, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SubPart<'a> {
    /// Text copied as is.
    Text(&'a str),
    /// `${Name}` or `${Name.Attribute}`.
    Variable(SubVariable<'a>),
    /// `${!Literal}`: written out as `${Literal}`, not substituted. `text` is the whole
    /// `${!Literal}`.
    Escape { text: &'a str, span: Span },
}

/// A `${...}` placeholder of an `Fn::Sub` string.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SubVariable<'a> {
    /// What is between `${` and `}`, as written (`Bucket.Arn`, `AWS::Region`).
    pub inner: &'a str,
    /// The part before the first `.` (`Bucket`), the whole name without one.
    pub name: &'a str,
    /// The part after the first `.` (`Arn`), when there is one.
    pub attribute: Option<&'a str>,
    /// The whole `${...}` in the source, or the whole scalar when the string's text
    /// cannot be mapped onto its source bytes one to one.
    pub span: Span,
    /// Byte range of the whole `${...}` in the decoded string.
    pub offset: (usize, usize),
}

impl SubVariable<'_> {
    /// Whether the name is one CloudFormation substitutes (letters, digits, `_`, `.`,
    /// `:`); anything else (`${HOME:-x}`, `${a b}`) is not a template name.
    pub fn is_name(&self) -> bool {
        !self.inner.is_empty()
            && self
                .inner
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | ':'))
    }
}

/// A parsed `Fn::Sub` string.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubString<'a> {
    pub parts: Vec<SubPart<'a>>,
    /// Where a `${` has no closing `}`: the span of that `${`.
    pub unclosed: Option<Span>,
}

impl<'a> SubString<'a> {
    /// The variables, in order.
    pub fn variables(&self) -> impl Iterator<Item = &SubVariable<'a>> {
        self.parts.iter().filter_map(|part| match part {
            SubPart::Variable(variable) => Some(variable),
            _ => None,
        })
    }
}

/// Parses the text of `node` (a scalar) as an `Fn::Sub` string; `source` is the whole
/// file's text when known (for exact spans in escaped or block scalars).
pub fn parse_sub<'a>(node: &'a Node, text: &'a str, source: Option<&str>) -> SubString<'a> {
    let spans = ScalarSpans::new(node, text, source);
    let mut parts = Vec::new();
    let mut unclosed = None;
    let mut from = 0;
    let mut text_start = 0;
    let bytes = text.as_bytes();
    while let Some(found) = memchr::memmem::find(&bytes[from..], b"${") {
        let start = from + found;
        let Some(close) = memchr::memchr(b'}', &bytes[start + 2..]) else {
            unclosed = Some(spans.span(start, start + 2));
            break;
        };
        let end = start + 2 + close + 1;
        if start > text_start {
            parts.push(SubPart::Text(&text[text_start..start]));
        }
        let inner = &text[start + 2..end - 1];
        if inner.starts_with('!') {
            parts.push(SubPart::Escape {
                text: &text[start..end],
                span: spans.span(start, end),
            });
        } else {
            let (name, attribute) = match inner.split_once('.') {
                Some((name, attribute)) => (name, Some(attribute)),
                None => (inner, None),
            };
            parts.push(SubPart::Variable(SubVariable {
                inner,
                name,
                attribute,
                span: spans.span(start, end),
                offset: (start, end),
            }));
        }
        from = end;
        text_start = end;
    }
    if text_start < text.len() {
        parts.push(SubPart::Text(&text[text_start..]));
    }
    SubString { parts, unclosed }
}

/// Maps byte ranges of a scalar's decoded text onto the source.
pub(crate) struct ScalarSpans<'a, 's> {
    node: &'a Node,
    text: &'a str,
    source: Option<&'s str>,
    /// Where the text starts in the source when it is written there byte for byte.
    direct: Option<usize>,
    /// Bytes the occurrence search may still scan (hostile strings with many
    /// variables fall back to the whole scalar instead of taking quadratic time).
    budget: std::cell::Cell<usize>,
    /// Where `${` starts in the text and in the scalar's source, found once: every
    /// `Fn::Sub` piece starts with it, so its occurrences are among these (a long
    /// `UserData` with many variables was otherwise searched three times per variable).
    placeholders: std::cell::OnceCell<(Vec<usize>, Vec<usize>)>,
}

/// Bytes scanned by the occurrence search per scalar, at most.
const SEARCH_BUDGET: usize = 4 << 20;

/// How every `Fn::Sub` placeholder (and escape) begins.
const PLACEHOLDER: &str = "${";

impl<'a, 's> ScalarSpans<'a, 's> {
    pub fn new(node: &'a Node, text: &'a str, source: Option<&'s str>) -> Self {
        let whole = node.span();
        let direct = match &node.value {
            Value::Scalar(_) => {
                let quote = match node.scalar_style() {
                    Some(ScalarStyle::Plain) => Some(0),
                    Some(ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted) => Some(1),
                    _ => None,
                };
                quote.filter(|&quote| match source {
                    Some(source) => {
                        source.get(whole.start() + quote..whole.end().saturating_sub(quote))
                            == Some(text)
                    }
                    None => whole.len() == text.len() + 2 * quote && !text.contains('\n'),
                })
            }
            _ => None,
        }
        .map(|quote| whole.start() + quote);
        ScalarSpans {
            node,
            text,
            source,
            direct,
            budget: std::cell::Cell::new(SEARCH_BUDGET),
            placeholders: std::cell::OnceCell::new(),
        }
    }

    /// The source span of `text[start..end]`: exact when the scalar is written so that
    /// its text is its source bytes (plain or quoted without escapes), or when the
    /// piece occurs as often in the source as in the text (escapes and block
    /// indentation never make or break such a piece, so the k-th occurrence in the text
    /// is the k-th in the source); otherwise the whole scalar.
    pub fn span(&self, start: usize, end: usize) -> Span {
        let whole = self.node.span();
        if let Some(at) = self.direct {
            return Span::new(at + start, at + end);
        }
        let (Some(source), Some(piece)) = (self.source, self.text.get(start..end)) else {
            return whole;
        };
        let Some(raw) = source.get(whole.range()) else {
            return whole;
        };
        let cost = 2 * self.text.len() + raw.len();
        if piece.is_empty() || self.budget.get() < cost {
            return whole;
        }
        self.budget.set(self.budget.get() - cost);
        let (before, in_text, in_source) = if piece.starts_with(PLACEHOLDER) {
            let (text_at, raw_at) = self.placeholders.get_or_init(|| {
                (
                    occurrences(self.text, PLACEHOLDER).collect(),
                    occurrences(raw, PLACEHOLDER).collect(),
                )
            });
            let in_text_at = |at: &&usize| self.text[**at..].starts_with(piece);
            let before = text_at
                .iter()
                .take_while(|&&at| at < start)
                .filter(in_text_at)
                .count();
            let in_text = text_at.iter().filter(in_text_at).count();
            let in_source: Vec<usize> = raw_at
                .iter()
                .copied()
                .filter(|at| raw[*at..].starts_with(piece))
                .collect();
            (before, in_text, in_source)
        } else {
            let before = occurrences(self.text, piece)
                .take_while(|&at| at < start)
                .count();
            let in_text = occurrences(self.text, piece).count();
            let in_source: Vec<usize> = occurrences(raw, piece).collect();
            (before, in_text, in_source)
        };
        match in_source.get(before) {
            Some(&at) if in_source.len() == in_text => {
                Span::new(whole.start() + at, whole.start() + at + piece.len())
            }
            _ => whole,
        }
    }
}

/// Every position where `piece` starts in `text` (overlapping ones included).
fn occurrences<'t>(text: &'t str, piece: &'t str) -> impl Iterator<Item = usize> + 't {
    // memchr's searcher: `str::find` took ~4% of a lint on long `UserData` scripts.
    let finder = memchr::memmem::Finder::new(piece.as_bytes());
    let mut from = 0;
    std::iter::from_fn(move || {
        let at = from + finder.find(text.as_bytes().get(from..)?)?;
        from = at + 1;
        while from < text.len() && !text.is_char_boundary(from) {
            from += 1;
        }
        Some(at)
    })
}
