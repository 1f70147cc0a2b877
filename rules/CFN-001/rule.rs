//! ## What it finds
//! A name the template uses but does not define:
//! - `Ref` to something that is not a parameter, a resource or a pseudo parameter
//!   (`AWS::Region`, ...);
//! - `Fn::GetAtt` on something that is not a resource;
//! - `${Name}` / `${Name.Attribute}` in an `Fn::Sub` string that is neither of those
//!   nor a variable of the `Fn::Sub` map (`${!Literal}` escapes are text, not names);
//! - `DependsOn` naming something that is not a resource;
//! - a condition name (a resource's or output's `Condition`, the first argument of
//!   `Fn::If`, `Condition` inside `Fn::And`/`Fn::Or`/`Fn::Not`) missing from `Conditions`.
//!
//! ## Why it matters
//! CloudFormation validates every reference before it creates anything and rejects the
//! template ("Unresolved resource dependencies [X] in the Resources block", "Template
//! format error: Unresolved dependencies", "Condition X is not defined"). The usual
//! causes are a typo, a renamed or deleted resource, or a shell variable (`${HOME}`)
//! in a `UserData` script inside `Fn::Sub` that should have been written `${!HOME}`.
//! The finding suggests the closest defined name when there is one.
//!
//! What the template does not decide stays silent:
//! - In SAM templates, the names SAM generates on deployment (`MyFunctionRole`,
//!   `MyFunctionAliaslive`, `MyApi.Stage`, `ServerlessRestApi`, ...): any name that
//!   extends the logical id of an `AWS::Serverless::*` resource, or starts with
//!   `Serverless`, is taken as defined. Modules (`...::MODULE`) are treated alike.
//!   (`crate::model::sam` lists the generated resources with their types, which
//!   SCHEMA-008 uses; CFN-001 stays with the wider rule because some ids end in a hash
//!   SAM computes and some scenarios generate resources that list does not know.)
//! - With `AWS::LanguageExtensions`, names made by `Fn::ForEach` loops (the loop
//!   identifiers and every logical id the loop's templates can produce).
//! - Templates run through other macros (`Transform` names other than SAM and
//!   `AWS::LanguageExtensions`, or `Fn::Transform` in place of a section or resource),
//!   which may add anything: the rule does not look at them.
//! - Files that are not a whole template (see `Partial` in `src/model/completeness.rs`):
//!   Rain modules and templates using them (a top-level `Modules` section, a resource
//!   named `ModuleExtension`, with `Metadata.Extends` or with `Overrides`), and
//!   Serverless Framework `resources:` blocks kept in files of their own (nothing at the
//!   top but `Resources`/`Outputs`/`Conditions`, and Serverless variables such as
//!   `${self:custom.x}` or `${opt:stage}` in the values). A file that holds only
//!   `Resources` but no such sign is a template: `AWSTemplateFormatVersion` is
//!   optional, and CloudFormation deploys it as it is.
//!
//! No fix is offered even for a near-miss: the name may be a parameter or resource not
//! yet written.

use std::collections::HashSet;

use crate::model::eval::is_for_each_key;
use crate::model::PSEUDO_PARAMETERS;
use crate::prelude::*;
use crate::suggest::Suggester;

pub const META: RuleMeta = RuleMeta {
    code: "CFN-001",
    name: "undefined-reference",
    severity: Severity::Error,
    kinds: &[FileKind::Template],
    summary: "A Ref, GetAtt, Sub, DependsOn or Condition names something the template does not define.",
    source: "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-ref.html",
};

pub struct Rule;

/// What kind of name a use needs.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Need {
    /// `Ref` or `${X}`: a parameter, resource or pseudo parameter.
    Value,
    /// `Fn::GetAtt`, `${X.Attr}`, `DependsOn`: a resource.
    Resource,
    Condition,
}

struct Use<'a> {
    name: &'a str,
    span: Span,
    need: Need,
    /// How the name was used, for the message.
    how: &'static str,
    /// Whether the use is a `${Name}` of an `Fn::Sub` string (it may be a shell
    /// variable meant literally).
    in_sub: bool,
    /// For `Fn::GetAtt [a, b]` (or `a.b`), `b` (to spot swapped arguments).
    other: Option<&'a str>,
}

