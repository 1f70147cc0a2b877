//! A CloudFormation or SAM template.

use std::cell::OnceCell;
use std::collections::HashMap;
use std::path::Path;

use crate::document::{Entry, Node};
use crate::source::Span;

/// Pseudo parameters: `Ref`s to these need no definition.
pub const PSEUDO_PARAMETERS: &[&str] = &[
    "AWS::AccountId",
    "AWS::NotificationARNs",
    "AWS::NoValue",
    "AWS::Partition",
    "AWS::Region",
    "AWS::StackId",
    "AWS::StackName",
    "AWS::URLSuffix",
];

pub struct Template<'a> {
    pub root: &'a Node,
    pub path: &'a Path,
    /// Declared `Transform: AWS::Serverless-2016-10-31`, or holds `AWS::Serverless::*`.
    pub is_sam: bool,
    pub parameters: Vec<Parameter<'a>>,
    pub resources: Vec<Resource<'a>>,
    /// Bytes of the template body as read (the file, or standard input); the parsed
    /// extent until the linter sets it.
    pub body_size: u64,
    /// The regions the template is deployed to (`--regions`, `regions:`); empty: any.
    pub regions: &'a [String],
    /// Logical id → index in `resources`.
    by_id: HashMap<&'a str, usize>,
    /// Resource type → indexes in `resources`, in document order.
    by_type: HashMap<&'a str, Vec<usize>>,
    /// The file's text, when known: the evaluator maps spans inside escaped and block
    /// scalars through it (rules never read it).
    pub(crate) source: Option<&'a str>,
    /// What [`partial`](Self::partial) and [`has_foreach`](Self::has_foreach) answer,
    /// worked out on first use: many rules ask, and each answer walks the template.
    pub(super) partial: OnceCell<Option<super::completeness::Partial>>,
    pub(super) has_foreach: OnceCell<bool>,
}

pub struct Parameter<'a> {
    pub name: &'a str,
    pub key_span: Span,
    pub node: &'a Node,
    pub default: Option<&'a Node>,
    pub allowed_values: Option<&'a Node>,
}

pub struct Resource<'a> {
    pub id: &'a str,
    /// The logical id as written (the mapping key).
    pub id_span: Span,
    pub node: &'a Node,
    pub type_name: &'a str,
    pub type_node: Option<&'a Node>,
    pub properties: Option<&'a Node>,
    /// For SAM resources, the `Globals` section that applies to this type.
    pub globals: Option<&'a Node>,
}

impl<'a> Template<'a> {
    pub fn new(root: &'a Node, path: &'a Path) -> Self {
        let parameters = root
            .get("Parameters")
            .map(|params| {
                params
                    .iter_map()
                    .map(|entry| Parameter {
                        name: &entry.key.text,
                        key_span: entry.key.span,
                        node: &entry.value,
                        default: entry.value.get("Default"),
                        allowed_values: entry.value.get("AllowedValues"),
                    })
                    .collect()
            })
            .unwrap_or_default();
        let globals = root.get("Globals");
        let resources: Vec<Resource<'a>> = root
            .get("Resources")
            .map(|resources| {
                resources
                    .iter_map()
                    .map(|entry| Resource::new(entry, globals))
                    .collect()
            })
            .unwrap_or_default();
        let mut by_id = HashMap::with_capacity(resources.len());
        let mut by_type: HashMap<&'a str, Vec<usize>> = HashMap::new();
        for (index, resource) in resources.iter().enumerate() {
            by_id.insert(resource.id, index);
            by_type.entry(resource.type_name).or_default().push(index);
        }
        let is_sam = declares_sam_transform(root)
            || resources
                .iter()
                .any(|r| r.type_name.starts_with("AWS::Serverless::"));
        Template {
            root,
            path,
            body_size: root.span().end() as u64,
            regions: &[],
            is_sam,
            parameters,
            resources,
            by_id,
            by_type,
            source: None,
            partial: OnceCell::new(),
            has_foreach: OnceCell::new(),
        }
    }

    /// The same template, knowing the file's text (for exact spans inside `Fn::Sub`
    /// strings written with escapes or as block scalars).
    pub fn with_source(mut self, source: &'a str) -> Self {
        self.source = Some(source);
        self
    }

