//! Every name a node refers to, with its span and how it is used.

use crate::document::{Entry, Node, Value};
use crate::source::Span;

use super::intrinsic::Intrinsic;
use crate::model::template::Template;

/// How a name is used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefKind {
    /// `Ref: Name`: a parameter, resource or pseudo parameter.
    Ref,
    /// `Fn::GetAtt`: a resource.
    GetAtt,
    /// `${Name}` in an `Fn::Sub` string (not a variable of its map): like `Ref`.
    SubRef,
    /// `${Name.Attribute}` in an `Fn::Sub` string: like `Fn::GetAtt`.
    SubGetAtt,
    /// The map name of `Fn::FindInMap`.
    Mapping,
    /// The condition of `Fn::If`.
    IfCondition,
    /// `Condition: Name` inside `Fn::And`/`Fn::Or`/`Fn::Not`.
    Condition,
}

impl RefKind {
    /// How the use is written, for messages (`` `Ref` ``, `` `Fn::Sub` ``).
    pub fn how(self) -> &'static str {
        match self {
            RefKind::Ref => "`Ref`",
            RefKind::GetAtt => "`Fn::GetAtt`",
            RefKind::SubRef | RefKind::SubGetAtt => "`Fn::Sub`",
            RefKind::Mapping => "`Fn::FindInMap`",
            RefKind::IfCondition => "`Fn::If`",
            RefKind::Condition => "`Condition`",
        }
    }

    /// Whether the name must be a resource (GetAtt, `${X.Attr}`).
    pub fn needs_resource(self) -> bool {
        matches!(self, RefKind::GetAtt | RefKind::SubGetAtt)
    }

    /// Whether the name must be a condition (`Fn::If`'s first operand or `Condition`).
    pub fn is_condition(self) -> bool {
        matches!(self, RefKind::IfCondition | RefKind::Condition)
    }

    /// Whether the name may be a parameter, resource or pseudo parameter.
    pub fn is_value(self) -> bool {
        matches!(self, RefKind::Ref | RefKind::SubRef)
    }
}

/// One use of a name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reference<'a> {
    pub name: &'a str,
    /// The attribute of `Fn::GetAtt` / `${X.Attr}`, when written literally.
    pub attribute: Option<&'a str>,
    /// The name as written (for `${X}`, the whole `${X}`).
    pub span: Span,
    pub kind: RefKind,
    /// Whether the use sits in a branch of an `Fn::If` (it only counts when that
    /// branch is taken).
    pub conditional: bool,
    /// The condition of the innermost `Fn::If` branch holding the use, and which
    /// branch (`true` for the first).
    pub branch: Option<(&'a str, bool)>,
}

/// Where a use found by [`Template::each_template_reference`] is written.
#[derive(Clone, Copy)]
pub struct Site<'a> {
    /// The top-level entry holding the use (`Resources`, `Outputs`, `Conditions`, ...).
    pub section: &'a Entry,
    /// In the template's `Resources` section: the resource's index in
    /// [`Template::resources`], and the resource's key under which the use is written
    /// (`Properties`, `DependsOn`, ...; none when the resource is not a plain mapping).
    pub resource: Option<(usize, Option<&'a str>)>,
}

