//! The evaluator: the one place that understands intrinsic functions.
//!
//! - [`Intrinsic`]: the typed view of a call (`Intrinsic::of(node)`), or what is wrong
//!   with its shape ([`ShapeError`], via [`Template::intrinsic`]);
//! - [`Template::candidates`] and friends: the literal values a node may take. `Ref`
//!   to a parameter yields its `Default` and `AllowedValues`; `Fn::If` yields both
//!   branches; a literal yields itself. Anything else is unknown (`None`), and a rule
//!   that gets `None` stays silent;
//! - [`Template::output_type`]: the [`Types`] a node evaluates to;
//! - [`Template::references`]: every name a node uses, with its span and [`RefKind`];
//! - [`Template::find_in_map_values`] / [`Template::missing_map_keys`]: `Fn::FindInMap`
//!   through `Mappings`;
//! - [`Template::referenced_resource`]: the resource a `Ref`/`GetAtt`/`${X.Arn}` names.

mod intrinsic;
mod mapping;
mod refs;
mod sub;
mod types;

#[cfg(test)]
mod tests;

use crate::document::Node;
use crate::source::Span;

use super::template::{Resource, Template};

pub use intrinsic::{
    describe, is_condition_function, is_for_each_key, is_no_value, without_prefix, FindInMap,
    GetAtt, Intrinsic, Name, ShapeError, Sub, FUNCTION_NAMES,
};
pub use mapping::{MapLevel, MissingKey};
pub use refs::{RefKind, Reference, Site};
pub use sub::{SubPart, SubString, SubVariable};
pub use types::{parameter_ref_type, AttributeTypes, NoAttributeTypes, Types, ValueType};

