//! ## What it finds
//! An Elastic Beanstalk `aws:elasticbeanstalk:command` `DeploymentPolicy` option whose
//! value is not one of `AllAtOnce`, `Rolling`, `RollingWithAdditionalBatch`, `Immutable`
//! or `TrafficSplitting`. It looks at the `OptionSettings` of
//! `AWS::ElasticBeanstalk::Environment` and `AWS::ElasticBeanstalk::ConfigurationTemplate`
//! resources, and at the `option_settings` of `.ebextensions/*.config` files (map and
//! list forms).
//!
//! ## Why it matters
//! `DeploymentPolicy` is a case-sensitive enumeration: Elastic Beanstalk rejects any
//! other value and the environment update (or the stack) fails. The five policies are
//! all at once (the default), rolling, rolling with an additional batch, immutable, and
//! traffic splitting. There is no `Canary` policy: canary testing, sending a share of
//! the traffic to the new version for an evaluation period, is what `TrafficSplitting`
//! does. Blue/green is not a policy either: it is done by deploying to a second
//! environment and swapping the environment URLs.
//!
//! In templates, values given through a parameter are judged by its `Default` and
//! `AllowedValues`, and both branches of an `Fn::If` are checked.

use crate::prelude::*;
use crate::suggest::within;

pub const META: RuleMeta = RuleMeta {
    code: "EB-001",
    name: "invalid-deployment-policy",
    severity: Severity::Error,
    kinds: &[FileKind::Template, FileKind::EbConfig],
    summary: "An Elastic Beanstalk DeploymentPolicy is not a valid deployment policy.",
    source: "https://docs.aws.amazon.com/elasticbeanstalk/latest/dg/command-options-general.html#command-options-general-elasticbeanstalkcommand",
};

pub struct Rule;

const POLICIES: &[&str] = &[
    "AllAtOnce",
    "Rolling",
    "RollingWithAdditionalBatch",
    "Immutable",
    "TrafficSplitting",
];

const NAMESPACE: &str = "aws:elasticbeanstalk:command";

impl Check for Rule {
    fn template(&self, template: &Template, report: &mut Report) {
        for resource in template.resources_of_types(&[
            "AWS::ElasticBeanstalk::Environment",
            "AWS::ElasticBeanstalk::ConfigurationTemplate",
        ]) {
            let Some(settings) = resource.prop("OptionSettings") else {
                continue;
            };
            for setting in option_settings(settings) {
                if setting.namespace != NAMESPACE || setting.name != "DeploymentPolicy" {
                    continue;
                }
                let Some(values) = template.strings(setting.value) else {
                    continue;
                };
                let Some((value, cand)) = values.iter().find(|(v, _)| !POLICIES.contains(v)) else {
                    continue;
                };
                let finding = report.add_candidate(
                    cand,
                    setting.value,
                    format!("`{value}` is not an Elastic Beanstalk deployment policy"),
                );
                describe(finding, value, setting.name_span);
                finding.also_parameter(cand, format!("the parameter allows `{value}`"));
            }
        }
    }

    fn eb_config(&self, config: &EbConfig, report: &mut Report) {
        let Some(settings) = config.root.get("option_settings") else {
            return;
        };
        for setting in option_settings(settings) {
            if setting.namespace != NAMESPACE || setting.name != "DeploymentPolicy" {
                continue;
            }
            let Some(value) = setting.value.as_str() else {
                continue;
            };
            if POLICIES.contains(&value) {
                continue;
            }
            let finding = report.add(
                setting.value.span(),
                format!("`{value}` is not an Elastic Beanstalk deployment policy"),
            );
            describe(finding, value, setting.name_span);
        }
    }
}

fn describe(finding: &mut Finding, value: &str, name_span: Span) {
    finding
        .label("not AllAtOnce, Rolling, RollingWithAdditionalBatch, Immutable or TrafficSplitting")
        .also(name_span, "aws:elasticbeanstalk:command option");
    let lower = value.to_ascii_lowercase();
    let help = if lower.contains("canary") {
        "there is no Canary policy: use TrafficSplitting (settings in the aws:elasticbeanstalk:trafficsplitting namespace)".to_string()
    } else if lower.contains("blue") || lower.contains("green") {
        "blue/green is not a deployment policy: deploy to a second environment and swap the environment URLs; within one environment use Immutable or TrafficSplitting".to_string()
    } else if let Some(exact) = POLICIES.iter().find(|p| p.eq_ignore_ascii_case(value)) {
        format!("policy names are case-sensitive: use `{exact}`")
    } else if let Some(near) = nearest(value) {
        format!(
            "did you mean `{near}`? valid policies: {}",
            POLICIES.join(", ")
        )
    } else {
        format!("use one of {}", POLICIES.join(", "))
    };
    finding.help(help);
}

/// The policy within a small edit distance (ignoring case, spaces, dashes, underscores).
fn nearest(value: &str) -> Option<&'static str> {
    let norm = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .map(|c| c.to_ascii_lowercase())
            .collect()
    };
    let v = norm(value);
    POLICIES
        .iter()
        .filter_map(|p| within(&v, &norm(p), 3).map(|d| (d, *p)))
        .min_by_key(|(d, _)| *d)
        .map(|(_, p)| p)
}
