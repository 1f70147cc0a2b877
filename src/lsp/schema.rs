//! Completion and hover from the embedded resource schemas (`crate::schema`).
//!
//! Completion answers on every keystroke, before the worker has linted the new text,
//! so it reads the document's current text rather than a parsed tree: from the
//! cursor's line it walks *up* the lines, following YAML block indentation, to the
//! chain of keys above the cursor (`Resources` / name / `Properties` / ...), then
//! reads the resource's `Type` line. The cost is one backward scan over the lines
//! above the cursor at most (no parse, no allocation per line), which is well under
//! a millisecond on a 1 MB document. Inside flow collections (a JSON template, a YAML
//! `{...}` or `[...]` value) a tolerant forward scan from the collection's opening
//! bracket gives the same chain ([`flow`]).

use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionTextEdit, Hover, HoverContents, MarkupContent,
    MarkupKind, Position, Range, TextEdit,
};

use crate::schema::{self, JsonType, ResourceType, SchemaNode};

#[path = "schema_flow.rs"]
mod flow;

/// One non-blank, non-comment line of block YAML.
#[derive(Clone, Copy, Debug)]
struct Line<'t> {
    /// Byte offset of the line's first character.
    start: usize,
    /// Column of the first non-space character (a `-` for a list item).
    first: usize,
    /// Column of the key or value after any `- ` markers.
    col: usize,
    /// Whether the line starts a list item.
    dash: bool,
    /// The key before `: ` (quotes removed), when the line has one.
    key: Option<&'t str>,
    /// Byte range of the key text in the document.
    key_at: (usize, usize),
    /// What follows the key's colon, comment and spaces removed.
    value: &'t str,
    /// Byte offset of `value` in the document.
    value_at: usize,
}

fn read_line(text: &str, start: usize) -> Option<Line<'_>> {
    let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let raw = text[start..end].trim_end_matches('\r');
    let first = raw.len() - raw.trim_start_matches(' ').len();
    let mut col = first;
    let mut dash = false;
    while raw[col..].starts_with("- ") || &raw[col..] == "-" {
        dash = true;
        col += 1;
        col += raw[col..].len() - raw[col..].trim_start_matches(' ').len();
    }
    let body = &raw[col..];
    if (body.is_empty() && !dash) || body.starts_with('#') || body.starts_with("---") {
        return None;
    }
    let colon = body
        .char_indices()
        .find(|&(i, c)| c == ':' && matches!(body[i + 1..].chars().next(), None | Some(' ' | '\t')))
        .map(|(i, _)| i);
    let (key, key_at, value, value_at) = match colon {
        Some(i) if !body.starts_with(['{', '[', '"', '\'']) || is_quoted_key(&body[..i]) => {
            let key = body[..i].trim_end();
            let unquoted = key.trim_matches(|c| c == '"' || c == '\'');
            let key_start = start + col + (key.len() - key.trim_start_matches(['"', '\'']).len());
            let after = &body[i + 1..];
            let lead = after.len() - after.trim_start().len();
            let rest = after.trim_start();
            let rest = match rest.find(" #") {
                Some(h) => &rest[..h],
                None if rest.starts_with('#') => "",
                None => rest,
            };
            (
                Some(unquoted),
                (key_start, key_start + unquoted.len()),
                rest.trim_end(),
                start + col + i + 1 + lead,
            )
        }
        _ => (
            None,
            (start + col, start + col),
            body.trim_end(),
            start + col,
        ),
    };
    Some(Line {
        start,
        first,
        col,
        dash,
        key,
        key_at,
        value,
        value_at,
    })
}

fn is_quoted_key(key: &str) -> bool {
    let key = key.trim_end();
    key.len() >= 2
        && ((key.starts_with('"') && key.ends_with('"'))
            || (key.starts_with('\'') && key.ends_with('\'')))
}

/// The start of the line before the one starting at `start`.
fn previous_line(text: &str, start: usize) -> Option<usize> {
    if start == 0 {
        return None;
    }
    Some(text[..start - 1].rfind('\n').map_or(0, |i| i + 1))
}

