//! ## What it finds
//! An `AWS::RDS::DBInstance` or `AWS::RDS::DBCluster` whose `StorageEncrypted` is
//! absent or `false`.
//!
//! ## Why it matters
//! RDS storage is not encrypted unless asked: `StorageEncrypted` "By default, it isn't
//! encrypted" (RDS API reference, `CreateDBInstance`). An unencrypted instance, its
//! automated backups, read replicas and snapshots hold the data in clear text, and
//! encryption cannot be turned on later without restoring a copy of an encrypted
//! snapshot into a new instance.
//!
//! Not reported, because their encryption is decided elsewhere:
//!
//! - Aurora DB instances (`Engine: aurora*`, or `DBClusterIdentifier` set): "This
//!   setting doesn't apply to Amazon Aurora DB instances", the cluster decides;
//! - read replicas (`SourceDBInstanceIdentifier`) and restores from snapshots
//!   (`DBSnapshotIdentifier`, `DBClusterSnapshotIdentifier`, `SnapshotIdentifier`,
//!   `SourceDBClusterIdentifier`), which inherit the source's encryption;
//! - clusters that are secondary members of a global cluster
//!   (`GlobalClusterIdentifier`) or replicate from another source
//!   (`ReplicationSourceIdentifier`), and Aurora Serverless v1 clusters
//!   (`EngineMode: serverless`), which are always encrypted;
//! - resources with a `KmsKeyId` (the intent to encrypt is clear) or whose engine the
//!   template cannot resolve.
//!
//! No fix is offered: turning `StorageEncrypted` on replaces the database instance (a
//! new, empty one unless restored from a snapshot).

use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "RDS-002",
    name: "storage-unencrypted",
    severity: Severity::Warning,
    kinds: &[FileKind::Template],
    summary: "`StorageEncrypted` is not true.",
    source: "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html",
};

pub struct Rule;

const INHERITED: &[&str] = &[
    "DBClusterIdentifier",
    "SourceDBInstanceIdentifier",
    "DBSnapshotIdentifier",
    "DBClusterSnapshotIdentifier",
    "SnapshotIdentifier",
    "SourceDBClusterIdentifier",
    "SourceDBInstanceAutomatedBackupsArn",
    "RestoreTime",
    "UseLatestRestorableTime",
    "GlobalClusterIdentifier",
    "ReplicationSourceIdentifier",
    "KmsKeyId",
];

impl Check for Rule {
    fn template(&self, template: &Template, report: &mut Report) {
        for db in template.resources_of_types(&["AWS::RDS::DBInstance", "AWS::RDS::DBCluster"]) {
            if !db.properties_are_literal() || INHERITED.iter().any(|p| db.own_prop(p).is_some()) {
                continue;
            }
            let is_instance = db.type_name == "AWS::RDS::DBInstance";
            let Some(engine) = db.own_prop("Engine") else {
                continue;
            };
            let Some(engines) = template.strings(engine) else {
                continue;
            };
            if is_instance
                && engines
                    .iter()
                    .any(|(e, _)| e.to_ascii_lowercase().starts_with("aurora"))
            {
                continue;
            }
            if let Some(mode) = db.own_prop("EngineMode") {
                if template
                    .string(mode)
                    .is_none_or(|m| m.eq_ignore_ascii_case("serverless"))
                {
                    continue;
                }
            }
            let what = if is_instance {
                "DB instance"
            } else {
                "DB cluster"
            };
            match db.properties.and_then(|p| p.entry("StorageEncrypted")) {
                None => {
                    report
                        .add(
                            db.anchor(),
                            format!("{what} `{}` has unencrypted storage", db.id),
                        )
                        .label("no `StorageEncrypted`: RDS does not encrypt by default")
                        .help("set `StorageEncrypted: true` (and optionally `KmsKeyId`)");
                }
                Some(entry) => {
                    let Some(values) = template.booleans(&entry.value) else {
                        continue;
                    };
                    let Some((_, candidate)) = values.iter().find(|(b, _)| !b) else {
                        continue;
                    };
                    let finding = report.add_candidate(
                        candidate,
                        &entry.value,
                        format!("{what} `{}` has unencrypted storage", db.id),
                    );
                    finding
                        .label("StorageEncrypted is false")
                        .help("set `StorageEncrypted: true` (and optionally `KmsKeyId`)");
                    if let Origin::Parameter(param) = candidate.origin {
                        finding.also(param, "the parameter allows false");
                    }
                }
            }
        }
    }
}
