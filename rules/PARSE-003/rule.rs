//! ## What it finds
//! Input stacklint refuses to read, because reading it would be unsafe or meaningless:
//! - bytes that are not UTF-8 text (invalid UTF-8, UTF-16, a NUL byte: binary content);
//! - a YAML document whose aliases (`*name`) expand to more than a million nodes (an
//!   "alias bomb" such as the "billion laughs" pattern);
//! - nesting deeper than 512 levels of mappings and sequences;
//! - a second YAML document after `---`. This one is not fatal: the first document is
//!   still linted, and the finding points at the second document's `---`.
//!
//! ## Why it matters
//! CloudFormation reads templates as UTF-8 text; a file in another encoding or a binary
//! file committed by mistake will not deploy. A small YAML file whose aliases expand
//! exponentially can exhaust the memory of every tool that loads it, and absurdly deep
//! nesting overflows recursive parsers. No real template needs either, so stacklint
//! stops on them, reports where, and runs no other rule on the file.
//!
//! A template, AppSpec or configuration file is one document: YAML loaders that expect
//! a single document refuse a second one, and those that read the first (the CodeDeploy
//! agent's) silently ignore everything after the `---` — settings that look deployed
//! but are not. A trailing `---` with nothing after it is accepted.

use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "PARSE-003",
    name: "unsupported-content",
    severity: Severity::Error,
    kinds: &[],
    summary: "The file is not UTF-8 text, or its aliases or nesting exceed the limits.",
    source: "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-formats.html",
};

/// Reported by the loader (see `src/lint.rs`), not by a check.
pub struct Rule;

impl Check for Rule {}
