//! ## What it finds
//! A function (`AWS::Lambda::Function`, `AWS::Serverless::Function`, or SAM
//! `Globals.Function`) whose `Timeout` is outside 1–900 seconds or whose `MemorySize`
//! is outside 128–10,240 MB.
//!
//! ## Why it matters
//! Lambda runs a function for at most 900 seconds (15 minutes) and gives it between
//! 128 MB and 10,240 MB of memory; CloudFormation rejects other values and the stack
//! fails to deploy. Values given through parameters are judged by the parameter's
//! `Default` and `AllowedValues`. Functions on Lambda Managed Instances (a
//! `CapacityProviderConfig`, or SAM `CapacityProvider`) have different limits and are
//! not checked.

use crate::model::lambda;
use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "LAM-004",
    name: "function-limits",
    severity: Severity::Error,
    kinds: &[FileKind::Template],
    summary: "A function's Timeout or MemorySize is outside what Lambda allows.",
    source: "https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html",
};

pub struct Rule;

const LIMITS: &[(&str, i64, i64, &str)] =
    &[("Timeout", 1, 900, "s"), ("MemorySize", 128, 10_240, "MB")];

impl Check for Rule {
    fn template(&self, template: &Template, report: &mut Report) {
        let mut seen: Vec<Span> = Vec::new();
        for function in lambda::functions(template) {
            if ["CapacityProviderConfig", "CapacityProvider"]
                .iter()
                .any(|p| lambda::function_prop(function, p).is_some())
            {
                continue;
            }
            for &(name, min, max, unit) in LIMITS {
                let Some((node, from_globals)) = lambda::function_prop(function, name) else {
                    continue;
                };
                if seen.contains(&node.span()) {
                    continue;
                }
                seen.push(node.span());
                let Some(values) = template.integers(node) else {
                    continue;
                };
                let Some((value, candidate)) = values.iter().find(|(v, _)| *v < min || *v > max)
                else {
                    continue;
                };
                let owner = if from_globals {
                    "Globals.Function".to_string()
                } else {
                    format!("function `{}`", function.id)
                };
                let finding = report.add_candidate(
                    candidate,
                    node,
                    format!("{name} {value} {unit} of {owner} is outside {min}..{max} {unit}"),
                );
                finding
                    .label(format!("{name} must be between {min} and {max} {unit}"))
                    .help(format!("set `{name}` to a value from {min} to {max}"));
                finding.also_parameter(candidate, format!("the parameter allows {value}"));
            }
        }
    }
}
