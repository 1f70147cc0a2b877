//! ## What it finds
//! An `AWS::ElastiCache::ReplicationGroup` without automatic failover, or with
//! automatic failover but fewer than two nodes per shard:
//!
//! - `AutomaticFailoverEnabled` false or absent (the default is false): a warning, since
//!   a primary failure then needs manual intervention;
//! - the same when cluster mode is enabled (`ClusterMode: Enabled`, `NumNodeGroups`
//!   above 1, several `NodeGroupConfiguration` entries or a `.cluster.on` parameter
//!   group) or when `MultiAZEnabled` is true: an error;
//! - `AutomaticFailoverEnabled: true` with a single node per shard (`NumCacheClusters`
//!   below 2, or `ReplicasPerNodeGroup: 0`): an error.
//!
//! ## Why it matters
//! The CloudFormation reference says `AutomaticFailoverEnabled` "must be enabled for
//! Valkey or Redis OSS (cluster mode enabled) replication groups", and that when it is
//! true `NumCacheClusters` "must be at least 2"; the API rejects a Multi-AZ group
//! without automatic failover. Those templates fail to deploy, so they are reported as
//! errors, the severity the catalog gives to these cases. Without failover a replica
//! cannot take over when the primary fails: writes stop until someone promotes a
//! replica by hand.
//!
//! Groups built from an existing cluster (`PrimaryClusterId`) or joining a global
//! datastore (`GlobalReplicationGroupId`) take their layout from elsewhere and are not
//! reported; neither are values that cannot be resolved.

use crate::model::elasticache::self_defined_replication_groups;
use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "ECA-003",
    name: "replication-without-failover",
    severity: Severity::Warning,
    kinds: &[FileKind::Template],
    summary: "A replication group without automatic failover or with fewer than 2 nodes.",
    source: "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-elasticache-replicationgroup.html",
};

pub struct Rule;

impl Check for Rule {
    fn template(&self, template: &Template, report: &mut Report) {
        for group in self_defined_replication_groups(template) {
            let failover_entry = group.prop_entry("AutomaticFailoverEnabled");
            let failover = match failover_entry {
                None => Some(false),
                Some(entry) if template.may_be_absent(&entry.value) => None,
                Some(entry) => template.boolean(&entry.value),
            };
            let Some(failover) = failover else {
                continue;
            };
            if failover {
                check_node_count(template, report, group, failover_entry);
                continue;
            }
            let anchor = failover_entry.map_or(group.anchor(), Entry::span);
            let label = if failover_entry.is_some() {
                "AutomaticFailoverEnabled is false"
            } else {
                "AutomaticFailoverEnabled defaults to false"
            };
            if let Some(required) = failover_requirement(template, group) {
                let finding = report.add(
                    anchor,
                    format!("replication group `{}` {}", group.id, required.problem),
                );
                finding.severity = Severity::Error;
                finding
                    .label(label)
                    .also(required.span, required.why)
                    .help(required.help);
                continue;
            }
            report
                .add(
                    anchor,
                    format!(
                        "replication group `{}` has no automatic failover: a primary failure stops writes until a replica is promoted by hand",
                        group.id
                    ),
                )
                .label(label)
                .help("set `AutomaticFailoverEnabled: true` with at least 2 nodes (NumCacheClusters: 2 or ReplicasPerNodeGroup: 1)");
        }
    }
}

/// A setting that makes automatic failover mandatory (the deployment fails without it).
struct FailoverRequirement {
    /// The message after the group's name.
    problem: &'static str,
    /// The setting, and why it needs failover.
    span: Span,
    why: &'static str,
    help: &'static str,
}

/// Cluster mode, or else `MultiAZEnabled: true`, when the group certainly has one.
fn failover_requirement(template: &Template, group: &Resource) -> Option<FailoverRequirement> {
    if let Some((why, span)) = cluster_mode(template, group) {
        return Some(FailoverRequirement {
            problem: "has cluster mode enabled but no automatic failover",
            span,
            why,
            help: "set `AutomaticFailoverEnabled: true`: it is required for cluster mode enabled groups",
        });
    }
    let multi_az = group.prop_entry("MultiAZEnabled")?;
    (template.boolean(&multi_az.value) == Some(true)).then(|| FailoverRequirement {
        problem: "enables Multi-AZ but not automatic failover",
        span: multi_az.span(),
        why: "Multi-AZ requires automatic failover",
        help: "set `AutomaticFailoverEnabled: true` (with at least one replica)",
    })
}

/// Why the group certainly runs in cluster mode, and where that is written.
fn cluster_mode(template: &Template, group: &Resource) -> Option<(&'static str, Span)> {
    if let Some(entry) = group.prop_entry("ClusterMode") {
        if template
            .string(&entry.value)
            .is_some_and(|m| m.eq_ignore_ascii_case("enabled"))
        {
            return Some(("cluster mode is enabled", entry.span()));
        }
    }
    if let Some(entry) = group.prop_entry("NumNodeGroups") {
        if template.integer(&entry.value).is_some_and(|n| n > 1) {
            return Some(("several shards need cluster mode", entry.span()));
        }
    }
    if let Some(entry) = group.prop_entry("NodeGroupConfiguration") {
        if entry.value.as_seq().is_some_and(|s| s.len() > 1) {
            return Some(("several shards need cluster mode", entry.key.span));
        }
    }
    if let Some(entry) = group.prop_entry("CacheParameterGroupName") {
        if template
            .string(&entry.value)
            .is_some_and(|name| name.starts_with("default.") && name.ends_with(".cluster.on"))
        {
            return Some(("a cluster-mode parameter group", entry.span()));
        }
    }
    None
}

/// `AutomaticFailoverEnabled: true` needs a replica in every shard.
fn check_node_count(
    template: &Template,
    report: &mut Report,
    group: &Resource,
    failover: Option<&Entry>,
) {
    let (span, nodes) = if let Some(entry) = group.prop_entry("NumCacheClusters") {
        let Some(n) = template.integer(&entry.value) else {
            return;
        };
        (entry.span(), n)
    } else if let Some(entry) = group.prop_entry("ReplicasPerNodeGroup") {
        let Some(n) = template.integer(&entry.value) else {
            return;
        };
        (entry.span(), n + 1)
    } else if group.prop("NodeGroupConfiguration").is_some()
        || group.prop("NumNodeGroups").is_some()
    {
        // Replica counts may sit in NodeGroupConfiguration: stay silent.
        return;
    } else {
        (group.anchor(), 1)
    };
    if nodes >= 2 {
        return;
    }
    let finding = report.add(
        span,
        format!(
            "replication group `{}` enables automatic failover with {nodes} node per shard and nothing to fail over to",
            group.id
        ),
    );
    finding.severity = Severity::Error;
    finding
        .label(format!("{nodes} node, no replica"))
        .help("automatic failover needs at least 2 nodes: set NumCacheClusters: 2 (or ReplicasPerNodeGroup: 1)");
    if let Some(entry) = failover {
        finding.also(entry.span(), "automatic failover enabled");
    }
}
