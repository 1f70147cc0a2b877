//! ## What it finds
//! An `AWS::ElasticLoadBalancingV2::Listener` whose `Protocol` is `HTTPS` (Application
//! Load Balancer) or `TLS` (Network Load Balancer) and that has no `Certificates`.
//!
//! ## Why it matters
//! A secure listener needs exactly one default server certificate: the load balancer
//! has no certificate of its own to fall back on, so CloudFormation fails to create the
//! listener. Add the ACM certificate's ARN under `Certificates`.
//!
//! `Protocol` given through a parameter is judged by the parameter's `Default` and
//! `AllowedValues`; `Certificates` written with `Fn::If` counts as present.

use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "ELB-001",
    name: "https-listener-without-certificate",
    severity: Severity::Error,
    kinds: &[FileKind::Template],
    summary: "An HTTPS or TLS listener has no certificate.",
    source: "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/https-listener-certificates.html",
};

pub struct Rule;

impl Check for Rule {
    fn template(&self, template: &Template, report: &mut Report) {
        for listener in template.resources_of_type("AWS::ElasticLoadBalancingV2::Listener") {
            if !listener.properties_are_literal() || listener.prop("Certificates").is_some() {
                continue;
            }
            let Some(protocol) = listener.prop_entry("Protocol") else {
                continue;
            };
            let Some(values) = template.strings(&protocol.value) else {
                continue;
            };
            let Some((secure, candidate)) = values
                .iter()
                .find(|(p, _)| p.eq_ignore_ascii_case("HTTPS") || p.eq_ignore_ascii_case("TLS"))
            else {
                continue;
            };
            let finding = report.add(
                protocol.key.span.cover(protocol.value.span()),
                format!("{secure} listener `{}` has no `Certificates`", listener.id),
            );
            finding
                .label(format!("Protocol {secure} needs a default certificate"))
                .help(
                    "add `Certificates: [{CertificateArn: <ACM certificate ARN>}]` to the listener",
                );
            finding.also_parameter(candidate, format!("the parameter allows {secure}"));
        }
    }
}
