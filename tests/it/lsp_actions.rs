//! Every code action the language server offers, applied to real files: the finding it
//! is for is gone afterwards, and no syntax error appears. This holds the edits to the
//! YAML and JSON they meet (comments, flow and block styles, indentation) and to the
//! suppression rules of `src/suppress.rs`.
//!
//! Always over the rules' `fail*` fixtures; over `../shared/corpus` with
//! `cargo test --release --test it lsp_actions:: --ignored`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use lsp_types::{CodeActionOrCommand, Uri};
use stacklint::config::Settings;
use stacklint::lsp::{actions, lint_document, text};
use stacklint::source::Span;

/// Findings checked per rule and file.
const MAX_PER_CODE: usize = 3;

/// Applies every action of every finding of one file; returns how many were checked,
/// or the failures.
fn check_file(path: &Path) -> Result<usize, Vec<String>> {
    let Ok(original) = std::fs::read_to_string(path) else {
        return Ok(0);
    };
    // Every rule, the info rules included (off by default).
    let settings = Settings {
        include_info: true,
        ..Settings::default()
    };
    let uri: Uri = "file:///t".parse().map_err(|_| vec!["uri".to_string()])?;
    let report = lint_document(path, &original, &settings);
    let count = |text: &str, code: &str| {
        let report = lint_document(path, text, &settings);
        let same = report.findings.iter().filter(|f| f.code() == code).count();
        let broken = report
            .findings
            .iter()
            .any(|f| f.code().starts_with("PARSE-"));
        (same, broken)
    };
    let mut checked = 0;
    let mut failures = Vec::new();
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for finding in &report.findings {
        // A few findings per rule and file: a file with 500 alike findings would
        // otherwise take a minute.
        let times = seen.entry(finding.code()).or_default();
        *times += 1;
        if *times > MAX_PER_CODE {
            continue;
        }
        let (before, was_broken) = count(&original, finding.code());
        for action in actions::code_actions(&uri, &report, finding.primary.span) {
            let CodeActionOrCommand::CodeAction(action) = action else {
                continue;
            };
            // Only this finding's actions (others touching the same place have theirs).
            let for_this = action.diagnostics.iter().flatten().any(|d| {
                d.range == text::range(&report.source, finding.primary.span)
                    && d.message.starts_with(&finding.message)
            });
            if !for_this {
                continue;
            }
            let mut edited = original.clone();
            let edits = action
                .edit
                .and_then(|e| e.changes)
                .and_then(|mut c| c.remove(&uri))
                .unwrap_or_default();
            let mut spans: Vec<(Span, String)> = edits
                .into_iter()
                .map(|e| {
                    let start = text::offset(&original, e.range.start);
                    let end = text::offset(&original, e.range.end);
                    (Span::new(start, end), e.new_text)
                })
                .collect();
            spans.sort_by_key(|(span, _)| std::cmp::Reverse(span.start()));
            for (span, new_text) in spans {
                edited.replace_range(span.range(), &new_text);
            }
            let (after, broken) = count(&edited, finding.code());
            if after >= before || (broken && !was_broken) {
                failures.push(format!(
                    "{}: `{}` for {} at {:?}: {before} → {after} findings{}",
                    path.display(),
                    action.title,
                    finding.code(),
                    finding.primary.span,
                    if broken { ", and a syntax error" } else { "" }
                ));
            }
            checked += 1;
        }
    }
    if failures.is_empty() {
        Ok(checked)
    } else {
        Err(failures)
    }
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn check_all(files: &[PathBuf]) -> usize {
    let mut checked = 0;
    let mut failures = Vec::new();
    for file in files {
        match check_file(file) {
            Ok(n) => checked += n,
            Err(mut f) => failures.append(&mut f),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    checked
}

#[test]
fn actions_on_rule_fixtures_remove_their_findings() {
    let mut files = Vec::new();
    files_under(Path::new("rules"), &mut files);
    files.retain(|p| {
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default();
        name.starts_with("fail")
            && !name.ends_with(".snap")
            && !name.ends_with(".fixed")
            && !name.ends_with(".rs")
    });
    let checked = check_all(&files);
    // Each fail fixture has at least one finding with at least one action.
    assert!(checked > files.len(), "only {checked} actions checked");
}

#[test]
#[ignore = "minutes in a debug build: run with --release -- --ignored"]
fn actions_on_the_corpus_remove_their_findings() {
    let mut files = Vec::new();
    files_under(Path::new("../shared/corpus"), &mut files);
    let checked = check_all(&files);
    println!("{checked} actions checked");
    assert!(checked > 0);
}

/// The cursor anywhere on a finding's line (before the underline, after it, at the
/// line's end) is offered the finding's actions; on another line, not.
#[test]
fn actions_are_offered_anywhere_on_the_findings_line() {
    let path = Path::new("rules/EC2-001/fail.yaml");
    let text = std::fs::read_to_string(path).expect("fixture");
    let uri: Uri = "file:///t".parse().expect("uri");
    let report = lint_document(path, &text, &Settings::default());
    let finding = report
        .findings
        .iter()
        .find(|f| f.code() == "EC2-001")
        .expect("an EC2-001 finding");
    let line_start = text[..finding.primary.span.start()]
        .rfind('\n')
        .map_or(0, |at| at + 1);
    let line_end = text[finding.primary.span.start()..]
        .find('\n')
        .map_or(text.len(), |at| finding.primary.span.start() + at);
    assert!(
        line_start < finding.primary.span.start(),
        "the underline is indented"
    );
    let titles = |at: usize| -> Vec<String> {
        actions::code_actions(&uri, &report, Span::empty(at))
            .into_iter()
            .filter_map(|action| match action {
                CodeActionOrCommand::CodeAction(action) => Some(action.title),
                CodeActionOrCommand::Command(_) => None,
            })
            .collect()
    };
    for at in [line_start, line_start + 1, line_end] {
        assert!(
            titles(at).iter().any(|t| t == "set HttpTokens to required"),
            "at byte {at}: {:?}",
            titles(at)
        );
    }
    let other_line = text[..line_start - 1].rfind('\n').map_or(0, |at| at + 1);
    assert!(
        !titles(other_line).iter().any(|t| t.contains("HttpTokens")),
        "{:?}",
        titles(other_line)
    );
}
