//! DynamoDB tables, as several rules read them.

use crate::document::Node;

/// The elements of a `KeySchema` (a list, or a single element written as a map), or
/// `None` when the schema or one of its elements is an intrinsic function (the rule that
/// asks cannot decide then).
pub fn key_schema_elements(schema: &Node) -> Option<Vec<&Node>> {
    if schema.intrinsic().is_some() {
        return None;
    }
    let elements: Vec<&Node> = match schema.as_seq() {
        Some(items) => items.iter().collect(),
        None if schema.as_map().is_some() => vec![schema],
        None => return None,
    };
    if elements.iter().any(|element| element.intrinsic().is_some()) {
        return None;
    }
    Some(elements)
}
