//! ## What it finds
//! A cache behavior of an `AWS::CloudFront::Distribution` (the `DefaultCacheBehavior` or
//! one of the `CacheBehaviors`) whose `ViewerProtocolPolicy` is `allow-all`.
//!
//! ## Why it matters
//! `ViewerProtocolPolicy` takes `allow-all`, `redirect-to-https` or `https-only`. With
//! `allow-all` CloudFront serves the content over plain HTTP as well as HTTPS, so
//! viewers who type or follow an `http://` link get the page unencrypted and can be
//! tampered with on the way. `redirect-to-https` answers HTTP requests with a 301 to the
//! HTTPS URL; `https-only` answers them with 403.
//!
//! A value given through a parameter is judged by the parameter's `Default` and
//! `AllowedValues`; each branch of an `Fn::If` is judged on its own.

use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "CFR-001",
    name: "viewer-protocol-allow-all",
    severity: Severity::Warning,
    kinds: &[FileKind::Template],
    summary: "A CloudFront cache behavior lets viewers use plain HTTP.",
    source: "https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_CacheBehavior.html",
};

pub struct Rule;

impl Check for Rule {
    fn template(&self, template: &Template, report: &mut Report) {
        for distribution in template.resources_of_type("AWS::CloudFront::Distribution") {
            let Some(config) = distribution.prop("DistributionConfig") else {
                continue;
            };
            let mut behaviors: Vec<(String, &Node)> = Vec::new();
            if let Some(default) = config.get("DefaultCacheBehavior") {
                behaviors.push(("the default cache behavior".to_string(), default));
            }
            if let Some(list) = config.get("CacheBehaviors") {
                for behavior in list.iter_seq() {
                    let name = match behavior.get("PathPattern").and_then(Node::as_str) {
                        Some(pattern) => format!("cache behavior `{pattern}`"),
                        None => "a cache behavior".to_string(),
                    };
                    behaviors.push((name, behavior));
                }
            }
            for (name, behavior) in behaviors {
                let Some(policy) = behavior.get("ViewerProtocolPolicy") else {
                    continue;
                };
                let Some(values) = template.strings(policy) else {
                    continue;
                };
                let Some((_, candidate)) = values
                    .iter()
                    .find(|(v, _)| v.eq_ignore_ascii_case("allow-all"))
                else {
                    continue;
                };
                let finding = report.add_candidate(
                    candidate,
                    policy,
                    format!(
                        "{name} of distribution `{}` serves viewers over plain HTTP (ViewerProtocolPolicy allow-all)",
                        distribution.id
                    ),
                );
                finding
                    .label("allow-all accepts HTTP requests")
                    .help("set `ViewerProtocolPolicy: redirect-to-https` (or `https-only`)");
                if candidate.origin == Origin::Literal {
                    finding.fix_scalar(
                        candidate.node,
                        "redirect-to-https",
                        "set ViewerProtocolPolicy to redirect-to-https",
                    );
                }
                finding.also_parameter(candidate, "the parameter allows allow-all");
            }
        }
    }
}
