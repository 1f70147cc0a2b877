//! Walking a resource's `Properties` alongside its schema.
//!
//! Intrinsic functions are never taken for literal objects: the walk stops at them,
//! except `Fn::If`, whose two branches are walked each (an `AWS::NoValue` branch is
//! nothing). Maps that hold `Fn::Transform` (a macro may add anything) are not judged.
//! `anyOf`/`oneOf` alternatives are narrowed by the values the object gives to their
//! enumerated properties (SAM's event `Type`, for instance) before names are judged.

use std::cell::OnceCell;
use std::collections::HashSet;
use std::rc::Rc;

use crate::document::{Entry, Node};
use crate::model::{Resource, Template};
use crate::source::Span;

use super::attributes::SchemaAttributes;

use super::{resource_type, ResourceType, SchemaNode};

/// Deeper than this, the walk stops (schemas are recursive, templates not that deep).
const MAX_DEPTH: usize = 64;

/// An object of the template and the schema parts that apply to it.
///
/// Kept small: the walk holds every object of a template until the SCHEMA rules are
/// done (with growable vectors, a 20 MB template's objects took twice its size).
pub struct Object<'a> {
    /// The mapping.
    pub node: &'a Node,
    /// Property names from the resource's `Properties` down to here (shared by the
    /// items of a list).
    pub path: Rc<[&'a str]>,
    /// The part of the SAM `Globals` section that is merged into this object.
    pub globals: Option<&'a Node>,
    /// Where to point about the object as a whole: the key it is the value of (a list
    /// item's first key; a resource's `Type` for its `Properties`).
    pub anchor: Span,
    /// The schemas that all apply (the node, its `allOf`, the one chosen alternative),
    /// the first `parts` of them, then the `anyOf`/`oneOf` alternatives still possible
    /// when more than one is.
    schemas: Box<[SchemaNode]>,
    parts: u16,
    closed: bool,
    /// An entry whose literal value no `anyOf`/`oneOf` alternative allows (SAM's event
    /// `Type: RestApi`), with the values the alternatives allow there.
    mismatch: Option<Box<(&'a Entry, Vec<&'static str>)>>,
    /// Each entry's [`property`](Self::property) and
    /// [`definite_property`](Self::definite_property), found on first use: the value
    /// rules all ask for the same entries (issue 16: four lookups of each name).
    schemas_of_entries: OnceCell<Box<[EntrySchemas]>>,
}

/// What [`Object::property`] and [`Object::definite_property`] give an entry's name.
#[derive(Clone, Copy)]
struct EntrySchemas {
    any: Option<SchemaNode>,
    definite: Option<SchemaNode>,
}

