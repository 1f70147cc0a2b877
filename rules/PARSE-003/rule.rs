//! ## What it finds
//! Input stacklint refuses to read, because reading it would be unsafe or meaningless:
//! - bytes that are not UTF-8 text (invalid UTF-8, UTF-16, a NUL byte: binary content);
//! - a YAML document whose aliases (`*name`) expand to more than a million nodes (an
//!   "alias bomb" such as the "billion laughs" pattern);
//! - nesting deeper than 512 levels of mappings and sequences;
//! - a second YAML document after `---`. This one is not fatal: the first document is
//!   still linted, and the finding points at the second document's `---`;
//! - in a CloudFormation or SAM template, a YAML merge key (`<<: *defaults`) or an
//!   alias (`*protocol`), as a warning at the key or the alias (an alias's anchor is
//!   its secondary label). Not fatal either: the template is linted as merged and
//!   expanded.
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
//!
//! CloudFormation's template-formats page says: "AWS CloudFormation supports the YAML
//! Version 1.1 specification with a few exceptions. AWS CloudFormation doesn't support
//! the following features: The binary, omap, pairs, set, and timestamp tags; Aliases;
//! Hash merges". CloudFormation refuses such a template ("Template error: YAML aliases
//! are not allowed in CloudFormation templates"); it deploys only through a step that
//! resolves aliases and merge keys first, such as `aws cloudformation package` or SAM
//! (which write the expanded template). Hence a warning, and the expanded template is
//! what the other rules see: a finding inside an alias's copy is reported at the alias,
//! and the keys a mapping sets itself win over merged ones, as in YAML 1.1. AppSpec
//! files are read by the CodeDeploy agent's Ruby YAML, which applies aliases and merge
//! keys: they are expanded there with no finding. `.stacklint.yaml` expands them too.

use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "PARSE-003",
    name: "unsupported-content",
    severity: Severity::Error,
    kinds: &[],
    summary: "The file is not UTF-8 text, its aliases or nesting exceed the limits, or a template uses a YAML merge key or alias.",
    source: "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-formats.html",
};

/// Reported by the loader (see `src/lint.rs`), not by a check.
pub struct Rule;

impl Check for Rule {}
