//! ## What it finds
//! A value outside the list of values the resource type's schema allows for a property
//! (its `enum`): `Status: Enable` in an S3 bucket's `VersioningConfiguration`,
//! `BillingMode: ON_DEMAND` on a DynamoDB table. Where the schema says the list is
//! case-insensitive, case is ignored. The finding says what was written, not what a YAML
//! 1.1 parser would make of it (`Status: On` is reported as `On`), and names the closest
//! allowed value. A misspelt value written in place with exactly one allowed value
//! within reach (`Status: Enable`) is fixed to it; a number, a `Fn::If` branch or a
//! parameter's value is not (which value was meant is the author's choice).
//!
//! Where the schema offers alternatives told apart by such a value (the `Type` of a SAM
//! function's event: `SQS`, `Schedule`, ...), a value none of them allows is reported
//! too, with the values they allow.
//!
//! Values are the literal ones, both branches of `Fn::If`, and through `Ref` to a
//! parameter its `Default` and `AllowedValues`: such a finding points at the parameter's
//! value, with the `Ref` as a secondary place. Other intrinsic functions, custom
//! resources, modules, third-party types and templates with macros other than SAM and
//! `AWS::LanguageExtensions` are not judged.
//!
//! ## Why it matters
//! CloudFormation validates `Properties` against the type's resource schema, or the
//! service rejects the value, and the stack operation fails ("#/Status: Enable is not a
//! valid enum value"), often after other resources were created and must be rolled back.
//! AWS's schemas also carry enums taken from service API models that a service does not
//! enforce; those that show up are corrected in `src/schema/patches.json`. Case counts
//! where the schema does not say otherwise: SAM passes a schedule event's `State:
//! Enabled` and a function's `RecursiveLoop: TERMINATE` through unchanged (its
//! translator tests do so), and EventBridge (`ENABLED`, `DISABLED`, ...) and Lambda
//! (`Allow`, `Terminate`) accept only the values as listed.

use crate::prelude::*;
use crate::schema::walk::{parameter_use_label, Judging, Object};
use crate::schema::{self, closest, SchemaNode};
use crate::suggest::sole_close_match;

pub const META: RuleMeta = RuleMeta {
    code: "SCHEMA-005",
    name: "value-not-allowed",
    severity: Severity::Error,
    kinds: &[FileKind::Template],
    summary: "A property value is not one of the values the resource type's schema allows.",
    source:
        "https://docs.aws.amazon.com/cloudformation-cli/latest/userguide/resource-type-schema.html",
};

pub struct Rule;

fn allowed(schema: SchemaNode, text: &str) -> bool {
    let number = text.trim().parse::<f64>().ok();
    schema.enum_values().any(|value| {
        value == text
            || (schema.enum_case_insensitive() && value.eq_ignore_ascii_case(text))
            || number.is_some_and(|n| value.parse::<f64>().ok() == Some(n))
    })
}

/// For a number among numbers, the numerically nearest allowed value.
fn nearest_number<'v>(text: &str, values: &[&'v str]) -> Option<&'v str> {
    let n = text.trim().parse::<f64>().ok()?;
    let mut best: Option<(f64, &str)> = None;
    for value in values {
        let v = value.parse::<f64>().ok()?;
        if best.is_none_or(|(d, _)| (v - n).abs() < d) {
            best = Some(((v - n).abs(), value));
        }
    }
    best.map(|(_, v)| v)
}

/// A value that rules out every alternative of the schema (SAM's event `Type`).
fn mismatch(judging: &mut Judging, entry: &Entry, values: &[&str], report: &mut Report) {
    let Some(text) = entry.value.as_str() else {
        return;
    };
    if !judging.first_time(entry.value.span()) {
        return;
    }
    let name = &entry.key.text;
    let finding = report.add(
        entry.value.span(),
        format!(
            "`{text}` is not an allowed value of `{name}` {}",
            judging.whose()
        ),
    );
    finding.label("not allowed");
    match closest(text, values.iter().copied()) {
        Some(similar) => finding.help(format!("did you mean `{similar}`?")),
        None => finding.help(format!("allowed: {}", schema::listing(values))),
    };
}

fn check(judging: &mut Judging, node: &Node, schema: SchemaNode, name: &str, report: &mut Report) {
    if !schema.has_enum() {
        return;
    }
    let Some(values) = judging.template.strings(node) else {
        return;
    };
    for (text, candidate) in values {
        if allowed(schema, text) {
            continue;
        }
        let span = candidate.node.span();
        if !judging.first_time(span) {
            continue;
        }
        let finding = report.add(
            span,
            format!(
                "`{text}` is not an allowed value of `{name}` {}",
                judging.whose()
            ),
        );
        finding.label("not allowed");
        if let Origin::Parameter(_) = candidate.origin {
            finding.also(node.span(), parameter_use_label(name));
        }
        let values: Vec<&str> = schema.enum_values().collect();
        let number = nearest_number(text, &values);
        match number.or_else(|| closest(text, values.iter().copied())) {
            Some(similar) => {
                finding.help(format!("did you mean `{similar}`?"));
                // A misspelt word written in place, with one allowed value within
                // reach, has one right edit. A number's nearest value, a `Fn::If`
                // branch or a parameter's value is the author's choice.
                let in_place = candidate.origin == Origin::Literal && span == node.span();
                let sole = sole_close_match(text, values.iter().copied());
                if let (true, None, Some(sole)) = (in_place, number, sole) {
                    finding.fix_scalar(node, sole, format!("set {name} to {sole}"));
                }
            }
            None => {
                finding.help(format!("allowed: {}", schema::listing(&values)));
            }
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
    if let Some((entry, values)) = object.mismatch() {
        mismatch(judging, entry, values, report);
    }
    for (entry, property) in object.entries_with_schema() {
        let name = entry.key.text.as_str();
        if entry.value.as_seq().is_some() {
            if let Some(items) = property.items() {
                for item in entry.value.iter_seq() {
                    check(judging, item, items, name, report);
                }
            }
        } else {
            check(judging, &entry.value, property, name, report);
        }
    }
}
