//! ## What it finds
//! An `AWS::ElastiCache::CacheCluster` with `Engine: memcached` that sets snapshot
//! options: `SnapshotArns`, `SnapshotName`, `SnapshotWindow`, or a non-zero
//! `SnapshotRetentionLimit`.
//!
//! ## Why it matters
//! The CloudFormation reference says each snapshot property of a cache cluster is "only
//! valid if the Engine parameter is redis" (now also valkey), and the
//! `CreateCacheCluster` API fails with `SnapshotFeatureNotSupportedFault` for Memcached:
//! a node-based Memcached cluster keeps everything in memory and has no backup or
//! restore. Either the stack fails, or whoever wrote the template believes the data
//! survives a node failure when it does not.
//!
//! `AWS::ElastiCache::ServerlessCache` with Memcached does support snapshots and is not
//! reported; `SnapshotRetentionLimit: 0` is the default (no snapshots) and is not
//! reported either. The engine must certainly be Memcached (a parameter allowing Redis
//! too keeps the rule silent).

use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "ECA-001",
    name: "memcached-persistence",
    severity: Severity::Error,
    kinds: &[FileKind::Template],
    summary: "A Memcached cluster sets snapshot options; Memcached has no persistence.",
    source: "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-elasticache-cachecluster.html",
};

pub struct Rule;

const SNAPSHOT_PROPERTIES: &[&str] = &[
    "SnapshotArns",
    "SnapshotName",
    "SnapshotRetentionLimit",
    "SnapshotWindow",
];

impl Check for Rule {
    fn template(&self, template: &Template, report: &mut Report) {
        for cluster in template.resources_of_type("AWS::ElastiCache::CacheCluster") {
            let Some(engine) = cluster.prop("Engine") else {
                continue;
            };
            if !template
                .string(engine)
                .is_some_and(|e| e.eq_ignore_ascii_case("memcached"))
            {
                continue;
            }
            for name in SNAPSHOT_PROPERTIES {
                let Some(entry) = cluster.prop_entry(name) else {
                    continue;
                };
                if entry.value.is_null() {
                    continue;
                }
                if *name == "SnapshotRetentionLimit" {
                    // 0 (the default) turns snapshots off; unknown values stay silent.
                    match template.integers(&entry.value) {
                        Some(values) if values.iter().any(|(v, _)| *v > 0) => {}
                        _ => continue,
                    }
                } else if template.may_be_absent(&entry.value) {
                    continue;
                }
                report
                    .add(
                        entry.span(),
                        format!(
                            "Memcached cluster `{}` sets `{name}`, but Memcached has no snapshots",
                            cluster.id
                        ),
                    )
                    .label(format!("`{name}` is only valid for Redis or Valkey"))
                    .also(engine.span(), "the engine is Memcached")
                    .help(format!(
                        "remove `{name}`; if the data must survive node failures, use a Redis or Valkey replication group (or a serverless cache)"
                    ));
            }
        }
    }
}
