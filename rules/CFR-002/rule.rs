//! ## What it finds
//! A custom origin of an `AWS::CloudFront::Distribution`
//! (`Origins[].CustomOriginConfig`) whose `OriginProtocolPolicy` is `http-only`.
//!
//! ## Why it matters
//! `OriginProtocolPolicy` takes `http-only`, `match-viewer` or `https-only`. With
//! `http-only` CloudFront always fetches from the origin over plain HTTP, so everything
//! between CloudFront and the origin — request headers, cookies, authorization tokens,
//! the response — crosses the internet unencrypted, even when the viewer used HTTPS.
//! Use `https-only` (the origin needs a certificate from a trusted CA).
//!
//! Amazon S3 **website** endpoints (`<bucket>.s3-website-<region>.amazonaws.com`) do not
//! support HTTPS at all, so for them `http-only` is the only setting that works: the
//! rule stays silent when the origin's `DomainName` is an S3 website endpoint, is built
//! from a bucket's `WebsiteURL`, or is otherwise not known (a parameter without a value,
//! an import). To encrypt that hop, switch to the bucket's REST endpoint with origin
//! access control instead.

use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "CFR-002",
    name: "origin-http-only",
    severity: Severity::Warning,
    kinds: &[FileKind::Template],
    summary: "CloudFront fetches from a custom origin over plain HTTP.",
    source:
        "https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_CustomOriginConfig.html",
};

pub struct Rule;

/// Whether a text names an S3 website endpoint or a bucket's website URL.
fn mentions_website(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    lower.contains("s3-website") || lower.contains("websiteurl") || lower.contains("website")
}

/// Whether the origin's domain is known well enough, and is not an S3 website endpoint.
fn domain_is_not_website(template: &Template, domain: &Node) -> bool {
    if let Some(values) = template.strings(domain) {
        return !values.is_empty() && values.iter().all(|(v, _)| !mentions_website(v));
    }
    let mut decidable = true;
    domain.walk(|node| {
        if let Some(text) = node.as_str() {
            if mentions_website(text) {
                decidable = false;
            }
        }
        match Intrinsic::of(node) {
            Some(Intrinsic::ImportValue(_) | Intrinsic::FindInMap(_)) => decidable = false,
            // A parameter used inside a larger expression: its value may be a website
            // endpoint.
            Some(Intrinsic::Ref(name)) if template.parameter(name.name).is_some() => {
                decidable = false;
            }
            _ => {}
        }
        if let Some(resource) = template.referenced_resource(node) {
            if resource.type_name == "AWS::S3::Bucket" {
                decidable = false;
            }
        }
    });
    decidable
}

impl Check for Rule {
    fn template(&self, template: &Template, report: &mut Report) {
        for distribution in template.resources_of_type("AWS::CloudFront::Distribution") {
            let Some(origins) = distribution.prop_path(&["DistributionConfig", "Origins"]) else {
                continue;
            };
            for origin in origins.iter_seq() {
                let Some(policy) = origin.path(&["CustomOriginConfig", "OriginProtocolPolicy"])
                else {
                    continue;
                };
                let Some(values) = template.strings(policy) else {
                    continue;
                };
                let Some((_, candidate)) = values
                    .iter()
                    .find(|(v, _)| v.eq_ignore_ascii_case("http-only"))
                else {
                    continue;
                };
                let Some(domain) = origin.get("DomainName") else {
                    continue;
                };
                if !domain_is_not_website(template, domain) {
                    continue;
                }
                let id = origin
                    .get("Id")
                    .and_then(Node::as_str)
                    .map(|id| format!("origin `{id}`"))
                    .unwrap_or_else(|| "an origin".to_string());
                let finding = report.add_candidate(
                    candidate,
                    policy,
                    format!(
                        "distribution `{}` fetches from {id} over plain HTTP (OriginProtocolPolicy http-only)",
                        distribution.id
                    ),
                );
                finding
                    .label("requests to the origin are not encrypted")
                    .also(domain.span(), "the origin")
                    .help("set `OriginProtocolPolicy: https-only` and serve a trusted certificate on the origin");
                finding.also_parameter(candidate, "the parameter allows http-only");
            }
        }
    }
}
