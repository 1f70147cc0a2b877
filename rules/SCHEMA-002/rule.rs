//! ## What it finds
//! A property name, at any depth of a resource's `Properties`, that the resource type's
//! schema does not define: `BucketNmae` on an `AWS::S3::Bucket`, `Stauts` inside its
//! `VersioningConfiguration`. The walk follows nested objects, list items and shared
//! definitions wherever the schema closes the object (`additionalProperties: false`,
//! true of nearly every object in AWS's schemas); the finding names the closest defined
//! property; when it is the only one within reach and the object does not have it yet,
//! the fix renames the key (keeping its quotes). For SAM resources the `Globals` sections are checked against the type they
//! apply to.
//!
//! What the template does not decide stays silent: values given by intrinsic functions
//! (`Fn::If` branches are checked each), maps holding `Fn::Transform`, templates with
//! macros other than SAM and `AWS::LanguageExtensions`, custom resources, modules and
//! third-party types.
//!
//! ## Why it matters
//! CloudFormation validates `Properties` against the type's resource schema and fails
//! the stack operation ("Encountered unsupported property BucketNmae", or "extraneous
//! key [...] is not permitted" for nested ones); SAM refuses unknown properties of its
//! resources. A property AWS added after the embedded schema snapshot would also be
//! reported: update the data or suppress the finding.
//!
//! A few SAM objects are not refused but read key by key, so an unknown key there is
//! ignored rather than rejected; it is still reported, since it does nothing. The
//! common case is an HTTP API authorizer's `EnableSimpleResponses` or
//! `AuthorizerPayloadFormatVersion` written on a REST API's (`AWS::Serverless::Api`)
//! Lambda authorizer, whose documented properties are `FunctionArn`,
//! `FunctionInvokeRole`, `FunctionPayloadType`, `Identity` and
//! `DisableFunctionDefaultPermissions`: the authorizer must still return an IAM policy.

use crate::prelude::*;
use crate::schema::walk::{walk_value, Object, Step};
use crate::schema::{self, closest};
use crate::suggest::rename_key;

pub const META: RuleMeta = RuleMeta {
    code: "SCHEMA-002",
    name: "unknown-property",
    severity: Severity::Error,
    kinds: &[FileKind::Template],
    summary: "A property name the resource type's schema does not define.",
    source:
        "https://docs.aws.amazon.com/cloudformation-cli/latest/userguide/resource-type-schema.html",
};

pub struct Rule;

/// SAM `Globals` sections and the type each applies to.
const GLOBALS: &[(&str, &str)] = &[
    ("Function", "AWS::Serverless::Function"),
    ("Api", "AWS::Serverless::Api"),
    ("HttpApi", "AWS::Serverless::HttpApi"),
    ("SimpleTable", "AWS::Serverless::SimpleTable"),
    ("StateMachine", "AWS::Serverless::StateMachine"),
    ("LayerVersion", "AWS::Serverless::LayerVersion"),
    ("CapacityProvider", "AWS::Serverless::CapacityProvider"),
];

/// Where the object is, for the message: written only into a finding, not for every
/// resource walked.
enum Place<'a> {
    Resource(&'a str),
    Globals(&'a str),
}

impl std::fmt::Display for Place<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Place::Resource(id) => write!(f, "resource `{id}`"),
            Place::Globals(section) => write!(f, "`Globals.{section}`"),
        }
    }
}

fn check_object(object: &Object, type_name: &str, where_: &Place, report: &mut Report) {
    if !object.is_closed() {
        return;
    }
    let mut names: Option<Vec<&'static str>> = None;
    for entry in object.unknown_entries() {
        let key = entry.key.text.as_str();
        if crate::document::is_intrinsic_name(key) {
            continue;
        }
        let names = names.get_or_insert_with(|| object.names());
        let place = if object.path.is_empty() {
            String::new()
        } else {
            format!(" in `{}`", object.path.join("."))
        };
        let finding = report.add(
            entry.key.span,
            format!("`{key}`{place} is not a property of `{type_name}` ({where_})"),
        );
        finding.label("unknown property");
        match closest(key, names.iter().copied()) {
            Some(similar) => {
                finding.help(format!("did you mean `{similar}`?"));
                // The one right edit only when no other property is within reach and
                // the object does not already have the property.
                finding.fix = rename_key(&entry.key, names.iter().copied(), object.node);
            }
            None if names.is_empty() => {
                finding.help("the schema defines no properties here: remove it");
            }
            None => {
                finding.help(format!("defined here: {}", schema::listing(names)));
            }
        }
    }
}

impl Check for Rule {
    fn walker(&self) -> Option<Box<dyn ResourceWalker>> {
        Some(Box::new(Walker))
    }
}

struct Walker;

impl ResourceWalker for Walker {
    fn resource(&mut self, step: &Step, report: &mut Report) {
        let where_ = Place::Resource(step.resource.id);
        for object in step.objects {
            check_object(object, step.resource.type_name, &where_, report)
        }
    }

    /// SAM's `Globals`, judged against the types they are merged into.
    fn finish(&mut self, template: &Template, report: &mut Report) {
        if !template.is_sam {
            return;
        }
        let Some(globals) = template.section("Globals") else {
            return;
        };
        for &(section, type_name) in GLOBALS {
            let (Some(node), Some(schema)) =
                (globals.get(section), schema::resource_type(type_name))
            else {
                continue;
            };
            let where_ = Place::Globals(section);
            walk_value(node, schema.root(), &mut |object| {
                check_object(object, type_name, &where_, report)
            });
        }
    }
}
