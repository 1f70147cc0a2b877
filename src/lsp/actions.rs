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

use crate::document::Node;
use crate::kind::{self, Syntax};
use crate::lint::{self, FileReport};
use crate::rule::{FileKind, Finding};
use crate::source::{SourceFile, Span};
use crate::suppress::scalar_spans;

use super::{diagnostics, text};

/// What the suppression comment says after the codes; the user replaces `reason`.
const REASON_PLACEHOLDER: &str = "-- reason";

/// The actions for the findings whose lines `range` (bytes) touches: the cursor
/// anywhere on a finding's line offers them, not only inside its underline.
pub fn code_actions(uri: &Uri, report: &FileReport, range: Span) -> Vec<CodeActionOrCommand> {
    let touching: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| {
            let lines = lines_of(&report.source, f.primary.span);
            lines.start() <= range.end() && range.start() <= lines.end()
        })
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
        let (Some(root), false) = (root, finding.code().starts_with("PARSE-")) else {
            continue;
        };
        if syntax == Syntax::Yaml {
            if let Some(edit) = ignore_on_line(source, root, finding) {
                let title = format!("Ignore {} on this line", finding.code());
                actions.push(action(uri, &title, diagnostic.clone(), edit, false));
            }
        }
        if report.kind == Some(FileKind::Template) {
            if let Some(edit) = ignore_for_resource(source, syntax, root, finding) {
                let title = format!("Ignore {} for this resource", finding.code());
                actions.push(action(uri, &title, diagnostic.clone(), edit, false));
            }
        }
    }
    actions
}

