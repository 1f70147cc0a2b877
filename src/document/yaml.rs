//! YAML through `saphyr-parser` events into [`Node`]s with byte spans.
//!
//! Facts about the parser this relies on (pinned by tests in `tests.rs`):
//! - its marks count characters, not bytes, so positions are translated through
//!   [`CharOffsets`] (identity for ASCII text);
//! - a node with a tag or an anchor starts at that property, so the value's own start is
//!   found by skipping the properties in the text;
//! - block collections have empty spans, so their extent is derived from their children.

use std::borrow::Cow;
use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle as YamlStyle, ScanError, Span as YamlSpan, Tag};

use super::{
    intrinsic_for_tag, key_text::KeyTexts, AliasUse, Entry, Key, KeyText, LoadProblem, Loaded,
    Node, ScalarStyle, Text, Value, MAX_ALIAS_NODES, MAX_DEPTH,
};
use crate::source::Span;

/// Loads the first YAML document of `text`.
///
/// saphyr-parser rejects continuation lines of a multi-line quoted scalar or flow
/// collection that are not indented past the enclosing block, which CloudFormation (and
/// PyYAML) accept. Such a construct is parsed again with those lines indented further
/// (which changes no value: flow content ignores that white space), and every span is
/// mapped back to the original text.
pub fn load_yaml(text: &str) -> Loaded {
    let base = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let body = &text[base..];
    let mut shift = Shift::default();
    // Copied only when a construct is re-indented (a copy of a 100 MB file is 100 MB).
    let mut shadow = std::borrow::Cow::Borrowed(body);
    let (first, mut relax) = parse(&shadow, Aliases::Expand);
    // The full parse of the shadow text as it now stands, if there is one.
    let mut current = Some(first);
    for _ in 0..MAX_RELAXED_CONSTRUCTS {
        let added = relax.map_or(0, |region| shift.indent_region(shadow.to_mut(), region));
        if added == 0 {
            break;
        }
        current = None;
        relax = parse(&shadow, Aliases::Skip).1;
    }
    let mut loaded = current.unwrap_or_else(|| parse(&shadow, Aliases::Expand).0);
    // Nothing moved (no BOM, nothing re-indented): spans are already right, and
    // walking the whole tree again costs ~5% of a load.
    if base != 0 || !shift.insertions.is_empty() {
        loaded.remap(|offset| base + shift.to_original(offset));
    }
    loaded
}

/// Whether a parse expands aliases. The attempts that only look for the next
/// under-indented construct do not: an alias bomb followed by such constructs would
/// otherwise be expanded up to its budget once per attempt (a 583-byte file found by
/// fuzzing took seconds).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Aliases {
    Expand,
    Skip,
}

/// How many under-indented constructs one file may have re-indented.
const MAX_RELAXED_CONSTRUCTS: usize = 64;

/// Spaces inserted at line starts of the shadow text, to map offsets back.
///
/// Both directions stay near-linear however many lines are re-indented (a flow list
/// of 100,000 under-indented lines is plausible): the text is rebuilt once per region
/// and offsets are mapped by binary search.
#[derive(Default)]
struct Shift {
    /// `(offset in the original text, spaces inserted there)`, sorted by offset.
    insertions: Vec<(usize, usize)>,
    /// Where each insertion's spaces begin in the shadow text.
    shadow_starts: Vec<usize>,
}

impl Shift {
    /// Shadow offset → original offset (an offset inside inserted spaces maps to the
    /// line start they were inserted at).
    fn to_original(&self, shadow: usize) -> usize {
        let after = self.shadow_starts.partition_point(|&at| at <= shadow);
        let Some(last) = after.checked_sub(1) else {
            return shadow;
        };
        let (original, count) = self.insertions[last];
        let pad_start = self.shadow_starts[last];
        if shadow < pad_start + count {
            return original;
        }
        // Spaces before this insertion, plus its own.
        shadow - (pad_start - original) - count
    }

