//! Lambda functions across `AWS::Lambda::Function` and `AWS::Serverless::Function`:
//! shared lookups for the LAM rules (timeouts with SAM `Globals` and defaults, event
//! sources, destinations).
//!
//! Every lookup answers only what the template decides; where a reference cannot be
//! followed the answer is `None` (or the item is left out), and rules stay silent.

use crate::document::Node;
use crate::source::Span;

use super::template::{Resource, Template};

/// The two function resource types.
pub const FUNCTION_TYPES: &[&str] = &["AWS::Lambda::Function", "AWS::Serverless::Function"];

/// Lambda's default function timeout, in seconds.
pub const DEFAULT_TIMEOUT: i64 = 3;
/// SQS's default queue visibility timeout, in seconds.
pub const DEFAULT_VISIBILITY_TIMEOUT: i64 = 30;

pub fn is_function(resource: &Resource) -> bool {
    FUNCTION_TYPES.contains(&resource.type_name)
}

/// Every function of the template, in document order.
pub fn functions<'t, 'a>(template: &'t Template<'a>) -> impl Iterator<Item = &'t Resource<'a>> {
    template.resources_of_types(FUNCTION_TYPES)
}

/// One value an integer setting may take, and where it was decided.
#[derive(Clone, Copy, Debug)]
pub struct Setting {
    pub value: i64,
    /// The value (or the `Ref` naming a parameter); `None` when the default applies.
    pub span: Option<Span>,
    /// The parameter that supplied the value, when one did.
    pub parameter: Option<Span>,
    /// The value came from SAM `Globals`.
    pub from_globals: bool,
}

/// The integers a property may take, with `default` when it is absent (or may be
/// absent through `AWS::NoValue`). `None` when any value is unknown.
fn integer_setting(
    template: &Template,
    node: Option<&Node>,
    default: i64,
    from_globals: bool,
) -> Option<Vec<Setting>> {
    let Some(node) = node else {
        return Some(vec![Setting {
            value: default,
            span: None,
            parameter: None,
            from_globals: false,
        }]);
    };
    let mut out: Vec<Setting> = template
        .candidates(node)?
        .into_iter()
        .map(|c| {
            let value = c.node.as_i64()?;
            let parameter = c.origin.parameter();
            Some(Setting {
                value,
                span: Some(c.span_at(node)),
                parameter,
                from_globals,
            })
        })
        .collect::<Option<_>>()?;
    if out.is_empty() || template.may_be_absent(node) {
        out.push(Setting {
            value: default,
            span: None,
            parameter: None,
            from_globals: false,
        });
    }
    Some(out)
}

/// A property of a function and whether it comes from SAM `Globals` (`true`) rather
/// than the function's own properties.
pub fn function_prop<'a>(function: &Resource<'a>, name: &str) -> Option<(&'a Node, bool)> {
    if let Some(own) = function.own_prop(name) {
        return Some((own, false));
    }
    if function.type_name == "AWS::Serverless::Function" {
        if let Some(global) = function.globals.and_then(|g| g.get(name)) {
            return Some((global, true));
        }
    }
    None
}

/// The timeouts a function may have (default 3 s, SAM `Globals` applied); `None` when
/// unknown or when the function's properties cannot be read.
pub fn timeouts(template: &Template, function: &Resource) -> Option<Vec<Setting>> {
    if !function.properties_are_literal() {
        return None;
    }
    match function_prop(function, "Timeout") {
        Some((node, from_globals)) => {
            integer_setting(template, Some(node), DEFAULT_TIMEOUT, from_globals)
        }
        None => integer_setting(template, None, DEFAULT_TIMEOUT, false),
    }
}

/// The visibility timeouts a queue may have (default 30 s).
pub fn visibility_timeouts(template: &Template, queue: &Resource) -> Option<Vec<Setting>> {
    if !queue.properties_are_literal() {
        return None;
    }
    integer_setting(
        template,
        queue.own_prop("VisibilityTimeout"),
        DEFAULT_VISIBILITY_TIMEOUT,
        false,
    )
}

/// The function a `FunctionName`/`Arn`/`Endpoint` value names: a `Ref`/`GetAtt` to the
/// function, to one of its aliases or versions (followed), SAM's `Fn.Alias`/`Fn.Version`,
/// or a literal name or ARN equal to a function's literal `FunctionName`.
pub fn function_of<'t, 'a>(template: &'t Template<'a>, node: &Node) -> Option<&'t Resource<'a>> {
    function_of_depth(template, node, 0)
}

