//! ## What it finds
//! An asynchronous invocation destination or dead-letter queue that Lambda cannot
//! deliver to:
//! - an `OnSuccess`/`OnFailure` `Destination` (on an `AWS::Lambda::EventInvokeConfig`
//!   or a SAM function's `EventInvokeConfig`, `Globals` included) that is not a
//!   standard SQS queue, a standard SNS topic, a Lambda function, an EventBridge event
//!   bus, or — for `OnFailure` only — an S3 bucket;
//! - a SAM destination `Type` other than `SQS`, `SNS`, `Lambda`, `EventBridge` and —
//!   under `OnFailure` only — `S3Bucket`;
//! - a dead-letter queue (`DeadLetterConfig.TargetArn`, SAM `DeadLetterQueue`) that is
//!   not a standard SQS queue or SNS topic;
//! - a FIFO queue or topic, and a `Ref` to an SQS queue (which returns the queue URL,
//!   not its ARN).
//!
//! ## Why it matters
//! Lambda sends asynchronous invocation records only to standard SQS queues, standard
//! SNS topics, Lambda functions, EventBridge event buses and (for failures) S3
//! buckets; FIFO queues and topics are not supported. A destination of another kind
//! is rejected by CloudFormation or, for FIFO targets, fails at delivery time, and the
//! records the destination was meant to keep are lost. Destinations outside the
//! template are judged by the service in their literal ARN; other references keep the
//! rule silent.
//!
//! The SAM translator accepts the destination types `SQS`, `SNS`, `EventBridge`,
//! `Lambda` and `S3Bucket` (its `_validate_and_inject_resource`); some SAM
//! documentation spells the last one `S3`, so `S3` is not reported either.

use crate::model::sqs;
use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "LAM-002",
    name: "invalid-destination",
    severity: Severity::Error,
    kinds: &[FileKind::Template],
    summary: "An asynchronous invocation destination or dead-letter queue is of a kind Lambda cannot deliver to.",
    source: "https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html",
};

pub struct Rule;

#[derive(Clone, Copy, PartialEq)]
enum Slot {
    OnSuccess,
    OnFailure,
    DeadLetter,
}

impl Slot {
    fn name(self) -> &'static str {
        match self {
            Slot::OnSuccess => "OnSuccess destination",
            Slot::OnFailure => "OnFailure destination",
            Slot::DeadLetter => "dead-letter queue",
        }
    }

    fn allows(self, service: &str) -> bool {
        match self {
            Slot::OnSuccess => matches!(service, "sqs" | "sns" | "lambda" | "events"),
            Slot::OnFailure => matches!(service, "sqs" | "sns" | "lambda" | "events" | "s3"),
            Slot::DeadLetter => matches!(service, "sqs" | "sns"),
        }
    }

    fn expected(self) -> &'static str {
        match self {
            Slot::OnSuccess => "a standard SQS queue, a standard SNS topic, a Lambda function or an EventBridge event bus",
            Slot::OnFailure => "a standard SQS queue, a standard SNS topic, a Lambda function, an EventBridge event bus or an S3 bucket",
            Slot::DeadLetter => "a standard SQS queue or SNS topic",
        }
    }
}

/// The service a resource type stands for as a destination, if it can be one at all.
fn service_of(type_name: &str) -> Option<&'static str> {
    Some(match type_name {
        "AWS::SQS::Queue" => "sqs",
        "AWS::SNS::Topic" => "sns",
        "AWS::Lambda::Function"
        | "AWS::Serverless::Function"
        | "AWS::Lambda::Alias"
        | "AWS::Lambda::Version" => "lambda",
        "AWS::Events::EventBus" => "events",
        "AWS::S3::Bucket" => "s3",
        _ => return None,
    })
}

fn topic_is_fifo(template: &Template, topic: &Resource) -> Option<bool> {
    if let Some(name) = topic.own_prop("TopicName").and_then(|n| template.string(n)) {
        if name.ends_with(".fifo") {
            return Some(true);
        }
    }
    match topic.own_prop("FifoTopic") {
        None => Some(false),
        Some(node) => template.boolean(node),
    }
}

