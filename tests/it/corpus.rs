//! Lints every file of `../shared/corpus` (2,764 real templates, appspec and Dockerrun
//! files written by others) and checks:
//! - nothing panics, and every file is detected as the kind `INDEX.tsv` gives it;
//! - PARSE-001 appears only on files the index marks unparsed, or on SAM translator
//!   inputs that are invalid on purpose (`error_*`);
//! - the number of findings per rule equals the reviewed counts pinned in
//!   `tests/corpus-findings.tsv`: a new finding must be reviewed (true problem, or a
//!   false positive to fix) before `UPDATE_SNAPSHOTS=1` re-pins the counts.

use std::collections::BTreeMap;
use std::io::Write;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use stacklint::config::Settings;
use stacklint::lint::{lint_bytes, FileOrigin};
use stacklint::rule::{ConfiguredOption, FileKind, OptionValue};

const CORPUS: &str = "../shared/corpus";
const PINNED: &str = "tests/corpus-findings.tsv";
/// The day date-dependent rules judge the corpus on.
const CORPUS_DAY: &str = "2026-12-01";

/// Per file: its index in the listing, its findings (code and printed line) or the
/// panic, and the detected kind.
type Outcome = (
    usize,
    Result<Vec<(&'static str, String)>, String>,
    Option<FileKind>,
);

struct Row {
    path: PathBuf,
    label: String,
    kind: String,
}

fn index() -> Option<Vec<Row>> {
    let text = std::fs::read_to_string(Path::new(CORPUS).join("INDEX.tsv")).ok()?;
    Some(
        text.lines()
            .skip(1)
            .filter_map(|line| {
                let cells: Vec<&str> = line.split('\t').collect();
                Some(Row {
                    path: Path::new(CORPUS).join(cells.first()?),
                    label: cells.get(1)?.to_string(),
                    kind: cells.get(2)?.to_string(),
                })
            })
            .collect(),
    )
}

/// Whether the `CI` variable says this is a CI run (`CI=true`, as GitHub Actions and
/// `.ci/run`'s caller set it; `false`, `0` and empty say it is not).
fn in_ci(value: Option<&str>) -> bool {
    value.is_some_and(|v| !matches!(v.trim().to_ascii_lowercase().as_str(), "" | "0" | "false"))
}

#[test]
fn ci_is_recognised() {
    assert!(in_ci(Some("true")));
    assert!(in_ci(Some("1")));
    assert!(!in_ci(Some("false")));
    assert!(!in_ci(Some("")));
    assert!(!in_ci(None));
}

fn expected_kind(kind: &str) -> Option<FileKind> {
    match kind {
        "cfn" | "sam" => Some(FileKind::Template),
        "appspec" => Some(FileKind::Appspec),
        "dockerrun" => Some(FileKind::Dockerrun),
        _ => None,
    }
}

#[test]
fn corpus_lints_cleanly() {
    let Some(rows) = index() else {
        assert!(
            !in_ci(std::env::var("CI").ok().as_deref()),
            "{CORPUS}/INDEX.tsv is missing, and CI must run the corpus test"
        );
        // Straight to the process's standard error, past libtest's capture: a skip
        // must be seen, not pass as `ok` in 0.00 s.
        let _ = writeln!(
            std::io::stderr(),
            "\nSKIPPED corpus::corpus_lints_cleanly: {CORPUS}/INDEX.tsv not found (the shared \
             corpus belongs beside the checkout; with CI=true this is a failure)\n"
        );
        return;
    };
    assert!(
        rows.len() > 2000,
        "the corpus index lists {} files",
        rows.len()
    );
    // Every rule, the info rules included (off by default): the pinned counts cover them.
    // Rules that judge against the calendar (LAM-012) see a fixed day, so the pinned
    // counts do not move with the clock.
    let settings = Settings {
        include_info: true,
        options: vec![ConfiguredOption {
            code: "LAM-012",
            name: "today",
            value: OptionValue::Date(stacklint::date::parse(CORPUS_DAY)),
        }],
        ..Settings::default()
    };
    let results: Vec<Outcome> = rows
        .par_iter()
        .enumerate()
        .map(|(i, row)| {
            let bytes = std::fs::read(&row.path).unwrap_or_default();
            let outcome = catch_unwind(AssertUnwindSafe(|| {
                lint_bytes(&row.path, bytes, FileOrigin::Walked, &settings)
            }));
            match outcome {
                Ok(report) => {
                    let findings = report
                        .findings
                        .iter()
                        .map(|f| {
                            let at = report.source.line_col(f.primary.span.start());
                            (
                                f.code(),
                                format!(
                                    "{}:{}:{}: {} {}",
                                    report.source.name(),
                                    at.line,
                                    at.column,
                                    f.code(),
                                    f.message
                                ),
                            )
                        })
                        .collect();
                    (i, Ok(findings), report.kind)
                }
                Err(_) => (i, Err(format!("panic on {}", row.path.display())), None),
            }
        })
        .collect();

    let mut problems = Vec::new();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    let mut listing = String::new();
    for (i, result, kind) in results {
        let row = &rows[i];
        let findings = match result {
            Ok(findings) => findings,
            Err(panic) => {
                problems.push(panic);
                continue;
            }
        };
        let unparsed = row.label.ends_with("unparsed");
        let invalid_on_purpose = row
            .path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("error_"));
        if !unparsed && !invalid_on_purpose && kind != expected_kind(&row.kind) {
            problems.push(format!(
                "{}: detected as {kind:?}, indexed as {}",
                row.path.display(),
                row.kind
            ));
        }
        for (code, line) in findings {
            if code == "PARSE-001" && !unparsed && !invalid_on_purpose {
                problems.push(format!("parse error on a valid file: {line}"));
            }
            *counts.entry(code).or_default() += 1;
            listing.push_str(&line);
            listing.push('\n');
        }
    }
    let summary: String = counts
        .iter()
        .map(|(code, n)| format!("{code}\t{n}\n"))
        .collect();
    eprintln!("corpus findings per rule:\n{summary}");
    let _ = std::fs::create_dir_all("target");
    let _ = std::fs::write("target/corpus-findings.txt", &listing);
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );

    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(PINNED, &summary).expect("write pinned counts");
        return;
    }
    let pinned = std::fs::read_to_string(PINNED).unwrap_or_default();
    let pinned: BTreeMap<&str, usize> = pinned
        .lines()
        .filter_map(|line| {
            let (code, count) = line.split_once('\t')?;
            Some((code, count.trim().parse().ok()?))
        })
        .collect();
    assert!(!pinned.is_empty(), "{PINNED} holds no reviewed counts");
    let mut changed = Vec::new();
    for (code, &expected) in &pinned {
        let actual = counts.get(code).copied().unwrap_or(0);
        if actual != expected {
            changed.push(format!("{code}: {expected} reviewed, now {actual}"));
        }
    }
    let unreviewed: Vec<String> = counts
        .iter()
        .filter(|(code, _)| !pinned.contains_key(*code))
        .map(|(code, n)| format!("{code}: {n}"))
        .collect();
    if !unreviewed.is_empty() {
        eprintln!(
            "rules with corpus findings not yet pinned: {}",
            unreviewed.join(", ")
        );
    }
    assert!(
        changed.is_empty(),
        "corpus findings changed ({}); review target/corpus-findings.txt, then UPDATE_SNAPSHOTS=1 cargo test --test it corpus::",
        changed.join("; ")
    );
}
