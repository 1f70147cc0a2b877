//! ## What it finds
//! An `AWS::SQS::Queue` with no `RedrivePolicy` that is not itself a dead-letter queue.
//! A queue counts as a dead-letter queue when it has a `RedriveAllowPolicy`, or when the
//! template refers to it (`Ref`, `Fn::GetAtt`, `Fn::Sub`) anywhere under a key that
//! names a dead-letter or failure destination: `RedrivePolicy`, `DeadLetterConfig`,
//! `DeadLetterQueue`, `DeadLetterTargetArn`, `OnFailure`, `DestinationConfig` and the
//! like (another queue's redrive policy, an SNS subscription's, an EventBridge target's,
//! a Lambda function's or a SAM function's dead-letter queue).
//!
//! ## Why it matters
//! SQS does not create a dead-letter queue for you. Without a redrive policy, a message
//! that consumers keep failing on (a "poison" message) is received again and again
//! until its retention period expires, costing receives and hiding the failure; with
//! one, it moves to the dead-letter queue after `maxReceiveCount` receives where it can
//! be inspected and redriven (SQS developer guide, dead-letter queues).
//!
//! This is informational: some queues (FIFO queues whose ordering must never break,
//! queues whose messages are disposable) are deliberately without one. A
//! `RedrivePolicy` written with `Fn::If` counts as present.

use std::collections::HashSet;

use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "SQS-004",
    name: "queue-without-dlq",
    severity: Severity::Info,
    kinds: &[FileKind::Template],
    summary: "An SQS queue has no dead-letter queue.",
    source: "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html",
};

pub struct Rule;

/// Whether a key names a dead-letter or failure destination: it holds `deadletter`,
/// `dlq`, `destinationconfig`, `redrive` or `failure` (so `onfailure` too), in any
/// case. One pass, dispatching on each byte: this runs on every key of the template.
fn is_failure_key(key: &str) -> bool {
    let bytes = key.as_bytes();
    (0..bytes.len()).any(|at| {
        let rest = &bytes[at..];
        let starts = |word: &[u8]| {
            rest.get(..word.len())
                .is_some_and(|r| r.eq_ignore_ascii_case(word))
        };
        match bytes[at].to_ascii_lowercase() {
            b'd' => starts(b"deadletter") || starts(b"dlq") || starts(b"destinationconfig"),
            b'r' => starts(b"redrive"),
            b'f' => starts(b"failure"),
            _ => false,
        }
    })
}

/// Logical ids referred to below `node` (Ref, GetAtt, and `${Id...}` in Fn::Sub).
fn referenced_ids<'a>(template: &Template<'a>, node: &'a Node, out: &mut Vec<String>) {
    out.extend(
        template
            .references(node)
            .into_iter()
            .filter(|r| r.kind != RefKind::Mapping && !r.kind.is_condition())
            .map(|r| r.name.to_string()),
    );
}

/// Collects ids referenced under failure-destination keys anywhere in the template.
fn dead_letter_ids<'a>(template: &Template<'a>, node: &'a Node, out: &mut Vec<String>) {
    for entry in node.iter_map() {
        if is_failure_key(&entry.key.text) {
            referenced_ids(template, &entry.value, out);
        } else {
            dead_letter_ids(template, &entry.value, out);
        }
    }
    for item in node.iter_seq() {
        dead_letter_ids(template, item, out);
    }
}

impl Check for Rule {
    fn template(&self, template: &Template, report: &mut Report) {
        let mut dead_letters = Vec::new();
        if let Some(resources) = template.section("Resources") {
            dead_letter_ids(template, resources, &mut dead_letters);
        }
        if let Some(globals) = template.section("Globals") {
            dead_letter_ids(template, globals, &mut dead_letters);
        }
        let dead_letters: HashSet<String> = dead_letters.into_iter().collect();
        for queue in template.resources_of_type("AWS::SQS::Queue") {
            if !queue.properties_are_literal()
                || queue.own_prop("RedrivePolicy").is_some()
                || queue.own_prop("RedriveAllowPolicy").is_some()
                || dead_letters.contains(queue.id)
            {
                continue;
            }
            report
                .add(queue.anchor(), format!("queue `{}` has no dead-letter queue", queue.id))
                .label("no `RedrivePolicy`")
                .help("add a dead-letter queue: `RedrivePolicy: {deadLetterTargetArn: !GetAtt <Dlq>.Arn, maxReceiveCount: 5}`");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_failure_key;

    #[test]
    fn failure_keys_are_recognised_in_any_case() {
        for key in [
            "RedrivePolicy",
            "deadLetterTargetArn",
            "DeadLetterConfig",
            "DLQ",
            "OnFailure",
            "DestinationConfig",
            "MyDlqArn",
        ] {
            assert!(is_failure_key(key), "{key}");
        }
        for key in [
            "Type",
            "Properties",
            "QueueName",
            "Destination",
            "Fail",
            "Dl",
        ] {
            assert!(!is_failure_key(key), "{key}");
        }
    }
}