    pub fn resource(&self, id: &str) -> Option<&Resource<'a>> {
        self.resource_index(id).map(|i| &self.resources[i])
    }

    /// Where the resource `id` is in [`resources`](Self::resources).
    pub fn resource_index(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// Resources of one type, in document order.
    pub fn resources_of_type<'t>(
        &'t self,
        type_name: &str,
    ) -> impl Iterator<Item = &'t Resource<'a>> + 't {
        self.by_type
            .get(type_name)
            .map(Vec::as_slice)
            .unwrap_or(&[])
            .iter()
            .map(move |&i| &self.resources[i])
    }

    /// Resources of any of several types, in document order (from the type index, not
    /// a scan of every resource).
    pub fn resources_of_types<'t>(
        &'t self,
        types: &'t [&str],
    ) -> impl Iterator<Item = &'t Resource<'a>> + 't {
        let mut indexes: Vec<usize> = types
            .iter()
            .filter_map(|t| self.by_type.get(t))
            .flatten()
            .copied()
            .collect();
        indexes.sort_unstable();
        indexes.dedup();
        indexes.into_iter().map(move |i| &self.resources[i])
    }

    pub fn parameter(&self, name: &str) -> Option<&Parameter<'a>> {
        self.parameters.iter().find(|p| p.name == name)
    }

    /// The template's top-level section, when present.
    pub fn section(&self, name: &str) -> Option<&'a Node> {
        self.root.get(name)
    }
}

fn declares_sam_transform(root: &Node) -> bool {
    let Some(transform) = root.get("Transform") else {
        return false;
    };
    let is_sam = |node: &Node| node.as_str() == Some("AWS::Serverless-2016-10-31");
    is_sam(transform) || transform.iter_seq().any(is_sam)
}

/// The `Globals` section that applies to a SAM resource type.
fn globals_section(type_name: &str) -> Option<&'static str> {
    Some(match type_name {
        "AWS::Serverless::Function" => "Function",
        "AWS::Serverless::Api" => "Api",
        "AWS::Serverless::HttpApi" => "HttpApi",
        "AWS::Serverless::SimpleTable" => "SimpleTable",
        "AWS::Serverless::StateMachine" => "StateMachine",
        "AWS::Serverless::LayerVersion" => "LayerVersion",
        "AWS::Serverless::CapacityProvider" => "CapacityProvider",
        _ => return None,
    })
}

impl<'a> Resource<'a> {
    fn new(entry: &'a Entry, globals: Option<&'a Node>) -> Self {
        let type_node = entry.value.get("Type");
        let type_name = type_node.and_then(Node::as_str).unwrap_or("");
        Resource {
            id: &entry.key.text,
            id_span: entry.key.span,
            node: &entry.value,
            type_name,
            type_node,
            properties: entry.value.get("Properties"),
            globals: globals_section(type_name).and_then(|section| globals?.get(section)),
        }
    }

    /// A property, falling back to SAM `Globals` for SAM resources.
    pub fn prop(&self, name: &str) -> Option<&'a Node> {
        self.own_prop(name)
            .or_else(|| self.globals.and_then(|g| g.get(name)))
    }

    /// A property as written on the resource itself (no `Globals`).
    pub fn own_prop(&self, name: &str) -> Option<&'a Node> {
        self.properties.and_then(|p| p.get(name))
    }

    /// The items of a list property, falling back to `Globals`; none when the property
    /// is absent or not a written list.
    pub fn prop_items(&self, name: &str) -> impl Iterator<Item = &'a Node> {
        self.prop(name).into_iter().flat_map(Node::iter_seq)
    }

    /// The items of a list property as written on the resource itself (no `Globals`).
    pub fn own_prop_items(&self, name: &str) -> impl Iterator<Item = &'a Node> {
        self.own_prop(name).into_iter().flat_map(Node::iter_seq)
    }

    /// The entries of a map property as written on the resource itself (no `Globals`);
    /// none when the property is absent or not a written map.
    pub fn own_prop_entries(&self, name: &str) -> impl Iterator<Item = &'a Entry> {
        self.own_prop(name).into_iter().flat_map(Node::iter_map)
    }

    /// A property's entry (key and value), falling back to `Globals`.
    pub fn prop_entry(&self, name: &str) -> Option<&'a Entry> {
        self.properties
            .and_then(|p| p.entry(name))
            .or_else(|| self.globals.and_then(|g| g.entry(name)))
    }

    /// A nested property path, e.g. `["DestinationConfig", "OnFailure"]`.
    pub fn prop_path(&self, path: &[&str]) -> Option<&'a Node> {
        let (first, rest) = path.split_first()?;
        self.prop(first)?.path(rest)
    }

    /// Whether the properties are written so that a property's absence can be decided
    /// (no `Properties: !If ...` or similar).
    pub fn properties_are_literal(&self) -> bool {
        match self.properties {
            None => true,
            Some(props) => props.as_map().is_some() && props.intrinsic().is_none(),
        }
    }

    /// Where to point when the problem is the resource as a whole: its `Type` value.
    pub fn anchor(&self) -> Span {
        self.type_node.map_or(self.id_span, |t| t.span())
    }
}
