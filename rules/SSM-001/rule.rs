//! ## What it finds
//! An `AWS::SSM::Parameter` whose `Type` is (or, through a parameter or `Fn::If`, may
//! be) `SecureString`.
//!
//! ## Why it matters
//! The CloudFormation reference for `AWS::SSM::Parameter` allows only `String` and
//! `StringList` for `Type` and states that CloudFormation doesn't support creating a
//! `SecureString` parameter: the stack fails. Create secure parameters outside
//! CloudFormation (or store the secret in `AWS::SecretsManager::Secret`) and read them
//! with a `{{resolve:ssm-secure:name:version}}` dynamic reference, which is supported.
//!
//! Template `Parameters` of type `AWS::SSM::Parameter::Value<...>` are unrelated and
//! never reported.

use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "SSM-001",
    name: "securestring-parameter",
    severity: Severity::Error,
    kinds: &[FileKind::Template],
    summary: "An SSM parameter of type SecureString, which CloudFormation cannot create.",
    source: "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ssm-parameter.html",
};

pub struct Rule;

impl Check for Rule {
    fn template(&self, template: &Template, report: &mut Report) {
        for parameter in template.resources_of_type("AWS::SSM::Parameter") {
            let Some(type_node) = parameter.prop("Type") else {
                continue;
            };
            let Some(values) = template.strings(type_node) else {
                continue;
            };
            let Some((_, candidate)) = values.iter().find(|(v, _)| *v == "SecureString") else {
                continue;
            };
            let finding = report.add_candidate(
                candidate,
                type_node,
                format!(
                    "SSM parameter `{}` has Type SecureString, which CloudFormation cannot create",
                    parameter.id
                ),
            );
            finding
                .label("only String and StringList are supported")
                .help("create the SecureString outside CloudFormation and read it with `{{resolve:ssm-secure:<name>:<version>}}`, or use `AWS::SecretsManager::Secret`");
            if let Origin::Parameter(param) = candidate.origin {
                finding.also(param, "the parameter allows SecureString");
            }
        }
    }
}