    /// Indents every line after the first of `region` (shadow offsets) past the
    /// region's start column; returns how many lines were changed.
    fn indent_region(&mut self, shadow: &mut String, (start, end): (usize, usize)) -> usize {
        let line_start = shadow[..start].rfind('\n').map_or(0, |i| i + 1);
        let column = shadow[line_start..start].chars().count() + 1;
        let line_starts: Vec<usize> = shadow[start..end.min(shadow.len())]
            .match_indices('\n')
            .map(|(i, _)| start + i + 1)
            .filter(|&at| at < shadow.len())
            .collect();
        if line_starts.is_empty() {
            return 0;
        }
        let pad = " ".repeat(column);
        let mut rebuilt = String::with_capacity(shadow.len() + pad.len() * line_starts.len());
        let mut copied = 0;
        for &at in &line_starts {
            rebuilt.push_str(&shadow[copied..at]);
            rebuilt.push_str(&pad);
            copied = at;
        }
        rebuilt.push_str(&shadow[copied..]);
        *shadow = rebuilt;
        let mut insertions: Vec<(usize, usize)> = line_starts
            .iter()
            .map(|&at| (self.to_original(at), column))
            .collect();
        insertions.append(&mut self.insertions);
        insertions.sort_unstable();
        // A line start indented again gets one entry with the spaces added up.
        insertions.dedup_by(|later, kept| {
            let same = later.0 == kept.0;
            if same {
                kept.1 += later.1;
            }
            same
        });
        let mut inserted = 0;
        self.shadow_starts = insertions
            .iter()
            .map(|&(original, count)| {
                let at = original + inserted;
                inserted += count;
                at
            })
            .collect();
        self.insertions = insertions;
        line_starts.len()
    }
}

/// Parses `body`; on an indentation error inside a flow construct, also returns the
/// construct's byte range so the caller can retry leniently.
fn parse(body: &str, aliases: Aliases) -> (Loaded, Option<(usize, usize)>) {
    let mut builder = Builder {
        text: body,
        aliases,
        offsets: CharOffsets::new(body),
        stack: Vec::new(),
        next_frame: 0,
        closed: HashMap::new(),
        anchors: HashMap::new(),
        alias_budget: MAX_ALIAS_NODES,
        alias_uses: Vec::new(),
        merge_keys: Vec::new(),
        root: None,
        documents: 0,
        document_start: Span::empty(0),
        problems: Vec::new(),
        spare: Spare::default(),
        keys: KeyTexts::default(),
    };
    let mut parser = Parser::new_from_str(body);
    while let Some(result) = parser.next_event() {
        let step = match result {
            Ok((event, span)) => builder.on_event(event, span),
            Err(error) => {
                let relax = builder.relaxable_region(&error);
                builder.problems.push(builder.syntax_error(&error));
                return (
                    Loaded {
                        root: None,
                        problems: builder.problems,
                        ..Loaded::default()
                    },
                    relax,
                );
            }
        };
        if let Err(problem) = step {
            builder.problems.push(problem);
            return (
                Loaded {
                    root: None,
                    problems: builder.problems,
                    ..Loaded::default()
                },
                None,
            );
        }
    }
    (
        Loaded {
            root: builder.root,
            problems: builder.problems,
            aliases: builder.alias_uses,
            merge_keys: builder.merge_keys,
        },
        None,
    )
}

/// A document holding nothing (a trailing `---`) is harmless.
fn is_empty_document(node: &Node) -> bool {
    node.scalar_style() == Some(ScalarStyle::Plain) && node.as_scalar() == Some("")
}

/// Translates the parser's character indices into byte offsets.
struct CharOffsets {
    /// Byte offset of each character, plus the text length; empty for ASCII text.
    table: Vec<usize>,
    len: usize,
}

impl CharOffsets {
    fn new(text: &str) -> Self {
        let table = if text.is_ascii() {
            Vec::new()
        } else {
            text.char_indices()
                .map(|(offset, _)| offset)
                .chain(std::iter::once(text.len()))
                .collect()
        };
        CharOffsets {
            table,
            len: text.len(),
        }
    }

    fn byte(&self, char_index: usize) -> usize {
        if self.table.is_empty() {
            char_index.min(self.len)
        } else {
            self.table.get(char_index).copied().unwrap_or(self.len)
        }
    }
}

