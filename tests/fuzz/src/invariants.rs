//! What must hold for any input, checked by the AFL targets and by the smoke test in
//! `tests/it/fuzz_smoke.rs` (which includes this file): no panic, every span inside the
//! text and on character boundaries with `start <= end` (labels, fixes, loader
//! problems), and every output format rendered well-formed: JSON and SARIF parse as
//! JSON and hold every finding, GitHub commands stay one line each, JUnit XML holds
//! no character XML 1.0 forbids.
//!
//! A broken invariant panics with a message naming it, which AFL records as a crash.

use std::path::Path;

use stacklint::config::Settings;
use stacklint::document::{load_json, load_yaml, LoadProblem, Loaded, Node, Value};
use stacklint::lint::{lint_bytes, FileOrigin, FileReport};
use stacklint::render::{self, HumanOptions};
use stacklint::source::Span;

/// File names the pipeline target lints its input as: each kind by name, plus names
/// that leave the kind to content detection.
pub const NAMES: &[&str] = &[
    "template.yaml",
    "template.json",
    "appspec.yml",
    "appspec.json",
    "Dockerrun.aws.json",
    ".ebextensions/options.config",
    "input.yml",
    "input.template",
];

/// Loads `data` with the YAML loader and checks every span.
pub fn check_yaml(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        check_loaded(text, &load_yaml(text));
    }
}

/// Loads `data` with the JSON loader and checks every span.
pub fn check_json(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        check_loaded(text, &load_json(text));
    }
}

/// The whole pipeline: the first byte picks the file name from [`NAMES`], the rest is
/// the file's content.
pub fn check_pipeline(data: &[u8]) {
    let Some((&pick, bytes)) = data.split_first() else {
        return;
    };
    let name = NAMES[usize::from(pick) % NAMES.len()];
    check_pipeline_as(Path::new(name), bytes, Sarif::Render);
}

/// Whether to render SARIF too: its log carries every rule's documentation, which in a
/// debug build costs more than linting, so the smoke test renders it for some inputs.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Sarif {
    Render,
    Skip,
}

/// Lints `bytes` as the file `path` with every rule (and the unused-suppression
/// report), checks every finding's spans and renders every output format.
pub fn check_pipeline_as(path: &Path, bytes: &[u8], sarif: Sarif) {
    let settings = Settings {
        report_unused_suppressions: true,
        ..Settings::default()
    };
    let report = lint_bytes(path, bytes.to_vec(), FileOrigin::Named, &settings);
    let text = &report.source.text;
    for finding in &report.findings {
        let what = format!("{} `{}`", finding.code(), finding.message);
        check_span(text, finding.primary.span, &what);
        for label in &finding.secondary {
            check_span(text, label.span, &what);
        }
        if let Some(fix) = &finding.fix {
            check_span(text, fix.span, &format!("{what} (fix)"));
        }
    }
    // A known file first: the streamed formats must join the fuzzed file's part to it.
    let known = lint_bytes(
        Path::new("known.yaml"),
        KNOWN.as_bytes().to_vec(),
        FileOrigin::Named,
        &settings,
    );
    assert!(!known.findings.is_empty());
    check_renderers(&[known, report], sarif);
}

/// A template with findings, rendered before the fuzzed file.
const KNOWN: &str = "Resources:\n  Listener:\n    Type: AWS::ElasticLoadBalancingV2::Listener\n    Properties:\n      Protocol: HTTPS\n      Port: 443\n";

fn check_renderers(reports: &[FileReport], sarif: Sarif) {
    let findings: usize = reports.iter().map(|r| r.findings.len()).sum();
    let options = HumanOptions {
        color: true,
        width: 80,
    };
    let human = render::human(reports, &options);
    assert!(
        human.ends_with(".\n"),
        "human output lacks its summary line:\n{human}"
    );
    let compact = render::compact(reports);
    assert!(
        compact.lines().count() >= findings,
        "compact output has fewer lines than findings"
    );
    let json = render::json(reports);
    match serde_json::from_str::<serde_json::Value>(&json) {
        Ok(serde_json::Value::Array(items)) => {
            assert_eq!(items.len(), findings, "JSON output lost findings")
        }
        Ok(other) => panic!("JSON output is not an array: {other}"),
        Err(error) => panic!("JSON output is not JSON ({error}):\n{json}"),
    }
    if sarif == Sarif::Render {
        let sarif = render::sarif(reports);
        match serde_json::from_str::<serde_json::Value>(&sarif) {
            Ok(log) => {
                assert_eq!(log["version"], "2.1.0", "SARIF log without its version");
                let results = log["runs"][0]["results"].as_array().map_or(0, Vec::len);
                assert_eq!(results, findings, "SARIF output lost findings");
            }
            Err(error) => panic!("SARIF output is not JSON ({error}):\n{sarif}"),
        }
    }
    let github = render::github(reports);
    assert_eq!(
        github.lines().count(),
        findings,
        "a GitHub command spans several lines:\n{github}"
    );
    assert!(github.lines().all(|line| line.starts_with("::")));
    let junit = render::junit(reports);
    let forbidden = junit.chars().find(|&c| {
        matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}')
    });
    assert_eq!(forbidden, None, "JUnit XML holds a character XML forbids");
    assert_eq!(
        junit.matches("<failure ").count(),
        findings,
        "JUnit XML lost (or gained) failures:\n{junit}"
    );
}

/// Every span of the tree and of the problems lies in `text`, on character boundaries.
pub fn check_loaded(text: &str, loaded: &Loaded) {
    if let Some(root) = &loaded.root {
        check_node(text, root);
    }
    for problem in &loaded.problems {
        match problem {
            LoadProblem::Syntax { at, opened, .. } => {
                check_span(text, *at, "syntax problem");
                if let Some(opened) = opened {
                    check_span(text, *opened, "unclosed bracket");
                }
            }
            LoadProblem::DuplicateKey { first, again, .. } => {
                check_span(text, *first, "duplicate key (first)");
                check_span(text, *again, "duplicate key (again)");
            }
            LoadProblem::Unsupported { at, .. } => check_span(text, *at, "unsupported content"),
            LoadProblem::ExtraDocument { at } => check_span(text, *at, "extra document"),
            LoadProblem::TrailingComma { at } => check_span(text, *at, "trailing comma"),
        }
    }
}

fn check_node(text: &str, root: &Node) {
    // Iterative: trees may be as deep as the loaders allow.
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        check_span(text, node.span(), "node");
        match &node.value {
            Value::Seq(items) => stack.extend(items),
            Value::Map(entries) => {
                for entry in entries {
                    check_span(text, entry.key.span, "key");
                    stack.push(&entry.value);
                }
            }
            Value::Scalar(..) => {}
        }
    }
}

/// Panics unless `span` is a well-formed range of `text` on character boundaries.
pub fn check_span(text: &str, span: Span, what: &str) {
    assert!(
        span.start() <= span.end(),
        "{what}: span {span:?} starts after it ends"
    );
    assert!(
        span.end() <= text.len(),
        "{what}: span {span:?} ends past the text ({} bytes)",
        text.len()
    );
    assert!(
        text.is_char_boundary(span.start()) && text.is_char_boundary(span.end()),
        "{what}: span {span:?} splits a character"
    );
}
