//! Suppressions: `# stacklint-ignore CODE[, CODE] -- reason` comments (YAML files), and
//! `Metadata: {stacklint: {ignore: [CODE, ...]}}` at template or resource level.
//!
//! The loader sees scalars, not comments, so comments are found in the source text: a
//! `#` at the start of a line or after white space that lies in no scalar's span (a
//! quoted or block scalar may hold `#`; the loader knows where every scalar is).

use crate::document::{Node, ScalarStyle, Value};
use crate::registry;
use crate::rule::{FileKind, Finding, Label};
use crate::source::{SourceFile, Span};

/// The code of the unused-suppression finding.
pub const UNUSED_SUPPRESSION: &str = "STACKLINT-001";

const DIRECTIVE: &str = "stacklint-ignore";

/// Where a suppression applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Findings whose primary span starts on this 0-based line.
    Line(usize),
    /// Findings whose primary span starts inside this span (a resource).
    Within(Span),
    /// The whole file (template-level `Metadata`).
    File,
}

/// One code suppressed in one scope.
#[derive(Clone, Debug, PartialEq)]
pub struct Suppression {
    /// The code as written; empty for a comment that names none.
    pub code: String,
    /// Where the code is written.
    pub span: Span,
    pub scope: Scope,
    /// Whether it suppressed a finding.
    pub used: bool,
}

impl Suppression {
    fn covers(&self, finding: &Finding, source: &SourceFile) -> bool {
        if !self.code.eq_ignore_ascii_case(finding.code()) {
            return false;
        }
        let at = finding.primary.span.start();
        match self.scope {
            Scope::Line(line) => source.line_index(at) == line,
            Scope::Within(span) => span.start() <= at && at < span.end().max(span.start() + 1),
            Scope::File => true,
        }
    }
}

/// The suppressions written in a file: comments when `comments` (YAML), `Metadata`
/// entries when it is a template.
pub fn collect(
    source: &SourceFile,
    root: &Node,
    kind: FileKind,
    comments: bool,
) -> Vec<Suppression> {
    let mut found = Vec::new();
    if comments {
        comment_suppressions(source, root, &mut found);
    }
    if kind == FileKind::Template {
        metadata_suppressions(root, &mut found);
    }
    found
}

/// Removes the findings a suppression covers, marking those suppressions used.
pub fn apply(suppressions: &mut [Suppression], findings: &mut Vec<Finding>, source: &SourceFile) {
    if suppressions.is_empty() {
        return;
    }
    // Indexed by scope, so that each finding looks only at the suppressions that may
    // cover it (100,000 comment lines against many findings were quadratic).
    let mut by_line: std::collections::HashMap<usize, Vec<usize>> = Default::default();
    let mut within: Vec<(usize, usize)> = Vec::new();
    let mut whole_file: Vec<usize> = Vec::new();
    for (i, suppression) in suppressions.iter().enumerate() {
        match suppression.scope {
            Scope::Line(line) => by_line.entry(line).or_default().push(i),
            Scope::Within(span) => within.push((span.start(), i)),
            Scope::File => whole_file.push(i),
        }
    }
    within.sort_unstable();
    findings.retain(|finding| {
        let at = finding.primary.span.start();
        let line = source.line_index(at);
        // Resource spans do not overlap: only those starting at the last start at or
        // before the finding can hold it.
        let before = within.partition_point(|(start, _)| *start <= at);
        let last_start = before.checked_sub(1).map(|i| within[i].0);
        let nearest = within[..before]
            .iter()
            .rev()
            .take_while(|(start, _)| Some(*start) == last_start)
            .map(|(_, i)| *i);
        let candidates: Vec<usize> = by_line
            .get(&line)
            .into_iter()
            .flatten()
            .copied()
            .chain(nearest)
            .chain(whole_file.iter().copied())
            .collect();
        let mut suppressed = false;
        for i in candidates {
            if let Some(suppression) = suppressions.get_mut(i) {
                if suppression.covers(finding, source) {
                    suppression.used = true;
                    suppressed = true;
                }
            }
        }
        !suppressed
    });
}

/// A STACKLINT-001 finding for each suppression that suppressed nothing, except those
/// of rules that do not run on the file (`enabled` says which do).
pub fn unused(
    suppressions: &[Suppression],
    enabled: impl Fn(&str) -> bool,
    severity: crate::rule::Severity,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    for suppression in suppressions.iter().filter(|s| !s.used) {
        let (message, label, help) = if suppression.code.is_empty() {
            (
                format!("`{DIRECTIVE}` names no rule code"),
                "no code here".to_string(),
                format!("write `# {DIRECTIVE} CODE -- reason`"),
            )
        } else {
            match registry::find(&suppression.code) {
                None => (
                    format!("suppression of unknown rule code `{}`", suppression.code),
                    "no rule has this code".to_string(),
                    "fix the code (`stacklint rules` lists them) or remove it".to_string(),
                ),
                Some(rule) if !enabled(rule.meta.code) => continue,
                Some(rule) => (
                    format!(
                        "suppression of {} is unused: there is no {} finding here",
                        rule.meta.code, rule.meta.code
                    ),
                    "suppresses nothing".to_string(),
                    "remove it: a stale suppression would hide the next real finding".to_string(),
                ),
            }
        };
        findings.push(Finding {
            meta: registry::builtin(UNUSED_SUPPRESSION),
            severity,
            message,
            primary: Label {
                span: suppression.span,
                text: Some(label),
            },
            secondary: Vec::new(),
            help: Some(help),
            fix: None,
        });
    }
    findings
}