impl<'a> Object<'a> {
    fn new(node: &'a Node, schema: SchemaNode, path: Rc<[&'a str]>, anchor: Span) -> Self {
        let mut object = Object {
            node,
            path,
            globals: None,
            anchor,
            schemas: Box::new([schema]),
            parts: 1,
            closed: schema.is_closed_here(),
            mismatch: None,
            schemas_of_entries: OnceCell::new(),
        };
        // Most objects' schema has no `allOf`, `anyOf` or `oneOf`: it is the only one.
        if schema.compositions().next().is_some() {
            object.apply_compositions(schema);
        }
        object
    }

    /// Takes in `schema`'s `allOf` members and the `anyOf`/`oneOf` alternatives the
    /// object's values leave possible (one left: its schemas too).
    fn apply_compositions(&mut self, schema: SchemaNode) {
        let node = self.node;
        let mut parts = Vec::new();
        let mut alternatives = Vec::new();
        flatten(schema, &mut parts, &mut alternatives, 0);
        let base_closed = schema.is_closed_here();
        let mut candidates: Vec<SchemaNode> = alternatives
            .iter()
            .copied()
            .filter(|m| m.may_be_object() && accepts_discriminators(node, *m))
            .collect();
        if candidates.len() > 1 {
            let fitting: Vec<SchemaNode> = candidates
                .iter()
                .copied()
                .filter(|m| names_fit(node, *m))
                .collect();
            if !fitting.is_empty() {
                candidates = fitting;
            }
        }
        let mut mismatch = None;
        if candidates.is_empty() {
            mismatch = discriminator_mismatch(node, &alternatives);
            candidates = alternatives.clone();
        }
        let closed = if candidates.is_empty() {
            base_closed
        } else {
            let alternatives_closed = candidates.iter().all(|m| m.is_closed());
            (base_closed || schema.properties().next().is_none()) && alternatives_closed
        };
        let mut schemas = parts;
        let alternatives = if candidates.len() == 1 {
            let mut more = Vec::new();
            flatten(candidates[0], &mut schemas, &mut more, 0);
            more
        } else {
            candidates
        };
        // `flatten` stops at depth 8 and never repeats a schema: a handful at most.
        let parts = u16::try_from(schemas.len()).unwrap_or(u16::MAX);
        schemas.extend(alternatives);
        self.schemas = schemas.into_boxed_slice();
        self.parts = parts;
        self.closed = closed;
        self.mismatch = mismatch.map(Box::new);
    }

    /// The schemas that all apply to the object (the node, its `allOf` members, the one
    /// alternative its values chose).
    pub fn parts(&self) -> &[SchemaNode] {
        &self.schemas[..usize::from(self.parts).min(self.schemas.len())]
    }

    /// The `anyOf`/`oneOf` alternatives still possible, when more than one is.
    fn alternatives(&self) -> &[SchemaNode] {
        &self.schemas[usize::from(self.parts).min(self.schemas.len())..]
    }

    /// Whether names the schema does not define are refused.
    pub fn is_closed(&self) -> bool {
        self.closed
            && !self.schemas.iter().any(|p| {
                p.pattern_properties().next().is_some() || p.additional_properties().is_some()
            })
    }

    /// Every property name the schema defines here, sorted.
    pub fn names(&self) -> Vec<&'static str> {
        let mut out: Vec<&'static str> = self
            .schemas
            .iter()
            .flat_map(|p| p.property_names())
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Whether the schema defines `name` here.
    pub fn knows(&self, name: &str) -> bool {
        self.schemas.iter().any(|p| p.property(name).is_some())
    }

    /// The entries whose names the schema does not define ([`knows`](Self::knows) is
    /// false), when the object is [closed](Self::is_closed); none when it is open.
    pub fn unknown_entries(&self) -> impl Iterator<Item = &'a Entry> + '_ {
        let closed = self.is_closed();
        self.entries_and_schemas()
            .filter_map(move |(entry, schemas)| {
                // A closed object has no pattern properties: what `property` found, a
                // part defines. Only a name it left ambiguous or undefined is asked again.
                let known = schemas.any.is_some() || self.knows(&entry.key.text);
                (closed && !known).then_some(entry)
            })
    }

    /// The schema of property `name`, when it is unambiguous.
    pub fn property(&self, name: &str) -> Option<SchemaNode> {
        let mut found = None;
        for part in self.schemas.iter() {
            if let Some(node) = part.property(name) {
                match found {
                    None => found = Some(node),
                    Some(other) if other == node => {}
                    Some(_) => return None,
                }
            }
        }
        if found.is_some() {
            return found;
        }
        self.pattern_property(name)
    }

    /// The schema `patternProperties` or `additionalProperties` give to `name`.
    fn pattern_property(&self, name: &str) -> Option<SchemaNode> {
        for part in self.parts() {
            for (pattern, node) in part.pattern_properties() {
                if pattern.is_match(name) == Some(true) {
                    return Some(node);
                }
            }
            if let Some(node) = part.additional_properties() {
                return Some(node);
            }
        }
        None
    }

    /// The schema of property `name` when it certainly applies: as
    /// [`property`](Self::property), but `None` when the name is defined only by an
    /// alternative the object's names ruled out, or when one of the alternatives still
    /// possible is open and does not define it (it would take any value there: SAM's
    /// `EndpointConfiguration` is `{type: object}` or a closed object).
    pub fn definite_property(&self, name: &str) -> Option<SchemaNode> {
        let own = self.parts().iter().find_map(|p| p.own_property(name));
        // One schema and no alternatives (most objects): its own property is the answer
        // `property` would give, without looking it up again (the SCHEMA value rules
        // ask for every entry of every object).
        if own.is_some() && self.schemas.len() == 1 {
            return own;
        }
        if own.is_some() {
            return self.property(name);
        }
        if self.alternatives().is_empty() {
            return self.pattern_property(name);
        }
        if self
            .alternatives()
            .iter()
            .any(|a| a.may_be_object() && a.property(name).is_none() && !a.is_closed())
        {
            return None;
        }
        self.property(name)
    }

    /// The object's entries whose schema [`property`](Self::property) gives, with it.
    pub fn entries_with_schema(&self) -> impl Iterator<Item = (&'a Entry, SchemaNode)> + '_ {
        self.entries_and_schemas()
            .filter_map(|(entry, schemas)| Some((entry, schemas.any?)))
    }

    /// The object's entries whose schema certainly applies
    /// ([`definite_property`](Self::definite_property)), with it.
    pub fn entries_with_definite_schema(
        &self,
    ) -> impl Iterator<Item = (&'a Entry, SchemaNode)> + '_ {
        self.entries_and_schemas()
            .filter_map(|(entry, schemas)| Some((entry, schemas.definite?)))
    }

    fn entries_and_schemas(&self) -> impl Iterator<Item = (&'a Entry, EntrySchemas)> + '_ {
        let node: &'a Node = self.node;
        let schemas = self.schemas_of_entries.get_or_init(|| {
            node.iter_map()
                .map(|entry| {
                    let definite = self.definite_property(&entry.key.text);
                    // With one schema (no `allOf`, no alternatives) both give the same.
                    let any = if self.schemas.len() == 1 {
                        definite
                    } else {
                        self.property(&entry.key.text)
                    };
                    EntrySchemas { any, definite }
                })
                .collect()
        });
        node.iter_map().zip(schemas.iter().copied())
    }

    /// An entry whose literal value none of the schema's alternatives allows, and the
    /// values they allow there (sorted).
    pub fn mismatch(&self) -> Option<(&'a Entry, &[&'static str])> {
        self.mismatch.as_deref().map(|(e, v)| (*e, v.as_slice()))
    }

    /// Property names that must be present (alternatives' requirements excluded: those
    /// are combinations, judged elsewhere).
    pub fn required(&self) -> Vec<&'static str> {
        let mut out: Vec<&'static str> = self.parts().iter().flat_map(|p| p.required()).collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Calls `visit` with each of [`required`](Self::required), without collecting them
    /// when one schema applies (most objects, a tag for one): its own `required` list is
    /// kept sorted and deduplicated.
    pub fn each_required(&self, visit: impl FnMut(&'static str)) {
        match self.parts() {
            [part] if !part.has_all_of() => part.own_required().for_each(visit),
            _ => self.required().into_iter().for_each(visit),
        }
    }
}

/// A schema's `oneOf` or `anyOf` whose members require properties: which properties
/// an object must give, as alternatives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequiredAlternatives {
    /// `oneOf`: exactly one alternative may hold; `anyOf`: at least one must.
    pub exclusive: bool,
    pub members: Vec<Alternative>,
}

/// One member of [`RequiredAlternatives`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Alternative {
    /// The properties the member requires (its own and its `allOf` members'), sorted.
    pub required: Vec<&'static str>,
    /// Whether the member says nothing but `required` (so it holds exactly when they are
    /// present).
    pub only_required: bool,
    /// Whether the object's values already chose this member (its requirements are then
    /// SCHEMA-003's).
    pub chosen: bool,
}