fn next_line(text: &str, start: usize) -> Option<usize> {
    text[start..]
        .find('\n')
        .map(|i| start + i + 1)
        .filter(|&n| n < text.len())
}

/// The cursor's line; a line of spaces only (a key about to be typed) is one too.
fn cursor_line(text: &str, start: usize) -> Option<Line<'_>> {
    read_line(text, start).or_else(|| {
        let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let raw = text[start..end].trim_end_matches('\r');
        raw.bytes().all(|b| b == b' ').then_some(Line {
            start,
            first: raw.len(),
            col: raw.len(),
            dash: false,
            key: None,
            key_at: (end, end),
            value: "",
            value_at: end,
        })
    })
}

/// Whether the line starting at `start` begins with at least `width` spaces: a line
/// nested deeper than a column, skipped without reading it (most lines, on the way up
/// from the cursor to `Resources`).
fn indented(text: &str, start: usize, width: usize) -> bool {
    text.as_bytes()
        .get(start..start + width)
        .is_some_and(|lead| lead.iter().all(|&b| b == b' '))
}

/// One step from the document's root down to the cursor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Step<'t> {
    Key(&'t str, usize),
    Item,
}

/// The keys (and list items) enclosing a line whose content starts at column `col`,
/// root first; the line itself starting a list item counts. `None` when the
/// structure above is not block YAML this reads (a flow collection, a tag).
fn ancestors<'t>(text: &'t str, line: &Line<'t>, col: usize) -> Option<Vec<Step<'t>>> {
    let mut steps = Vec::new();
    let mut cur = col;
    if line.dash && line.first < cur && line.col <= cur {
        steps.push(Step::Item);
        cur = line.first;
    }
    let mut at = line.start;
    while cur > 0 {
        let Some(previous) = previous_line(text, at) else {
            break;
        };
        at = previous;
        if indented(text, at, cur) {
            continue;
        }
        let Some(l) = read_line(text, at) else {
            continue;
        };
        if l.col < cur {
            match l.key {
                Some(key) if l.value.is_empty() || l.value.starts_with(['|', '>']) => {
                    steps.push(Step::Key(key, l.start));
                    cur = l.col;
                }
                _ if l.dash => {}
                _ => return None,
            }
        }
        if l.dash && l.first < cur {
            steps.push(Step::Item);
            cur = l.first;
        }
    }
    steps.reverse();
    Some(steps)
}

/// The keys already written in the mapping the line at `line` belongs to, at `col`.
fn siblings<'t>(text: &'t str, line: &Line<'t>, col: usize) -> Vec<&'t str> {
    let mut out = Vec::new();
    if !(line.dash && line.col == col) {
        keys_at(text, line.start, col, Direction::Up, &mut out);
    }
    keys_at(text, line.start, col, Direction::Down, &mut out);
    out
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Direction {
    Up,
    Down,
}

/// The keys at column `col` of the lines above or below the one at `from`, until the
/// mapping ends: at a line less indented, or at a list item's dash. Going up, the
/// dash's line is the item's first entry (its key counts); going down, it is the next
/// item (it does not).
fn keys_at<'t>(
    text: &'t str,
    from: usize,
    col: usize,
    direction: Direction,
    out: &mut Vec<&'t str>,
) {
    let step = match direction {
        Direction::Up => previous_line,
        Direction::Down => next_line,
    };
    let mut at = from;
    while let Some(line_start) = step(text, at) {
        at = line_start;
        if indented(text, at, col + 1) {
            continue;
        }
        let Some(l) = read_line(text, at) else {
            continue;
        };
        if l.col > col {
            continue;
        }
        if l.col < col || (l.dash && direction == Direction::Down) {
            break;
        }
        out.extend(l.key);
        if l.dash {
            break;
        }
    }
}

/// The `Type` written in the resource whose name line starts at `start`.
fn resource_type(text: &str, start: usize) -> Option<ResourceType> {
    let head = read_line(text, start)?;
    let mut child = None;
    let mut at = start;
    while let Some(next) = next_line(text, at) {
        at = next;
        let Some(l) = read_line(text, at) else {
            continue;
        };
        if l.col <= head.col {
            return None;
        }
        let col = *child.get_or_insert(l.col);
        if l.col == col && l.key == Some("Type") {
            return schema::resource_type(unquote(l.value));
        }
    }
    None
}

