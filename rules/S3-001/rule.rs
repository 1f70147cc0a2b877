//! ## What it finds
//! An `AWS::S3::Bucket` whose default encryption is SSE-KMS or DSSE-KMS
//! (`BucketEncryption.ServerSideEncryptionConfiguration[].ServerSideEncryptionByDefault.SSEAlgorithm`
//! `aws:kms` or `aws:kms:dsse`) and that has an enabled replication rule without
//! `SourceSelectionCriteria.SseKmsEncryptedObjects.Status: Enabled`.
//!
//! ## Why it matters
//! "By default, Amazon S3 doesn't replicate objects that are stored at rest using
//! server-side encryption with AWS KMS keys (SSE-KMS or DSSE-KMS)" (S3 user guide,
//! replicating encrypted objects). A bucket whose objects are KMS-encrypted by default
//! therefore replicates none of them unless the rule opts in: the replica bucket stays
//! silently empty, and the disaster-recovery copy is missing when it is needed.
//!
//! Only a KMS default encryption counts: a bucket with `AES256` default encryption may
//! still receive KMS-encrypted uploads, but the template cannot tell. Rules whose
//! `Status` is (or may be) `Disabled`, and values the template cannot resolve, keep the
//! rule silent.

use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "S3-001",
    name: "kms-objects-not-replicated",
    severity: Severity::Warning,
    kinds: &[FileKind::Template],
    summary: "A bucket encrypted with SSE-KMS replicates without opting in to KMS-encrypted objects.",
    source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html",
};

pub struct Rule;

impl Check for Rule {
    fn template(&self, template: &Template, report: &mut Report) {
        for bucket in template.resources_of_type("AWS::S3::Bucket") {
            let Some(configs) =
                bucket.prop_path(&["BucketEncryption", "ServerSideEncryptionConfiguration"])
            else {
                continue;
            };
            let kms = configs.iter_seq().find_map(|config| {
                let algorithm = config.path(&["ServerSideEncryptionByDefault", "SSEAlgorithm"])?;
                let value = template.string(algorithm)?;
                (value == "aws:kms" || value == "aws:kms:dsse").then_some((value, algorithm))
            });
            let Some((algorithm, algorithm_node)) = kms else {
                continue;
            };
            let Some(rules) = bucket.prop_path(&["ReplicationConfiguration", "Rules"]) else {
                continue;
            };
            for rule in rules.iter_seq() {
                if rule.as_map().is_none() || rule.intrinsic().is_some() {
                    continue;
                }
                let Some(status) = rule.get("Status") else {
                    continue;
                };
                if template.string(status) != Some("Enabled") {
                    continue;
                }
                let anchor: Span;
                match rule.entry("SourceSelectionCriteria") {
                    None => anchor = status.span(),
                    Some(criteria) => {
                        if criteria.value.intrinsic().is_some() {
                            continue;
                        }
                        match criteria.value.entry("SseKmsEncryptedObjects") {
                            None => anchor = criteria.span(),
                            Some(sse) => {
                                let Some(value) = sse.value.get("Status") else {
                                    continue;
                                };
                                // Only a certain `Disabled` is a finding.
                                match template.strings(value) {
                                    Some(values)
                                        if values.iter().all(|(v, _)| *v == "Disabled") =>
                                    {
                                        anchor = value.span()
                                    }
                                    _ => continue,
                                }
                            }
                        }
                    }
                }
                let rule_name = rule
                    .get("Id")
                    .and_then(Node::as_str)
                    .map(|id| format!(" `{id}`"))
                    .unwrap_or_default();
                report
                    .add(
                        anchor,
                        format!(
                            "bucket `{}` encrypts with {algorithm} by default, but replication rule{rule_name} does not replicate KMS-encrypted objects",
                            bucket.id
                        ),
                    )
                    .label("SseKmsEncryptedObjects is not enabled for this rule")
                    .also(algorithm_node.span(), format!("objects are encrypted with {algorithm}"))
                    .help("add `SourceSelectionCriteria: {SseKmsEncryptedObjects: {Status: Enabled}}` to the rule and a `Destination.EncryptionConfiguration.ReplicaKmsKeyID`");
            }
        }
    }
}