/// `Metadata.stacklint.ignore` of the template and of each resource.
fn metadata_suppressions(root: &Node, found: &mut Vec<Suppression>) {
    let codes = |node: &Node| node.path(&["Metadata", "stacklint", "ignore"]).cloned();
    if let Some(list) = codes(root) {
        push_codes(&list, Scope::File, found);
    }
    for entry in root
        .get("Resources")
        .map(Node::iter_map)
        .into_iter()
        .flatten()
    {
        if let Some(list) = codes(&entry.value) {
            push_codes(&list, Scope::Within(entry.span()), found);
        }
    }
}

fn push_codes(list: &Node, scope: Scope, found: &mut Vec<Suppression>) {
    let items: Vec<&Node> = match &list.value {
        Value::Seq(items) => items.iter().collect(),
        Value::Scalar(..) => vec![list],
        Value::Map(_) => Vec::new(),
    };
    for item in items {
        if let Some(code) = item.as_str() {
            found.push(Suppression {
                code: code.trim().to_string(),
                span: item.span(),
                scope,
                used: false,
            });
        }
    }
}

/// `# stacklint-ignore` comments: at the end of a line they cover that line; alone on
/// a line they cover the next line that is neither blank nor only a comment.
fn comment_suppressions(source: &SourceFile, root: &Node, found: &mut Vec<Suppression>) {
    // Most files have no directive at all: one substring search instead of looking
    // for a comment on every line (5% of the lint time of a typical template).
    if !source.text.contains(DIRECTIVE) {
        return;
    }
    let scalars = scalar_spans(root);
    let text = &source.text;
    let line_count = source.line_index(text.len()) + 1;
    let comments: Vec<Option<(usize, bool)>> = (0..line_count)
        .map(|line| comment_on_line(source, line, &scalars))
        .collect();
    // The next line that is neither blank nor only a comment, after each line: one
    // backward pass (a search per comment was quadratic in a run of comment lines).
    let mut next_significant = vec![None; line_count];
    let mut after = None;
    for line in (0..line_count).rev() {
        next_significant[line] = after;
        let blank = source_line(source, line).trim().is_empty();
        let only_comment = matches!(comments[line], Some((_, true)));
        if !blank && !only_comment {
            after = Some(line);
        }
    }
    for (line, comment) in comments.iter().enumerate() {
        let Some((at, alone)) = *comment else {
            continue;
        };
        let Some((directive_end, parsed)) = parse_directive(text, at, line_end(source, line))
        else {
            continue;
        };
        let target = if alone {
            next_significant[line]
        } else {
            Some(line)
        };
        // A comment covering no line (at the end of the file) still gets reported as
        // unused: it is given a line no finding is on.
        let scope = Scope::Line(target.unwrap_or(usize::MAX));
        if parsed.is_empty() {
            found.push(Suppression {
                code: String::new(),
                span: Span::new(at, directive_end),
                scope,
                used: false,
            });
        }
        for (code, span) in parsed {
            found.push(Suppression {
                code,
                span,
                scope,
                used: false,
            });
        }
    }
}

fn line_end(source: &SourceFile, line: usize) -> usize {
    let next = source.line_start(line + 1);
    let text = &source.text[source.line_start(line)..next];
    source.line_start(line) + text.trim_end_matches(['\n', '\r']).len()
}

fn source_line(source: &SourceFile, line: usize) -> &str {
    &source.text[source.line_start(line)..line_end(source, line)]
}

/// The byte offset of the line's comment `#`, and whether the comment is alone on the
/// line.
fn comment_on_line(source: &SourceFile, line: usize, scalars: &[Span]) -> Option<(usize, bool)> {
    let start = source.line_start(line);
    let text = source_line(source, line);
    let mut previous = None;
    for (i, c) in text.char_indices() {
        let at = start + i;
        let after_space = previous.is_none_or(|p: char| p == ' ' || p == '\t');
        if c == '#' && after_space && !inside(scalars, at) {
            return Some((at, text[..i].trim().is_empty()));
        }
        previous = Some(c);
    }
    None
}