fn unquote(value: &str) -> &str {
    value.trim_matches(|c| c == '"' || c == '\'')
}

/// The schema object a path below `Properties` reaches.
fn node_at(resource: ResourceType, steps: &[Step]) -> Option<SchemaNode> {
    let mut node = resource.root();
    for step in steps {
        node = match step {
            Step::Key(key, _) => node.property(key)?,
            Step::Item => node.items()?,
        };
    }
    Some(node)
}

/// Where in a template's `Resources` a path is.
enum Place<'s, 't> {
    /// Directly in a resource (`Type`, `Properties`, ... are its keys).
    Resource,
    /// Under the resource's `Properties`: (the resource's line, the steps below).
    Properties(usize, &'s [Step<'t>]),
}

fn place<'s, 't>(steps: &'s [Step<'t>]) -> Option<Place<'s, 't>> {
    match steps {
        [Step::Key("Resources", _), Step::Key(_, _)] => Some(Place::Resource),
        [Step::Key("Resources", _), Step::Key(_, at), Step::Key("Properties", _), rest @ ..] => {
            Some(Place::Properties(*at, rest))
        }
        _ => None,
    }
}

/// The line starting at or before byte `at`.
fn line_of(text: &str, at: usize) -> usize {
    text[..at].rfind('\n').map_or(0, |i| i + 1)
}

/// Completion at byte `at` of `text`, the cursor being at LSP position `position`.
pub fn completion(text: &str, at: usize, position: Position) -> Vec<CompletionItem> {
    completion_inner(text, at, position)
        .or_else(|| flow_completion(text, at, position))
        .unwrap_or_default()
}

/// The edit that replaces the `word` before the cursor with a completion's label.
fn replacing(word: &str, position: Position) -> impl Fn(&str) -> Option<CompletionTextEdit> {
    let range = Range {
        start: Position {
            line: position.line,
            character: position
                .character
                .saturating_sub(u32::try_from(word.encode_utf16().count()).unwrap_or(0)),
        },
        end: position,
    };
    move |label: &str| {
        Some(CompletionTextEdit::Edit(TextEdit {
            range,
            new_text: label.to_string(),
        }))
    }
}

fn type_items(edit: &dyn Fn(&str) -> Option<CompletionTextEdit>) -> Vec<CompletionItem> {
    schema::type_names()
        .map(|name| CompletionItem {
            label: name.to_string(),
            kind: Some(CompletionItemKind::CLASS),
            text_edit: edit(name),
            ..CompletionItem::default()
        })
        .collect()
}

/// Completion inside a flow collection (JSON, YAML `{...}`).
fn flow_completion(text: &str, at: usize, position: Position) -> Option<Vec<CompletionItem>> {
    let context = flow::context(text, at)?;
    let word = match context.token {
        Some((_, (start, end))) if start <= at && at <= end => &text[start..at],
        _ => "",
    };
    if word.contains(['"', '\\']) {
        return None;
    }
    let edit = replacing(word, position);
    if context.value_of == Some("Type") {
        let Some(Place::Resource) = place(&context.steps) else {
            return None;
        };
        return Some(type_items(&edit));
    }
    if !context.in_key {
        return None;
    }
    let Some(Place::Properties(_, rest)) = place(&context.steps) else {
        return None;
    };
    property_items(context.resource?, rest, &context.written, word, &edit)
}

