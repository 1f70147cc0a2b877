//! Whether a template is the whole of what CloudFormation will see, or something a
//! tool or macro still rewrites: the rules that judge a template's structure stay
//! silent on the latter.

use crate::document::{Node, Value};

use super::template::Template;

/// The transforms whose effect stacklint understands.
pub const UNDERSTOOD_TRANSFORMS: &[&str] =
    &["AWS::Serverless-2016-10-31", "AWS::LanguageExtensions"];

/// Why a file is not a whole template.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Partial {
    /// A `Transform` names a macro other than SAM and `AWS::LanguageExtensions`, or an
    /// `Fn::Transform` rewrites a section or the root in place: the macro may add or
    /// remove anything.
    UnknownTransform,
    /// A Rain module, or a template that uses Rain modules: a top-level `Modules`
    /// section, a resource whose `Type` is `!Rain::Module path` (or a path to a module
    /// file), a resource named `ModuleExtension` or with `Metadata.Extends`, or a
    /// resource with `Overrides` (how a parent sets a module's properties).
    RainModule,
    /// A Serverless Framework `resources:` block kept in a file of its own: nothing at
    /// the top but `Resources`/`Outputs`/`Conditions`, and Serverless variables
    /// (`${self:...}`, `${opt:...}`, `${sls:...}`, `${file(...)}`, ...) in its values.
    /// The framework merges it into the template it generates.
    ServerlessFrameworkResources,
}

/// Serverless Framework variable sources, as they start a `${...}` expression.
const SERVERLESS_VARIABLES: &[&str] = &[
    "${self:",
    "${opt:",
    "${sls:",
    "${file(",
    "${env:",
    "${param:",
    "${cf:",
    "${cf.",
    "${ssm:",
    "${s3:",
    "${aws:",
    "${strToBool(",
];

impl<'a> Template<'a> {
    /// Whether the `Transform` section asks only for transforms stacklint understands
    /// (no section means none).
    pub fn transforms_understood(&self) -> bool {
        let Some(transform) = self.section("Transform") else {
            return true;
        };
        let known = |node: &Node| {
            node.as_str()
                .is_some_and(|name| UNDERSTOOD_TRANSFORMS.contains(&name))
        };
        if transform.as_str().is_some() {
            return known(transform);
        }
        match transform.as_seq() {
            Some(items) => items.iter().all(known),
            None => false,
        }
    }

    /// Whether the template names `transform` in its `Transform` section.
    pub fn declares_transform(&self, transform: &str) -> bool {
        self.section("Transform").is_some_and(|node| {
            node.as_str() == Some(transform)
                || node.iter_seq().any(|n| n.as_str() == Some(transform))
        })
    }

    /// Whether a macro may add sections, resources or outputs in place
    /// (`Fn::Transform` at the root or directly in a section).
    pub fn has_inline_transform(&self) -> bool {
        [
            "Resources",
            "Outputs",
            "Conditions",
            "Parameters",
            "Mappings",
        ]
        .iter()
        .any(|section| match self.section(section) {
            Some(node) => {
                node.iter_map().any(|e| e.key.text == "Fn::Transform") || node.intrinsic().is_some()
            }
            None => false,
        }) || self.root.iter_map().any(|e| e.key.text == "Fn::Transform")
    }

    /// Why the file is not a whole template, if it is not (see [`Partial`]).
    pub fn partial(&self) -> Option<Partial> {
        *self.partial.get_or_init(|| self.find_partial())
    }

    fn find_partial(&self) -> Option<Partial> {
        if !self.transforms_understood() || self.has_inline_transform() {
            return Some(Partial::UnknownTransform);
        }
        if self.root.get("Modules").is_some()
            || self.resources.iter().any(|r| {
                r.id == "ModuleExtension"
                    || r.type_node.is_some_and(is_module_type)
                    || r.node.get("Overrides").is_some()
                    || r.node.path(&["Metadata", "Extends"]).is_some()
            })
        {
            return Some(Partial::RainModule);
        }
        let fragment_shaped = self
            .root
            .iter_map()
            .all(|e| matches!(e.key.text.as_str(), "Resources" | "Outputs" | "Conditions"));
        if fragment_shaped && holds_serverless_variable(self.root) {
            return Some(Partial::ServerlessFrameworkResources);
        }
        None
    }

    /// Whether `AWS::LanguageExtensions` loops (`Fn::ForEach::*` keys) appear anywhere.
    pub fn has_foreach(&self) -> bool {
        *self.has_foreach.get_or_init(|| self.find_foreach())
    }

    fn find_foreach(&self) -> bool {
        let mut found = false;
        self.root.walk(|node| {
            if !found {
                found = node
                    .iter_map()
                    .any(|e| e.key.text.starts_with("Fn::ForEach::"));
            }
        });
        found
    }
}

/// A Rain module reference in place of a resource type: `!Rain::Module path` (JSON:
/// `{"Rain::Module": path}`), or a path to a module file.
fn is_module_type(node: &Node) -> bool {
    if node.get("Rain::Module").is_some() || node.get("!Rain::Module").is_some() {
        return true;
    }
    node.as_str().is_some_and(|text| {
        text.contains('/')
            || [".yml", ".yaml", ".json"]
                .iter()
                .any(|suffix| text.ends_with(suffix))
    })
}

fn holds_serverless_variable(root: &Node) -> bool {
    let mut found = false;
    root.walk(|node| {
        if found {
            return;
        }
        if let Value::Scalar(text) = &node.value {
            found = crate::text::holds_placeholder(text)
                && SERVERLESS_VARIABLES.iter().any(|v| text.contains(v));
        }
    });
    found
}
