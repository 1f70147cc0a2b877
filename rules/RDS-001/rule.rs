//! ## What it finds
//! An `AWS::RDS::DBInstance` or `AWS::RDS::DBCluster` with
//! `EnableIAMDatabaseAuthentication: true` whose `Engine` is RDS for SQL Server
//! (`sqlserver-*`), RDS for Oracle (`oracle-*`) or RDS for Db2 (`db2-*`).
//!
//! ## Why it matters
//! IAM database authentication works with MariaDB, MySQL and PostgreSQL (and Aurora
//! MySQL/PostgreSQL); the RDS user guide states it "isn't available" for RDS for Db2,
//! RDS for Oracle and RDS for SQL Server. RDS rejects the request and the stack fails.
//!
//! Engines are compared case-insensitively by prefix. RDS Custom engines
//! (`custom-oracle-*`, `custom-sqlserver-*`) are not reported, since the setting does
//! not apply to them. An `Engine` or flag given through a parameter or `Fn::If` is
//! reported when some value it may take is unsupported while the flag may be true.

use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "RDS-001",
    name: "iam-auth-unsupported-engine",
    severity: Severity::Error,
    kinds: &[FileKind::Template],
    summary: "IAM database authentication is enabled on SQL Server, Oracle or Db2.",
    source: "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.IAMDBAuth.html",
};

pub struct Rule;

fn unsupported(engine: &str) -> Option<&'static str> {
    let engine = engine.to_ascii_lowercase();
    if engine.starts_with("sqlserver") {
        Some("RDS for SQL Server")
    } else if engine.starts_with("oracle") {
        Some("RDS for Oracle")
    } else if engine.starts_with("db2") {
        Some("RDS for Db2")
    } else {
        None
    }
}

impl Check for Rule {
    fn template(&self, template: &Template, report: &mut Report) {
        for db in template.resources_of_types(&["AWS::RDS::DBInstance", "AWS::RDS::DBCluster"]) {
            let Some(flag) = db
                .properties
                .and_then(|p| p.entry("EnableIAMDatabaseAuthentication"))
            else {
                continue;
            };
            let Some(flags) = template.booleans(&flag.value) else {
                continue;
            };
            if !flags.iter().any(|(b, _)| *b) {
                continue;
            }
            let Some(engine) = db.own_prop("Engine") else {
                continue;
            };
            let Some(engines) = template.strings(engine) else {
                continue;
            };
            let Some((name, family, candidate)) = engines
                .iter()
                .find_map(|(e, c)| unsupported(e).map(|family| (*e, family, c)))
            else {
                continue;
            };
            let finding = report.add(
                flag.span(),
                format!("`{}` enables IAM database authentication, which {family} (engine `{name}`) does not support", db.id),
            );
            finding
                .label("not available for this engine")
                .also(candidate.span_at(engine), format!("engine {name}"))
                .help("remove `EnableIAMDatabaseAuthentication` (use the engine's own authentication, e.g. Kerberos via `Domain`)");
            if let Origin::Parameter(param) = candidate.origin {
                finding.also(param, format!("the parameter allows {name}"));
            }
        }
    }
}
