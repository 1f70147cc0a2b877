//! ## What it finds
//! A function triggered directly by S3 event notifications (an `AWS::S3::Bucket`
//! `NotificationConfiguration.LambdaConfigurations` entry or a SAM event of
//! `Type: S3`) that sets no `Timeout`, neither on the function nor in SAM
//! `Globals.Function`, and so runs with Lambda's default of 3 seconds.
//!
//! ## Why it matters
//! The default timeout is 3 seconds, and AWS lists downloads from S3 that are larger
//! or slower than average as a typical cause of timeouts. S3 invokes the function
//! asynchronously, so a timeout is a function error and Lambda runs the event twice
//! more (after about one and then two minutes), paying for three failed attempts
//! before the event is dropped. Set a `Timeout` sized for the objects the function
//! reads. The rule is informational: a function that only reads the event metadata
//! may well finish in 3 seconds.

use crate::model::lambda;
use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "LAM-010",
    name: "s3-trigger-default-timeout",
    severity: Severity::Info,
    kinds: &[FileKind::Template],
    summary: "An S3-triggered function keeps the default 3-second timeout.",
    source: "https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html",
};

pub struct Rule;

impl Check for Rule {
    fn template(&self, template: &Template, report: &mut Report) {
        let invokers = lambda::async_invokers(template);
        for function in lambda::functions(template) {
            if !function.properties_are_literal()
                || lambda::function_prop(function, "Timeout").is_some()
            {
                continue;
            }
            let triggers: Vec<_> = invokers
                .iter()
                .filter(|i| i.is_s3 && std::ptr::eq(i.function, function))
                .collect();
            if triggers.is_empty() {
                continue;
            }
            let finding = report.add(
                function.anchor(),
                format!(
                    "S3-triggered function `{}` has no `Timeout`: the default 3 s applies",
                    function.id
                ),
            );
            finding.label("no Timeout: 3 s by default");
            for trigger in triggers {
                finding.also(trigger.span, format!("{} invokes it", trigger.kind));
            }
            finding.help("set `Timeout` to what processing the largest expected object takes");
        }
    }
}
