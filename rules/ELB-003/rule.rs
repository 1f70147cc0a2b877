//! ## What it finds
//! An `AWS::IAM::ServerCertificate` whose `CertificateBody` is a self-signed X.509
//! certificate: the first certificate of the PEM body has the same issuer as subject,
//! and its signature verifies with its own public key.
//!
//! ## Why it matters
//! IAM and Elastic Load Balancing accept a self-signed certificate without complaint —
//! the stack deploys — but nothing that checks certificates will trust it. Browsers show
//! a full-page warning, API clients refuse the connection, and CloudFront rejects it
//! both as a viewer certificate and on an origin reached over HTTPS, because CloudFront
//! requires a certificate issued by a CA on the Mozilla Included CA Certificate List.
//! Use a certificate issued by ACM (free, renewed automatically) or by a public CA.
//!
//! Only a body written in the template is examined; a body given through a parameter,
//! `Fn::Sub` or a dynamic reference (`{{resolve:...}}`) keeps the rule silent, as does a
//! body that is not a PEM certificate or whose signature algorithm cannot be verified.
//! A self-signed certificate can be a deliberate choice for an internal load balancer
//! that only your own clients reach; suppress the finding there.

use x509_parser::pem::parse_x509_pem;

use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "ELB-003",
    name: "self-signed-certificate",
    severity: Severity::Error,
    kinds: &[FileKind::Template],
    summary: "An IAM server certificate is self-signed.",
    source: "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/cnames-and-https-requirements.html",
};

pub struct Rule;

/// The subject of the first certificate of `pem` when it is self-signed.
fn self_signed_subject(pem: &str) -> Option<String> {
    let (_, block) = parse_x509_pem(pem.trim_start().as_bytes()).ok()?;
    if block.label != "CERTIFICATE" {
        return None;
    }
    let certificate = block.parse_x509().ok()?;
    if certificate.issuer().as_raw() != certificate.subject().as_raw() {
        return None;
    }
    certificate.verify_signature(None).ok()?;
    Some(certificate.subject().to_string())
}

impl Check for Rule {
    fn template(&self, template: &Template, report: &mut Report) {
        for certificate in template.resources_of_type("AWS::IAM::ServerCertificate") {
            let Some(entry) = certificate.prop_entry("CertificateBody") else {
                continue;
            };
            let body = &entry.value;
            if body.intrinsic().is_some() {
                continue;
            }
            let Some(text) = body.as_str() else {
                continue;
            };
            if !text.contains("-----BEGIN CERTIFICATE-----") {
                continue;
            }
            let Some(subject) = self_signed_subject(text) else {
                continue;
            };
            report
                .add(
                    // The whole PEM is at fault; its key is the readable place to point.
                    entry.key.span,
                    format!(
                        "server certificate `{}` is self-signed ({subject}); browsers, API clients and CloudFront will not trust it",
                        certificate.id
                    ),
                )
                .label("issuer equals subject and the certificate signs itself")
                .help("use a certificate issued by ACM or a public CA (on the Mozilla Included CA Certificate List)");
        }
    }
}
