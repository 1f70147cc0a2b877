//! JSON through `jsonc-parser` with every leniency off, into [`Node`]s with byte spans.
//!
//! One leniency is CloudFormation's own: it reads JSON templates with a YAML parser,
//! which accepts a comma before `}` or `]`. A document that fails only for such commas
//! is loaded as CloudFormation reads it, and each comma is reported
//! ([`LoadProblem::TrailingComma`], a warning: other JSON tools reject the file).

use std::collections::HashMap;

use jsonc_parser::ast::{ObjectPropName, Value as JsonValue};
use jsonc_parser::errors::ParseErrorKind;
use jsonc_parser::{CollectOptions, ParseOptions};

use super::key_text::KeyTexts;
use super::{Entry, Key, KeyText, LoadProblem, Loaded, Node, ScalarStyle, Value, MAX_DEPTH};
use crate::source::Span;

/// Loads a strict JSON document (a UTF-8 byte-order mark is allowed and skipped).
pub fn load_json(text: &str) -> Loaded {
    let base = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let body = &text[base..];
    if let Some(problem) = precheck(body, base) {
        return Loaded {
            root: None,
            problems: vec![problem],
            ..Loaded::default()
        };
    }
    let strict = ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    };
    let mut parsed = jsonc_parser::parse_to_ast(body, &CollectOptions::default(), &strict);
    let mut commas = Vec::new();
    if matches!(&parsed, Err(e) if matches!(e.kind(), ParseErrorKind::TrailingCommasNotAllowed)) {
        let lenient = ParseOptions {
            allow_trailing_commas: true,
            ..strict
        };
        parsed = jsonc_parser::parse_to_ast(body, &CollectOptions::default(), &lenient);
        if parsed.is_ok() {
            commas = trailing_commas(body)
                .into_iter()
                .map(|at| LoadProblem::TrailingComma {
                    at: Span::new(base + at, base + at + 1),
                })
                .collect();
        }
    }
    match parsed {
        Ok(result) => {
            let mut problems = commas;
            let root = result
                .value
                .map(|value| convert(value, base, &mut problems, &mut KeyTexts::default()));
            if root.is_none() {
                problems.push(LoadProblem::Syntax {
                    message: "the file holds no JSON value".into(),
                    at: Span::empty(text.len()),
                    opened: None,
                });
            }
            Loaded {
                root,
                problems,
                ..Loaded::default()
            }
        }
        Err(error) => {
            let range = error.range();
            let at = Span::new(base + range.start, base + range.end.max(range.start));
            let problem = match error.kind() {
                ParseErrorKind::NestingDepthExceeded => LoadProblem::Unsupported {
                    message: format!("nesting deeper than {MAX_DEPTH} levels"),
                    at,
                },
                kind => LoadProblem::Syntax {
                    message: lowercase_first(&kind.to_string()),
                    at,
                    opened: unclosed_bracket(body, range.start)
                        .map(|o| Span::new(base + o, base + o + 1)),
                },
            };
            Loaded {
                root: None,
                problems: vec![problem],
                ..Loaded::default()
            }
        }
    }
}

/// Checks the parser leaves to us: empty input and raw control characters in strings.
fn precheck(body: &str, base: usize) -> Option<LoadProblem> {
    if body.trim().is_empty() {
        return Some(LoadProblem::Syntax {
            message: "the file is empty; a JSON document needs a value".into(),
            at: Span::empty(base + body.len()),
            opened: None,
        });
    }
    let bytes = body.as_bytes();
    let mut in_string = false;
    let mut escaped = false;
    for (i, &b) in bytes.iter().enumerate() {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            } else if b < 0x20 {
                return Some(LoadProblem::Syntax {
                    message: format!("raw control character U+{b:04X} in a string; escape it"),
                    at: Span::new(base + i, base + i + 1),
                    opened: None,
                });
            }
        } else if b == b'"' {
            in_string = true;
        } else if b >= 0x80 || (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) {
            // Outside strings only space, tab, LF and CR separate tokens (RFC 8259);
            // the parser would also take form feed, vertical tab, NBSP, NEL and the
            // other Unicode white space, which CloudFormation rejects.
            // (A continuation byte is no character start: `get` gives `None`.)
            let c = body.get(i..).and_then(|t| t.chars().next());
            if let Some(c) = c.filter(|c| c.is_whitespace() || c.is_control()) {
                return Some(LoadProblem::Syntax {
                    message: format!(
                        "U+{:04X} is not JSON white space (only space, tab, LF and CR are)",
                        u32::from(c)
                    ),
                    at: Span::new(base + i, base + i + c.len_utf8()),
                    opened: None,
                });
            }
        }
    }
    None
}

