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
//!   secondary place.
//!
//! A property whose value may be `AWS::NoValue` (through `Fn::If`) is undecided: the
//! combination is judged only when the answer is the same either way. Objects given by
//! intrinsic functions, SAM objects that `Globals` extend, custom resources, modules,
//! third-party types and templates with macros other than SAM and
//! `AWS::LanguageExtensions` are not judged. The schemas' `oneOf`/`anyOf` alternatives
//! are not judged here.
//!
//! ## Why it matters
//! CloudFormation validates `Properties` against these keywords of the resource type
//! schema, or the service rejects the request, and the stack operation fails, often
//! after other resources were created and must be rolled back. See the resource type
//! schema: <https://docs.aws.amazon.com/cloudformation-cli/latest/userguide/resource-type-schema.html>.

use std::collections::HashSet;

use crate::prelude::*;
use crate::schema::walk::{judged_resources, walk_resource, Object};
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

impl Check for Rule {
    fn template(&self, template: &Template, report: &mut Report) {
        let mut reported: HashSet<(Span, Span)> = HashSet::new();
        for (resource, schema) in judged_resources(template) {
            let context = format!("(`{}` `{}`)", resource.id, resource.type_name);
            walk_resource(resource, schema, &mut |object| {
                if object.globals.is_some() {
                    return;
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
                            if present.is_empty() && !undecided =>
                        {
                            let how = if combination.kind == CombinationKind::RequiredXor {
                                "exactly one"
                            } else {
                                "at least one"
                            };
                            {
                                report
                                    .add(
                                        object.anchor,
                                        format!("{how} of {} is required {context}", quoted(names)),
                                    )
                                    .label("none of them given")
                                    .help(format!("add one of {}", quoted(names)));
                            }
                        }
                        (CombinationKind::RequiredXor, _) if present.len() >= 2 => {
                            let (first, second) = (present[0], present[1]);
                            if reported.insert((first.key.span, second.key.span)) {
                                report
                                    .add(
                                        second.key.span,
                                        format!(
                                            "`{}` and `{}` exclude each other: only one of {} may be given {context}",
                                            first.key.text,
                                            second.key.text,
                                            quoted(names)
                                        ),
                                    )
                                    .label("excluded by the other")
                                    .also(first.key.span, "given here too")
                                    .help("keep one of them");
                            }
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
                                && reported.insert((entry.key.span, entry.key.span))
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
                                    if entry.key.span.start <= other.key.span.start {
                                        (entry, *other)
                                    } else {
                                        (*other, entry)
                                    };
                                if !reported.insert((first.key.span, second.key.span)) {
                                    continue;
                                }
                                report
                                    .add(
                                        second.key.span,
                                        format!(
                                            "`{}` and `{}` exclude each other {context}",
                                            first.key.text, second.key.text
                                        ),
                                    )
                                    .label("excluded by the other")
                                    .also(first.key.span, "given here too")
                                    .help("keep one of them");
                            }
                        }
                        _ => {}
                    }
                }
            });
        }
    }
}
