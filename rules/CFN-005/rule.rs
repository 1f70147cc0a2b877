//! ## What it finds
//! An `Fn::FindInMap` whose map name or key cannot exist:
//! - a map name that is not under `Mappings`;
//! - a top-level key the map does not have;
//! - a second-level key the chosen entry does not have or, when the top-level key is
//!   not known (`!Ref AWS::Region`), that no entry of the map has.
//!
//! Keys are judged as written and, for `Ref` to a parameter, by each of its `Default`
//! and `AllowedValues` (the finding then points at the `Ref` and names the value);
//! each branch of an `Fn::If` is judged on its own. The finding underlines the key.
//!
//! ## Why it matters
//! `Fn::FindInMap` returns the value of a key in a two-level map declared in the
//! `Mappings` section; a key that is not there fails the stack operation
//! ("Template error: Unable to get mapping for Map::Key::Key") — for a parameter
//! value, as soon as someone deploys with that value. With `AWS::LanguageExtensions`,
//! a fourth argument `{DefaultValue: ...}` gives a fallback: such lookups are not
//! reported.
//!
//! Keys given by pseudo parameters, parameters without `Default` or `AllowedValues`,
//! other functions or `Fn::ForEach` placeholders are unknown and not judged; nor are
//! templates that a macro rewrites.

use crate::model::eval::{Intrinsic, MapLevel, MissingKey};
use crate::prelude::*;
use crate::suggest::closest;

pub const META: RuleMeta = RuleMeta {
    code: "CFN-005",
    name: "mapping-key-not-found",
    severity: Severity::Error,
    kinds: &[FileKind::Template],
    summary: "An Fn::FindInMap names a map or key that the Mappings section does not have.",
    source: "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-findinmap.html",
};

pub struct Rule;

impl Check for Rule {
    fn template(&self, template: &Template, report: &mut Report) {
        if template.partial().is_some() {
            return;
        }
        for section in ["Resources", "Outputs", "Globals", "Conditions"] {
            let Some(root) = template.section(section) else {
                continue;
            };
            root.walk(|node| {
                if let Some(lookup) = Intrinsic::find_in_map_of(node) {
                    for missing in template.missing_map_keys(&lookup) {
                        report_missing(template, &missing, report);
                    }
                }
            });
        }
    }
}

fn report_missing(template: &Template, missing: &MissingKey, report: &mut Report) {
    let key = missing.key;
    let map = missing.map;
    let (message, label) = match (missing.level, missing.top_key) {
        (MapLevel::Map, _) => (
            format!("`Mappings` has no map `{key}`"),
            "no such map".to_string(),
        ),
        (MapLevel::TopKey, _) => (
            format!("map `{map}` has no top-level key `{key}`"),
            "no such top-level key".to_string(),
        ),
        (MapLevel::SecondKey, Some(top)) => (
            format!("entry `{top}` of map `{map}` has no key `{key}`"),
            format!("not a key of `{top}`"),
        ),
        (MapLevel::SecondKey, None) => (
            format!("no entry of map `{map}` has a second-level key `{key}`"),
            "no entry has this key".to_string(),
        ),
    };
    let finding = report.add(missing.node.span(), message);
    match missing.origin {
        Origin::Literal => {
            finding.label(label);
        }
        Origin::Parameter(parameter) => {
            let name = template
                .parameters
                .iter()
                .find(|p| p.key_span == parameter)
                .map_or("", |p| p.name);
            finding
                .label(format!("{label} (`{key}`, from parameter `{name}`)"))
                .also(parameter, format!("`{key}` is a value of this parameter"));
        }
    }
    match closest(key, missing.defined.iter().copied()) {
        Some(similar) => {
            finding.help(format!("did you mean `{similar}`?"));
        }
        None if missing.defined.is_empty() => {
            finding.help("add the key to `Mappings`, or fix the name");
        }
        None => {
            let mut defined: Vec<&str> = missing.defined.iter().copied().take(8).collect();
            defined.sort_unstable();
            let more = if missing.defined.len() > 8 {
                ", ..."
            } else {
                ""
            };
            finding.help(format!(
                "the keys there are {}{more}; add `{key}` or use one of them",
                defined
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
    }
}
