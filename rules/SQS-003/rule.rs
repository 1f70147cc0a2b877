//! ## What it finds
//! An `AWS::SQS::Queue` whose `RedrivePolicy.deadLetterTargetArn` names a dead-letter
//! queue of the other type: a FIFO queue redriving to a standard queue, or a standard
//! queue redriving to a FIFO queue. The target is either a queue of the template
//! (`!GetAtt Dlq.Arn`, `!Sub ${Dlq.Arn}`), whose type is its `FifoQueue`, or a literal
//! ARN (FIFO exactly when the name ends in `.fifo`).
//!
//! ## Why it matters
//! The SQS developer guide on dead-letter queues: "The queue type must match the source
//! queue type — a FIFO queue can only use a FIFO DLQ, and a standard queue can only use
//! a standard DLQ." SQS rejects the redrive policy and the stack fails.
//!
//! `FifoQueue` values the template cannot resolve to one value, ARNs built with
//! parameters or imports, and `RedrivePolicy` written with other intrinsics keep the
//! rule silent.

use crate::model::embedded_json::json_value;
use crate::model::sqs::queue_is_fifo;
use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "SQS-003",
    name: "dlq-type-mismatch",
    severity: Severity::Error,
    kinds: &[FileKind::Template],
    summary: "A FIFO queue's dead-letter queue is standard, or the reverse.",
    source: "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html",
};

pub struct Rule;

fn kind(fifo: bool) -> &'static str {
    if fifo {
        "FIFO"
    } else {
        "standard"
    }
}

fn arn_is_fifo(text: &str) -> Option<bool> {
    let name = text.rsplit(':').next()?;
    if !text.starts_with("arn:") || name.is_empty() || name.contains('$') {
        return None;
    }
    Some(name.ends_with(".fifo"))
}

impl Check for Rule {
    fn template(&self, template: &Template, report: &mut Report) {
        for queue in template.resources_of_type("AWS::SQS::Queue") {
            let Some(policy) = queue.own_prop("RedrivePolicy") else {
                continue;
            };
            let Some(source_fifo) = queue_is_fifo(template, queue) else {
                continue;
            };
            // (target is FIFO, span, description, target resource anchor)
            let target: Option<(bool, Span, String, Option<Span>)> = if policy.as_str().is_some() {
                json_value(policy)
                    .and_then(|json| {
                        json.node()
                            .get("deadLetterTargetArn")?
                            .as_str()
                            .map(str::to_string)
                    })
                    .and_then(|arn| {
                        Some((arn_is_fifo(&arn)?, policy.span(), format!("`{arn}`"), None))
                    })
            } else if let Some(node) = policy.get("deadLetterTargetArn") {
                if let Some(text) = node.as_str() {
                    arn_is_fifo(text).map(|f| (f, node.span(), format!("`{text}`"), None))
                } else {
                    template
                        .referenced_resource(node)
                        .filter(|r| r.type_name == "AWS::SQS::Queue")
                        .and_then(|r| {
                            Some((
                                queue_is_fifo(template, r)?,
                                node.span(),
                                format!("queue `{}`", r.id),
                                Some(r.anchor()),
                            ))
                        })
                }
            } else {
                None
            };
            let Some((target_fifo, span, description, anchor)) = target else {
                continue;
            };
            if target_fifo == source_fifo {
                continue;
            }
            let finding = report.add(
                span,
                format!(
                    "{} queue `{}` uses {description}, a {} queue, as its dead-letter queue",
                    kind(source_fifo),
                    queue.id,
                    kind(target_fifo)
                ),
            );
            finding
                .label(format!("a {} dead-letter queue", kind(target_fifo)))
                .also(queue.anchor(), format!("a {} queue", kind(source_fifo)))
                .help(format!(
                    "point `deadLetterTargetArn` at a {} queue",
                    kind(source_fifo)
                ));
            if let Some(anchor) = anchor {
                finding.also(
                    anchor,
                    format!("the dead-letter queue is {}", kind(target_fifo)),
                );
            }
        }
    }
}
