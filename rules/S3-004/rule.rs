//! ## What it finds
//! An `AWS::S3::Bucket` with a `ReplicationConfiguration` whose versioning is not
//! enabled (`VersioningConfiguration` absent, or its `Status` is or may be
//! `Suspended`), and a destination bucket of the same template (a `Destination.Bucket`
//! written as `!GetAtt Bucket.Arn` or `!Sub ${Bucket.Arn}`) that is not versioned.
//!
//! ## Why it matters
//! The S3 replication requirements state that both the source and the destination
//! buckets must have S3 Versioning enabled. CloudFormation fails to put a replication
//! configuration on an unversioned source bucket, and replication to an unversioned
//! destination fails object by object (failure reason `DstBucketUnversioned`).
//! `Suspended` is not enabled.
//!
//! A `ReplicationConfiguration` or `VersioningConfiguration` written with an intrinsic
//! function (typically `Fn::If`) keeps the rule silent; a `Status` given through a
//! parameter or `Fn::If` is judged by each value it may take. Destinations outside the
//! template are not checked.

use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "S3-004",
    name: "replication-without-versioning",
    severity: Severity::Error,
    kinds: &[FileKind::Template],
    summary: "A bucket replicates, or is a replication destination, without versioning enabled.",
    source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-requirements.html",
};

pub struct Rule;

/// `None` when versioning is certainly enabled or undecidable; otherwise where to point
/// (the `Status` value, or `None` inside for an absent configuration) and the value.
enum Versioning<'a> {
    Enabled,
    Unknown,
    Absent,
    NotEnabled(&'a Node, &'a str, Option<Span>),
}

fn versioning<'a>(template: &Template<'a>, bucket: &Resource<'a>) -> Versioning<'a> {
    if !bucket.properties_are_literal() {
        return Versioning::Unknown;
    }
    let Some(config) = bucket.own_prop("VersioningConfiguration") else {
        return Versioning::Absent;
    };
    if config.intrinsic().is_some() {
        return Versioning::Unknown;
    }
    let Some(status) = config.get("Status") else {
        return Versioning::Unknown;
    };
    let Some(values) = template.strings(status) else {
        return Versioning::Unknown;
    };
    match values.iter().find(|(v, _)| *v != "Enabled") {
        None => Versioning::Enabled,
        Some((value, candidate)) => {
            let param = candidate.origin.parameter();
            Versioning::NotEnabled(status, value, param)
        }
    }
}

impl Check for Rule {
    fn template(&self, template: &Template, report: &mut Report) {
        for bucket in template.resources_of_type("AWS::S3::Bucket") {
            if !bucket.properties_are_literal() {
                continue;
            }
            let Some(replication) = bucket
                .properties
                .and_then(|p| p.entry("ReplicationConfiguration"))
            else {
                continue;
            };
            if replication.value.intrinsic().is_some() {
                continue;
            }
            match versioning(template, bucket) {
                Versioning::Enabled | Versioning::Unknown => {}
                Versioning::Absent => {
                    report
                        .add(
                            replication.key.span,
                            format!(
                                "bucket `{}` replicates but has no `VersioningConfiguration`",
                                bucket.id
                            ),
                        )
                        .label("replication requires versioning on the source bucket")
                        .help("add `VersioningConfiguration: {Status: Enabled}` to the bucket");
                }
                Versioning::NotEnabled(status, value, param) => {
                    let finding = report.add(
                        status.span(),
                        format!(
                            "bucket `{}` replicates but its versioning status is {value}",
                            bucket.id
                        ),
                    );
                    finding
                        .label(format!("{value}: replication requires Enabled"))
                        .also(replication.key.span, "replication is configured here")
                        .help("set `VersioningConfiguration.Status: Enabled`");
                    if let Some(param) = param {
                        finding.also(param, format!("the parameter allows {value}"));
                    }
                }
            }
            // Destination buckets of this template.
            let mut seen: Vec<&str> = Vec::new();
            for rule in replication
                .value
                .get("Rules")
                .into_iter()
                .flat_map(Node::iter_seq)
            {
                let Some(target) = rule.path(&["Destination", "Bucket"]) else {
                    continue;
                };
                let Some(destination) = template.referenced_resource(target) else {
                    continue;
                };
                if destination.type_name != "AWS::S3::Bucket"
                    || destination.id == bucket.id
                    || seen.contains(&destination.id)
                {
                    continue;
                }
                seen.push(destination.id);
                let (span, text) = match versioning(template, destination) {
                    Versioning::Enabled | Versioning::Unknown => continue,
                    Versioning::Absent => (
                        destination.anchor(),
                        "no `VersioningConfiguration`".to_string(),
                    ),
                    Versioning::NotEnabled(status, value, _) => {
                        (status.span(), format!("versioning status {value}"))
                    }
                };
                report
                    .add(
                        span,
                        format!(
                            "bucket `{}` is a replication destination of `{}` but has {text}",
                            destination.id, bucket.id
                        ),
                    )
                    .label("the destination bucket must be versioned")
                    .also(target.span(), "replicates to this bucket")
                    .help("add `VersioningConfiguration: {Status: Enabled}` to the destination bucket");
            }
        }
    }
}
