//! ## What it finds
//! A definition nothing in the template uses:
//! - a parameter that no `Ref`, `${Name}` in an `Fn::Sub`, or `Rules` assertion names
//!   (listing it in `AWS::CloudFormation::Interface` metadata is not a use);
//! - a mapping that no `Fn::FindInMap` names;
//! - a condition that no resource or output `Condition`, `Fn::If`, or other
//!   condition (`Condition: Name` inside `Fn::And`/`Fn::Or`/`Fn::Not`) names.
//!
//! Each finding points at the definition's name.
//!
//! ## Why it matters
//! CloudFormation accepts unused definitions, but they mislead: an unused parameter
//! is still asked for at every deployment (and a required one without `Default` must
//! be given a value that changes nothing), an unused condition suggests that a resource
//! is conditional when it is not, and an unused mapping is dead data. Most often the
//! definition is the trace of a reference that was meant to be there: a property that
//! should read the parameter but was hard-coded.
//!
//! References are the evaluator's (`Template::each_template_reference`), through every intrinsic
//! function and both branches of `Fn::If`. The rule stays silent on what the template
//! does not decide: templates that a macro still rewrites (any `Transform` other than
//! SAM and `AWS::LanguageExtensions`, `Fn::Transform`), Rain modules and Serverless
//! Framework files, templates with `Fn::ForEach` loops (names can be built from loop
//! variables) or an `Fn::Transform` anywhere (a macro may read any parameter), and mappings when some `Fn::FindInMap` computes its map name. The AWS
//! pages: parameters
//! <https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html>,
//! mappings
//! <https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/mappings-section-structure.html>,
//! conditions
//! <https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/conditions-section-structure.html>.

use std::collections::HashSet;

use crate::model::eval::{Intrinsic, RefKind};
use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "CFN-007",
    name: "unused-definition",
    severity: Severity::Warning,
    kinds: &[FileKind::Template],
    summary: "A parameter, mapping or condition that nothing in the template uses.",
    source: "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html",
};

pub struct Rule;

/// What a walk of every node finds: whether an `Fn::Transform` appears anywhere (a
/// macro may read parameters the template itself never references), and whether an
/// `Fn::FindInMap` outside `Parameters`, `Mappings` and `Metadata` computes its map
/// name (any mapping may then be used).
fn scan(root: &Node) -> (bool, bool) {
    let mut calls_macro = Intrinsic::is_transform(root);
    let mut computed_map_name = false;
    for entry in root.iter_map() {
        let looks_up = !matches!(
            entry.key.text.as_str(),
            "Parameters" | "Mappings" | "Metadata"
        );
        entry.value.walk(|node| {
            calls_macro |= Intrinsic::is_transform(node);
            if looks_up {
                if let Some(lookup) = Intrinsic::find_in_map_of(node) {
                    computed_map_name |= lookup.map.as_str().is_none();
                }
            }
        });
    }
    (calls_macro, computed_map_name)
}

impl Check for Rule {
    fn reference_walker<'t, 'a>(
        &self,
        template: &'t Template<'a>,
    ) -> Option<Box<dyn ReferenceWalker<'a> + 't>> {
        if template.partial().is_some() || template.has_foreach() {
            return None;
        }
        // The whole-tree scan waits for `finish`: a walker declined here would be asked
        // for again (the lint then runs the rule's `template`, whose default asks).
        let mut walker = Walker {
            template,
            values: HashSet::new(),
            mappings: HashSet::new(),
            conditions: HashSet::new(),
        };
        // `Condition:` attributes of resources and outputs.
        let outputs = template
            .section("Outputs")
            .into_iter()
            .flat_map(|o| o.iter_map().map(|e| &e.value));
        for node in template.resources.iter().map(|r| r.node).chain(outputs) {
            if let Some(name) = node.get("Condition").and_then(Node::as_str) {
                walker.conditions.insert(name);
            }
        }
        Some(Box::new(walker))
    }
}

/// The names the template uses, by kind.
struct Walker<'t, 'a> {
    template: &'t Template<'a>,
    values: HashSet<&'a str>,
    mappings: HashSet<&'a str>,
    conditions: HashSet<&'a str>,
}

impl<'a> ReferenceWalker<'a> for Walker<'_, 'a> {
    fn reference(&mut self, _site: Site<'a>, reference: Reference<'a>) {
        match reference.kind {
            RefKind::Ref | RefKind::SubRef => {
                self.values.insert(reference.name);
            }
            RefKind::Mapping => {
                self.mappings.insert(reference.name);
            }
            RefKind::IfCondition | RefKind::Condition => {
                self.conditions.insert(reference.name);
            }
            RefKind::GetAtt | RefKind::SubGetAtt => {}
        }
    }

    fn finish(&mut self, report: &mut Report) {
        let template = self.template;
        let (calls_macro, computed_map_name) = scan(template.root);
        if calls_macro {
            return;
        }
        let Walker {
            values,
            mappings,
            conditions,
            ..
        } = self;
        for parameter in &template.parameters {
            if values.contains(parameter.name) {
                continue;
            }
            report
                .add(parameter.key_span, format!("parameter `{}` is never used", parameter.name))
                .label("unused parameter")
                .help(format!(
                    "reference it (`!Ref {}`) where its value is meant to go, or remove it: every deployment still asks for it",
                    parameter.name
                ));
        }
        if !computed_map_name {
            for entry in template
                .section("Mappings")
                .into_iter()
                .flat_map(Node::iter_map)
            {
                if mappings.contains(entry.key.text.as_str()) {
                    continue;
                }
                report
                    .add(entry.key.span, format!("mapping `{}` is never used", entry.key.text))
                    .label("unused mapping")
                    .help(format!(
                        "look it up (`!FindInMap [{}, key, key]`) where it is meant to be used, or remove it",
                        entry.key.text
                    ));
            }
        }
        for entry in template
            .section("Conditions")
            .into_iter()
            .flat_map(Node::iter_map)
        {
            if conditions.contains(entry.key.text.as_str()) {
                continue;
            }
            report
                .add(entry.key.span, format!("condition `{}` is never used", entry.key.text))
                .label("unused condition")
                .help(format!(
                    "use it (`Condition: {}` on a resource or output, or in `Fn::If`), or remove it",
                    entry.key.text
                ));
        }
    }
}
