//! ## What it finds
//! Properties that the resource type's schema says must come together, must not, or of
//! which one is required:
//! - `requiredXor`: exactly one of a set (`CidrIp`, `CidrIpv6`,
//!   `SourceSecurityGroupId`, ... of a security group rule; `Subnets` or
//!   `SubnetMappings` of a load balancer): none given is reported at the object, two
//!   given at the second, with the first as a secondary place;
//! - `requiredOr`: at least one of a set (`EventPattern` or `ScheduleExpression` of an
//!   EventBridge rule);
//! - `dependentRequired`: a property that needs another (`Ipv4IpamPoolId` needs
//!   `Ipv4NetmaskLength`), reported at the property;
//! - `dependentExcluded`: properties that exclude each other (`SubnetId` and
//!   `NetworkInterfaces` of an instance), reported at the second, with the first as a
//!   secondary place;
//! - `oneOf`/`anyOf` whose alternatives each require properties (an IAM policy needs
//!   `Users`, `Groups` or `Roles`; a stack set `TemplateURL` or `TemplateBody`, not
//!   both): none of the alternatives given is reported at the object, naming them (or
//!   naming what all of them require, a SAM event's `Type`); for `oneOf`, two given
//!   that each bring a property of their own are reported at the second;
//!   `oneOf: [{}, {required: [A, B]}]` forbids `A` with `B` (a metric stream's
//!   `IncludeFilters` and `ExcludeFilters`). An alternative the object's values
//!   already chose is SCHEMA-003's.
//!
//! A property whose value may be `AWS::NoValue` (through `Fn::If`) is undecided: the
//! combination is judged only when the answer is the same either way. Objects given by
//! intrinsic functions, SAM objects that `Globals` extend, custom resources, modules,
//! third-party types and templates with macros other than SAM and
//! `AWS::LanguageExtensions` are not judged; `Fn::If` branches are judged each.
//!
//! ## Why it matters
//! CloudFormation validates `Properties` against these keywords of the resource type
//! schema, or the service rejects the request, and the stack operation fails, often
//! after other resources were created and must be rolled back. See the resource type
//! schema: <https://docs.aws.amazon.com/cloudformation-cli/latest/userguide/resource-type-schema.html>.

use std::collections::HashSet;

use crate::prelude::*;
use crate::schema::walk::{
    required_alternatives_of, Alternative, Object, RequiredAlternatives, Step,
};
use crate::schema::{listing, CombinationKind};

pub const META: RuleMeta = RuleMeta {
    code: "SCHEMA-010",
    name: "property-combination",
    severity: Severity::Error,
    kinds: &[FileKind::Template],
    summary: "Properties the resource type's schema requires together, excludes together, or of which one is required.",
    source:
        "https://docs.aws.amazon.com/cloudformation-cli/latest/userguide/resource-type-schema.html",
};

pub struct Rule;

#[derive(Clone, Copy, PartialEq)]
enum Presence<'a> {
    Present(&'a Entry),
    Absent,
    Undecided,
}

fn presence<'a>(template: &Template, object: &Object<'a>, name: &str) -> Presence<'a> {
    match object.node.entry(name) {
        None => Presence::Absent,
        Some(entry) if entry.value.is_null() => Presence::Absent,
        Some(entry) if template.may_be_absent(&entry.value) => Presence::Undecided,
        Some(entry) => Presence::Present(entry),
    }
}

fn quoted(names: &[&str]) -> String {
    listing(names)
}

/// One alternative as text: `` `A` `` or `` (`A` and `B`) ``.
fn alternative_text(names: &[&str]) -> String {
    match names {
        [one] => format!("`{one}`"),
        _ => {
            let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
            format!("({})", quoted.join(" and "))
        }
    }
}

/// The properties every alternative requires.
fn common_names(members: &[Alternative]) -> Vec<&str> {
    members[0]
        .required
        .iter()
        .copied()
        .filter(|n| members.iter().all(|m| m.required.contains(n)))
        .collect()
}

/// The alternatives as text, each without the properties all of them require, and
/// each once (`` `A`, (`B` and `C`) ``).
fn alternatives_text(members: &[Alternative]) -> String {
    let common = common_names(members);
    let mut shown: Vec<String> = Vec::new();
    for member in members {
        let own: Vec<&str> = member
            .required
            .iter()
            .copied()
            .filter(|n| !common.contains(n))
            .collect();
        let text = alternative_text(if own.is_empty() {
            &member.required
        } else {
            &own
        });
        if !shown.contains(&text) {
            shown.push(text);
        }
    }
    shown.join(", ")
}

