//! ## What it finds
//! An `AWS::CloudFront::Distribution` whose `ViewerCertificate` names an ACM certificate
//! (`AcmCertificateArn`) or an IAM certificate (`IamCertificateId`) but has no
//! `SslSupportMethod`.
//!
//! ## Why it matters
//! The `ViewerCertificate` API reference says that with an ACM or IAM certificate you
//! must also specify `SSLSupportMethod` (in CloudFormation: `SslSupportMethod`):
//! `sni-only` (what virtually every client supports, no extra charge), `vip` (dedicated
//! IP addresses, billed monthly) or `static-ip`. Without it CloudFront rejects the
//! configuration and the stack fails. The same page requires `MinimumProtocolVersion`
//! too; the catalog's rule covers `SslSupportMethod` only.
//!
//! A certificate given on only one branch of an `Fn::If` still needs the method on that
//! branch; a `ViewerCertificate` written as an intrinsic keeps the rule silent.

use crate::model::cloudfront::viewer_certificates;
use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "CFR-006",
    name: "ssl-support-method-missing",
    severity: Severity::Error,
    kinds: &[FileKind::Template],
    summary: "A CloudFront ACM or IAM viewer certificate has no SslSupportMethod.",
    source: "https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_ViewerCertificate.html",
};

pub struct Rule;

impl Check for Rule {
    fn template(&self, template: &Template, report: &mut Report) {
        for (distribution, certificate) in viewer_certificates(template) {
            let mut configs: Vec<&Node> = Vec::new();
            match Intrinsic::of(certificate) {
                Some(Intrinsic::If {
                    when_true,
                    when_false,
                    ..
                }) => {
                    configs.extend(
                        [when_true, when_false]
                            .into_iter()
                            .filter(|n| n.intrinsic().is_none()),
                    );
                }
                _ if certificate.intrinsic().is_some() => continue,
                _ => configs.push(certificate),
            }
            for config in configs {
                let Some(cert) = config
                    .entry("AcmCertificateArn")
                    .or_else(|| config.entry("IamCertificateId"))
                else {
                    continue;
                };
                if config.get("SslSupportMethod").is_some() || config.intrinsic().is_some() {
                    continue;
                }
                let kind = if cert.key.text == "AcmCertificateArn" {
                    "ACM"
                } else {
                    "IAM"
                };
                let finding = report.add(
                    cert.key.span,
                    format!(
                        "viewer certificate of distribution `{}` is an {kind} certificate without `SslSupportMethod`",
                        distribution.id
                    ),
                );
                finding.label("needs `SslSupportMethod` beside it").help(
                    "add `SslSupportMethod: sni-only` (and `MinimumProtocolVersion: TLSv1.2_2021`)",
                );
            }
        }
    }
}
