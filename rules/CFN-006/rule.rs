//! ## What it finds
//! A parameter CloudFormation rejects when the template is validated, or whose own
//! `Default` fails its constraints:
//! - a property that parameters do not have (`default`, `Allowedvalues`, ...; renamed
//!   by the fix when one property is within reach and the parameter lacks it), or a
//!   `Default` that is a list or a map (list types take a comma-separated string);
//! - no `Type`, or a `Type` that is not a parameter type (`string`, `Integer`,
//!   `List<String>`, `AWS::EC2::VPC::ID`, ...), with the closest type suggested;
//! - a `Default` that is not in its own `AllowedValues`, does not match its
//!   `AllowedPattern` (the pattern must match the whole value), is shorter than
//!   `MinLength` or longer than `MaxLength`, or, for `Number`, is not a number or lies
//!   outside `MinValue`/`MaxValue` (each item of a `List<Number>` likewise);
//! - constraints that do not fit the type: `MinValue`/`MaxValue` on a parameter that is
//!   not a `Number`, `MinLength`/`MaxLength`/`AllowedPattern` on a `Number`, a
//!   length or value bound that is not a number, a minimum above its maximum, or
//!   `AllowedValues` that is not a list.
//!
//! ## Why it matters
//! The Parameters page lists the parameter types and says which constraint applies to
//! which (`AllowedPattern` and the lengths to strings, the values to numbers), and that a
//! `Default` must satisfy the parameter's constraints. A template whose default breaks
//! them fails with "Parameter 'X' must be one of AllowedValues" (or "must match pattern")
//! as soon as a stack is created without an explicit value; an unknown type fails every
//! deployment ("Unrecognized parameter type").
//!
//! `AllowedValues` and patterns of `CommaDelimitedList`, `List<...>` and SSM parameter
//! types apply to items or to the SSM parameter's name and are not judged, except
//! numbers in `List<Number>`; a pattern that stacklint's regular expressions cannot
//! read (Java's look-arounds or back-references) keeps the rule silent. `List<String>`
//! is not among the documented types but appears in real templates; it is not judged. Templates that a
//! macro still rewrites are not judged. Parameter types:
//! <https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-supplied-parameter-types.html>.

use crate::prelude::*;
use crate::suggest::{closest, rename_key};

pub const META: RuleMeta = RuleMeta {
    code: "CFN-006",
    name: "invalid-parameter",
    severity: Severity::Error,
    kinds: &[FileKind::Template],
    summary: "A parameter of an unknown type, with constraints that do not fit its type, or whose Default breaks its own constraints.",
    source: "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html",
};

pub struct Rule;

const PARAMETER_KEYS: &[&str] = &[
    "Type",
    "Default",
    "AllowedPattern",
    "AllowedValues",
    "ConstraintDescription",
    "Description",
    "MaxLength",
    "MaxValue",
    "MinLength",
    "MinValue",
    "NoEcho",
];

const BASIC_TYPES: &[&str] = &["String", "Number", "List<Number>", "CommaDelimitedList"];

const AWS_TYPES: &[&str] = &[
    "AWS::EC2::AvailabilityZone::Name",
    "AWS::EC2::Image::Id",
    "AWS::EC2::Instance::Id",
    "AWS::EC2::KeyPair::KeyName",
    "AWS::EC2::SecurityGroup::GroupName",
    "AWS::EC2::SecurityGroup::Id",
    "AWS::EC2::Subnet::Id",
    "AWS::EC2::Volume::Id",
    "AWS::EC2::VPC::Id",
    "AWS::Route53::HostedZone::Id",
];