/// What the rule already reported, so that a `requiredXor` and a `oneOf` saying the
/// same thing give one finding.
#[derive(Default)]
struct Reported {
    /// Pairs of keys that exclude each other.
    pairs: HashSet<(Span, Span)>,
    /// Objects found missing a set of names (the names of all alternatives).
    missing: HashSet<(Span, Vec<String>)>,
}

impl Reported {
    fn first_missing(&mut self, anchor: Span, names: &[&str]) -> bool {
        let mut names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        names.sort_unstable();
        names.dedup();
        self.missing.insert((anchor, names))
    }
}

/// Names the resource in a message, "(`Id` `AWS::Type`)": written only into a finding,
/// not for every resource walked.
struct Whose<'r>(&'r str, &'r str);

impl std::fmt::Display for Whose<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "(`{}` `{}`)", self.0, self.1)
    }
}

fn report_none_given(
    report: &mut Report,
    anchor: Span,
    exclusive: bool,
    alternatives: &str,
    context: &Whose,
) {
    let how = if exclusive {
        "exactly one"
    } else {
        "at least one"
    };
    report
        .add(
            anchor,
            format!("{how} of {alternatives} is required {context}"),
        )
        .label("none of them given")
        .help(format!("add one of {alternatives}"));
}

/// Properties that every alternative requires, absent: the object matches none.
fn report_common_missing(report: &mut Report, object: &Object, missing: &[&str], context: &Whose) {
    let place = if object.path.is_empty() {
        String::new()
    } else {
        format!(" in `{}`", object.path.join("."))
    };
    report
        .add(
            object.anchor,
            format!(
                "{} missing{place}, which every alternative of the type's schema requires {context}",
                quoted(missing)
            ),
        )
        .label(format!("{} missing", quoted(missing)))
        .help(format!("add {}", quoted(missing)));
}

fn report_exclusive(
    report: &mut Report,
    reported: &mut Reported,
    (first, second): (&Entry, &Entry),
    alternatives: Option<&str>,
    context: &Whose,
) {
    if !reported.pairs.insert((first.key.span, second.key.span)) {
        return;
    }
    let only = alternatives
        .map(|a| format!(": only one of {a} may be given"))
        .unwrap_or_default();
    report
        .add(
            second.key.span,
            format!(
                "`{}` and `{}` exclude each other{only} {context}",
                first.key.text, second.key.text
            ),
        )
        .label("excluded by the other")
        .also(first.key.span, "given here too")
        .help("keep one of them");
}

/// Judges a `oneOf`/`anyOf` of required properties: none of the alternatives given,
/// or (for `oneOf`) two given that exclude each other.
fn judge_alternatives(
    template: &Template,
    object: &Object,
    group: &RequiredAlternatives,
    context: &Whose,
    report: &mut Report,
    reported: &mut Reported,
) {
    let members = &group.members;
    let states: Vec<Vec<Presence>> = members
        .iter()
        .map(|m| {
            m.required
                .iter()
                .map(|n| presence(template, object, n))
                .collect()
        })
        .collect();
    let alternatives = alternatives_text(members);
    let none_given = states.iter().all(|s| s.contains(&Presence::Absent));
    if none_given && !members.iter().any(|m| m.chosen) {
        let names: Vec<&str> = members.iter().flat_map(|m| m.required.clone()).collect();
        if !reported.first_missing(object.anchor, &names) {
            return;
        }
        let missing_common: Vec<&str> = common_names(members)
            .into_iter()
            .filter(|n| presence(template, object, n) == Presence::Absent)
            .collect();
        if missing_common.is_empty() {
            report_none_given(
                report,
                object.anchor,
                group.exclusive,
                &alternatives,
                context,
            );
        } else {
            report_common_missing(report, object, &missing_common, context);
        }
        return;
    }
    if !group.exclusive {
        return;
    }
    let holds = |i: usize| {
        states[i].iter().all(|s| matches!(s, Presence::Present(_)))
            && (!members[i].required.is_empty() || members[i].only_required)
    };
    for i in 0..members.len() {
        for j in i + 1..members.len() {
            if !holds(i) || !holds(j) {
                continue;
            }
            let only = |a: &Alternative, b: &Alternative| -> Vec<&Entry> {
                let mut entries: Vec<&Entry> = a
                    .required
                    .iter()
                    .filter(|n| !b.required.contains(n))
                    .filter_map(|n| object.node.entry(n))
                    .collect();
                entries.sort_by_key(|e| e.key.span.start());
                entries
            };
            let (own_i, own_j) = (
                only(&members[i], &members[j]),
                only(&members[j], &members[i]),
            );
            let (pair, listed) = match (own_i.first(), own_j.first()) {
                // Each alternative is chosen by a property of its own.
                (Some(a), Some(b)) => ((*a, *b), Some(alternatives.as_str())),
                // One alternative is the other plus more: both hold only when they say
                // nothing else (`oneOf: [{}, {required: [A, B]}]` forbids A with B).
                _ if members[i].only_required && members[j].only_required => {
                    match own_i.iter().chain(&own_j).collect::<Vec<_>>()[..] {
                        [a, b, ..] => ((*a, *b), None),
                        _ => continue,
                    }
                }
                _ => continue,
            };
            let pair = if pair.0.key.span.start() <= pair.1.key.span.start() {
                pair
            } else {
                (pair.1, pair.0)
            };
            report_exclusive(report, reported, pair, listed, context);
            return;
        }
    }
}

