//! ## What it finds
//! A function (`AWS::Lambda::Function`, `AWS::Serverless::Function`, or SAM
//! `Globals.Function`) with `ReservedConcurrentExecutions: 0` written as a literal.
//!
//! ## Why it matters
//! Reserved concurrency is the maximum number of instances of the function that may
//! run at once. At 0 Lambda throttles every invocation: synchronous callers get
//! `429` errors, queues back up and asynchronous events are retried and dropped. AWS
//! documents 0 as a deliberate way to stop a function, so the rule is a warning, and a
//! 0 chosen through `Fn::If` or a parameter (a typical kill switch) is not reported.

use crate::model::lambda;
use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "LAM-008",
    name: "zero-reserved-concurrency",
    severity: Severity::Warning,
    kinds: &[FileKind::Template],
    summary: "A function's reserved concurrency is 0, which throttles every invocation.",
    source: "https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html",
};

pub struct Rule;

impl Check for Rule {
    fn template(&self, template: &Template, report: &mut Report) {
        let mut seen: Vec<Span> = Vec::new();
        for function in lambda::functions(template) {
            let Some((node, from_globals)) =
                lambda::function_prop(function, "ReservedConcurrentExecutions")
            else {
                continue;
            };
            if seen.contains(&node.span()) || node.intrinsic().is_some() {
                continue;
            }
            seen.push(node.span());
            if node.as_i64() != Some(0) {
                continue;
            }
            let owner = if from_globals {
                "Globals.Function".to_string()
            } else {
                format!("function `{}`", function.id)
            };
            report
                .add(
                    node.span(),
                    format!("ReservedConcurrentExecutions of {owner} is 0: every invocation is throttled"),
                )
                .label("no instance of the function may run")
                .help("remove `ReservedConcurrentExecutions` or set it to the concurrency the function needs; use 0 only to stop the function on purpose");
        }
    }
}