impl Object<'_> {
    /// The `oneOf`/`anyOf` of the schemas that apply here whose members (two or more,
    /// each possibly an object) require properties.
    pub fn required_alternatives(&self) -> Vec<RequiredAlternatives> {
        alternatives_of(self.parts())
    }
}

/// The [`RequiredAlternatives`] of a schema with nothing chosen yet (for a resource
/// without `Properties`).
pub fn required_alternatives_of(schema: SchemaNode) -> Vec<RequiredAlternatives> {
    let (mut parts, mut ignored) = (Vec::new(), Vec::new());
    flatten(schema, &mut parts, &mut ignored, 0);
    alternatives_of(&parts)
}

fn alternatives_of(parts: &[SchemaNode]) -> Vec<RequiredAlternatives> {
    let mut out = Vec::new();
    // Most objects' schemas have no alternatives: one header test each.
    for part in parts.iter().filter(|part| part.has_alternatives()) {
        let one_of: Vec<SchemaNode> = part.one_of().collect();
        let any_of: Vec<SchemaNode> = part.any_of().collect();
        for (exclusive, members) in [(true, one_of), (false, any_of)] {
            let members: Vec<Alternative> = members
                .into_iter()
                .filter(|m| m.may_be_object())
                .map(|m| {
                    let mut required: Vec<&'static str> = m.required().collect();
                    required.sort_unstable();
                    required.dedup();
                    Alternative {
                        required,
                        only_required: m.only_required(),
                        chosen: parts.contains(&m),
                    }
                })
                .collect();
            if members.len() >= 2 && members.iter().any(|m| !m.required.is_empty()) {
                let group = RequiredAlternatives { exclusive, members };
                if !out.contains(&group) {
                    out.push(group);
                }
            }
        }
    }
    out
}

