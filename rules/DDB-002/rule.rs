//! ## What it finds
//! An `AWS::DynamoDB::Table` or `AWS::DynamoDB::GlobalTable` whose `AttributeDefinitions`
//! and key schemas disagree:
//!
//! - an attribute used in the `KeySchema` of the table, of a `GlobalSecondaryIndexes`
//!   entry or of a `LocalSecondaryIndexes` entry is not defined in
//!   `AttributeDefinitions`;
//! - an attribute defined in `AttributeDefinitions` is used by no key schema at all.
//!
//! ## Why it matters
//! The CloudFormation reference says the attributes in `KeySchema` "must also be defined
//! in the AttributeDefinitions property", and `AttributeDefinitions` describes only "the
//! key schema for the table and indexes". DynamoDB rejects both a key attribute without
//! a definition and a definition that no key uses ("Number of attributes in KeySchema
//! does not exactly match number of attributes defined in AttributeDefinitions"), so
//! the stack fails. Non-key attributes (the TTL attribute, projected
//! `NonKeyAttributes`) must not be listed in `AttributeDefinitions`.
//!
//! Attribute names are compared exactly (they are case-sensitive). When a definition,
//! a key schema or an index list is written with an intrinsic function, the direction
//! of the check that depends on it is skipped.

use crate::model::dynamodb::key_schema_elements;
use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "DDB-002",
    name: "attribute-definitions-mismatch",
    severity: Severity::Error,
    kinds: &[FileKind::Template],
    summary: "An attribute definition is used by no key schema, or a key attribute is not defined.",
    source: "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-dynamodb-table.html",
};

pub struct Rule;

/// The key attribute names of one key schema, or `None` when not literal.
fn key_names(schema: &Node) -> Option<Vec<&Node>> {
    key_schema_elements(schema)?
        .into_iter()
        .map(|element| {
            let name = element.get("AttributeName")?;
            name.as_str().map(|_| name)
        })
        .collect()
}

impl Check for Rule {
    fn template(&self, template: &Template, report: &mut Report) {
        for table in
            template.resources_of_types(&["AWS::DynamoDB::Table", "AWS::DynamoDB::GlobalTable"])
        {
            if !table.properties_are_literal() {
                continue;
            }
            let Some(definitions) = table.own_prop("AttributeDefinitions") else {
                continue;
            };
            // Defined attributes (None when one of them is not literal).
            let defined: Option<Vec<&Node>> = if definitions.intrinsic().is_some() {
                None
            } else {
                definitions
                    .iter_seq()
                    .map(|d| {
                        if d.intrinsic().is_some() {
                            return None;
                        }
                        let name = d.get("AttributeName")?;
                        name.as_str().map(|_| name)
                    })
                    .collect()
            };
            // Key attributes of the table and every index (complete = all literal).
            let mut used: Vec<(&Node, String)> = Vec::new();
            let mut complete = true;
            match table.own_prop("KeySchema").map(key_names) {
                Some(Some(names)) => used.extend(
                    names
                        .into_iter()
                        .map(|n| (n, "the table's key schema".to_string())),
                ),
                _ => complete = false,
            }
            for (list, kind) in [
                ("GlobalSecondaryIndexes", "global"),
                ("LocalSecondaryIndexes", "local"),
            ] {
                let Some(indexes) = table.own_prop(list) else {
                    continue;
                };
                if indexes.as_seq().is_none() {
                    complete = false;
                    continue;
                }
                for index in indexes.iter_seq() {
                    let label = index.get("IndexName").and_then(Node::as_str).map_or_else(
                        || format!("a {kind} secondary index"),
                        |n| format!("{kind} secondary index `{n}`"),
                    );
                    match index.get("KeySchema").map(key_names) {
                        Some(Some(names)) => {
                            used.extend(names.into_iter().map(|n| (n, label.clone())))
                        }
                        _ => complete = false,
                    }
                }
            }
            if let Some(defined) = &defined {
                for (name, place) in &used {
                    let text = name.as_str().unwrap_or("");
                    if defined.iter().any(|d| d.as_str() == Some(text)) {
                        continue;
                    }
                    report
                        .add(
                            name.span(),
                            format!("key attribute `{text}` of {place} of table `{}` is not in `AttributeDefinitions`", table.id),
                        )
                        .label("not defined")
                        .also(definitions.span(), "AttributeDefinitions")
                        .help(format!("add `{{AttributeName: {text}, AttributeType: S|N|B}}` to `AttributeDefinitions`"));
                }
                if complete {
                    for name in defined {
                        let text = name.as_str().unwrap_or("");
                        if used.iter().any(|(u, _)| u.as_str() == Some(text)) {
                            continue;
                        }
                        report
                            .add(
                                name.span(),
                                format!("attribute `{text}` is defined for table `{}` but used by no key schema", table.id),
                            )
                            .label("not a key of the table or of any index")
                            .help("remove it from `AttributeDefinitions`: only key attributes of the table and its indexes may be defined there");
                    }
                }
            }
        }
    }
}
