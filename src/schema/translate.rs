//! ECMA-262 patterns (JSON Schema's dialect) to Rust `regex` syntax, at build time.
//!
//! `\d`, `\w`, `\s` are ASCII (and ECMA's whitespace set) in ECMA-262 but Unicode in
//! Rust; `\Z` is `\z`; inside a character class a `[` is literal and `&&`, `~~`, `--`
//! are set operations in Rust, so they are escaped, and `\w-.` (a class escape followed
//! by `-`) is a literal `-` in ECMA but a range in Rust. Look-around and
//! back-references have no translation: such patterns fail to compile at run time and
//! are skipped.

const DIGIT: &str = "0-9";
const WORD: &str = "A-Za-z0-9_";
const SPACE: &str =
    "\\t\\n\\x0B\\x0C\\r \\u{A0}\\u{1680}\\u{2000}-\\u{200A}\\u{2028}\\u{2029}\\u{202F}\\u{205F}\\u{3000}\\u{FEFF}";

fn class_body(escape: char) -> Option<(&'static str, bool)> {
    Some(match escape {
        'd' => (DIGIT, false),
        'D' => (DIGIT, true),
        'w' => (WORD, false),
        'W' => (WORD, true),
        's' => (SPACE, false),
        'S' => (SPACE, true),
        _ => return None,
    })
}

/// The Rust `regex` spelling of an ECMA-262 pattern.
pub fn ecma_to_rust(pattern: &str) -> String {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut in_class = false;
    let mut class_start = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        match c {
            '\\' => {
                let Some(e) = next else {
                    out.push_str("\\\\");
                    i += 1;
                    continue;
                };
                i += 2;
                class_start = false;
                if let Some((body, negated)) = class_body(e) {
                    match (in_class, negated) {
                        (false, false) => {
                            out.push('[');
                            out.push_str(body);
                            out.push(']');
                        }
                        (false, true) => {
                            out.push_str("[^");
                            out.push_str(body);
                            out.push(']');
                        }
                        (true, false) => out.push_str(body),
                        (true, true) => {
                            out.push_str("[^");
                            out.push_str(body);
                            out.push(']');
                        }
                    }
                    // `[\w-.]`: in ECMA the `-` after a class escape is literal.
                    if in_class && chars.get(i) == Some(&'-') && chars.get(i + 1) != Some(&']') {
                        out.push_str("\\-");
                        i += 1;
                    }
                    continue;
                }
                match e {
                    'Z' => out.push_str("\\z"),
                    '/' => out.push('/'),
                    '-' => out.push_str("\\-"),
                    _ => {
                        out.push('\\');
                        out.push(e);
                    }
                }
            }
            '[' if in_class => {
                out.push_str("\\[");
                i += 1;
                class_start = false;
            }
            '[' => {
                in_class = true;
                class_start = true;
                out.push('[');
                i += 1;
                if next == Some('^') {
                    out.push('^');
                    i += 1;
                }
                // A `]` first in an ECMA class is an empty class; Rust reads it as a
                // literal. Both are rare; keep it as written.
            }
            ']' if in_class && !class_start => {
                in_class = false;
                out.push(']');
                i += 1;
            }
            '&' | '~' if in_class && next == Some(c) => {
                out.push('\\');
                out.push(c);
                i += 1;
                class_start = false;
            }
            '-' if in_class && next == Some('-') => {
                out.push_str("\\-");
                i += 1;
                class_start = false;
            }
            _ => {
                out.push(c);
                i += 1;
                class_start = false;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::ecma_to_rust;

    #[test]
    fn class_escapes_become_ascii_sets() {
        assert_eq!(ecma_to_rust(r"^\d{12}$"), "^[0-9]{12}$");
        assert_eq!(ecma_to_rust(r"[\w+=,.@-]+"), "[A-Za-z0-9_+=,.@-]+");
        assert_eq!(ecma_to_rust(r"\W"), "[^A-Za-z0-9_]");
        assert_eq!(ecma_to_rust(r"[^\D]"), "[^[^0-9]]");
    }

    #[test]
    fn ecma_literals_stay_literal() {
        assert_eq!(ecma_to_rust(r"[\w-.~]"), r"[A-Za-z0-9_\-.~]");
        assert_eq!(ecma_to_rust(r"[a[b]"), r"[a\[b]");
        assert_eq!(ecma_to_rust(r"[a&&b]"), r"[a\&&b]");
        assert_eq!(ecma_to_rust(r"^a\/b\Z"), r"^a/b\z");
    }
}
