//! API Gateway stages and their method settings, shared by the AGW rules.

use crate::document::{Entry, Node};
use crate::source::Span;

use super::Template;

/// One place holding method settings: a `MethodSettings` item, or a deployment's
/// `StageDescription` (whose top-level keys apply to all methods).
pub struct MethodSettings<'a> {
    pub node: &'a Node,
    /// The stage's `CacheClusterEnabled`, if written.
    pub cluster: Option<&'a Entry>,
    /// The stage (or deployment, or SAM API) resource's `Type`.
    pub anchor: Span,
    pub owner: String,
}

/// Method settings of REST API stages: `AWS::ApiGateway::Stage`,
/// `AWS::ApiGateway::Deployment` `StageDescription`, and `AWS::Serverless::Api`
/// (`Globals.Api` included, each place once).
pub fn method_settings<'a>(template: &Template<'a>) -> Vec<MethodSettings<'a>> {
    let mut out = Vec::new();
    let mut seen: Vec<Span> = Vec::new();
    let types = ["AWS::ApiGateway::Stage", "AWS::Serverless::Api"];
    for stage in template.resources_of_types(&types) {
        let cluster = stage.prop_entry("CacheClusterEnabled");
        for item in stage.prop_items("MethodSettings") {
            if seen.contains(&item.span()) {
                continue;
            }
            seen.push(item.span());
            out.push(MethodSettings {
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
        out.push(MethodSettings {
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
            out.push(MethodSettings {
                node: item,
                cluster,
                anchor: deployment.anchor(),
                owner: owner.clone(),
            });
        }
    }
    out
}

impl<'a> MethodSettings<'a> {
    /// The `CachingEnabled` entry when caching may be on (one of its values is
    /// `true`); `None` when it is absent, certainly off or unknown.
    pub fn caching_enabled(&self, template: &Template<'a>) -> Option<&'a Entry> {
        let caching = self.node.entry("CachingEnabled")?;
        let values = template.booleans(&caching.value)?;
        values.iter().any(|(on, _)| *on).then_some(caching)
    }
}
