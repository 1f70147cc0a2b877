//! "Did you mean ...?": the edit distance behind every suggestion stacklint makes.

/// Levenshtein distance between two strings, counted in characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = (previous + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(current + 1);
            previous = current;
        }
    }
    row[b.len()]
}

/// The candidate closest to `word`, if it is close enough to be a likely typo.
pub fn closest<'c>(word: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    let limit = (word.chars().count() / 4).max(2);
    candidates
        .into_iter()
        .map(|c| {
            (
                edit_distance(&word.to_ascii_lowercase(), &c.to_ascii_lowercase()),
                c,
            )
        })
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, c)| c)
}

/// The one candidate close enough to `word` to be a likely typo, when exactly one is:
/// what a fix may write. Two candidates within reach (`Enable` between `Enabled` and
/// `Enable2`) are a guess, and give nothing; so is any edit of a word shorter than five
/// characters (`SNS` is one edit from `SQS`, and means another service), which only a
/// difference of case fixes.
pub fn sole_close_match<'c>(
    word: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<&'c str> {
    let length = word.chars().count();
    let limit = if length < 5 { 0 } else { (length / 4).max(2) };
    let word = word.to_ascii_lowercase();
    let mut close = candidates
        .into_iter()
        .filter(|c| edit_distance(&word, &c.to_ascii_lowercase()) <= limit);
    let first = close.next()?;
    close.next().is_none().then_some(first)
}

/// The fix for a misspelt `key` of `map`: renaming it to the one of `known` within
/// reach ([`sole_close_match`]), inside its quotes when quoted. None when several are
/// within reach, when `map` already has that key (the rename would duplicate it), or
/// when the key is written with escapes.
pub fn rename_key<'c>(
    key: &crate::document::Key,
    known: impl IntoIterator<Item = &'c str>,
    map: &crate::document::Node,
) -> Option<crate::rule::Fix> {
    let name = sole_close_match(&key.text, known)?;
    if map.get(name).is_some() {
        return None;
    }
    Some(crate::rule::Fix {
        span: key.name_span()?,
        replacement: name.to_string(),
        title: format!("rename {} to {name}", key.text),
    })
}

/// The help for a rule code or prefix no rule has: the closest code or service prefix.
pub fn suggest_code(text: &str) -> String {
    let codes = crate::registry::RULES.iter().map(|r| r.meta.code);
    let prefixes = crate::registry::RULES
        .iter()
        .filter_map(|r| r.meta.code.split_once('-').map(|(prefix, _)| prefix));
    match closest(text.trim(), codes.chain(prefixes)) {
        Some(code) => format!("did you mean `{code}`? (`stacklint rules` lists the codes)"),
        None => "`stacklint rules` lists the codes; a prefix such as `S3` selects a service".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::{closest, edit_distance, suggest_code};

    #[test]
    fn closest_is_bounded_and_case_blind() {
        assert_eq!(
            closest("Resource", ["Resources", "Outputs"]),
            Some("Resources")
        );
        assert_eq!(
            closest("outputs", ["Resources", "Outputs"]),
            Some("Outputs")
        );
        assert_eq!(closest("Banana", ["Resources", "Outputs"]), None);
    }

    #[test]
    fn a_sole_close_match_is_the_only_candidate_within_reach() {
        use super::sole_close_match;
        assert_eq!(
            sole_close_match("Enable", ["Enabled", "Suspended"]),
            Some("Enabled")
        );
        assert_eq!(sole_close_match("SQS", ["SQS2", "SNS", "S3"]), None);
        assert_eq!(
            sole_close_match("SNS", ["SQS"]),
            None,
            "a short word is another word"
        );
        assert_eq!(sole_close_match("sqs", ["SQS"]), Some("SQS"));
        assert_eq!(sole_close_match("Banana", ["Enabled", "Suspended"]), None);
    }

    #[test]
    fn suggests_codes_and_service_prefixes() {
        assert!(suggest_code("ELB-0O1").starts_with("did you mean `ELB-001`?"));
        assert!(suggest_code("ELBB").starts_with("did you mean `ELB`?"));
        assert!(suggest_code("NOPE-NOPE-NOPE").starts_with("`stacklint rules` lists"));
    }

    #[test]
    fn counts_insertions_deletions_and_substitutions() {
        assert_eq!(edit_distance("AfterInstal", "AfterInstall"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("é", "e"), 1);
    }
}
