//! ## What it finds
//! An `AWS::CloudFront::Distribution` whose `ViewerCertificate.AcmCertificateArn` is an
//! ACM certificate in a Region other than US East (N. Virginia), `us-east-1`.
//!
//! ## Why it matters
//! CloudFront is a global service that reads viewer certificates from ACM in
//! `us-east-1` only; a certificate requested in the stack's own Region (say
//! `eu-west-1`) is rejected and the distribution fails to deploy. Request or import the
//! certificate in `us-east-1` — it may still be used from a stack in any Region. (The
//! certificate of an origin load balancer is a different matter: it lives in the load
//! balancer's Region.)
//!
//! The Region is read from a literal ARN, a parameter's `Default`/`AllowedValues`, each
//! `Fn::If` branch, or the literal Region field of an `Fn::Sub` ARN. A certificate
//! created in the same stack, or an ARN built with `${AWS::Region}`, is in a Region the
//! template does not decide: silent. Only the `aws` partition is checked.

use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "CFR-004",
    name: "viewer-certificate-region",
    severity: Severity::Error,
    kinds: &[FileKind::Template],
    summary: "A CloudFront viewer certificate is an ACM certificate outside us-east-1.",
    source: "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/cnames-and-https-requirements.html",
};

pub struct Rule;

/// The Region of an ACM certificate ARN in the `aws` partition, when written literally.
fn acm_region(arn: &str) -> Option<&str> {
    let mut parts = arn.split(':');
    let (Some("arn"), Some("aws"), Some("acm"), Some(region)) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    let literal = !region.is_empty()
        && region
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    literal.then_some(region)
}

impl Check for Rule {
    fn template(&self, template: &Template, report: &mut Report) {
        for distribution in template.resources_of_type("AWS::CloudFront::Distribution") {
            let Some(arn) = distribution.prop_path(&[
                "DistributionConfig",
                "ViewerCertificate",
                "AcmCertificateArn",
            ]) else {
                continue;
            };
            let mut found: Vec<(Span, String, Option<Candidate>)> = Vec::new();
            if let Some(values) = template.strings(arn) {
                for (value, candidate) in values {
                    if let Some(region) = acm_region(value) {
                        if region != "us-east-1" {
                            found.push((
                                candidate.span_at(arn),
                                region.to_string(),
                                Some(candidate),
                            ));
                        }
                    }
                }
            } else if let Some(Intrinsic::Sub(sub)) = Intrinsic::of(arn) {
                let text = sub.string.as_str();
                if let Some(region) = text.and_then(acm_region) {
                    if region != "us-east-1" {
                        found.push((arn.span(), region.to_string(), None));
                    }
                }
            }
            for (span, region, candidate) in found {
                let finding = report.add(
                    span,
                    format!(
                        "viewer certificate of distribution `{}` is an ACM certificate in {region}; CloudFront uses only certificates in us-east-1",
                        distribution.id
                    ),
                );
                finding
                    .label(format!("certificate in {region}"))
                    .help("request or import the certificate in ACM in us-east-1 (N. Virginia) and use that ARN");
                if let Some(Candidate {
                    origin: Origin::Parameter(param),
                    node,
                }) = candidate
                {
                    finding.also(
                        node.span(),
                        format!("the parameter allows a certificate in {region}"),
                    );
                    finding.also(param, "parameter");
                }
            }
        }
    }
}
