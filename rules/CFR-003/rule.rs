//! ## What it finds
//! An `AWS::CloudFront::Distribution` with alternate domain names (`Aliases`, or the
//! legacy `CNAMEs`) whose `ViewerCertificate` is missing, or names no ACM or IAM
//! certificate (only `CloudFrontDefaultCertificate: true`).
//!
//! ## Why it matters
//! The CloudFront default certificate covers `*.cloudfront.net` only. The
//! `ViewerCertificate` API reference says that a distribution that uses `Aliases` must
//! set `CloudFrontDefaultCertificate` to false and give an `AcmCertificateArn` or
//! `IamCertificateId` whose certificate covers those names; CloudFront refuses to
//! create or update the distribution otherwise, so the stack fails.
//!
//! `Aliases` that exist only on one branch of an `Fn::If` count: that branch fails. A
//! `ViewerCertificate` written as an intrinsic, or whose certificate is chosen by
//! `Fn::If`, or that holds a key CloudFormation does not know (a misspelt certificate
//! field is a different problem), keeps the rule silent.

use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "CFR-003",
    name: "aliases-with-default-certificate",
    severity: Severity::Error,
    kinds: &[FileKind::Template],
    summary: "A CloudFront distribution has alternate domain names but no custom certificate.",
    source: "https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_ViewerCertificate.html",
};

pub struct Rule;

/// The `ViewerCertificate` keys that leave the default certificate in place.
const DEFAULT_KEYS: &[&str] = &[
    "CloudFrontDefaultCertificate",
    "MinimumProtocolVersion",
    "SslSupportMethod",
];

impl Check for Rule {
    fn template(&self, template: &Template, report: &mut Report) {
        for distribution in template.resources_of_type("AWS::CloudFront::Distribution") {
            let Some(config) = distribution.prop("DistributionConfig") else {
                continue;
            };
            if config.as_map().is_none() || config.intrinsic().is_some() {
                continue;
            }
            let Some(aliases) = config.entry("Aliases").or_else(|| config.entry("CNAMEs")) else {
                continue;
            };
            let Some(candidates) = template.candidates(&aliases.value) else {
                continue;
            };
            let Some(names) = candidates
                .iter()
                .find(|c| c.node.as_seq().is_some_and(|s| !s.is_empty()))
            else {
                continue;
            };
            let first_name = names
                .node
                .iter_seq()
                .next()
                .and_then(Node::as_str)
                .map(|n| format!(" (`{n}`)"))
                .unwrap_or_default();
            let certificate = config.entry("ViewerCertificate");
            match certificate {
                None => {
                    let finding = report.add(
                        aliases.key.span,
                        format!(
                            "distribution `{}` has {}{first_name} but no `ViewerCertificate`: it would use the default *.cloudfront.net certificate",
                            distribution.id, aliases.key.text
                        ),
                    );
                    finding
                        .label("alternate domain names need a certificate that covers them")
                        .help("add `ViewerCertificate` with `AcmCertificateArn` (an ACM certificate in us-east-1), `SslSupportMethod: sni-only` and `MinimumProtocolVersion: TLSv1.2_2021`");
                }
                Some(cert) => {
                    if cert.value.as_map().is_none() || cert.value.intrinsic().is_some() {
                        continue;
                    }
                    // A certificate given, or a key CloudFormation does not know (a
                    // misspelt certificate field is a different problem): silent.
                    if cert
                        .value
                        .iter_map()
                        .any(|e| !DEFAULT_KEYS.contains(&e.key.text.as_str()))
                    {
                        continue;
                    }
                    let anchor = cert
                        .value
                        .entry("CloudFrontDefaultCertificate")
                        .map_or(cert.key.span, Entry::span);
                    let finding = report.add(
                        anchor,
                        format!(
                            "distribution `{}` has {}{first_name} but uses the CloudFront default certificate",
                            distribution.id, aliases.key.text
                        ),
                    );
                    finding
                        .label("the default certificate covers only *.cloudfront.net")
                        .also(aliases.key.span, "alternate domain names")
                        .help("replace `CloudFrontDefaultCertificate` with `AcmCertificateArn` (an ACM certificate in us-east-1) and `SslSupportMethod: sni-only`");
                }
            }
        }
    }
}
