//! ## What it finds
//! A string value that does not match the `pattern` the resource type's schema sets for
//! the property: a security group ID that does not start with `sg-`, a name with
//! characters the service refuses. The pattern is shown in the help.
//!
//! Values are the literal ones, both branches of `Fn::If`, list items, and through `Ref`
//! to a parameter its `Default` and `AllowedValues` (reported at the parameter's value,
//! with the `Ref` as a secondary place; an empty parameter value is a placeholder and is
//! not judged). Strings holding a dynamic reference (`{{resolve:...}}`, resolved before
//! validation) or `${...}` (another tool's variable) are not judged. Values that other intrinsic functions compute are not judged. Patterns
//! that Rust's `regex` cannot express (look-around, back-references; counted in
//! `src/schema/data/PROVENANCE.json`) are skipped. The schemas' `format` keyword is not
//! checked: its values (`AWS::EC2::VPC.Id`, `uri`, ...) are names for formats, not
//! definitions, and guessing them would not be certain.
//!
//! This is a warning: AWS's schemas take many patterns from service API models, and
//! some are stricter or older than what the service accepts.
//!
//! ## Why it matters
//! CloudFormation validates `Properties` against the type's resource schema ("does not
//! match pattern"), or the service rejects the value, and the stack operation fails,
//! often after other resources were created and must be rolled back. See the `pattern`
//! keyword of the resource type schema:
//! <https://docs.aws.amazon.com/cloudformation-cli/latest/userguide/resource-type-schema.html>.

use crate::prelude::*;
use crate::schema::walk::{parameter_use_label, Judging, Object};
use crate::schema::SchemaNode;

pub const META: RuleMeta = RuleMeta {
    code: "SCHEMA-007",
    name: "pattern-mismatch",
    severity: Severity::Warning,
    kinds: &[FileKind::Template],
    summary:
        "A string does not match the pattern the resource type's schema sets for the property.",
    source:
        "https://docs.aws.amazon.com/cloudformation-cli/latest/userguide/resource-type-schema.html",
};

pub struct Rule;

fn check<'a>(
    judging: &mut Judging<'_, 'a>,
    node: &'a Node,
    schema: SchemaNode,
    name: &str,
    report: &mut Report,
) {
    let Some(pattern) = schema.pattern() else {
        return;
    };
    let Some(candidates) = judging.template.candidates(node) else {
        return;
    };
    for candidate in candidates {
        let value = candidate.node;
        let Some(text) = value.as_str() else {
            continue;
        };
        let through_parameter = matches!(candidate.origin, Origin::Parameter(_));
        // Dynamic references are resolved before validation; `${...}` outside
        // `Fn::Sub` is another tool's variable (Serverless Framework's `${opt:stage}`).
        // (Both need a `{`: looked for first, as most values have none.)
        let resolved_later = text.contains('{')
            && (text.contains("{{resolve:") || crate::text::holds_placeholder(text));
        // A pattern Rust's regex cannot read (look-around, ...) judges nothing.
        if (text.is_empty() && through_parameter)
            || resolved_later
            || pattern.is_match(text) != Some(false)
        {
            continue;
        }
        if !judging.first_time(value.span()) {
            continue;
        }
        let finding = report.add(
            value.span(),
            format!(
                "`{text}` does not match the pattern of `{name}` {}",
                judging.whose()
            ),
        );
        finding
            .label("does not match")
            .help(format!("`{name}` must match `{}`", pattern.source()));
        if through_parameter {
            finding.also(node.span(), parameter_use_label(name));
        }
    }
}

impl Check for Rule {
    fn walker(&self) -> Option<Box<dyn ResourceWalker>> {
        Judge::boxed(judge)
    }
}

/// Judges one object of a resource's `Properties`.
fn judge<'a>(judging: &mut Judging<'_, 'a>, object: &Object<'a>, report: &mut Report) {
    for (entry, property) in object.entries_with_definite_schema() {
        let name = entry.key.text.as_str();
        check(judging, &entry.value, property, name, report);
        if let (Some(items), Some(list)) = (property.items(), entry.value.as_seq()) {
            for item in list {
                check(judging, item, items, name, report);
            }
        }
    }
}
