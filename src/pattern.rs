//! Matching a template's or a schema's regular expression against a value, cheaply.
//!
//! Compiling is what costs, not matching: each pattern is matched a few times per
//! process. Unicode classes make compiling expensive (`\d{1,3}` is three copies of
//! every decimal digit of Unicode; the schemas' spelling of ECMA's `\s` lists Unicode
//! spaces), and the 296 templates of aws-cloudformation-templates spent two thirds of
//! their lint compiling patterns. On an ASCII value a pattern matches exactly as the
//! same pattern with every class cut down to its ASCII members (what a class, `.`,
//! `\d`, `\w`, `\s`, `[^x]` or case folding adds beyond ASCII can match no ASCII
//! character), which is far smaller to compile. The full pattern is compiled only for a
//! value with other characters.

use std::sync::OnceLock;

use regex_automata::meta;
use regex_syntax::hir::{Class, ClassBytes, ClassBytesRange, ClassUnicode, ClassUnicodeRange};
use regex_syntax::hir::{Hir, HirKind, Look};

/// A pattern with its two compilations, each made on first use.
#[derive(Debug, Default)]
pub struct Compiled {
    ascii: OnceLock<Option<meta::Regex>>,
    unicode: OnceLock<Option<meta::Regex>>,
}

impl Compiled {
    /// Whether `pattern` matches somewhere in `text` (anchor it to match the whole);
    /// `None` when Rust's `regex` cannot read the pattern (look-around, ...).
    pub fn is_match(&self, pattern: &str, text: &str) -> Option<bool> {
        self.is_match_lazy(|| pattern, text)
    }

    /// [`is_match`](Self::is_match), asking for the pattern's text only when it is
    /// compiled (reading it from the schema data was a third of matching a value).
    pub fn is_match_lazy<'p>(&self, pattern: impl FnOnce() -> &'p str, text: &str) -> Option<bool> {
        let compiled = if text.is_ascii() {
            self.ascii.get_or_init(|| compile(pattern(), true))
        } else {
            self.unicode.get_or_init(|| compile(pattern(), false))
        };
        compiled.as_ref().map(|regex| regex.is_match(text))
    }
}

/// Compiles `pattern` as `regex::Regex` reads it, for ASCII values only if `ascii`.
fn compile(pattern: &str, ascii: bool) -> Option<meta::Regex> {
    let hir = regex_syntax::Parser::new().parse(pattern).ok()?;
    let hir = if ascii { ascii_only(hir) } else { hir };
    // Each is matched a few times: the full DFA and the one-pass DFA cost more to
    // build than they save (the lazy DFA and the PikeVM remain; what matches is the
    // same whichever engine runs).
    meta::Regex::builder()
        .configure(meta::Config::new().dfa(false).onepass(false))
        .build_from_hir(&hir)
        .ok()
}

/// `hir` with its classes cut down to ASCII, and Unicode word boundaries as ASCII ones
/// (the same on ASCII text; the fast engines handle only the latter).
fn ascii_only(hir: Hir) -> Hir {
    match hir.into_kind() {
        HirKind::Class(Class::Unicode(mut class)) => {
            class.intersect(&ClassUnicode::new([ClassUnicodeRange::new('\0', '\x7F')]));
            Hir::class(Class::Unicode(class))
        }
        HirKind::Class(Class::Bytes(mut class)) => {
            class.intersect(&ClassBytes::new([ClassBytesRange::new(0, 0x7F)]));
            Hir::class(Class::Bytes(class))
        }
        HirKind::Look(look) => Hir::look(match look {
            Look::WordUnicode => Look::WordAscii,
            Look::WordUnicodeNegate => Look::WordAsciiNegate,
            Look::WordStartUnicode => Look::WordStartAscii,
            Look::WordEndUnicode => Look::WordEndAscii,
            Look::WordStartHalfUnicode => Look::WordStartHalfAscii,
            Look::WordEndHalfUnicode => Look::WordEndHalfAscii,
            other => other,
        }),
        HirKind::Repetition(mut repetition) => {
            repetition.sub = Box::new(ascii_only(*repetition.sub));
            Hir::repetition(repetition)
        }
        HirKind::Capture(mut capture) => {
            capture.sub = Box::new(ascii_only(*capture.sub));
            Hir::capture(capture)
        }
        HirKind::Concat(subs) => Hir::concat(subs.into_iter().map(ascii_only).collect()),
        HirKind::Alternation(subs) => Hir::alternation(subs.into_iter().map(ascii_only).collect()),
        HirKind::Literal(literal) => Hir::literal(literal.0),
        HirKind::Empty => Hir::empty(),
    }
}

/// [`Compiled::is_match`] for patterns a template gives (`AllowedPattern`), compiled
/// once per process whichever templates repeat them.
pub fn template_pattern_matches(pattern: &str, text: &str) -> Option<bool> {
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex};
    static CACHE: OnceLock<Mutex<HashMap<String, Arc<Compiled>>>> = OnceLock::new();
    let compiled = {
        let mut cache = CACHE
            .get_or_init(Default::default)
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        // Bounded: a run over many templates keeps its distinct patterns only.
        if cache.len() > 4096 {
            cache.clear();
        }
        Arc::clone(cache.entry(pattern.to_string()).or_default())
    };
    compiled.is_match(pattern, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The ASCII compilation agrees with the Unicode one on ASCII values, for the
    /// constructs whose meaning differs between them.
    #[test]
    fn ascii_values_match_as_with_unicode_patterns() {
        let patterns = [
            r"^\d{1,3}(\.\d{1,3}){3}/\d{1,2}$",
            r"^\w+$",
            r"^[^*]+$",
            r"^(?i)kelvin$",
            r"\bword\b",
            r"^.{3}$",
            r"^\s*$",
            r"^[a-zA-Z][-a-zA-Z0-9]*$",
            // The schemas' spelling of ECMA's `\s`, negated.
            r"^[^\t\n\x0B\x0C\r \u{A0}\u{1680}\u{2000}-\u{200A}\u{2028}\u{2029}\u{202F}\u{205F}\u{3000}\u{FEFF}]+$",
            r"^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$",
            r"(?i)^[a-z]+$",
        ];
        let values = [
            "10.0.0.0/16",
            "abc_1",
            "a*b",
            "KELVIN",
            "a word here",
            "abc",
            " \t",
            "x-1",
            "",
            "*",
        ];
        for pattern in patterns {
            let compiled = Compiled::default();
            let unicode = regex::Regex::new(pattern).expect("valid");
            for value in values {
                assert_eq!(
                    compiled.is_match(pattern, value),
                    Some(unicode.is_match(value)),
                    "{pattern} on {value:?}"
                );
            }
        }
    }

    #[test]
    fn non_ascii_values_and_unicode_only_patterns_use_the_unicode_compilation() {
        let compiled = Compiled::default();
        // `\d` is any decimal digit in Unicode: `٣` (Arabic-Indic three) is one.
        assert_eq!(compiled.is_match(r"^\d$", "٣"), Some(true));
        assert_eq!(compiled.is_match(r"^\d$", "3"), Some(true));
        let letters = Compiled::default();
        assert_eq!(letters.is_match(r"^\p{L}+$", "abc"), Some(true));
        assert_eq!(letters.is_match(r"^\p{L}+$", "a1"), Some(false));
        assert_eq!(Compiled::default().is_match(r"(?=x)", "x"), None);
    }

    #[test]
    fn template_patterns_are_shared_across_calls() {
        assert_eq!(template_pattern_matches("^a+$", "aaa"), Some(true));
        assert_eq!(template_pattern_matches("^a+$", "aab"), Some(false));
    }
}
