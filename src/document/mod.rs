//! One document model for everything stacklint loads.
//!
//! YAML and JSON both become a tree of [`Node`]s in which every mapping key and every
//! value carries the byte [`Span`] it came from. Scalars are kept raw (their text and
//! quoting style); what they mean (`0755`, `2012-10-17`, `true`) is decided by the
//! models that read them, never here.

mod json;
mod key_text;
mod patch;
mod yaml;

use crate::source::Span;

pub use json::load_json;
pub use key_text::KeyText;
pub use patch::patch_scalar;
pub use yaml::load_yaml;

/// Nesting deeper than this is refused (the JSON parser stops at the same depth).
pub const MAX_DEPTH: usize = 512;
/// Alias expansion may add at most this many nodes to a YAML document.
pub const MAX_ALIAS_NODES: usize = 1_000_000;

/// How a scalar was written. JSON strings are `DoubleQuoted`; JSON numbers, booleans
/// and `null` are `Plain`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScalarStyle {
    Plain = 0,
    SingleQuoted = 1,
    DoubleQuoted = 2,
    Literal = 3,
    Folded = 4,
}

/// One key's value, sequence item or document root, and where it was written.
///
/// A node is 32 bytes (every key and value of a document has one, so this is most of a
/// tree's memory): the span's end shares its `u32` with the scalar's style, which fits
/// in the three bits no offset uses (inputs are read up to 128 MiB,
/// [`crate::files::MAX_INPUT`]; offsets saturate at [`MAX_NODE_OFFSET`]).
#[derive(Clone, PartialEq)]
pub struct Node {
    start: u32,
    /// The end offset in the low bits, the [`ScalarStyle`] in the top [`STYLE_BITS`].
    end_and_style: u32,
    pub value: Value,
}

const STYLE_BITS: u32 = 3;
/// The largest offset a node's span can hold (512 MiB).
pub const MAX_NODE_OFFSET: usize = (u32::MAX >> STYLE_BITS) as usize;

/// The text of a scalar: inline up to 24 bytes, on the heap beyond (keys are [`KeyText`]).
pub type Text = compact_str::CompactString;

/// What a node holds. Children are boxed slices, not `Vec`s: a tree is never grown
/// after loading, and the spare capacity word is what keeps [`Value`] at 24 bytes.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// Its text, raw; the style is the node's ([`Node::scalar_style`]).
    Scalar(Text),
    Seq(Box<[Node]>),
    Map(Box<[Entry]>),
}

impl Node {
    /// A mapping or sequence node (or a plain scalar).
    pub fn new(span: Span, value: Value) -> Node {
        Node::with_style(span, value, ScalarStyle::Plain)
    }

    /// A scalar written in `style`.
    pub fn scalar(span: Span, text: Text, style: ScalarStyle) -> Node {
        Node::with_style(span, Value::Scalar(text), style)
    }

    fn with_style(span: Span, value: Value, style: ScalarStyle) -> Node {
        let mut node = Node {
            start: 0,
            end_and_style: (style as u32) << (32 - STYLE_BITS),
            value,
        };
        node.set_span(span);
        node
    }

    /// The value itself, without YAML properties (tag, anchor) in front of it. For a
    /// short-form intrinsic (`!Ref X`) the span covers the tag and its operand.
    pub fn span(&self) -> Span {
        Span::new(
            self.start as usize,
            (self.end_and_style & MAX_NODE_OFFSET as u32) as usize,
        )
    }

    pub fn set_span(&mut self, span: Span) {
        let offset = |at: usize| at.min(MAX_NODE_OFFSET) as u32;
        let style = self.end_and_style & !(MAX_NODE_OFFSET as u32);
        self.start = offset(span.start());
        self.end_and_style = offset(span.end()) | style;
    }

    /// How a scalar was written (`None` for mappings and sequences).
    pub fn scalar_style(&self) -> Option<ScalarStyle> {
        matches!(self.value, Value::Scalar(_)).then(|| self.style())
    }

