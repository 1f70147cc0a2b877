//! ## What it finds
//! An `AWS::SNS::Subscription` without a `RedrivePolicy`, and a SAM function event of
//! `Type: SNS` without `RedrivePolicy` in its `Properties`.
//!
//! ## Why it matters
//! When SNS cannot deliver a message to a subscriber after the retries of its delivery
//! policy (client-side errors such as a deleted endpoint or a missing permission are
//! not retried at all), the message is discarded, unless the subscription has a redrive
//! policy pointing to an SQS dead-letter queue (SNS developer guide, dead-letter
//! queues). Without one, a lost message leaves no trace to inspect or replay.
//!
//! A `RedrivePolicy` written with `Fn::If` counts as present. Subscriptions declared
//! inline in `AWS::SNS::Topic` `Subscription` cannot carry a redrive policy and are not
//! reported. Lambda subscribers may also rely on their own asynchronous
//! dead-letter queue or destinations, which this rule does not look at.

use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "SNS-001",
    name: "subscription-without-dlq",
    severity: Severity::Warning,
    kinds: &[FileKind::Template],
    summary: "An SNS subscription has no dead-letter queue.",
    source: "https://docs.aws.amazon.com/sns/latest/dg/sns-dead-letter-queues.html",
};

pub struct Rule;

const HELP: &str = "add `RedrivePolicy: {deadLetterTargetArn: !GetAtt <SQS queue>.Arn}` (the queue's policy must allow sns.amazonaws.com to send messages)";

impl Check for Rule {
    fn template(&self, template: &Template, report: &mut Report) {
        for subscription in template.resources_of_type("AWS::SNS::Subscription") {
            if !subscription.properties_are_literal()
                || subscription.own_prop("RedrivePolicy").is_some()
            {
                continue;
            }
            let protocol = subscription
                .own_prop("Protocol")
                .and_then(|p| template.string(p))
                .map(|p| format!(" ({p})"))
                .unwrap_or_default();
            report
                .add(
                    subscription.anchor(),
                    format!(
                        "SNS subscription `{}`{protocol} has no dead-letter queue",
                        subscription.id
                    ),
                )
                .label("no `RedrivePolicy`: undeliverable messages are discarded")
                .help(HELP);
        }
        for function in template.resources_of_type("AWS::Serverless::Function") {
            for event in function.own_prop_entries("Events") {
                if event.value.get("Type").and_then(Node::as_str) != Some("SNS") {
                    continue;
                }
                let Some(props) = event.value.get("Properties") else {
                    continue;
                };
                if props.as_map().is_none()
                    || props.intrinsic().is_some()
                    || props.get("RedrivePolicy").is_some()
                {
                    continue;
                }
                report
                    .add(
                        event.key.span,
                        format!(
                            "SNS event `{}` of function `{}` has no dead-letter queue",
                            event.key.text, function.id
                        ),
                    )
                    .label("no `RedrivePolicy`: undeliverable messages are discarded")
                    .help(HELP);
            }
        }
    }
}
