//! ## What it finds
//! A property the resource type's schema lists as read-only (`readOnlyProperties`) set
//! in the template: `Arn` on an `AWS::SQS::Queue`, `Endpoint.Address` inside an
//! `AWS::RDS::DBCluster`'s `Endpoint`. Read-only properties are values the service
//! returns (what `Fn::GetAtt` gives), not values it takes.
//!
//! Nested paths are followed through literal objects, every list item (`*` in the
//! schema's path) and both branches of `Fn::If`. A property AWS's data lists as both
//! read-only and create-only (`DomainOwner` of an `AWS::CodeArtifact::Repository`,
//! `ProfileName` of an `AWS::Signer::SigningProfile`, `EncryptionKey` of an
//! `AWS::CodeArtifact::Domain`: all documented as settable) is taken to be settable.
//! `AWS::Serverless::*` types are not judged: their schemas list the generated
//! resources' attributes as read-only (`Name` of a state machine), though SAM takes
//! them as input. Custom resources, modules, third-party types and templates with macros other than
//! SAM and `AWS::LanguageExtensions` are not judged.
//!
//! ## Why it matters
//! CloudFormation does not send read-only properties to the resource handler: the value
//! is ignored, the resource gets whatever the service chooses, and the template says
//! something that is not true (drift detection reports it later). Usually the author
//! meant another property, or meant to read the value with `Fn::GetAtt`. See
//! `readOnlyProperties` in the resource type schema:
//! <https://docs.aws.amazon.com/cloudformation-cli/latest/userguide/resource-type-schema.html>.

use crate::prelude::*;
use crate::schema::walk::judged_resources;

pub const META: RuleMeta = RuleMeta {
    code: "SCHEMA-009",
    name: "read-only-property",
    severity: Severity::Warning,
    kinds: &[FileKind::Template],
    summary: "A property the resource type's schema marks read-only is set in the template.",
    source:
        "https://docs.aws.amazon.com/cloudformation-cli/latest/userguide/resource-type-schema.html",
};

pub struct Rule;

/// The keys at `path` (`*` for any list item) below `node`, with their full names.
fn find<'a>(node: &'a Node, path: &[&str], out: &mut Vec<&'a Entry>, depth: usize) {
    let Some((first, rest)) = path.split_first() else {
        return;
    };
    if depth > 32 {
        return;
    }
    if let Some(Intrinsic::If {
        when_true,
        when_false,
        ..
    }) = Intrinsic::of(node)
    {
        find(when_true, path, out, depth + 1);
        find(when_false, path, out, depth + 1);
        return;
    }
    if node.intrinsic().is_some() {
        return;
    }
    if *first == "*" {
        for item in node.iter_seq() {
            find(item, rest, out, depth + 1);
        }
        return;
    }
    let Some(entry) = node.entry(first) else {
        return;
    };
    if rest.is_empty() {
        out.push(entry);
    } else {
        find(&entry.value, rest, out, depth + 1);
    }
}

impl Check for Rule {
    fn template(&self, template: &Template, report: &mut Report) {
        for (resource, schema) in judged_resources(template) {
            // The SAM schemas list the attributes of the generated resources as
            // read-only (`Name` of a state machine) though SAM takes them as input.
            if resource.type_name.starts_with("AWS::Serverless::") {
                continue;
            }
            let Some(properties) = resource.properties else {
                continue;
            };
            // Sorted: `Endpoint` comes before `Endpoint.Address`, which is then implied.
            let mut reported: Vec<&str> = Vec::new();
            // Read once per resource, not once per read-only path (that was most of
            // this rule's time on templates with many resources).
            let create_only: Vec<&str> = schema.create_only().collect();
            let mut segments: Vec<&str> = Vec::new();
            let mut found = Vec::new();
            for path in schema.read_only() {
                let implied = reported.iter().any(|r| {
                    path.strip_prefix(r)
                        .is_some_and(|rest| rest.starts_with('.'))
                });
                if implied || create_only.contains(&path) {
                    continue;
                }
                segments.clear();
                segments.extend(path.split('.'));
                found.clear();
                find(properties, &segments, &mut found, 0);
                if !found.is_empty() {
                    reported.push(path);
                }
                for entry in found.drain(..) {
                    let name = &entry.key.text;
                    let shown = path.replace(".*", "");
                    report
                        .add(
                            entry.key.span,
                            format!(
                                "`{shown}` is read-only: CloudFormation ignores it (`{}` `{}`)",
                                resource.id, resource.type_name
                            ),
                        )
                        .label("read-only")
                        .help(format!(
                            "remove `{name}`; to read the value, use `Fn::GetAtt {}.{shown}`",
                            resource.id
                        ));
                }
            }
        }
    }
}
