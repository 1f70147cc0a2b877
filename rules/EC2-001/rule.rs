//! ## What it finds
//! Instance metadata options that explicitly allow IMDSv1: `HttpTokens: optional` in
//! `AWS::EC2::Instance` `MetadataOptions`, `AWS::EC2::LaunchTemplate`
//! `LaunchTemplateData.MetadataOptions` or `AWS::AutoScaling::LaunchConfiguration`
//! `MetadataOptions`, unless the metadata endpoint is turned off
//! (`HttpEndpoint: disabled`).
//!
//! ## Why it matters
//! With `HttpTokens: optional` the instance answers IMDSv1 requests, which need no
//! session token: a server-side request forgery in any application on the instance is
//! enough to read the instance role's temporary credentials. `required` accepts only
//! IMDSv2 (EC2 API reference, `InstanceMetadataOptionsRequest`).
//!
//! The catalog reports any `HttpTokens` that is not `required`. When `HttpTokens` (or
//! all of `MetadataOptions`) is absent, the effective value is decided outside the
//! template: it is `required` when the AMI's `ImdsSupport` is `v2.0` (Amazon Linux 2023
//! AMIs, for instance) or the account's instance-metadata defaults require tokens, and
//! `optional` otherwise. To avoid false positives this rule reports only an explicit
//! `optional` (including a parameter or `Fn::If` branch that may be `optional`) and
//! stays silent on absence. `AWS::EC2::Instance` did not have `MetadataOptions` in
//! older versions of the resource; it does now and is checked.

use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "EC2-001",
    name: "imdsv1-enabled",
    severity: Severity::Warning,
    kinds: &[FileKind::Template],
    summary: "Instance metadata allows IMDSv1 (`HttpTokens` not `required`).",
    source: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_InstanceMetadataOptionsRequest.html",
};

pub struct Rule;

impl Check for Rule {
    fn template(&self, template: &Template, report: &mut Report) {
        let kinds: [(&str, &[&str]); 3] = [
            ("AWS::EC2::Instance", &["MetadataOptions"]),
            (
                "AWS::EC2::LaunchTemplate",
                &["LaunchTemplateData", "MetadataOptions"],
            ),
            (
                "AWS::AutoScaling::LaunchConfiguration",
                &["MetadataOptions"],
            ),
        ];
        for (type_name, path) in kinds {
            for resource in template.resources_of_type(type_name) {
                let Some(options) = resource.prop_path(path) else {
                    continue;
                };
                if let Some(endpoint) = options.get("HttpEndpoint") {
                    match template.strings(endpoint) {
                        Some(values)
                            if values
                                .iter()
                                .all(|(v, _)| !v.eq_ignore_ascii_case("disabled")) => {}
                        _ => continue,
                    }
                }
                let Some(tokens) = options.get("HttpTokens") else {
                    continue;
                };
                let Some(values) = template.strings(tokens) else {
                    continue;
                };
                let Some((_, candidate)) = values
                    .iter()
                    .find(|(v, _)| v.eq_ignore_ascii_case("optional"))
                else {
                    continue;
                };
                let finding = report.add_candidate(
                    candidate,
                    tokens,
                    format!("`{}` allows IMDSv1: HttpTokens is optional", resource.id),
                );
                finding
                    .label("IMDSv1 requests need no session token")
                    .help("set `HttpTokens: required` to allow only IMDSv2");
                if candidate.origin == Origin::Literal {
                    finding.fix_scalar(candidate.node, "required", "set HttpTokens to required");
                }
                if let Origin::Parameter(param) = candidate.origin {
                    finding.also(param, "the parameter allows optional");
                }
            }
        }
    }
}