/// An open collection.
struct Frame {
    /// Its key in `Builder::closed`.
    id: usize,
    kind: FrameKind,
    anchor: usize,
    /// Whether a collection inside it has an anchor (its place is then recorded).
    holds_anchor: bool,
    /// The key a tagged collection is wrapped under (see [`tag_function`]) and the
    /// tag's span, for `!If [..]` and friends.
    intrinsic: Option<(Cow<'static, str>, Span)>,
    /// Where the value starts (after properties); for block collections, the first child.
    start: Option<usize>,
    /// The opening bracket of a flow collection.
    flow_open: Option<Span>,
}

enum FrameKind {
    Seq(Vec<Node>),
    Map {
        entries: Vec<Entry>,
        pending_key: Option<Key>,
        /// Whether `pending_key` is a merge key (a plain `<<`).
        pending_merge: bool,
        /// The values of merge keys, merged in when the mapping closes.
        merges: Vec<Node>,
        /// Built once a mapping grows large, so duplicate detection stays linear.
        index: Option<HashMap<KeyText, usize>>,
    },
}

/// What an anchor names. Anchored collections are found where they are in the tree
/// under construction, not copied: a copy per anchor made nested anchors cost the
/// square of their size (200 nested anchored sequences in 600 KB took 1.6 GB).
enum Anchored {
    /// A scalar, or a collection that became a mapping key: small, kept as a copy.
    Node(Node),
    /// The collection of this frame id.
    Frame(usize),
}

/// Where a closed collection's node went.
#[derive(Clone, Copy)]
struct Closed {
    place: Place,
    /// Whether the node was wrapped in an intrinsic function (`!If [..]` is `{Fn::If:
    /// [..]}`): its children are then one level further down.
    wrapped: bool,
}

#[derive(Clone, Copy)]
enum Place {
    /// The child at this index of the collection of this frame id.
    Child(usize, usize),
    Root,
    /// Nowhere findable (a key, or a later document's content).
    Gone,
}

struct Builder<'t> {
    text: &'t str,
    aliases: Aliases,
    offsets: CharOffsets,
    stack: Vec<Frame>,
    /// The id of the next collection opened.
    next_frame: usize,
    /// Where each closed collection that is, or holds, an anchored one went, by frame
    /// id: what finding an anchored collection needs. Only those: one record per
    /// collection of the document was 15% of its tree.
    closed: HashMap<usize, Closed>,
    anchors: HashMap<usize, Anchored>,
    alias_budget: usize,
    /// The aliases expanded so far (see [`Loaded::aliases`]).
    alias_uses: Vec<AliasUse>,
    /// The merge keys merged so far (see [`Loaded::merge_keys`]).
    merge_keys: Vec<Span>,
    root: Option<Node>,
    documents: usize,
    /// The `---` of the current document (empty when implicit).
    document_start: Span,
    problems: Vec<LoadProblem>,
    spare: Spare,
    keys: KeyTexts,
}

/// The emptied buffers of closed collections, reused by the next ones opened: each
/// collection's node gets one allocation of its exact size, instead of growing its own
/// vector by doubling and shrinking it at the end (two or more reallocations each).
#[derive(Default)]
struct Spare {
    nodes: Vec<Vec<Node>>,
    entries: Vec<Vec<Entry>>,
}

