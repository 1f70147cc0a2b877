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
//!
//! It also checks the optional `NetworkConfiguration.AwsvpcConfiguration`: "All or none
//! of the settings under `NetworkConfiguration` must be specified. For example, if you
//! want to specify `Subnets`, you must also specify `SecurityGroups` and
//! `AssignPublicIp`." A block with only some of the three is reported (with none,
//! CodeDeploy keeps the service's current network settings). `AssignPublicIp` must be
//! `ENABLED` or `DISABLED` (the ECS `AwsVpcConfiguration` values, upper case), and
//! `Subnets`, required by ECS whenever the block is given, must not be an empty list.
//! Blank values and placeholders (`$`, `{`, `<`) count as given.

use crate::model::appspec;
use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "APPSPEC-009",
    name: "ecs-resource",
    severity: Severity::Error,
    kinds: &[FileKind::Appspec],
    summary: "An ECS AppSpec target lacks `TaskDefinition` or the load balancer's container name and port, or has an incomplete network configuration.",
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
            check_network(name, props, report);
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

/// The members of `AwsvpcConfiguration` that must be given together.
const AWSVPC_MEMBERS: [&str; 3] = ["Subnets", "SecurityGroups", "AssignPublicIp"];

/// All-or-none members, `AssignPublicIp` values and empty `Subnets` of a target's
/// `NetworkConfiguration.AwsvpcConfiguration`.
fn check_network(name: &str, props: &Node, report: &mut Report) {
    let Some(vpc) = field(props, "NetworkConfiguration")
        .and_then(|network| field(&network.value, "AwsvpcConfiguration"))
    else {
        return;
    };
    let present: Vec<&Entry> = AWSVPC_MEMBERS
        .iter()
        .filter_map(|key| field(&vpc.value, key))
        .collect();
    let missing: Vec<String> = AWSVPC_MEMBERS
        .iter()
        .filter(|key| field(&vpc.value, key).is_none())
        .map(|key| format!("`{key}`"))
        .collect();
    if !present.is_empty() && !missing.is_empty() {
        let list = missing.join(", ");
        let finding = report.add(
            vpc.key.span,
            format!("`AwsvpcConfiguration` of ECS target `{name}` has no {list}; CodeDeploy needs all of `Subnets`, `SecurityGroups` and `AssignPublicIp`, or none"),
        );
        finding
            .label(format!("missing {list}"))
            .help("add the missing settings, or remove `NetworkConfiguration` to keep the service's current network settings");
        for entry in &present {
            finding.also(entry.key.span, "given here");
        }
    }
    if let Some(assign) = field(&vpc.value, "AssignPublicIp") {
        let value = assign.value.as_str().map(str::trim);
        match value {
            Some(text)
                if !appspec::is_placeholder(text) && !matches!(text, "ENABLED" | "DISABLED") =>
            {
                let finding = report.add(
                    assign.value.span(),
                    format!("`AssignPublicIp` is `{text}`; it must be ENABLED or DISABLED"),
                );
                finding.label("not ENABLED or DISABLED");
                if text.eq_ignore_ascii_case("enabled") || text.eq_ignore_ascii_case("disabled") {
                    finding.help(format!(
                        "write it in upper case: `{}`",
                        text.to_ascii_uppercase()
                    ));
                } else {
                    finding.help("write `ENABLED` to give the tasks a public IP address, `DISABLED` otherwise");
                }
            }
            _ => {}
        }
    }
    if let Some(subnets) = field(&vpc.value, "Subnets") {
        if subnets.value.as_seq().is_some_and(<[Node]>::is_empty) {
            report
                .add(
                    subnets.value.span(),
                    format!("`Subnets` of ECS target `{name}` is an empty list"),
                )
                .label("no subnet")
                .help("list the subnets the tasks run in (at most 16, all in one VPC)");
        }
    }
}
