//! ## What it finds
//! An `AWS::SQS::Queue` whose `FifoQueue` and `QueueName` disagree: `FifoQueue: true`
//! with a name that does not end in `.fifo`, or a name ending in `.fifo` on a standard
//! queue (`FifoQueue` absent or `false`).
//!
//! ## Why it matters
//! "A FIFO queue name must end with the .fifo suffix", and "if you don't specify the
//! FifoQueue property, Amazon SQS creates a standard queue" (CloudFormation reference
//! for `AWS::SQS::Queue`), whose name may not end in `.fifo`. SQS rejects either
//! combination and the stack fails; the queue type cannot be changed afterwards.
//!
//! A FIFO queue without `QueueName` is fine (CloudFormation generates a name with the
//! suffix). Names are judged when they are literal, parameters (`Default` and
//! `AllowedValues`), `Fn::Sub` strings or `Fn::Join` lists whose last part is literal;
//! otherwise, and when `FifoQueue` cannot be resolved to one value, the rule is silent.
//!
//! No fix is offered: whether the queue is meant to be FIFO or standard is the author's
//! decision, and changing `FifoQueue` replaces the queue.

use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "SQS-001",
    name: "fifo-name-mismatch",
    severity: Severity::Error,
    kinds: &[FileKind::Template],
    summary: "`FifoQueue` and a `.fifo` `QueueName` disagree.",
    source: "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-sqs-queue.html",
};

pub struct Rule;

/// The possible endings of a queue name: (ends with `.fifo`, shown text, parameter).
fn name_endings<'a>(
    template: &Template<'a>,
    node: &'a Node,
) -> Option<Vec<(bool, String, Option<Span>)>> {
    match Intrinsic::of(node) {
        Some(Intrinsic::Sub(sub)) => {
            let text = sub.string.as_str()?;
            if text.ends_with('}') {
                return None;
            }
            Some(vec![(text.ends_with(".fifo"), text.to_string(), None)])
        }
        Some(Intrinsic::Join { values, .. }) => {
            let last = values.as_seq()?.last()?;
            let text = last.as_str()?;
            Some(vec![(text.ends_with(".fifo"), format!("...{text}"), None)])
        }
        _ => {
            let values = template.strings(node)?;
            Some(
                values
                    .into_iter()
                    .map(|(v, c)| {
                        let param = c.origin.parameter();
                        (v.ends_with(".fifo"), v.to_string(), param)
                    })
                    .collect(),
            )
        }
    }
}

impl Check for Rule {
    fn template(&self, template: &Template, report: &mut Report) {
        for queue in template.resources_of_type("AWS::SQS::Queue") {
            if !queue.properties_are_literal() {
                continue;
            }
            let Some(name) = queue.own_prop("QueueName") else {
                continue;
            };
            let fifo_entry = queue.properties.and_then(|p| p.entry("FifoQueue"));
            let fifo = match fifo_entry {
                None => false,
                Some(entry) => match template.boolean(&entry.value) {
                    Some(b) => b,
                    None => continue,
                },
            };
            let Some(endings) = name_endings(template, name) else {
                continue;
            };
            let Some((_, text, param)) = endings.into_iter().find(|(ends, _, _)| *ends != fifo)
            else {
                continue;
            };
            let finding = if fifo {
                let finding = report.add(
                    name.span(),
                    format!(
                        "FIFO queue `{}` is named `{text}`, without the `.fifo` suffix",
                        queue.id
                    ),
                );
                finding
                    .label("a FIFO queue name must end in `.fifo`")
                    .help("append `.fifo` to the queue name, or drop `QueueName` and let CloudFormation generate one");
                finding
            } else {
                let finding = report.add(
                    name.span(),
                    format!(
                        "standard queue `{}` is named `{text}`, with the `.fifo` suffix",
                        queue.id
                    ),
                );
                finding
                    .label("only FIFO queue names may end in `.fifo`")
                    .help("add `FifoQueue: true`, or remove the `.fifo` suffix");
                finding
            };
            match fifo_entry {
                Some(entry) => {
                    finding.also(
                        entry.span(),
                        if fifo {
                            "declared FIFO here"
                        } else {
                            "declared standard here"
                        },
                    );
                }
                None => {
                    finding.also(queue.anchor(), "no `FifoQueue`: a standard queue");
                }
            }
            if let Some(param) = param {
                finding.also(param, "the parameter allows this name");
            }
        }
    }
}
