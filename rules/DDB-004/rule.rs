//! ## What it finds
//! An `AWS::DynamoDB::Table` without point-in-time recovery: no
//! `PointInTimeRecoverySpecification`, or `PointInTimeRecoveryEnabled` that is `false`
//! (or absent) in it.
//!
//! ## Why it matters
//! Point-in-time recovery is off unless `PointInTimeRecoveryEnabled` is `true` (CloudFormation
//! reference for `PointInTimeRecoverySpecification`). Without it a table deleted by
//! mistake, or corrupted by a bad deployment or script, can only be restored from
//! on-demand backups, if any were taken. With it, DynamoDB keeps continuous backups for
//! up to 35 days (`RecoveryPeriodInDays`, default 35).
//!
//! This is informational: caches, session stores and other tables whose data can be
//! rebuilt do not need it. A specification written with an intrinsic function, or a
//! flag given through a parameter that may be `true`, keeps the rule silent. SAM
//! `AWS::Serverless::SimpleTable` cannot express point-in-time recovery and
//! `AWS::DynamoDB::GlobalTable` configures it per replica; neither is checked.

use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "DDB-004",
    name: "point-in-time-recovery-disabled",
    severity: Severity::Info,
    kinds: &[FileKind::Template],
    summary: "A DynamoDB table has no point-in-time recovery.",
    source: "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-dynamodb-table-pointintimerecoveryspecification.html",
};

pub struct Rule;

impl Check for Rule {
    fn template(&self, template: &Template, report: &mut Report) {
        for table in template.resources_of_type("AWS::DynamoDB::Table") {
            if !table.properties_are_literal() {
                continue;
            }
            let (span, message) = match table
                .properties
                .and_then(|p| p.entry("PointInTimeRecoverySpecification"))
            {
                None => (
                    table.anchor(),
                    format!("table `{}` has no point-in-time recovery", table.id),
                ),
                Some(spec) => {
                    if spec.value.intrinsic().is_some() || spec.value.as_map().is_none() {
                        continue;
                    }
                    match spec.value.get("PointInTimeRecoveryEnabled") {
                        None => (
                            spec.key.span,
                            format!("table `{}` has no `PointInTimeRecoveryEnabled`", table.id),
                        ),
                        Some(flag) => {
                            if template.boolean(flag) != Some(false) {
                                continue;
                            }
                            (
                                flag.span(),
                                format!("table `{}` has point-in-time recovery disabled", table.id),
                            )
                        }
                    }
                }
            };
            report
                .add(span, message)
                .label("point-in-time recovery is off")
                .help("add `PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: true}` unless the table's data can be rebuilt");
        }
    }
}
