//! ## What it finds
//! An `AWS::ECS::Service` listed in the `ECSServices` of an
//! `AWS::CodeDeploy::DeploymentGroup` whose `DeploymentController.Type` is not
//! `CODE_DEPLOY` (or is absent, which means `ECS`). The service is matched by a
//! `Ref`/`Fn::GetAtt` in `ServiceName`, or by a literal `ServiceName` equal to the
//! service's own literal `ServiceName`.
//!
//! ## Why it matters
//! The deployment controller decides who rolls out new task definitions. CodeDeploy
//! blue/green deployments of an ECS service work only when the service uses
//! `DeploymentController: {Type: CODE_DEPLOY}`; with the default `ECS` (rolling)
//! controller, or `EXTERNAL`, CodeDeploy cannot create the deployment and the group
//! never deploys. The controller can only be set when the service is created, so
//! fixing it later replaces the service.
//!
//! Not reported: templates using the `AWS::CodeDeployBlueGreen` transform (the
//! CloudFormation blue/green hook drives the deployment, with task sets), services
//! using the ECS-native blue/green, linear or canary strategies
//! (`DeploymentConfiguration.Strategy`), and services or controller values that cannot
//! be resolved.

use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "DPL-004",
    name: "ecs-blue-green-controller",
    severity: Severity::Error,
    kinds: &[FileKind::Template],
    summary: "An ECS service deployed by a CodeDeploy deployment group lacks DeploymentController CODE_DEPLOY.",
    source: "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-ecs-service-deploymentcontroller.html",
};

pub struct Rule;

impl Check for Rule {
    fn template(&self, template: &Template, report: &mut Report) {
        if uses_blue_green_transform(template) {
            return;
        }
        let mut reported: Vec<&str> = Vec::new();
        for group in template.resources_of_type("AWS::CodeDeploy::DeploymentGroup") {
            for entry in group.prop_items("ECSServices") {
                let Some(name) = entry.get("ServiceName") else {
                    continue;
                };
                let Some(service) = find_service(template, name) else {
                    continue;
                };
                if reported.contains(&service.id) || !service.properties_are_literal() {
                    continue;
                }
                if ecs_native_strategy(template, service) {
                    continue;
                }
                let controller = service.prop_path(&["DeploymentController", "Type"]);
                let (span, controller_text, label) = match controller {
                    None => {
                        if service
                            .prop("DeploymentController")
                            .is_some_and(|c| c.as_map().is_none() || c.intrinsic().is_some())
                        {
                            continue;
                        }
                        (
                            service.anchor(),
                            "ECS (the default)".to_string(),
                            "no DeploymentController: rolling ECS by default",
                        )
                    }
                    Some(node) => {
                        let Some(values) = template.strings(node) else {
                            continue;
                        };
                        let Some((value, cand)) = values
                            .iter()
                            .find(|(v, _)| !v.eq_ignore_ascii_case("CODE_DEPLOY"))
                        else {
                            continue;
                        };
                        (cand.span_at(node), (*value).to_string(), "not CODE_DEPLOY")
                    }
                };
                reported.push(service.id);
                report
                    .add(
                        span,
                        format!(
                            "ECS service `{}` is deployed by CodeDeploy deployment group `{}` but its deployment controller is {controller_text}",
                            service.id, group.id
                        ),
                    )
                    .label(label)
                    .also(name.span(), format!("deployment group `{}` deploys this service", group.id))
                    .help("set `DeploymentController: {Type: CODE_DEPLOY}` on the service (this replaces an existing service)");
            }
        }
    }
}

fn uses_blue_green_transform(template: &Template) -> bool {
    let Some(transform) = template.section("Transform") else {
        return false;
    };
    let is = |n: &Node| n.as_str() == Some("AWS::CodeDeployBlueGreen");
    is(transform) || transform.iter_seq().any(is) || template.section("Hooks").is_some()
}

/// The service a `ServiceName` names: a reference, or a literal equal to a service's
/// literal `ServiceName`.
fn find_service<'t, 'a>(template: &'t Template<'a>, name: &Node) -> Option<&'t Resource<'a>> {
    if let Some(target) = template.referenced_resource(name) {
        return (target.type_name == "AWS::ECS::Service").then_some(target);
    }
    let literal = name.as_str().filter(|_| name.intrinsic().is_none())?;
    let mut matches = template
        .resources_of_type("AWS::ECS::Service")
        .filter(|s| s.prop("ServiceName").and_then(Node::as_str) == Some(literal));
    let first = matches.next()?;
    matches.next().is_none().then_some(first)
}

/// ECS-native blue/green, linear or canary (or a strategy that cannot be resolved).
fn ecs_native_strategy(template: &Template, service: &Resource) -> bool {
    let Some(strategy) = service.prop_path(&["DeploymentConfiguration", "Strategy"]) else {
        return false;
    };
    match template.strings(strategy) {
        Some(values) => values
            .iter()
            .any(|(v, _)| !v.eq_ignore_ascii_case("ROLLING")),
        None => true,
    }
}
