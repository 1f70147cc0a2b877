//! ## What it finds
//! A REST API `CacheTtlInSeconds` outside 0–3600 in `MethodSettings`
//! (`AWS::ApiGateway::Stage`, `AWS::Serverless::Api`) or in an
//! `AWS::ApiGateway::Deployment` `StageDescription`.
//!
//! ## Why it matters
//! API Gateway caches a response for at most 3600 seconds (one hour); 0 disables
//! caching and the default is 300. A larger or negative value is rejected and the
//! stage fails to deploy.

use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "AGW-003",
    name: "cache-ttl-out-of-range",
    severity: Severity::Error,
    kinds: &[FileKind::Template],
    summary: "An API Gateway cache TTL is outside 0 to 3600 seconds.",
    source: "https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-caching.html",
};

pub struct Rule;

impl Check for Rule {
    fn template(&self, template: &Template, report: &mut Report) {
        for settings in method_settings(template) {
            let Some(ttl) = settings.node.get("CacheTtlInSeconds") else {
                continue;
            };
            let Some(values) = template.integers(ttl) else {
                continue;
            };
            let Some((value, candidate)) = values.iter().find(|(v, _)| !(0..=3600).contains(v))
            else {
                continue;
            };
            let finding = report.add(
                candidate.span_at(ttl),
                format!(
                    "CacheTtlInSeconds {value} in {} is outside 0..3600",
                    settings.owner
                ),
            );
            finding
                .label("the maximum cache TTL is 3600 s")
                .help("set `CacheTtlInSeconds` between 0 (no caching) and 3600");
            if let Origin::Parameter(param) = candidate.origin {
                finding.also(candidate.node.span, format!("the parameter allows {value}"));
                finding.also(param, "parameter");
            }
        }
    }
}

/// One place holding method settings: a `MethodSettings` item, or a deployment's
/// `StageDescription` (whose top-level keys apply to all methods).
// The same shape as AGW-002, which also reads the cache cluster and anchor.
#[allow(dead_code)]
struct Settings<'a> {
    node: &'a Node,
    /// The stage's `CacheClusterEnabled`, if written.
    cluster: Option<&'a Entry>,
    /// The stage (or deployment, or SAM API) resource's `Type`.
    anchor: Span,
    owner: String,
}

/// Method settings of REST API stages: `AWS::ApiGateway::Stage`,
/// `AWS::ApiGateway::Deployment` `StageDescription`, and `AWS::Serverless::Api`
/// (`Globals.Api` included, each place once).
fn method_settings<'a>(template: &Template<'a>) -> Vec<Settings<'a>> {
    let mut out = Vec::new();
    let mut seen: Vec<Span> = Vec::new();
    let types = ["AWS::ApiGateway::Stage", "AWS::Serverless::Api"];
    for stage in template.resources_of_types(&types) {
        let cluster = stage.prop_entry("CacheClusterEnabled");
        for item in stage
            .prop("MethodSettings")
            .into_iter()
            .flat_map(Node::iter_seq)
        {
            if seen.contains(&item.span) {
                continue;
            }
            seen.push(item.span);
            out.push(Settings {
                node: item,
                cluster,
                anchor: stage.anchor(),
                owner: format!("stage `{}`", stage.id),
            });
        }
    }
    for deployment in template.resources_of_type("AWS::ApiGateway::Deployment") {
        let Some(description) = deployment.own_prop("StageDescription") else {
            continue;
        };
        let cluster = description.entry("CacheClusterEnabled");
        let owner = format!("the StageDescription of `{}`", deployment.id);
        out.push(Settings {
            node: description,
            cluster,
            anchor: deployment.anchor(),
            owner: owner.clone(),
        });
        for item in description
            .get("MethodSettings")
            .into_iter()
            .flat_map(Node::iter_seq)
        {
            out.push(Settings {
                node: item,
                cluster,
                anchor: deployment.anchor(),
                owner: owner.clone(),
            });
        }
    }
    out
}
