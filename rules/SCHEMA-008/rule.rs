//! ## What it finds
//! An `Fn::GetAtt` (`!GetAtt Bucket.Arn`, `[Bucket, Arn]`) or an `Fn::Sub` variable
//! (`${Bucket.Arn}`) that asks a resource for an attribute its type does not return,
//! such as `!GetAtt Queue.Url` (an `AWS::SQS::Queue` returns `Arn`, `QueueName` and
//! `QueueUrl`). The attributes of a type are the read-only properties of its resource
//! schema (nested ones dotted, `Endpoint.Address`); nested stacks and SAR applications
//! return any `Outputs.<name>`. The finding names the closest attribute.
//!
//! CloudFormation also returns, for many types, properties that the schema does not
//! mark read-only (an `AWS::SQS::Queue`'s `QueueName`, an `AWS::SNS::Topic`'s
//! `TopicName`, an `AWS::EC2::Subnet`'s `AvailabilityZone`, all documented return
//! values): a top-level property of the type is therefore never reported, only names
//! that are neither a property nor a read-only path.
//!
//! SAM resources return their own attributes and those of the resource SAM makes from
//! them (an `AWS::Serverless::Function` returns what its `AWS::Lambda::Function`
//! returns), and SAM's references to the resources it generates (`MyFunction.Alias`,
//! `MyApi.Stage`, ...) are SAM's to resolve. The resources SAM generates are judged
//! by their CloudFormation type when the template decides their logical id
//! (`crate::model::sam`, from SAM's "Generated AWS CloudFormation resources" page):
//! `!GetAtt MyFunctionRole.Arn` against `AWS::IAM::Role` (when the function gives no
//! `Role`), `MyFunctionAliaslive` against `AWS::Lambda::Alias`, `MyApiProdStage`,
//! `ServerlessRestApi`, `<Function><Event>Permission`, ...; ids that end in a hash SAM
//! computes (`MyFunctionVersion<hash>`, `MyApiDeployment<hash>`) by their prefix.
//! Never judged: custom resources, modules, third-party types, SAM types
//! without a known generated resource, attributes given by intrinsic functions, and
//! templates with macros other than SAM and `AWS::LanguageExtensions`.
//!
//! ## Why it matters
//! CloudFormation rejects the template before it creates anything ("Template error:
//! resource Queue does not support attribute type Url in Fn::GetAtt").

use crate::model::eval::{Intrinsic, SubVariable};
use crate::prelude::*;
use crate::schema::walk::{template_is_judged, type_is_judged};
use crate::schema::{self, closest, ResourceType};

pub const META: RuleMeta = RuleMeta {
    code: "SCHEMA-008",
    name: "unknown-attribute",
    severity: Severity::Error,
    kinds: &[FileKind::Template],
    summary: "A GetAtt or Sub asks a resource for an attribute its type does not return.",
    source: "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-getatt.html",
};

pub struct Rule;

/// The schemas whose attributes a resource of `type_name` returns (none: not judged).
fn attribute_sources(type_name: &str) -> Vec<ResourceType> {
    if !type_is_judged(type_name) {
        return Vec::new();
    }
    let own = schema::resource_type(type_name);
    if type_name.starts_with("AWS::Serverless::") {
        let Some(generated) =
            schema::attributes::sam_underlying_type(type_name).and_then(schema::resource_type)
        else {
            return Vec::new();
        };
        return own.into_iter().chain([generated]).collect();
    }
    own.into_iter().collect()
}

/// What SAM's resource references may follow a SAM resource's id with.
const SAM_REFERENCES: &[&str] = &["Alias", "Version", "Stage", "Deployment", "DomainName"];

struct Use<'a> {
    id: &'a str,
    attribute: &'a str,
    span: Span,
    how: &'static str,
}

