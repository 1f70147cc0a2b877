//! ## What it finds
//! Asynchronous invocation settings out of range: `MaximumRetryAttempts` outside 0–2 or
//! `MaximumEventAgeInSeconds` outside 60–21,600, on an `AWS::Lambda::EventInvokeConfig`
//! or in a SAM function's `EventInvokeConfig` (`Globals.Function` included).
//!
//! ## Why it matters
//! Lambda retries a failed asynchronous invocation at most twice and keeps an event
//! queued for between one minute and six hours; CloudFormation rejects other values
//! and the deployment fails. EventBridge target `RetryPolicy` and event source mapping
//! retry settings have other ranges and are not checked here.

use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "LAM-003",
    name: "async-retry-out-of-range",
    severity: Severity::Error,
    kinds: &[FileKind::Template],
    summary: "An asynchronous invocation retry count or maximum event age is out of range.",
    source: "https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-configuring.html",
};

pub struct Rule;

const LIMITS: &[(&str, i64, i64)] = &[
    ("MaximumRetryAttempts", 0, 2),
    ("MaximumEventAgeInSeconds", 60, 21_600),
];

impl Check for Rule {
    fn template(&self, template: &Template, report: &mut Report) {
        let mut configs: Vec<(&Node, String)> = Vec::new();
        for config in template.resources_of_type("AWS::Lambda::EventInvokeConfig") {
            if let Some(props) = config.properties {
                configs.push((props, format!("`{}`", config.id)));
            }
        }
        for function in template.resources_of_type("AWS::Serverless::Function") {
            if let Some(config) = function.own_prop("EventInvokeConfig") {
                configs.push((
                    config,
                    format!("the EventInvokeConfig of `{}`", function.id),
                ));
            }
        }
        if template.is_sam {
            if let Some(config) = template
                .section("Globals")
                .and_then(|g| g.path(&["Function", "EventInvokeConfig"]))
            {
                configs.push((config, "Globals.Function.EventInvokeConfig".to_string()));
            }
        }
        for (config, owner) in configs {
            for &(name, min, max) in LIMITS {
                let Some(node) = config.get(name) else {
                    continue;
                };
                let Some(values) = template.integers(node) else {
                    continue;
                };
                let Some((value, candidate)) = values.iter().find(|(v, _)| *v < min || *v > max)
                else {
                    continue;
                };
                let finding = report.add_candidate(
                    candidate,
                    node,
                    format!("{name} {value} of {owner} is outside {min}..{max}"),
                );
                finding
                    .label(format!("must be between {min} and {max}"))
                    .help(format!("set `{name}` to a value from {min} to {max}"));
                finding.also_parameter(candidate, format!("the parameter allows {value}"));
            }
        }
    }
}
