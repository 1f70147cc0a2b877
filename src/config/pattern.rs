//! Path patterns of `exclude` and `per-path-ignores`, gitignore-style: a pattern with a
//! `/` matches the path relative to the configuration's folder; one without matches a
//! file or folder name at any depth. `*` stays within a folder, `**` crosses folders,
//! and a pattern that matches a folder matches everything below it.

use std::path::Path;

use glob::{MatchOptions, Pattern, PatternError};

#[derive(Clone, Debug)]
pub struct PathPattern {
    /// As written in the configuration.
    pub text: String,
    pattern: Pattern,
    /// No `/` in the pattern: match names at any depth.
    by_name: bool,
}

const OPTIONS: MatchOptions = MatchOptions {
    case_sensitive: true,
    require_literal_separator: true,
    require_literal_leading_dot: false,
};

impl PathPattern {
    pub fn new(text: &str) -> Result<PathPattern, PatternError> {
        let trimmed = text.trim_start_matches("./").trim_end_matches('/');
        let by_name = !trimmed.contains('/');
        let trimmed = trimmed.trim_start_matches('/');
        Ok(PathPattern {
            text: text.to_string(),
            pattern: Pattern::new(trimmed)?,
            by_name,
        })
    }

    /// Whether `relative` (a path relative to the configuration's folder), or a folder
    /// it lies in, matches.
    pub fn matches(&self, relative: &Path) -> bool {
        relative
            .ancestors()
            .filter(|p| !p.as_os_str().is_empty())
            .any(|path| {
                if self.by_name {
                    path.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|name| self.pattern.matches_with(name, OPTIONS))
                } else {
                    let text = path.to_string_lossy().replace('\\', "/");
                    self.pattern.matches_with(&text, OPTIONS)
                }
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(pattern: &str, path: &str) -> bool {
        PathPattern::new(pattern)
            .map(|p| p.matches(Path::new(path)))
            .unwrap_or(false)
    }

    #[test]
    fn patterns_with_a_slash_are_anchored_at_the_config_folder() {
        assert!(matches("legacy/**", "legacy/a/b.yaml"));
        assert!(matches("legacy/*.yaml", "legacy/b.yaml"));
        assert!(!matches("legacy/*.yaml", "legacy/a/b.yaml"));
        assert!(!matches("legacy/**", "new/legacy/b.yaml"));
        assert!(matches("/legacy", "legacy/b.yaml"));
    }

    #[test]
    fn patterns_without_a_slash_match_names_at_any_depth() {
        assert!(matches("*.json", "a/b/c.json"));
        assert!(matches("vendor", "a/vendor/c.yaml"));
        assert!(!matches("vendor", "a/vendors/c.yaml"));
    }
}
