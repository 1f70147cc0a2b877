//! ## What it finds
//! A function of the template that is invoked asynchronously — by an S3 bucket
//! notification (`NotificationConfiguration.LambdaConfigurations`), an SNS
//! subscription with `Protocol: lambda`, an `AWS::Events::Rule` target, an
//! `AWS::Scheduler::Schedule` target, or a SAM event of type `S3`, `SNS`,
//! `EventBridgeRule`, `CloudWatchEvent`, `Schedule` or `ScheduleV2` — and that keeps
//! no failed events: no `DeadLetterConfig` (SAM `DeadLetterQueue`) and no
//! `DestinationConfig.OnFailure`, neither on the function (SAM `EventInvokeConfig`,
//! `Globals` included) nor on an `AWS::Lambda::EventInvokeConfig` naming it.
//!
//! ## Why it matters
//! For asynchronous invocations Lambda queues the event, retries a failing function
//! twice, and then discards the event. Only a dead-letter queue (standard SQS or SNS)
//! or an on-failure destination keeps it, so that a failure can be inspected and
//! replayed; without one, the event is lost silently.
//!
//! A target's own `DeadLetterConfig` on an EventBridge rule or schedule (or a SAM
//! event's `DeadLetterConfig`) does not count: it catches events that could not be
//! *delivered* to Lambda, not events the function failed to process. When an
//! `AWS::Lambda::EventInvokeConfig` names a function the rule cannot resolve, the rule
//! stays silent, as the configuration might belong to this function.

use crate::model::lambda;
use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "LAM-001",
    name: "async-without-failure-destination",
    severity: Severity::Warning,
    kinds: &[FileKind::Template],
    summary: "An asynchronously invoked function has neither a dead-letter queue nor an on-failure destination.",
    source: "https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html",
};

pub struct Rule;

impl Check for Rule {
    fn template(&self, template: &Template, report: &mut Report) {
        let invokers = lambda::async_invokers(template);
        for function in lambda::functions(template) {
            let mine: Vec<_> = invokers
                .iter()
                .filter(|i| std::ptr::eq(i.function, function))
                .collect();
            let Some(first) = mine.first() else {
                continue;
            };
            if lambda::keeps_failed_events(template, function) != Some(false) {
                continue;
            }
            let finding = report.add(
                function.anchor(),
                format!(
                    "function `{}` is invoked asynchronously ({}) but has no dead-letter queue or on-failure destination",
                    function.id, first.kind
                ),
            );
            finding.label("failed events are discarded after two retries");
            for invoker in &mine {
                finding.also(
                    invoker.span,
                    format!("{} invokes it asynchronously", invoker.kind),
                );
            }
            finding.help(if function.type_name == "AWS::Serverless::Function" {
                "add `EventInvokeConfig: {DestinationConfig: {OnFailure: {Type: SQS}}}` or a `DeadLetterQueue` to the function"
            } else {
                "add a `DeadLetterConfig` to the function, or an `AWS::Lambda::EventInvokeConfig` with `DestinationConfig.OnFailure`"
            });
        }
    }
}