impl<'t> Builder<'t> {
    fn on_event(&mut self, event: Event<'_>, span: YamlSpan) -> Result<(), LoadProblem> {
        let start = self.offsets.byte(span.start.index());
        let end = self.offsets.byte(span.end.index());
        match event {
            Event::DocumentStart(_) => {
                self.documents += 1;
                self.document_start = self.span(start, end);
            }
            Event::Scalar(text, style, anchor, tag) => {
                let (value_start, tag_span) =
                    self.skip_properties(start, end, tag.is_some() || anchor > 0);
                let end = match style {
                    // Block scalars' spans run to the start of the next line.
                    YamlStyle::Literal | YamlStyle::Folded => {
                        value_start
                            + self.text[value_start..end.max(value_start)]
                                .trim_end()
                                .len()
                    }
                    // The parser's end mark of a quoted scalar is not reliable after
                    // characters outside the BMP: find the closing quote ourselves.
                    YamlStyle::DoubleQuoted | YamlStyle::SingleQuoted => {
                        closing_quote(self.text.as_bytes(), value_start).unwrap_or(end)
                    }
                    _ => end,
                };
                let node = Node::scalar(
                    self.span(value_start, end),
                    exact(text),
                    convert_style(style),
                );
                let node = match (tag.as_deref().and_then(tag_function), tag_span) {
                    (Some(name), Some(tag_span)) => {
                        let tag_span = self.span(tag_span.start(), tag_span.end());
                        self.intrinsic_node(&name, tag_span, node)
                    }
                    _ => node,
                };
                self.push_value(node, anchor)?;
            }
            Event::SequenceStart(anchor, tag) => {
                self.open(true, anchor, tag.as_deref(), start, end)?
            }
            Event::MappingStart(anchor, tag) => {
                self.open(false, anchor, tag.as_deref(), start, end)?
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some(frame) = self.stack.pop() else {
                    return Ok(());
                };
                let close_end = if frame.flow_open.is_some() {
                    Some(end)
                } else {
                    None
                };
                let node = self.finish(frame.kind, frame.start, close_end, start);
                let wrapped = frame.intrinsic.is_some();
                let node = match frame.intrinsic {
                    Some((name, tag_span)) => self.intrinsic_node(&name, tag_span, node),
                    None => node,
                };
                let place = self.landing();
                if frame.anchor > 0 {
                    let anchored = match place {
                        Place::Gone => Anchored::Node(node.clone()),
                        _ => Anchored::Frame(frame.id),
                    };
                    self.anchors.insert(frame.anchor, anchored);
                }
                if frame.anchor > 0 || frame.holds_anchor {
                    self.closed.insert(frame.id, Closed { place, wrapped });
                    if let Some(parent) = self.stack.last_mut() {
                        parent.holds_anchor = true;
                    }
                }
                self.push_value(node, 0)?;
            }
            Event::Alias(anchor) => self.expand_alias(anchor, start, end)?,
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => {}
        }
        Ok(())
    }