fn completion_inner(text: &str, at: usize, position: Position) -> Option<Vec<CompletionItem>> {
    let start = line_of(text, at);
    let prefix = &text[start..at];
    let line = cursor_line(text, start)?;
    let word_start = prefix
        .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == ':' || c == '_'))
        .map_or(0, |i| i + 1);
    let word = &prefix[word_start..];
    let edit = replacing(word, position);
    if line.key == Some("Type") && at >= line.value_at && line.key_at.1 < at {
        // `Type: AWS::S|`
        let steps = ancestors(text, &line, line.col)?;
        let Some(Place::Resource) = place(&steps) else {
            return None;
        };
        return Some(type_items(&edit));
    }
    // A key being written: nothing but indentation, list markers and a word before it.
    let before = &prefix[..word_start];
    if !before.chars().all(|c| c == ' ' || c == '-') || word.contains(':') {
        return None;
    }
    let col = before.len();
    let steps = ancestors(text, &line, col)?;
    let Some(Place::Properties(resource, rest)) = place(&steps) else {
        return None;
    };
    let resource = resource_type(text, resource)?;
    let written = siblings(text, &line, col);
    property_items(resource, rest, &written, word, &edit)
}

/// The properties of the object `rest` reaches below the resource's `Properties`,
/// required ones first, without those `written` (but the `word` being typed) and the
/// read-only ones.
fn property_items(
    resource: ResourceType,
    rest: &[Step],
    written: &[&str],
    word: &str,
    edit: &dyn Fn(&str) -> Option<CompletionTextEdit>,
) -> Option<Vec<CompletionItem>> {
    let node = node_at(resource, rest)?;
    let required: Vec<&str> = node.required().collect();
    // Read-only properties (`Arn`) are outputs, not something a template writes.
    let mut here: Vec<String> = rest
        .iter()
        .map(|step| match step {
            Step::Key(key, _) => (*key).to_string(),
            Step::Item => "*".to_string(),
        })
        .collect();
    here.push(String::new());
    let here = here.join(".");
    let read_only: Vec<&str> = resource
        .read_only()
        .filter_map(|path| path.strip_prefix(here.as_str()))
        .collect();
    let mut items: Vec<CompletionItem> = node
        .property_names()
        .into_iter()
        .filter(|name| !written.contains(name) || *name == word)
        .filter(|name| !read_only.contains(name))
        .map(|name| {
            let is_required = required.contains(&name);
            CompletionItem {
                label: name.to_string(),
                kind: Some(CompletionItemKind::PROPERTY),
                detail: Some(if is_required { "required" } else { "optional" }.to_string()),
                sort_text: Some(format!("{}{name}", if is_required { 0 } else { 1 })),
                text_edit: edit(name),
                ..CompletionItem::default()
            }
        })
        .collect();
    // Required first, then by name, for clients that keep the server's order too.
    items.sort_by(|a, b| a.sort_text.cmp(&b.sort_text));
    Some(items)
}

/// Hover from the schema at byte `at`: a property name's schema, or a `Type` value's
/// required properties and documentation; the byte range hovered with the text.
pub fn hover(text: &str, at: usize) -> Option<(String, (usize, usize))> {
    block_hover(text, at).or_else(|| flow_hover(text, at))
}

fn type_hover(resource: ResourceType) -> String {
    let required: Vec<String> = resource.required().map(|r| format!("`{r}`")).collect();
    format!(
        "**{}**\n\nRequired properties: {}\n\n[{} documentation]({})",
        resource.name(),
        if required.is_empty() {
            "none".to_string()
        } else {
            required.join(", ")
        },
        resource.name(),
        resource.documentation_url()
    )
}

/// Hover inside a flow collection: the scan runs to the hovered scalar's end.
fn flow_hover(text: &str, at: usize) -> Option<(String, (usize, usize))> {
    let context = flow::context(text, at)?;
    let (token, range) = context.token?;
    if context.value_of == Some("Type") {
        let Some(Place::Resource) = place(&context.steps) else {
            return None;
        };
        return Some((type_hover(schema::resource_type(token)?), range));
    }
    if !context.in_key {
        return None;
    }
    let Some(Place::Properties(_, rest)) = place(&context.steps) else {
        return None;
    };
    let resource = context.resource?;
    let parent = node_at(resource, rest)?;
    let node = parent.property(token)?;
    let required = parent.required().any(|r| r == token);
    Some((describe(resource, token, node, required), range))
}