/// From the start of the line where `span` starts to the end of the line where it
/// ends, line break excluded.
fn lines_of(source: &SourceFile, span: Span) -> Span {
    let start = source.line_start(source.line_index(span.start()));
    let next = source.line_start(source.line_index(span.end()) + 1);
    let line = source.text.get(..next).unwrap_or(&source.text);
    let end = line.trim_end_matches(['\n', '\r']).len();
    Span::new(start.min(span.start()), end.max(span.end()))
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
    let code = finding.code();
    let text = source.text.as_str();
    let line = source.line_index(finding.primary.span.start());
    let start = source.line_start(line);
    let end = line_end(text, start);
    let scalars = scalar_spans(root);
    let inside = |at: usize| scalars.iter().any(|s| s.start() < at && at < s.end());
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

/// Where the comment of the line `[start, end)` begins: a `#` at the line start or
/// after white space, outside every scalar.
fn comment_start(text: &str, start: usize, end: usize, scalars: &[Span]) -> Option<usize> {
    let line = &text[start..end];
    line.match_indices('#').map(|(i, _)| start + i).find(|&at| {
        let after_space = at == start || matches!(text.as_bytes()[at - 1], b' ' | b'\t');
        after_space && !scalars.iter().any(|s| s.start() <= at && at < s.end())
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
    let at = finding.primary.span.start();
    let resource = root
        .get("Resources")?
        .iter_map()
        .find(|entry| entry.span().start() <= at && at < entry.span().end())?;
    let code = finding.code();
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
    if ignore
        .value
        .iter_seq()
        .any(|item| item.as_str() == Some(code))
    {
        return None;
    }
    add_item(source, &ignore.value, &quote(code))
}

/// Whether a collection is written in flow style (`{...}`, `[...]`, or any JSON one).
fn is_flow(source: &SourceFile, node: &Node) -> bool {
    matches!(
        source.text.as_bytes().get(node.span().start()),
        Some(b'{' | b'[')
    )
}

/// Inserts `key: value` as the first entry of a mapping.
fn add_entry(source: &SourceFile, map: &Node, key: &str, value: &str) -> Option<TextEdit> {
    let entries = map.as_map()?;
    let entry = format!("{key}: {value}");
    if is_flow(source, map) {
        return Some(match entries.first() {
            Some(first) => insert_at(source, first.key.span.start(), format!("{entry}, ")),
            None => insert_at(source, map.span().start() + 1, entry),
        });
    }
    let first = entries.first()?;
    let indent = block_indent(source, first.key.span.start())?;
    let newline = if source.text.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    Some(insert_at(
        source,
        first.key.span.start(),
        format!("{entry}{newline}{indent}"),
    ))
}

/// Inserts `item` as the first item of a sequence.
fn add_item(source: &SourceFile, seq: &Node, item: &str) -> Option<TextEdit> {
    let items = seq.as_seq()?;
    if is_flow(source, seq) {
        return Some(match items.first() {
            Some(first) => insert_at(source, first.span().start(), format!("{item}, ")),
            None => insert_at(source, seq.span().start() + 1, item.to_string()),
        });
    }
    let first = items.first()?;
    let line_start = source.line_start(source.line_index(first.span().start()));
    let prefix = &source.text[line_start..first.span().start()];
    // Only the plain `  - item` shape: anything else on the line is left alone.
    let dash = prefix.trim_start();
    if !(dash.starts_with('-') && dash[1..].trim().is_empty()) {
        return None;
    }
    let newline = if source.text.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    Some(insert_at(
        source,
        first.span().start(),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rule::{Label, Severity};

    /// A finding of `code` at the first occurrence of `needle`.
    fn finding_at(text: &str, needle: &str) -> Finding {
        let start = text.find(needle).unwrap_or(usize::MAX);
        Finding {
            meta: crate::registry::find("CFR-001").expect("a rule").meta,
            severity: Severity::Warning,
            message: String::new(),
            primary: Label {
                span: Span::new(start, start + needle.len()),
                text: None,
            },
            secondary: Vec::new(),
            help: None,
            fix: None,
        }
    }

    /// The text after applying the edit `make` computes for a finding at `needle`.
    fn edited(
        name: &str,
        text: &str,
        needle: &str,
        make: impl Fn(&SourceFile, Syntax, &Node, &Finding) -> Option<TextEdit>,
    ) -> Option<String> {
        let source = SourceFile::new(name, text.to_string());
        let syntax = kind::syntax_of(&source.path, text);
        let loaded = lint::load(&source.path, text);
        let root = loaded.root.as_ref()?;
        let edit = make(&source, syntax, root, &finding_at(text, needle))?;
        let start = text::offset(text, edit.range.start);
        let end = text::offset(text, edit.range.end);
        let mut out = text.to_string();
        out.replace_range(start..end, &edit.new_text);
        Some(out)
    }

    fn on_line(text: &str, needle: &str) -> Option<String> {
        edited("t.yaml", text, needle, |s, _, r, f| ignore_on_line(s, r, f))
    }

    fn for_resource(name: &str, text: &str, needle: &str) -> Option<String> {
        edited(name, text, needle, ignore_for_resource)
    }

    #[test]
    fn the_comment_goes_at_the_end_of_a_plain_line() {
        assert_eq!(
            on_line("a:\n  b: allow-all   \n", "allow-all").as_deref(),
            Some("a:\n  b: allow-all  # stacklint-ignore CFR-001 -- reason   \n")
        );
    }

    #[test]
    fn a_line_with_a_comment_gets_one_before_it_indented_alike() {
        assert_eq!(
            on_line("a:\n  b: allow-all # keep\n", "allow-all").as_deref(),
            Some("a:\n  # stacklint-ignore CFR-001 -- reason\n  b: allow-all # keep\n")
        );
        // A `#` inside a value is not a comment.
        assert_eq!(
            on_line("a:\n  b: 'x # y'\n", "'x # y'").as_deref(),
            Some("a:\n  b: 'x # y'  # stacklint-ignore CFR-001 -- reason\n")
        );
    }

    #[test]
    fn an_existing_ignore_comment_gets_the_code() {
        assert_eq!(
            on_line("a:\n  b: x # stacklint-ignore S3-001 -- old\n", "x").as_deref(),
            Some("a:\n  b: x # stacklint-ignore S3-001, CFR-001 -- old\n")
        );
        assert_eq!(
            on_line("a:\n  # stacklint-ignore S3-001\n  b: x\n", "x").as_deref(),
            Some("a:\n  # stacklint-ignore S3-001, CFR-001\n  b: x\n")
        );
    }

    #[test]
    fn block_scalar_content_never_gets_a_comment() {
        // After the indicator a comment is allowed.
        assert_eq!(
            on_line("a: |\n  text\nb: 1\n", "|").as_deref(),
            Some("a: |  # stacklint-ignore CFR-001 -- reason\n  text\nb: 1\n")
        );
        // Inside the content it would become content, before or after the line.
        assert_eq!(on_line("a: |\n  text\n  more\nb: 1\n", "more"), None);
    }

    const RESOURCE: &str = "Resources:\n  Cdn:\n    Type: AWS::CloudFront::Distribution\n    Properties:\n      X: allow-all\n";

    #[test]
    fn a_resource_without_metadata_gets_it() {
        assert_eq!(
            for_resource("t.yaml", RESOURCE, "allow-all").as_deref(),
            Some("Resources:\n  Cdn:\n    Metadata: {stacklint: {ignore: [CFR-001]}}\n    Type: AWS::CloudFront::Distribution\n    Properties:\n      X: allow-all\n")
        );
    }

    #[test]
    fn the_resource_is_the_one_holding_the_finding() {
        let two =
            format!("{RESOURCE}  Other:\n    Type: AWS::S3::Bucket\n    Properties:\n      Y: z\n");
        let edited = for_resource("t.yaml", &two, "z\n").unwrap_or_default();
        assert!(
            edited.contains("  Other:\n    Metadata: {stacklint: {ignore: [CFR-001]}}\n    Type: AWS::S3::Bucket\n"),
            "{edited}"
        );
    }

    #[test]
    fn existing_metadata_is_extended() {
        let with = |metadata: &str| {
            RESOURCE.replace("    Properties", &format!("{metadata}    Properties"))
        };
        let cases = [
            (
                "    Metadata:\n      Owner: me\n",
                "    Metadata:\n      stacklint: {ignore: [CFR-001]}\n      Owner: me\n",
            ),
            (
                "    Metadata:\n      stacklint:\n        ignore:\n          - S3-001\n",
                "    Metadata:\n      stacklint:\n        ignore:\n          - CFR-001\n          - S3-001\n",
            ),
            (
                "    Metadata: {stacklint: {ignore: [S3-001]}}\n",
                "    Metadata: {stacklint: {ignore: [CFR-001, S3-001]}}\n",
            ),
            (
                "    Metadata: {stacklint: {}}\n",
                "    Metadata: {stacklint: {ignore: [CFR-001]}}\n",
            ),
        ];
        for (before, after) in cases {
            assert_eq!(
                for_resource("t.yaml", &with(before), "allow-all"),
                Some(with(after)),
                "{before}"
            );
        }
        // Already ignored there: nothing to offer.
        let ignored = with("    Metadata: {stacklint: {ignore: [CFR-001]}}\n");
        assert_eq!(for_resource("t.yaml", &ignored, "allow-all"), None);
    }

    #[test]
    fn json_resources_get_json_metadata() {
        let json = r#"{"Resources": {"Cdn": {"Type": "AWS::CloudFront::Distribution", "Properties": {"X": "allow-all"}}}}"#;
        assert_eq!(
            for_resource("t.json", json, "\"allow-all\"").as_deref(),
            Some(
                r#"{"Resources": {"Cdn": {"Metadata": {"stacklint": {"ignore": ["CFR-001"]}}, "Type": "AWS::CloudFront::Distribution", "Properties": {"X": "allow-all"}}}}"#
            )
        );
    }
}
