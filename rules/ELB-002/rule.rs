//! ## What it finds
//! A load balancer certificate that is an IAM server certificate rather than an ACM
//! certificate:
//! - `Certificates[].CertificateArn` of an `AWS::ElasticLoadBalancingV2::Listener` or
//!   `AWS::ElasticLoadBalancingV2::ListenerCertificate`, and
//! - `Listeners[].SSLCertificateId` of a Classic `AWS::ElasticLoadBalancing::LoadBalancer`,
//!
//! when the value is an IAM ARN (`arn:aws:iam::<account>:server-certificate/...`,
//! literal or built with `Fn::Sub`/`Fn::Join`) or refers to an
//! `AWS::IAM::ServerCertificate` of the template.
//!
//! ## Why it matters
//! The IAM user guide recommends ACM wherever ACM is available and IAM as a certificate
//! manager only in Regions ACM does not support. ACM certificates are free and renew
//! themselves; a certificate uploaded to IAM has to be renewed, re-uploaded and swapped
//! by hand before it expires, and an expired one takes the site down. Its private key
//! also has to live somewhere to be uploaded — often next to the template.

use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "ELB-002",
    name: "iam-server-certificate",
    severity: Severity::Warning,
    kinds: &[FileKind::Template],
    summary: "A load balancer uses an IAM server certificate instead of ACM.",
    source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_server-certs.html",
};

pub struct Rule;

/// Where `node` names an IAM server certificate: the span to underline and the
/// resource it refers to, if any.
fn iam_certificate<'a>(
    template: &'a Template,
    node: &'a Node,
) -> Option<(Span, Option<&'a Resource<'a>>)> {
    if let Some(values) = template.strings(node) {
        return values
            .iter()
            .find(|(v, _)| v.contains(":server-certificate/"))
            .map(|(_, c)| (c.span_at(node), None));
    }
    if let Some(targets) = template.referenced_resources(node) {
        return targets
            .into_iter()
            .find(|r| r.type_name == "AWS::IAM::ServerCertificate")
            .map(|r| (node.span(), Some(r)));
    }
    if let Some(Intrinsic::Sub(_) | Intrinsic::Join { .. }) = Intrinsic::of(node) {
        let mut found = false;
        node.walk(|n| {
            if n.as_str()
                .is_some_and(|s| s.contains(":server-certificate/"))
            {
                found = true;
            }
        });
        if found {
            return Some((node.span(), None));
        }
    }
    None
}

impl Check for Rule {
    fn template(&self, template: &Template, report: &mut Report) {
        let mut places: Vec<(&Resource, &Node)> = Vec::new();
        for resource in template.resources_of_types(&[
            "AWS::ElasticLoadBalancingV2::Listener",
            "AWS::ElasticLoadBalancingV2::ListenerCertificate",
        ]) {
            for certificate in resource.prop_items("Certificates") {
                if let Some(arn) = certificate.get("CertificateArn") {
                    places.push((resource, arn));
                }
            }
        }
        for balancer in template.resources_of_type("AWS::ElasticLoadBalancing::LoadBalancer") {
            for listener in balancer.prop_items("Listeners") {
                if let Some(id) = listener.get("SSLCertificateId") {
                    places.push((balancer, id));
                }
            }
        }
        for (resource, node) in places {
            let Some((span, target)) = iam_certificate(template, node) else {
                continue;
            };
            let finding = report.add(
                span,
                format!(
                    "`{}` uses an IAM server certificate; use an ACM certificate",
                    resource.id
                ),
            );
            finding
                .label("IAM server certificate")
                .help("request or import the certificate in ACM (free, renewed automatically) and use its ARN");
            if let Some(target) = target {
                finding.also(target.anchor(), "the IAM server certificate");
            }
        }
    }
}
