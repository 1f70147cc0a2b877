//! Value types of the fixed-format files (AppSpec, Dockerrun): which JSON/YAML type a
//! key's value is documented to have, and the values written as another.
//!
//! A schema is a list of places, each a path from the root and the typed keys found
//! there. A path step is a key, `[]` (every item of a list) or `*` (every value of a
//! mapping); a typed key may be `[]` or `*` too, for the items or values themselves.
//! Blank values (`null`, nothing) are never wrong here: whether a key may be blank is
//! for the rules that need it.

use crate::document::{Entry, Node, ScalarStyle, Value};
use crate::source::Span;

/// A documented value type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A scalar (numbers and booleans are read as their text); lists and mappings are
    /// wrong.
    Str,
    /// A whole number written as a number: `80`, not `"80"`.
    Int,
    /// A whole number, written as a number or as a string of digits (`"80"`).
    IntOrDigits,
    /// `true` or `false`, unquoted.
    Bool,
    /// `true` or `false`, quoted or not.
    BoolOrText,
    List,
    Map,
}

/// Where a schema applies and which keys it types there.
pub type Place = (&'static [&'static str], &'static [(&'static str, Kind)]);

/// A value of the wrong type.
#[derive(Debug)]
pub struct Mismatch<'a> {
    /// The key as written (`[]` for a list item).
    pub key: &'a str,
    pub value: &'a Node,
    pub expected: Kind,
}

impl Mismatch<'_> {
    pub fn span(&self) -> Span {
        self.value.span()
    }

    /// "`containerPort` is the string `"80"`, but must be a number".
    pub fn message(&self, object: &str) -> String {
        let what = if self.key == "[]" {
            "a list item".to_string()
        } else {
            format!("`{}`", self.key)
        };
        format!(
            "{what} is {}, but must be {}",
            describe(self.value, object),
            self.expected.noun(object)
        )
    }

    /// What to write instead.
    pub fn help(&self) -> String {
        let text = self.value.as_scalar().map(str::trim).unwrap_or_default();
        let quoted = self
            .value
            .scalar_style()
            .is_some_and(|style| style != ScalarStyle::Plain);
        match self.expected {
            Kind::Int | Kind::IntOrDigits if quoted && is_integer(text) => {
                format!("write `{text}` without quotes")
            }
            Kind::Int | Kind::IntOrDigits => "write a whole number, without quotes".to_string(),
            Kind::Bool | Kind::BoolOrText if quoted && as_bool(text).is_some() => {
                format!("write `{}` without quotes", text.to_ascii_lowercase())
            }
            Kind::Bool | Kind::BoolOrText => "write `true` or `false`".to_string(),
            Kind::Str => "write a single value (a string)".to_string(),
            Kind::List => "write a list (`[...]`), even for a single item".to_string(),
            Kind::Map => "write the keys and values it holds (`{...}`)".to_string(),
        }
    }
}

impl Kind {
    /// The type in words; `object` is how a mapping is called ("a mapping", "an object").
    pub fn noun(self, object: &str) -> String {
        match self {
            Kind::Str => "a string".to_string(),
            Kind::Int | Kind::IntOrDigits => "a whole number".to_string(),
            Kind::Bool | Kind::BoolOrText => "true or false".to_string(),
            Kind::List => "a list".to_string(),
            Kind::Map => object.to_string(),
        }
    }

    /// Whether `node` is a value of this type (blank values and placeholders are).
    pub fn accepts(self, node: &Node) -> bool {
        let (text, style) = match &node.value {
            Value::Seq(_) => return self == Kind::List,
            Value::Map(_) => return self == Kind::Map,
            Value::Scalar(text) => (
                text.trim(),
                node.scalar_style().unwrap_or(ScalarStyle::Plain),
            ),
        };
        if node.is_null() {
            return true;
        }
        let plain = style == ScalarStyle::Plain;
        match self {
            Kind::Str => true,
            Kind::List | Kind::Map => false,
            _ if is_placeholder(text) => true,
            Kind::Int => plain && is_integer(text),
            Kind::IntOrDigits => is_integer(text),
            Kind::Bool => plain && as_bool(text).is_some(),
            Kind::BoolOrText => as_bool(text).is_some(),
        }
    }
}

/// Every value of `root` whose type differs from the schema's. Keys are matched exactly,
/// or ignoring ASCII case when `ignore_case` (as CodeDeploy reads Lambda and ECS
/// appspecs).
pub fn mismatches<'a>(root: &'a Node, schema: &[Place], ignore_case: bool) -> Vec<Mismatch<'a>> {
    let mut out = Vec::new();
    for (path, keys) in schema {
        for node in nodes_at(root, path, ignore_case) {
            for (key, kind) in *keys {
                for (name, value) in children(node, key, ignore_case) {
                    if !kind.accepts(value) {
                        out.push(Mismatch {
                            key: name,
                            value,
                            expected: *kind,
                        });
                    }
                }
            }
        }
    }
    out.sort_by_key(|m| m.value.span().start());
    out
}

