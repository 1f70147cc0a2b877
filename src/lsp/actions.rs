//! Code actions for findings: the rule's fix, and the two ways to suppress a finding.
//!
//! - **Fix**: a finding's [`Fix`](crate::rule::Fix), when its rule set one.
//! - **Ignore on this line** (YAML only; JSON has no comments): a
//!   `# stacklint-ignore CODE -- reason` comment at the end of the finding's line, or
//!   on its own line before it (indented like it) when the line already holds a
//!   comment or ends inside a multi-line scalar. An existing `stacklint-ignore`
//!   comment there gets the code added instead.
//! - **Ignore for this resource** (templates, YAML and JSON): `CODE` in the resource's
//!   `Metadata: {stacklint: {ignore: [...]}}`, creating whichever of `Metadata`,
//!   `stacklint` and `ignore` is missing. New parts are written in flow style
//!   (`{...}`, `[...]`) so they fit any indentation; an existing block list gets a new
//!   `- CODE` item.

use std::collections::HashMap;

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, Diagnostic, TextEdit, Uri, WorkspaceEdit,
};

use crate::document::{Node, Value};
use crate::kind::{self, Syntax};
use crate::lint::{self, FileReport};
use crate::rule::{FileKind, Finding};
use crate::source::{SourceFile, Span};

use super::{diagnostics, text};

/// What the suppression comment says after the codes; the user replaces `reason`.
const REASON_PLACEHOLDER: &str = "-- reason";

/// The actions for the findings whose primary span touches `range` (bytes).
pub fn code_actions(uri: &Uri, report: &FileReport, range: Span) -> Vec<CodeActionOrCommand> {
    let touching: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| f.primary.span.start <= range.end && range.start <= f.primary.span.end)
        .collect();
    if touching.is_empty() {
        return Vec::new();
    }
    let source = &report.source;
    let syntax = kind::syntax_of(&source.path, &source.text);
    let loaded = lint::load(&source.path, &source.text);
    let root = loaded.root.as_ref().filter(|_| !loaded.has_fatal_problem());
    let mut actions = Vec::new();
    for finding in touching {
        let diagnostic = diagnostics::diagnostic(uri, report, finding);
        if let Some(fix) = &finding.fix {
            let edit = TextEdit::new(text::range(source, fix.span), fix.replacement.clone());
            actions.push(action(uri, &fix.title, diagnostic.clone(), edit, true));
        }
        // The loader's findings (PARSE-*) are about the file itself: fix it instead.
        let (Some(root), false) = (root, finding.code.starts_with("PARSE-")) else {
            continue;
        };
        if syntax == Syntax::Yaml {
            if let Some(edit) = ignore_on_line(source, root, finding) {
                let title = format!("Ignore {} on this line", finding.code);
                actions.push(action(uri, &title, diagnostic.clone(), edit, false));
            }
        }
        if report.kind == Some(FileKind::Template) {
            if let Some(edit) = ignore_for_resource(source, syntax, root, finding) {
                let title = format!("Ignore {} for this resource", finding.code);
                actions.push(action(uri, &title, diagnostic.clone(), edit, false));
            }
        }
    }
    actions
}

fn action(
    uri: &Uri,
    title: &str,
    diagnostic: Diagnostic,
    edit: TextEdit,
    preferred: bool,
) -> CodeActionOrCommand {
    CodeActionOrCommand::CodeAction(CodeAction {
        title: title.to_string(),
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![diagnostic]),
        edit: Some(WorkspaceEdit {
            changes: Some(HashMap::from([(uri.clone(), vec![edit])])),
            ..WorkspaceEdit::default()
        }),
        is_preferred: preferred.then_some(true),
        ..CodeAction::default()
    })
}

/// The edit that suppresses `finding` with a comment on or before its line.
fn ignore_on_line(source: &SourceFile, root: &Node, finding: &Finding) -> Option<TextEdit> {
    let code = finding.code;
    let text = source.text.as_str();
    let line = source.line_index(finding.primary.span.start);
    let start = source.line_start(line);
    let end = line_end(text, start);
    let scalars = scalar_spans(root);
    let inside = |at: usize| scalars.iter().any(|s| s.start < at && at < s.end);
    let comment = comment_start(text, start, end, &scalars);
    if let Some(at) = comment {
        if let Some(insert) = ignore_comment_codes_end(&text[at..end]) {
            return Some(insert_at(source, at + insert, format!(", {code}")));
        }
    }
    if line > 0 {
        let previous = source.line_start(line - 1);
        let previous_end = line_end(text, previous);
        let own = &text[previous..previous_end];
        if own.trim_start().starts_with('#') && !inside(previous) {
            let at = previous + own.len() - own.trim_start().len();
            if let Some(insert) = ignore_comment_codes_end(&text[at..previous_end]) {
                return Some(insert_at(source, at + insert, format!(", {code}")));
            }
        }
    }
    let comment_text = format!("# stacklint-ignore {code} {REASON_PLACEHOLDER}");
    if comment.is_none() && !inside(end) && !text[start..end].trim().is_empty() {
        let content_end = start + text[start..end].trim_end().len();
        return Some(insert_at(source, content_end, format!("  {comment_text}")));
    }
    if inside(start) {
        return None;
    }
    let indent: String = text[start..end]
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    Some(insert_at(
        source,
        start,
        format!("{indent}{comment_text}{newline}"),
    ))
}

fn insert_at(source: &SourceFile, at: usize, new_text: String) -> TextEdit {
    TextEdit::new(text::range(source, Span::empty(at)), new_text)
}

