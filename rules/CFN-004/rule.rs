//! ## What it finds
//! An intrinsic function call CloudFormation rejects because of its shape or place:
//! - `Fn::Sub` with a `${` that is never closed (the finding points at that `${`), a
//!   variable map that is not a mapping, or a string that is not a literal string;
//! - `Fn::GetAtt` that is not `Resource.Attribute` or `[Resource, Attribute]`;
//! - `Fn::Join` that is not `[delimiter, list]`, or whose list is a function that
//!   returns a string (`Fn::Sub`, `Fn::Join`, ...);
//! - `Fn::Select` that is not `[index, list]`, or whose literal index is past the end
//!   of a literal list;
//! - `Fn::Split`, `Fn::FindInMap` (three arguments, or four with `{DefaultValue: ...}`),
//!   `Fn::Cidr`, `Fn::Base64`, `Fn::GetAZs`, `Fn::ImportValue`, `Fn::Length`,
//!   `Fn::ToJsonString` and `Ref` with arguments of the wrong kind or number;
//! - `Fn::If` that is not `[condition, value if true, value if false]`, or used in
//!   `Conditions`, `Parameters` or `Mappings`, where it is not allowed;
//! - an unknown `Fn::` name (`Fn::Sbu`), with the closest real one; when it is the only
//!   function name within reach, the fix renames the key (quotes kept).
//!
//! The shape of the condition functions (`Fn::Equals`, `Fn::And`, `Fn::Or`, `Fn::Not`,
//! `Condition`, and an `Fn::If` whose first argument is not a condition name) is
//! CFN-009's.
//!
//! ## Why it matters
//! CloudFormation validates every intrinsic function before it creates anything and
//! rejects the whole template ("Template error: every Fn::Join object requires two
//! parameters", "Template format error: Unrecognized function"), as the intrinsic
//! function reference states for each function's declaration. An unclosed `${` in
//! `Fn::Sub` is usually a typo in a long `UserData` script: the finding points at the
//! `${` itself rather than the whole string.
//!
//! Templates that a macro rewrites first (a `Transform` other than SAM and
//! `AWS::LanguageExtensions`, `Fn::Transform` in place of a section) and the arguments
//! of `Fn::Transform` are not judged: the macro decides what they mean.
//! `AWS::LanguageExtensions` is understood (`Fn::ForEach`, `Fn::Length`,
//! `Fn::ToJsonString`, `Fn::FindInMap` with `DefaultValue`), and so are `Ref` of a
//! function that resolves to a name and `Fn::GetStackOutput`, which the intrinsic
//! function reference now lists.

use crate::model::eval::{describe, without_prefix, ShapeError, FUNCTION_NAMES};
use crate::prelude::*;
use crate::rule::Fix;
use crate::suggest::{closest, sole_close_match};

pub const META: RuleMeta = RuleMeta {
    code: "CFN-004",
    name: "invalid-intrinsic-function",
    severity: Severity::Error,
    kinds: &[FileKind::Template],
    summary: "An intrinsic function has the wrong shape, or is used where it is not allowed.",
    source: "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference.html",
};

pub struct Rule;

/// The sections whose values may hold intrinsic functions, and whether `Fn::If` is
/// allowed there.
const SECTIONS: &[(&str, bool)] = &[
    ("Resources", true),
    ("Outputs", true),
    ("Globals", true),
    ("Conditions", false),
    ("Parameters", false),
    ("Mappings", false),
];

impl Check for Rule {
    fn template(&self, template: &Template, report: &mut Report) {
        if template.partial().is_some() {
            return;
        }
        for &(section, if_allowed) in SECTIONS {
            let Some(root) = template.section(section) else {
                continue;
            };
            let mut stack = vec![root];
            while let Some(node) = stack.pop() {
                match template.intrinsic(node) {
                    Some(Err(problem)) if judged(&problem) => {
                        report_shape(&problem, report);
                    }
                    Some(Err(_)) => {}
                    Some(Ok(call)) => {
                        if matches!(call, Intrinsic::Transform(_)) {
                            continue;
                        }
                        if let Intrinsic::If { .. } = call {
                            if !if_allowed {
                                let key = node.as_map().and_then(|m| m.first());
                                report
                                    .add(
                                        key.map_or(node.span(), |k| k.key.span),
                                        format!("`Fn::If` cannot be used in `{section}`"),
                                    )
                                    .label("not allowed here")
                                    .help(if section == "Conditions" {
                                        "combine conditions with `Fn::And`, `Fn::Or` and `Fn::Not`; `Fn::If` belongs in resource properties and outputs"
                                    } else {
                                        "`Fn::If` is allowed in `Resources` and `Outputs` (properties, `Metadata`, `UpdatePolicy`)"
                                    });
                            }
                        }
                        check_types(template, &call, report);
                    }
                    None => {}
                }
                match &node.value {
                    Value::Seq(items) => stack.extend(items.iter().rev()),
                    Value::Map(entries) => stack.extend(entries.iter().rev().map(|e| &e.value)),
                    Value::Scalar(..) => {}
                }
            }
        }
    }
}