/// A node to visit: the node, the innermost `Fn::If` branch holding it, and whether it
/// is an operand of a condition function.
type Visit<'a> = (&'a Node, Option<(&'a str, bool)>, bool);

impl<'a> Template<'a> {
    /// Every name `node` and the nodes below it refer to, in document order.
    pub fn references(&self, node: &'a Node) -> Vec<Reference<'a>> {
        let mut out = Vec::new();
        self.each_reference(node, &mut |reference| out.push(reference));
        out
    }

    /// Calls `visit` with each of [`references`](Self::references), without collecting
    /// them (a whole section's references took a fifth of the tree's size again).
    pub fn each_reference(&self, node: &'a Node, visit: &mut dyn FnMut(Reference<'a>)) {
        // A section's entries one after another: the walk's stack then holds the nodes
        // of one entry, not every resource of the section at once (16,000 of them were
        // the peak of memory of a large template's lint).
        match &node.value {
            Value::Map(entries) if node.intrinsic().is_none() => entries
                .iter()
                .for_each(|entry| self.walk_references(&entry.value, visit)),
            _ => self.walk_references(node, visit),
        }
    }

    /// Calls `visit` with every use of a name in the template outside `Parameters` and
    /// `Mappings` (whose values name nothing), and where it is written: one walk for all
    /// the rules that read the template's references (CFN-001, CFN-003, CFN-007; issue
    /// 16: each walking on its own was 6% of a full lint). Section by section in document
    /// order, each as [`each_reference`](Self::each_reference) walks it.
    pub fn each_template_reference(&self, visit: &mut dyn FnMut(Site<'a>, Reference<'a>)) {
        let resources = self.section("Resources");
        for section in self.root.iter_map() {
            if matches!(section.key.text.as_str(), "Parameters" | "Mappings") {
                continue;
            }
            // The resources' own walk, for a `Resources` mapping (a list or a call is
            // walked as a whole: `Template::resources` has no entries for it).
            let in_resources = resources.is_some_and(|r| std::ptr::eq(r, &section.value))
                && section.value.as_map().is_some()
                && section.value.intrinsic().is_none();
            if !in_resources {
                let site = Site {
                    section,
                    resource: None,
                };
                self.each_reference(&section.value, &mut |reference| visit(site, reference));
                continue;
            }
            // `Template::resources` holds one resource per entry, in order.
            for (index, resource) in section.value.iter_map().enumerate() {
                let node = &resource.value;
                if node.intrinsic().is_some() || node.as_map().is_none() {
                    let site = Site {
                        section,
                        resource: Some((index, None)),
                    };
                    self.walk_references(node, &mut |reference| visit(site, reference));
                    continue;
                }
                // A plain mapping's references are those of its values in turn.
                for entry in node.iter_map() {
                    let site = Site {
                        section,
                        resource: Some((index, Some(entry.key.text.as_str()))),
                    };
                    self.walk_references(&entry.value, &mut |reference| visit(site, reference));
                }
            }
        }
    }

    fn walk_references(&self, node: &'a Node, visit: &mut dyn FnMut(Reference<'a>)) {
        // (node, innermost Fn::If branch, whether a condition function holds it)
        let mut stack: Vec<Visit<'a>> = vec![(node, None, false)];
        while let Some((node, branch, in_condition_function)) = stack.pop() {
            let reference = |name: &'a str, attribute, span, kind| Reference {
                name,
                attribute,
                span,
                kind,
                conditional: branch.is_some(),
                branch,
            };
            let children_branch = branch;
            let mut children_in_condition = false;
            let mut if_parts: Option<(&'a Node, &'a Node, &'a Node)> = None;
            let call = match Intrinsic::view(node, self.source) {
                Some(Ok(call)) => Some(call),
                Some(Err(_)) => {
                    // A call of the wrong shape (CFN-004 and CFN-009 say so) still uses
                    // the condition names it spells.
                    if let Some((function, Value::Seq(items))) =
                        node.intrinsic().map(|(f, arg)| (f, &arg.value))
                    {
                        match function {
                            "Fn::If" => {
                                if let Some(first) = items.first() {
                                    if let Some(name) = first.as_str() {
                                        visit(reference(
                                            name,
                                            None,
                                            first.span(),
                                            RefKind::IfCondition,
                                        ));
                                    }
                                }
                            }
                            "Fn::And" | "Fn::Or" | "Fn::Not" => children_in_condition = true,
                            _ => {}
                        }
                    }
                    None
                }
                None => None,
            };
            if let Some(call) = call {
                match call {
                    Intrinsic::Ref(name) => {
                        visit(reference(name.name, None, name.node.span(), RefKind::Ref));
                    }
                    Intrinsic::GetAtt(getatt) => visit(reference(
                        getatt.resource,
                        getatt.attribute,
                        getatt.resource_span,
                        RefKind::GetAtt,
                    )),
                    Intrinsic::Sub(sub) => {
                        for variable in sub.parsed.variables() {
                            if !variable.is_name() || sub.is_local(variable.inner) {
                                continue;
                            }
                            let kind =
                                if variable.attribute.is_some() && !variable.inner.contains("::") {
                                    RefKind::SubGetAtt
                                } else {
                                    RefKind::SubRef
                                };
                            let (name, attribute) = if kind == RefKind::SubGetAtt {
                                (variable.name, variable.attribute)
                            } else {
                                (variable.inner, None)
                            };
                            visit(reference(name, attribute, variable.span, kind));
                        }
                    }
                    Intrinsic::FindInMap(lookup) => {
                        if let Some(name) = lookup.map.as_str() {
                            visit(reference(name, None, lookup.map.span(), RefKind::Mapping));
                        }
                    }
                    Intrinsic::If {
                        condition,
                        when_true,
                        when_false,
                    } => {
                        if let Some(name) = condition.as_str() {
                            visit(reference(
                                name,
                                None,
                                condition.span(),
                                RefKind::IfCondition,
                            ));
                        }
                        if_parts = Some((condition, when_true, when_false));
                    }
                    Intrinsic::Condition(name) if in_condition_function => {
                        visit(reference(
                            name.name,
                            None,
                            name.node.span(),
                            RefKind::Condition,
                        ));
                    }
                    Intrinsic::And(_) | Intrinsic::Or(_) | Intrinsic::Not(_) => {
                        children_in_condition = true;
                    }
                    _ => {}
                }
            }
            if let Some((condition, when_true, when_false)) = if_parts {
                let name = condition.as_str().unwrap_or("");
                stack.push((when_false, Some((name, false)), false));
                stack.push((when_true, Some((name, true)), false));
                stack.push((condition, branch, false));
                continue;
            }
            if node.intrinsic().is_some() {
                // The call's operand: its items are the children.
                if let Some((_, arg)) = node.intrinsic() {
                    match &arg.value {
                        Value::Seq(items) => {
                            for item in items.iter().rev() {
                                stack.push((item, children_branch, children_in_condition));
                            }
                        }
                        _ => stack.push((arg, children_branch, children_in_condition)),
                    }
                }
                continue;
            }
            // A plain scalar refers to nothing (only the calls above do), so it is not
            // pushed: most of a template's nodes are scalars.
            let holds = |n: &Node| !matches!(n.value, Value::Scalar(..));
            match &node.value {
                Value::Seq(items) => stack.extend(
                    items
                        .iter()
                        .rev()
                        .filter(|n| holds(n))
                        .map(|n| (n, children_branch, false)),
                ),
                Value::Map(entries) => stack.extend(
                    entries
                        .iter()
                        .rev()
                        .filter(|e| holds(&e.value))
                        .map(|e| (&e.value, children_branch, false)),
                ),
                Value::Scalar(..) => {}
            }
        }
    }
}