/// The bytes of `body` outside string literals (the quotes themselves excluded), with
/// their offsets.
fn outside_strings(body: &str) -> impl Iterator<Item = (usize, u8)> + '_ {
    let mut in_string = false;
    let mut escaped = false;
    body.bytes().enumerate().filter(move |&(_, b)| {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            return false;
        }
        if b == b'"' {
            in_string = true;
            return false;
        }
        true
    })
}

/// Byte offsets of the commas followed (after white space) by `}` or `]`, outside
/// strings. Only called on text that parses with trailing commas allowed and no
/// comments, so white space is all that can stand between.
fn trailing_commas(body: &str) -> Vec<usize> {
    let bytes = body.as_bytes();
    outside_strings(body)
        .filter(|&(i, b)| {
            b == b',' && {
                let next = bytes[i + 1..].iter().find(|c| !c.is_ascii_whitespace());
                matches!(next, Some(b'}' | b']'))
            }
        })
        .map(|(i, _)| i)
        .collect()
}

/// Where the innermost bracket still open at `error_at` was opened.
fn unclosed_bracket(body: &str, error_at: usize) -> Option<usize> {
    let mut open = Vec::new();
    for (i, b) in outside_strings(body).take_while(|&(i, _)| i < error_at) {
        match b {
            b'[' | b'{' => open.push(i),
            b']' | b'}' => {
                open.pop();
            }
            _ => {}
        }
    }
    open.last().copied()
}

fn convert(
    value: JsonValue<'_>,
    base: usize,
    problems: &mut Vec<LoadProblem>,
    keys: &mut KeyTexts,
) -> Node {
    let span = |r: jsonc_parser::common::Range| Span::new(base + r.start, base + r.end);
    match value {
        JsonValue::StringLit(s) => {
            Node::scalar(span(s.range), s.value.into(), ScalarStyle::DoubleQuoted)
        }
        JsonValue::NumberLit(n) => Node::scalar(span(n.range), n.value.into(), ScalarStyle::Plain),
        JsonValue::BooleanLit(b) => Node::scalar(
            span(b.range),
            if b.value { "true" } else { "false" }.into(),
            ScalarStyle::Plain,
        ),
        JsonValue::NullKeyword(n) => Node::scalar(span(n.range), "null".into(), ScalarStyle::Plain),
        JsonValue::Array(array) => Node::new(
            span(array.range),
            Value::Seq(
                array
                    .elements
                    .into_iter()
                    .map(|element| convert(element, base, problems, keys))
                    .collect(),
            ),
        ),
        JsonValue::Object(object) => {
            let mut entries: Vec<Entry> = Vec::with_capacity(object.properties.len());
            let mut seen: HashMap<KeyText, Span> = HashMap::new();
            for property in object.properties {
                let (text, key_range) = match property.name {
                    ObjectPropName::String(s) => (keys.get(&s.value), s.range),
                    ObjectPropName::Word(w) => (keys.get(w.value), w.range),
                };
                let key = Key {
                    text,
                    span: span(key_range),
                };
                if let Some(first) = seen.get(&key.text) {
                    problems.push(LoadProblem::DuplicateKey {
                        key: key.text.to_string(),
                        first: *first,
                        again: key.span,
                    });
                } else {
                    seen.insert(key.text.clone(), key.span);
                }
                let value = convert(property.value, base, problems, keys);
                entries.push(Entry { key, value });
            }
            Node::new(span(object.range), Value::Map(entries.into()))
        }
    }
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}
