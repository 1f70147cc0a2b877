//! ## What it finds
//! A REST API `CacheTtlInSeconds` outside 0–3600 in `MethodSettings`
//! (`AWS::ApiGateway::Stage`, `AWS::Serverless::Api`) or in an
//! `AWS::ApiGateway::Deployment` `StageDescription`.
//!
//! ## Why it matters
//! API Gateway caches a response for at most 3600 seconds (one hour); 0 disables
//! caching and the default is 300. A larger or negative value is rejected and the
//! stage fails to deploy.

use crate::model::apigateway::method_settings;
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
            // `None`: some value is unknown (an import, a GetAtt): stay silent.
            let Some(values) = template.integers(ttl) else {
                continue;
            };
            let Some((value, candidate)) = values.iter().find(|(v, _)| !(0..=3600).contains(v))
            else {
                continue;
            };
            let message = format!(
                "CacheTtlInSeconds {value} in {} is outside 0..3600",
                settings.owner
            );
            report
                .add_candidate(candidate, ttl, message)
                .label("the maximum cache TTL is 3600 s")
                .help("set `CacheTtlInSeconds` between 0 (no caching) and 3600")
                .also_parameter(candidate, format!("the parameter allows {value}"));
        }
    }
}
