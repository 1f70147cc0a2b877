//! ## What it finds
//! REST API method settings that turn caching on (`CachingEnabled: true`) without
//! `CacheDataEncrypted: true`: `AWS::ApiGateway::Stage` and `AWS::Serverless::Api`
//! `MethodSettings`, and `AWS::ApiGateway::Deployment` `StageDescription` (its own
//! keys and its `MethodSettings`).
//!
//! ## Why it matters
//! API Gateway stores cached responses in the stage's cache cluster, unencrypted
//! unless `CacheDataEncrypted` is set. Responses often carry personal or business
//! data, and many compliance regimes require encryption at rest for it. Encrypting
//! the cache costs only a slightly larger cached entry.

use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "AGW-001",
    name: "cache-data-unencrypted",
    severity: Severity::Warning,
    kinds: &[FileKind::Template],
    summary: "An API Gateway method setting enables caching without encrypting the cache data.",
    source: "https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-caching.html",
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
            let encrypted = settings.node.entry("CacheDataEncrypted");
            if let Some(entry) = encrypted {
                match template.booleans(&entry.value) {
                    Some(values) if values.iter().all(|(b, _)| !*b) => {}
                    _ => continue,
                }
            }
            let finding = report.add(
                caching.span(),
                format!(
                    "caching is enabled in {} but the cache data is not encrypted",
                    settings.owner
                ),
            );
            finding.label("cached responses are stored unencrypted");
            if let Some(entry) = encrypted {
                finding.also(entry.span(), "encryption turned off");
            }
            finding.help("add `CacheDataEncrypted: true` beside `CachingEnabled`");
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
