//! ## What it finds
//! An ECS AppSpec file whose `AWS::ECS::Service` target lacks `TaskDefinition`, or
//! `LoadBalancerInfo` with `ContainerName` and `ContainerPort`, under `Properties`.
//!
//! ## Why it matters
//! An ECS blue/green deployment starts a replacement task set from `TaskDefinition` and
//! routes the load balancer's traffic to `ContainerName` on `ContainerPort`; all three
//! are required, and CodeDeploy fails the deployment when one is missing. The
//! CodePipeline placeholder `<TASK_DEFINITION>` counts as present (the pipeline
//! substitutes it), and so does a blank value (`ContainerName: ""`, as in the AWS template
//! files, filled in by a script). Keys are matched ignoring case, as CodeDeploy does.

use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "APPSPEC-009",
    name: "ecs-resource",
    severity: Severity::Error,
    kinds: &[FileKind::Appspec],
    summary: "An ECS AppSpec target lacks `TaskDefinition` or the load balancer's container name and port.",
    source: "https://docs.aws.amazon.com/codedeploy/latest/userguide/reference-appspec-file-structure-resources.html",
};

pub struct Rule;

impl Check for Rule {
    fn appspec(&self, appspec: &Appspec, report: &mut Report) {
        if appspec.platform != Platform::Ecs {
            return;
        }
        for target in appspec.resources() {
            let is_service = field(&target.value, "Type")
                .and_then(|e| e.value.as_str())
                .is_some_and(|t| t.trim().eq_ignore_ascii_case("AWS::ECS::Service"));
            if !is_service {
                continue;
            }
            let name = &target.key.text;
            let Some(properties) = field(&target.value, "Properties") else {
                report
                    .add(target.key.span, format!("ECS target `{name}` has no `Properties`"))
                    .label("no TaskDefinition, LoadBalancerInfo")
                    .help("add `Properties` with `TaskDefinition` and `LoadBalancerInfo` (`ContainerName`, `ContainerPort`)");
                continue;
            };
            let props = &properties.value;
            if props.as_map().is_none() && !props.is_null() {
                continue;
            }
            let mut missing = Vec::new();
            if field(props, "TaskDefinition").is_none() {
                missing.push("`TaskDefinition`");
            }
            let anchor = match field(props, "LoadBalancerInfo") {
                None => {
                    missing.push("`LoadBalancerInfo`");
                    properties.key.span
                }
                Some(lb) if lb.value.as_map().is_some() || lb.value.is_null() => {
                    for key in ["ContainerName", "ContainerPort"] {
                        if field(&lb.value, key).is_none() {
                            missing.push(if key == "ContainerName" {
                                "`LoadBalancerInfo.ContainerName`"
                            } else {
                                "`LoadBalancerInfo.ContainerPort`"
                            });
                        }
                    }
                    if missing.iter().all(|m| m.starts_with("`LoadBalancerInfo.")) {
                        lb.key.span
                    } else {
                        properties.key.span
                    }
                }
                Some(_) => properties.key.span,
            };
            if missing.is_empty() {
                continue;
            }
            let list = missing.join(", ");
            report
                .add(anchor, format!("ECS target `{name}` has no {list}"))
                .label(format!("missing {list}"))
                .help("an ECS target needs `TaskDefinition` and `LoadBalancerInfo` with `ContainerName` and `ContainerPort`");
        }
    }
}

fn field<'n>(node: &'n Node, key: &str) -> Option<&'n Entry> {
    node.as_map()?
        .iter()
        .rev()
        .find(|e| e.key.text.eq_ignore_ascii_case(key))
}