    /// Opens a sequence or mapping.
    fn open(
        &mut self,
        is_seq: bool,
        anchor: usize,
        tag: Option<&Tag>,
        start: usize,
        end: usize,
    ) -> Result<(), LoadProblem> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(LoadProblem::Unsupported {
                message: format!("nesting deeper than {MAX_DEPTH} levels"),
                at: self.span(start, end.max(start)),
            });
        }
        let has_properties = tag.is_some() || anchor > 0;
        let (value_start, tag_span) = self.skip_properties(start, end, has_properties);
        let opener = self.text.as_bytes().get(value_start).copied();
        let flow = end > value_start && matches!(opener, Some(b'[' | b'{'));
        let intrinsic = tag
            .and_then(tag_function)
            .zip(tag_span.map(|s| self.span(s.start(), s.end())));
        let kind = if is_seq {
            FrameKind::Seq(self.spare.nodes.pop().unwrap_or_default())
        } else {
            FrameKind::Map {
                entries: self.spare.entries.pop().unwrap_or_default(),
                pending_key: None,
                pending_merge: false,
                merges: Vec::new(),
                index: None,
            }
        };
        // A block collection's event is empty at its first entry, or (with properties)
        // runs from the tag or anchor to that entry.
        let block_start = if has_properties { end } else { start };
        let id = self.next_frame;
        self.next_frame += 1;
        self.stack.push(Frame {
            id,
            kind,
            anchor,
            holds_anchor: false,
            intrinsic,
            start: Some(if flow { value_start } else { block_start }),
            flow_open: flow.then(|| self.span(value_start, value_start + 1)),
        });
        Ok(())
    }

    fn expand_alias(&mut self, anchor: usize, start: usize, end: usize) -> Result<(), LoadProblem> {
        let Some(anchored) = self.anchors.get(&anchor) else {
            return Err(LoadProblem::Syntax {
                message: "alias to an unknown anchor".into(),
                at: self.span(start, end),
                opened: None,
            });
        };
        let target = match anchored {
            Anchored::Node(node) => Some(node),
            Anchored::Frame(id) => self.find_frame_node(*id),
        };
        let Some(target) = target.filter(|_| self.aliases == Aliases::Expand) else {
            let stand_in = Node::new(self.span(start, end), Value::Scalar(Text::default()));
            return self.push_value(stand_in, 0);
        };
        let size = count_nodes(target);
        if size > self.alias_budget {
            return Err(LoadProblem::Unsupported {
                message: format!(
                    "alias expansion exceeds the budget of {MAX_ALIAS_NODES} nodes (possible alias bomb)"
                ),
                at: self.span(start, end),
            });
        }
        let at = self.span(start, end);
        let target_span = target.span();
        let mut node = target.clone();
        self.alias_budget -= size;
        move_to(&mut node, at);
        let merged = self.awaits_merge_value();
        self.alias_uses.push(AliasUse {
            at,
            target: target_span,
            merged,
        });
        self.push_value(node, 0)
    }

    fn span(&self, start: usize, end: usize) -> Span {
        Span::new(start, end.max(start))
    }

    /// Whether a document's top node becomes the root: the first document's, or the
    /// second's after an empty first one (`---` then `---`), which the services read
    /// as the template.
    fn root_is_open(&self) -> bool {
        match &self.root {
            None => self.documents <= 1,
            Some(root) => self.documents == 2 && is_empty_document(root),
        }
    }

    /// Whether the next value pushed is a merge key's value or an item of one (a
    /// sequence of mappings to merge).
    fn awaits_merge_value(&self) -> bool {
        let awaiting = |frame: &Frame| {
            matches!(
                frame.kind,
                FrameKind::Map {
                    pending_merge: true,
                    pending_key: Some(_),
                    ..
                }
            )
        };
        match self.stack.as_slice() {
            [.., parent, top] if matches!(top.kind, FrameKind::Seq(_)) => awaiting(parent),
            [.., top] => awaiting(top),
            [] => false,
        }
    }

    /// Where the next value pushed goes.
    fn landing(&self) -> Place {
        match self.stack.last() {
            None if self.root_is_open() => Place::Root,
            None => Place::Gone,
            Some(frame) => match &frame.kind {
                FrameKind::Seq(items) => Place::Child(frame.id, items.len()),
                // A merge key's value is not an entry: it is merged in at the end.
                FrameKind::Map {
                    pending_merge: true,
                    ..
                } => Place::Gone,
                FrameKind::Map {
                    entries,
                    pending_key: Some(_),
                    ..
                } => Place::Child(frame.id, entries.len()),
                FrameKind::Map { .. } => Place::Gone,
            },
        }
    }

    /// The node a closed frame became: up the chain of places to an open frame (or
    /// the root), then down the child indices.
    fn find_frame_node(&self, id: usize) -> Option<&Node> {
        let mut path = Vec::new();
        let mut current = id;
        let start = loop {
            let closed = *self.closed.get(&current)?;
            match closed.place {
                Place::Gone => return None,
                Place::Root => break self.root.as_ref()?,
                Place::Child(parent, index) => {
                    if let Ok(at) = self.stack.binary_search_by_key(&parent, |f| f.id) {
                        break match &self.stack[at].kind {
                            FrameKind::Seq(items) => items.get(index)?,
                            FrameKind::Map { entries, .. } => &entries.get(index)?.value,
                        };
                    }
                    let parent_wrapped = self.closed.get(&parent)?.wrapped;
                    path.push((index, parent_wrapped));
                    current = parent;
                }
            }
        };
        let mut node = start;
        for (index, wrapped) in path.into_iter().rev() {
            if wrapped {
                node = &node.as_map()?.first()?.value;
            }
            node = match &node.value {
                Value::Seq(items) => items.get(index)?,
                Value::Map(entries) => &entries.get(index)?.value,
                Value::Scalar(_) => return None,
            };
        }
        Some(node)
    }

    /// The flow construct an indentation error lies in, if that is what went wrong.
    fn relaxable_region(&self, error: &ScanError) -> Option<(usize, usize)> {
        if !error.info().starts_with("invalid indentation") {
            return None;
        }
        let at = self.offsets.byte(error.marker().index());
        let bytes = self.text.as_bytes();
        if error.info().contains("quoted scalar") {
            return Some((at, closing_quote(bytes, at).unwrap_or(bytes.len())));
        }
        let open = self.stack.iter().rev().find_map(|frame| frame.flow_open)?;
        Some((
            open.start(),
            matching_bracket(bytes, open.start()).unwrap_or(bytes.len()),
        ))
    }

    /// Skips a tag and/or anchor at `start`; returns where the value starts and the tag's
    /// span (in `text` coordinates).
    fn skip_properties(
        &self,
        start: usize,
        end: usize,
        has_properties: bool,
    ) -> (usize, Option<Span>) {
        if !has_properties {
            return (start, None);
        }
        let bytes = self.text.as_bytes();
        let mut pos = start;
        let mut tag = None;
        for _ in 0..2 {
            match bytes.get(pos) {
                Some(b'!') | Some(b'&') => {
                    let token_start = pos;
                    while pos < bytes.len()
                        && !matches!(
                            bytes[pos],
                            b' ' | b'\t' | b'\r' | b'\n' | b',' | b']' | b'}'
                        )
                    {
                        pos += 1;
                    }
                    if bytes[token_start] == b'!' {
                        tag = Some(Span::new(token_start, pos));
                    }
                    pos = skip_blank_and_comments(bytes, pos);
                }
                _ => break,
            }
        }
        // A property followed by nothing (`!Ref` at the end of a flow entry) leaves the
        // value empty at the end of the property.
        (pos.min(end.max(start)).max(start), tag)
    }

    /// `{name: operand}` whose key is the tag, spanning the tag and its operand.
    fn intrinsic_node(&mut self, name: &str, tag_span: Span, operand: Node) -> Node {
        let span = tag_span.cover(operand.span());
        let key = Key {
            text: self.keys.get(name),
            span: tag_span,
        };
        Node::new(
            span,
            Value::Map(Box::new([Entry {
                key,
                value: operand,
            }])),
        )
    }

    fn finish(
        &mut self,
        kind: FrameKind,
        start: Option<usize>,
        close_end: Option<usize>,
        at: usize,
    ) -> Node {
        let (value, first, last) = match kind {
            FrameKind::Seq(mut items) => {
                let first = items.first().map(|n| n.span().start());
                let last = items.last().map(|n| n.span().end());
                let exact: Box<[Node]> = items.drain(..).collect();
                self.spare.nodes.push(items);
                (Value::Seq(exact), first, last)
            }
            FrameKind::Map {
                mut entries,
                merges,
                ..
            } => {
                let first = entries.first().map(|e| e.key.span.start());
                let last = entries
                    .last()
                    .map(|e| e.value.span().end().max(e.key.span.end()));
                // The extent covers the merge keys' values too (`{<<: *base}`).
                let first = merges.iter().map(|n| n.span().start()).chain(first).min();
                let last = merges.iter().map(|n| n.span().end()).chain(last).max();
                merge_into(&mut entries, merges);
                let exact: Box<[Entry]> = entries.drain(..).collect();
                self.spare.entries.push(entries);
                (Value::Map(exact), first, last)
            }
        };
        let start = start.or(first).unwrap_or(at);
        let end = close_end.or(last).unwrap_or(start);
        Node::new(Span::new(start, end.max(start)), value)
    }

    fn push_value(&mut self, node: Node, anchor: usize) -> Result<(), LoadProblem> {
        // Only scalars come with an anchor (a collection's is recorded at its end).
        if anchor > 0 {
            self.anchors.insert(anchor, Anchored::Node(node.clone()));
        }
        let root_is_open = self.root_is_open();
        let Some(frame) = self.stack.last_mut() else {
            if root_is_open {
                self.root = Some(node);
            } else if self.documents == 2 && !is_empty_document(&node) {
                let at = if self.document_start.is_empty() {
                    Span::empty(node.span().start())
                } else {
                    self.document_start
                };
                self.problems.push(LoadProblem::ExtraDocument { at });
            }
            return Ok(());
        };
        match &mut frame.kind {
            FrameKind::Seq(items) => items.push(node),
            FrameKind::Map {
                entries,
                pending_key,
                pending_merge,
                merges,
                index,
            } => match pending_key.take() {
                Some(key) if std::mem::take(pending_merge) && is_mergeable(&node) => {
                    self.merge_keys.push(key.span);
                    merges.push(node);
                }
                None => {
                    *pending_merge = node.scalar_style() == Some(ScalarStyle::Plain)
                        && node.as_scalar() == Some("<<");
                    // The key node itself is not kept: its text moves into the key.
                    let span = node.span();
                    let text = match &node.value {
                        Value::Scalar(text) => self.keys.get(text),
                        _ => self.keys.get(self.text.get(span.range()).unwrap_or("")),
                    };
                    *pending_key = Some(Key { text, span });
                }
                Some(key) => {
                    let previous = find_key(entries, index, &key.text);
                    if let Some(first) = previous {
                        self.problems.push(LoadProblem::DuplicateKey {
                            key: key.text.to_string(),
                            first: entries[first].key.span,
                            again: key.span,
                        });
                    }
                    if let Some(index) = index {
                        index.insert(key.text.clone(), entries.len());
                    }
                    entries.push(Entry { key, value: node });
                    if index.is_none() && entries.len() >= 16 {
                        *index = Some(
                            entries
                                .iter()
                                .enumerate()
                                .map(|(i, e)| (e.key.text.clone(), i))
                                .collect(),
                        );
                    }
                }
            },
        }
        Ok(())
    }

    fn syntax_error(&self, error: &ScanError) -> LoadProblem {
        let at = self.offsets.byte(error.marker().index());
        if error.info() == "recursion limit exceeded" {
            return LoadProblem::Unsupported {
                message: "nesting deeper than the YAML parser's limit of 255 brackets".into(),
                at: self.span(at, at),
            };
        }
        let at_end = self.text[at..]
            .chars()
            .next()
            .map_or(at, |c| at + c.len_utf8());
        let opened = self.stack.iter().rev().find_map(|frame| frame.flow_open);
        LoadProblem::Syntax {
            message: error.info().to_string(),
            at: self.span(at, at_end),
            opened,
        }
    }
}

