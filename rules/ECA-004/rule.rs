//! ## What it finds
//! An `AWS::ElastiCache::ReplicationGroup` (Redis OSS or Valkey) that does not enable
//! in-transit encryption (`TransitEncryptionEnabled`) or at-rest encryption
//! (`AtRestEncryptionEnabled`). Both default to false; each missing one is reported
//! separately.
//!
//! ## Why it matters
//! Without in-transit encryption, clients and nodes exchange cached data, and the AUTH
//! token, in clear text inside the VPC; without at-rest encryption, data on disk
//! (swap, snapshots, backups) is unencrypted. At-rest encryption can only be chosen
//! when the group is created, so turning it on later means replacing the cache.
//!
//! Standalone `CacheCluster`s are not reported: they have no at-rest property, and
//! their in-transit flag exists only for Memcached. Serverless caches are always
//! encrypted. Groups that join a global datastore (`GlobalReplicationGroupId`) or are
//! built from an existing cluster (`PrimaryClusterId`) inherit their settings and are
//! skipped, as are values only known at deploy time (an `Fn::If` with one true
//! branch counts as enabled).

use crate::model::elasticache::self_defined_replication_groups;
use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "ECA-004",
    name: "redis-unencrypted",
    severity: Severity::Warning,
    kinds: &[FileKind::Template],
    summary: "A Redis or Valkey replication group without transit or at-rest encryption.",
    source: "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/at-rest-encryption.html",
};

pub struct Rule;

impl Check for Rule {
    fn template(&self, template: &Template, report: &mut Report) {
        for group in self_defined_replication_groups(template) {
            if let Some(engine) = group.prop("Engine") {
                match template.string(engine) {
                    Some(e)
                        if e.eq_ignore_ascii_case("redis") || e.eq_ignore_ascii_case("valkey") => {}
                    _ => continue,
                }
            }
            for (property, what, help) in [
                (
                    "TransitEncryptionEnabled",
                    "in-transit",
                    "set `TransitEncryptionEnabled: true` (with `TransitEncryptionMode: required` once clients use TLS)",
                ),
                (
                    "AtRestEncryptionEnabled",
                    "at-rest",
                    "set `AtRestEncryptionEnabled: true` (only possible when the group is created; it replaces an existing group)",
                ),
            ] {
                let entry = group.prop_entry(property);
                let disabled = match entry {
                    None => true,
                    Some(entry) => {
                        template.boolean(&entry.value) == Some(false)
                            && !template.may_be_absent(&entry.value)
                    }
                };
                if !disabled {
                    continue;
                }
                let (span, label) = match entry {
                    Some(entry) => (entry.span(), format!("{property} is false")),
                    None => (group.anchor(), format!("no {property} (defaults to false)")),
                };
                report
                    .add(
                        span,
                        format!(
                            "replication group `{}` does not enable {what} encryption",
                            group.id
                        ),
                    )
                    .label(label)
                    .help(help);
            }
        }
    }
}
