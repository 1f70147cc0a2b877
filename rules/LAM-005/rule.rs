//! ## What it finds
//! An SQS queue of the template that feeds a Lambda function (an
//! `AWS::Lambda::EventSourceMapping` whose `EventSourceArn` names the queue, or a SAM
//! `Events` entry of `Type: SQS`) whose `VisibilityTimeout` (30 s when absent) is less
//! than the function's `Timeout` (3 s when absent; SAM `Globals.Function.Timeout`
//! applies to SAM functions).
//!
//! ## Why it matters
//! Lambda requires the function timeout to be less than or equal to the queue's
//! visibility timeout, and validates it when the event source mapping is created or
//! updated: the deployment fails with an error. Even if it did not, a message would
//! become visible again while the function is still working on it and be processed
//! twice. Raise the queue's `VisibilityTimeout` (AWS recommends at least six times the
//! function timeout, see LAM-006) or lower the function's `Timeout`.
//!
//! Timeouts given through parameters are judged by their `Default` and
//! `AllowedValues`, and both branches of `Fn::If` are considered (the longest function
//! timeout against the shortest visibility timeout). A queue outside the template, or
//! a timeout that cannot be resolved, keeps the rule silent.

use crate::model::lambda;
use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "LAM-005",
    name: "sqs-visibility-below-timeout",
    severity: Severity::Error,
    kinds: &[FileKind::Template],
    summary: "An SQS event source's queue visibility timeout is below the function's timeout.",
    source: "https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html",
};

pub struct Rule;

impl Check for Rule {
    fn template(&self, template: &Template, report: &mut Report) {
        for pair in lambda::queue_timeouts(template) {
            let (visibility, timeout) = (pair.visibility.value, pair.timeout.value);
            if visibility >= timeout {
                continue;
            }
            let ((span, text), also) = lambda::describe_queue_timeouts(&pair);
            let finding = report.add(
                span,
                format!(
                    "VisibilityTimeout {visibility} s of queue `{}` is less than Timeout {timeout} s of function `{}`",
                    pair.queue.id, pair.source.function.id
                ),
            );
            finding.label(format!("{text}, less than the function's {timeout} s"));
            for (span, text) in also {
                finding.also(span, text);
            }
            finding.also(pair.source.anchor, "the queue feeds the function here");
            finding.help(format!(
                "set the queue's `VisibilityTimeout` to at least {} s (six times the function timeout), or lower the function's `Timeout`",
                timeout.saturating_mul(6)
            ));
        }
    }
}