fn find_key(
    entries: &[Entry],
    index: &Option<HashMap<KeyText, usize>>,
    key: &str,
) -> Option<usize> {
    match index {
        Some(index) => index.get(key).copied(),
        None => entries.iter().position(|e| e.key.text == key),
    }
}

/// The offset just past the quote closing the quoted scalar that opens at `start`.
fn closing_quote(bytes: &[u8], start: usize) -> Option<usize> {
    let quote = *bytes.get(start)?;
    if quote != b'"' && quote != b'\'' {
        return None;
    }
    let mut pos = start + 1;
    while pos < bytes.len() {
        match bytes[pos] {
            b'\\' if quote == b'"' => pos += 2,
            b'\'' if quote == b'\'' && bytes.get(pos + 1) == Some(&b'\'') => pos += 2,
            b if b == quote => return Some(pos + 1),
            _ => pos += 1,
        }
    }
    None
}

/// The offset just past the bracket closing the one at `open`, skipping quoted text.
fn matching_bracket(bytes: &[u8], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut pos = open;
    while pos < bytes.len() {
        match bytes[pos] {
            b'"' | b'\'' => pos = closing_quote(bytes, pos)?,
            b'[' | b'{' => {
                depth += 1;
                pos += 1;
            }
            b']' | b'}' => {
                depth -= 1;
                pos += 1;
                if depth == 0 {
                    return Some(pos);
                }
            }
            _ => pos += 1,
        }
    }
    None
}

