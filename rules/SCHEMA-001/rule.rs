//! ## What it finds
//! A resource whose `Type` is no resource type of CloudFormation or SAM, such as
//! `AWS::S3::Buckets` or `AWS::Lambda::function`. The finding names the closest known
//! type. The known types are the 1,898 of the resource provider schemas embedded in
//! stacklint (AWS's schemas as of the date in `src/schema/data/PROVENANCE.json`,
//! including the 14 `AWS::Serverless::*` types).
//!
//! Never judged: custom resources (`Custom::*`, `AWS::CloudFormation::CustomResource`),
//! modules (`...::MODULE`), third-party and private registry types (any prefix other than
//! `AWS::` and `Alexa::`), and templates run through macros other than SAM and
//! `AWS::LanguageExtensions` (a macro may rewrite types).
//!
//! With `--regions us-east-1,eu-west-1` (or `regions: [us-east-1, eu-west-1]` in
//! `.stacklint.yaml`), a known type that is not available in one of the listed regions
//! is reported too, from the region availability embedded with the schemas (45
//! regions). Without it, any region will do. The availability of the 8 isolated
//! regions (`us-iso-east-1`, `us-iso-west-1`, `us-isob-east-1`, `us-isob-west-1`,
//! `us-isof-east-1`, `us-isof-south-1`, `eu-isoe-west-1`, `eusc-de-east-1`) is a copy of
//! `us-east-1`'s in the data AWS publishes: for those, the check says what `us-east-1`
//! has, not what the region really offers.
//!
//! ## Why it matters
//! CloudFormation rejects the template before it creates anything ("Template format
//! error: Unrecognized resource types"), and so it does for a type the stack's region
//! does not offer. A type AWS added after the embedded schema
//! snapshot would also be reported: update the data (`python3
//! src/schema/update_schemas.py VERSION`) or suppress the finding.

use crate::prelude::*;
use crate::schema;
use crate::schema::walk::{template_is_judged, type_is_judged};

pub const META: RuleMeta = RuleMeta {
    code: "SCHEMA-001",
    name: "unknown-resource-type",
    severity: Severity::Error,
    kinds: &[FileKind::Template],
    summary: "A resource's Type is no CloudFormation or SAM resource type.",
    source: "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-template-resource-type-ref.html",
};

pub struct Rule;

/// Whether the name claims to be an AWS type (any case), so that a wrong one is ours to
/// report.
fn claims_aws(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.starts_with("aws::") || lower.starts_with("alexa::")
}

impl Check for Rule {
    fn template(&self, template: &Template, report: &mut Report) {
        if !template_is_judged(template) {
            return;
        }
        for resource in &template.resources {
            let Some(type_node) = resource.type_node else {
                continue;
            };
            let Some(name) = type_node.as_str() else {
                continue;
            };
            if type_is_judged(name) {
                if let Some(known) = schema::resource_type(name) {
                    regions(template, resource, type_node, known, report);
                    continue;
                }
            }
            if !claims_aws(name)
                || name == "AWS::CloudFormation::CustomResource"
                || name.ends_with("::MODULE")
            {
                continue;
            }
            let suggestion = schema::suggest_type(name);
            let finding = report.add(
                type_node.span(),
                format!(
                    "`{name}` (resource `{}`) is not a CloudFormation or SAM resource type",
                    resource.id
                ),
            );
            finding.label("unknown type");
            match suggestion {
                Some(similar) => {
                    finding.help(format!("did you mean `{similar}`?"));
                }
                None => {
                    finding.help("use a type from the CloudFormation resource type reference, or `Custom::<Name>` for a custom resource");
                }
            }
        }
    }
}

/// With `--regions`/`regions:`, a known type missing from some of the listed regions.
fn regions(
    template: &Template,
    resource: &Resource,
    type_node: &Node,
    known: schema::ResourceType,
    report: &mut Report,
) {
    let missing: Vec<&str> = template
        .regions
        .iter()
        .map(String::as_str)
        .filter(|region| !known.available_in(region))
        .collect();
    if missing.is_empty() {
        return;
    }
    let available = known.regions().count();
    let finding = report.add(
        type_node.span(),
        format!(
            "`{}` (resource `{}`) is not available in {}",
            known.name(),
            resource.id,
            missing
                .iter()
                .map(|r| format!("`{r}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    );
    finding.label("not in this region");
    finding.help(format!(
        "the type exists in {available} of the {} regions stacklint knows; deploy elsewhere, or make the resource conditional on `AWS::Region`",
        schema::regions().count()
    ));
}
