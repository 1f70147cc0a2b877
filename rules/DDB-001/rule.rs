//! ## What it finds
//! An `AWS::DynamoDB::Table`, or one of its `GlobalSecondaryIndexes`, whose
//! `ProvisionedThroughput` disagrees with the table's `BillingMode`:
//!
//! - `BillingMode: PAY_PER_REQUEST` with a `ProvisionedThroughput`, on the table or on
//!   an index;
//! - `BillingMode: PROVISIONED`, or no `BillingMode` at all (`PROVISIONED` is the
//!   default), without a `ProvisionedThroughput`, on the table or on an index.
//!
//! ## Why it matters
//! The CloudFormation reference for the table and for its global secondary indexes says
//! of `ProvisionedThroughput`: "If you set BillingMode as PROVISIONED, you must specify
//! this property. If you set BillingMode as PAY_PER_REQUEST, you cannot specify this
//! property." Either way DynamoDB rejects the request and the stack fails. Local
//! secondary indexes have no throughput of their own and are not checked.
//!
//! `BillingMode` given through a parameter or `Fn::If` is judged by each value it may
//! take (a branch that is `AWS::NoValue` means `PROVISIONED`). A `ProvisionedThroughput`
//! written with an intrinsic function (typically `Fn::If` with `AWS::NoValue`, paired
//! with a conditional billing mode) cannot be matched against the billing mode and keeps
//! the rule silent for that table or index.
//!
//! SAM `AWS::Serverless::SimpleTable` has no `BillingMode`: it is on-demand when
//! `ProvisionedThroughput` is omitted and provisioned when it is given, so it can never
//! disagree and is not checked. `AWS::DynamoDB::GlobalTable` uses a different shape
//! (`WriteProvisionedThroughputSettings`) and is not checked either.

use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "DDB-001",
    name: "billing-mode-throughput-mismatch",
    severity: Severity::Error,
    kinds: &[FileKind::Template],
    summary: "A DynamoDB table's billing mode and provisioned throughput disagree.",
    source: "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-dynamodb-table.html",
};

pub struct Rule;

/// A billing mode the table may have, and where it comes from.
struct Mode<'a> {
    provisioned: bool,
    /// The value written (or the `Ref`), `None` for the default.
    span: Option<Span>,
    parameter: Option<Span>,
    text: &'a str,
}

/// Whether `ProvisionedThroughput` is present in `owner` (`Some(true/false)`), or
/// written so that its presence cannot be decided (`None`).
fn throughput<'n>(template: &Template, owner: &'n Node) -> Option<Option<&'n Entry>> {
    match owner.entry("ProvisionedThroughput") {
        None => Some(None),
        Some(entry) => {
            if entry.value.intrinsic().is_some() || template.may_be_absent(&entry.value) {
                None
            } else {
                Some(Some(entry))
            }
        }
    }
}

impl Check for Rule {
    fn template(&self, template: &Template, report: &mut Report) {
        for table in template.resources_of_type("AWS::DynamoDB::Table") {
            if !table.properties_are_literal() {
                continue;
            }
            let Some(props) = table.properties else {
                continue;
            };
            let billing = props.entry("BillingMode");
            let mut modes: Vec<Mode> = Vec::new();
            match billing {
                None => modes.push(Mode {
                    provisioned: true,
                    span: None,
                    parameter: None,
                    text: "PROVISIONED",
                }),
                Some(entry) => {
                    let Some(values) = template.strings(&entry.value) else {
                        continue;
                    };
                    for (value, candidate) in values {
                        let provisioned = match value {
                            "PROVISIONED" => true,
                            "PAY_PER_REQUEST" => false,
                            _ => continue,
                        };
                        let parameter = candidate.origin.parameter();
                        modes.push(Mode {
                            provisioned,
                            span: Some(candidate.span_at(&entry.value)),
                            parameter,
                            text: value,
                        });
                    }
                    if template.may_be_absent(&entry.value) {
                        modes.push(Mode {
                            provisioned: true,
                            span: Some(entry.value.span()),
                            parameter: None,
                            text: "PROVISIONED",
                        });
                    }
                }
            }
            let mut owners: Vec<(String, &Node)> = vec![(format!("table `{}`", table.id), props)];
            if let Some(indexes) = props.get("GlobalSecondaryIndexes") {
                for index in indexes.iter_seq() {
                    if index.as_map().is_none() || index.intrinsic().is_some() {
                        continue;
                    }
                    let name = index.get("IndexName").and_then(Node::as_str).map_or_else(
                        || "a global secondary index".to_string(),
                        |n| format!("index `{n}`"),
                    );
                    owners.push((format!("{name} of table `{}`", table.id), index));
                }
            }
            for (what, owner) in owners {
                let Some(present) = throughput(template, owner) else {
                    continue;
                };
                let Some(mode) = modes.iter().find(|m| m.provisioned == present.is_none()) else {
                    continue;
                };
                let finding = match present {
                    Some(entry) => {
                        let finding = report.add(
                            entry.key.span,
                            format!(
                                "{what} has a `ProvisionedThroughput` but BillingMode is {}",
                                mode.text
                            ),
                        );
                        finding
                            .label("not allowed with PAY_PER_REQUEST")
                            .help("remove `ProvisionedThroughput` (use `OnDemandThroughput` to cap on-demand capacity), or set `BillingMode: PROVISIONED`");
                        finding
                    }
                    None => {
                        let anchor = if std::ptr::eq(owner, props) {
                            billing.map_or(table.anchor(), |b| b.span())
                        } else {
                            owner.span()
                        };
                        let what_mode = if mode.span.is_none() {
                            "PROVISIONED (the default)".to_string()
                        } else {
                            mode.text.to_string()
                        };
                        let finding = report.add(
                            anchor,
                            format!("{what} has no `ProvisionedThroughput` but BillingMode is {what_mode}"),
                        );
                        finding
                            .label("`ProvisionedThroughput` is required with PROVISIONED billing")
                            .help("add `ProvisionedThroughput: {ReadCapacityUnits: .., WriteCapacityUnits: ..}`, or set `BillingMode: PAY_PER_REQUEST` on the table");
                        finding
                    }
                };
                if let Some(span) = mode.span {
                    if !std::ptr::eq(owner, props) || present.is_some() {
                        finding.also(span, format!("BillingMode {}", mode.text));
                    }
                }
                if let Some(param) = mode.parameter {
                    finding.also(param, format!("the parameter allows {}", mode.text));
                }
            }
        }
    }
}