/// The nodes a path leads to.
pub fn nodes_at<'n>(root: &'n Node, path: &[&str], ignore_case: bool) -> Vec<&'n Node> {
    let mut nodes = vec![root];
    for step in path {
        nodes = nodes
            .into_iter()
            .flat_map(|node| {
                children(node, step, ignore_case)
                    .into_iter()
                    .map(|(_, n)| n)
            })
            .collect();
    }
    nodes
}

/// The children of `node` one step further: `[]` the items of a list, `*` the values
/// of a mapping, otherwise the value of that key.
fn children<'n>(node: &'n Node, step: &str, ignore_case: bool) -> Vec<(&'n str, &'n Node)> {
    match step {
        "[]" => node.iter_seq().map(|item| ("[]", item)).collect(),
        "*" => node
            .iter_map()
            .map(|entry| (entry.key.text.as_str(), &entry.value))
            .collect(),
        key => get_key(node, key, ignore_case)
            .map(|entry: &Entry| (entry.key.text.as_str(), &entry.value))
            .into_iter()
            .collect(),
    }
}

/// A value as written, in words: "the string `"80"`", "the number `80`", "a list";
/// `object` is how a mapping is called.
pub fn describe(node: &Node, object: &str) -> String {
    match &node.value {
        Value::Seq(_) => "a list".to_string(),
        Value::Map(_) => object.to_string(),
        Value::Scalar(text) if node.scalar_style() == Some(ScalarStyle::Plain) => {
            let text = text.trim();
            if as_bool(text).is_some() {
                format!("`{text}`")
            } else if text.parse::<f64>().is_ok() {
                format!("the number `{text}`")
            } else {
                format!("the text `{text}`")
            }
        }
        Value::Scalar(text) if node.scalar_style() == Some(ScalarStyle::SingleQuoted) => {
            format!("the string `'{text}'`")
        }
        Value::Scalar(text) => format!("the string `\"{text}\"`"),
    }
}

fn is_integer(text: &str) -> bool {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

fn as_bool(text: &str) -> Option<bool> {
    match text {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

/// A value left to be filled in by a script or a pipeline: blank, or holding `$`, `{`
/// or `<` (`${PORT}`, `{{port}}`, `<CONTAINER_PORT>`). Rules judge such values as unknown.
pub fn is_placeholder(text: &str) -> bool {
    let text = text.trim();
    text.is_empty() || text.contains(['$', '{', '<'])
}

/// A mapping's entry by key: exactly, or ignoring ASCII case (last one wins, as in
/// [`Node::get`]).
pub fn get_key<'n>(node: &'n Node, key: &str, ignore_case: bool) -> Option<&'n Entry> {
    if !ignore_case {
        return node.entry(key);
    }
    node.as_map()?
        .iter()
        .rev()
        .find(|entry| entry.key.text.eq_ignore_ascii_case(key))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{load_json, load_yaml};

    const SCHEMA: &[Place] = &[
        (&[], &[("port", Kind::Int), ("ports", Kind::List)]),
        (&["ports"], &[("[]", Kind::Map)]),
        (
            &["ports", "[]"],
            &[("on", Kind::Bool), ("digits", Kind::IntOrDigits)],
        ),
    ];

    fn found(text: &str, json: bool) -> Vec<String> {
        let loaded = if json {
            load_json(text)
        } else {
            load_yaml(text)
        };
        let root = loaded.root.expect("test input parses");
        mismatches(&root, SCHEMA, false)
            .iter()
            .map(|m| m.message("a mapping"))
            .collect()
    }

    #[test]
    fn quoted_numbers_and_booleans_are_strings() {
        let json = r#"{"port": "80", "ports": [{"on": "true", "digits": "8080"}, 5]}"#;
        assert_eq!(
            found(json, true),
            [
                "`port` is the string `\"80\"`, but must be a whole number",
                "`on` is the string `\"true\"`, but must be true or false",
                "a list item is the number `5`, but must be a mapping",
            ]
        );
    }

    #[test]
    fn yaml_plain_scalars_are_typed_and_blanks_pass() {
        assert!(found(
            "port: 80\nports:\n  - on: true\n    digits: 80\n  - on:\n",
            false
        )
        .is_empty());
        assert_eq!(
            found("port: '80'\nports: {on: true}\n", false),
            [
                "`port` is the string `'80'`, but must be a whole number",
                "`ports` is a mapping, but must be a list",
            ]
        );
        assert_eq!(
            found("port: eighty\n", false),
            ["`port` is the text `eighty`, but must be a whole number"]
        );
    }

    #[test]
    fn quoted_placeholders_are_not_judged() {
        assert!(found(r#"{"port": "<PORT>", "ports": [{"on": "${ON}"}]}"#, true).is_empty());
    }
}