fn function_of_depth<'t, 'a>(
    template: &'t Template<'a>,
    node: &Node,
    depth: usize,
) -> Option<&'t Resource<'a>> {
    if depth > 3 {
        return None;
    }
    if let Some(("Ref", arg)) = node.intrinsic() {
        if let Some(text) = arg.as_str() {
            for suffix in [".Alias", ".Version"] {
                if let Some(id) = text.strip_suffix(suffix) {
                    return template
                        .resource(id)
                        .filter(|r| r.type_name == "AWS::Serverless::Function");
                }
            }
        }
    }
    if let Some(resource) = template.referenced_resource(node) {
        if is_function(resource) {
            return Some(resource);
        }
        if matches!(
            resource.type_name,
            "AWS::Lambda::Alias" | "AWS::Lambda::Version"
        ) {
            return function_of_depth(template, resource.own_prop("FunctionName")?, depth + 1);
        }
        return None;
    }
    let text = node.as_str()?;
    if node.intrinsic().is_some() {
        return None;
    }
    let name = function_name_in(text);
    functions(template).find(|f| {
        f.own_prop("FunctionName")
            .and_then(|n| n.as_str())
            .is_some_and(|own| own == name)
    })
}

/// `name` from `name`, `name:qualifier` or `arn:...:function:name[:qualifier]`.
fn function_name_in(text: &str) -> &str {
    let rest = match text.find(":function:") {
        Some(at) => &text[at + ":function:".len()..],
        None => text,
    };
    rest.split(':').next().unwrap_or(rest)
}

/// Something that invokes a function asynchronously.
#[derive(Clone, Copy)]
pub struct AsyncInvoker<'t, 'a> {
    pub function: &'t Resource<'a>,
    /// What invokes it (`S3 bucket notification`, `SAM SNS event`, ...).
    pub kind: &'static str,
    /// Whether the trigger is an S3 event notification.
    pub is_s3: bool,
    /// Where the trigger names the function (or the SAM event's `Type`).
    pub span: Span,
}

const SAM_ASYNC_EVENTS: &[(&str, &str)] = &[
    ("S3", "SAM S3 event"),
    ("SNS", "SAM SNS event"),
    ("EventBridgeRule", "SAM EventBridgeRule event"),
    ("CloudWatchEvent", "SAM CloudWatchEvent event"),
    ("Schedule", "SAM Schedule event"),
    ("ScheduleV2", "SAM ScheduleV2 event"),
];

/// The asynchronous invokers of functions defined in this template.
pub fn async_invokers<'t, 'a>(template: &'t Template<'a>) -> Vec<AsyncInvoker<'t, 'a>> {
    let mut out = Vec::new();
    let push =
        |out: &mut Vec<AsyncInvoker<'t, 'a>>, target: &Node, kind: &'static str, is_s3: bool| {
            if let Some(function) = function_of(template, target) {
                out.push(AsyncInvoker {
                    function,
                    kind,
                    is_s3,
                    span: target.span(),
                });
            }
        };
    for bucket in template.resources_of_type("AWS::S3::Bucket") {
        let configs = bucket.own_prop("NotificationConfiguration");
        for config in configs
            .and_then(|c| c.get("LambdaConfigurations"))
            .into_iter()
            .flat_map(Node::iter_seq)
        {
            if let Some(target) = config.get("Function") {
                push(&mut out, target, "S3 bucket notification", true);
            }
        }
    }
    let is_lambda = |node: Option<&Node>| {
        node.and_then(|p| template.string(p))
            .is_some_and(|p| p.eq_ignore_ascii_case("lambda"))
    };
    for subscription in template.resources_of_type("AWS::SNS::Subscription") {
        if is_lambda(subscription.own_prop("Protocol")) {
            if let Some(target) = subscription.own_prop("Endpoint") {
                push(&mut out, target, "SNS subscription", false);
            }
        }
    }
    for topic in template.resources_of_type("AWS::SNS::Topic") {
        for sub in topic.own_prop_items("Subscription") {
            if is_lambda(sub.get("Protocol")) {
                if let Some(target) = sub.get("Endpoint") {
                    push(&mut out, target, "SNS subscription", false);
                }
            }
        }
    }
    for rule in template.resources_of_type("AWS::Events::Rule") {
        for target in rule.own_prop_items("Targets") {
            if let Some(arn) = target.get("Arn") {
                push(&mut out, arn, "EventBridge rule target", false);
            }
        }
    }
    for schedule in template.resources_of_type("AWS::Scheduler::Schedule") {
        if let Some(arn) = schedule.own_prop_path(&["Target", "Arn"]) {
            push(&mut out, arn, "EventBridge Scheduler target", false);
        }
    }
    for function in template.resources_of_type("AWS::Serverless::Function") {
        for event in function.own_prop_entries("Events") {
            let Some(type_node) = event.value.get("Type") else {
                continue;
            };
            let Some(kind) = type_node.as_str().and_then(|t| {
                SAM_ASYNC_EVENTS
                    .iter()
                    .find(|(name, _)| *name == t)
                    .map(|(_, kind)| *kind)
            }) else {
                continue;
            };
            out.push(AsyncInvoker {
                function,
                kind,
                is_s3: type_node.as_str() == Some("S3"),
                span: type_node.span(),
            });
        }
    }
    out
}

