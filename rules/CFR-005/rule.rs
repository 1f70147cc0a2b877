//! ## What it finds
//! An `AWS::CloudFront::Distribution` with a custom viewer certificate (ACM or IAM) whose
//! `ViewerCertificate.MinimumProtocolVersion` is `SSLv3`, `TLSv1`, `TLSv1_2016` or
//! `TLSv1.1_2016`.
//!
//! ## Why it matters
//! The security policy sets the oldest protocol viewers may use. `SSLv3` allows SSL 3.0,
//! `TLSv1` and `TLSv1_2016` allow TLS 1.0, and `TLSv1.1_2016` allows TLS 1.1 — protocols
//! that are deprecated (RFC 8996) and fail PCI DSS and most compliance baselines.
//! `TLSv1.2_2021` (or the newer `TLSv1.2_2025` and `TLSv1.3_2025`, which the current
//! documentation adds to the catalog's list) accept TLS 1.2 and later only.
//!
//! With the CloudFront default certificate (`*.cloudfront.net`) the field is ignored —
//! CloudFront always applies `TLSv1` there — so the rule only looks at distributions
//! with an ACM or IAM certificate.

use crate::model::cloudfront::viewer_certificates;
use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "CFR-005",
    name: "weak-viewer-tls",
    severity: Severity::Warning,
    kinds: &[FileKind::Template],
    summary: "A CloudFront distribution lets viewers connect with SSLv3, TLS 1.0 or TLS 1.1.",
    source: "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/secure-connections-supported-viewer-protocols-ciphers.html",
};

pub struct Rule;

/// The oldest protocol a weak policy allows.
fn weakness(policy: &str) -> Option<&'static str> {
    Some(match policy {
        "SSLv3" => "SSL 3.0",
        "TLSv1" | "TLSv1_2016" => "TLS 1.0",
        "TLSv1.1_2016" => "TLS 1.1",
        _ => return None,
    })
}

impl Check for Rule {
    fn template(&self, template: &Template, report: &mut Report) {
        for (distribution, certificate) in viewer_certificates(template) {
            if certificate.get("AcmCertificateArn").is_none()
                && certificate.get("IamCertificateId").is_none()
            {
                continue;
            }
            let Some(version) = certificate.get("MinimumProtocolVersion") else {
                continue;
            };
            let Some(values) = template.strings(version) else {
                continue;
            };
            let Some((policy, protocol, candidate)) = values
                .iter()
                .find_map(|(v, c)| weakness(v).map(|p| (*v, p, *c)))
            else {
                continue;
            };
            let finding = report.add_candidate(
                &candidate,
                version,
                format!(
                    "distribution `{}` accepts {protocol} from viewers (MinimumProtocolVersion {policy})",
                    distribution.id
                ),
            );
            finding
                .label(format!("allows {protocol}"))
                .help("set `MinimumProtocolVersion: TLSv1.2_2021` (or newer)");
            if candidate.origin == Origin::Literal {
                finding.fix_scalar(
                    candidate.node,
                    "TLSv1.2_2021",
                    "set MinimumProtocolVersion to TLSv1.2_2021",
                );
            }
            finding.also_parameter(&candidate, format!("the parameter allows {policy}"));
        }
    }
}
