//! ## What it finds
//! A string in `Resources` or `Outputs`, not inside `Fn::Sub`, that holds `${Name}` or
//! `${Name.Attribute}` where `Name` is a parameter, a resource or a pseudo parameter
//! (`${AWS::Region}`) of the template.
//!
//! ## Why it matters
//! Only `Fn::Sub` substitutes `${...}` variables: anywhere else the text is passed on
//! as written, so a bucket policy gets the resource `arn:aws:s3:::${Bucket}/*`
//! literally and a tag reads `${Environment}`. CloudFormation does not complain; the
//! stack deploys with the wrong value. The usual cause is a `!Sub` forgotten in front
//! of the string, or a `!Join` piece written as if it were inside `!Sub`.
//!
//! Not reported, because something else substitutes the variables:
//! - resources with `DefinitionSubstitutions` (Step Functions state machines, SAM
//!   `AWS::Serverless::StateMachine`), whose definitions use `${Name}` for their own
//!   substitution map;
//! - `TemplateBody` strings (a stack set's template, substituted when it is deployed);
//! - the bodies of `Fn::ForEach` loops with `AWS::LanguageExtensions` (the loop
//!   substitutes its identifier), and arguments of `Fn::Transform` (a macro decides);
//! - `${...}` whose name is neither a parameter, a resource nor a pseudo parameter
//!   (shell variables, `${stageVariables.x}`, ...); templates a macro rewrites.

use crate::model::eval::is_for_each_key;
use crate::model::PSEUDO_PARAMETERS;
use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "CFN-012",
    name: "sub-variable-outside-sub",
    severity: Severity::Warning,
    kinds: &[FileKind::Template],
    summary: "A plain string holds ${Name} for a template name: without Fn::Sub it is literal text.",
    source: "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-sub.html",
};

pub struct Rule;

impl Check for Rule {
    fn template(&self, template: &Template, report: &mut Report) {
        if template.partial().is_some() {
            return;
        }
        let mut roots: Vec<&Node> = Vec::new();
        for resource in &template.resources {
            if resource.prop("DefinitionSubstitutions").is_some() || is_for_each_key(resource.id) {
                continue;
            }
            roots.push(resource.node);
        }
        if let Some(outputs) = template.section("Outputs") {
            roots.push(outputs);
        }
        for root in roots {
            let mut stack = vec![root];
            while let Some(node) = stack.pop() {
                match template.expanding_call(node) {
                    Some(Ok(Intrinsic::Sub(sub))) => {
                        // The string is substituted; the values of its map are not.
                        if let Some(map) = sub.variables {
                            stack.extend(map.iter_map().map(|e| &e.value));
                        }
                        continue;
                    }
                    Some(Ok(Intrinsic::Transform(_) | Intrinsic::ForEach(_))) => continue,
                    Some(Err(problem)) if problem.is_sub() => continue,
                    _ => {}
                }
                match &node.value {
                    Value::Seq(items) => stack.extend(items.iter().rev()),
                    Value::Map(entries) => stack.extend(
                        entries
                            .iter()
                            .rev()
                            .filter(|e| {
                                !is_for_each_key(&e.key.text) && e.key.text != "TemplateBody"
                            })
                            .map(|e| &e.value),
                    ),
                    Value::Scalar(..) => check_string(template, node, report),
                }
            }
        }
    }
}

fn check_string(template: &Template, node: &Node, report: &mut Report) {
    for variable in template.sub_placeholders(node) {
        if !variable.is_name() {
            continue;
        }
        let name = variable.name;
        let what = if PSEUDO_PARAMETERS.contains(&variable.inner) {
            format!("`{}` is a pseudo parameter", variable.inner)
        } else if variable.attribute.is_some() && template.resource(name).is_some() {
            format!("`{name}` is a resource")
        } else if variable.attribute.is_none() && template.parameter(name).is_some() {
            format!("`{name}` is a parameter")
        } else if variable.attribute.is_none() && template.resource(name).is_some() {
            format!("`{name}` is a resource")
        } else {
            continue;
        };
        report
            .add(
                variable.span,
                format!(
                    "`${{{}}}` stays literal text: this string is not in `Fn::Sub`",
                    variable.inner
                ),
            )
            .label(format!("{what}, not substituted here"))
            .help(format!(
                "write the string as `!Sub '...'` (JSON: `{{\"Fn::Sub\": \"...\"}}`), or `${{!{}}}` if the text is meant literally",
                variable.inner
            ));
    }
}
