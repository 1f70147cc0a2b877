//! `--fix` and `--diff`: the fixes rules attach to findings (the ones the language
//! server offers as quick fixes), applied to the text.
//!
//! One pass applies every fix of one lint that does not overlap an earlier one; the
//! text is then linted again, until no fix is left (a fix can make another possible)
//! or [`MAX_PASSES`] is reached. A file that does not parse (a `PARSE-*` finding without a fix) is
//! never changed, and a pass whose result would not parse is dropped.

use std::path::Path;

use crate::config::Settings;
use crate::lint::{lint_bytes, FileOrigin, FileReport};
use crate::rule::Finding;

/// Enough for fixes that enable others; a loop that does not settle stops here.
pub const MAX_PASSES: usize = 10;

/// One fix that was applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Applied {
    pub code: &'static str,
    pub title: String,
    /// 1-based line of the edit, in the text of the pass that applied it.
    pub line: usize,
}

/// What fixing one file did.
pub struct Outcome {
    /// The text as read (when it was UTF-8), and the fixed text.
    pub original: Option<String>,
    pub fixed: Option<String>,
    pub applied: Vec<Applied>,
    /// Why nothing was tried (the file does not parse), if so.
    pub refused: Option<String>,
    /// The lint of the final text: what is left.
    pub report: FileReport,
}

/// Lints `bytes` as `path`, applies the fixes until none is left, and lints the result.
pub fn fix_bytes(path: &Path, bytes: Vec<u8>, origin: FileOrigin, settings: &Settings) -> Outcome {
    let original = String::from_utf8(bytes.clone()).ok();
    let mut report = lint_bytes(path, bytes, origin, settings);
    let (Some(original), true) = (original, report.kind.is_some()) else {
        return Outcome {
            original: None,
            fixed: None,
            applied: Vec::new(),
            refused: None,
            report,
        };
    };
    if report.findings.iter().any(is_parse_problem) {
        return Outcome {
            original: Some(original),
            fixed: None,
            applied: Vec::new(),
            refused: Some("the file does not parse; nothing was fixed".into()),
            report,
        };
    }
    let mut text = original.clone();
    let mut applied = Vec::new();
    for _ in 0..MAX_PASSES {
        let Some((next, pass)) = apply_once(&report, &text) else {
            break;
        };
        let relinted = lint_bytes(path, next.clone().into_bytes(), origin, settings);
        if relinted.findings.iter().any(is_parse_problem) {
            break;
        }
        text = next;
        applied.extend(pass);
        report = relinted;
    }
    Outcome {
        fixed: (text != original).then_some(text),
        original: Some(original),
        applied,
        refused: None,
        report,
    }
}

/// A finding that says the file does not load cleanly. PARSE findings that carry a fix
/// (a JSON trailing comma, which CloudFormation reads) are fixes, not refusals.
fn is_parse_problem(finding: &Finding) -> bool {
    finding.code().starts_with("PARSE-") && finding.fix.is_none()
}

/// Applies the report's fixes that do not overlap one another (the first by position
/// wins; the others come back in the next pass), or `None` if there is none.
fn apply_once(report: &FileReport, text: &str) -> Option<(String, Vec<Applied>)> {
    let mut fixes: Vec<(&Finding, &crate::rule::Fix)> = report
        .findings
        .iter()
        .filter_map(|finding| finding.fix.as_ref().map(|fix| (finding, fix)))
        .filter(|(_, fix)| {
            fix.span.start() <= fix.span.end()
                && fix.span.end() <= text.len()
                && text.is_char_boundary(fix.span.start())
                && text.is_char_boundary(fix.span.end())
        })
        .collect();
    fixes.sort_by_key(|(_, fix)| (fix.span.start(), fix.span.end()));
    let mut chosen: Vec<(&Finding, &crate::rule::Fix)> = Vec::new();
    for (finding, fix) in fixes {
        let overlaps = chosen.last().is_some_and(|(_, last)| {
            fix.span.start() < last.span.end() || fix.span.start() == last.span.start()
        });
        if !overlaps {
            chosen.push((finding, fix));
        }
    }
    let mut out = text.to_string();
    let mut applied = Vec::new();
    for (finding, fix) in chosen.iter().rev() {
        if out[fix.span.range()] == fix.replacement {
            continue;
        }
        out.replace_range(fix.span.range(), &fix.replacement);
        applied.push(Applied {
            code: finding.code(),
            title: fix.title.clone(),
            line: report.source.line_col(fix.span.start()).line,
        });
    }
    applied.reverse();
    (!applied.is_empty()).then_some((out, applied))
}

/// A unified diff of `original` to `fixed`, with `name` as both file names (`a/`,
/// `b/` prefixed, as git shows them).
pub fn unified_diff(name: &str, original: &str, fixed: &str) -> String {
    similar::TextDiff::from_lines(original, fixed)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{name}"), &format!("b/{name}"))
        .to_string()
}
