//! ## What it finds
//! A property value of the wrong JSON type for the resource type's schema, after the
//! coercions CloudFormation applies:
//! - a string, number or boolean is a fine string (`Description: 42`);
//! - `"30"` is a fine integer or number, `"true"`/`"false"` (any case) fine booleans;
//! - a boolean is not an integer, a word is not a number, `yes`/`On` are not booleans
//!   (YAML 1.1 would read them so; CloudFormation does not, and the finding says what
//!   was written);
//! - a list where a single value or an object belongs, or the reverse, is wrong.
//!
//! Where the schema allows several types (`type: [string, object]`), any of them is
//! fine. Intrinsic functions are judged by the type they return: a `List<...>` or
//! `CommaDelimitedList` parameter, `Fn::Split`, `Fn::GetAZs` or `Fn::Cidr` in a
//! single-value slot is a list; `Fn::Sub`, `Fn::Join`, `Fn::Base64` and `Ref` to a
//! resource are strings (fine wherever a scalar goes: CloudFormation converts them).
//! `Fn::If` is judged per branch (`AWS::NoValue` removes the key). A `Ref` to a
//! single-value parameter is judged by its `Default` and `AllowedValues`, reported at
//! the parameter's value with the `Ref` as a secondary place. `Fn::GetAtt` is judged by
//! the attribute's type in the schema (`!GetAtt Vpc.CidrBlockAssociations` and a load
//! balancer's `SecurityGroups` are lists; an `Arn` is a string), also for SAM resources
//! and the resources SAM generates (`MyFunctionRole`); an attribute whose schema states
//! no single type, or is an object, is not judged. Functions whose type is unknown
//! (`Fn::ImportValue` of a list, nested stacks' `Outputs.<name>`, macros) are not
//! judged; nor are
//! custom resources, modules, third-party types and templates with macros other than
//! SAM and `AWS::LanguageExtensions`.
//!
//! ## Why it matters
//! CloudFormation validates `Properties` against the type's resource schema before it
//! calls the service ("#/Port: expected type: Integer, found: String"), and the stack
//! operation fails, often after other resources were created and must be rolled back.
//! See the `type` keyword of the resource type schema:
//! <https://docs.aws.amazon.com/cloudformation-cli/latest/userguide/resource-type-schema.html>.

use crate::model::eval::is_no_value;
use crate::prelude::*;
use crate::schema::walk::{parameter_use_label, Judging, Object};
use crate::schema::{JsonType, SchemaNode};

pub const META: RuleMeta = RuleMeta {
    code: "SCHEMA-004",
    name: "wrong-type",
    severity: Severity::Error,
    kinds: &[FileKind::Template],
    summary: "A property value is not of the JSON type the resource type's schema requires.",
    source:
        "https://docs.aws.amazon.com/cloudformation-cli/latest/userguide/resource-type-schema.html",
};

pub struct Rule;

/// Top-level properties `aws cloudformation package` (and `sam package`) replace: a
/// local path written as a string is uploaded and rewritten to the object or S3 URL
/// the schema expects.
const PACKAGED: &[(&str, &str)] = &[
    ("AWS::ApiGateway::RestApi", "BodyS3Location"),
    ("AWS::ElasticBeanstalk::ApplicationVersion", "SourceBundle"),
    ("AWS::Lambda::Function", "Code"),
    ("AWS::Lambda::LayerVersion", "Content"),
    ("AWS::StepFunctions::StateMachine", "DefinitionS3Location"),
    ("AWS::Serverless::Api", "DefinitionUri"),
    ("AWS::Serverless::Function", "CodeUri"),
    ("AWS::Serverless::HttpApi", "DefinitionUri"),
    ("AWS::Serverless::LayerVersion", "ContentUri"),
    ("AWS::Serverless::StateMachine", "DefinitionUri"),
];

/// Properties whose schema type is narrower than what SAM accepts: its Cognito
/// authorizer takes a list of user pools in `UserPoolArn` (SAM's integration test
/// `api_with_authorizers_max` deploys one), and a resource policy's `CustomStatements`
/// may be one statement (SAM's translator test `api_with_resource_policy` succeeds).
const WIDER: &[(&str, &str)] = &[
    ("AWS::Serverless::Api", "UserPoolArn"),
    ("AWS::Serverless::Api", "CustomStatements"),
];

