//! ## What it finds
//! A SAM `AWS::Serverless::Function` `DeploymentPreference.Type` (on the function or in
//! `Globals`) that looks like a predefined deployment type but is not one:
//!
//! - a near-miss of `Canary10Percent5Minutes`, `Canary10Percent10Minutes`,
//!   `Canary10Percent15Minutes`, `Canary10Percent30Minutes`,
//!   `Linear10PercentEvery1Minute`, `Linear10PercentEvery2Minutes`,
//!   `Linear10PercentEvery3Minutes`, `Linear10PercentEvery10Minutes` or `AllAtOnce`
//!   (wrong case, or at most three edits away, e.g. `Linear10PercentEvery1Minutes`);
//! - a predefined CodeDeploy configuration of another compute platform
//!   (`CodeDeployDefault.ECSCanary10Percent5Minutes`, `ECSAllAtOnce`,
//!   `CodeDeployDefault.OneAtATime`, ...), or a full `CodeDeployDefault.Lambda…` name
//!   that does not exist;
//! - a custom `AWS::CodeDeploy::DeploymentConfig` of the template (by `Ref` or by its
//!   `DeploymentConfigName`) whose `ComputePlatform` is not `Lambda`.
//!
//! ## Why it matters
//! SAM rewrites the predefined types to `CodeDeployDefault.Lambda<Type>` and passes
//! every other value through unchanged as the deployment group's
//! `DeploymentConfigName`. A misspelt type therefore is not caught by SAM: the stack
//! fails when CodeDeploy cannot find a configuration of that name, or a Lambda
//! deployment group refuses a Server/ECS configuration.
//!
//! The catalog describes the rule as "not a predefined type → error". The SAM
//! documentation and translator accept any custom CodeDeploy configuration name there
//! (SAM's own tests use `Type: TestDeploymentConfiguration`), so this rule reports only
//! the cases above and stays silent on other names, on `Fn::FindInMap` and on values it
//! cannot resolve. Step Functions `AWS::Serverless::StateMachine` deployment
//! preferences use different types and are not checked.
//!
//! A value written in place that differs from a type only in case, or has exactly one
//! type within three edits, is fixed to it. Near-misses between numbered types
//! (`Linear10PercentEvery1Minutes`: `...Every1Minute` or `...Every2Minutes`?), another
//! platform's configuration and a parameter's value are left to the author.

use crate::prelude::*;
use crate::suggest::{sole_within, within};

pub const META: RuleMeta = RuleMeta {
    code: "DPL-001",
    name: "invalid-sam-deployment-type",
    severity: Severity::Error,
    kinds: &[FileKind::Template],
    summary: "A SAM DeploymentPreference.Type is not a predefined Canary/Linear/AllAtOnce type.",
    source: "https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/automating-updates-to-serverless-apps.html",
};

pub struct Rule;

const SAM_TYPES: &[&str] = &[
    "Canary10Percent5Minutes",
    "Canary10Percent10Minutes",
    "Canary10Percent15Minutes",
    "Canary10Percent30Minutes",
    "Linear10PercentEvery1Minute",
    "Linear10PercentEvery2Minutes",
    "Linear10PercentEvery3Minutes",
    "Linear10PercentEvery10Minutes",
    "AllAtOnce",
];

/// Predefined configurations of the other compute platforms (without the prefix).
const OTHER_PLATFORMS: &[(&str, &str)] = &[
    ("AllAtOnce", "EC2/On-Premises"),
    ("HalfAtATime", "EC2/On-Premises"),
    ("OneAtATime", "EC2/On-Premises"),
    ("ECSLinear10PercentEvery1Minutes", "ECS"),
    ("ECSLinear10PercentEvery3Minutes", "ECS"),
    ("ECSCanary10Percent5Minutes", "ECS"),
    ("ECSCanary10Percent15Minutes", "ECS"),
    ("ECSAllAtOnce", "ECS"),
];

const PREFIX: &str = "CodeDeployDefault.";

impl Check for Rule {
    fn template(&self, template: &Template, report: &mut Report) {
        if !template.is_sam {
            return;
        }
        for function in template.resources_of_type("AWS::Serverless::Function") {
            if let Some(node) = function
                .own_prop("DeploymentPreference")
                .and_then(|d| d.get("Type"))
            {
                check(
                    template,
                    report,
                    node,
                    &format!("function `{}`", function.id),
                );
            }
        }
        if let Some(node) = template
            .section("Globals")
            .and_then(|g| g.path(&["Function", "DeploymentPreference", "Type"]))
        {
            check(template, report, node, "Globals");
        }
    }
}

