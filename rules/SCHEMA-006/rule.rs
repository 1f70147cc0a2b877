//! ## What it finds
//! A value outside the bounds the resource type's schema sets for a property:
//! - a number below `minimum` or above `maximum` (`"30"` counts as 30);
//! - a string shorter than `minLength` or longer than `maxLength` (in characters);
//! - a list with fewer items than `minItems` or more than `maxItems`;
//! - a repeated item in a list whose items must be unique (`uniqueItems`).
//!
//! Values are the literal ones, both branches of `Fn::If`, and through `Ref` to a
//! parameter its `Default` and `AllowedValues` (reported at the parameter's value, with
//! the `Ref` as a secondary place). A list item that `AWS::NoValue` may remove makes the
//! list's size undecided for the lower bound. An empty parameter value is not judged
//! against a minimum length: it is a placeholder the deployer fills in, or a value a
//! condition (`!Equals [!Ref P, ""]`) keeps away from the property. Other intrinsic functions, custom
//! resources, modules, third-party types and templates with macros other than SAM and
//! `AWS::LanguageExtensions` are not judged.
//!
//! Where a hand-written rule already checks the same bound with a more specific message
//! (SQS-002's queue attributes, LAM-004's `Timeout` and `MemorySize`, LAM-003's
//! invocation retries, AGW-003's cache TTL), this rule leaves the property to it: one
//! finding, not two.
//!
//! ## Why it matters
//! CloudFormation validates `Properties` against the type's resource schema, or the
//! service rejects the value, and the stack operation fails, often after other
//! resources were created and must be rolled back. AWS's schemas also carry bounds from
//! service API models that are adjustable quotas rather than limits; those that show up
//! are corrected in `src/schema/patches.json`.

use crate::prelude::*;
use crate::schema::walk::{parameter_use_label, Judging, Object};
use crate::schema::{self, SchemaNode};

pub const META: RuleMeta = RuleMeta {
    code: "SCHEMA-006",
    name: "value-out-of-range",
    severity: Severity::Error,
    kinds: &[FileKind::Template],
    summary:
        "A number, string length or list size is outside the bounds of the resource type's schema.",
    source:
        "https://docs.aws.amazon.com/cloudformation-cli/latest/userguide/resource-type-schema.html",
};

pub struct Rule;

/// (types, property names) whose bounds a specific rule checks.
const COVERED: &[(&[&str], &[&str])] = &[
    (
        &["AWS::SQS::Queue"],
        &[
            "VisibilityTimeout",
            "MessageRetentionPeriod",
            "DelaySeconds",
            "ReceiveMessageWaitTimeSeconds",
            "MaximumMessageSize",
            "KmsDataKeyReusePeriodSeconds",
        ],
    ),
    (
        &["AWS::Lambda::Function", "AWS::Serverless::Function"],
        &[
            "Timeout",
            "MemorySize",
            "MaximumRetryAttempts",
            "MaximumEventAgeInSeconds",
        ],
    ),
    (
        &["AWS::Lambda::EventInvokeConfig"],
        &["MaximumRetryAttempts", "MaximumEventAgeInSeconds"],
    ),
    (
        &[
            "AWS::ApiGateway::Stage",
            "AWS::ApiGateway::Deployment",
            "AWS::Serverless::Api",
        ],
        &["CacheTtlInSeconds"],
    ),
];

fn covered(type_name: &str, property: &str) -> bool {
    COVERED
        .iter()
        .any(|(types, names)| types.contains(&type_name) && names.contains(&property))
}

fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

fn add<'a>(
    judging: &mut Judging<'_, 'a>,
    report: &mut Report,
    at: Span,
    usage: Option<(Span, &str)>,
    message: String,
    label: String,
    help: String,
) {
    if !judging.first_time(at) {
        return;
    }
    let finding = report.add(at, format!("{message} {}", judging.whose()));
    finding.label(label).help(help);
    if let Some((usage, property)) = usage {
        finding.also(usage, parameter_use_label(property));
    }
}

fn check<'a>(
    judging: &mut Judging<'_, 'a>,
    node: &'a Node,
    schema: SchemaNode,
    name: &str,
    report: &mut Report,
) {
    if !schema.has_bounds() {
        return;
    }
    let Some(candidates) = judging.template.candidates(node) else {
        return;
    };
    for candidate in candidates {
        let usage = match candidate.origin {
            Origin::Parameter(_) => Some((node.span(), name)),
            Origin::Literal => None,
        };
        let value = candidate.node;
        let at = value.span();
        if let Some(items) = value.as_seq() {
            check_list(judging, report, at, items, schema, name);
        } else if value.as_map().is_none() {
            check_scalar(judging, report, value, usage, schema, name);
        }
    }
}