/// The types a schema node allows: its own, else those of its `anyOf`/`oneOf`/`allOf`
/// members; `None` when some part does not say (anything may fit).
fn allowed_types(schema: SchemaNode, depth: usize) -> Option<JsonTypes> {
    let mut own = JsonTypes::default();
    schema.types().for_each(|t| own.insert(t));
    if !own.is_empty() {
        return Some(own);
    }
    if depth > 8 {
        return None;
    }
    let mut members = schema
        .any_of()
        .chain(schema.one_of())
        .chain(schema.all_of())
        .peekable();
    members.peek()?;
    let mut out = JsonTypes::default();
    for member in members {
        allowed_types(member, depth + 1)?
            .iter()
            .for_each(|t| out.insert(*t));
    }
    Some(out)
}

/// A set of JSON types in their declared order, without allocating (judged for every
/// property value).
struct JsonTypes {
    types: [JsonType; 7],
    len: usize,
}

impl Default for JsonTypes {
    fn default() -> Self {
        JsonTypes {
            types: [JsonType::Null; 7],
            len: 0,
        }
    }
}

impl JsonTypes {
    fn insert(&mut self, t: JsonType) {
        if self.contains(&t) {
            return;
        }
        let at = self.types[..self.len].partition_point(|held| (*held as u8) < t as u8);
        self.types.copy_within(at..self.len, at + 1);
        self.types[at] = t;
        self.len += 1;
    }
}

impl std::ops::Deref for JsonTypes {
    type Target = [JsonType];

    fn deref(&self) -> &[JsonType] {
        &self.types[..self.len]
    }
}

fn type_name(t: JsonType) -> &'static str {
    match t {
        JsonType::String => "a string",
        JsonType::Integer => "an integer",
        JsonType::Number => "a number",
        JsonType::Boolean => "a boolean",
        JsonType::Array => "a list",
        JsonType::Object => "an object",
        JsonType::Null => "null",
    }
}

