//! ## What it finds
//! A file that is not valid YAML or JSON. The finding points at the fault and, when a
//! bracket was left open, also at where it opened.
//!
//! ## Why it matters
//! CloudFormation rejects a template it cannot parse before doing anything else, and
//! CodeDeploy and Elastic Beanstalk fail the deployment. No other rule can look at a
//! file that does not parse, so this finding hides nothing: fix it first.
//!
//! JSON is read strictly (no comments, trailing commas or single quotes), as
//! CloudFormation reads it.

use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "PARSE-001",
    name: "syntax-error",
    severity: Severity::Error,
    kinds: &[],
    summary: "The file is not valid YAML or JSON.",
    source: "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-formats.html",
};

/// Reported by the loader (see `src/lint.rs`), not by a check.
pub struct Rule;

impl Check for Rule {}
