//! ElastiCache replication groups, as several rules read them.

use super::template::{Resource, Template};

/// The replication groups whose settings the template itself decides: properties
/// written literally, not built from an existing cluster (`PrimaryClusterId`) and not
/// joining a global datastore (`GlobalReplicationGroupId`), which both bring their
/// layout and encryption from elsewhere.
pub fn self_defined_replication_groups<'t, 'a>(
    template: &'t Template<'a>,
) -> impl Iterator<Item = &'t Resource<'a>> + 't {
    template
        .resources_of_type("AWS::ElastiCache::ReplicationGroup")
        .filter(|group| {
            group.properties_are_literal()
                && group.prop("PrimaryClusterId").is_none()
                && group.prop("GlobalReplicationGroupId").is_none()
        })
}