/// Every type name, for suggestions (the SSM forms in their common spellings).
fn all_types() -> Vec<String> {
    let mut out: Vec<String> = BASIC_TYPES.iter().map(|t| t.to_string()).collect();
    for t in AWS_TYPES {
        out.push(t.to_string());
        out.push(format!("List<{t}>"));
    }
    out.push("AWS::SSM::Parameter::Name".into());
    for inner in ["String", "List<String>", "CommaDelimitedList"] {
        out.push(format!("AWS::SSM::Parameter::Value<{inner}>"));
    }
    for t in AWS_TYPES {
        out.push(format!("AWS::SSM::Parameter::Value<{t}>"));
        out.push(format!("AWS::SSM::Parameter::Value<List<{t}>>"));
    }
    out
}

fn is_known_type(name: &str) -> bool {
    if BASIC_TYPES.contains(&name)
        || AWS_TYPES.contains(&name)
        || name == "AWS::SSM::Parameter::Name"
    {
        return true;
    }
    if let Some(inner) = name.strip_prefix("List<").and_then(|r| r.strip_suffix('>')) {
        // `List<String>` is not documented, but real templates (SAM's own tests) use
        // it: not judged.
        return AWS_TYPES.contains(&inner) || inner == "String";
    }
    if let Some(inner) = name
        .strip_prefix("AWS::SSM::Parameter::Value<")
        .and_then(|r| r.strip_suffix('>'))
    {
        if matches!(inner, "String" | "List<String>" | "CommaDelimitedList") {
            return true;
        }
        let item = inner
            .strip_prefix("List<")
            .and_then(|r| r.strip_suffix('>'))
            .unwrap_or(inner);
        return AWS_TYPES.contains(&item);
    }
    false
}

/// What the constraints of a type apply to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Family {
    String,
    Number,
    NumberList,
    /// AWS-specific types: `AllowedValues` apply to the value.
    AwsValue,
    /// Lists, SSM types: not judged.
    Other,
}

fn family(name: &str) -> Family {
    match name {
        "String" => Family::String,
        "Number" => Family::Number,
        "List<Number>" => Family::NumberList,
        _ if AWS_TYPES.contains(&name) => Family::AwsValue,
        _ => Family::Other,
    }
}

impl Check for Rule {
    fn template(&self, template: &Template, report: &mut Report) {
        if template.partial().is_some() {
            return;
        }
        let types = all_types();
        for parameter in &template.parameters {
            let name = parameter.name;
            if parameter.node.as_map().is_none() {
                continue;
            }
            for entry in parameter.node.iter_map() {
                let key = entry.key.text.as_str();
                if PARAMETER_KEYS.contains(&key) {
                    continue;
                }
                let finding = report.add(
                    entry.key.span,
                    format!("`{key}` is not a property of a parameter (parameter `{name}`)"),
                );
                finding.label("unknown parameter property");
                finding.fix =
                    rename_key(&entry.key, PARAMETER_KEYS.iter().copied(), parameter.node);
                match closest(key, PARAMETER_KEYS.iter().copied()) {
                    Some(similar) => finding.help(format!("did you mean `{similar}`?")),
                    None => {
                        finding.help(format!("a parameter takes {}", PARAMETER_KEYS.join(", ")))
                    }
                };
            }
            if let Some(default) = parameter.node.get("Default") {
                if default.as_seq().is_some()
                    || (default.as_map().is_some() && default.intrinsic().is_none())
                {
                    report
                        .add(default.span(), format!("the `Default` of parameter `{name}` is not a string"))
                        .label("not a string")
                        .help("write the default as one string; for a list type, comma-separated: `Default: \"a,b\"`");
                }
            }
            let Some(type_node) = parameter.node.get("Type") else {
                report
                    .add(parameter.key_span, format!("parameter `{name}` has no `Type`"))
                    .label("no Type")
                    .help("add `Type: String` (or `Number`, `CommaDelimitedList`, an AWS-specific type, ...): every parameter needs one");
                continue;
            };
            let Some(type_name) = type_node.as_str() else {
                continue;
            };
            if !is_known_type(type_name) {
                let finding = report.add(
                    type_node.span(),
                    format!(
                        "`{type_name}` is not a CloudFormation parameter type (parameter `{name}`)"
                    ),
                );
                finding.label("unknown parameter type");
                match closest(type_name, types.iter().map(String::as_str)) {
                    Some(similar) => {
                        finding.help(format!("did you mean `{similar}`?"));
                        finding.fix_scalar(type_node, similar, format!("set Type to {similar}"));
                    }
                    None => {
                        finding.help("use String, Number, List<Number>, CommaDelimitedList, an AWS-specific type (AWS::EC2::VPC::Id, ...) or an SSM parameter type");
                    }
                };
                continue;
            }
            check_constraints(parameter.node, name, family(type_name), type_name, report);
        }
    }
}