/// `schema` and its `allOf` members into `parts`; `anyOf`/`oneOf` members into
/// `alternatives`.
fn flatten(
    schema: SchemaNode,
    parts: &mut Vec<SchemaNode>,
    alternatives: &mut Vec<SchemaNode>,
    depth: usize,
) {
    if depth > 8 || parts.contains(&schema) {
        return;
    }
    parts.push(schema);
    for member in schema.all_of() {
        flatten(member, parts, alternatives, depth + 1);
    }
    alternatives.extend(schema.any_of().chain(schema.one_of()));
}

/// Whether the object's literal values of `member`'s enumerated properties are allowed.
fn accepts_discriminators(node: &Node, member: SchemaNode) -> bool {
    node.iter_map().all(|entry| {
        let Some(property) = member.property(&entry.key.text) else {
            return true;
        };
        if !property.has_enum() || entry.value.intrinsic().is_some() {
            return true;
        }
        let Some(value) = entry.value.as_scalar() else {
            return true;
        };
        property.enum_values().any(|allowed| {
            allowed == value
                || (property.enum_case_insensitive() && allowed.eq_ignore_ascii_case(value))
        })
    })
}

/// The entry that rules out every alternative: each object alternative enumerates its
/// values and none allows the literal one.
fn discriminator_mismatch<'a>(
    node: &'a Node,
    alternatives: &[SchemaNode],
) -> Option<(&'a Entry, Vec<&'static str>)> {
    let objects: Vec<SchemaNode> = alternatives
        .iter()
        .copied()
        .filter(|m| m.may_be_object())
        .collect();
    if objects.is_empty() {
        return None;
    }
    node.iter_map().find_map(|entry| {
        let value = entry.value.as_str()?;
        if entry.value.intrinsic().is_some() {
            return None;
        }
        let mut allowed = Vec::new();
        for member in &objects {
            let property = member.property(&entry.key.text).filter(|p| p.has_enum())?;
            if property.enum_values().any(|v| {
                v == value || (property.enum_case_insensitive() && v.eq_ignore_ascii_case(value))
            }) {
                return None;
            }
            allowed.extend(property.enum_values());
        }
        allowed.sort_unstable();
        allowed.dedup();
        Some((entry, allowed))
    })
}

/// Whether every name of the object is one `member` defines (when it is closed).
fn names_fit(node: &Node, member: SchemaNode) -> bool {
    !member.is_closed()
        || node
            .iter_map()
            .all(|e| member.property(&e.key.text).is_some())
}

/// The secondary label at the `Ref` of a finding reported at a parameter's value
/// (`Default` or an `AllowedValues` item): the one wording every SCHEMA rule uses.
pub fn parameter_use_label(property: &str) -> String {
    format!("`{property}` takes the parameter here")
}

/// The schema of a resource's type, if the type is one the data knows.
pub fn schema_of(resource: &Resource) -> Option<ResourceType> {
    resource_type(resource.type_name)
}

/// Calls `visit` for every literal object of the resource's `Properties` (the
/// `Properties` map itself first, with its SAM `Globals`), depth first.
pub fn walk_resource<'a>(
    resource: &Resource<'a>,
    schema: ResourceType,
    visit: &mut dyn FnMut(&Object<'a>),
) {
    for object in &resource_objects(resource, schema) {
        visit(object);
    }
}