/// Where the line starting at `start` ends (before its line break).
fn line_end(text: &str, start: usize) -> usize {
    text[start..]
        .find(['\n', '\r'])
        .map_or(text.len(), |at| start + at)
}

/// The spans of every key and scalar value: a `#` inside one is not a comment.
fn scalar_spans(root: &Node) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        match &node.value {
            Value::Scalar(..) => spans.push(node.span),
            Value::Seq(items) => stack.extend(items),
            Value::Map(entries) => {
                for entry in entries {
                    spans.push(entry.key.span);
                    stack.push(&entry.value);
                }
            }
        }
    }
    spans
}

/// Where the comment of the line `[start, end)` begins: a `#` at the line start or
/// after white space, outside every scalar.
fn comment_start(text: &str, start: usize, end: usize, scalars: &[Span]) -> Option<usize> {
    let line = &text[start..end];
    line.match_indices('#').map(|(i, _)| start + i).find(|&at| {
        let after_space = at == start || matches!(text.as_bytes()[at - 1], b' ' | b'\t');
        after_space && !scalars.iter().any(|s| s.start <= at && at < s.end)
    })
}

/// For a comment `# stacklint-ignore A, B -- why`, the offset just after the last code
/// (where `, CODE` goes); `None` for any other comment.
fn ignore_comment_codes_end(comment: &str) -> Option<usize> {
    let body = comment.strip_prefix('#')?.trim_start();
    let codes = body.strip_prefix("stacklint-ignore")?;
    let offset = comment.len() - codes.len();
    let codes = codes.split("--").next().unwrap_or("").trim_end();
    (!codes.trim().is_empty()).then_some(offset + codes.len())
}

/// The edit that adds `finding`'s code to its resource's `Metadata.stacklint.ignore`.
fn ignore_for_resource(
    source: &SourceFile,
    syntax: Syntax,
    root: &Node,
    finding: &Finding,
) -> Option<TextEdit> {
    let at = finding.primary.span.start;
    let resource = root
        .get("Resources")?
        .iter_map()
        .find(|entry| entry.span().start <= at && at < entry.span().end.max(at + 1))?;
    let code = finding.code;
    let quote = |key: &str| match syntax {
        Syntax::Json => format!("\"{key}\""),
        Syntax::Yaml => key.to_string(),
    };
    let list = format!("[{}]", quote(code));
    let Some(metadata) = resource.value.entry("Metadata") else {
        let value = format!(
            "{{{}: {{{}: {list}}}}}",
            quote("stacklint"),
            quote("ignore")
        );
        return add_entry(source, &resource.value, &quote("Metadata"), &value);
    };
    let Some(stacklint) = metadata.value.entry("stacklint") else {
        let value = format!("{{{}: {list}}}", quote("ignore"));
        return add_entry(source, &metadata.value, &quote("stacklint"), &value);
    };
    let Some(ignore) = stacklint.value.entry("ignore") else {
        return add_entry(source, &stacklint.value, &quote("ignore"), &list);
    };
    if ignore.value.iter_seq().any(|item| item.as_str() == Some(code)) {
        return None;
    }
    add_item(source, &ignore.value, &quote(code))
}

/// Whether a collection is written in flow style (`{...}`, `[...]`, or any JSON one).
fn is_flow(source: &SourceFile, node: &Node) -> bool {
    matches!(source.text.as_bytes().get(node.span.start), Some(b'{' | b'['))
}

/// Inserts `key: value` as the first entry of a mapping.
fn add_entry(source: &SourceFile, map: &Node, key: &str, value: &str) -> Option<TextEdit> {
    let entries = map.as_map()?;
    let entry = format!("{key}: {value}");
    if is_flow(source, map) {
        return Some(match entries.first() {
            Some(first) => insert_at(source, first.key.span.start, format!("{entry}, ")),
            None => insert_at(source, map.span.start + 1, entry),
        });
    }
    let first = entries.first()?;
    let indent = block_indent(source, first.key.span.start)?;
    let newline = if source.text.contains("\r\n") { "\r\n" } else { "\n" };
    Some(insert_at(
        source,
        first.key.span.start,
        format!("{entry}{newline}{indent}"),
    ))
}

/// Inserts `item` as the first item of a sequence.
fn add_item(source: &SourceFile, seq: &Node, item: &str) -> Option<TextEdit> {
    let items = seq.as_seq()?;
    if is_flow(source, seq) {
        return Some(match items.first() {
            Some(first) => insert_at(source, first.span.start, format!("{item}, ")),
            None => insert_at(source, seq.span.start + 1, item.to_string()),
        });
    }
    let first = items.first()?;
    let line_start = source.line_start(source.line_index(first.span.start));
    let prefix = &source.text[line_start..first.span.start];
    // Only the plain `  - item` shape: anything else on the line is left alone.
    let dash = prefix.trim_start();
    if !(dash.starts_with('-') && dash[1..].trim().is_empty()) {
        return None;
    }
    let newline = if source.text.contains("\r\n") { "\r\n" } else { "\n" };
    Some(insert_at(
        source,
        first.span.start,
        format!("{item}{newline}{prefix}"),
    ))
}

/// The white space that puts a new line's content in the column of `at`, or `None`
/// when the text before `at` on its line is more than white space and `- ` markers.
fn block_indent(source: &SourceFile, at: usize) -> Option<String> {
    let line_start = source.line_start(source.line_index(at));
    let prefix = &source.text[line_start..at];
    if !prefix.chars().all(|c| matches!(c, ' ' | '\t' | '-')) {
        return None;
    }
    Some(
        prefix
            .chars()
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect(),
    )
}
