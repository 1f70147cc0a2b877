//! Where the cursor is inside a flow collection: a JSON template, or a YAML `{...}` /
//! `[...]` value. The text being typed rarely parses, so this is a tolerant forward
//! scan from the collection's opening bracket to the cursor (quoted strings, plain
//! scalars, tags and comments skipped), keeping the stack of open objects and lists
//! with the key each is the value of.
//!
//! For a YAML document, the outermost open bracket before the cursor whose line holds
//! only block syntax before it (`Properties: {`, `- [`) starts the flow part; the keys
//! above it come from the block reader ([`super::ancestors`]).

use crate::schema::{self, ResourceType};

use super::{ancestors, read_line, resource_type, Step};

/// What the scan found at the cursor.
pub(super) struct FlowContext<'t> {
    /// The keys and list items from the document's root to the innermost collection.
    pub steps: Vec<Step<'t>>,
    /// The type of the resource the cursor is in, when the steps reach one.
    pub resource: Option<ResourceType>,
    /// Whether the cursor is where a key of an object goes.
    pub in_key: bool,
    /// The key whose value the cursor is in.
    pub value_of: Option<&'t str>,
    /// The keys already written in the innermost object.
    pub written: Vec<&'t str>,
    /// The scalar the cursor is in or just after: its text (quotes removed) and byte
    /// range.
    pub token: Option<(&'t str, (usize, usize))>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Object,
    List,
}

struct Frame<'t> {
    kind: Kind,
    /// Byte offset of the opening bracket.
    open: usize,
    /// The key whose value comes (or is being read) in an object.
    key: Option<&'t str>,
    expecting_key: bool,
    written: Vec<&'t str>,
}

/// Scans at most this many bytes back from the cursor for the flow collection's start.
const MAX_BACK: usize = 1 << 16;

/// The flow context at byte `at`, or `None` when the cursor is not inside a flow
/// collection this reads (block YAML is [`super`]'s).
pub(super) fn context(text: &str, at: usize) -> Option<FlowContext<'_>> {
    let (open, mut steps) = flow_start(text, at)?;
    let block_len = steps.len();
    let mut scan = Scan::new(text, open);
    let mut stack: Vec<Frame> = Vec::new();
    let mut token = None;
    while scan.at < at {
        let Some(item) = scan.next() else {
            break;
        };
        match item {
            Item::Open(kind, position) => stack.push(Frame {
                kind,
                open: position,
                key: None,
                expecting_key: kind == Kind::Object,
                written: Vec::new(),
            }),
            Item::Close => {
                stack.pop();
                if stack.is_empty() {
                    return None;
                }
            }
            Item::Comma => {
                if let Some(frame) = stack.last_mut().filter(|f| f.kind == Kind::Object) {
                    frame.expecting_key = true;
                    frame.key = None;
                }
            }
            Item::Colon => {
                if let Some(frame) = stack.last_mut() {
                    frame.expecting_key = false;
                }
            }
            Item::Scalar(text_of, range) => {
                let touches = range.0 <= at && at <= range.1;
                if let Some(frame) = stack.last_mut() {
                    if frame.kind == Kind::Object && frame.expecting_key {
                        frame.key = Some(text_of);
                        frame.written.push(text_of);
                    }
                }
                token = touches.then_some((text_of, range));
            }
        }
    }
    let top = stack.last()?;
    let in_key = top.kind == Kind::Object && top.expecting_key;
    let value_of = if top.kind == Kind::Object && !top.expecting_key {
        top.key
    } else {
        None
    };
    let written = top.written.clone();
    for frame in &stack[..stack.len() - 1] {
        match frame.kind {
            Kind::Object => steps.push(Step::Key(frame.key?, frame.open)),
            Kind::List => steps.push(Step::Item),
        }
    }
    let resource = resource_of(text, &steps, block_len, &stack);
    Some(FlowContext {
        steps,
        resource,
        in_key,
        value_of,
        written,
        token,
    })
}

/// The type of the resource the steps pass through (`Resources` / name / ...).
fn resource_of(
    text: &str,
    steps: &[Step],
    block_len: usize,
    stack: &[Frame],
) -> Option<ResourceType> {
    let [Step::Key("Resources", _), Step::Key(_, at), ..] = steps else {
        return None;
    };
    // The resource's object: a flow frame when its name is inside the flow part (or
    // the flow part starts at it), else block lines below its name.
    let object = match block_len {
        0 | 1 => stack.get(2 - block_len).map(|f| f.open),
        2 => stack.first().map(|f| f.open),
        _ => return resource_type(text, *at),
    }?;
    flow_type(text, object)
}

/// The `Type` value written directly in the flow object opening at `open`.
fn flow_type(text: &str, open: usize) -> Option<ResourceType> {
    let mut scan = Scan::new(text, open);
    let mut depth = 0usize;
    let mut key_is_type = false;
    let mut expecting_key = true;
    while let Some(item) = scan.next() {
        match item {
            Item::Open(..) => depth += 1,
            Item::Close => {
                depth -= 1;
                if depth == 0 {
                    return None;
                }
            }
            Item::Comma if depth == 1 => {
                expecting_key = true;
                key_is_type = false;
            }
            Item::Colon if depth == 1 => expecting_key = false,
            Item::Scalar(value, _) if depth == 1 => {
                if expecting_key {
                    key_is_type = value == "Type";
                } else if key_is_type {
                    return schema::resource_type(value);
                }
            }
            _ => {}
        }
    }
    None
}

