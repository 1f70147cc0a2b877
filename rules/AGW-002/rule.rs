//! ## What it finds
//! REST API method settings with `CachingEnabled: true` on a stage whose
//! `CacheClusterEnabled` is absent or false: `AWS::ApiGateway::Stage` and
//! `AWS::Serverless::Api` (`Globals.Api` included), and `AWS::ApiGateway::Deployment`
//! `StageDescription`.
//!
//! ## Why it matters
//! Method-level caching only uses the stage's cache cluster; AWS states that a cache
//! cluster must be enabled on the stage for responses to be cached. Without
//! `CacheClusterEnabled: true` nothing is cached, every request reaches the backend,
//! and the TTLs and keys configured for the method have no effect.
//!
//! The template deploys, so the rule is a warning, which differs from the catalog's
//! error: the configuration is ineffective rather than rejected.

use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "AGW-002",
    name: "caching-without-cache-cluster",
    severity: Severity::Warning,
    kinds: &[FileKind::Template],
    summary: "Method caching is enabled but the stage has no cache cluster.",
    source: "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-apigateway-stage-methodsetting.html",
};

pub struct Rule;

impl Check for Rule {
    fn template(&self, template: &Template, report: &mut Report) {
        for settings in method_settings(template) {
            let Some(caching) = settings.node.entry("CachingEnabled") else {
                continue;
            };
            let Some(values) = template.booleans(&caching.value) else {
                continue;
            };
            if !values.iter().any(|(b, _)| *b) {
                continue;
            }
            if let Some(cluster) = settings.cluster {
                match template.booleans(&cluster.value) {
                    Some(values) if values.iter().all(|(b, _)| !*b) => {}
                    _ => continue,
                }
            }
            let finding = report.add(
                caching.span(),
                format!(
                    "caching is enabled in {} but its cache cluster is not",
                    settings.owner
                ),
            );
            finding.label("nothing is cached without a cache cluster");
            match settings.cluster {
                Some(cluster) => finding.also(cluster.span(), "cache cluster disabled"),
                None => finding.also(settings.anchor, "no `CacheClusterEnabled`"),
            };
            finding.help("set `CacheClusterEnabled: true` (and `CacheClusterSize`) on the stage, or remove `CachingEnabled`");
        }
    }
}

/// One place holding method settings: a `MethodSettings` item, or a deployment's
/// `StageDescription` (whose top-level keys apply to all methods).
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