struct Names<'t, 'a> {
    parameters: HashSet<&'a str>,
    /// The template's resources, looked up through its own index (a set of their ids
    /// was half a megabyte on a 16,000-resource template, at the peak of memory).
    template: &'t Template<'a>,
    /// Resources SAM creates under ids given in properties (`*LogicalId`).
    named_in_properties: HashSet<&'a str>,
    conditions: HashSet<&'a str>,
    loop_identifiers: HashSet<&'a str>,
    /// Logical-id templates of `Fn::ForEach` loops, split at their placeholders.
    loop_patterns: Vec<Vec<String>>,
    /// Logical ids whose extensions are generated (SAM resources, modules).
    generated_prefixes: Vec<&'a str>,
    is_sam: bool,
}

impl Names<'_, '_> {
    fn is_resource(&self, name: &str) -> bool {
        self.template.resource_index(name).is_some() || self.named_in_properties.contains(name)
    }

    fn resource_ids(&self) -> impl Iterator<Item = &str> {
        let declared = self.template.resources.iter().map(|r| r.id);
        declared.chain(self.named_in_properties.iter().copied())
    }

    fn generated(&self, name: &str) -> bool {
        if self.is_sam && name.starts_with("Serverless") {
            return true;
        }
        self.generated_prefixes
            .iter()
            .any(|prefix| name.len() > prefix.len() && name.starts_with(prefix))
            || self.loop_patterns.iter().any(|p| matches_pattern(p, name))
    }

    /// Whether a use needs no finding: the name is defined, or one that is resolved
    /// elsewhere.
    fn accepts(&self, usage: &Use) -> bool {
        if is_placeholder_name(usage.name) || self.defines(usage.need, usage.name) {
            return true;
        }
        // `Fn::GetAtt` on a parameter: modules (Rain) pass resources in as parameters.
        if usage.need == Need::Resource && self.parameters.contains(usage.name) {
            return true;
        }
        usage.need == Need::Value && usage.name.contains("::") && !usage.name.starts_with("AWS::")
    }

    /// Adds `usage` to `uses` unless it [needs no finding](Self::accepts).
    fn keep<'u>(&self, uses: &mut Vec<Use<'u>>, usage: Use<'u>) {
        if !self.accepts(&usage) {
            uses.push(usage);
        }
    }

    fn defines(&self, need: Need, name: &str) -> bool {
        match need {
            Need::Value => {
                self.parameters.contains(name)
                    || self.is_resource(name)
                    || PSEUDO_PARAMETERS.contains(&name)
                    || self.loop_identifiers.contains(name)
                    || self.generated(name)
            }
            Need::Resource => self.is_resource(name) || self.generated(name),
            Need::Condition => {
                self.conditions.contains(name)
                    || self.loop_patterns.iter().any(|p| matches_pattern(p, name))
            }
        }
    }

    fn candidates(&self, need: Need) -> Vec<&str> {
        let mut out: Vec<&str> = match need {
            Need::Value => self
                .parameters
                .iter()
                .copied()
                .chain(self.resource_ids())
                .collect(),
            Need::Resource => self.resource_ids().collect(),
            Need::Condition => self.conditions.iter().copied().collect(),
        };
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// Whether `name` can be produced by a loop template split at its placeholders.
fn matches_pattern(pieces: &[String], name: &str) -> bool {
    let Some((first, rest)) = pieces.split_first() else {
        return false;
    };
    let Some(mut remaining) = name.strip_prefix(first.as_str()) else {
        return false;
    };
    let Some((last, middle)) = rest.split_last() else {
        return remaining.is_empty();
    };
    for piece in middle {
        match remaining.find(piece.as_str()) {
            Some(at) => remaining = &remaining[at + piece.len()..],
            None => return false,
        }
    }
    remaining.ends_with(last.as_str())
}

/// Splits `Queue${Name}Policy` / `Queue&{Name}` into the literal pieces around the
/// placeholders.
fn split_placeholders(text: &str) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut current = String::new();
    let mut rest = text;
    while let Some(at) = rest.find(['$', '&']) {
        let after = &rest[at + 1..];
        if after.starts_with('{') {
            if let Some(close) = after.find('}') {
                current.push_str(&rest[..at]);
                pieces.push(std::mem::take(&mut current));
                rest = &after[close + 1..];
                continue;
            }
        }
        current.push_str(&rest[..=at]);
        rest = after;
    }
    current.push_str(rest);
    pieces.push(current);
    pieces
}