fn expected(types: &[JsonType]) -> String {
    let names: Vec<&str> = types.iter().map(|t| type_name(*t)).collect();
    match names.as_slice() {
        [] => String::new(),
        [one] => (*one).to_string(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

/// Whether a literal scalar fits one of `types` (CloudFormation's coercions).
fn scalar_fits(node: &Node, types: &[JsonType]) -> bool {
    types.iter().any(|t| match t {
        JsonType::String => true,
        JsonType::Integer => node.as_i64().is_some(),
        JsonType::Number => node.as_f64().is_some(),
        JsonType::Boolean => node.as_bool().is_some(),
        JsonType::Null => node.is_null(),
        JsonType::Array | JsonType::Object => false,
    })
}

/// Whether a value an intrinsic function returns fits one of `types`.
fn output_fits(value: ValueType, types: &[JsonType]) -> bool {
    types.iter().any(|t| match value {
        // CloudFormation converts a string to the number or boolean the slot takes.
        ValueType::String => !matches!(t, JsonType::Array | JsonType::Object),
        ValueType::Number => matches!(t, JsonType::String | JsonType::Integer | JsonType::Number),
        ValueType::Boolean => matches!(t, JsonType::String | JsonType::Boolean),
        ValueType::List => *t == JsonType::Array,
        ValueType::Object => *t == JsonType::Object,
    })
}

fn value_type_name(value: ValueType) -> &'static str {
    match value {
        ValueType::String => "a string",
        ValueType::List => "a list",
        ValueType::Number => "a number",
        ValueType::Boolean => "a boolean",
        ValueType::Object => "an object",
    }
}

fn add<'r, 'a>(
    judging: &mut Judging<'_, 'a>,
    report: &'r mut Report,
    at: Span,
    what: String,
    name: &str,
    types: &[JsonType],
) -> Option<&'r mut Finding> {
    if !judging.first_time(at) {
        return None;
    }
    let expected = expected(types);
    let finding = report.add(
        at,
        format!("`{name}` takes {expected}, not {what} {}", judging.whose()),
    );
    finding
        .label(format!("not {expected}"))
        .help(format!("give `{name}` {expected}"));
    Some(finding)
}

fn check<'a>(
    judging: &mut Judging<'_, 'a>,
    node: &'a Node,
    schema: SchemaNode,
    name: &str,
    report: &mut Report,
    depth: usize,
) {
    if depth > 16 {
        return;
    }
    let Some(types) = allowed_types(schema, 0) else {
        return;
    };
    if let Some(call) = Intrinsic::of(node) {
        check_call(judging, node, call, schema, &types, name, report, depth);
        return;
    }
    if node.intrinsic().is_some() {
        return;
    }
    match &node.value {
        Value::Scalar(text) => {
            if node.is_null() || scalar_fits(node, &types) {
                return;
            }
            let what = format!("`{text}`");
            add(judging, report, node.span(), what, name, &types);
        }
        Value::Seq(items) => {
            if !types.contains(&JsonType::Array) {
                add(judging, report, node.span(), "a list".into(), name, &types);
                return;
            }
            if let Some(item_schema) = schema
                .items()
                .or_else(|| schema.all_of().find_map(SchemaNode::items))
            {
                for item in items {
                    check(judging, item, item_schema, name, report, depth + 1);
                }
            }
        }
        // `Rain::Embed: file` and the like: a preprocessor puts the value there.
        Value::Map(entries) if entries.len() == 1 && entries[0].key.text.contains("::") => {}
        Value::Map(_) => {
            if !types.contains(&JsonType::Object) {
                add(
                    judging,
                    report,
                    node.span(),
                    "an object".into(),
                    name,
                    &types,
                );
            }
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn check_call<'a>(
    judging: &mut Judging<'_, 'a>,
    node: &'a Node,
    call: Intrinsic<'a>,
    schema: SchemaNode,
    types: &[JsonType],
    name: &str,
    report: &mut Report,
    depth: usize,
) {
    match call {
        Intrinsic::If {
            when_true,
            when_false,
            ..
        } => {
            for branch in [when_true, when_false] {
                if !is_no_value(branch) {
                    check(judging, branch, schema, name, report, depth + 1);
                }
            }
        }
        Intrinsic::Ref(target) if judging.template.parameter(target.name).is_some() => {
            let output = judging.template.output_type(node);
            if output.is(ValueType::List) {
                if !output_fits(ValueType::List, types) {
                    let parameter = target.name;
                    let key = judging.template.parameter(parameter).map(|p| p.key_span);
                    let what = format!("the list parameter `{parameter}`");
                    if let Some(finding) = add(judging, report, node.span(), what, name, types) {
                        if let Some(key) = key {
                            finding.also(key, "a list parameter");
                        }
                    }
                }
                return;
            }
            let Some(candidates) = judging.template.candidates(node) else {
                return;
            };
            for candidate in candidates {
                let value = candidate.node;
                if value.as_scalar().is_none() || value.is_null() {
                    continue;
                }
                if scalar_fits(value, types) {
                    continue;
                }
                let what = format!("`{}`", value.as_scalar().unwrap_or_default());
                if let Some(finding) = add(judging, report, value.span(), what, name, types) {
                    finding.also(node.span(), parameter_use_label(name));
                }
            }
        }
        _ => {
            let output = judging.template.output_type_with(node, judging.attributes);
            if output.is_unknown() || output == Types::NONE {
                return;
            }
            let possible: Vec<ValueType> = [
                ValueType::String,
                ValueType::List,
                ValueType::Number,
                ValueType::Boolean,
                ValueType::Object,
            ]
            .into_iter()
            .filter(|v| output.may_be(*v))
            .collect();
            if possible.iter().any(|v| output_fits(*v, types)) {
                return;
            }
            if let Some(single) = output.single() {
                let how = match &call {
                    Intrinsic::GetAtt(getatt) => match getatt.attribute {
                        Some(attribute) => {
                            format!("{} `{}.{attribute}`", call.name(), getatt.resource)
                        }
                        None => call.name().to_string(),
                    },
                    _ => call.name().to_string(),
                };
                let what = format!("{} ({how})", value_type_name(single));
                add(judging, report, node.span(), what, name, types);
            }
        }
    }
}

impl Check for Rule {
    fn walker(&self) -> Option<Box<dyn ResourceWalker>> {
        Judge::boxed(judge)
    }
}

/// Judges one object of a resource's `Properties`.
fn judge<'a>(judging: &mut Judging<'_, 'a>, object: &Object<'a>, report: &mut Report) {
    let type_name = judging.resource.type_name;
    for (entry, property) in object.entries_with_definite_schema() {
        let name = entry.key.text.as_str();
        let packaged = object.path.is_empty()
            && PACKAGED.contains(&(type_name, name))
            && entry.value.as_str().is_some();
        if packaged || WIDER.contains(&(type_name, name)) {
            continue;
        }
        check(judging, &entry.value, property, name, report, 0);
    }
}
