//! Text searches asked of every key and value of a template, allocation-free: an ASCII
//! case-insensitive word search (lowering a copy of every scalar, then building a
//! substring searcher per needle, dominated the profile of the rules that look for
//! words), and whether a string holds an `Fn::Sub` placeholder.

/// Byte offset of the first ASCII case-insensitive occurrence of `needle` in
/// `haystack`. Meant for short needles (a word or two): memchr finds the candidates
/// for the first byte, and no searcher is set up.
pub fn find_ignore_ascii_case(haystack: &str, needle: &str) -> Option<usize> {
    let (haystack, needle) = (haystack.as_bytes(), needle.as_bytes());
    let Some((&first, rest)) = needle.split_first() else {
        return Some(0);
    };
    let last_start = haystack.len().checked_sub(needle.len())?;
    let (lower, upper) = (first.to_ascii_lowercase(), first.to_ascii_uppercase());
    let mut from = 0;
    while let Some(found) = memchr::memchr2(lower, upper, &haystack[from..=last_start]) {
        let at = from + found;
        if haystack[at + 1..at + needle.len()].eq_ignore_ascii_case(rest) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// At most `shown` of `items`, comma-separated, then "and N more": help texts and
/// labels that list names from the input stay short however many there are (a
/// Dockerrun file of 6,000 containers once gave 512 MB of JSON, each finding listing
/// them all).
pub fn some_of(items: &[&str], shown: usize) -> String {
    let mut out = items
        .iter()
        .take(shown)
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    if items.len() > shown {
        out.push_str(&format!(" and {} more", items.len() - shown));
    }
    out
}

/// `text` with control characters (ESC, CR, LF, C1 controls, ...; not tab) written
/// as `\u{1b}`: a message or file name from the input cannot move the cursor, recolour
/// or rewrite a terminal, nor split a one-line-per-finding format.
pub fn escape_controls(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(|c| c.is_control() && c != '\t') {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_control() && c != '\t' {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Whether `text` holds `${` (an `Fn::Sub` placeholder, or its `${!` escape). Asked of
/// every string of a template: a search for the `$` byte is a fraction of the cost of
/// `str::contains("${")`, which prepares a substring searcher on each call.
pub fn holds_placeholder(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr_iter(b'$', bytes).any(|at| bytes.get(at + 1) == Some(&b'{'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(escape_controls("a\tb"), "a\tb");
        assert_eq!(escape_controls("x\u{1b}[2Jy\nz"), "x\\u{1b}[2Jy\\u{a}z");
    }

    #[test]
    fn some_of_lists_a_few_then_counts_the_rest() {
        assert_eq!(some_of(&["a", "b"], 5), "a, b");
        assert_eq!(some_of(&["a", "b", "c", "d"], 2), "a, b and 2 more");
    }

    #[test]
    fn finds_the_first_occurrence_in_any_case() {
        assert_eq!(find_ignore_ascii_case("xx DeadLetter dlq", "DLQ"), Some(14));
        assert_eq!(find_ignore_ascii_case("RedrivePolicy", "redrive"), Some(0));
        assert_eq!(find_ignore_ascii_case("aSecret_secret", "SECRET"), Some(1));
        assert_eq!(find_ignore_ascii_case("on-failure", "onfailure"), None);
        assert_eq!(find_ignore_ascii_case("abc", ""), Some(0));
        assert_eq!(find_ignore_ascii_case("ab", "abc"), None);
        assert_eq!(
            find_ignore_ascii_case("DestinationConfig", "destinationconfig"),
            Some(0)
        );
    }

    #[test]
    fn non_ascii_text_is_searched_bytewise_without_panicking() {
        assert_eq!(find_ignore_ascii_case("é-SECRET", "secret"), Some(3));
        // Only ASCII letters fold: `É` is not `é`.
        assert_eq!(find_ignore_ascii_case("ÉÉé", "é"), Some(4));
    }

    #[test]
    fn a_placeholder_is_a_dollar_then_a_brace() {
        assert!(holds_placeholder("arn:${AWS::Partition}:s3"));
        assert!(holds_placeholder("$$ ${!Literal}"));
        assert!(!holds_placeholder("costs $5 {each}"));
        assert!(!holds_placeholder("ends in $"));
        assert!(!holds_placeholder(""));
    }
}