    fn style(&self) -> ScalarStyle {
        match self.end_and_style >> (32 - STYLE_BITS) {
            1 => ScalarStyle::SingleQuoted,
            2 => ScalarStyle::DoubleQuoted,
            3 => ScalarStyle::Literal,
            4 => ScalarStyle::Folded,
            _ => ScalarStyle::Plain,
        }
    }

    /// Replaces a node's value by a scalar in `style`, keeping its span.
    pub fn set_scalar(&mut self, text: Text, style: ScalarStyle) {
        *self = Node::scalar(self.span(), text, style);
    }
}

impl std::fmt::Debug for Node {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut node = f.debug_struct("Node");
        node.field("span", &self.span());
        if let Some(style) = self.scalar_style() {
            node.field("style", &style);
        }
        node.field("value", &self.value).finish()
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub key: Key,
    pub value: Node,
}

impl Entry {
    /// The key and its value together (`Protocol: HTTPS`).
    pub fn span(&self) -> Span {
        self.key.span.cover(self.value.span())
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Key {
    pub text: KeyText,
    pub span: Span,
}

impl Key {
    /// Where the key's name is written: the whole span when plain, inside the quotes
    /// when quoted (either kind). A key with escapes gives none. A fix that renames a
    /// key replaces these bytes, so the quotes stay as the author wrote them.
    pub fn name_span(&self) -> Option<Span> {
        name_span(self.span, &self.text)
    }
}

/// [`Key::name_span`] for a key known only by its span and text.
pub fn name_span(span: Span, text: &str) -> Option<Span> {
    match span.end().checked_sub(span.start())? {
        len if len == text.len() => Some(span),
        len if len == text.len() + 2 => Some(Span::new(span.start() + 1, span.end() - 1)),
        _ => None,
    }
}

/// Something wrong with the input itself, found while loading it.
#[derive(Clone, Debug, PartialEq)]
pub enum LoadProblem {
    /// Not valid YAML/JSON (PARSE-001). `opened` is where an unclosed bracket began.
    Syntax {
        message: String,
        at: Span,
        opened: Option<Span>,
    },
    /// A mapping repeats a key (PARSE-002).
    DuplicateKey {
        key: String,
        first: Span,
        again: Span,
    },
    /// Input stacklint refuses to process (PARSE-003).
    Unsupported { message: String, at: Span },
    /// A second YAML document in the stream (PARSE-003): the services read only the
    /// first, so its content is silently ignored. `at` is its `---` marker.
    ExtraDocument { at: Span },
    /// A comma before `}` or `]` in JSON (PARSE-001, as a warning): not JSON, but
    /// CloudFormation reads JSON templates with a YAML parser, which accepts it. The
    /// document is loaded as CloudFormation reads it. `at` is the comma.
    TrailingComma { at: Span },
}

impl LoadProblem {
    /// Whether the tree is unusable (rules must not run on it).
    pub fn is_fatal(&self) -> bool {
        !matches!(
            self,
            LoadProblem::DuplicateKey { .. }
                | LoadProblem::ExtraDocument { .. }
                | LoadProblem::TrailingComma { .. }
        )
    }
}

/// The result of loading one file: the first document (if any could be built) and what
/// was wrong on the way.
#[derive(Debug, Default)]
pub struct Loaded {
    pub root: Option<Node>,
    pub problems: Vec<LoadProblem>,
    /// Every expanded YAML alias, in document order. The copy an alias expands to
    /// carries the alias's span (findings inside it point at the place of use, where a
    /// line comment or the resource's `Metadata` can suppress them); this table leads
    /// back to the anchored original.
    pub aliases: Vec<AliasUse>,
    /// The YAML merge keys (`<<`) merged into their mappings, in document order.
    /// CloudFormation does not support them; the CodeDeploy agent's YAML does.
    pub merge_keys: Vec<Span>,
}

/// One YAML alias (`*proto`) and the anchored node it stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AliasUse {
    /// The alias as written, `*proto`.
    pub at: Span,
    /// The anchored node (its value, after the `&proto` property).
    pub target: Span,
    /// Whether the alias is a merge key's value, or an item of it (`<<: *base`,
    /// `<<: [*a, *b]`): what it brings is merged into the mapping.
    pub merged: bool,
}

impl Loaded {
    /// The alias that ends `span`, if any (`*proto`, or `Protocol: *proto`).
    pub fn alias_ending(&self, span: Span) -> Option<&AliasUse> {
        // Aliases are recorded in document order, which is the order of their spans.
        let at = self.aliases.partition_point(|a| a.at.end() < span.end());
        self.aliases
            .get(at)
            .filter(|a| a.at.end() == span.end() && a.at.start() >= span.start())
    }

