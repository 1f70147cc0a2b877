//! Every rule, found by `build.rs` in the folders under `rules/`.

use crate::rule::{RegisteredRule, RuleMeta};

include!(concat!(env!("OUT_DIR"), "/registry.rs"));

/// The rule with this code, case-insensitively.
pub fn find(code: &str) -> Option<&'static RegisteredRule> {
    RULES
        .iter()
        .find(|rule| rule.meta.code.eq_ignore_ascii_case(code))
}

/// The metadata of a rule stacklint's own pipeline reports (the loader's PARSE-*, the
/// suppressions' STACKLINT-001), by its code constant.
///
/// # Panics
/// When no rule folder has that code: a build without `rules/PARSE-001/` is broken,
/// which the test below catches.
pub fn builtin(code: &str) -> &'static RuleMeta {
    match RULES.iter().find(|rule| rule.meta.code == code) {
        Some(rule) => rule.meta,
        None => panic!("no rule folder has the built-in code {code}"),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_builtin_code_has_a_rule() {
        for code in [
            crate::lint::SYNTAX_ERROR,
            crate::lint::DUPLICATE_KEY,
            crate::lint::UNSUPPORTED_CONTENT,
            crate::suppress::UNUSED_SUPPRESSION,
        ] {
            assert_eq!(super::builtin(code).code, code);
        }
    }
}
