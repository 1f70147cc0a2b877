//! ## What it finds
//! An `AWS::SNS::Subscription` (or a SAM `Type: SNS` function event) whose
//! `RedrivePolicy.deadLetterTargetArn` is not the ARN of an SQS queue:
//!
//! - `Fn::GetAtt`/`Fn::Sub` of a resource of the template that is not an
//!   `AWS::SQS::Queue` (a topic, a function, a bucket ...);
//! - `Ref` of an `AWS::SQS::Queue`, which returns the queue URL, not its ARN;
//! - a literal ARN whose service is not `sqs`.
//!
//! ## Why it matters
//! "A dead-letter queue is an Amazon SQS queue that an Amazon SNS subscription can
//! target" (SNS developer guide): the target must be an SQS queue ARN in the same
//! account and Region. SNS rejects any other target when the subscription's attributes
//! are set, and the stack fails.
//!
//! Targets given through parameters or imports are not checked. The redrive policy may
//! be an object or a JSON string.

use crate::model::embedded_json::json_value;
use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "SNS-002",
    name: "redrive-target-not-sqs",
    severity: Severity::Error,
    kinds: &[FileKind::Template],
    summary: "An SNS subscription's dead-letter target is not an SQS queue.",
    source: "https://docs.aws.amazon.com/sns/latest/dg/sns-dead-letter-queues.html",
};

pub struct Rule;

fn arn_service(text: &str) -> Option<&str> {
    let mut parts = text.split(':');
    (parts.next()? == "arn").then_some(())?;
    parts.next()?;
    parts.next()
}

fn check(template: &Template, report: &mut Report, owner: String, policy: &Node) {
    if policy.as_str().is_some() {
        let Some(json) = json_value(policy) else {
            return;
        };
        let Some(arn) = json
            .node()
            .get("deadLetterTargetArn")
            .and_then(Node::as_str)
        else {
            return;
        };
        if let Some(service) = arn_service(arn).filter(|s| *s != "sqs" && !s.contains('$')) {
            report
                .add(policy.span(), format!("the dead-letter target of {owner} is an ARN of service `{service}`, not an SQS queue"))
                .label(format!("`{arn}`"))
                .help("point `deadLetterTargetArn` at an SQS queue ARN");
        }
        return;
    }
    let Some(target) = policy.get("deadLetterTargetArn") else {
        return;
    };
    if let Some(text) = target.as_str() {
        if let Some(service) = arn_service(text).filter(|s| *s != "sqs") {
            report
                .add(target.span(), format!("the dead-letter target of {owner} is an ARN of service `{service}`, not an SQS queue"))
                .label("not an SQS queue")
                .help("point `deadLetterTargetArn` at an SQS queue ARN");
        }
        return;
    }
    let Some(resource) = template.referenced_resource(target) else {
        return;
    };
    let is_ref = matches!(Intrinsic::of(target), Some(Intrinsic::Ref(_)));
    if resource.type_name == "AWS::SQS::Queue" {
        if is_ref {
            report
                .add(
                    target.span(),
                    format!(
                        "the dead-letter target of {owner} is the URL of queue `{}`, not its ARN",
                        resource.id
                    ),
                )
                .label("`Ref` of a queue returns its URL")
                .also(resource.anchor(), "the queue")
                .help(format!("use `!GetAtt {}.Arn`", resource.id));
        }
        return;
    }
    report
        .add(
            target.span(),
            format!(
                "the dead-letter target of {owner} is `{}` ({}), not an SQS queue",
                resource.id, resource.type_name
            ),
        )
        .label("not an SQS queue")
        .also(resource.anchor(), "this resource")
        .help("point `deadLetterTargetArn` at an `AWS::SQS::Queue` (`!GetAtt <Queue>.Arn`)");
}

impl Check for Rule {
    fn template(&self, template: &Template, report: &mut Report) {
        for subscription in template.resources_of_type("AWS::SNS::Subscription") {
            if let Some(policy) = subscription.own_prop("RedrivePolicy") {
                check(
                    template,
                    report,
                    format!("subscription `{}`", subscription.id),
                    policy,
                );
            }
        }
        for function in template.resources_of_type("AWS::Serverless::Function") {
            for event in function.own_prop_entries("Events") {
                if event.value.get("Type").and_then(Node::as_str) != Some("SNS") {
                    continue;
                }
                if let Some(policy) = event.value.path(&["Properties", "RedrivePolicy"]) {
                    check(
                        template,
                        report,
                        format!(
                            "SNS event `{}` of function `{}`",
                            event.key.text, function.id
                        ),
                        policy,
                    );
                }
            }
        }
    }
}
