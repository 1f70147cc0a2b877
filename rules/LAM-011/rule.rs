//! ## What it finds
//! An `AWS::Serverless::Function` with an enabled `DeploymentPreference` (`Enabled`
//! absent or true) but no `AutoPublishAlias`, `Globals.Function` included for both.
//!
//! ## Why it matters
//! SAM shifts traffic with CodeDeploy between versions behind an alias, and that alias
//! is the one `AutoPublishAlias` creates. The SAM documentation states that a
//! `DeploymentPreference` needs an `AutoPublishAlias`, "otherwise an error will
//! result": the transform fails and the stack is not deployed. The SAM translator
//! raises the error only for an enabled preference, so `Enabled: false` is accepted
//! and not reported.

use crate::model::lambda;
use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "LAM-011",
    name: "deployment-preference-without-alias",
    severity: Severity::Error,
    kinds: &[FileKind::Template],
    summary: "A SAM function has a DeploymentPreference but no AutoPublishAlias.",
    source: "https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-function-deploymentpreference.html",
};

pub struct Rule;

impl Check for Rule {
    fn template(&self, template: &Template, report: &mut Report) {
        for function in template.resources_of_type("AWS::Serverless::Function") {
            if !function.properties_are_literal()
                || lambda::function_prop(function, "AutoPublishAlias").is_some()
            {
                continue;
            }
            let Some(entry) = function.prop_entry("DeploymentPreference") else {
                continue;
            };
            let preference = &entry.value;
            if preference.as_map().is_none() || preference.intrinsic().is_some() {
                continue;
            }
            if let Some(enabled) = preference.get("Enabled") {
                match template.booleans(enabled) {
                    Some(values) if values.iter().any(|(b, _)| *b) => {}
                    _ => continue,
                }
            }
            let inherited = function.own_prop("DeploymentPreference").is_none();
            let finding = report.add(
                entry.key.span,
                format!(
                    "function `{}` has a DeploymentPreference but no AutoPublishAlias",
                    function.id
                ),
            );
            finding.label(if inherited {
                "DeploymentPreference from Globals needs AutoPublishAlias"
            } else {
                "DeploymentPreference needs AutoPublishAlias"
            });
            if inherited {
                finding.also(function.anchor(), format!("function `{}`", function.id));
            }
            finding.help("add `AutoPublishAlias: live` (any alias name) to the function or to `Globals.Function`, or set `Enabled: false`");
        }
    }
}
