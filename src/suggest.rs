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

/// The candidate closest to `name` (ignoring ASCII case) within a bound that grows
/// with the candidate's length (2 edits, or a quarter of its characters), if any; ties
/// go to the first candidate.
pub fn closest<'c>(name: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    let lower = name.to_ascii_lowercase();
    let mut best: Option<(usize, &'c str)> = None;
    for candidate in candidates {
        let distance = edit_distance(&lower, &candidate.to_ascii_lowercase());
        if distance > 2.max(candidate.chars().count() / 4) || distance == 0 && candidate == name {
            continue;
        }
        if best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::{closest, edit_distance};

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
        assert_eq!(closest("Outputs", ["Outputs"]), None);
    }

    #[test]
    fn counts_insertions_deletions_and_substitutions() {
        assert_eq!(edit_distance("AfterInstal", "AfterInstall"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("é", "e"), 1);
    }
}
