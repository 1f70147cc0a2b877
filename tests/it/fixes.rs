//! Every fix a rule offers on its failing fixtures, applied: the finding it belongs to
//! is gone, and the file still parses.

use std::path::Path;

use stacklint::lint::{lint_bytes, FileOrigin};
use stacklint::registry::RULES;
use stacklint::rule::{Finding, Severity};

fn lint(path: &Path, text: &str) -> Vec<Finding> {
    lint_bytes(
        path,
        text.as_bytes().to_vec(),
        FileOrigin::Named,
        // Every rule, the info rules included (off by default).
        &stacklint::config::Settings {
            include_info: true,
            ..Default::default()
        },
    )
    .findings
}

#[test]
fn applying_a_fix_removes_its_finding() {
    let mut fixed_by = Vec::new();
    for rule in RULES {
        let dir = Path::new("rules").join(rule.dir);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.filter_map(Result::ok) {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if !name.starts_with("fail")
                || name.ends_with(".snap")
                || name.ends_with(".fixed")
                || !path.is_file()
            {
                continue;
            }
            // PARSE-003's fixtures include invalid UTF-8: nothing to fix there.
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let before = lint(&path, &text);
            for finding in before.iter().filter(|f| f.fix.is_some()) {
                let fix = finding.fix.as_ref().expect("filtered");
                let mut fixed = text.clone();
                fixed.replace_range(fix.span.range(), &fix.replacement);
                let after = lint(&path, &fixed);
                let count = |findings: &[Finding]| {
                    findings
                        .iter()
                        .filter(|f| f.code() == finding.code())
                        .count()
                };
                assert_eq!(
                    count(&after),
                    count(&before) - 1,
                    "{}: fix `{}` of {} left the finding",
                    path.display(),
                    fix.title,
                    finding.code()
                );
                // A trailing comma left elsewhere is a PARSE-001 warning, not a break.
                assert!(
                    after
                        .iter()
                        .all(|f| !f.code().starts_with("PARSE-") || f.severity != Severity::Error),
                    "{}: fix `{}` broke the file",
                    path.display(),
                    fix.title
                );
                fixed_by.push(finding.code());
            }
        }
    }
    // The rules that pin a fix (`fail*.fixed`, `RegisteredRule::has_fix`) must offer it here.
    for rule in RULES.iter().filter(|r| r.has_fix) {
        assert!(
            fixed_by.contains(&rule.meta.code),
            "no fixture of {} offers its fix",
            rule.meta.code
        );
    }
    assert!(RULES.iter().any(|r| r.has_fix), "no rule pins a fix");
}