trait OwnPropPath<'a> {
    fn own_prop_path(&self, path: &[&str]) -> Option<&'a Node>;
}

impl<'a> OwnPropPath<'a> for Resource<'a> {
    fn own_prop_path(&self, path: &[&str]) -> Option<&'a Node> {
        let (first, rest) = path.split_first()?;
        self.own_prop(first)?.path(rest)
    }
}

/// An SQS queue feeding a function through an event source mapping.
#[derive(Clone, Copy)]
pub struct SqsSource<'t, 'a> {
    pub function: &'t Resource<'a>,
    /// The queue, when it is defined in this template.
    pub queue: Option<&'t Resource<'a>>,
    /// The queue ARN as written (`EventSourceArn` or the SAM event's `Queue`).
    pub arn: &'a Node,
    /// The mapping's settings: the ESM's `Properties` or the SAM event's `Properties`.
    pub settings: &'a Node,
    /// The `AWS::Lambda::EventSourceMapping` resource, or the SAM event's `Type`.
    pub anchor: Span,
}

/// Whether a literal ARN names an SQS queue.
fn is_sqs_arn(text: &str) -> bool {
    text.starts_with("arn:") && text.split(':').nth(2) == Some("sqs")
}

/// SQS event sources: SAM `Events` of `Type: SQS` and `AWS::Lambda::EventSourceMapping`s
/// whose `EventSourceArn` is a queue of this template or a literal SQS ARN, for functions
/// of this template.
pub fn sqs_sources<'t, 'a>(template: &'t Template<'a>) -> Vec<SqsSource<'t, 'a>> {
    let mut out = Vec::new();
    for mapping in template.resources_of_type("AWS::Lambda::EventSourceMapping") {
        let (Some(settings), Some(arn), Some(name)) = (
            mapping.properties,
            mapping.own_prop("EventSourceArn"),
            mapping.own_prop("FunctionName"),
        ) else {
            continue;
        };
        if !mapping.properties_are_literal() {
            continue;
        }
        let Some(function) = function_of(template, name) else {
            continue;
        };
        let queue = template
            .referenced_resource(arn)
            .filter(|q| q.type_name == "AWS::SQS::Queue");
        let literal_sqs = arn.intrinsic().is_none() && arn.as_str().is_some_and(is_sqs_arn);
        if queue.is_none() && !literal_sqs {
            continue;
        }
        out.push(SqsSource {
            function,
            queue,
            arn,
            settings,
            anchor: mapping.anchor(),
        });
    }
    for function in template.resources_of_type("AWS::Serverless::Function") {
        for event in function.own_prop_entries("Events") {
            let Some(type_node) = event.value.get("Type") else {
                continue;
            };
            if type_node.as_str() != Some("SQS") {
                continue;
            }
            let Some(settings) = event.value.get("Properties") else {
                continue;
            };
            let Some(arn) = settings.get("Queue") else {
                continue;
            };
            let queue = template
                .referenced_resource(arn)
                .filter(|q| q.type_name == "AWS::SQS::Queue");
            out.push(SqsSource {
                function,
                queue,
                arn,
                settings,
                anchor: type_node.span(),
            });
        }
    }
    out
}

