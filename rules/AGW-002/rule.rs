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

use crate::model::apigateway::method_settings;
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
            let Some(caching) = settings.caching_enabled(template) else {
                continue;
            };
            if settings
                .cluster
                .is_some_and(|cluster| !template.certainly_false(&cluster.value))
            {
                continue;
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