/// The flow collection's outermost opening bracket before `at`, with the block steps
/// above it (and the key its line gives it).
fn flow_start(text: &str, at: usize) -> Option<(usize, Vec<Step<'_>>)> {
    let bytes = text.as_bytes();
    let first = text.find(|c: char| !c.is_whitespace())?;
    if bytes.get(first) == Some(&b'{') {
        return (first < at).then(|| (first, Vec::new()));
    }
    let floor = at.saturating_sub(MAX_BACK);
    let mut depth = 0usize;
    let mut i = at;
    while i > floor {
        i -= 1;
        match bytes[i] {
            b'}' | b']' => depth += 1,
            b'{' | b'[' if depth > 0 => depth -= 1,
            b'{' | b'[' => {
                let line_start = text[..i].rfind('\n').map_or(0, |n| n + 1);
                if let Some(steps) = block_steps(text, line_start, i) {
                    return Some((i, steps));
                }
            }
            _ => {}
        }
    }
    None
}

/// The block steps down to a bracket at `open` when its line holds only block syntax
/// before it: indentation, `- ` markers and at most one `key:`.
fn block_steps(text: &str, line_start: usize, open: usize) -> Option<Vec<Step<'_>>> {
    let before = &text[line_start..open];
    let rest = before.trim_start_matches([' ', '-']).trim_end();
    // `key: !Tag {` or a bracket inside a scalar is not a flow value this reads.
    let is_block = rest.is_empty()
        || rest.strip_suffix(':').is_some_and(|key| {
            !key.is_empty() && !key.contains(['{', '[', '}', ']', ',', '#', '!', ' '])
                || (key.len() >= 2 && key.starts_with('"') && key.ends_with('"'))
        });
    if !is_block {
        return None;
    }
    let line = read_line(text, line_start)?;
    let mut steps = ancestors(text, &line, line.col)?;
    if let Some(key) = line.key.filter(|_| line.key_at.1 <= open) {
        steps.push(Step::Key(key, line.start));
    }
    Some(steps)
}

enum Item<'t> {
    Open(Kind, usize),
    Close,
    Comma,
    Colon,
    /// A scalar (key or value): its text without quotes and its byte range (quotes
    /// excluded).
    Scalar(&'t str, (usize, usize)),
}

struct Scan<'t> {
    text: &'t str,
    at: usize,
}

impl<'t> Scan<'t> {
    fn new(text: &'t str, at: usize) -> Self {
        Scan { text, at }
    }

    /// The next item (a scalar is read to its end, past the cursor too).
    fn next(&mut self) -> Option<Item<'t>> {
        let bytes = self.text.as_bytes();
        loop {
            let &byte = bytes.get(self.at)?;
            match byte {
                b' ' | b'\t' | b'\r' | b'\n' => self.at += 1,
                b'#' if self.at == 0 || matches!(bytes[self.at - 1], b' ' | b'\t' | b'\n') => {
                    self.at = self.text[self.at..]
                        .find('\n')
                        .map_or(self.text.len(), |n| self.at + n);
                }
                b'{' | b'[' => {
                    let kind = if byte == b'{' {
                        Kind::Object
                    } else {
                        Kind::List
                    };
                    self.at += 1;
                    return Some(Item::Open(kind, self.at - 1));
                }
                b'}' | b']' => {
                    self.at += 1;
                    return Some(Item::Close);
                }
                b',' => {
                    self.at += 1;
                    return Some(Item::Comma);
                }
                b':' => {
                    self.at += 1;
                    return Some(Item::Colon);
                }
                // Tags (`!Ref`), anchors and aliases: skipped, the value follows.
                b'!' | b'&' | b'*' => {
                    while bytes.get(self.at).is_some_and(|b| {
                        !matches!(b, b' ' | b'\n' | b',' | b'{' | b'[' | b'}' | b']')
                    }) {
                        self.at += 1;
                    }
                }
                b'"' | b'\'' => return Some(self.quoted(byte)),
                _ => return Some(self.plain()),
            }
        }
    }

    fn quoted(&mut self, quote: u8) -> Item<'t> {
        let bytes = self.text.as_bytes();
        let start = self.at + 1;
        let mut i = start;
        while let Some(&b) = bytes.get(i) {
            if b == b'\\' && quote == b'"' {
                i += 2;
                continue;
            }
            if b == quote {
                if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') {
                    i += 2;
                    continue;
                }
                break;
            }
            // An unclosed string being typed ends at the line's end (JSON strings hold
            // no raw line break; a multi-line YAML one is read as two scalars).
            if b == b'\n' {
                break;
            }
            i += 1;
        }
        let end = i.min(self.text.len());
        self.at = (end + 1).min(self.text.len());
        Item::Scalar(self.text.get(start..end).unwrap_or(""), (start, end))
    }

    fn plain(&mut self) -> Item<'t> {
        let bytes = self.text.as_bytes();
        let start = self.at;
        let mut i = start;
        while let Some(&b) = bytes.get(i) {
            let ends_here = match b {
                b',' | b'{' | b'}' | b'[' | b']' | b'\n' | b'\r' => true,
                b':' => matches!(
                    bytes.get(i + 1),
                    None | Some(b' ' | b'\t' | b'\n' | b'\r' | b',' | b'}' | b']')
                ),
                b'#' => i > start && bytes[i - 1] == b' ',
                _ => false,
            };
            if ends_here {
                break;
            }
            i += 1;
        }
        self.at = i;
        let raw = &self.text[start..i];
        let trimmed = raw.trim_end();
        Item::Scalar(trimmed, (start, start + trimmed.len()))
    }
}
