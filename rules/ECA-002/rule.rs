//! ## What it finds
//! A standalone `AWS::ElastiCache::CacheCluster` running Redis OSS or Valkey: a cluster
//! that is neither a member of a replication group (`ReplicationGroupId`) nor the
//! `PrimaryClusterId` of an `AWS::ElastiCache::ReplicationGroup` in the same template.
//!
//! ## Why it matters
//! A Redis or Valkey `CacheCluster` is exactly one node (`NumCacheNodes` must be 1). It
//! has no replica: when the node fails or is replaced during maintenance, the cache is
//! unavailable and its data is lost. Replication and Multi-AZ automatic failover need an
//! `AWS::ElastiCache::ReplicationGroup` with at least one replica ("Multi-AZ is only
//! supported on … clusters that have more than one node in each shard").
//!
//! Single-node caches are fine for development and throwaway data, hence a warning. The
//! engine must certainly be Redis or Valkey (parameters are judged by their `Default`
//! and `AllowedValues`).

use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "ECA-002",
    name: "redis-single-node",
    severity: Severity::Warning,
    kinds: &[FileKind::Template],
    summary: "Redis/Valkey as a single CacheCluster: no replication, no failover.",
    source: "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/AutoFailover.html",
};

pub struct Rule;

impl Check for Rule {
    fn template(&self, template: &Template, report: &mut Report) {
        for cluster in template.resources_of_type("AWS::ElastiCache::CacheCluster") {
            if !cluster.properties_are_literal() || cluster.prop("ReplicationGroupId").is_some() {
                continue;
            }
            let Some(engine) = cluster.prop("Engine") else {
                continue;
            };
            let Some(name) = template.string(engine) else {
                continue;
            };
            if !(name.eq_ignore_ascii_case("redis") || name.eq_ignore_ascii_case("valkey")) {
                continue;
            }
            let is_primary = template
                .resources_of_type("AWS::ElastiCache::ReplicationGroup")
                .filter_map(|group| group.prop("PrimaryClusterId"))
                .any(|primary| match template.referenced_resource(primary) {
                    Some(target) => target.id == cluster.id,
                    // A literal or computed id may name this cluster: stay silent.
                    None => true,
                });
            if is_primary {
                continue;
            }
            report
                .add(
                    engine.span(),
                    format!(
                        "{name} cache `{}` is a single node with no replica and no failover",
                        cluster.id
                    ),
                )
                .label(format!("a {name} CacheCluster is one node"))
                .help("use an AWS::ElastiCache::ReplicationGroup with at least one replica and AutomaticFailoverEnabled: true (or a ServerlessCache) if the cache must survive a node failure");
        }
    }
}