impl Check for Rule {
    fn walker(&self) -> Option<Box<dyn ResourceWalker>> {
        Some(Box::<Walker>::default())
    }
}

#[derive(Default)]
struct Walker {
    reported: Reported,
}

impl ResourceWalker for Walker {
    fn resource(&mut self, step: &Step, report: &mut Report) {
        let template = step.template;
        let (resource, schema) = (step.resource, step.schema);
        let context = Whose(resource.id, resource.type_name);
        if resource.properties.is_none() && resource.globals.is_none() {
            for group in required_alternatives_of(schema.root()) {
                if group.members.iter().all(|m| !m.required.is_empty()) {
                    let names: Vec<&str> = group
                        .members
                        .iter()
                        .flat_map(|m| m.required.clone())
                        .collect();
                    if self.reported.first_missing(resource.anchor(), &names) {
                        let alternatives = alternatives_text(&group.members);
                        report_none_given(
                            report,
                            resource.anchor(),
                            group.exclusive,
                            &alternatives,
                            &context,
                        );
                    }
                }
            }
            return;
        }
        for object in step.objects {
            if object.globals.is_some() {
                continue;
            }
            let combinations: Vec<_> = object
                .parts()
                .iter()
                .flat_map(|p| p.combinations())
                .collect();
            for combination in combinations {
                let names = &combination.names;
                let states: Vec<Presence> = names
                    .iter()
                    .map(|n| presence(template, object, n))
                    .collect();
                let present: Vec<&Entry> = states
                    .iter()
                    .filter_map(|s| match s {
                        Presence::Present(e) => Some(*e),
                        _ => None,
                    })
                    .collect();
                let undecided = states.contains(&Presence::Undecided);
                match (combination.kind, combination.key) {
                    (CombinationKind::RequiredXor | CombinationKind::RequiredOr, _)
                        if present.is_empty()
                            && !undecided
                            && self.reported.first_missing(object.anchor, names) =>
                    {
                        report_none_given(
                            report,
                            object.anchor,
                            combination.kind == CombinationKind::RequiredXor,
                            &quoted(names),
                            &context,
                        );
                    }
                    (CombinationKind::RequiredXor, _) if present.len() >= 2 => {
                        report_exclusive(
                            report,
                            &mut self.reported,
                            (present[0], present[1]),
                            Some(&quoted(names)),
                            &context,
                        );
                    }
                    (CombinationKind::DependentRequired, Some(key)) => {
                        let Presence::Present(entry) = presence(template, object, key) else {
                            continue;
                        };
                        let missing: Vec<&str> = names
                            .iter()
                            .zip(&states)
                            .filter(|(_, s)| **s == Presence::Absent)
                            .map(|(n, _)| *n)
                            .collect();
                        if !missing.is_empty()
                            && self.reported.pairs.insert((entry.key.span, entry.key.span))
                        {
                            report
                                .add(
                                    entry.key.span,
                                    format!("`{key}` requires {} {context}", quoted(&missing)),
                                )
                                .label(format!("needs {}", quoted(&missing)))
                                .help(format!("add {} or remove `{key}`", quoted(&missing)));
                        }
                    }
                    (CombinationKind::DependentExcluded, Some(key)) => {
                        let Presence::Present(entry) = presence(template, object, key) else {
                            continue;
                        };
                        for other in &present {
                            let (first, second) =
                                if entry.key.span.start() <= other.key.span.start() {
                                    (entry, *other)
                                } else {
                                    (*other, entry)
                                };
                            report_exclusive(
                                report,
                                &mut self.reported,
                                (first, second),
                                None,
                                &context,
                            );
                        }
                    }
                    _ => {}
                }
            }
            for group in object.required_alternatives() {
                judge_alternatives(
                    template,
                    object,
                    &group,
                    &context,
                    report,
                    &mut self.reported,
                );
            }
        }
    }
}
