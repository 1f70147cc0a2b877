//! ## What it finds
//! A property the resource type's schema requires is absent: at the top of
//! `Properties` (an `AWS::Lambda::Function` without `Role`, a resource without
//! `Properties` at all) or inside a nested object (a `VersioningConfiguration` without
//! `Status`). A property written but removed in every case also counts: `Ref:
//! AWS::NoValue`, an `Fn::If` whose branches all remove it, or a null (`Role:` with
//! nothing after it), which gives the property no value. One branch that removes
//! it is not reported (the condition decides).
//!
//! For SAM resources, a property given in the matching `Globals` section is present.
//! Requirements that are combinations (exactly one of, at least one of) are not this
//! rule's (they are SCHEMA-010's). Silent for values given by other intrinsic functions,
//! maps holding `Fn::Transform`, templates with macros other than SAM and
//! `AWS::LanguageExtensions`, custom resources, modules and third-party types.
//!
//! ## Why it matters
//! CloudFormation validates `Properties` against the type's resource schema and fails
//! the stack operation ("Properties validation failed ... required key [Role] not
//! found"), often only after other resources were created and must be rolled back.

use crate::model::eval::{is_no_value, Intrinsic};
use crate::prelude::*;
use crate::schema::walk::{Object, Step};

pub const META: RuleMeta = RuleMeta {
    code: "SCHEMA-003",
    name: "missing-required-property",
    severity: Severity::Error,
    kinds: &[FileKind::Template],
    summary: "A property the resource type's schema requires is absent.",
    source:
        "https://docs.aws.amazon.com/cloudformation-cli/latest/userguide/resource-type-schema.html",
};

pub struct Rule;

/// Whether the value removes its key in every case (`AWS::NoValue`, in all branches,
/// or a null: `Key:` with nothing after it).
fn always_absent(node: &Node) -> bool {
    if node.is_null() {
        return true;
    }
    if is_no_value(node) {
        return true;
    }
    match Intrinsic::of(node) {
        Some(Intrinsic::If {
            when_true,
            when_false,
            ..
        }) => always_absent(when_true) && always_absent(when_false),
        _ => false,
    }
}

/// Reports `name` if the object's schema requires it and it is missing or removed in
/// every case.
fn check(object: &Object, name: &str, resource: &Resource, report: &mut Report) {
    let own = object.node.entry(name);
    let from_globals = object.globals.and_then(|g| g.entry(name));
    let removed = match (own, from_globals) {
        (Some(entry), _) if !always_absent(&entry.value) => return,
        (None, Some(entry)) if !always_absent(&entry.value) => return,
        (Some(entry), _) => Some(entry),
        (None, _) => None,
    };
    let place = if object.path.is_empty() {
        String::new()
    } else {
        format!(" in `{}`", object.path.join("."))
    };
    let span = removed.map_or(object.anchor, |e| e.key.span);
    let finding = report.add(
        span,
        format!(
            "`{}` (`{}`) has no `{name}`{place}, which the type requires",
            resource.id, resource.type_name
        ),
    );
    if removed.is_some_and(|e| e.value.is_null()) {
        finding.label(format!("`{name}` is null"));
    } else if removed.is_some() {
        finding.label(format!("`{name}` is removed in every case"));
    } else {
        finding.label(format!("`{name}` missing"));
    }
    finding.help(format!("add `{name}`"));
}

impl Check for Rule {
    fn walker(&self) -> Option<Box<dyn ResourceWalker>> {
        Some(Box::new(Walker))
    }
}

struct Walker;

impl ResourceWalker for Walker {
    fn resource(&mut self, step: &Step, report: &mut Report) {
        let (resource, schema) = (step.resource, step.schema);
        if resource.properties.is_none() {
            let required: Vec<&str> = schema
                .required()
                .filter(|name| resource.prop(name).is_none())
                .collect();
            if required.is_empty() {
                return;
            }
            let list: Vec<String> = required.iter().map(|n| format!("`{n}`")).collect();
            let finding = report.add(
                resource.anchor(),
                format!(
                    "`{}` (`{}`) has no `Properties`, but the type requires {}",
                    resource.id,
                    resource.type_name,
                    list.join(", ")
                ),
            );
            finding
                .label("no Properties")
                .help(format!("add `Properties` with {}", list.join(", ")));
            return;
        }
        for object in step.objects {
            object.each_required(|name| check(object, name, resource, report));
        }
    }
}
