//! ## What it finds
//! An SQS event source (an `AWS::Lambda::EventSourceMapping` on a queue, or a SAM
//! `Events` entry of `Type: SQS`) whose `BatchSize` is:
//! - over 10,000 (the maximum for standard queues);
//! - over 10 for a FIFO queue (`FifoQueue: true`, or a name or ARN ending in `.fifo`);
//! - over 10 without `MaximumBatchingWindowInSeconds` of at least 1 second.
//!
//! ## Why it matters
//! Lambda rejects these event source mappings, so the deployment fails: standard
//! queues take batches of up to 10,000 records, but above 10 only with a batching
//! window of at least one second, and FIFO queues take at most 10. The defaults are a
//! batch size of 10 and no batching window.

use crate::model::{lambda, sqs};
use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "LAM-009",
    name: "sqs-batch-size",
    severity: Severity::Error,
    kinds: &[FileKind::Template],
    summary: "An SQS event source's BatchSize exceeds what its queue type and batch window allow.",
    source: "https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-parameters.html",
};

pub struct Rule;

impl Check for Rule {
    fn template(&self, template: &Template, report: &mut Report) {
        for source in lambda::sqs_sources(template) {
            let Some(batch_node) = source.settings.get("BatchSize") else {
                continue;
            };
            let Some(batches) = template.integers(batch_node) else {
                continue;
            };
            let Some((batch, candidate)) = batches.iter().max_by_key(|(v, _)| *v) else {
                continue;
            };
            let batch = *batch;
            if batch <= 10 {
                continue;
            }
            let fifo = match source.queue {
                Some(queue) => sqs::queue_is_fifo(template, queue),
                None => template
                    .string(source.arn)
                    .map(|arn| arn.ends_with(".fifo")),
            };
            let window_node = source.settings.get("MaximumBatchingWindowInSeconds");
            let window = match window_node {
                None => Some(0),
                Some(node) => template
                    .integers(node)
                    .and_then(|values| values.iter().map(|(v, _)| *v).min()),
            };
            let problem = if batch > 10_000 {
                format!("BatchSize {batch} is over the SQS maximum of 10000")
            } else if fifo == Some(true) {
                format!("BatchSize {batch} is over 10, the maximum for a FIFO queue")
            } else if window == Some(0) {
                format!(
                    "BatchSize {batch} is over 10 but no MaximumBatchingWindowInSeconds of at least 1 s is set"
                )
            } else {
                continue;
            };
            let finding = report.add_candidate(
                candidate,
                batch_node,
                format!("{problem} (function `{}`)", source.function.id),
            );
            finding.label(format!("BatchSize {batch}"));
            if let Origin::Parameter(param) = candidate.origin {
                finding.also(param, "parameter");
            }
            if fifo == Some(true) {
                finding.also(source.arn.span(), "a FIFO queue");
            }
            if let (Some(node), false) = (window_node, fifo == Some(true) || batch > 10_000) {
                finding.also(node.span(), "batching window");
            }
            finding.help(if fifo == Some(true) || batch > 10_000 {
                "lower `BatchSize` (FIFO queues: at most 10; standard queues: at most 10000)"
            } else {
                "set `MaximumBatchingWindowInSeconds` to at least 1, or lower `BatchSize` to 10"
            });
        }
    }
}
