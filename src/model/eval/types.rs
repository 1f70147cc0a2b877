//! What type of value a node evaluates to.

use crate::document::{Node, Value};

use super::intrinsic::{is_no_value, Intrinsic};
use crate::model::template::Template;

/// The kinds of value CloudFormation passes around.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueType {
    String,
    /// A list (of strings, for every function that returns one).
    List,
    Number,
    Boolean,
    /// A mapping (JSON object).
    Object,
}

const ALL: [ValueType; 5] = [
    ValueType::String,
    ValueType::List,
    ValueType::Number,
    ValueType::Boolean,
    ValueType::Object,
];

/// The set of types a node may evaluate to; [`Types::UNKNOWN`] when the template does
/// not say.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Types(u8);

impl Types {
    pub const NONE: Types = Types(0);
    pub const UNKNOWN: Types = Types(0b1_1111);

    pub const fn of(value: ValueType) -> Types {
        Types(1 << value as u8)
    }

    pub fn union(self, other: Types) -> Types {
        Types(self.0 | other.0)
    }

    /// Whether the node may be of this type.
    pub fn may_be(self, value: ValueType) -> bool {
        self.0 & Types::of(value).0 != 0
    }

    /// Whether the node certainly is of this type (and no other).
    pub fn is(self, value: ValueType) -> bool {
        self == Types::of(value)
    }

    /// Whether nothing is known.
    pub fn is_unknown(self) -> bool {
        self == Types::UNKNOWN
    }

    /// The one type, if there is exactly one.
    pub fn single(self) -> Option<ValueType> {
        ALL.into_iter().find(|t| self.is(*t))
    }
}

/// The hook through which the schema layer tells the types of `Fn::GetAtt`
/// attributes: `None` when it does not know.
pub trait AttributeTypes {
    fn attribute_type(&self, resource_type: &str, attribute: &str) -> Option<Types>;

    /// The type of a resource the template does not declare but a transform makes (the
    /// resources SAM generates), by logical id.
    fn undeclared_type(&self, _logical_id: &str) -> Option<&'static str> {
        None
    }
}

/// Knows no attribute: every `Fn::GetAtt` is of unknown type.
pub struct NoAttributeTypes;

impl AttributeTypes for NoAttributeTypes {
    fn attribute_type(&self, _resource_type: &str, _attribute: &str) -> Option<Types> {
        None
    }
}

/// Nesting of `Fn::If`/`Fn::Select`/`Fn::FindInMap` followed before giving up.
const MAX_DEPTH: usize = 32;

/// The type a parameter of type `type_name` gives to `Ref`: lists stay lists, every
/// other value (numbers included) is a string.
pub fn parameter_ref_type(type_name: &str) -> Types {
    let inner = type_name
        .strip_prefix("AWS::SSM::Parameter::Value<")
        .and_then(|t| t.strip_suffix('>'))
        .unwrap_or(type_name);
    if inner.starts_with("List<") || inner == "CommaDelimitedList" {
        Types::of(ValueType::List)
    } else {
        Types::of(ValueType::String)
    }
}

impl<'a> Template<'a> {
    /// The types `node` may evaluate to, with `Fn::GetAtt` of unknown type.
    pub fn output_type(&self, node: &'a Node) -> Types {
        self.output_type_with(node, &NoAttributeTypes)
    }

    /// The types `node` may evaluate to, asking `attributes` for `Fn::GetAtt`.
    pub fn output_type_with(&self, node: &'a Node, attributes: &dyn AttributeTypes) -> Types {
        self.type_at(node, attributes, 0)
    }

