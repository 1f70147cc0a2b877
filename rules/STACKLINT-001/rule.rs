//! ## What it finds
//! A suppression that suppresses nothing: a `# stacklint-ignore CODE -- reason` comment
//! with no `CODE` finding on the line it covers, a `Metadata: {stacklint: {ignore:
//! [CODE]}}` entry with no `CODE` finding in its template or resource, a code no rule
//! has, or a comment that names no code. Reported only with
//! `--report-unused-suppressions` (or `report-unused-suppressions: true` in
//! `.stacklint.yaml`). A suppression of a rule that does not run on the file
//! (deselected, ignored for its path, or `off`) is not reported.
//!
//! ## Why it matters
//! A suppression outlives the finding it was written for: after the template is fixed,
//! it stays, and silently hides the next real problem of that kind at that place.
//! `Metadata` is free-form in CloudFormation (a resource's `Metadata` attribute
//! "associates structured data with a resource"), so a misspelt code is never
//! rejected by AWS either.
//!
//! This is stacklint's own check, not an AWS fact: it is not in the catalog of AWS
//! rules.

use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "STACKLINT-001",
    name: "unused-suppression",
    severity: Severity::Warning,
    kinds: &[],
    summary: "A suppression comment or Metadata entry suppresses no finding.",
    source:
        "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-metadata.html",
};

/// Reported after the other rules (see `src/suppress.rs`), not by a check.
pub struct Rule;

impl Check for Rule {}