/// Whether `offset` lies in one of the sorted, disjoint `spans`.
fn inside(spans: &[Span], offset: usize) -> bool {
    let after = spans.partition_point(|s| s.start() <= offset);
    after > 0 && offset < spans[after - 1].end()
}

/// The spans of every key and scalar value, sorted: a `#` inside one is not a
/// comment. A block scalar's span reaches one byte past its last character (its line
/// break): text added at the end of its last line would be content, which the
/// language server's "ignore on this line" action must know; a `#` cannot stand
/// there, so comment detection is unaffected.
pub(crate) fn scalar_spans(root: &Node) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        match &node.value {
            Value::Scalar(_)
                if matches!(
                    node.scalar_style(),
                    Some(ScalarStyle::Literal | ScalarStyle::Folded)
                ) =>
            {
                spans.push(Span::new(node.span().start(), node.span().end() + 1))
            }
            Value::Scalar(..) => spans.push(node.span()),
            Value::Seq(items) => stack.extend(items),
            Value::Map(entries) => {
                for entry in entries {
                    spans.push(entry.key.span);
                    stack.push(&entry.value);
                }
            }
        }
    }
    spans.sort_by_key(|s| (s.start(), s.end()));
    spans.dedup();
    spans
}

/// The codes of a `# stacklint-ignore CODE[, CODE] -- reason` comment starting at
/// `hash`, each with its span, and where the directive word ends; `None` when the
/// comment is not a directive.
fn parse_directive(text: &str, hash: usize, end: usize) -> Option<(usize, Vec<(String, Span)>)> {
    let comment = text.get(hash + 1..end)?;
    let body = comment.trim_start();
    let rest = body.strip_prefix(DIRECTIVE)?;
    if !(rest.is_empty() || rest.starts_with([' ', '\t', ':'])) {
        return None;
    }
    let rest_at = end - rest.len();
    let codes = rest.split("--").next().unwrap_or("");
    let mut found = Vec::new();
    let mut offset = 0;
    for token in codes.split([',', ' ', '\t', ':']) {
        let at = rest_at + offset;
        offset += token.len() + 1;
        if !token.is_empty() {
            found.push((token.to_string(), Span::new(at, at + token.len())));
        }
    }
    Some((rest_at, found))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::load_yaml;

    fn comments(text: &str) -> Vec<(String, Scope, String)> {
        let source = SourceFile::new("t.yaml", text.to_string());
        let loaded = load_yaml(text);
        let root = loaded
            .root
            .unwrap_or(Node::new(Span::empty(0), Value::Map(Box::default())));
        let mut found = Vec::new();
        comment_suppressions(&source, &root, &mut found);
        found
            .into_iter()
            .map(|s| (s.code, s.scope, text[s.span.range()].to_string()))
            .collect()
    }

    #[test]
    fn trailing_comments_cover_their_line_and_own_line_comments_the_next() {
        let text = "a: 1 # stacklint-ignore S3-001, ELB-001 -- legacy\n# stacklint-ignore LAM-006\n\n# other\nb: 2\n";
        assert_eq!(
            comments(text),
            [
                ("S3-001".into(), Scope::Line(0), "S3-001".into()),
                ("ELB-001".into(), Scope::Line(0), "ELB-001".into()),
                ("LAM-006".into(), Scope::Line(4), "LAM-006".into()),
            ]
        );
    }

    #[test]
    fn hashes_inside_scalars_are_not_comments() {
        let text = "a: \"x # stacklint-ignore S3-001\"\nb: 'y # stacklint-ignore S3-001'\nc: |\n  # stacklint-ignore S3-001\nd: e#stacklint-ignore S3-001\n";
        assert_eq!(comments(text), []);
    }

    #[test]
    fn a_comment_after_a_block_scalar_is_a_directive() {
        let text = "c: |\n  text\n# stacklint-ignore S3-001 -- why\nd: |-\n  x\n  # stacklint-ignore S3-002\n";
        assert_eq!(
            comments(text),
            [("S3-001".into(), Scope::Line(3), "S3-001".into())]
        );
    }

    #[test]
    fn a_block_scalar_reaches_the_end_of_its_last_line() {
        let text = "c: |\n  text\nd: x\n";
        let root = load_yaml(text).root.expect("a mapping");
        let spans = scalar_spans(&root);
        let end_of_text = text.find("text").unwrap() + 4;
        assert!(inside(&spans, end_of_text), "{spans:?}");
        // A plain scalar ends where its text does.
        assert!(!inside(&spans, text.len() - 1), "{spans:?}");
    }

    #[test]
    fn other_comments_and_lookalikes_are_not_directives() {
        assert_eq!(comments("a: 1 # stacklint-ignored S3-001\n# note\n"), []);
        assert_eq!(
            comments("a: 1 # stacklint-ignore -- no code\n"),
            [(String::new(), Scope::Line(0), "# stacklint-ignore".into())]
        );
    }
}
