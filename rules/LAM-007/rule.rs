//! ## What it finds
//! An `AWS::Lambda::Alias` whose `FunctionVersion`, or one of whose
//! `RoutingConfig.AdditionalVersionWeights[].FunctionVersion`, is `$LATEST`.
//!
//! ## Why it matters
//! An alias is meant to be a stable pointer to a published, immutable version: callers
//! and event sources that use it get exactly the code that was released. Pointing it
//! at `$LATEST` makes every code update live at once and defeats rollbacks, provisioned
//! concurrency and gradual deployments. For a weighted alias AWS is explicit: both
//! versions must be published and the alias cannot point to `$LATEST`, so the update
//! fails. That case is reported as an error, which differs from the catalog's warning:
//! the catalog's severity is kept for a plain alias, which Lambda accepts.

use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "LAM-007",
    name: "alias-to-latest",
    severity: Severity::Warning,
    kinds: &[FileKind::Template],
    summary: "A Lambda alias points at $LATEST instead of a published version.",
    source: "https://docs.aws.amazon.com/lambda/latest/dg/configuring-alias-routing.html",
};

pub struct Rule;

impl Check for Rule {
    fn template(&self, template: &Template, report: &mut Report) {
        for alias in template.resources_of_type("AWS::Lambda::Alias") {
            let weights: Vec<&Node> = alias
                .own_prop("RoutingConfig")
                .and_then(|r| r.get("AdditionalVersionWeights"))
                .into_iter()
                .flat_map(Node::iter_seq)
                .filter_map(|w| w.get("FunctionVersion"))
                .collect();
            let routed = !weights.is_empty();
            let versions = alias.own_prop("FunctionVersion").into_iter().chain(weights);
            for node in versions {
                let Some(values) = template.strings(node) else {
                    continue;
                };
                let Some((_, candidate)) = values.iter().find(|(v, _)| *v == "$LATEST") else {
                    continue;
                };
                let finding = report.add_candidate(
                    candidate,
                    node,
                    format!("alias `{}` points at $LATEST", alias.id),
                );
                if routed {
                    finding.severity = Severity::Error;
                    finding
                        .label("a weighted alias cannot use $LATEST")
                        .help("publish versions (`AWS::Lambda::Version`) and route between them");
                } else {
                    finding
                        .label("$LATEST changes with every code update")
                        .help(
                        "point the alias at a published version, e.g. `!GetAtt Version.Version`",
                    );
                }
                if let Origin::Parameter(param) = candidate.origin {
                    finding.also(param, "parameter allowing $LATEST");
                }
            }
        }
    }
}