    /// Whether `span` overlaps an alias (an edit there would rewrite `*proto`).
    pub fn touches_alias(&self, span: Span) -> bool {
        let first_after = self.aliases.partition_point(|a| a.at.end() <= span.start());
        self.aliases[first_after..]
            .first()
            .is_some_and(|a| a.at.start() < span.end().max(span.start() + 1))
    }
}

impl Loaded {
    /// Maps every span through `map` (used to undo lenient re-parsing).
    fn remap(&mut self, map: impl Fn(usize) -> usize) {
        let span = |s: Span| Span::new(map(s.start()), map(s.end()));
        if let Some(root) = &mut self.root {
            let mut stack = vec![root];
            while let Some(node) = stack.pop() {
                node.set_span(span(node.span()));
                match &mut node.value {
                    Value::Seq(items) => stack.extend(items.iter_mut()),
                    Value::Map(entries) => {
                        for entry in entries {
                            entry.key.span = span(entry.key.span);
                            stack.push(&mut entry.value);
                        }
                    }
                    Value::Scalar(_) => {}
                }
            }
        }
        for key in &mut self.merge_keys {
            *key = span(*key);
        }
        for alias in &mut self.aliases {
            alias.at = span(alias.at);
            alias.target = span(alias.target);
        }
        for problem in &mut self.problems {
            match problem {
                LoadProblem::Syntax { at, opened, .. } => {
                    *at = span(*at);
                    *opened = opened.map(span);
                }
                LoadProblem::DuplicateKey { first, again, .. } => {
                    *first = span(*first);
                    *again = span(*again);
                }
                LoadProblem::Unsupported { at, .. }
                | LoadProblem::ExtraDocument { at }
                | LoadProblem::TrailingComma { at } => *at = span(*at),
            }
        }
    }

    pub fn has_fatal_problem(&self) -> bool {
        self.problems.iter().any(LoadProblem::is_fatal)
    }
}

/// Short-form CloudFormation tags and the long form each stands for.
pub fn intrinsic_for_tag(suffix: &str) -> Option<&'static str> {
    Some(match suffix {
        "Ref" => "Ref",
        "Condition" => "Condition",
        "GetAtt" => "Fn::GetAtt",
        "Sub" => "Fn::Sub",
        "Join" => "Fn::Join",
        "If" => "Fn::If",
        "Select" => "Fn::Select",
        "Split" => "Fn::Split",
        "FindInMap" => "Fn::FindInMap",
        "Base64" => "Fn::Base64",
        "Cidr" => "Fn::Cidr",
        "ImportValue" => "Fn::ImportValue",
        "GetAZs" => "Fn::GetAZs",
        "Equals" => "Fn::Equals",
        "And" => "Fn::And",
        "Or" => "Fn::Or",
        "Not" => "Fn::Not",
        "Transform" => "Fn::Transform",
        "ToJsonString" => "Fn::ToJsonString",
        "Length" => "Fn::Length",
        "ForEach" => "Fn::ForEach",
        _ => return None,
    })
}

impl Node {
    pub fn as_map(&self) -> Option<&[Entry]> {
        match &self.value {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(items) => Some(items),
            _ => None,
        }
    }

    /// The raw text of a scalar, whatever its style.
    pub fn as_scalar(&self) -> Option<&str> {
        match &self.value {
            Value::Scalar(text) => Some(text),
            _ => None,
        }
    }

