//! ## What it finds
//! An `HTTP` listener (`AWS::ElasticLoadBalancingV2::Listener`) of an internet-facing
//! Application Load Balancer declared in the same template whose default action is not
//! a redirect to HTTPS.
//!
//! ## Why it matters
//! A browser that follows an `http://` link talks to such a listener in clear text:
//! cookies, credentials and pages cross the internet unencrypted and can be read or
//! altered on the way. The usual fix is a default action of `Type: redirect` with
//! `RedirectConfig: {Protocol: HTTPS, Port: "443", StatusCode: HTTP_301}`; AWS Config's
//! managed rule `alb-http-to-https-redirection-check` flags the same thing. A load
//! balancer without `Scheme` is internet-facing.
//!
//! The rule stays silent when the load balancer is internal, declared elsewhere, or of
//! unknown scheme or type; when the default action is a `fixed-response` (nothing is
//! served); when a listener rule of the template redirects the listener's traffic to
//! HTTPS; and when a CloudFront distribution of the template uses the load balancer as
//! its origin (CloudFront→origin over HTTP is CFR-002's concern, and a redirect there
//! would loop).

use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "ELB-004",
    name: "http-listener-without-redirect",
    severity: Severity::Warning,
    kinds: &[FileKind::Template],
    summary: "An internet-facing ALB serves plain HTTP instead of redirecting to HTTPS.",
    source: "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-elasticloadbalancingv2-listener-redirectconfig.html",
};

pub struct Rule;

/// Whether an action list redirects to HTTPS (`None` when it cannot be decided).
fn redirects_to_https(template: &Template, actions: &Node) -> Option<bool> {
    let items = actions.as_seq()?;
    let mut redirect = false;
    for action in items {
        if action.intrinsic().is_some() {
            return None;
        }
        let kind = action.get("Type").and_then(|t| template.string(t))?;
        if kind == "fixed-response" {
            return None;
        }
        if kind == "redirect" {
            if let Some(protocol) = action.path(&["RedirectConfig", "Protocol"]) {
                let values = template.strings(protocol)?;
                if values.iter().all(|(p, _)| p.eq_ignore_ascii_case("HTTPS")) {
                    redirect = true;
                } else if values.iter().any(|(p, _)| p.eq_ignore_ascii_case("HTTPS")) {
                    return None;
                }
            }
        }
    }
    Some(redirect)
}

impl Check for Rule {
    fn template(&self, template: &Template, report: &mut Report) {
        for listener in template.resources_of_type("AWS::ElasticLoadBalancingV2::Listener") {
            let Some(protocol) = listener.prop("Protocol") else {
                continue;
            };
            if template.string(protocol) != Some("HTTP") {
                continue;
            }
            let Some(balancer) = listener
                .prop("LoadBalancerArn")
                .and_then(|arn| template.referenced_resource(arn))
            else {
                continue;
            };
            if balancer.type_name != "AWS::ElasticLoadBalancingV2::LoadBalancer"
                || !balancer.properties_are_literal()
            {
                continue;
            }
            let scheme = match balancer.prop("Scheme") {
                None => "internet-facing",
                Some(node) => match template.string(node) {
                    Some(s) => s,
                    None => continue,
                },
            };
            let kind = match balancer.prop("Type") {
                None => "application",
                Some(node) => match template.string(node) {
                    Some(s) => s,
                    None => continue,
                },
            };
            if scheme != "internet-facing" || kind != "application" {
                continue;
            }
            let Some(actions) = listener.prop("DefaultActions") else {
                continue;
            };
            if redirects_to_https(template, actions) != Some(false) {
                continue;
            }
            if rules_redirect(template, listener) || behind_cloudfront(template, balancer) {
                continue;
            }
            let finding = report.add(
                protocol.span(),
                format!(
                    "HTTP listener `{}` of internet-facing load balancer `{}` serves plain HTTP instead of redirecting to HTTPS",
                    listener.id, balancer.id
                ),
            );
            finding.label("plain HTTP").also(
                balancer.anchor(),
                "internet-facing Application Load Balancer",
            );
            if has_https_listener(template, balancer) {
                finding.help("make the default action `Type: redirect` with `RedirectConfig: {Protocol: HTTPS, Port: \"443\", StatusCode: HTTP_301}`");
            } else {
                finding.help("add an HTTPS listener (port 443, an ACM certificate) and make this listener's default action a redirect to it: `RedirectConfig: {Protocol: HTTPS, Port: \"443\", StatusCode: HTTP_301}`");
            }
        }
    }
}

/// Whether a listener rule of the template sends the listener's requests to HTTPS.
fn rules_redirect(template: &Template, listener: &Resource) -> bool {
    template
        .resources_of_type("AWS::ElasticLoadBalancingV2::ListenerRule")
        .any(|rule| {
            let on_listener = rule
                .prop("ListenerArn")
                .and_then(|arn| template.referenced_resource(arn))
                .is_none_or(|target| target.id == listener.id);
            on_listener
                && rule
                    .prop("Actions")
                    .is_some_and(|actions| redirects_to_https(template, actions) != Some(false))
        })
}

/// Whether a CloudFront distribution of the template uses the load balancer as origin.
fn behind_cloudfront(template: &Template, balancer: &Resource) -> bool {
    template
        .resources_of_type("AWS::CloudFront::Distribution")
        .any(|distribution| {
            let mut found = false;
            if let Some(config) = distribution.prop("DistributionConfig") {
                config.walk(|node| {
                    if template
                        .referenced_resource(node)
                        .is_some_and(|r| r.id == balancer.id)
                    {
                        found = true;
                    }
                });
            }
            found
        })
}

/// Whether the template gives the load balancer an HTTPS listener.
fn has_https_listener(template: &Template, balancer: &Resource) -> bool {
    template
        .resources_of_type("AWS::ElasticLoadBalancingV2::Listener")
        .any(|listener| {
            listener
                .prop("LoadBalancerArn")
                .and_then(|arn| template.referenced_resource(arn))
                .is_some_and(|r| r.id == balancer.id)
                && listener
                    .prop("Protocol")
                    .and_then(|p| template.strings(p))
                    .is_some_and(|v| v.iter().any(|(p, _)| p.eq_ignore_ascii_case("HTTPS")))
        })
}