fn is_placeholder_name(name: &str) -> bool {
    crate::text::holds_placeholder(name) || name.contains("&{")
}

/// `node` and every node below it, depth first (iteratively: trees may be deep), as
/// visited: a list of them all was a tenth of a large template's peak memory.
fn descendants(node: &Node) -> impl Iterator<Item = &Node> {
    let mut stack = vec![node];
    std::iter::from_fn(move || {
        let node = stack.pop()?;
        match &node.value {
            Value::Seq(items) => stack.extend(items.iter().rev()),
            Value::Map(entries) => stack.extend(entries.iter().rev().map(|e| &e.value)),
            Value::Scalar(..) => {}
        }
        Some(node)
    })
}

/// Whether an `Fn::Sub` variable names something the template could define: not
/// `${AWS::Region}`-style names (pseudo parameters, or another macro's syntax), nor
/// `${.Arn}`.
fn is_sub_template_name(reference: &Reference) -> bool {
    !reference.name.is_empty()
        && !reference.name.contains(':')
        && !reference.attribute.is_some_and(|a| a.contains(':'))
}

/// The use a reference found by the evaluator stands for, if CFN-001 checks it.
fn to_use<'a>(reference: Reference<'a>) -> Option<Use<'a>> {
    let need = match reference.kind {
        RefKind::Ref => Need::Value,
        RefKind::GetAtt => Need::Resource,
        RefKind::SubRef | RefKind::SubGetAtt if !is_sub_template_name(&reference) => return None,
        RefKind::SubRef => Need::Value,
        RefKind::SubGetAtt => Need::Resource,
        RefKind::IfCondition | RefKind::Condition => Need::Condition,
        RefKind::Mapping => return None,
    };
    Some(Use {
        name: reference.name,
        span: reference.span,
        need,
        how: reference.kind.how(),
        in_sub: matches!(reference.kind, RefKind::SubRef | RefKind::SubGetAtt),
        other: match reference.kind {
            RefKind::GetAtt => reference.attribute,
            _ => None,
        },
    })
}

/// How far a candidate may be from a misspelt name: a quarter of its length, at least 2.
fn max_distance(length: usize) -> usize {
    2.max(length / 4)
}

impl Check for Rule {
    fn reference_walker<'t, 'a>(
        &self,
        template: &'t Template<'a>,
    ) -> Option<Box<dyn ReferenceWalker<'a> + 't>> {
        if template.partial().is_some() {
            return None;
        }
        let mut names = Names {
            parameters: template.parameters.iter().map(|p| p.name).collect(),
            template,
            named_in_properties: HashSet::new(),
            conditions: template
                .section("Conditions")
                .map(|c| c.iter_map().map(|e| e.key.text.as_str()).collect())
                .unwrap_or_default(),
            loop_identifiers: HashSet::new(),
            loop_patterns: Vec::new(),
            generated_prefixes: template
                .resources
                .iter()
                .filter(|r| {
                    template.is_sam
                        || r.type_name.ends_with("::MODULE")
                        || !r.type_name.contains("::")
                })
                .map(|r| r.id)
                .collect(),
            is_sam: template.is_sam,
        };
        for node in descendants(template.root) {
            for entry in node.iter_map() {
                // SAM creates resources under ids given in properties.
                if template.is_sam && entry.key.text.ends_with("LogicalId") {
                    if let Some(id) = entry.value.as_str() {
                        names.named_in_properties.insert(id);
                    }
                }
                if !is_for_each_key(&entry.key.text) {
                    continue;
                }
                let Some([identifier, _, outputs]) = entry.value.as_seq() else {
                    continue;
                };
                if let Some(id) = identifier.as_str() {
                    names.loop_identifiers.insert(id);
                }
                for output in outputs.iter_map() {
                    names
                        .loop_patterns
                        .push(split_placeholders(&output.key.text));
                }
            }
        }

        let sections = SECTIONS
            .iter()
            .filter_map(|&name| template.section(name))
            .collect();
        Some(Box::new(Walker {
            names,
            sections,
            uses: Vec::new(),
        }))
    }
}

/// The sections whose references must name something the template defines.
const SECTIONS: [&str; 5] = ["Resources", "Outputs", "Conditions", "Globals", "Rules"];

