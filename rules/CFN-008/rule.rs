//! ## What it finds
//! An output CloudFormation rejects:
//! - an output that is not a map, or has no `Value`;
//! - a `Value` that is certainly a list or a map: a literal list, `Fn::GetAZs`,
//!   `Fn::Split`, `Fn::Cidr`, a `Ref` to a `List<...>`/`CommaDelimitedList` parameter or
//!   to `AWS::NotificationARNs`, not wrapped in `Fn::Join`;
//! - an `Export` without `Name`, or whose `Name` is certainly a list or a map;
//! - two outputs exporting the same literal name (the same plain string, or the same
//!   `Fn::Sub` text), unless their `Condition`s differ (they may never both exist).
//!
//! ## Why it matters
//! The Outputs page says every output needs a `Value`, and that output values and
//! export names are strings: an output whose value is a list fails the stack
//! ("Template format error: Every Outputs member must contain a Value object"; a list
//! value is rejected when the stack is validated). Export names must be unique in
//! the account and region, so a template that exports one name twice can never be
//! deployed. `Fn::Join [",", ...]` turns a list into a string.
//!
//! Types come from the evaluator (`Template::output_type`): `Fn::If` counts when both
//! branches agree, and anything the template does not decide (a `Fn::GetAtt` whose
//! attribute type is not known here, a value from a macro) keeps the rule silent.
//! Templates that a macro still rewrites are not judged.

use std::collections::HashMap;

use crate::model::eval::{is_for_each_key, Intrinsic, ValueType};
use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "CFN-008",
    name: "invalid-output",
    severity: Severity::Error,
    kinds: &[FileKind::Template],
    summary: "An output without a Value, with a Value or export name that is not a string, or exporting a name twice.",
    source: "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/outputs-section-structure.html",
};

pub struct Rule;

/// "a list" / "a map" when `node` certainly evaluates to one.
fn not_a_string<'a>(template: &Template<'a>, node: &'a Node) -> Option<&'static str> {
    match template.output_type(node).single()? {
        ValueType::List => Some("a list"),
        ValueType::Object => Some("a map"),
        _ => None,
    }
}

/// The export name as a key for duplicates: a literal string, or an `Fn::Sub` string.
fn export_key(node: &Node) -> Option<String> {
    if node.intrinsic().is_none() {
        return node.as_str().map(|s| format!("text:{s}"));
    }
    match Intrinsic::of(node)? {
        Intrinsic::Sub(sub) if sub.variables.is_none() => {
            sub.string.as_str().map(|s| format!("sub:{s}"))
        }
        _ => None,
    }
}

impl Check for Rule {
    fn template(&self, template: &Template, report: &mut Report) {
        if template.partial().is_some() {
            return;
        }
        let Some(outputs) = template.section("Outputs") else {
            return;
        };
        let mut exports: HashMap<String, Vec<(&Entry, Option<&str>)>> = HashMap::new();
        let entries: Vec<&Entry> = outputs.iter_map().collect();
        for (index, output) in entries.iter().copied().enumerate() {
            let name = output.key.text.as_str();
            // A repeated key is PARSE-002's; CloudFormation keeps the last one.
            if is_for_each_key(name) || entries[index + 1..].iter().any(|e| e.key.text == name) {
                continue;
            }
            let node = &output.value;
            if node.as_map().is_none() {
                report
                    .add(node.span(), format!("output `{name}` is not a map"))
                    .label("not an output")
                    .help("write `Value:` (and optionally `Description:`, `Export:`) under the output's name");
                continue;
            }
            match node.get("Value") {
                None => {
                    report
                        .add(output.key.span, format!("output `{name}` has no `Value`"))
                        .label("no Value")
                        .help("add `Value:` with the string to output: every output needs one");
                }
                Some(value) => {
                    if let Some(what) = not_a_string(template, value) {
                        report
                            .add(value.span(), format!("the `Value` of output `{name}` is {what}, not a string"))
                            .label(what)
                            .help(if what == "a list" {
                                "join it into one string: `!Join [\",\", ...]`"
                            } else {
                                "output a string: a map cannot be an output value (`Fn::ToJsonString` makes one from it)"
                            });
                    }
                }
            }
            let Some(export) = node.entry("Export") else {
                continue;
            };
            if export.value.intrinsic().is_some() {
                continue;
            }
            let Some(export_name) = export.value.get("Name") else {
                report
                    .add(
                        export.key.span,
                        format!("the `Export` of output `{name}` has no `Name`"),
                    )
                    .label("no Name")
                    .help("write `Export: {Name: ...}` with the name other stacks import");
                continue;
            };
            if let Some(what) = not_a_string(template, export_name) {
                report
                    .add(
                        export_name.span(),
                        format!("the export name of output `{name}` is {what}, not a string"),
                    )
                    .label(what)
                    .help("an export name is one string: join or select it");
                continue;
            }
            if let Some(key) = export_key(export_name) {
                let condition = node.get("Condition").and_then(Node::as_str);
                exports.entry(key).or_default().push((output, condition));
            }
        }
        let mut duplicates: Vec<_> = exports.into_values().filter(|v| v.len() > 1).collect();
        duplicates.sort_by_key(|v| v[0].0.key.span.start());
        for outputs in duplicates {
            // Outputs under different conditions may never exist together.
            let conditions: Vec<Option<&str>> = outputs.iter().map(|(_, c)| *c).collect();
            if conditions
                .iter()
                .any(|c| c.is_some() && *c != conditions[0])
            {
                continue;
            }
            let (first, _) = outputs[0];
            let first_name = first
                .value
                .path(&["Export", "Name"])
                .map_or(first.key.span, |n| n.span());
            for (again, _) in &outputs[1..] {
                let span = again
                    .value
                    .path(&["Export", "Name"])
                    .map_or(again.key.span, |n| n.span());
                let shown = again
                    .value
                    .path(&["Export", "Name"])
                    .and_then(|n| {
                        n.as_str()
                            .or_else(|| n.intrinsic().and_then(|(_, a)| a.as_str()))
                    })
                    .unwrap_or("");
                report
                    .add(span, format!(
                        "output `{}` exports `{shown}`, which output `{}` already exports",
                        again.key.text, first.key.text
                    ))
                    .label("exported twice")
                    .also(first_name, "first exported here")
                    .help("export names are unique in an account and region: give each output its own name");
            }
        }
    }
}