/// Every literal object of the resource's `Properties`, in [`walk_resource`]'s order.
fn resource_objects<'a>(resource: &Resource<'a>, schema: ResourceType) -> Vec<Object<'a>> {
    let mut out = Vec::new();
    let Some(properties) = resource.properties else {
        return out;
    };
    if !resource.properties_are_literal() {
        return out;
    }
    let at = Place {
        globals: resource.globals,
        anchor: resource.anchor(),
    };
    walk(properties, schema.root(), Rc::from([]), at, &mut out, 0);
    out.shrink_to_fit();
    out
}

#[derive(Clone, Copy)]
struct Place<'a> {
    globals: Option<&'a Node>,
    anchor: Span,
}

/// Calls `visit` for every literal object of `node` (any value of the template) against
/// `schema`.
pub fn walk_value<'a>(node: &'a Node, schema: SchemaNode, visit: &mut dyn FnMut(&Object<'a>)) {
    let at = Place {
        globals: None,
        anchor: node.span(),
    };
    let mut out = Vec::new();
    walk(node, schema, Rc::from([]), at, &mut out, 0);
    for object in &out {
        visit(object);
    }
}

/// Appends the literal objects of `node` to `out`, each before the objects inside it.
fn walk<'a>(
    node: &'a Node,
    schema: SchemaNode,
    path: Rc<[&'a str]>,
    at: Place<'a>,
    out: &mut Vec<Object<'a>>,
    depth: usize,
) {
    if depth > MAX_DEPTH {
        return;
    }
    if let Some((name, arg)) = node.intrinsic() {
        if name == "Fn::If" {
            if let Some([_, when_true, when_false]) = arg.as_seq() {
                walk(when_true, schema, path.clone(), at, out, depth + 1);
                walk(when_false, schema, path, at, out, depth + 1);
            }
        }
        return;
    }
    if let Some(entries) = node.as_map() {
        // A macro may add anything; a YAML merge key (`<<: *defaults`) brings keys the
        // document model does not expand.
        if entries
            .iter()
            .any(|e| e.key.text == "Fn::Transform" || e.key.text == "<<")
        {
            return;
        }
        let mut object = Object::new(node, schema, path, at.anchor);
        object.globals = at.globals;
        let index = out.len();
        out.push(object);
        for entry in entries {
            // A scalar holds no object (and is most of the entries).
            if entry.value.as_scalar().is_some() {
                continue;
            }
            if let Some(child) = out[index].property(&entry.key.text) {
                let path: Rc<[&str]> = out[index]
                    .path
                    .iter()
                    .copied()
                    .chain([entry.key.text.as_str()])
                    .collect();
                // SAM merges `Globals` maps into the resource's recursively.
                let at = Place {
                    globals: at
                        .globals
                        .and_then(|g| g.get(&entry.key.text))
                        .filter(|g| g.as_map().is_some() && g.intrinsic().is_none()),
                    anchor: entry.key.span,
                };
                walk(&entry.value, child, path, at, out, depth + 1);
            }
        }
    } else if node.as_seq().is_some() {
        let Some(items) = array_items(schema) else {
            return;
        };
        for item in node.iter_seq() {
            let anchor = item
                .as_map()
                .and_then(|entries| entries.first())
                .map_or(item.span(), |first| first.key.span);
            let at = Place {
                globals: None,
                anchor,
            };
            walk(item, items, path.clone(), at, out, depth + 1);
        }
    }
}

/// The item schema of an array node (its own, or its `allOf` members').
fn array_items(schema: SchemaNode) -> Option<SchemaNode> {
    schema
        .items()
        .or_else(|| schema.all_of().find_map(SchemaNode::items))
}