fn block_hover(text: &str, at: usize) -> Option<(String, (usize, usize))> {
    let start = line_of(text, at);
    let line = read_line(text, start)?;
    let steps = ancestors(text, &line, line.col)?;
    if line.key == Some("Type") && at >= line.value_at && at <= line.value_at + line.value.len() {
        let Some(Place::Resource) = place(&steps) else {
            return None;
        };
        let resource = schema::resource_type(unquote(line.value))?;
        let text = type_hover(resource);
        return Some((text, (line.value_at, line.value_at + line.value.len())));
    }
    let key = line.key?;
    if !(line.key_at.0 <= at && at <= line.key_at.1) {
        return None;
    }
    let Some(Place::Properties(resource_at, rest)) = place(&steps) else {
        return None;
    };
    let resource = resource_type(text, resource_at)?;
    let parent = node_at(resource, rest)?;
    let node = parent.property(key)?;
    let required = parent.required().any(|r| r == key);
    Some((describe(resource, key, node, required), line.key_at))
}

fn type_name(t: JsonType) -> &'static str {
    match t {
        JsonType::String => "string",
        JsonType::Integer => "integer",
        JsonType::Number => "number",
        JsonType::Boolean => "boolean",
        JsonType::Array => "array",
        JsonType::Object => "object",
        JsonType::Null => "null",
    }
}

/// At most this many allowed values are listed in a hover.
const MAX_VALUES: usize = 25;

fn describe(resource: ResourceType, key: &str, node: SchemaNode, required: bool) -> String {
    let mut out = format!(
        "**{key}** ({}) — property of `{}`",
        if required { "required" } else { "optional" },
        resource.name()
    );
    let types: Vec<&str> = node.types().map(type_name).collect();
    if !types.is_empty() {
        let mut shown = types.join(" or ");
        if let Some(items) = node.items() {
            let inner: Vec<&str> = items.types().map(type_name).collect();
            if !inner.is_empty() {
                shown = format!("{shown} of {}", inner.join(" or "));
            }
        }
        out.push_str(&format!("\n\nType: {shown}"));
    }
    let values: Vec<&str> = node.enum_values().collect();
    if !values.is_empty() {
        let listed: Vec<String> = values
            .iter()
            .take(MAX_VALUES)
            .map(|v| format!("`{v}`"))
            .collect();
        let more = values.len().saturating_sub(MAX_VALUES);
        out.push_str(&format!("\n\nAllowed values: {}", listed.join(", ")));
        if more > 0 {
            out.push_str(&format!(" and {more} more"));
        }
    }
    let bound = |low: Option<String>, high: Option<String>| match (low, high) {
        (None, None) => None,
        (low, high) => Some(format!(
            "{} to {}",
            low.unwrap_or_else(|| "…".into()),
            high.unwrap_or_else(|| "…".into())
        )),
    };
    let show = |v: f64| format!("{v}");
    if let Some(range) = bound(node.minimum().map(show), node.maximum().map(show)) {
        out.push_str(&format!("\n\nRange: {range}"));
    }
    let count = |v: u32| v.to_string();
    if let Some(range) = bound(node.min_length().map(count), node.max_length().map(count)) {
        out.push_str(&format!("\n\nLength: {range}"));
    }
    if let Some(range) = bound(node.min_items().map(count), node.max_items().map(count)) {
        out.push_str(&format!("\n\nItems: {range}"));
    }
    if let Some(pattern) = node.pattern() {
        out.push_str(&format!("\n\nPattern: `{}`", pattern.source()));
    }
    out.push_str(&format!(
        "\n\n[{} documentation]({})",
        resource.name(),
        resource.documentation_url()
    ));
    out
}