/// Condition functions are CFN-009's.
fn judged(problem: &ShapeError) -> bool {
    !problem.is_condition_function()
}

fn report_shape(problem: &ShapeError, report: &mut Report) {
    let finding = report.add(problem.span, problem.message.clone());
    if problem.is_unknown_function() {
        finding.label("unknown function");
        // A prefixed `Ref` or `Condition` means the function without the prefix (the
        // nearest prefixed name would be wrong): the fix drops it.
        if let Some(bare) = without_prefix(&problem.function) {
            finding.help(format!("write `{bare}`: it takes no `Fn::` prefix"));
            if let Some(span) = crate::document::name_span(problem.span, &problem.function) {
                finding.fix = Some(Fix {
                    span,
                    replacement: bare.to_string(),
                    title: format!("rename {} to {bare}", problem.function),
                });
            }
            return;
        }
        match closest(&problem.function, FUNCTION_NAMES.iter().copied()) {
            Some(similar) => {
                let sole = sole_close_match(&problem.function, FUNCTION_NAMES.iter().copied());
                let span = crate::document::name_span(problem.span, &problem.function);
                if let (Some(name), Some(span)) = (sole, span) {
                    finding.fix = Some(Fix {
                        span,
                        replacement: name.to_string(),
                        title: format!("rename {} to {name}", problem.function),
                    });
                }
                finding.help(format!("did you mean `{similar}`?"))
            }
            None => finding.help(
                "see the intrinsic function reference for the functions CloudFormation knows",
            ),
        };
        return;
    }
    if problem.is_unclosed_sub_variable() {
        finding
            .label("unclosed `${`")
            .help("close the variable with `}`, or write `${!` for a literal `${`");
        return;
    }
    finding.label("wrong shape").help(format!(
        "write `{}` as {}",
        problem.function, problem.expected
    ));
}

/// Checks that need the types of the operands: a list where a list is needed, an
/// index inside a literal list.
fn check_types(template: &Template, call: &Intrinsic, report: &mut Report) {
    match call {
        Intrinsic::Join { values, .. } => need_list(template, call, "values", values, report),
        Intrinsic::Select { index, list } => {
            need_list(template, call, "list", list, report);
            if let (Some(i), Some(items)) = (index.as_i64(), list.as_seq()) {
                if usize::try_from(i).is_ok_and(|i| i >= items.len()) {
                    report
                        .add(
                            index.span(),
                            format!(
                                "`Fn::Select` index {i} is past the end of a list of {} item{}",
                                items.len(),
                                if items.len() == 1 { "" } else { "s" }
                            ),
                        )
                        .label("out of range")
                        .also(list.span(), "the list")
                        .help(format!(
                            "use an index from 0 to {}",
                            items.len().saturating_sub(1)
                        ));
                }
            }
        }
        Intrinsic::Split { string, .. } => {
            let types = template.output_type(string);
            if string.intrinsic().is_some() && types.is(ValueType::List) {
                report
                    .add(
                        string.span(),
                        format!(
                            "`Fn::Split` needs a string to split, and {} returns a list",
                            describe(string)
                        ),
                    )
                    .label("a list, not a string")
                    .help("split a string; a list needs no splitting (use `Fn::Select` on it directly)");
            }
        }
        Intrinsic::Cidr { count, bits, .. } => {
            for (node, what, range) in [(count, "count", 1..=256), (bits, "cidr bits", 1..=128)] {
                if node.intrinsic().is_some() {
                    continue;
                }
                if !node.as_i64().is_some_and(|n| range.contains(&n)) {
                    report
                        .add(
                            node.span(),
                            format!(
                                "the {what} of `Fn::Cidr` must be a whole number from {} to {}",
                                range.start(),
                                range.end()
                            ),
                        )
                        .label("not a valid number here")
                        .help("write `Fn::Cidr` as [ip block, count, cidr bits], e.g. `!Cidr [10.0.0.0/16, 4, 8]`");
                }
            }
        }
        _ => {}
    }
}

fn need_list(template: &Template, call: &Intrinsic, what: &str, node: &Node, report: &mut Report) {
    let function = call.name();
    if node.intrinsic().is_none() {
        return;
    }
    let types = template.output_type(node);
    let Some(single) = types.single() else {
        return;
    };
    if single == ValueType::List {
        return;
    }
    let kind = match single {
        ValueType::String => "a string",
        ValueType::Number => "a number",
        ValueType::Boolean => "a boolean",
        ValueType::Object => "a mapping",
        ValueType::List => "a list",
    };
    report
        .add(
            node.span(),
            format!(
                "the {what} of `{function}` must be a list, and {} returns {kind}",
                describe(node)
            ),
        )
        .label(format!("{kind}, not a list"))
        .help(if matches!(call, Intrinsic::Join { .. }) {
            "give `Fn::Join` a list: `[delimiter, [a, b, ...]]`, or a function returning one (`Fn::Split`, `Fn::GetAZs`, a `List<...>` parameter)"
        } else {
            "give `Fn::Select` a list, or a function returning one (`Fn::Split`, `Fn::GetAZs`, a `List<...>` parameter)"
        });
}