fn skip_blank_and_comments(bytes: &[u8], mut pos: usize) -> usize {
    loop {
        match bytes.get(pos) {
            Some(b' ' | b'\t' | b'\r' | b'\n') => pos += 1,
            Some(b'#') => {
                while pos < bytes.len() && bytes[pos] != b'\n' {
                    pos += 1;
                }
            }
            _ => return pos,
        }
    }
}

/// A scalar's text without spare capacity: the parser builds escaped and multi-line
/// scalars by pushing, and the tree keeps every one until the file is done (the slack
/// was ~15% of a large template's peak memory). A fresh exact allocation, not a
/// shrink in place: shrinking left the freed tails as holes the allocator could not
/// reuse (0.4 MB of resident memory on a 20 MB template).
fn exact(text: std::borrow::Cow<'_, str>) -> Text {
    Text::from(&*text)
}

fn convert_style(style: YamlStyle) -> ScalarStyle {
    match style {
        YamlStyle::Plain => ScalarStyle::Plain,
        YamlStyle::SingleQuoted => ScalarStyle::SingleQuoted,
        YamlStyle::DoubleQuoted => ScalarStyle::DoubleQuoted,
        YamlStyle::Literal => ScalarStyle::Literal,
        YamlStyle::Folded => ScalarStyle::Folded,
    }
}