    fn type_at(&self, node: &'a Node, attributes: &dyn AttributeTypes, depth: usize) -> Types {
        if depth > MAX_DEPTH {
            return Types::UNKNOWN;
        }
        let Some(call) = Intrinsic::of(node) else {
            if node.intrinsic().is_some() {
                return Types::UNKNOWN;
            }
            return match &node.value {
                Value::Scalar(..) => Types::of(literal_type(node)),
                Value::Seq(_) => Types::of(ValueType::List),
                Value::Map(_) => Types::of(ValueType::Object),
            };
        };
        let string = Types::of(ValueType::String);
        let list = Types::of(ValueType::List);
        match call {
            Intrinsic::Ref(name) => {
                if name.name == "AWS::NotificationARNs" {
                    list
                } else if name.name == "AWS::NoValue" {
                    Types::UNKNOWN
                } else if name.name.starts_with("AWS::") {
                    string
                } else if let Some(param) = self.parameter(name.name) {
                    param
                        .node
                        .get("Type")
                        .and_then(Node::as_str)
                        .map_or(Types::UNKNOWN, parameter_ref_type)
                } else if self.resource(name.name).is_some() {
                    string
                } else {
                    Types::UNKNOWN
                }
            }
            Intrinsic::GetAtt(getatt) => {
                let resource_type = self
                    .resource(getatt.resource)
                    .map(|r| r.type_name)
                    .or_else(|| attributes.undeclared_type(getatt.resource));
                match (resource_type, getatt.attribute) {
                    (Some(resource_type), Some(attribute)) => attributes
                        .attribute_type(resource_type, attribute)
                        .unwrap_or(Types::UNKNOWN),
                    _ => Types::UNKNOWN,
                }
            }
            Intrinsic::Sub(_)
            | Intrinsic::Join { .. }
            | Intrinsic::Base64(_)
            | Intrinsic::ImportValue(_)
            | Intrinsic::ToJsonString(_)
            | Intrinsic::GetStackOutput(_) => string,
            Intrinsic::GetAZs(_) | Intrinsic::Split { .. } | Intrinsic::Cidr { .. } => list,
            Intrinsic::Select { index, list } => match (index.as_i64(), list.as_seq()) {
                (Some(i), Some(items)) => {
                    match usize::try_from(i).ok().and_then(|i| items.get(i)) {
                        Some(item) => self.type_at(item, attributes, depth + 1),
                        None => Types::UNKNOWN,
                    }
                }
                _ => string,
            },
            Intrinsic::FindInMap(lookup) => match self.find_in_map_values(&lookup) {
                Some(values) if !values.is_empty() => values
                    .into_iter()
                    .map(|v| self.type_at(v, attributes, depth + 1))
                    .fold(Types::NONE, Types::union),
                _ => Types::UNKNOWN,
            },
            Intrinsic::If {
                when_true,
                when_false,
                ..
            } => {
                let branch = |n: &'a Node| {
                    if is_no_value(n) {
                        Types::NONE
                    } else {
                        self.type_at(n, attributes, depth + 1)
                    }
                };
                let both = branch(when_true).union(branch(when_false));
                if both == Types::NONE {
                    Types::UNKNOWN
                } else {
                    both
                }
            }
            Intrinsic::Equals(..)
            | Intrinsic::And(_)
            | Intrinsic::Or(_)
            | Intrinsic::Not(_)
            | Intrinsic::Condition(_) => Types::of(ValueType::Boolean),
            Intrinsic::Length(_) => Types::of(ValueType::Number),
            Intrinsic::RefOf(_)
            | Intrinsic::Transform(_)
            | Intrinsic::ForEach(_)
            | Intrinsic::Unknown { .. } => Types::UNKNOWN,
        }
    }
}

/// A literal scalar's type: plain numbers and booleans are themselves, the rest
/// strings.
fn literal_type(node: &Node) -> ValueType {
    match &node.value {
        Value::Scalar(_) if node.scalar_style() == Some(crate::document::ScalarStyle::Plain) => {
            if node.as_bool().is_some() {
                ValueType::Boolean
            } else if node.as_f64().is_some() {
                ValueType::Number
            } else {
                ValueType::String
            }
        }
        _ => ValueType::String,
    }
}
