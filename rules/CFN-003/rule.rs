//! ## What it finds
//! Resources that depend on each other in a cycle, through `DependsOn`, `Ref`,
//! `Fn::GetAtt` or `${...}` in `Fn::Sub`. One finding per cycle (a strongly connected
//! group of resources), at the first of its resources, with every edge of the cycle
//! labelled where it is written (`Role depends on Bucket through Fn::Sub`).
//!
//! ## Why it matters
//! `Ref`, `Fn::GetAtt` and `Fn::Sub` make the referring resource depend on the one
//! referred to, as `DependsOn` does: CloudFormation creates the referred one first.
//! A cycle has no first resource, so CloudFormation rejects the template before
//! creating anything ("Circular dependency between resources: [A, B]"). The usual fix
//! is to move one side into a resource of its own (a security group rule instead of
//! an inline rule, a bucket policy instead of a role policy).
//!
//! Decided from the template alone, so some cycles are left alone:
//! - references inside an `Fn::If` branch (taken or not depending on parameters) and
//!   in `Metadata` do not count;
//! - SAM resources (`AWS::Serverless::*`) are expanded by the transform into other
//!   resources whose dependencies differ from what is written, so cycles through
//!   them are not reported;
//! - templates that a macro rewrites, or that use `Fn::ForEach`, are not judged.
//!
//! The search is linear in the size of the template (Tarjan's strongly connected
//! components), whatever the number of resources.

use crate::model::graph::{cycles, Graph};
use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "CFN-003",
    name: "circular-dependency",
    severity: Severity::Error,
    kinds: &[FileKind::Template],
    summary: "Resources depend on each other in a cycle (DependsOn, Ref, GetAtt, Sub).",
    source: "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-dependson.html",
};

pub struct Rule;

/// How a dependency is written.
#[derive(Clone, Copy)]
enum Via {
    DependsOn,
    Reference(RefKind),
}

impl Via {
    fn how(self) -> &'static str {
        match self {
            Via::DependsOn => "`DependsOn`",
            Via::Reference(kind) => kind.how(),
        }
    }
}

/// Calls `found` with each dependency of resource `from` on a resource that is judged:
/// its index, where the dependency is written and how. The graph is built from the
/// template's shared reference walk ([`Walker`]); this walks again, for the few
/// resources in a cycle, to say where.
fn each_dependency(template: &Template, from: usize, found: &mut dyn FnMut(usize, Span, Via)) {
    let resource = &template.resources[from];
    each_depends_on(template, from, &mut |to, span| {
        found(to, span, Via::DependsOn)
    });
    for entry in resource.node.iter_map() {
        if !counts(&entry.key.text) {
            continue;
        }
        template.each_reference(&entry.value, &mut |reference| {
            if let Some(to) = dependency(template, &reference) {
                found(to, reference.span, Via::Reference(reference.kind));
            }
        });
    }
}

/// The judged resources `from` names in its `DependsOn`, with where.
fn each_depends_on(template: &Template, from: usize, found: &mut dyn FnMut(usize, Span)) {
    let Some(depends) = template.resources[from].node.get("DependsOn") else {
        return;
    };
    let items = match depends.as_seq() {
        Some(items) => items,
        None => std::slice::from_ref(depends),
    };
    for item in items {
        if let Some(to) = item.as_str().and_then(|name| target(template, name)) {
            found(to, item.span());
        }
    }
}

/// Whether references under a resource's key make it depend on what they name.
fn counts(key: &str) -> bool {
    !matches!(key, "DependsOn" | "Metadata" | "Condition" | "Type")
}

/// The judged resource a reference makes its resource depend on: not one in an
/// `Fn::If` branch, nor a mapping's or a condition's name.
fn dependency(template: &Template, reference: &Reference) -> Option<usize> {
    if reference.conditional || reference.kind == RefKind::Mapping || reference.kind.is_condition()
    {
        return None;
    }
    target(template, reference.name)
}

fn target(template: &Template, name: &str) -> Option<usize> {
    template
        .resource_index(name)
        .filter(|&to| !is_skipped(template, to))
}

/// SAM resources are left out: SAM's transform decides what they depend on.
fn is_skipped(template: &Template, index: usize) -> bool {
    template.resources[index]
        .type_name
        .starts_with("AWS::Serverless::")
}

impl Check for Rule {
    fn reference_walker<'t, 'a>(
        &self,
        template: &'t Template<'a>,
    ) -> Option<Box<dyn ReferenceWalker<'a> + 't>> {
        if template.partial().is_some() || template.has_foreach() {
            return None;
        }
        let mut pairs: Vec<(u32, u32)> = Vec::new();
        for from in 0..template.resources.len() {
            if !is_skipped(template, from) {
                each_depends_on(template, from, &mut |to, _| {
                    pairs.push((from as u32, to as u32));
                });
            }
        }
        Some(Box::new(Walker { template, pairs }))
    }
}

/// The graph's edges, as `(from, to)` resource indices (a template of 16,000 resources
/// has tens of thousands of dependencies: their spans are found again for cycles only).
struct Walker<'t, 'a> {
    template: &'t Template<'a>,
    pairs: Vec<(u32, u32)>,
}

impl<'a> ReferenceWalker<'a> for Walker<'_, 'a> {
    fn reference(&mut self, site: Site<'a>, reference: Reference<'a>) {
        let Some((from, Some(key))) = site.resource else {
            return;
        };
        if !counts(key) || is_skipped(self.template, from) {
            return;
        }
        if let Some(to) = dependency(self.template, &reference) {
            self.pairs.push((from as u32, to as u32));
        }
    }

    fn finish(&mut self, report: &mut Report) {
        let template = self.template;
        let pairs = std::mem::take(&mut self.pairs);
        let edges = pairs.iter().map(|&(from, to)| (from as usize, to as usize));
        let graph = Graph::new(template.resources.len(), edges);
        drop(pairs);
        for members in cycles(&graph) {
            let in_cycle = |i: usize| members.binary_search(&i).is_ok();
            let mut cycle_edges: Vec<(usize, usize, Span, Via)> = Vec::new();
            for &from in &members {
                each_dependency(template, from, &mut |to, span, via| {
                    if in_cycle(to) {
                        cycle_edges.push((from, to, span, via));
                    }
                });
            }
            if members.len() == 1 && cycle_edges.is_empty() {
                continue;
            }
            let names: Vec<String> = members
                .iter()
                .map(|&i| format!("`{}`", template.resources[i].id))
                .collect();
            let first = &template.resources[members[0]];
            let message = if members.len() == 1 {
                format!("`{}` depends on itself", first.id)
            } else {
                format!(
                    "circular dependency between {} resources: {}",
                    members.len(),
                    names.join(", ")
                )
            };
            let finding = report.add(first.id_span, message);
            finding.label("in a dependency cycle");
            for (from, to, span, via) in cycle_edges {
                let from = template.resources[from].id;
                let to = template.resources[to].id;
                finding.also(
                    span,
                    format!("`{from}` depends on `{to}` through {}", via.how()),
                );
            }
            finding.help(
                "break the cycle: remove one of these references, or move it into a resource of its own (for example a separate security group rule or policy)",
            );
        }
    }
}
