//! ## What it finds
//! A condition CloudFormation rejects:
//! - under `Conditions`, a condition that is not a condition function (`Fn::Equals`,
//!   `Fn::And`, `Fn::Or`, `Fn::Not`, `Condition`); `Fn::Equals` without exactly two
//!   values; `Fn::And`/`Fn::Or` without 2 to 10 conditions; `Fn::Not` without exactly
//!   one; `Condition` not followed by a name;
//! - a `Ref` or `Fn::GetAtt` to a resource inside a condition (conditions can only use
//!   parameters and mappings);
//! - conditions that refer to themselves through others (`A` uses `B`, `B` uses `A`):
//!   one finding per cycle, with every link labelled;
//! - an `Fn::If` whose first argument is not a condition name (an inline
//!   `!Equals [...]`, say);
//! - a resource's or output's `Condition` that is not a name.
//!
//! ## Why it matters
//! The condition functions page states each function's arguments (`Fn::And` takes 2 to
//! 10 conditions), that all conditions are defined in the `Conditions` section except
//! `Fn::If`, whose first argument names one of them, and that conditions can reference
//! only parameters, mappings and other conditions. CloudFormation checks this before
//! it creates anything and rejects the template. An inline `Fn::Equals` as the first
//! argument of `Fn::If` reads naturally but is refused: declare it under `Conditions`
//! and name it. A cycle between conditions can never be evaluated.
//!
//! Each condition and each `Fn::If` is judged on its own (no enumeration of parameter
//! combinations), so the work is linear in the template's size. Names missing from
//! `Conditions` are CFN-001's; templates a macro rewrites are not judged.

use std::collections::HashMap;

use crate::model::eval::{describe, ShapeError};
use crate::model::graph::{cycles, Graph};
use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "CFN-009",
    name: "invalid-condition",
    severity: Severity::Error,
    kinds: &[FileKind::Template],
    summary: "A condition has the wrong shape, refers to itself, or an Fn::If or Condition does not name one.",
    source: "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-conditions.html",
};

pub struct Rule;

impl Check for Rule {
    fn template(&self, template: &Template, report: &mut Report) {
        if template.partial().is_some() {
            return;
        }
        if let Some(conditions) = template.section("Conditions") {
            if conditions.intrinsic().is_none() {
                check_conditions(template, conditions, report);
            }
        }
        for section in ["Resources", "Outputs", "Globals"] {
            let Some(root) = template.section(section) else {
                continue;
            };
            root.walk(|node| {
                if let Some(condition) = Intrinsic::if_condition_of(node) {
                    if condition.as_str().is_none() {
                        let inline = condition.intrinsic().is_some();
                        let finding = report.add(
                            condition.span(),
                            format!(
                                "the first argument of `Fn::If` must be a condition name, not {}",
                                describe(condition)
                            ),
                        );
                        finding.label("not a condition name");
                        if inline {
                            finding.help("declare this condition under `Conditions` (`IsProd: !Equals [...]`) and write its name here");
                        } else {
                            finding.help("write the name of a condition declared under `Conditions`");
                        }
                    }
                }
            });
        }
        let holders = template
            .resources
            .iter()
            .map(|r| (r.node, "resource"))
            .chain(
                template
                    .section("Outputs")
                    .into_iter()
                    .flat_map(|o| o.iter_map().map(|e| (&e.value, "output"))),
            );
        for (node, what) in holders {
            if let Some(condition) = node.get("Condition") {
                if condition.as_str().is_none() {
                    report
                        .add(
                            condition.span(),
                            format!(
                                "a {what}'s `Condition` must be the name of a condition, not {}",
                                describe(condition)
                            ),
                        )
                        .label("not a condition name")
                        .help("declare the condition under `Conditions` and write its name here");
                }
            }
        }
    }
}

fn check_conditions(template: &Template, conditions: &Node, report: &mut Report) {
    let names: HashMap<&str, usize> = conditions
        .iter_map()
        .enumerate()
        .map(|(i, e)| (e.key.text.as_str(), i))
        .collect();
    let entries: Vec<&Entry> = conditions.iter_map().collect();
    // Links between conditions: (from, to, span of the use).
    let mut links: Vec<(usize, usize, Span)> = Vec::new();
    for (from, entry) in entries.iter().enumerate() {
        let value = &entry.value;
        match template.intrinsic(value) {
            Some(Ok(
                Intrinsic::Equals(..)
                | Intrinsic::And(_)
                | Intrinsic::Or(_)
                | Intrinsic::Not(_)
                | Intrinsic::Condition(_),
            ))
            | Some(Err(_)) => {}
            // CFN-004 reports `Fn::If` outside Resources and Outputs.
            Some(Ok(Intrinsic::If { .. })) => {}
            _ => {
                report
                    .add(
                        value.span(),
                        format!(
                            "condition `{}` must be a condition function (`Fn::Equals`, `Fn::And`, `Fn::Or`, `Fn::Not` or `Condition`), not {}",
                            entry.key.text,
                            describe(value)
                        ),
                    )
                    .label("not a condition")
                    .help("write the condition as `!Equals [a, b]`, or combine others with `!And`, `!Or`, `!Not`");
            }
        }
        value.walk(|node| {
            if let Some(Err(problem)) = template.intrinsic(node) {
                if problem.is_condition_function() {
                    report_shape(&problem, report);
                }
            }
        });
        for reference in template.references(value) {
            match reference.kind {
                RefKind::IfCondition | RefKind::Condition => {
                    if let Some(&to) = names.get(reference.name) {
                        links.push((from, to, reference.span));
                    }
                }
                RefKind::Ref | RefKind::GetAtt | RefKind::SubRef | RefKind::SubGetAtt
                    if template.resource(reference.name).is_some()
                        && template.parameter(reference.name).is_none() =>
                {
                    report
                        .add(
                            reference.span,
                            format!(
                                "condition `{}` refers to resource `{}`: conditions can only use parameters, mappings and other conditions",
                                entry.key.text, reference.name
                            ),
                        )
                        .label("a resource")
                        .help("conditions are evaluated before any resource exists; decide from a parameter instead");
                }
                _ => {}
            }
        }
    }
    report_cycles(&entries, &links, report);
}

fn report_shape(problem: &ShapeError, report: &mut Report) {
    report
        .add(problem.span, problem.message.clone())
        .label("wrong shape")
        .help(format!(
            "write `{}` as {}",
            problem.function, problem.expected
        ));
}

/// One finding per cycle of conditions, with every link inside it.
fn report_cycles(entries: &[&Entry], links: &[(usize, usize, Span)], report: &mut Report) {
    let graph = Graph::new(entries.len(), links.iter().map(|&(from, to, _)| (from, to)));
    for members in cycles(&graph) {
        let in_cycle = |i: usize| members.binary_search(&i).is_ok();
        let first = entries[members[0]];
        let message = if members.len() == 1 {
            format!("condition `{}` refers to itself", first.key.text)
        } else {
            format!(
                "conditions refer to each other in a cycle: {}",
                members
                    .iter()
                    .map(|&i| format!("`{}`", entries[i].key.text))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        let finding = report.add(first.key.span, message);
        finding.label("in a cycle");
        for &(from, to, span) in links {
            if in_cycle(from) && in_cycle(to) {
                finding.also(
                    span,
                    format!(
                        "`{}` uses `{}`",
                        entries[from].key.text, entries[to].key.text
                    ),
                );
            }
        }
        finding.help(
            "a condition cannot depend on itself: rewrite one of them in terms of parameters",
        );
    }
}