    /// The scalar's text unless it is a YAML/JSON null.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Scalar(text) if !(is_null(text) && self.style() == ScalarStyle::Plain) => {
                Some(text)
            }
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(&self.value, Value::Scalar(text) if is_null(text) && self.style() == ScalarStyle::Plain)
    }

    /// An integer as CloudFormation reads one: plain or quoted (`"30"` is accepted for
    /// integer properties), decimal only.
    pub fn as_i64(&self) -> Option<i64> {
        let text = self.as_str()?.trim();
        let digits = text.strip_prefix('+').unwrap_or(text);
        digits.parse::<i64>().ok()
    }

    /// A number, integer or not.
    pub fn as_f64(&self) -> Option<f64> {
        let text = self.as_str()?.trim();
        if text.is_empty() || text.eq_ignore_ascii_case("nan") || text.contains("inf") {
            return None;
        }
        text.parse::<f64>().ok()
    }

    /// A boolean as CloudFormation reads one: `true`/`false` in any case, quoted or not.
    pub fn as_bool(&self) -> Option<bool> {
        let text = self.as_str()?.trim();
        if text.eq_ignore_ascii_case("true") {
            Some(true)
        } else if text.eq_ignore_ascii_case("false") {
            Some(false)
        } else {
            None
        }
    }

    /// The value of `key` in a mapping (the last one when a key is repeated, as the
    /// parsers CloudFormation uses do).
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|entry| &entry.value)
    }

    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.as_map()?
            .iter()
            .rev()
            .find(|entry| entry.key.text == key)
    }

    /// Follows a path of mapping keys.
    pub fn path(&self, keys: &[&str]) -> Option<&Node> {
        keys.iter().try_fold(self, |node, key| node.get(key))
    }

    /// `Some((name, argument))` when this node is an intrinsic function call: a mapping
    /// with a single key that is `Ref`, `Condition` or starts with `Fn::`.
    pub fn intrinsic(&self) -> Option<(&str, &Node)> {
        match self.as_map()? {
            [entry] if is_intrinsic_name(&entry.key.text) => {
                Some((entry.key.text.as_str(), &entry.value))
            }
            _ => None,
        }
    }

    /// The span of `len` bytes at byte `offset` of a scalar's value, when the scalar is
    /// written so that value offsets map onto the source (plain, or quoted without
    /// escapes, on one line); otherwise the whole node. For pointing into `Fn::Sub`
    /// strings and `A.B` operands.
    pub fn value_subspan(&self, offset: usize, len: usize) -> Span {
        if let Value::Scalar(text) = &self.value {
            let quote = match self.style() {
                ScalarStyle::Plain => Some(0),
                ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => Some(1),
                _ => None,
            };
            if let Some(quote) = quote {
                if self.span().len() == text.len() + 2 * quote && !text.contains('\n') {
                    let start = self.span().start() + quote + offset;
                    return Span::new(start, start + len);
                }
            }
        }
        self.span()
    }

    /// The entries of a mapping (none for other nodes).
    pub fn iter_map(&self) -> impl Iterator<Item = &Entry> {
        self.as_map().unwrap_or(&[]).iter()
    }

    /// The items of a sequence (none for other nodes).
    pub fn iter_seq(&self) -> impl Iterator<Item = &Node> {
        self.as_seq().unwrap_or(&[]).iter()
    }

    /// Visits this node and every node below it, depth first (iteratively: trees may be
    /// as deep as [`MAX_DEPTH`]).
    pub fn walk(&self, mut visit: impl FnMut(&Node)) {
        let mut stack = vec![self];
        while let Some(node) = stack.pop() {
            visit(node);
            match &node.value {
                Value::Seq(items) => stack.extend(items.iter().rev()),
                Value::Map(entries) => stack.extend(entries.iter().rev().map(|e| &e.value)),
                Value::Scalar(_) => {}
            }
        }
    }
}

/// `Ref`, `Condition`, an `Fn::` name, or a YAML tag CloudFormation does not define
/// (`!Rain::Embed`; the loader keeps it as the key, see `yaml::tag_function`).
pub fn is_intrinsic_name(key: &str) -> bool {
    key == "Ref" || key == "Condition" || key.starts_with("Fn::") || key.starts_with('!')
}

fn is_null(text: &str) -> bool {
    matches!(text, "" | "~" | "null" | "Null" | "NULL")
}

#[cfg(test)]
mod tests;