/// Every `Fn::GetAtt` and `${Name.Attribute}` below `node` whose attribute is written
/// literally, with the attribute's span.
/// Calls `found` with every attribute `node` asks for (checked one by one as they are
/// found: a template of 16,000 resources has tens of thousands, and this rule ran at the
/// peak of memory when it collected them first).
fn each_use<'a>(template: &Template<'a>, node: &'a Node, found: &mut dyn FnMut(Use<'a>)) {
    let mut stack = vec![node];
    while let Some(node) = stack.pop() {
        match &node.value {
            Value::Seq(items) => stack.extend(items.iter()),
            Value::Map(entries) => stack.extend(entries.iter().map(|e| &e.value)),
            Value::Scalar(..) => {}
        }
        match template.attribute_call(node) {
            Some(Ok(Intrinsic::GetAtt(getatt))) => {
                if let Some(attribute) = getatt.attribute {
                    found(Use {
                        id: getatt.resource,
                        attribute,
                        span: getatt.attribute_span,
                        how: "`Fn::GetAtt`",
                    });
                }
            }
            Some(Ok(Intrinsic::Sub(sub))) => {
                // A variable map given as an intrinsic may define any name.
                if sub.variables.is_some_and(|v| v.intrinsic().is_some()) {
                    continue;
                }
                for variable in sub.parsed.variables() {
                    let Some(attribute) = variable.attribute else {
                        continue;
                    };
                    if !variable.is_name() || sub.is_local(variable.inner) {
                        continue;
                    }
                    found(Use {
                        id: variable.name,
                        attribute,
                        span: attribute_span(variable),
                        how: "`Fn::Sub`",
                    });
                }
            }
            _ => {}
        }
    }
}

/// The attribute's part of a `${Name.Attribute}` span when the span is exact (it covers
/// `${`, the name, `.`, the attribute and `}`), else the whole span.
fn attribute_span(variable: &SubVariable) -> Span {
    let span = variable.span;
    let Some(attribute) = variable.attribute else {
        return span;
    };
    if span.len() != variable.inner.len() + 3 {
        return span;
    }
    let start = span.start() + 2 + variable.name.len() + 1;
    Span::new(start, start + attribute.len())
}

impl Check for Rule {
    fn template(&self, template: &Template, report: &mut Report) {
        if !template_is_judged(template) {
            return;
        }
        let generated = crate::model::sam::generated(template);
        for section in ["Resources", "Outputs", "Globals"] {
            if let Some(node) = template.section(section) {
                each_use(template, node, &mut |usage| {
                    check(template, &generated, &usage, report)
                });
            }
        }
    }
}

fn check(
    template: &Template,
    generated: &[crate::model::sam::Generated],
    usage: &Use,
    report: &mut Report,
) {
    let Some(resource) = template.resource(usage.id) else {
        // A resource SAM generates (`MyFunctionRole`): judged by its type.
        if let Some(made) = crate::model::sam::find(generated, usage.id) {
            check_generated(usage, made, report);
        }
        return;
    };
    let sources = attribute_sources(resource.type_name);
    if sources.is_empty()
        || sources
            .iter()
            .any(|s| s.has_attribute(usage.attribute) || s.property(usage.attribute).is_some())
    {
        return;
    }
    // SAM's references to the resources it generates: `MyFunction.Alias`,
    // `MyApi.Stage`, ... (and `.Name` etc. of those).
    let first = usage.attribute.split('.').next().unwrap_or("");
    if resource.type_name.starts_with("AWS::Serverless::") && SAM_REFERENCES.contains(&first) {
        return;
    }
    let attributes = sources.iter().flat_map(|s| s.attributes());
    let what = format!("`{}`", resource.type_name);
    unknown(usage, &what, resource.type_name, attributes, report);
}

/// `Fn::GetAtt` of a resource SAM generates, against the schema of its type.
fn check_generated(usage: &Use, made: &crate::model::sam::Generated, report: &mut Report) {
    let Some(schema) = schema::resource_type(made.type_name) else {
        return;
    };
    if schema.has_attribute(usage.attribute) || schema.property(usage.attribute).is_some() {
        return;
    }
    let what = format!(
        "the `{}` SAM generates from `{}`",
        made.type_name, made.from
    );
    unknown(usage, &what, made.type_name, schema.attributes(), report);
}

/// Reports `usage`'s attribute as one `what` (of `type_name`) does not return, with the
/// closest of `attributes` or their list.
fn unknown<'s>(
    usage: &Use,
    what: &str,
    type_name: &str,
    attributes: impl Iterator<Item = &'s str>,
    report: &mut Report,
) {
    let mut attributes: Vec<&str> = attributes.collect();
    attributes.sort_unstable();
    attributes.dedup();
    let finding = report.add(
        usage.span,
        format!(
            "{} asks `{}` ({what}) for `{}`, which that type does not return",
            usage.how, usage.id, usage.attribute
        ),
    );
    finding.label("unknown attribute");
    match closest(usage.attribute, attributes.iter().copied()) {
        Some(similar) => {
            finding.help(format!("did you mean `{similar}`?"));
        }
        None if attributes.is_empty() => {
            finding.help(format!("`{type_name}` returns no attributes"));
        }
        None => {
            finding.help(format!("the type returns {}", schema::listing(&attributes)));
        }
    }
}
