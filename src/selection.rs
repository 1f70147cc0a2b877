//! `--select` and `--ignore`: which rules run.

/// Rule codes or prefixes (`S3`, `ELB-005`) to run and to skip; ignore wins.
#[derive(Clone, Debug, Default)]
pub struct Selection {
    pub select: Vec<String>,
    pub ignore: Vec<String>,
}

impl Selection {
    pub fn includes(&self, code: &str) -> bool {
        let selected = self.select.is_empty() || self.select.iter().any(|p| matches(p, code));
        selected && !self.ignore.iter().any(|p| matches(p, code))
    }
}

/// `pattern` is the whole code, or a prefix ending at a `-` boundary (`S3` matches
/// `S3-001` but not `S3X-001`), or any prefix of the number (`ELB-00`).
pub fn matches(pattern: &str, code: &str) -> bool {
    let pattern = pattern.trim();
    if pattern.eq_ignore_ascii_case("ALL") {
        return true;
    }
    let pattern = pattern.to_ascii_uppercase();
    match code.strip_prefix(pattern.as_str()) {
        Some("") => true,
        Some(rest) => pattern.contains('-') || rest.starts_with('-'),
        None => false,
    }
}

/// Whether `pattern` (a code, a prefix or `ALL`) names at least one rule.
pub fn names_a_rule(pattern: &str) -> bool {
    crate::registry::RULES
        .iter()
        .any(|rule| matches(pattern, rule.meta.code))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sel(select: &[&str], ignore: &[&str]) -> Selection {
        Selection {
            select: select.iter().map(|s| s.to_string()).collect(),
            ignore: ignore.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn prefixes_stop_at_the_dash() {
        assert!(sel(&["S3"], &[]).includes("S3-001"));
        assert!(!sel(&["S3"], &[]).includes("SQS-001"));
        assert!(sel(&["ELB-00"], &[]).includes("ELB-005"));
        assert!(sel(&["elb-005"], &[]).includes("ELB-005"));
    }

    #[test]
    fn ignore_wins_over_select() {
        let s = sel(&["ELB"], &["ELB-005"]);
        assert!(s.includes("ELB-001"));
        assert!(!s.includes("ELB-005"));
        assert!(sel(&[], &[]).includes("ANY-001"));
    }
}