fn check<'a>(template: &Template<'a>, report: &mut Report, node: &'a Node, owner: &str) {
    if let Some(config) = template.referenced_resource(node) {
        if config.type_name == "AWS::CodeDeploy::DeploymentConfig" {
            custom_config(template, report, node, config, owner);
        }
        return;
    }
    let Some(values) = template.strings(node) else {
        return;
    };
    for (value, cand) in values {
        if SAM_TYPES.contains(&value) {
            continue;
        }
        if let Some(config) = template
            .resources_of_type("AWS::CodeDeploy::DeploymentConfig")
            .find(|c| {
                c.prop("DeploymentConfigName")
                    .and_then(Node::as_str)
                    .is_some_and(|n| n == value)
            })
        {
            custom_config(template, report, node, config, owner);
            return;
        }
        let Some((help, replacement)) = diagnose(value) else {
            continue;
        };
        let finding = report.add_candidate(
            &cand,
            node,
            format!("DeploymentPreference.Type `{value}` of {owner} is not a SAM deployment type"),
        );
        finding
            .label("not a predefined Lambda deployment type")
            .help(help);
        finding.also_parameter(&cand, format!("the parameter allows `{value}`"));
        // Only a value written in place (not a parameter's, not a `Fn::If` branch).
        if let Some(replacement) = replacement.filter(|_| cand.node.span() == node.span()) {
            finding.fix_scalar(node, &replacement, format!("set Type to {replacement}"));
        }
        return;
    }
}

/// What is wrong with a value that is not a SAM type, if it certainly is a mistake, and
/// the one right value when there is one: a different case, or a near-miss with a single
/// predefined type within reach (`Linear10PercentEvery1Minutes` is as near
/// `...Every1Minute` as `...Every2Minutes`: no fix). A configuration of another platform
/// gets none either (which Lambda type replaces it is a choice).
fn diagnose(value: &str) -> Option<(String, Option<String>)> {
    let short = value.strip_prefix(PREFIX);
    if let Some(short) = short {
        if let Some(sam) = short.strip_prefix("Lambda") {
            if SAM_TYPES.contains(&sam) {
                return None; // A full Lambda name: valid as is.
            }
            let sole = sole_nearest(sam).map(|near| format!("{PREFIX}Lambda{near}"));
            return Some(match nearest(sam) {
                Some(near) => (
                    format!("there is no `{value}`; did you mean `{near}`?"),
                    sole,
                ),
                None => (
                    format!("there is no `{value}`; use one of {}", SAM_TYPES.join(", ")),
                    None,
                ),
            });
        }
    }
    let bare = short.unwrap_or(value);
    if let Some((name, platform)) = OTHER_PLATFORMS
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(bare))
    {
        if short.is_some() || *name != "AllAtOnce" {
            let near = nearest(bare.trim_start_matches("ECS")).unwrap_or("AllAtOnce");
            return Some((
                format!(
                    "`{PREFIX}{name}` is an {platform} deployment configuration; for a Lambda function use `{near}`"
                ),
                None,
            ));
        }
    }
    if short.is_some() {
        return None;
    }
    if let Some(exact) = SAM_TYPES.iter().find(|t| t.eq_ignore_ascii_case(value)) {
        return Some((
            format!("deployment types are case-sensitive: use `{exact}`"),
            Some((*exact).to_string()),
        ));
    }
    nearest(value).map(|near| {
        (
            format!(
                "did you mean `{near}`? SAM passes other names through as custom CodeDeploy configurations, which must exist"
            ),
            sole_nearest(value).map(str::to_string),
        )
    })
}

/// A custom configuration of the template used by a Lambda deployment preference.
fn custom_config<'a>(
    template: &Template<'a>,
    report: &mut Report,
    node: &'a Node,
    config: &Resource<'a>,
    owner: &str,
) {
    let (platform, span) = match config.prop("ComputePlatform") {
        None => ("Server", config.anchor()),
        Some(p) => match template.string(p) {
            Some(text) => (text, p.span()),
            None => return,
        },
    };
    if platform.eq_ignore_ascii_case("Lambda") {
        return;
    }
    report
        .add(
            node.span(),
            format!(
                "DeploymentPreference.Type of {owner} names deployment configuration `{}` of compute platform {platform}",
                config.id
            ),
        )
        .label("a Lambda deployment needs a Lambda configuration")
        .also(span, format!("ComputePlatform {platform}"))
        .help("set the configuration's `ComputePlatform: Lambda` with a TrafficRoutingConfig, or use a predefined type such as Canary10Percent5Minutes");
}

/// The SAM type at most three edits away, when it is the only one.
fn sole_nearest(value: &str) -> Option<&'static str> {
    sole_within(value, SAM_TYPES.iter().copied(), 3)
}

/// The SAM type at most three edits away, if any.
fn nearest(value: &str) -> Option<&'static str> {
    SAM_TYPES
        .iter()
        .filter_map(|t| within(value, t, 3).map(|d| (d, *t)))
        .min_by_key(|(d, _)| *d)
        .map(|(_, t)| t)
}
