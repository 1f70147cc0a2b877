//! ## What it finds
//! An `AWS::CodeDeploy::DeploymentGroup` whose `DeploymentConfigName` is a deployment
//! configuration of another compute platform than the group's application
//! (`AWS::CodeDeploy::Application` `ComputePlatform`: `Server`, the default, `Lambda`
//! or `ECS`). The configuration is either predefined (`CodeDeployDefault.OneAtATime`,
//! `CodeDeployDefault.LambdaCanary10Percent5Minutes`,
//! `CodeDeployDefault.ECSAllAtOnce`, ...) or an `AWS::CodeDeploy::DeploymentConfig` of
//! the template.
//!
//! ## Why it matters
//! Each predefined configuration belongs to one compute platform: `AllAtOnce`,
//! `HalfAtATime` and `OneAtATime` to EC2/On-Premises, the `Lambda…` configurations to
//! Lambda and the `ECS…` configurations to ECS. CodeDeploy refuses a deployment group
//! whose configuration does not match its application's platform, so the stack fails.
//!
//! Names are compared case-insensitively (older documentation printed
//! `ECSCanary10percent5Minutes`). Applications named by a literal (defined outside the
//! template), custom configurations not defined in the template and unresolvable
//! values keep the rule silent.

use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "DPL-002",
    name: "deployment-config-platform-mismatch",
    severity: Severity::Error,
    kinds: &[FileKind::Template],
    summary: "A deployment group uses a predefined configuration of another compute platform than its application.",
    source: "https://docs.aws.amazon.com/codedeploy/latest/userguide/deployment-configurations.html",
};

pub struct Rule;

const SERVER: &[&str] = &["AllAtOnce", "HalfAtATime", "OneAtATime"];
const LAMBDA: &[&str] = &[
    "LambdaCanary10Percent5Minutes",
    "LambdaCanary10Percent10Minutes",
    "LambdaCanary10Percent15Minutes",
    "LambdaCanary10Percent30Minutes",
    "LambdaLinear10PercentEvery1Minute",
    "LambdaLinear10PercentEvery2Minutes",
    "LambdaLinear10PercentEvery3Minutes",
    "LambdaLinear10PercentEvery10Minutes",
    "LambdaAllAtOnce",
];
const ECS: &[&str] = &[
    "ECSLinear10PercentEvery1Minutes",
    "ECSLinear10PercentEvery3Minutes",
    "ECSCanary10Percent5Minutes",
    "ECSCanary10Percent15Minutes",
    "ECSAllAtOnce",
];

/// The platform of a predefined configuration name.
fn predefined_platform(name: &str) -> Option<&'static str> {
    let short = name.strip_prefix("CodeDeployDefault.")?;
    let is = |list: &[&str]| list.iter().any(|n| n.eq_ignore_ascii_case(short));
    if is(SERVER) {
        Some("Server")
    } else if is(LAMBDA) {
        Some("Lambda")
    } else if is(ECS) {
        Some("ECS")
    } else {
        None
    }
}

fn article(platform: &str) -> &'static str {
    if platform == "ECS" {
        "an"
    } else {
        "a"
    }
}

fn example(platform: &str) -> &'static str {
    match platform {
        "Lambda" => "CodeDeployDefault.LambdaAllAtOnce",
        "ECS" => "CodeDeployDefault.ECSAllAtOnce",
        _ => "CodeDeployDefault.OneAtATime",
    }
}

/// `(platform, where it is written)` of a resource with a `ComputePlatform` (default Server).
fn platform_of<'a>(template: &Template<'a>, resource: &Resource<'a>) -> Option<(&'a str, Span)> {
    match resource.prop("ComputePlatform") {
        None => Some(("Server", resource.anchor())),
        Some(node) => {
            let value = template.string(node)?;
            let canonical = ["Server", "Lambda", "ECS"]
                .into_iter()
                .find(|p| p.eq_ignore_ascii_case(value))?;
            Some((canonical, node.span()))
        }
    }
}

impl Check for Rule {
    fn template(&self, template: &Template, report: &mut Report) {
        for group in template.resources_of_type("AWS::CodeDeploy::DeploymentGroup") {
            let (Some(app_node), Some(config_node)) = (
                group.prop("ApplicationName"),
                group.prop("DeploymentConfigName"),
            ) else {
                continue;
            };
            let Some(app) = template
                .referenced_resource(app_node)
                .filter(|r| r.type_name == "AWS::CodeDeploy::Application")
            else {
                continue;
            };
            let Some((app_platform, app_span)) = platform_of(template, app) else {
                continue;
            };
            // The configuration: a custom one of the template, or predefined names.
            let mut configs: Vec<(String, &str, Span, Option<Span>)> = Vec::new();
            if let Some(custom) = template.referenced_resource(config_node) {
                if custom.type_name != "AWS::CodeDeploy::DeploymentConfig" {
                    continue;
                }
                let Some((platform, span)) = platform_of(template, custom) else {
                    continue;
                };
                configs.push((
                    format!("`{}`", custom.id),
                    platform,
                    config_node.span(),
                    Some(span),
                ));
            } else {
                let Some(values) = template.strings(config_node) else {
                    continue;
                };
                for (name, cand) in values {
                    if let Some(platform) = predefined_platform(name) {
                        configs.push((
                            format!("`{name}`"),
                            platform,
                            cand.span_at(config_node),
                            None,
                        ));
                    } else if let Some(custom) = template
                        .resources_of_type("AWS::CodeDeploy::DeploymentConfig")
                        .find(|c| {
                            c.prop("DeploymentConfigName")
                                .and_then(Node::as_str)
                                .is_some_and(|n| n == name)
                        })
                    {
                        if let Some((platform, span)) = platform_of(template, custom) {
                            configs.push((
                                format!("`{name}`"),
                                platform,
                                cand.span_at(config_node),
                                Some(span),
                            ));
                        }
                    }
                }
            }
            let Some((name, platform, span, custom_span)) =
                configs.into_iter().find(|c| c.1 != app_platform)
            else {
                continue;
            };
            let finding = report.add(
                span,
                format!(
                    "deployment group `{}` uses {platform} configuration {name} for {app_platform} application `{}`",
                    group.id, app.id
                ),
            );
            finding
                .label(format!("{} {platform} deployment configuration", article(platform)))
                .also(app_span, format!("the application's compute platform is {app_platform}"))
                .help(format!(
                    "use {} {app_platform} configuration (e.g. `{}`) or change the application's ComputePlatform",
                    article(app_platform),
                    example(app_platform)
                ));
            if let Some(custom_span) = custom_span {
                finding.also(custom_span, format!("ComputePlatform {platform}"));
            }
        }
    }
}
