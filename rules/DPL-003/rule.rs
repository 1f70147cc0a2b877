//! ## What it finds
//! An `AWS::CodeDeploy::DeploymentConfig` whose `TrafficRoutingConfig.Type` and the
//! blocks beside it disagree:
//!
//! - `Type: TimeBasedCanary` without a `TimeBasedCanary` block, or `TimeBasedLinear`
//!   without a `TimeBasedLinear` block;
//! - a `TimeBasedCanary` or `TimeBasedLinear` block that the type does not use (for
//!   example a `TimeBasedLinear` block under `Type: TimeBasedCanary`, or either block
//!   under `Type: AllAtOnce`).
//!
//! ## Why it matters
//! `TrafficRoutingConfig.Type` takes `AllAtOnce`, `TimeBasedCanary` or
//! `TimeBasedLinear`. A canary configuration needs `TimeBasedCanary`
//! `{CanaryPercentage, CanaryInterval}` and a linear one needs `TimeBasedLinear`
//! `{LinearPercentage, LinearInterval}`; CodeDeploy rejects a configuration whose block
//! is missing, and a block for the other type means the traffic shifts differently from
//! what the template says (usually a copy-paste slip), so it is reported too.
//!
//! The CloudFormation blue/green hook (`AWS::CodeDeploy::BlueGreen` under the
//! top-level `Hooks` section) has its own `TrafficRoutingConfig` with other field names
//! and is not checked; neither are ECS-native deployment strategies. A type that
//! cannot be resolved, or a block written with `Fn::If`, keeps the rule silent.

use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "DPL-003",
    name: "traffic-routing-config",
    severity: Severity::Error,
    kinds: &[FileKind::Template],
    summary: "A TrafficRoutingConfig type and its TimeBasedCanary/TimeBasedLinear block disagree.",
    source: "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-codedeploy-deploymentconfig-trafficroutingconfig.html",
};

pub struct Rule;

const BLOCKS: &[&str] = &["TimeBasedCanary", "TimeBasedLinear"];

impl Check for Rule {
    fn template(&self, template: &Template, report: &mut Report) {
        for config in template.resources_of_type("AWS::CodeDeploy::DeploymentConfig") {
            let Some(routing) = config.prop("TrafficRoutingConfig") else {
                continue;
            };
            if routing.as_map().is_none() || routing.intrinsic().is_some() {
                continue;
            }
            let Some(type_node) = routing.get("Type") else {
                continue;
            };
            let Some(kind) = template.string(type_node) else {
                continue;
            };
            if !matches!(kind, "AllAtOnce" | "TimeBasedCanary" | "TimeBasedLinear") {
                continue;
            }
            if kind != "AllAtOnce" && routing.entry(kind).is_none() {
                let fields = if kind == "TimeBasedCanary" {
                    "{CanaryPercentage, CanaryInterval}"
                } else {
                    "{LinearPercentage, LinearInterval}"
                };
                let finding = report.add(
                    type_node.span(),
                    format!(
                        "deployment configuration `{}` has TrafficRoutingConfig type {kind} but no `{kind}` block",
                        config.id
                    ),
                );
                finding
                    .label(format!("{kind} needs a `{kind}` block"))
                    .help(format!("add `{kind}: {fields}` beside `Type`"));
                if let Some(other) = BLOCKS.iter().find_map(|b| routing.entry(b)) {
                    finding.also(other.key.span, "a block for the other type");
                }
                continue;
            }
            for block in BLOCKS.iter().filter(|b| **b != kind) {
                let Some(entry) = routing.entry(block) else {
                    continue;
                };
                if template.may_be_absent(&entry.value) {
                    continue;
                }
                report
                    .add(
                        entry.key.span,
                        format!(
                            "deployment configuration `{}` has a `{block}` block, but its TrafficRoutingConfig type is {kind}",
                            config.id
                        ),
                    )
                    .label(format!("ignored by type {kind}"))
                    .also(type_node.span(), format!("type {kind}"))
                    .help(if kind == "AllAtOnce" {
                        format!("remove `{block}`, or set `Type: {block}` if traffic should shift gradually")
                    } else {
                        format!("remove `{block}`, or set `Type: {block}` if that is the intended shift")
                    });
            }
        }
    }
}