fn bound(node: &Node, key: &str, name: &str, report: &mut Report) -> Option<f64> {
    let value = node.get(key)?;
    match value.as_f64() {
        Some(number) => Some(number),
        None => {
            report
                .add(
                    value.span(),
                    format!("`{key}` of parameter `{name}` is not a number"),
                )
                .label("not a number")
                .help(format!("write `{key}` as a number"));
            None
        }
    }
}

fn check_constraints(
    node: &Node,
    name: &str,
    family: Family,
    type_name: &str,
    report: &mut Report,
) {
    // Constraints that belong to the other kind of type.
    let misplaced: &[&str] = match family {
        Family::Number | Family::NumberList => &["MinLength", "MaxLength", "AllowedPattern"],
        Family::String | Family::AwsValue => &["MinValue", "MaxValue"],
        Family::Other => &[],
    };
    for key in misplaced {
        if let Some(entry) = node.entry(key) {
            let applies = if key.ends_with("Value") {
                "Number parameters"
            } else {
                "String parameters"
            };
            report
                .add(
                    entry.key.span,
                    format!("`{key}` does not apply to parameter `{name}` of type `{type_name}`"),
                )
                .label(format!("only for {applies}"))
                .help(format!(
                    "`{key}` constrains {applies}: remove it, or change the type"
                ));
        }
    }
    let min_length = bound(node, "MinLength", name, report);
    let max_length = bound(node, "MaxLength", name, report);
    let min_value = bound(node, "MinValue", name, report);
    let max_value = bound(node, "MaxValue", name, report);
    for (low, high, what) in [
        (min_length, max_length, "MinLength"),
        (min_value, max_value, "MinValue"),
    ] {
        if let (Some(low), Some(high)) = (low, high) {
            if low > high {
                let high_key = what.replace("Min", "Max");
                let span = node.get(what).map_or(node.span(), |n| n.span());
                let finding = report.add(
                    span,
                    format!("`{what}` {low} of parameter `{name}` is above its `{high_key}` {high}: no value can satisfy both"),
                );
                finding.label("minimum above maximum");
                if let Some(other) = node.get(&high_key) {
                    finding.also(other.span(), "maximum");
                }
                finding.help("swap the bounds, or fix the one that is wrong");
            }
        }
    }
    let allowed = node.get("AllowedValues");
    if let Some(allowed) = allowed {
        if allowed.as_seq().is_none() && allowed.intrinsic().is_none() {
            report
                .add(
                    allowed.span(),
                    format!("`AllowedValues` of parameter `{name}` is not a list"),
                )
                .label("not a list")
                .help("write `AllowedValues: [a, b, ...]`");
        }
    }
    let Some(default) = node.get("Default") else {
        return;
    };
    let Some(text) = default.as_scalar() else {
        return;
    };
    if default.intrinsic().is_some() {
        return;
    }
    let fail = |report: &mut Report,
                message: String,
                label: &str,
                also: Option<(Span, &str)>,
                help: String| {
        let finding = report.add(default.span(), message);
        finding.label(label);
        if let Some((span, text)) = also {
            finding.also(span, text);
        }
        finding.help(help);
    };
    match family {
        Family::Number | Family::NumberList => {
            let items: Vec<&str> = if family == Family::NumberList {
                text.split(',').map(str::trim).collect()
            } else {
                vec![text.trim()]
            };
            for item in items {
                let Ok(number) = item.parse::<f64>() else {
                    fail(
                        report,
                        format!("`Default` `{item}` of parameter `{name}` is not a number"),
                        "not a number",
                        None,
                        format!("a `{type_name}` parameter takes numbers: fix the default"),
                    );
                    return;
                };
                if let (Some(min), Some(span)) = (min_value, node.get("MinValue").map(|n| n.span()))
                {
                    if number < min {
                        fail(report, format!("`Default` {item} of parameter `{name}` is below its `MinValue` {min}"), "below MinValue", Some((span, "MinValue")), "raise the default, or lower MinValue".into());
                    }
                }
                if let (Some(max), Some(span)) = (max_value, node.get("MaxValue").map(|n| n.span()))
                {
                    if number > max {
                        fail(report, format!("`Default` {item} of parameter `{name}` is above its `MaxValue` {max}"), "above MaxValue", Some((span, "MaxValue")), "lower the default, or raise MaxValue".into());
                    }
                }
                if family == Family::Number {
                    check_allowed(allowed, text, Some(number), name, default, report);
                }
            }
        }
        Family::String | Family::AwsValue => {
            check_allowed(allowed, text, None, name, default, report);
            if family == Family::AwsValue {
                return;
            }
            let length = text.chars().count() as f64;
            if let (Some(min), Some(span)) = (min_length, node.get("MinLength").map(|n| n.span())) {
                if length < min {
                    fail(report, format!("`Default` of parameter `{name}` is {length} characters long, shorter than its `MinLength` {min}"), "too short", Some((span, "MinLength")), "lengthen the default, or lower MinLength".into());
                }
            }
            if let (Some(max), Some(span)) = (max_length, node.get("MaxLength").map(|n| n.span())) {
                if length > max {
                    fail(report, format!("`Default` of parameter `{name}` is {length} characters long, longer than its `MaxLength` {max}"), "too long", Some((span, "MaxLength")), "shorten the default, or raise MaxLength".into());
                }
            }
            if let Some(pattern_node) = node.get("AllowedPattern") {
                if let Some(pattern) = pattern_node.as_str() {
                    // The pattern must match the whole value; patterns Rust's regex
                    // cannot read (look-arounds, back-references) are not judged.
                    let whole = format!("^(?:{pattern})$");
                    if crate::pattern::template_pattern_matches(&whole, text) == Some(false) {
                        fail(report, format!("`Default` `{text}` of parameter `{name}` does not match its `AllowedPattern` `{pattern}`"), "does not match AllowedPattern", Some((pattern_node.span(), "pattern")), "fix the default, or the pattern (it must match the whole value)".into());
                    }
                }
            }
        }
        Family::Other => {}
    }
}

