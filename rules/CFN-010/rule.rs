//! ## What it finds
//! A template whose skeleton CloudFormation rejects before it looks at any property:
//! - a top-level key that is no section of a template (`Resource`, `Output`,
//!   `Parameter`, a misspelt `Conditions`, ...), with the closest section suggested
//!   (and renamed by the fix when it is the only one within reach and not present);
//!   SAM's `Globals` is a section of SAM templates;
//! - an `AWSTemplateFormatVersion` other than `2010-09-09`, the only version there is;
//! - no `Resources` section, or an empty one, or one that is not a map;
//! - a resource that is not a map, has no `Type`, or a `Type` that is not a string;
//! - a key of a resource that is not one of its attributes (`Type`, `Properties`,
//!   `DependsOn`, `Condition`, `DeletionPolicy`, `UpdateReplacePolicy`, `Metadata`,
//!   `CreationPolicy`, `UpdatePolicy`; in SAM templates also `Connectors` and
//!   `IgnoreGlobals`, which the transform consumes), typically a property written
//!   beside `Properties` instead of under it. `Description` and `Version` are
//!   tolerated: CloudFormation accepts them without effect (AWS's own sample and
//!   CodeStar-generated templates deploy with them, shalupov/idea-cloudformation#117;
//!   the CDK's template importer lists both as resource attributes, aws/aws-cdk#10522),
//!   where cfn-lint 1.58 reports `Description` (E3001);
//! - a `DeletionPolicy` other than `Delete`, `Retain`, `RetainExceptOnCreate` or
//!   `Snapshot`, or an `UpdateReplacePolicy` other than `Delete`, `Retain` or
//!   `Snapshot` (values are case-sensitive; values given through a parameter, which
//!   `AWS::LanguageExtensions` allows, are judged by its `Default`/`AllowedValues`).
//!
//! ## Why it matters
//! The template anatomy page lists the sections a template may have and says that
//! `Resources` is the only required one; `AWSTemplateFormatVersion`'s only valid value
//! is `2010-09-09`. CloudFormation answers anything else with "Template format error:
//! Invalid template property or properties" or "Invalid template resource property"
//! and creates nothing, so the mistake surfaces only when the stack is deployed. A key
//! beside `Properties` is the common case: it looks right, and is rejected. On a SAM
//! resource the SAM transform drops such a key silently instead (the stack deploys,
//! the setting is lost: aws-cloudformation/cfn-lint#4606), which is reported all the
//! same.
//!
//! Templates that a macro still rewrites (a `Transform` other than SAM and
//! `AWS::LanguageExtensions`, `Fn::Transform`), Rain modules and Serverless Framework
//! `resources` files are not judged: what CloudFormation finally sees is not in the
//! file. `Fn::ForEach::*` loops in `Resources` are not resources and are skipped.
//!
//! Attribute pages: <https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-product-attribute-reference.html>,
//! <https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-deletionpolicy.html>,
//! <https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-updatereplacepolicy.html>.

use crate::model::eval::is_for_each_key;
use crate::prelude::*;
use crate::suggest::{closest, rename_key};

pub const META: RuleMeta = RuleMeta {
    code: "CFN-010",
    name: "template-structure",
    severity: Severity::Error,
    kinds: &[FileKind::Template],
    summary: "An unknown section or resource attribute, a missing Resources section or resource Type, or an invalid format version or deletion policy.",
    source: "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-anatomy.html",
};

pub struct Rule;

const SECTIONS: &[&str] = &[
    "AWSTemplateFormatVersion",
    "Description",
    "Metadata",
    "Parameters",
    "Rules",
    "Mappings",
    "Conditions",
    "Transform",
    "Resources",
    "Outputs",
];

const ATTRIBUTES: &[&str] = &[
    "Type",
    "Properties",
    "DependsOn",
    "Condition",
    "DeletionPolicy",
    "UpdateReplacePolicy",
    "Metadata",
    "CreationPolicy",
    "UpdatePolicy",
];

/// Accepted by CloudFormation and seen in AWS's own deployed sample templates, without
/// effect.
const TOLERATED_ATTRIBUTES: &[&str] = &["Description", "Version"];

/// Attributes the SAM transform reads and removes: embedded connectors go on any
/// resource of a SAM template, `IgnoreGlobals` on SAM resources.
const SAM_ATTRIBUTES: &[&str] = &["Connectors", "IgnoreGlobals"];

const DELETION_POLICIES: &[&str] = &["Delete", "Retain", "RetainExceptOnCreate", "Snapshot"];
const UPDATE_REPLACE_POLICIES: &[&str] = &["Delete", "Retain", "Snapshot"];

impl Check for Rule {
    fn template(&self, template: &Template, report: &mut Report) {
        if template.partial().is_some() {
            return;
        }
        sections(template, report);
        if let Some(version) = template.root.get("AWSTemplateFormatVersion") {
            match version.as_scalar() {
                Some("2010-09-09") => {}
                other => {
                    let written = other
                        .map_or_else(|| "a non-string value".to_string(), |v| format!("`{v}`"));
                    report
                        .add(version.span(), format!("AWSTemplateFormatVersion is {written}; the only valid version is `2010-09-09`"))
                        .label("not a template format version")
                        .help("write `AWSTemplateFormatVersion: \"2010-09-09\"`, or remove the line (it is optional)");
                }
            }
        }
        resources(template, report);
    }
}