impl<'a> Template<'a> {
    /// The typed view of `node` when it is an intrinsic function call, or what is
    /// wrong with its shape; `None` when it is not a call. Spans inside `Fn::Sub`
    /// strings are exact (the template knows its source text).
    pub fn intrinsic(&self, node: &'a Node) -> Option<Result<Intrinsic<'a>, ShapeError>> {
        Intrinsic::parse(node, self.source)
    }

    /// [`intrinsic`](Self::intrinsic) of `node` when it calls `Fn::GetAtt` or `Fn::Sub`,
    /// the calls that can name a resource's attribute. No other call is parsed: walks
    /// over a whole template that look for these only parsed every call.
    pub fn attribute_call(&self, node: &'a Node) -> Option<Result<Intrinsic<'a>, ShapeError>> {
        let (function, _) = node.intrinsic()?;
        matches!(function, "Fn::GetAtt" | "Fn::Sub")
            .then(|| self.intrinsic(node))
            .flatten()
    }

    /// [`intrinsic`](Self::intrinsic) of `node` when it calls `Fn::Sub`, `Fn::Transform`
    /// or `Fn::ForEach`: the calls whose operands are not the template's values as
    /// written (substituted, or a macro's or a loop's to expand). No other call is parsed.
    pub fn expanding_call(&self, node: &'a Node) -> Option<Result<Intrinsic<'a>, ShapeError>> {
        let (function, _) = node.intrinsic()?;
        let expands = matches!(function, "Fn::Sub" | "Fn::Transform" | "Fn::ForEach")
            || intrinsic::is_for_each_key(function);
        expands.then(|| self.intrinsic(node)).flatten()
    }

    /// The `${...}` placeholders of a string scalar read as `Fn::Sub` would read it
    /// (`${!Literal}` escapes excluded), with exact spans: for finding substitution
    /// syntax written outside `Fn::Sub`. Empty for other nodes.
    pub fn sub_placeholders(&self, node: &'a Node) -> Vec<SubVariable<'a>> {
        match node.as_str() {
            Some(text) if crate::text::holds_placeholder(text) => {
                sub::parse_sub(node, text, self.source)
                    .variables()
                    .copied()
                    .collect()
            }
            _ => Vec::new(),
        }
    }
}

/// How a candidate value was reached.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// Written where it is used.
    Literal,
    /// The `Default` or one of the `AllowedValues` of a parameter; the span is the
    /// parameter's name.
    Parameter(Span),
}

impl Origin {
    /// The parameter's name, when the value is a parameter's.
    pub fn parameter(self) -> Option<Span> {
        match self {
            Origin::Parameter(name) => Some(name),
            Origin::Literal => None,
        }
    }
}

/// One value a node may take.
#[derive(Clone, Copy, Debug)]
pub struct Candidate<'a> {
    pub node: &'a Node,
    pub origin: Origin,
}

/// What [`Template::candidates`] finds: a literal is its own one candidate, without an
/// allocation (the schema rules ask about every property value, and most are literal).
#[derive(Debug)]
pub enum Candidates<'a> {
    One(Candidate<'a>),
    Many(Vec<Candidate<'a>>),
}

impl<'a> std::ops::Deref for Candidates<'a> {
    type Target = [Candidate<'a>];

    fn deref(&self) -> &[Candidate<'a>] {
        match self {
            Candidates::One(one) => std::slice::from_ref(one),
            Candidates::Many(many) => many,
        }
    }
}

impl<'a> IntoIterator for Candidates<'a> {
    type Item = Candidate<'a>;
    type IntoIter =
        std::iter::Chain<std::option::IntoIter<Candidate<'a>>, std::vec::IntoIter<Candidate<'a>>>;

    fn into_iter(self) -> Self::IntoIter {
        let (one, many) = match self {
            Candidates::One(one) => (Some(one), Vec::new()),
            Candidates::Many(many) => (None, many),
        };
        one.into_iter().chain(many)
    }
}

impl<'a> Candidate<'a> {
    /// Where a finding about this value should point: the value itself when written in
    /// place, else `usage` (the `Ref`), with the parameter value as a secondary place.
    pub fn span_at(&self, usage: &Node) -> Span {
        match self.origin {
            Origin::Literal => self.node.span(),
            Origin::Parameter(_) => usage.span(),
        }
    }
}

impl<'a> Template<'a> {
    /// Every literal value `node` may take, or `None` when one of them is unknown.
    /// `AWS::NoValue` branches contribute nothing.
    pub fn candidates(&self, node: &'a Node) -> Option<Candidates<'a>> {
        if node.intrinsic().is_none() {
            let origin = Origin::Literal;
            return Some(Candidates::One(Candidate { node, origin }));
        }
        let mut out = Vec::new();
        self.collect_candidates(node, Origin::Literal, &mut out)
            .then_some(Candidates::Many(out))
    }

    fn collect_candidates(
        &self,
        node: &'a Node,
        origin: Origin,
        out: &mut Vec<Candidate<'a>>,
    ) -> bool {
        let Some((name, arg)) = node.intrinsic() else {
            out.push(Candidate { node, origin });
            return true;
        };
        match name {
            "Ref" => {
                let Some(target) = arg.as_str() else {
                    return false;
                };
                if target == "AWS::NoValue" {
                    return true;
                }
                let Some(param) = self.parameter(target) else {
                    return false;
                };
                let origin = Origin::Parameter(param.key_span);
                let mut any = false;
                if let Some(default) = param.default {
                    if default.intrinsic().is_some() {
                        return false;
                    }
                    out.push(Candidate {
                        node: default,
                        origin,
                    });
                    any = true;
                }
                if let Some(allowed) = param.allowed_values {
                    // A set, not a scan of `out` per value: 100,000 `AllowedValues`
                    // were quadratic.
                    let mut seen: std::collections::HashSet<Option<&str>> =
                        out.iter().map(|c| c.node.as_scalar()).collect();
                    for value in allowed.iter_seq() {
                        if seen.insert(value.as_scalar()) {
                            out.push(Candidate {
                                node: value,
                                origin,
                            });
                        }
                        any = true;
                    }
                }
                any
            }
            "Fn::If" => match arg.as_seq() {
                Some([_, when_true, when_false]) => {
                    self.collect_candidates(when_true, origin, out)
                        && self.collect_candidates(when_false, origin, out)
                }
                _ => false,
            },
            _ => false,
        }
    }

    /// The strings `node` may take (`None` if any is unknown or not a scalar).
    pub fn strings(&self, node: &'a Node) -> Option<Vec<(&'a str, Candidate<'a>)>> {
        self.candidates(node)?
            .into_iter()
            .map(|c| c.node.as_str().map(|s| (s, c)))
            .collect()
    }

    /// The integers `node` may take (`None` if any is unknown or not an integer).
    pub fn integers(&self, node: &'a Node) -> Option<Vec<(i64, Candidate<'a>)>> {
        self.candidates(node)?
            .into_iter()
            .map(|c| c.node.as_i64().map(|i| (i, c)))
            .collect()
    }

    /// The booleans `node` may take (`None` if any is unknown or not a boolean).
    pub fn booleans(&self, node: &'a Node) -> Option<Vec<(bool, Candidate<'a>)>> {
        self.candidates(node)?
            .into_iter()
            .map(|c| c.node.as_bool().map(|b| (b, c)))
            .collect()
    }

    /// The one string `node` certainly is, if all its candidates agree.
    pub fn string(&self, node: &'a Node) -> Option<&'a str> {
        let values = self.strings(node)?;
        let (first, _) = values.first()?;
        values.iter().all(|(v, _)| v == first).then_some(*first)
    }

    /// The one integer `node` certainly is, if all its candidates agree.
    pub fn integer(&self, node: &'a Node) -> Option<i64> {
        let values = self.integers(node)?;
        let (first, _) = values.first()?;
        values.iter().all(|(v, _)| v == first).then_some(*first)
    }

    /// Whether every value `node` may take is `false` (vacuously so when it takes
    /// none, as an `Fn::If` between two `AWS::NoValue`); `false` when one is unknown.
    pub fn certainly_false(&self, node: &'a Node) -> bool {
        self.booleans(node)
            .is_some_and(|values| values.iter().all(|(value, _)| !*value))
    }

    /// The one boolean `node` certainly is, if all its candidates agree.
    pub fn boolean(&self, node: &'a Node) -> Option<bool> {
        let values = self.booleans(node)?;
        let (first, _) = values.first()?;
        values.iter().all(|(v, _)| v == first).then_some(*first)
    }

    /// Whether `node` might evaluate to `AWS::NoValue` (making its key absent).
    pub fn may_be_absent(&self, node: &Node) -> bool {
        match node.intrinsic() {
            Some(("Ref", arg)) => arg.as_str() == Some("AWS::NoValue"),
            Some(("Fn::If", arg)) => match arg.as_seq() {
                Some([_, a, b]) => self.may_be_absent(a) || self.may_be_absent(b),
                _ => true,
            },
            _ => false,
        }
    }

    /// The resource a `Ref`, `Fn::GetAtt` or whole-string `Fn::Sub` (`${X.Arn}`) names.
    pub fn referenced_resource(&self, node: &Node) -> Option<&Resource<'a>> {
        let (name, arg) = node.intrinsic()?;
        let id = match name {
            "Ref" => arg.as_str()?,
            "Fn::GetAtt" => getatt_parts(arg)?.0,
            "Fn::Sub" => {
                let text = arg.as_str()?;
                let inner = text.strip_prefix("${")?.strip_suffix('}')?;
                if crate::text::holds_placeholder(inner) || inner.contains('}') {
                    return None;
                }
                inner.split('.').next()?
            }
            _ => return None,
        };
        self.resource(id)
    }

    /// `referenced_resource` for each branch of an `Fn::If`; `None` if any branch is not
    /// a reference (a literal ARN, an import, ...).
    pub fn referenced_resources(&self, node: &'a Node) -> Option<Vec<&Resource<'a>>> {
        if let Some(("Fn::If", arg)) = node.intrinsic() {
            let [_, a, b] = arg.as_seq()? else {
                return None;
            };
            let mut out = self.referenced_resources(a)?;
            out.extend(self.referenced_resources(b)?);
            return Some(out);
        }
        self.referenced_resource(node).map(|r| vec![r])
    }
}

/// `(logical id, attribute)` of a `Fn::GetAtt` operand, in list or `A.B` form.
pub fn getatt_parts(arg: &Node) -> Option<(&str, &str)> {
    if let Some(text) = arg.as_str() {
        return text.split_once('.');
    }
    match arg.as_seq()? {
        [id, attribute] => Some((id.as_str()?, attribute.as_str().unwrap_or(""))),
        _ => None,
    }
}
