//! ## What it finds
//! A mapping (in YAML or JSON) that repeats a key: two `Properties` on one resource, two
//! resources with the same logical id, the same parameter declared twice, ... The
//! finding underlines the second occurrence and labels the first.
//!
//! ## Why it matters
//! YAML 1.2 requires the keys of a mapping to be unique, and the JSON specification says
//! names "SHOULD be unique". The parsers CloudFormation and most tools use do not
//! refuse a repeated key: they silently keep the last value and drop the first. Whatever
//! was written under the first key is lost without a word — a whole resource, a
//! `DeletionPolicy`, or half of a policy document. Remove or merge one of them.
//!
//! The rest of the file is still linted (with the last value, as CloudFormation reads
//! it).

use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "PARSE-002",
    name: "duplicate-key",
    severity: Severity::Error,
    kinds: &[],
    summary: "A mapping repeats a key.",
    source: "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-formats.html",
};

/// Reported by the loader (see `src/lint.rs`), not by a check.
pub struct Rule;

impl Check for Rule {}