/// The key a tagged node is wrapped under: the long-form name of a CloudFormation
/// short tag (`!Ref`, `!GetAtt`, ...), or, for any other local tag (`!Rain::Embed`, a
/// preprocessor's), the tag as written. Such a node is an unknown function call to the
/// rules (`Node::intrinsic`), so none takes its operand for the value: a tool other
/// than CloudFormation decides it. Standard tags (`!!str`) are dropped.
fn tag_function(tag: &Tag) -> Option<Cow<'static, str>> {
    if tag.handle != "!" || tag.suffix.is_empty() {
        return None;
    }
    Some(match intrinsic_for_tag(&tag.suffix) {
        Some(name) => Cow::Borrowed(name),
        None => Cow::Owned(format!("!{}", tag.suffix)),
    })
}

/// Whether a merge key's value can be merged: a mapping, or a sequence of mappings.
/// Anything else stays an ordinary `<<` entry, for the rules to judge.
fn is_mergeable(node: &Node) -> bool {
    match &node.value {
        Value::Map(_) => true,
        Value::Seq(items) => items.iter().all(|item| item.as_map().is_some()),
        Value::Scalar(_) => false,
    }
}

/// YAML 1.1 merge (`<<: *base`, `<<: [*a, *b]`): a merged key is added only when the
/// mapping does not set it itself, or an earlier merged mapping did. The entries are
/// moved, not copied (an alias's copy was already paid for), and appended, so that
/// the indices of the mapping's own entries stay valid for anchors found through them.
fn merge_into(entries: &mut Vec<Entry>, merges: Vec<Node>) {
    if merges.is_empty() {
        return;
    }
    let mut seen: std::collections::HashSet<KeyText> =
        entries.iter().map(|e| e.key.text.clone()).collect();
    for merge in merges {
        let mappings = match merge.value {
            Value::Map(merged) => vec![merged],
            Value::Seq(items) => items
                .into_vec()
                .into_iter()
                .filter_map(|item| match item.value {
                    Value::Map(merged) => Some(merged),
                    _ => None,
                })
                .collect(),
            Value::Scalar(_) => Vec::new(),
        };
        for entry in mappings.into_iter().flat_map(Vec::from) {
            if seen.insert(entry.key.text.clone()) {
                entries.push(entry);
            }
        }
    }
}

/// Gives every node and key of an alias's copy the alias's span: the copy is used
/// there, so that is where its findings (and their suppressions) belong.
fn move_to(node: &mut Node, at: Span) {
    let mut stack = vec![node];
    while let Some(node) = stack.pop() {
        node.set_span(at);
        match &mut node.value {
            Value::Seq(items) => stack.extend(items.iter_mut()),
            Value::Map(entries) => {
                for entry in entries {
                    entry.key.span = at;
                    stack.push(&mut entry.value);
                }
            }
            Value::Scalar(_) => {}
        }
    }
}

fn count_nodes(node: &Node) -> usize {
    let mut count = 0;
    node.walk(|_| count += 1);
    count
}