fn check_destination(
    template: &Template,
    report: &mut Report,
    owner: &str,
    slot: Slot,
    node: &Node,
) {
    let problem = if let Some(resource) = template.referenced_resource(node) {
        match service_of(resource.type_name) {
            None if resource.type_name.starts_with("AWS::") => format!(
                "{} of {owner} is `{}` ({})",
                slot.name(),
                resource.id,
                resource.type_name
            ),
            None => return,
            Some(service) if !slot.allows(service) => format!(
                "{} of {owner} is `{}` ({})",
                slot.name(),
                resource.id,
                resource.type_name
            ),
            Some("sqs") if matches!(Intrinsic::of(node), Some(Intrinsic::Ref(_))) => format!(
                "{} of {owner} is `Ref {}`, which is the queue URL, not its ARN",
                slot.name(),
                resource.id
            ),
            Some("sqs") if sqs::queue_is_fifo(template, resource) == Some(true) => {
                format!("{} of {owner} is FIFO queue `{}`", slot.name(), resource.id)
            }
            Some("sns") if topic_is_fifo(template, resource) == Some(true) => {
                format!("{} of {owner} is FIFO topic `{}`", slot.name(), resource.id)
            }
            Some(_) => return,
        }
    } else if let (None, Some(arn)) = (node.intrinsic(), node.as_str()) {
        let mut parts = arn.split(':');
        if parts.next() != Some("arn") {
            return;
        }
        let Some(service) = parts.nth(1) else {
            return;
        };
        if !slot.allows(service) {
            format!("{} of {owner} is a `{service}` ARN", slot.name())
        } else if matches!(service, "sqs" | "sns") && arn.ends_with(".fifo") {
            format!(
                "{} of {owner} is a FIFO {}",
                slot.name(),
                service.to_uppercase()
            )
        } else {
            return;
        }
    } else {
        return;
    };
    report
        .add(node.span(), problem)
        .label(format!("must be {}", slot.expected()))
        .help(format!("use the ARN of {}", slot.expected()));
}

/// A SAM destination or dead-letter `Type`.
/// Returns whether it reported.
fn check_sam_type(report: &mut Report, owner: &str, slot: Slot, node: &Node) -> bool {
    let Some(kind) = node.as_str() else {
        return false;
    };
    let allowed: &[&str] = match slot {
        Slot::OnSuccess => &["SQS", "SNS", "Lambda", "EventBridge"],
        Slot::OnFailure => &["SQS", "SNS", "S3Bucket", "S3", "Lambda", "EventBridge"],
        Slot::DeadLetter => &["SQS", "SNS"],
    };
    if node.intrinsic().is_some() || allowed.contains(&kind) {
        return false;
    }
    if slot == Slot::OnSuccess && matches!(kind, "S3Bucket" | "S3") {
        report
            .add(
                node.span(),
                format!("OnSuccess destination Type `{kind}` of {owner}: S3 is valid for OnFailure only"),
            )
            .label("S3 buckets receive only failed invocations")
            .help(format!("move the bucket to `OnFailure`, or use {}", slot.expected()));
        return true;
    }
    report
        .add(
            node.span(),
            format!("{} Type `{kind}` of {owner} is not supported", slot.name()),
        )
        .label(format!("must be one of {}", allowed.join(", ")))
        .help(format!("use {}", slot.expected()));
    true
}

fn check_destination_config(
    template: &Template,
    report: &mut Report,
    owner: &str,
    config: &Node,
    sam: bool,
) {
    let Some(dest) = config.get("DestinationConfig") else {
        return;
    };
    for (key, slot) in [
        ("OnSuccess", Slot::OnSuccess),
        ("OnFailure", Slot::OnFailure),
    ] {
        let Some(target) = dest.get(key) else {
            continue;
        };
        if sam {
            if let Some(kind) = target.get("Type") {
                if check_sam_type(report, owner, slot, kind) {
                    continue;
                }
            }
        }
        if let Some(destination) = target.get("Destination") {
            check_destination(template, report, owner, slot, destination);
        }
    }
}

impl Check for Rule {
    fn template(&self, template: &Template, report: &mut Report) {
        for config in template.resources_of_type("AWS::Lambda::EventInvokeConfig") {
            if let Some(props) = config.properties {
                check_destination_config(
                    template,
                    report,
                    &format!("`{}`", config.id),
                    props,
                    false,
                );
            }
        }
        for function in template.resources_of_type("AWS::Lambda::Function") {
            if let Some(target) = function
                .own_prop("DeadLetterConfig")
                .and_then(|d| d.get("TargetArn"))
            {
                check_destination(
                    template,
                    report,
                    &format!("function `{}`", function.id),
                    Slot::DeadLetter,
                    target,
                );
            }
        }
        let mut places: Vec<(&Node, String)> = Vec::new();
        for function in template.resources_of_type("AWS::Serverless::Function") {
            if let Some(props) = function.properties {
                places.push((props, format!("function `{}`", function.id)));
            }
        }
        if template.is_sam {
            if let Some(globals) = template.section("Globals").and_then(|g| g.get("Function")) {
                places.push((globals, "Globals.Function".to_string()));
            }
        }
        for (props, owner) in places {
            if let Some(config) = props.get("EventInvokeConfig") {
                check_destination_config(template, report, &owner, config, true);
            }
            if let Some(dlq) = props.get("DeadLetterQueue") {
                if let Some(kind) = dlq.get("Type") {
                    if check_sam_type(report, &owner, Slot::DeadLetter, kind) {
                        continue;
                    }
                }
                if let Some(target) = dlq.get("TargetArn") {
                    check_destination(template, report, &owner, Slot::DeadLetter, target);
                }
            }
        }
    }
}
