//! ## What it finds
//! A replication rule of an `AWS::S3::Bucket` whose
//! `SourceSelectionCriteria.SseKmsEncryptedObjects.Status` is `Enabled` but whose
//! `Destination` has no `EncryptionConfiguration.ReplicaKmsKeyID`.
//!
//! ## Why it matters
//! Opting in to the replication of SSE-KMS (and DSSE-KMS) encrypted objects requires
//! telling S3 which KMS key to encrypt the replicas with in the destination Region: the
//! S3 documentation on replicating encrypted objects says you must specify
//! `ReplicaKmsKeyID` (a symmetric key's ARN or alias ARN) in the destination's
//! encryption configuration. Without it S3 rejects the replication configuration and
//! the stack fails to create or update the bucket.
//!
//! `Status` given through a parameter or `Fn::If` is judged by each value it may take.
//! A rule whose own `Status` is `Disabled`, or whose `Destination` or
//! `EncryptionConfiguration` is written with an intrinsic function, is left alone.

use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "S3-002",
    name: "replica-kms-key-missing",
    severity: Severity::Error,
    kinds: &[FileKind::Template],
    summary: "Replication of SSE-KMS objects is enabled without a `ReplicaKmsKeyID`.",
    source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html",
};

pub struct Rule;

impl Check for Rule {
    fn template(&self, template: &Template, report: &mut Report) {
        for bucket in template.resources_of_type("AWS::S3::Bucket") {
            let Some(rules) = bucket.prop_path(&["ReplicationConfiguration", "Rules"]) else {
                continue;
            };
            for rule in rules.iter_seq() {
                if rule.as_map().is_none() || rule.intrinsic().is_some() {
                    continue;
                }
                if let Some(status) = rule.get("Status") {
                    if template.string(status) == Some("Disabled") {
                        continue;
                    }
                }
                let Some(status) = rule
                    .path(&["SourceSelectionCriteria", "SseKmsEncryptedObjects"])
                    .and_then(|n| n.entry("Status"))
                else {
                    continue;
                };
                let Some(values) = template.strings(&status.value) else {
                    continue;
                };
                let Some((_, candidate)) = values.iter().find(|(v, _)| *v == "Enabled") else {
                    continue;
                };
                let Some(destination) = rule.get("Destination") else {
                    continue;
                };
                if destination.as_map().is_none() || destination.intrinsic().is_some() {
                    continue;
                }
                if let Some(encryption) = destination.get("EncryptionConfiguration") {
                    if encryption.as_map().is_none()
                        || encryption.intrinsic().is_some()
                        || encryption.get("ReplicaKmsKeyID").is_some()
                    {
                        continue;
                    }
                }
                let rule_name = rule
                    .get("Id")
                    .and_then(Node::as_str)
                    .map(|id| format!(" `{id}`"))
                    .unwrap_or_default();
                let finding = report.add(
                    status.span(),
                    format!(
                        "replication rule{rule_name} of bucket `{}` replicates SSE-KMS objects but its destination has no `ReplicaKmsKeyID`",
                        bucket.id
                    ),
                );
                finding
                    .label("SSE-KMS encrypted objects are replicated here")
                    .also(
                        destination.span(),
                        "no `EncryptionConfiguration.ReplicaKmsKeyID` in this destination",
                    );
                if let Origin::Parameter(param) = candidate.origin {
                    finding.also(param, "the parameter allows Enabled");
                }
                finding.help("add `EncryptionConfiguration: {ReplicaKmsKeyID: <KMS key ARN in the destination Region>}` to the rule's `Destination`");
            }
        }
    }
}
