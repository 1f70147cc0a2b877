//! ## What it finds
//! An `AWS::SQS::Queue` attribute outside its documented range:
//!
//! | property | range |
//! |---|---|
//! | `VisibilityTimeout` | 0 – 43,200 s (12 hours) |
//! | `MessageRetentionPeriod` | 60 – 1,209,600 s (14 days) |
//! | `DelaySeconds` | 0 – 900 s (15 minutes) |
//! | `ReceiveMessageWaitTimeSeconds` | 0 – 20 s |
//! | `MaximumMessageSize` | 1,024 – 1,048,576 bytes (1 MiB) |
//! | `KmsDataKeyReusePeriodSeconds` | 60 – 86,400 s (24 hours) |
//! | `RedrivePolicy.maxReceiveCount` | 1 – 1,000 |
//!
//! ## Why it matters
//! SQS validates these attributes (`SetQueueAttributes` / `CreateQueue` reference and
//! the message quotas page) and rejects the queue, so the stack fails. The catalog
//! lists a 256 KiB (262,144 bytes) maximum message size; SQS raised the limit to 1 MiB
//! in 2025, and this rule follows the current documentation.
//!
//! Values given through parameters are judged by their `Default` and `AllowedValues`,
//! and both branches of `Fn::If` are considered; `maxReceiveCount` is also read from a
//! `RedrivePolicy` written as a JSON string.

use crate::model::embedded_json::json_value;
use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "SQS-002",
    name: "attribute-out-of-range",
    severity: Severity::Error,
    kinds: &[FileKind::Template],
    summary: "An SQS queue attribute is outside its documented range.",
    source: "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html",
};

pub struct Rule;

const RANGES: &[(&str, i64, i64, &str)] = &[
    ("VisibilityTimeout", 0, 43_200, "s"),
    ("MessageRetentionPeriod", 60, 1_209_600, "s"),
    ("DelaySeconds", 0, 900, "s"),
    ("ReceiveMessageWaitTimeSeconds", 0, 20, "s"),
    ("MaximumMessageSize", 1_024, 1_048_576, "bytes"),
    ("KmsDataKeyReusePeriodSeconds", 60, 86_400, "s"),
];

fn out_of_range(
    report: &mut Report,
    queue: &str,
    name: &str,
    value: i64,
    range: (i64, i64, &str),
    span: Span,
    param: Option<Span>,
) {
    let (min, max, unit) = range;
    let finding = report.add(
        span,
        format!("{name} {value} {unit} of queue `{queue}` is outside {min}–{max} {unit}"),
    );
    finding
        .label(if value > max {
            format!("more than {max}")
        } else {
            format!("less than {min}")
        })
        .help(format!("set `{name}` between {min} and {max}"));
    if let Some(param) = param {
        finding.also(param, format!("the parameter allows {value}"));
    }
}

/// Reports the first value `node` may take (itself, a parameter's, an `Fn::If`
/// branch's) outside `range`.
fn check_written(
    template: &Template,
    report: &mut Report,
    queue: &str,
    node: &Node,
    name: &str,
    range: (i64, i64, &str),
) {
    let (min, max, _) = range;
    let Some(values) = template.integers(node) else {
        return;
    };
    if let Some((value, candidate)) = values.iter().find(|(v, _)| *v < min || *v > max) {
        out_of_range(
            report,
            queue,
            name,
            *value,
            range,
            candidate.span_at(node),
            candidate.origin.parameter(),
        );
    }
}

impl Check for Rule {
    fn template(&self, template: &Template, report: &mut Report) {
        for queue in template.resources_of_type("AWS::SQS::Queue") {
            for &(name, min, max, unit) in RANGES {
                let Some(node) = queue.own_prop(name) else {
                    continue;
                };
                check_written(template, report, queue.id, node, name, (min, max, unit));
            }
            let Some(policy) = queue.own_prop("RedrivePolicy") else {
                continue;
            };
            let range = (1, 1_000, "receives");
            if policy.as_str().is_some() {
                let Some(json) = json_value(policy) else {
                    continue;
                };
                let count = json.node().get("maxReceiveCount").and_then(Node::as_i64);
                if let Some(value) = count.filter(|v| *v < 1 || *v > 1_000) {
                    out_of_range(
                        report,
                        queue.id,
                        "maxReceiveCount",
                        value,
                        range,
                        policy.span(),
                        None,
                    );
                }
            } else if let Some(node) = policy.get("maxReceiveCount") {
                check_written(template, report, queue.id, node, "maxReceiveCount", range);
            }
        }
    }
}
