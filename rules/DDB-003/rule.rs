//! ## What it finds
//! A DynamoDB key schema (`AWS::DynamoDB::Table` or `AWS::DynamoDB::GlobalTable`) of the
//! wrong shape:
//!
//! - the table's `KeySchema` and each `LocalSecondaryIndexes[].KeySchema`: not exactly
//!   one `HASH` element first, followed by at most one `RANGE` element (an LSI must have
//!   both);
//! - each `GlobalSecondaryIndexes[].KeySchema`: no `HASH` element at all;
//! - any element whose `KeyType` is neither `HASH` nor `RANGE`.
//!
//! ## Why it matters
//! The DynamoDB `CreateTable` reference defines a table's primary key as either a
//! partition key alone (one `HASH` element) or a partition key and a sort key (exactly
//! two elements, `HASH` then `RANGE`); a local secondary index keeps the table's
//! partition key and adds a sort key. Anything else is rejected and the stack fails.
//!
//! The catalog applies the same shape to global secondary indexes. The current
//! `GlobalSecondaryIndex` API reference no longer caps a GSI key schema at two elements
//! (DynamoDB now supports multi-attribute partition and sort keys on GSIs), so, following
//! the documentation, GSIs are only checked for having a partition key and valid key
//! types. Key types given through unresolvable intrinsics keep the rule silent.

use crate::model::dynamodb::key_schema_elements;
use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "DDB-003",
    name: "key-schema-shape",
    severity: Severity::Error,
    kinds: &[FileKind::Template],
    summary: "A key schema's first element is not its only HASH key, or it has several RANGE keys.",
    source: "https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateTable.html",
};

pub struct Rule;

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Table,
    Local,
    Global,
}

/// Key types of a key schema with their nodes, or `None` when not decidable.
fn key_types<'a>(template: &Template<'a>, schema: &'a Node) -> Option<Vec<(&'a str, &'a Node)>> {
    key_schema_elements(schema)?
        .into_iter()
        .map(|element| {
            let key_type = element.get("KeyType")?;
            Some((template.string(key_type)?, key_type))
        })
        .collect()
}

fn check(
    template: &Template,
    report: &mut Report,
    table: &str,
    what: &str,
    kind: Kind,
    schema: &Node,
) {
    let Some(types) = key_types(template, schema) else {
        return;
    };
    if let Some((value, node)) = types.iter().find(|(t, _)| *t != "HASH" && *t != "RANGE") {
        report
            .add(
                node.span(),
                format!("KeyType `{value}` in {what} of table `{table}` is neither HASH nor RANGE"),
            )
            .label("invalid key type")
            .help("use `HASH` for the partition key and `RANGE` for the sort key");
        return;
    }
    let problem = match kind {
        Kind::Global => types
            .iter()
            .all(|(t, _)| *t != "HASH")
            .then(|| "has no HASH (partition key) element".to_string()),
        Kind::Table | Kind::Local => {
            let shape: Vec<&str> = types.iter().map(|(t, _)| *t).collect();
            match shape.as_slice() {
                ["HASH"] if kind == Kind::Table => None,
                ["HASH", "RANGE"] => None,
                ["HASH"] => Some(
                    "has no RANGE (sort key) element; a local secondary index needs one"
                        .to_string(),
                ),
                [] => Some("is empty".to_string()),
                _ => Some(format!("is [{}]", shape.join(", "))),
            }
        }
    };
    let Some(problem) = problem else {
        return;
    };
    let expected = match kind {
        Kind::Table => "one HASH element, optionally followed by one RANGE element",
        Kind::Local => "the table's HASH attribute followed by one RANGE element",
        Kind::Global => "at least one HASH element",
    };
    report
        .add(
            schema.span(),
            format!("{what} of table `{table}` {problem}"),
        )
        .label(format!("expected {expected}"))
        .help(format!("write the key schema as {expected}"));
}

impl Check for Rule {
    fn template(&self, template: &Template, report: &mut Report) {
        for table in
            template.resources_of_types(&["AWS::DynamoDB::Table", "AWS::DynamoDB::GlobalTable"])
        {
            if let Some(schema) = table.own_prop("KeySchema") {
                check(
                    template,
                    report,
                    table.id,
                    "the KeySchema",
                    Kind::Table,
                    schema,
                );
            }
            for (list, kind, label) in [
                ("LocalSecondaryIndexes", Kind::Local, "local"),
                ("GlobalSecondaryIndexes", Kind::Global, "global"),
            ] {
                for index in table.own_prop_items(list) {
                    let Some(schema) = index.get("KeySchema") else {
                        continue;
                    };
                    let what = index.get("IndexName").and_then(Node::as_str).map_or_else(
                        || format!("the KeySchema of a {label} secondary index"),
                        |n| format!("the KeySchema of {label} secondary index `{n}`"),
                    );
                    check(template, report, table.id, &what, kind, schema);
                }
            }
        }
    }
}