/// Whether the template is one whose resources mean what they say: no macros other
/// than SAM and `AWS::LanguageExtensions` (which may add or rewrite anything), and no
/// `Fn::Transform` in place of the `Resources` section.
pub fn template_is_judged(template: &Template) -> bool {
    let known = |node: &Node| {
        matches!(
            node.as_str(),
            Some("AWS::Serverless-2016-10-31" | "AWS::LanguageExtensions")
        )
    };
    let transforms_known = match template.section("Transform") {
        None => true,
        Some(t) if t.as_str().is_some() => known(t),
        Some(t) => t.as_seq().is_some_and(|items| items.iter().all(known)),
    };
    transforms_known
        && template.section("Resources").is_some_and(|r| {
            r.intrinsic().is_none() && !r.iter_map().any(|e| e.key.text == "Fn::Transform")
        })
}

/// Whether the resource's type is one the schemas judge: an `AWS::` (or `Alexa::`)
/// type, not a custom resource or a module.
pub fn type_is_judged(type_name: &str) -> bool {
    (type_name.starts_with("AWS::") || type_name.starts_with("Alexa::"))
        && type_name != "AWS::CloudFormation::CustomResource"
        && !type_name.ends_with("::MODULE")
}

/// The resources whose `Properties` the schemas judge, with their type's schema: none
/// when the template is not judged ([`template_is_judged`]), and only resources of
/// judged types ([`type_is_judged`]) the data knows.
pub fn judged_resources<'t, 'a>(
    template: &'t Template<'a>,
) -> impl Iterator<Item = (&'t Resource<'a>, ResourceType)> + 't {
    let judged = template_is_judged(template);
    template
        .resources
        .iter()
        .filter(move |_| judged)
        .filter(|r| type_is_judged(r.type_name))
        .filter_map(|r| Some((r, resource_type(r.type_name)?)))
}

/// What judging a resource's property values needs: the template, the resource, the
/// `Fn::GetAtt` types, and the places already reported (a parameter's value that several
/// properties take is reported once).
pub struct Judging<'t, 'a> {
    pub template: &'t Template<'a>,
    pub resource: &'t Resource<'a>,
    pub attributes: &'t SchemaAttributes,
    reported: &'t mut HashSet<Span>,
}

impl Judging<'_, '_> {
    /// Whether nothing was reported at `at` yet; marks it reported.
    pub fn first_time(&mut self, at: Span) -> bool {
        self.reported.insert(at)
    }

    /// `` (`Id` `Type`) ``, the resource as every message names it.
    pub fn whose(&self) -> String {
        format!("(`{}` `{}`)", self.resource.id, self.resource.type_name)
    }
}

/// One judged resource ([`judged_resources`]) with its objects in the order
/// [`walk_resource`] visits them: what the SCHEMA rules are shown, one resource at a
/// time ([`each_resource`]).
pub struct Step<'t, 'a> {
    pub template: &'t Template<'a>,
    pub resource: &'t Resource<'a>,
    pub schema: ResourceType,
    pub objects: &'t [Object<'a>],
    attributes: &'t OnceCell<SchemaAttributes>,
}

impl Step<'_, '_> {
    /// The `Fn::GetAtt` types of the template, computed once per template on the first
    /// call.
    pub fn attributes(&self) -> &SchemaAttributes {
        self.attributes
            .get_or_init(|| SchemaAttributes::new(self.template))
    }
}

/// Calls `visit` with every judged resource of `template` and its objects. Each
/// resource is walked once for all the rules that read the walk (issue 16: each rule
/// walking again was half of a full lint), and its objects are dropped before the next
/// (holding a template's objects all at once took about its size again).
pub fn each_resource<'a>(template: &Template<'a>, visit: &mut dyn FnMut(&Step<'_, 'a>)) {
    let attributes = OnceCell::new();
    for (resource, schema) in judged_resources(template) {
        let objects = resource_objects(resource, schema);
        visit(&Step {
            template,
            resource,
            schema,
            objects: &objects,
            attributes: &attributes,
        });
    }
}

/// The one loop of the value rules: calls `judge` with every literal object of the
/// step's resource. `reported` lives as long as the rule's walk of the template.
pub fn judge_objects<'a>(
    step: &Step<'_, 'a>,
    reported: &mut HashSet<Span>,
    judge: &mut dyn FnMut(&mut Judging<'_, 'a>, &Object<'a>),
) {
    let mut judging = Judging {
        template: step.template,
        resource: step.resource,
        attributes: step.attributes(),
        reported,
    };
    for object in step.objects {
        judge(&mut judging, object);
    }
}
