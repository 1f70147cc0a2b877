//! "Did you mean ...?": the edit distance behind every suggestion stacklint makes, and
//! the bounds that keep suggesting cheap on hostile input.
//!
//! A suggestion is a courtesy: its work is bounded so that a file of 10,000 misspelt
//! names against 10,000 candidates costs about as much as a few. Candidates are sorted
//! by length (a candidate whose length differs from the name's by more than the allowed
//! distance is never compared), one query compares at most [`MAX_COMPARISONS`]
//! candidates, the distance stops as soon as it exceeds the allowed one, and a
//! [`Suggester`] (one candidate list, many queries) spends at most [`MAX_CELLS`]
//! steps in all; past any bound the query simply gets no suggestion.

use std::cell::Cell;

/// Candidates one query compares with at most.
pub const MAX_COMPARISONS: usize = 1_000;
/// Distance-table cells one [`Suggester`] computes at most, over all its queries.
pub const MAX_CELLS: usize = 20_000_000;

/// Levenshtein distance between two strings, counted in characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    distance_within(&a, &b, usize::MAX).map_or(usize::MAX, |(d, _)| d)
}

/// The distance between `a` and `b` if it is at most `limit`, ignoring nothing: a
/// length difference over `limit` answers at once, and the table stops at the first
/// row whose every cell is over `limit`.
pub fn within(a: &str, b: &str, limit: usize) -> Option<usize> {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    distance_within(&a, &b, limit).map(|(d, _)| d)
}

/// The distance if at most `limit`, and the number of table cells computed.
fn distance_within(a: &[char], b: &[char], limit: usize) -> Option<(usize, usize)> {
    if a.len().abs_diff(b.len()) > limit {
        return None;
    }
    let mut row: Vec<usize> = (0..=b.len()).collect();
    let mut cells = 0;
    for (i, ca) in a.iter().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        let mut smallest = row[0];
        for (j, cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = (previous + usize::from(ca != cb))
                .min(row[j] + 1)
                .min(current + 1);
            smallest = smallest.min(row[j + 1]);
            previous = current;
        }
        cells += b.len() + 1;
        if smallest > limit {
            return None;
        }
    }
    let distance = row[b.len()];
    (distance <= limit).then_some((distance, cells))
}

/// One list of candidates for many queries, compared ignoring ASCII case.
pub struct Suggester<'c> {
    /// `(char length, position in the list, lower-cased characters, the candidate)`,
    /// sorted by length.
    candidates: Vec<(usize, usize, Vec<char>, &'c str)>,
    /// `(length, range of candidates of that length)`.
    groups: Vec<(usize, std::ops::Range<usize>)>,
    cells_left: Cell<usize>,
}

impl<'c> Suggester<'c> {
    pub fn new(candidates: impl IntoIterator<Item = &'c str>) -> Self {
        let mut candidates: Vec<_> = candidates
            .into_iter()
            .enumerate()
            .map(|(at, c)| {
                let lower: Vec<char> = c.chars().map(|ch| ch.to_ascii_lowercase()).collect();
                (lower.len(), at, lower, c)
            })
            .collect();
        candidates.sort_by_key(|(length, at, _, _)| (*length, *at));
        let mut groups: Vec<(usize, std::ops::Range<usize>)> = Vec::new();
        for (i, (length, ..)) in candidates.iter().enumerate() {
            match groups.last_mut() {
                Some((last, range)) if last == length => range.end = i + 1,
                _ => groups.push((*length, i..i + 1)),
            }
        }
        Suggester {
            candidates,
            groups,
            cells_left: Cell::new(MAX_CELLS),
        }
    }

    /// The candidate closest to `name`, if one is at most `max_distance(its length in
    /// characters)` edits away; of equally close ones, the first in the list.
    pub fn closest(&self, name: &str, max_distance: impl Fn(usize) -> usize) -> Option<&'c str> {
        let name: Vec<char> = name.chars().map(|c| c.to_ascii_lowercase()).collect();
        // Groups of one length, nearest the name's length first; a whole group is
        // skipped at once when its length alone puts it out of reach.
        let mut groups: Vec<&(usize, std::ops::Range<usize>)> = self.groups.iter().collect();
        groups.sort_by_key(|(length, _)| length.abs_diff(name.len()));
        let mut best: Option<(usize, usize, &'c str)> = None;
        let mut comparisons = 0;
        'groups: for (length, range) in groups {
            let length = *length;
            let gap = length.abs_diff(name.len());
            // Every group from here on is at least `gap` edits away.
            if best.is_some_and(|(d, _, _)| gap > d) {
                break;
            }
            let limit = max_distance(length);
            if gap > limit {
                continue;
            }
            for (_, at, lower, candidate) in &self.candidates[range.clone()] {
                comparisons += 1;
                if comparisons > MAX_COMPARISONS || self.cells_left.get() == 0 {
                    break 'groups;
                }
                let limit = best.map_or(limit, |(d, _, _)| limit.min(d));
                let cost = (name.len() + 1) * (length + 1);
                self.cells_left
                    .set(self.cells_left.get().saturating_sub(cost));
                if let Some((distance, _)) = distance_within(&name, lower, limit) {
                    if best.is_none_or(|(d, a, _)| (distance, *at) < (d, a)) {
                        best = Some((distance, *at, candidate));
                    }
                }
            }
        }
        best.map(|(_, _, candidate)| candidate)
    }
}