fn check_scalar<'a>(
    judging: &mut Judging<'_, 'a>,
    report: &mut Report,
    value: &Node,
    usage: Option<(Span, &str)>,
    schema: SchemaNode,
    name: &str,
) {
    let Some(text) = value.as_str() else {
        return;
    };
    let numeric = schema.allows_type(schema::JsonType::Integer)
        || schema.allows_type(schema::JsonType::Number);
    if numeric {
        if let Some(n) = value.as_f64() {
            let (min, max) = (schema.minimum(), schema.maximum());
            // Worded only for a value out of range (most values are in it).
            let bounds = || match (min, max) {
                (Some(a), Some(b)) => {
                    format!("between {} and {}", number_text(a), number_text(b))
                }
                (Some(a), None) => format!("at least {}", number_text(a)),
                (None, Some(b)) => format!("at most {}", number_text(b)),
                (None, None) => String::new(),
            };
            if let Some(min) = min.filter(|m| n < *m) {
                add(
                    judging,
                    report,
                    value.span(),
                    usage,
                    format!("`{name}` is {text}, below the minimum {}", number_text(min)),
                    format!("less than {}", number_text(min)),
                    format!("use a value {}", bounds()),
                );
            } else if let Some(max) = max.filter(|m| n > *m) {
                add(
                    judging,
                    report,
                    value.span(),
                    usage,
                    format!("`{name}` is {text}, above the maximum {}", number_text(max)),
                    format!("more than {}", number_text(max)),
                    format!("use a value {}", bounds()),
                );
            }
            return;
        }
    }
    let length = text.chars().count();
    // An empty parameter value is a placeholder the deployer fills in, or a value
    // a condition (`!Equals [!Ref P, ""]`) keeps away from the property.
    if length == 0 && usage.is_some() {
        return;
    }
    if let Some(min) = schema.min_length().filter(|m| length < *m as usize) {
        add(
            judging,
            report,
            value.span(),
            usage,
            format!("`{name}` is {length} characters long, shorter than the minimum {min}"),
            format!("fewer than {min} characters"),
            format!("`{name}` takes at least {min} characters"),
        );
    } else if let Some(max) = schema.max_length().filter(|m| length > *m as usize) {
        add(
            judging,
            report,
            value.span(),
            usage,
            format!("`{name}` is {length} characters long, longer than the maximum {max}"),
            format!("more than {max} characters"),
            format!("`{name}` takes at most {max} characters"),
        );
    }
}

fn check_list<'a>(
    judging: &mut Judging<'_, 'a>,
    report: &mut Report,
    at: Span,
    items: &[Node],
    schema: SchemaNode,
    name: &str,
) {
    let count = items.len();
    let may_shrink = items.iter().any(|i| judging.template.may_be_absent(i));
    if let Some(min) = schema
        .min_items()
        .filter(|m| count < *m as usize && !may_shrink)
    {
        add(
            judging,
            report,
            at,
            None,
            format!("`{name}` has {count} items, fewer than the minimum {min}"),
            format!("fewer than {min} items"),
            format!("give `{name}` at least {min} items"),
        );
    } else if let Some(max) = schema.max_items().filter(|m| {
        let certain = items
            .iter()
            .filter(|i| !judging.template.may_be_absent(i))
            .count();
        certain > *m as usize
    }) {
        add(
            judging,
            report,
            at,
            None,
            format!("`{name}` has {count} items, more than the maximum {max}"),
            format!("more than {max} items"),
            format!("give `{name}` at most {max} items"),
        );
    }
    if schema.unique_items() {
        let mut seen: Vec<&str> = Vec::new();
        for item in items {
            let Some(text) = item.as_str() else {
                continue;
            };
            if seen.contains(&text) {
                add(
                    judging,
                    report,
                    item.span(),
                    None,
                    format!("`{text}` appears twice in `{name}`, whose items must be unique"),
                    "repeated".to_string(),
                    "remove the repeated item".to_string(),
                );
            } else {
                seen.push(text);
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
    for (entry, property) in object.entries_with_schema() {
        let name = entry.key.text.as_str();
        if covered(judging.resource.type_name, name) {
            continue;
        }
        check(judging, &entry.value, property, name, report);
        if let (Some(items), Some(list)) = (property.items(), entry.value.as_seq()) {
            for item in list.iter().filter(|i| i.as_map().is_none()) {
                check(judging, item, items, name, report);
            }
        }
    }
}
