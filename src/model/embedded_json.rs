//! JSON documents written as a string inside a template (`KeyPolicy: '{"Statement": ...}'`,
//! `RedrivePolicy: '{"maxReceiveCount": 5}'`), read into the same [`Node`] model as the
//! rest of the template, so a rule walks one shape whichever way the author wrote it.

use crate::document::{load_json, Node, Value};

/// A JSON value given either as YAML/JSON structure or as a string holding JSON.
pub enum JsonValue<'a> {
    /// Written as structure: its nodes point at the template's text.
    Written(&'a Node),
    /// Parsed from a string. A string's decoded text does not map byte for byte onto the
    /// template (quotes, escapes, indentation), so every node carries the span of the
    /// whole string.
    Parsed(Box<Node>),
}

impl JsonValue<'_> {
    pub fn node(&self) -> &Node {
        match self {
            JsonValue::Written(node) => node,
            JsonValue::Parsed(node) => node,
        }
    }

    /// Whether the value was parsed from a string (its spans are the string's).
    pub fn is_parsed(&self) -> bool {
        matches!(self, JsonValue::Parsed(_))
    }
}

/// `node` as a JSON value: itself when it is a mapping or a sequence, the parsed content
/// when it is a string holding a JSON object or array, `None` otherwise (invalid JSON,
/// another scalar, or an intrinsic function).
pub fn json_value(node: &Node) -> Option<JsonValue<'_>> {
    if node.intrinsic().is_some() {
        return None;
    }
    match &node.value {
        Value::Map(_) | Value::Seq(_) => Some(JsonValue::Written(node)),
        Value::Scalar(..) => {
            let text = node.as_str()?;
            if !text.trim_start().starts_with(['{', '[']) {
                return None;
            }
            let loaded = load_json(text);
            if loaded.problems.iter().any(|p| p.is_fatal()) {
                return None;
            }
            let mut root = loaded.root?;
            set_spans(&mut root, node);
            Some(JsonValue::Parsed(Box::new(root)))
        }
    }
}

fn set_spans(root: &mut Node, at: &Node) {
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        node.set_span(at.span());
        match &mut node.value {
            Value::Seq(items) => stack.extend(items.iter_mut()),
            Value::Map(entries) => {
                for entry in entries {
                    entry.key.span = at.span();
                    stack.push(&mut entry.value);
                }
            }
            Value::Scalar(..) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::load_yaml;

    fn first_value(yaml: &str) -> Node {
        let loaded = load_yaml(yaml);
        let root = loaded.root.expect("test YAML parses");
        root.as_map().expect("a mapping")[0].value.clone()
    }

    #[test]
    fn a_string_holding_json_is_parsed_with_the_strings_span() {
        let node = first_value("Policy: '{\"maxReceiveCount\": 5, \"a\": [1]}'\n");
        let value = json_value(&node).expect("parsed");
        assert!(value.is_parsed());
        let count = value.node().get("maxReceiveCount").expect("key");
        assert_eq!(count.as_i64(), Some(5));
        assert_eq!(count.span(), node.span());
    }

    #[test]
    fn structure_is_taken_as_written() {
        let node = first_value("Policy:\n  maxReceiveCount: 5\n");
        let value = json_value(&node).expect("a mapping");
        assert!(!value.is_parsed());
        assert_eq!(value.node().span(), node.span());
    }

    #[test]
    fn other_scalars_invalid_json_and_intrinsics_are_not_json() {
        for yaml in [
            "Policy: 5\n",
            "Policy: '{not json'\n",
            "Policy: !Sub '{\"a\": \"${X}\"}'\n",
        ] {
            assert!(json_value(&first_value(yaml)).is_none(), "{yaml}");
        }
    }
}