/// A schema hover as the protocol has it.
pub fn as_hover(value: String, range: Range) -> Hover {
    Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value,
        }),
        range: Some(range),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, marker: &str) -> usize {
        text.find(marker).map_or(0, |i| i + marker.len())
    }

    #[test]
    fn the_path_above_a_line_follows_indentation_and_list_items() {
        let text = "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      Tags:\n        - Key: a\n          Va\n";
        let start = line_of(text, at(text, "Va"));
        let line = read_line(text, start).unwrap_or_else(|| panic!("line"));
        let steps = ancestors(text, &line, line.col).unwrap_or_default();
        let keys: Vec<String> = steps
            .iter()
            .map(|s| match s {
                Step::Key(k, _) => (*k).to_string(),
                Step::Item => "[]".into(),
            })
            .collect();
        assert_eq!(keys, ["Resources", "B", "Properties", "Tags", "[]"]);
        assert_eq!(siblings(text, &line, line.col), ["Key"]);
    }

    fn labels_at(text: &str, marker: &str) -> Vec<String> {
        let offset = at(text, marker);
        let before = &text[..offset];
        let line = before.matches('\n').count() as u32;
        let character = before
            .rsplit('\n')
            .next()
            .unwrap_or("")
            .encode_utf16()
            .count() as u32;
        completion(text, offset, Position::new(line, character))
            .into_iter()
            .map(|i| i.label)
            .collect()
    }

    #[test]
    fn json_templates_complete_properties_and_types() {
        let text = "{\n  \"Resources\": {\n    \"B\": {\n      \"Properties\": {\n        \"BucketName\": \"b\",\n        \"VersioningConfiguration\": {\"St\"}\n      },\n      \"Type\": \"AWS::S3::Bucket\"\n    },\n    \"Q\": {\"Type\": \"AWS::SQ\n";
        assert_eq!(labels_at(text, "{\"St"), ["Status"]);
        let types = labels_at(text, "AWS::SQ");
        assert!(types.iter().any(|t| t == "AWS::SQS::Queue"), "{types:?}");
        let top = labels_at(text, "\"BucketName\": \"b\",\n        \"");
        assert!(top.iter().any(|t| t == "AccessControl"), "{top:?}");
        assert!(!top.iter().any(|t| t == "BucketName"), "{top:?}");
        // A value is not a key.
        assert_eq!(labels_at(text, "\"BucketName\": \"b"), Vec::<String>::new());
    }

    #[test]
    fn yaml_flow_values_complete_and_hover() {
        let text = "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      VersioningConfiguration: {St\n  Q: {Type: AWS::SQS::Queue, Properties: {Delay}}\n";
        assert_eq!(labels_at(text, "{St"), ["Status"]);
        let queue = labels_at(text, "{Delay");
        assert!(queue.iter().any(|l| l == "DelaySeconds"), "{queue:?}");
        let text = text.replace("{Delay}", "{DelaySeconds: 5}");
        let text = text.as_str();
        let (markdown, range) = hover(text, at(text, "{Del")).unwrap_or_default();
        assert!(
            markdown.contains("**DelaySeconds** (optional)"),
            "{markdown}"
        );
        assert_eq!(&text[range.0..range.1], "DelaySeconds");
        let (markdown, _) = hover(text, at(text, "{Type: AWS::SQ")).unwrap_or_default();
        assert!(markdown.contains("**AWS::SQS::Queue**"), "{markdown}");
    }

    #[test]
    fn json_hover_shows_a_property_and_a_type() {
        let text = "{\"Resources\": {\"Q\": {\"Type\": \"AWS::SQS::Queue\", \"Properties\": {\"DelaySeconds\": 5}}}}";
        let (markdown, range) = hover(text, at(text, "\"Dela")).unwrap_or_default();
        assert!(
            markdown.contains("**DelaySeconds** (optional)"),
            "{markdown}"
        );
        assert_eq!(&text[range.0..range.1], "DelaySeconds");
        let (markdown, _) = hover(text, at(text, "\"AWS::SQ")).unwrap_or_default();
        assert!(markdown.contains("**AWS::SQS::Queue**"), "{markdown}");
        assert_eq!(hover(text, at(text, "\"DelaySeconds\": ")), None);
    }

    #[test]
    fn item_properties_are_offered_and_written_ones_left_out() {
        let text = "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      Tags:\n        - Key: a\n          \n";
        let offset = at(text, "Key: a\n          ");
        let items = completion(text, offset, Position::new(6, 10));
        let labels: Vec<&str> = items.iter().map(|i| i.label.as_str()).collect();
        assert_eq!(labels, ["Value"]);
    }
}