/// [`Suggester::closest`] for one query.
pub fn closest_within<'c>(
    name: &str,
    candidates: impl IntoIterator<Item = &'c str>,
    max_distance: impl Fn(usize) -> usize,
) -> Option<&'c str> {
    Suggester::new(candidates).closest(name, max_distance)
}

/// How many edits make a likely typo of a word of `length` characters: the one
/// threshold of "did you mean" (a quarter of the word, at least 2).
pub fn typo_limit(length: usize) -> usize {
    (length / 4).max(2)
}

/// The candidate closest to `word`, if it is close enough to be a likely typo
/// ([`typo_limit`] of the word's length), with bounded work ([`Suggester`]).
pub fn closest<'c>(word: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    let limit = typo_limit(word.chars().count());
    Suggester::new(candidates).closest(word, |_| limit)
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
    let limit = if length < 5 { 0 } else { typo_limit(length) };
    let word = word.to_ascii_lowercase();
    sole(candidates, |c| {
        edit_distance(&word, &c.to_ascii_lowercase()) <= limit
    })
}

/// The one candidate at most `limit` edits from `word` (case counts), when exactly one
/// is: for a rule with its own reach (DPL-001's three edits between long type names).
pub fn sole_within<'c>(
    word: &str,
    candidates: impl IntoIterator<Item = &'c str>,
    limit: usize,
) -> Option<&'c str> {
    sole(candidates, |c| within(word, c, limit).is_some())
}

/// The one candidate that is `close`, when exactly one is: two are a guess.
fn sole<'c>(
    candidates: impl IntoIterator<Item = &'c str>,
    close: impl Fn(&str) -> bool,
) -> Option<&'c str> {
    let mut matching = candidates.into_iter().filter(|c| close(c));
    let first = matching.next()?;
    matching.next().is_none().then_some(first)
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
    use super::*;

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
        assert_eq!(within("kitten", "sitting", 2), None);
        assert_eq!(within("kitten", "sitting", 3), Some(3));
        assert_eq!(within("a", "abcdef", 2), None);
    }

    #[test]
    fn the_closest_first_listed_candidate_ignoring_case() {
        let candidates = ["Bucket", "Queue", "bucketz", "Bucket2", "Topic"];
        assert_eq!(
            closest_within("bucket2", candidates, |_| 1),
            Some("Bucket2")
        );
        assert_eq!(closest_within("bucket1", candidates, |_| 2), Some("Bucket"));
        assert_eq!(closest_within("BUCKET", candidates, |_| 2), Some("Bucket"));
        assert_eq!(closest_within("Function", candidates, |_| 2), None);
        // Ties go to the earlier candidate, whatever its length.
        assert_eq!(
            closest_within("ab", ["abcd", "abc", "a"], |_| 2),
            Some("abc")
        );
        assert_eq!(closest_within("ab", ["abcd", "a", "abc"], |_| 2), Some("a"));
    }

    #[test]
    fn work_is_bounded_however_many_queries_and_candidates() {
        let names: Vec<String> = (0..10_000).map(|i| format!("Resource{i:05}")).collect();
        let suggester = Suggester::new(names.iter().map(String::as_str));
        let mut found = 0;
        for i in 0..10_000 {
            if suggester
                .closest(&format!("Missing{i:05}"), |l| 2.max(l / 4))
                .is_some()
            {
                found += 1;
            }
        }
        // The cell budget runs out long before 10^8 comparisons.
        assert!(suggester.cells_left.get() == 0);
        assert!(found < 10_000);
    }

    #[test]
    fn sole_within_gives_the_only_candidate_in_reach() {
        let types = [
            "Canary10Percent5Minutes",
            "Canary10Percent10Minutes",
            "AllAtOnce",
        ];
        assert_eq!(
            sole_within("Canary10Percent5Minute", types, 1),
            Some("Canary10Percent5Minutes")
        );
        // Both canaries are three edits away: a guess, not a fix.
        assert_eq!(sole_within("Canary10Percent5Minute", types, 3), None);
        assert_eq!(sole_within("allatonce", types, 1), None);
    }
}
