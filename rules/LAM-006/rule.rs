//! ## What it finds
//! An SQS queue of the template that feeds a Lambda function (an
//! `AWS::Lambda::EventSourceMapping` or a SAM `Events` entry of `Type: SQS`) whose
//! `VisibilityTimeout` (30 s when absent) is at least the function's `Timeout` (3 s
//! when absent, SAM `Globals` applied) but less than six times it. Pairs where the
//! visibility timeout is below the function timeout are LAM-005's, not this rule's.
//!
//! ## Why it matters
//! AWS recommends setting the source queue's visibility timeout to at least six times
//! the function's timeout. When the function is throttled while it is still busy with
//! a previous batch, Lambda needs the extra time to retry; with a shorter visibility
//! timeout, messages reappear in the queue while a retry is still pending and are
//! processed more than once, or land in the dead-letter queue early.
//!
//! Timeouts given through parameters are judged by their `Default` and
//! `AllowedValues`, and both branches of `Fn::If` are considered. A queue outside the
//! template, or a timeout that cannot be resolved, keeps the rule silent.
//!
//! ## Options
//! `multiplier` (an integer from 1 to 100, default 6): how many times the function's
//! timeout the visibility timeout must be. A team that sets a shorter batch window or
//! retries less can lower it, in `.stacklint.yaml`:
//!
//! ```yaml
//! options:
//!   LAM-006:
//!     multiplier: 3
//! ```

use crate::model::lambda;
use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "LAM-006",
    name: "sqs-visibility-below-six-times-timeout",
    severity: Severity::Warning,
    kinds: &[FileKind::Template],
    summary: "An SQS event source's queue visibility timeout is less than six times the function's timeout.",
    source: "https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html",
};

pub struct Rule;

/// The default is AWS's recommendation: six times the function's timeout.
const MULTIPLIER: IntegerOption = IntegerOption {
    name: "multiplier",
    min: 1,
    max: 100,
    default: 6,
    doc: "how many times the function's timeout the queue's visibility timeout must be",
};

const OPTIONS: &[RuleOption] = &[MULTIPLIER.declare()];

impl Check for Rule {
    fn options(&self) -> &'static [RuleOption] {
        OPTIONS
    }

    fn template(&self, template: &Template, report: &mut Report) {
        let multiplier = report.integer(&MULTIPLIER);
        let times = match multiplier {
            6 => "six times".to_string(),
            n => format!("{n} times"),
        };
        for pair in lambda::queue_timeouts(template) {
            let (visibility, timeout) = (pair.visibility.value, pair.timeout.value);
            let recommended = timeout.saturating_mul(multiplier);
            // Below the timeout itself is LAM-005's finding.
            if visibility < timeout || visibility >= recommended {
                continue;
            }
            let ((span, text), also) = lambda::describe_queue_timeouts(&pair);
            let finding = report.add(
                span,
                format!(
                    "VisibilityTimeout {visibility} s of queue `{}` is less than {times} Timeout {timeout} s of function `{}` ({recommended} s)",
                    pair.queue.id, pair.source.function.id
                ),
            );
            finding.label(format!("{text}, less than {recommended} s"));
            for (span, text) in also {
                finding.also(span, text);
            }
            finding.also(pair.source.anchor, "the queue feeds the function here");
            finding.help(format!(
                "set the queue's `VisibilityTimeout` to at least {recommended} s so that Lambda can retry throttled batches before messages reappear"
            ));
        }
    }
}
