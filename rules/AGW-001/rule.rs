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

use crate::model::apigateway::method_settings;
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
            let Some(caching) = settings.caching_enabled(template) else {
                continue;
            };
            let encrypted = settings.node.entry("CacheDataEncrypted");
            if encrypted.is_some_and(|entry| !template.certainly_false(&entry.value)) {
                continue;
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