fn sections(template: &Template, report: &mut Report) {
    let mut known: Vec<&str> = SECTIONS.to_vec();
    if template.is_sam {
        known.push("Globals");
    }
    for entry in template.root.iter_map() {
        let key = entry.key.text.as_str();
        if known.contains(&key) {
            continue;
        }
        let finding = report.add(
            entry.key.span,
            format!("`{key}` is not a section of a CloudFormation template"),
        );
        finding.label("unknown section");
        match closest(key, known.iter().copied()) {
            Some(similar) => {
                finding.fix = rename_key(&entry.key, known.iter().copied(), template.root);
                finding.help(format!("did you mean `{similar}`?"))
            }
            None if key == "Globals" => finding.help(
                "`Globals` is a SAM section: add `Transform: AWS::Serverless-2016-10-31`, or remove it",
            ),
            None => finding.help(format!(
                "the sections are {}; move this under `Metadata` if it is information for tools",
                known.join(", ")
            )),
        };
    }
}

fn resources(template: &Template, report: &mut Report) {
    let Some(entry) = template.root.entry("Resources") else {
        let anchor = template
            .root
            .iter_map()
            .next()
            .map_or(template.root.span(), |e| e.key.span);
        report
            .add(anchor, "the template has no `Resources` section")
            .label("template without resources")
            .help(
                "declare at least one resource under `Resources`: it is the only required section",
            );
        return;
    };
    let node = &entry.value;
    if node.as_map().is_none() && !node.is_null() {
        report
            .add(node.span(), "`Resources` is not a map of logical ids to resources")
            .label("not a map")
            .help("write each resource as `LogicalId: {Type: ..., Properties: ...}` under `Resources`");
        return;
    }
    let declared = node
        .iter_map()
        .filter(|e| !is_for_each_key(&e.key.text))
        .count();
    if node.iter_map().next().is_none() {
        report
            .add(entry.key.span, "the `Resources` section is empty")
            .label("no resource")
            .help("declare at least one resource: CloudFormation rejects a template without any");
        return;
    }
    if declared == 0 {
        return;
    }
    for resource in node.iter_map() {
        let id = resource.key.text.as_str();
        if is_for_each_key(id) {
            continue;
        }
        let value = &resource.value;
        if value.as_map().is_none() {
            report
                .add(value.span(), format!("resource `{id}` is not a map"))
                .label("not a resource")
                .help("write `Type:` and `Properties:` under the logical id");
            continue;
        }
        let is_sam = template.is_sam;
        match value.get("Type") {
            None => {
                report
                    .add(resource.key.span, format!("resource `{id}` has no `Type`"))
                    .label("no Type")
                    .help("add `Type: AWS::Service::Resource` (every resource needs one)");
            }
            Some(type_node) if type_node.as_str().is_none() => {
                report
                    .add(type_node.span(), format!("the `Type` of resource `{id}` is not a string"))
                    .label("not a type name")
                    .help("write the type as a literal string: CloudFormation resolves no function in `Type`");
            }
            Some(_) => {}
        }
        for attribute in value.iter_map() {
            let key = attribute.key.text.as_str();
            if ATTRIBUTES.contains(&key)
                || TOLERATED_ATTRIBUTES.contains(&key)
                || (is_sam && SAM_ATTRIBUTES.contains(&key))
            {
                continue;
            }
            let finding = report.add(
                attribute.key.span,
                format!("`{key}` is not an attribute of resource `{id}`"),
            );
            finding.label("unknown resource attribute");
            let mut known: Vec<&str> = ATTRIBUTES.to_vec();
            if is_sam {
                known.extend(SAM_ATTRIBUTES);
            }
            match closest(key, known.iter().copied()) {
                Some(similar) => {
                    finding.fix = rename_key(&attribute.key, known.iter().copied(), value);
                    finding.help(format!("did you mean `{similar}`?"))
                }
                None => finding.help(format!(
                    "if `{key}` is a property, move it under `Properties`"
                )),
            };
        }
        policy(
            template,
            value,
            "DeletionPolicy",
            DELETION_POLICIES,
            id,
            report,
        );
        policy(
            template,
            value,
            "UpdateReplacePolicy",
            UPDATE_REPLACE_POLICIES,
            id,
            report,
        );
    }
}

fn policy<'a>(
    template: &Template<'a>,
    resource: &'a Node,
    attribute: &str,
    allowed: &[&str],
    id: &str,
    report: &mut Report,
) {
    let Some(node) = resource.get(attribute) else {
        return;
    };
    let Some(values) = template.strings(node) else {
        if node.as_map().is_none() && node.as_seq().is_none() && node.as_str().is_none() {
            return;
        }
        if node.as_seq().is_some() || (node.as_map().is_some() && node.intrinsic().is_none()) {
            report
                .add(
                    node.span(),
                    format!("the `{attribute}` of resource `{id}` is not a string"),
                )
                .label("not a policy")
                .help(format!("write one of {}", allowed.join(", ")));
        }
        return;
    };
    for (value, candidate) in values {
        if allowed.contains(&value) {
            continue;
        }
        let finding = report.add_candidate(
            &candidate,
            node,
            format!(
                "`{attribute}: {value}` of resource `{id}` is not one of {}",
                allowed.join(", ")
            ),
        );
        finding.label(format!("not a valid {attribute}"));
        if let Origin::Parameter(span) = candidate.origin {
            finding.also(candidate.node.span(), "this parameter value");
            finding.also(span, "parameter");
        }
        match closest(value, allowed.iter().copied()) {
            Some(similar) => {
                finding.help(format!(
                    "did you mean `{similar}`? (the values are case-sensitive)"
                ));
                if candidate.origin == Origin::Literal {
                    finding.fix_scalar(node, similar, format!("set {attribute} to {similar}"));
                }
            }
            None if value == "RetainExceptOnCreate" => {
                finding.help(
                    "`RetainExceptOnCreate` is a `DeletionPolicy` value only: write `Retain` here",
                );
            }
            None => {
                finding.help(format!("write one of {}", allowed.join(", ")));
            }
        }
    }
}