/// Whether the function keeps failed asynchronous events: a dead-letter queue or an
/// on-failure destination (on the function, in SAM `Globals`, or on a separate
/// `AWS::Lambda::EventInvokeConfig`). `None` when undecidable (an `EventInvokeConfig`
/// whose `FunctionName` cannot be resolved, properties written through an intrinsic).
pub fn keeps_failed_events(template: &Template, function: &Resource) -> Option<bool> {
    if !function.properties_are_literal() {
        return None;
    }
    if function.own_prop("DeadLetterConfig").is_some() {
        return Some(true);
    }
    if function.type_name == "AWS::Serverless::Function" {
        if function.prop("DeadLetterQueue").is_some() {
            return Some(true);
        }
        if let Some(config) = function.prop("EventInvokeConfig") {
            if has_on_failure(config) {
                return Some(true);
            }
        }
    }
    let mut unknown = false;
    for config in template.resources_of_type("AWS::Lambda::EventInvokeConfig") {
        let Some(name) = config.own_prop("FunctionName") else {
            continue;
        };
        match function_of(template, name) {
            Some(target) if std::ptr::eq(target, function) => {
                let Some(props) = config.properties else {
                    continue;
                };
                if !config.properties_are_literal() || has_on_failure(props) {
                    return Some(true);
                }
            }
            Some(_) => {}
            None => unknown = true,
        }
    }
    if unknown {
        None
    } else {
        Some(false)
    }
}

/// `DestinationConfig.OnFailure` present (or `DestinationConfig` not a plain mapping).
fn has_on_failure(config: &Node) -> bool {
    if config.intrinsic().is_some() {
        return true;
    }
    match config.get("DestinationConfig") {
        None => false,
        Some(dest) if dest.intrinsic().is_some() => true,
        Some(dest) => dest.get("OnFailure").is_some(),
    }
}

/// An SQS queue of this template feeding a function, with the decisive timeouts: the
/// longest timeout the function may have and the shortest visibility timeout the queue
/// may have.
#[derive(Clone, Copy)]
pub struct QueueTimeouts<'t, 'a> {
    pub source: SqsSource<'t, 'a>,
    pub queue: &'t Resource<'a>,
    pub timeout: Setting,
    pub visibility: Setting,
}

/// For each SQS event source whose queue is in this template and whose timeouts are
/// known, the pair to compare (each function/queue pair once).
pub fn queue_timeouts<'t, 'a>(template: &'t Template<'a>) -> Vec<QueueTimeouts<'t, 'a>> {
    let mut out: Vec<QueueTimeouts<'t, 'a>> = Vec::new();
    for source in sqs_sources(template) {
        let Some(queue) = source.queue else {
            continue;
        };
        if out.iter().any(|p| {
            std::ptr::eq(p.queue, queue) && std::ptr::eq(p.source.function, source.function)
        }) {
            continue;
        }
        let (Some(timeouts), Some(visibilities)) = (
            timeouts(template, source.function),
            visibility_timeouts(template, queue),
        ) else {
            continue;
        };
        let (Some(timeout), Some(visibility)) = (
            timeouts.into_iter().max_by_key(|s| s.value),
            visibilities.into_iter().min_by_key(|s| s.value),
        ) else {
            continue;
        };
        out.push(QueueTimeouts {
            source,
            queue,
            timeout,
            visibility,
        });
    }
    out
}

/// Where a timeout comparison points: the visibility timeout (or the queue's `Type` when
/// the default applies) and the function's timeout (or its `Type` when the default
/// applies), with texts.
pub fn describe_queue_timeouts(pair: &QueueTimeouts) -> ((Span, String), Vec<(Span, String)>) {
    let visibility = &pair.visibility;
    let timeout = &pair.timeout;
    let primary = match visibility.span {
        Some(span) => (span, format!("VisibilityTimeout {} s", visibility.value)),
        None => (
            pair.queue.anchor(),
            format!(
                "no VisibilityTimeout: the default {} s applies",
                visibility.value
            ),
        ),
    };
    let mut also = Vec::new();
    if let Some(param) = visibility.parameter {
        also.push((
            param,
            "parameter setting the visibility timeout".to_string(),
        ));
    }
    match timeout.span {
        Some(span) if timeout.from_globals => also.push((
            span,
            format!(
                "function `{}` inherits Timeout {} s from Globals",
                pair.source.function.id, timeout.value
            ),
        )),
        Some(span) => also.push((
            span,
            format!(
                "Timeout {} s of function `{}`",
                timeout.value, pair.source.function.id
            ),
        )),
        None => also.push((
            pair.source.function.anchor(),
            format!(
                "function `{}` has the default Timeout {} s",
                pair.source.function.id, timeout.value
            ),
        )),
    }
    if let Some(param) = timeout.parameter {
        also.push((param, "parameter setting the function timeout".to_string()));
    }
    (primary, also)
}
