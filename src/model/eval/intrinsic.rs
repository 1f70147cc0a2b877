//! A typed view of one intrinsic function call, and what is wrong with its shape.
//!
//! This is the one place that matches intrinsic-function names. YAML short tags
//! (`!Sub`) are already long form in the document (`{Fn::Sub: ...}`, spanning the tag).

use crate::document::{Entry, Node, Value};
use crate::source::Span;

use super::sub::{parse_sub, SubString};

/// The intrinsic functions CloudFormation knows (and the transforms add), by long name.
pub const FUNCTION_NAMES: &[&str] = &[
    "Ref",
    "Condition",
    "Fn::And",
    "Fn::Base64",
    "Fn::Cidr",
    "Fn::Equals",
    "Fn::FindInMap",
    "Fn::ForEach",
    "Fn::GetAZs",
    "Fn::GetAtt",
    "Fn::GetStackOutput",
    "Fn::If",
    "Fn::ImportValue",
    "Fn::Join",
    "Fn::Length",
    "Fn::Not",
    "Fn::Or",
    "Fn::Select",
    "Fn::Split",
    "Fn::Sub",
    "Fn::ToJsonString",
    "Fn::Transform",
];

/// One intrinsic function call, by function, with its operands.
#[derive(Clone, Debug)]
pub enum Intrinsic<'a> {
    /// `Ref: Name`.
    Ref(Name<'a>),
    /// `Ref` of a function that resolves to a name (`Ref: !Sub ...`).
    RefOf(&'a Node),
    GetAtt(GetAtt<'a>),
    Sub(Sub<'a>),
    /// `Fn::Join: [delimiter, values]`.
    Join {
        delimiter: &'a Node,
        values: &'a Node,
    },
    /// `Fn::Select: [index, list]`.
    Select {
        index: &'a Node,
        list: &'a Node,
    },
    /// `Fn::Split: [delimiter, string]`.
    Split {
        delimiter: &'a Node,
        string: &'a Node,
    },
    FindInMap(FindInMap<'a>),
    /// `Fn::If: [condition, when_true, when_false]`; `condition` should be a condition
    /// name (CFN-009 says when it is not).
    If {
        condition: &'a Node,
        when_true: &'a Node,
        when_false: &'a Node,
    },
    Equals(&'a Node, &'a Node),
    And(&'a [Node]),
    Or(&'a [Node]),
    Not(&'a Node),
    /// `Condition: Name` (inside `Fn::And`/`Fn::Or`/`Fn::Not`, or a whole condition).
    Condition(Name<'a>),
    Base64(&'a Node),
    ImportValue(&'a Node),
    GetAZs(&'a Node),
    /// `Fn::Cidr: [ipBlock, count, cidrBits]`.
    Cidr {
        block: &'a Node,
        count: &'a Node,
        bits: &'a Node,
    },
    Length(&'a Node),
    ToJsonString(&'a Node),
    /// `Fn::GetStackOutput`: an output of another stack.
    GetStackOutput(&'a Node),
    /// `Fn::Transform: {Name, Parameters}`: a macro decides the value.
    Transform(&'a Node),
    /// `Fn::ForEach::Name: [identifier, collection, template]` (AWS::LanguageExtensions).
    ForEach(&'a Node),
    /// A YAML tag CloudFormation does not define (`!Rain::Embed file`), kept by the
    /// loader as the call's key: a preprocessor's, whose value is not known here.
    Unknown {
        name: &'a str,
        arg: &'a Node,
    },
}

/// A name operand (`Ref`, `Condition`) and where it is written.
#[derive(Clone, Copy, Debug)]
pub struct Name<'a> {
    pub name: &'a str,
    pub node: &'a Node,
}

/// `Fn::GetAtt`, in `A.B` or `[A, B]` form.
#[derive(Clone, Copy, Debug)]
pub struct GetAtt<'a> {
    /// The logical id.
    pub resource: &'a str,
    pub resource_span: Span,
    /// The attribute, when written literally (`[A, !Ref P]` has none).
    pub attribute: Option<&'a str>,
    /// The attribute operand (the whole `A.B` scalar in dotted form's case is split).
    pub attribute_span: Span,
    /// True for the `[A, B]` form.
    pub list_form: bool,
}

/// `Fn::Sub`, string or `[string, variables]`.
#[derive(Clone, Debug)]
pub struct Sub<'a> {
    /// The string operand.
    pub string: &'a Node,
    pub parsed: SubString<'a>,
    /// The variable map of the list form.
    pub variables: Option<&'a Node>,
}

impl<'a> Sub<'a> {
    /// Whether `name` is a key of the variable map (a local, not a template name).
    pub fn is_local(&self, name: &str) -> bool {
        self.variables.is_some_and(|map| map.get(name).is_some())
    }
}

/// `Fn::FindInMap: [map, top-level key, second-level key]`, optionally with
/// `{DefaultValue: ...}` (AWS::LanguageExtensions).
#[derive(Clone, Copy, Debug)]
pub struct FindInMap<'a> {
    pub map: &'a Node,
    pub top_key: &'a Node,
    pub second_key: &'a Node,
    pub default: Option<&'a Node>,
}

/// What is wrong with the shape of an intrinsic function call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShapeError {
    /// The function's long name as written (`Fn::Sub`, `Fn::Sbu`).
    pub function: String,
    /// The most specific place at fault.
    pub span: Span,
    pub message: String,
    /// What a correct call looks like.
    pub expected: &'static str,
}

impl ShapeError {
    /// Whether the function is a condition function (`Fn::Equals`, `Fn::And`,
    /// `Fn::Or`, `Fn::Not`, `Condition`), whose shape CFN-009 checks.
    pub fn is_condition_function(&self) -> bool {
        is_condition_function(&self.function)
    }

    /// Whether the problem is an `Fn::` name no function has.
    pub fn is_unknown_function(&self) -> bool {
        self.function.starts_with("Fn::")
            && !FUNCTION_NAMES.contains(&self.function.as_str())
            && !is_for_each_key(&self.function)
    }

    /// Whether the call is a `Ref`.
    pub fn is_ref(&self) -> bool {
        self.function == "Ref"
    }

    /// Whether the call is an `Fn::Sub`.
    pub fn is_sub(&self) -> bool {
        self.function == "Fn::Sub"
    }

    /// Whether the problem is a `${` of an `Fn::Sub` string that is never closed.
    pub fn is_unclosed_sub_variable(&self) -> bool {
        self.is_sub() && self.message.contains("never closed")
    }
}

/// `Fn::Equals`, `Fn::And`, `Fn::Or`, `Fn::Not`, `Condition`.
pub fn is_condition_function(name: &str) -> bool {
    matches!(
        name,
        "Fn::Equals" | "Fn::And" | "Fn::Or" | "Fn::Not" | "Condition"
    )
}

impl<'a> Intrinsic<'a> {
    /// The typed view of `node` when it is a well-formed intrinsic function call.
    pub fn of(node: &'a Node) -> Option<Intrinsic<'a>> {
        Self::parse(node, None)?.ok()
    }

    /// The well-formed `Fn::FindInMap` call `node` is, if it is one. Like the other
    /// `of_*` views, it parses no other call: walks over a whole template look for one
    /// function among every call (each `Fn::Sub` string would be parsed again).
    pub fn find_in_map_of(node: &'a Node) -> Option<FindInMap<'a>> {
        match Self::of_function(node, "Fn::FindInMap")? {
            Intrinsic::FindInMap(lookup) => Some(lookup),
            _ => None,
        }
    }

    /// The condition operand of the well-formed `Fn::If` call `node` is, if it is one.
    pub fn if_condition_of(node: &'a Node) -> Option<&'a Node> {
        match Self::of_function(node, "Fn::If")? {
            Intrinsic::If { condition, .. } => Some(condition),
            _ => None,
        }
    }

    /// Whether `node` is a well-formed `Fn::Transform` call.
    pub fn is_transform(node: &'a Node) -> bool {
        matches!(
            Self::of_function(node, "Fn::Transform"),
            Some(Intrinsic::Transform(_))
        )
    }

    fn of_function(node: &'a Node, function: &str) -> Option<Intrinsic<'a>> {
        let (name, _) = node.intrinsic()?;
        if name != function {
            return None;
        }
        Self::of(node)
    }

    /// The typed view of `node` when it is an intrinsic function call (a mapping with
    /// one key that is `Ref`, `Condition` or starts with `Fn::`), or what is wrong with
    /// its shape. `source` (the file's text) makes spans inside `Fn::Sub` strings exact
    /// in escaped and block scalars.
    pub fn parse(
        node: &'a Node,
        source: Option<&str>,
    ) -> Option<Result<Intrinsic<'a>, ShapeError>> {
        Some(match Self::view(node, source)? {
            Ok(Intrinsic::Sub(sub)) if sub.parsed.unclosed.is_some() => {
                let at = sub.parsed.unclosed.unwrap_or(sub.string.span());
                Err(error(
                    "Fn::Sub",
                    at,
                    "this `${` is never closed by a `}`".into(),
                    "a string, or [string, {variable: value, ...}]",
                ))
            }
            other => other,
        })
    }

    /// Like [`Intrinsic::parse`], but an `Fn::Sub` string with an unclosed `${` is a
    /// `Sub` (its variables before the `${` are still names the template uses).
    pub(crate) fn view(
        node: &'a Node,
        source: Option<&str>,
    ) -> Option<Result<Intrinsic<'a>, ShapeError>> {
        let (name, arg) = node.intrinsic()?;
        Some(parse_call(node, name, arg, source))
    }

    /// The function's long name (`Fn::?` for an unknown one).
    pub fn name(&self) -> &'static str {
        match self {
            Intrinsic::Ref(_) | Intrinsic::RefOf(_) => "Ref",
            Intrinsic::GetAtt(_) => "Fn::GetAtt",
            Intrinsic::Sub(_) => "Fn::Sub",
            Intrinsic::Join { .. } => "Fn::Join",
            Intrinsic::Select { .. } => "Fn::Select",
            Intrinsic::Split { .. } => "Fn::Split",
            Intrinsic::FindInMap(_) => "Fn::FindInMap",
            Intrinsic::If { .. } => "Fn::If",
            Intrinsic::Equals(..) => "Fn::Equals",
            Intrinsic::And(_) => "Fn::And",
            Intrinsic::Or(_) => "Fn::Or",
            Intrinsic::Not(_) => "Fn::Not",
            Intrinsic::Condition(_) => "Condition",
            Intrinsic::Base64(_) => "Fn::Base64",
            Intrinsic::ImportValue(_) => "Fn::ImportValue",
            Intrinsic::GetAZs(_) => "Fn::GetAZs",
            Intrinsic::Cidr { .. } => "Fn::Cidr",
            Intrinsic::Length(_) => "Fn::Length",
            Intrinsic::ToJsonString(_) => "Fn::ToJsonString",
            Intrinsic::GetStackOutput(_) => "Fn::GetStackOutput",
            Intrinsic::Transform(_) => "Fn::Transform",
            Intrinsic::ForEach(_) => "Fn::ForEach",
            Intrinsic::Unknown { .. } => "Fn::?",
        }
    }
}

/// What a `Fn::`-prefixed name that is no function means when it is a function that
/// takes no prefix: `Fn::Ref` is `Ref`, `Fn::Condition` is `Condition`.
pub fn without_prefix(name: &str) -> Option<&'static str> {
    match name.strip_prefix("Fn::")? {
        "Ref" => Some("Ref"),
        "Condition" => Some("Condition"),
        _ => None,
    }
}

/// Whether a mapping key is a `Fn::ForEach::Name` loop.
pub fn is_for_each_key(key: &str) -> bool {
    key.starts_with("Fn::ForEach::")
}

/// Whether `node` is `Ref: AWS::NoValue`.
pub fn is_no_value(node: &Node) -> bool {
    matches!(node.intrinsic(), Some(("Ref", arg)) if arg.as_str() == Some("AWS::NoValue"))
}

fn error(function: &str, span: Span, message: String, expected: &'static str) -> ShapeError {
    ShapeError {
        function: function.to_string(),
        span,
        message,
        expected,
    }
}

/// A short description of what a node is, for messages.
pub fn describe(node: &Node) -> String {
    if let Some((name, _)) = node.intrinsic() {
        return format!("`{name}`");
    }
    match &node.value {
        Value::Scalar(..) if node.is_null() => "null".into(),
        Value::Scalar(..) => "a scalar".into(),
        Value::Seq(items) => match items.len() {
            1 => "a list of 1 item".into(),
            n => format!("a list of {n} items"),
        },
        Value::Map(_) => "a mapping".into(),
    }
}

/// A string operand: a scalar that is not null.
fn is_string(node: &Node) -> bool {
    node.as_str().is_some()
}

fn list<'a>(
    function: &str,
    arg: &'a Node,
    len: std::ops::RangeInclusive<usize>,
    expected: &'static str,
) -> Result<&'a [Node], ShapeError> {
    match arg.as_seq() {
        Some(items) if len.contains(&items.len()) => Ok(items),
        _ => Err(error(
            function,
            arg.span(),
            format!("`{function}` takes {expected}, not {}", describe(arg)),
            expected,
        )),
    }
}

/// An operand that must be a string or a function returning one (not a list or map).
fn string_or_function(
    function: &str,
    node: &Node,
    what: &str,
    expected: &'static str,
) -> Result<(), ShapeError> {
    if is_string(node) || node.intrinsic().is_some() {
        return Ok(());
    }
    Err(error(
        function,
        node.span(),
        format!(
            "the {what} of `{function}` must be a string, not {}",
            describe(node)
        ),
        expected,
    ))
}

fn parse_call<'a>(
    call: &'a Node,
    name: &'a str,
    arg: &'a Node,
    source: Option<&str>,
) -> Result<Intrinsic<'a>, ShapeError> {
    Ok(match name {
        "Ref" | "Condition" => {
            const EXPECTED: &str = "a name";
            if name == "Ref" && arg.intrinsic().is_some() {
                return Ok(Intrinsic::RefOf(arg));
            }
            let Some(text) = arg.as_str() else {
                return Err(error(
                    name,
                    arg.span(),
                    format!("`{name}` takes a name, not {}", describe(arg)),
                    EXPECTED,
                ));
            };
            let operand = Name {
                name: text,
                node: arg,
            };
            if name == "Ref" {
                Intrinsic::Ref(operand)
            } else {
                Intrinsic::Condition(operand)
            }
        }
        "Fn::GetAtt" => Intrinsic::GetAtt(parse_getatt(arg, source)?),
        "Fn::Sub" => {
            const EXPECTED: &str = "a string, or [string, {variable: value, ...}]";
            let (string, variables) = match &arg.value {
                Value::Scalar(..) => (arg, None),
                Value::Seq(items) => match &items[..] {
                    [string, variables] => (string, Some(variables)),
                    _ => {
                        return Err(error(
                            name,
                            arg.span(),
                            format!("`Fn::Sub` takes {EXPECTED}, not {}", describe(arg)),
                            EXPECTED,
                        ))
                    }
                },
                Value::Map(_) => {
                    return Err(error(
                        name,
                        arg.span(),
                        format!("`Fn::Sub` takes {EXPECTED}, not {}", describe(arg)),
                        EXPECTED,
                    ))
                }
            };
            let Some(text) = string.as_str() else {
                return Err(error(
                    name,
                    string.span(),
                    format!(
                        "the string of `Fn::Sub` must be a literal string, not {}",
                        describe(string)
                    ),
                    EXPECTED,
                ));
            };
            if let Some(map) = variables {
                if map.as_map().is_none() || map.intrinsic().is_some() {
                    return Err(error(
                        name,
                        map.span(),
                        format!(
                            "the variables of `Fn::Sub` must be a mapping, not {}",
                            describe(map)
                        ),
                        EXPECTED,
                    ));
                }
            }
            let parsed = parse_sub(string, text, source);
            Intrinsic::Sub(Sub {
                string,
                parsed,
                variables,
            })
        }
        "Fn::Join" => {
            const EXPECTED: &str = "[delimiter, [value, ...]]";
            let items = list(name, arg, 2..=2, EXPECTED)?;
            let (delimiter, values) = (&items[0], &items[1]);
            if delimiter.as_scalar().is_none() {
                return Err(error(
                    name,
                    delimiter.span(),
                    format!(
                        "the delimiter of `Fn::Join` must be a literal string, not {}",
                        describe(delimiter)
                    ),
                    EXPECTED,
                ));
            }
            if values.as_seq().is_none() && values.intrinsic().is_none() {
                return Err(error(
                    name,
                    values.span(),
                    format!(
                        "the values of `Fn::Join` must be a list, not {}",
                        describe(values)
                    ),
                    EXPECTED,
                ));
            }
            Intrinsic::Join { delimiter, values }
        }
        "Fn::Select" => {
            const EXPECTED: &str = "[index, list]";
            let items = list(name, arg, 2..=2, EXPECTED)?;
            let (index, list) = (&items[0], &items[1]);
            if index.intrinsic().is_none() && index.as_i64().is_none_or(|i| i < 0) {
                return Err(error(
                    name,
                    index.span(),
                    format!(
                        "the index of `Fn::Select` must be a whole number from 0, not {}",
                        describe_value(index)
                    ),
                    EXPECTED,
                ));
            }
            if list.as_seq().is_none() && list.intrinsic().is_none() {
                return Err(error(
                    name,
                    list.span(),
                    format!(
                        "the list of `Fn::Select` must be a list, not {}",
                        describe(list)
                    ),
                    EXPECTED,
                ));
            }
            Intrinsic::Select { index, list }
        }
        "Fn::Split" => {
            const EXPECTED: &str = "[delimiter, string]";
            let items = list(name, arg, 2..=2, EXPECTED)?;
            let (delimiter, string) = (&items[0], &items[1]);
            if delimiter.as_scalar().is_none() {
                return Err(error(
                    name,
                    delimiter.span(),
                    format!(
                        "the delimiter of `Fn::Split` must be a literal string, not {}",
                        describe(delimiter)
                    ),
                    EXPECTED,
                ));
            }
            string_or_function(name, string, "string", EXPECTED)?;
            Intrinsic::Split { delimiter, string }
        }
        "Fn::FindInMap" => {
            const EXPECTED: &str = "[map name, top-level key, second-level key] (and optionally {DefaultValue: value})";
            let items = list(name, arg, 3..=4, EXPECTED)?;
            for item in &items[..3] {
                string_or_function(name, item, "keys", EXPECTED)?;
            }
            let default = match items.get(3) {
                None => None,
                Some(options) => match options.get("DefaultValue") {
                    Some(value) if options.as_map().is_some_and(|m| m.len() == 1) => Some(value),
                    _ => {
                        return Err(error(
                            name,
                            options.span(),
                            format!("the fourth argument of `Fn::FindInMap` must be `{{DefaultValue: value}}`, not {}", describe(options)),
                            EXPECTED,
                        ))
                    }
                },
            };
            Intrinsic::FindInMap(FindInMap {
                map: &items[0],
                top_key: &items[1],
                second_key: &items[2],
                default,
            })
        }
        "Fn::If" => {
            const EXPECTED: &str = "[condition name, value if true, value if false]";
            let items = list(name, arg, 3..=3, EXPECTED)?;
            Intrinsic::If {
                condition: &items[0],
                when_true: &items[1],
                when_false: &items[2],
            }
        }
        "Fn::Equals" => {
            let items = list(name, arg, 2..=2, "[value, value]")?;
            Intrinsic::Equals(&items[0], &items[1])
        }
        "Fn::And" | "Fn::Or" => {
            let items = list(name, arg, 2..=10, "a list of 2 to 10 conditions")?;
            if name == "Fn::And" {
                Intrinsic::And(items)
            } else {
                Intrinsic::Or(items)
            }
        }
        "Fn::Not" => {
            let items = list(name, arg, 1..=1, "a list of one condition")?;
            Intrinsic::Not(&items[0])
        }
        "Fn::Base64" | "Fn::ImportValue" => {
            const EXPECTED: &str = "a string or a function returning one";
            string_or_function(name, arg, "argument", EXPECTED)?;
            if name == "Fn::Base64" {
                Intrinsic::Base64(arg)
            } else {
                Intrinsic::ImportValue(arg)
            }
        }
        "Fn::GetAZs" => {
            const EXPECTED: &str = "a region name, `\"\"` or `!Ref AWS::Region`";
            if arg.as_scalar().is_none() && arg.intrinsic().is_none() {
                return Err(error(
                    name,
                    arg.span(),
                    format!("`Fn::GetAZs` takes a region name, not {}", describe(arg)),
                    EXPECTED,
                ));
            }
            Intrinsic::GetAZs(arg)
        }
        "Fn::Cidr" => {
            const EXPECTED: &str = "[ip block, count, cidr bits]";
            let items = list(name, arg, 3..=3, EXPECTED)?;
            for (item, what) in items.iter().zip(["ip block", "count", "cidr bits"]) {
                string_or_function(name, item, what, EXPECTED)?;
            }
            Intrinsic::Cidr {
                block: &items[0],
                count: &items[1],
                bits: &items[2],
            }
        }
        "Fn::Length" => {
            const EXPECTED: &str = "a list or a function returning one";
            if arg.as_seq().is_none() && arg.intrinsic().is_none() {
                return Err(error(
                    name,
                    arg.span(),
                    format!("`Fn::Length` takes a list, not {}", describe(arg)),
                    EXPECTED,
                ));
            }
            Intrinsic::Length(arg)
        }
        "Fn::ToJsonString" => {
            const EXPECTED: &str = "a mapping or a list";
            if arg.as_scalar().is_some() {
                return Err(error(
                    name,
                    arg.span(),
                    format!(
                        "`Fn::ToJsonString` takes a mapping or a list, not {}",
                        describe(arg)
                    ),
                    EXPECTED,
                ));
            }
            Intrinsic::ToJsonString(arg)
        }
        "Fn::Transform" => Intrinsic::Transform(arg),
        "Fn::GetStackOutput" => Intrinsic::GetStackOutput(arg),
        _ if name == "Fn::ForEach" || is_for_each_key(name) => Intrinsic::ForEach(arg),
        // A YAML tag CloudFormation does not define (`!Rain::Embed file`): what it
        // stands for is decided by the tool it belongs to.
        _ if name.starts_with('!') => Intrinsic::Unknown { name, arg },
        _ => {
            let key_span = key_of(call).map_or(call.span(), |entry| entry.key.span);
            return Err(error(
                name,
                key_span,
                format!("`{name}` is not an intrinsic function"),
                "a known intrinsic function",
            ));
        }
    })
}

fn describe_value(node: &Node) -> String {
    match node.as_str() {
        Some(text) => format!("`{text}`"),
        None => describe(node),
    }
}

fn key_of(call: &Node) -> Option<&Entry> {
    call.as_map()?.first()
}

fn parse_getatt<'a>(arg: &'a Node, source: Option<&str>) -> Result<GetAtt<'a>, ShapeError> {
    const NAME: &str = "Fn::GetAtt";
    const EXPECTED: &str = "`Resource.Attribute` or [Resource, Attribute]";
    let wrong = |span: Span, what: String| Err(error(NAME, span, what, EXPECTED));
    if let Some(text) = arg.as_str() {
        let Some((resource, attribute)) = text.split_once('.') else {
            return wrong(
                arg.span(),
                format!("`Fn::GetAtt` takes `Resource.Attribute`, and `{text}` has no `.`"),
            );
        };
        if resource.is_empty() || attribute.is_empty() {
            return wrong(
                arg.span(),
                format!("`Fn::GetAtt` takes `Resource.Attribute`, not `{text}`"),
            );
        }
        let spans = super::sub::ScalarSpans::new(arg, text, source);
        return Ok(GetAtt {
            resource,
            resource_span: spans.span(0, resource.len()),
            attribute: Some(attribute),
            attribute_span: spans.span(resource.len() + 1, text.len()),
            list_form: false,
        });
    }
    match arg.as_seq() {
        Some([resource, attribute]) => {
            let Some(id) = resource.as_str() else {
                return wrong(
                    resource.span(),
                    format!(
                        "the resource of `Fn::GetAtt` must be a logical id, not {}",
                        describe(resource)
                    ),
                );
            };
            if attribute.as_str().is_none() && attribute.intrinsic().is_none() {
                return wrong(
                    attribute.span(),
                    format!(
                        "the attribute of `Fn::GetAtt` must be a name, not {}",
                        describe(attribute)
                    ),
                );
            }
            Ok(GetAtt {
                resource: id,
                resource_span: resource.span(),
                attribute: attribute.as_str(),
                attribute_span: attribute.span(),
                list_form: true,
            })
        }
        _ => wrong(
            arg.span(),
            format!("`Fn::GetAtt` takes {EXPECTED}, not {}", describe(arg)),
        ),
    }
}