struct Walker<'t, 'a> {
    names: Names<'t, 'a>,
    /// The template's [`SECTIONS`] (the last of each, when one is written twice).
    sections: Vec<&'a Node>,
    /// Only the uses to report (every reference of a 5 MB template, then its uses, took
    /// a third of the tree's size again).
    uses: Vec<Use<'a>>,
}

impl<'a> ReferenceWalker<'a> for Walker<'_, 'a> {
    fn reference(&mut self, site: Site<'a>, reference: Reference<'a>) {
        let section = &site.section.value;
        if !self.sections.iter().any(|&s| std::ptr::eq(s, section)) {
            return;
        }
        if let Some(usage) = to_use(reference) {
            self.names.keep(&mut self.uses, usage);
        }
    }

    fn finish(&mut self, report: &mut Report) {
        let names = &self.names;
        let template = names.template;
        let mut uses = std::mem::take(&mut self.uses);
        let mut keep = |usage| names.keep(&mut uses, usage);
        for resource in &template.resources {
            if let Some(depends) = resource.node.get("DependsOn") {
                let items: Vec<&Node> = match depends.as_seq() {
                    Some(items) => items.iter().collect(),
                    None => vec![depends],
                };
                for item in items {
                    if let Some(name) = item.as_str() {
                        keep(Use {
                            name,
                            span: item.span(),
                            need: Need::Resource,
                            how: "`DependsOn`",
                            in_sub: false,
                            other: None,
                        });
                    }
                }
            }
        }
        let with_conditions = template.resources.iter().map(|r| r.node).chain(
            template
                .section("Outputs")
                .into_iter()
                .flat_map(|o| o.iter_map().map(|e| &e.value)),
        );
        for node in with_conditions {
            if let Some(condition) = node.get("Condition") {
                if let Some(name) = condition.as_str() {
                    keep(Use {
                        name,
                        span: condition.span(),
                        need: Need::Condition,
                        how: "`Condition`",
                        in_sub: false,
                        other: None,
                    });
                }
            }
        }

        // One suggester per kind of name, built on first need (not one list per use).
        let pseudo = Suggester::new(PSEUDO_PARAMETERS.iter().copied());
        let mut suggesters: [Option<Suggester>; 3] = [None, None, None];
        for usage in uses {
            let name = usage.name;
            let message = match usage.need {
                Need::Value if name.starts_with("AWS::") => format!(
                    "{} to `{name}`, which is not a pseudo parameter",
                    usage.how
                ),
                Need::Value => format!(
                    "{} names `{name}`, which is not a parameter, resource or pseudo parameter of the template",
                    usage.how
                ),
                Need::Resource => format!(
                    "{} names `{name}`, which is not a resource of the template",
                    usage.how
                ),
                Need::Condition => format!(
                    "{} names `{name}`, which is not defined under `Conditions`",
                    usage.how
                ),
            };
            let finding = report.add(usage.span, message);
            finding.label("undefined");
            let suggestion = if name.starts_with("AWS::") {
                pseudo.closest(name, max_distance)
            } else {
                suggesters[usage.need as usize]
                    .get_or_insert_with(|| Suggester::new(names.candidates(usage.need)))
                    .closest(name, max_distance)
            };
            if let Some(other) = usage.other.filter(|o| names.is_resource(o)) {
                finding.help(format!(
                    "the arguments look swapped: write `Fn::GetAtt: [{other}, {name}]`"
                ));
                continue;
            }
            match (suggestion, usage.need) {
                (Some(similar), _) => {
                    finding.help(format!("did you mean `{similar}`?"));
                }
                (None, Need::Condition) => {
                    finding.help(format!(
                        "declare `{name}` under `Conditions`, or fix the name"
                    ));
                }
                (None, _) if usage.in_sub => {
                    finding.help(format!(
                        "declare `{name}`, fix the name, or write `${{!{name}}}` if it is meant literally (a shell variable)"
                    ));
                }
                (None, Need::Resource) => {
                    finding.help(format!("declare a resource `{name}`, or fix the name"));
                }
                (None, Need::Value) => {
                    finding.help(format!(
                        "declare `{name}` under `Parameters` or `Resources`, or fix the name"
                    ));
                }
            }
        }
    }
}
