//! Every rule, found by `build.rs` in the folders under `rules/`.

use crate::rule::Rule;

include!(concat!(env!("OUT_DIR"), "/registry.rs"));

/// The rule with this code, case-insensitively.
pub fn find(code: &str) -> Option<&'static Rule> {
    RULES
        .iter()
        .find(|rule| rule.meta.code.eq_ignore_ascii_case(code))
}