fn check_allowed(
    allowed: Option<&Node>,
    text: &str,
    number: Option<f64>,
    name: &str,
    default: &Node,
    report: &mut Report,
) {
    let Some(values) = allowed.and_then(Node::as_seq) else {
        return;
    };
    if values.iter().any(|v| v.as_scalar().is_none()) {
        return;
    }
    let matches = values.iter().any(|value| {
        let Some(candidate) = value.as_scalar() else {
            return false;
        };
        candidate == text
            || number.is_some_and(|n| candidate.trim().parse::<f64>().is_ok_and(|c| c == n))
    });
    if matches {
        return;
    }
    let listed: Vec<&str> = values.iter().filter_map(Node::as_scalar).collect();
    let finding = report.add(
        default.span(),
        format!("`Default` `{text}` of parameter `{name}` is not one of its `AllowedValues`"),
    );
    finding.label("not allowed");
    if let Some(allowed) = allowed {
        finding.also(allowed.span(), "AllowedValues");
    }
    match closest(text, listed.iter().copied()) {
        // No fix: a parameter's Default is the author's choice, never rewritten.
        Some(similar) => {
            finding.help(format!("did you mean `{similar}`?"));
        }
        None => {
            finding.help(format!("use one of {}", listed.join(", ")));
        }
    }
}
