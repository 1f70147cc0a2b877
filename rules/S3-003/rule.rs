//! ## What it finds
//! An `AWS::S3::BucketPolicy` that requires SSE-C uploads (a `Deny` statement on
//! `s3:PutObject` with `Null: {s3:x-amz-server-side-encryption-customer-algorithm: true}`)
//! on a bucket of the same template that has a `ReplicationConfiguration`.
//!
//! ## Why it matters
//! The catalog describes SSE-C (customer-provided key) objects as never replicated. That
//! was true for years, but the current S3 user guide ("Replicating encrypted objects
//! (SSE-S3, SSE-KMS, DSSE-KMS, SSE-C)") says S3 Replication now supports SSE-C objects
//! and replicates newly uploaded ones automatically, with no extra permissions. This
//! rule follows the documentation, so its severity is `info`: this differs from the catalog
//! (`warning`) because the problem it was written for no longer exists. What is
//! still worth knowing when a replicated bucket requires SSE-C:
//!
//! - SSE-C objects uploaded before replication was enabled (or before the feature
//!   existed) are not replicated by the live rule; they need S3 Batch Replication;
//! - replicas stay encrypted with the customer's key, so whoever reads the replica in
//!   the destination needs the same key material;
//! - SSE-C is disabled by default on new general purpose buckets (it must be unblocked
//!   in the bucket's default encryption settings), per the SSE-C page of the guide.
//!
//! Policies that *deny* SSE-C uploads (the common hardening pattern) are never reported,
//! nor are buckets outside the template or policies the template cannot resolve.

use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "S3-003",
    name: "sse-c-not-replicated",
    severity: Severity::Info,
    kinds: &[FileKind::Template],
    summary: "A replicated bucket requires SSE-C uploads; older SSE-C objects need Batch Replication.",
    source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html",
};

pub struct Rule;

const SSE_C_KEY: &str = "s3:x-amz-server-side-encryption-customer-algorithm";

fn mentions_put_object(action: &Node) -> bool {
    let matches = |n: &Node| {
        n.as_str().is_some_and(|a| {
            let a = a.to_ascii_lowercase();
            a == "s3:putobject" || a == "s3:*" || a == "*" || a == "s3:put*"
        })
    };
    matches(action) || action.iter_seq().any(matches)
}

impl Check for Rule {
    fn template(&self, template: &Template, report: &mut Report) {
        for policy in template.resources_of_type("AWS::S3::BucketPolicy") {
            let Some(target) = policy.prop("Bucket") else {
                continue;
            };
            let Some(bucket) = template.referenced_resource(target) else {
                continue;
            };
            if bucket.type_name != "AWS::S3::Bucket" {
                continue;
            }
            let Some(replication) = bucket.own_prop("ReplicationConfiguration") else {
                continue;
            };
            if template.may_be_absent(replication) {
                continue;
            }
            let Some(statements) = policy.prop_path(&["PolicyDocument", "Statement"]) else {
                continue;
            };
            let list: Vec<&Node> = if statements.as_seq().is_some() {
                statements.iter_seq().collect()
            } else {
                vec![statements]
            };
            for statement in list {
                if statement.get("Effect").and_then(Node::as_str) != Some("Deny") {
                    continue;
                }
                if !statement.get("Action").is_some_and(mentions_put_object) {
                    continue;
                }
                let Some(null) = statement.path(&["Condition", "Null"]) else {
                    continue;
                };
                let Some(entry) = null
                    .iter_map()
                    .find(|e| e.key.text.eq_ignore_ascii_case(SSE_C_KEY))
                else {
                    continue;
                };
                let requires = entry.value.as_bool() == Some(true);
                if !requires {
                    continue;
                }
                report
                    .add(
                        entry.span(),
                        format!(
                            "bucket policy `{}` requires SSE-C uploads to bucket `{}`, which replicates",
                            policy.id, bucket.id
                        ),
                    )
                    .label("uploads without a customer-provided key are denied")
                    .also(bucket.anchor(), "this bucket has a ReplicationConfiguration")
                    .help("S3 now replicates new SSE-C objects; replicate older ones with S3 Batch Replication, make the key available to readers of the replica, and make sure SSE-C is not blocked in the bucket's default encryption");
            }
        }
    }
}
