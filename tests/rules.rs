//! Every rule's fixtures, found in its folder: each `fail*` case must produce the rule's
//! finding and match its pinned rendering (`<case>.snap`); each `pass*` case must not.
//! Meta-tests check that every rule has documentation, a source, fixtures and
//! snapshots, and agrees with the catalog.
//!
//! `UPDATE_SNAPSHOTS=1 cargo test --test rules` rewrites the snapshots.

use std::path::{Path, PathBuf};

use libtest_mimic::{Arguments, Failed, Trial};
use stacklint::config::Settings;
use stacklint::files;
use stacklint::lint::{lint_bytes, FileOrigin, FileReport};
use stacklint::registry::RULES;
use stacklint::render::{self, HumanOptions};
use stacklint::rule::RegisteredRule;
use stacklint::selection::Selection;
use stacklint::suppress::UNUSED_SUPPRESSION;

fn main() {
    let args = Arguments::from_args();
    let mut trials = Vec::new();
    for rule in RULES {
        let name = rule.meta.code;
        trials.push(Trial::test(format!("meta::{name}"), move || meta(rule)));
        for case in cases(rule) {
            let label = case
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let failing = label.starts_with("fail");
            trials.push(Trial::test(
                format!("fixture::{name}::{label}"),
                move || {
                    if failing {
                        failing_case(rule, &case)
                    } else {
                        passing_case(rule, &case)
                    }
                },
            ));
        }
    }
    trials.push(Trial::test("meta::catalog_codes", catalog_codes));
    libtest_mimic::run(&args, trials).exit();
}

fn rule_dir(rule: &RegisteredRule) -> PathBuf {
    Path::new("rules").join(rule.dir)
}

/// The `fail*` and `pass*` files and folders of a rule.
fn cases(rule: &RegisteredRule) -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(rule_dir(rule))
        .map(|entries| entries.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    cases.retain(|path| {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        (name.starts_with("fail") || name.starts_with("pass"))
            && !name.ends_with(".snap")
            && !name.ends_with(".fixed")
    });
    cases.sort();
    cases
}

/// Lints a case (a file, or a folder for layouts such as an appspec and its scripts).
fn lint(case: &Path, settings: &Settings) -> Vec<FileReport> {
    let inputs = if case.is_dir() {
        files::collect(&[case.to_path_buf()]).0
    } else {
        vec![files::Input {
            path: case.to_path_buf(),
            origin: FileOrigin::Named,
        }]
    };
    inputs
        .iter()
        .map(|input| {
            let bytes = std::fs::read(&input.path).unwrap_or_default();
            lint_bytes(&input.path, bytes, input.origin, settings)
        })
        .collect()
}

/// The rule alone, with unused suppressions reported; STACKLINT-001 (unused
/// suppressions) is judged with every rule running, as a suppression of a rule that
/// does not run is never reported.
fn only(code: &str) -> Settings {
    let select = if code == UNUSED_SUPPRESSION {
        Vec::new()
    } else {
        vec![code.to_string()]
    };
    Settings {
        selection: Selection {
            select,
            ignore: Vec::new(),
        },
        report_unused_suppressions: true,
        // STACKLINT-001's cases run every rule, the info rules included (off by default).
        include_info: true,
        ..Settings::default()
    }
}

fn count(reports: &[FileReport], code: &str) -> usize {
    reports
        .iter()
        .flat_map(|r| &r.findings)
        .filter(|f| f.code() == code)
        .count()
}

/// `only(code)` with the rule options (and `regions`) of the fixtures'
/// `.stacklint.yaml`: the rule folder's, and for a folder case its own (which wins).
/// Options such as LAM-012's `today` pin what would otherwise move with the clock.
fn settings_for(rule: &RegisteredRule, case: &Path) -> Result<Settings, Failed> {
    let mut settings = only(rule.meta.code);
    let mut configs = vec![rule_dir(rule).join(".stacklint.yaml")];
    if case.is_dir() {
        configs.push(case.join(".stacklint.yaml"));
    }
    for config in configs.into_iter().filter(|c| c.is_file()) {
        let loaded =
            stacklint::config::load(&config).map_err(|e| format!("{}: {e}", config.display()))?;
        settings.options.retain(|o| {
            !loaded
                .options
                .iter()
                .any(|l| l.code == o.code && l.name == o.name)
        });
        settings.options.extend(loaded.options);
        // SCHEMA-001's `regions:` (a folder case's own list wins).
        if !loaded.regions.is_empty() {
            settings.regions = loaded.regions;
        }
    }
    Ok(settings)
}

fn failing_case(rule: &RegisteredRule, case: &Path) -> Result<(), Failed> {
    let reports = lint(case, &settings_for(rule, case)?);
    if count(&reports, rule.meta.code) == 0 {
        return Err(format!("{} reported nothing on {}", rule.meta.code, case.display()).into());
    }
    check_spans(case)?;
    let rendered = render::human(
        &reports,
        &HumanOptions {
            color: false,
            width: 100,
        },
    );
    compare_snapshot(&snapshot_path(case), &rendered)?;
    compare_fixed(rule, case)
}

/// `fail.yaml.fixed` pins what `--fix` makes of `fail.yaml` with the rule alone; a
/// case without fixes has no such file.
fn compare_fixed(rule: &RegisteredRule, case: &Path) -> Result<(), Failed> {
    if case.is_dir() {
        return Ok(());
    }
    let mut name = case.file_name().unwrap_or_default().to_os_string();
    name.push(".fixed");
    let path = case.with_file_name(name);
    let bytes = std::fs::read(case).map_err(|e| Failed::from(e.to_string()))?;
    let outcome = stacklint::fix::fix_bytes(case, bytes, FileOrigin::Named, &only(rule.meta.code));
    match outcome.fixed {
        Some(fixed) => {
            if outcome
                .report
                .findings
                .iter()
                .any(|f| f.code().starts_with("PARSE-"))
            {
                return Err(format!("the fixes of {} break the file", case.display()).into());
            }
            compare_snapshot(&path, &fixed)
        }
        None if path.exists() && std::env::var_os("UPDATE_SNAPSHOTS").is_some() => {
            std::fs::remove_file(&path).map_err(|e| Failed::from(e.to_string()))
        }
        None if path.exists() => Err(format!(
            "{} is pinned but no fix applies any more (UPDATE_SNAPSHOTS=1 removes it)",
            path.display()
        )
        .into()),
        None => Ok(()),
    }
}

fn passing_case(rule: &RegisteredRule, case: &Path) -> Result<(), Failed> {
    let reports = lint(case, &settings_for(rule, case)?);
    if count(&reports, rule.meta.code) > 0 {
        let rendered = render::human(
            &reports,
            &HumanOptions {
                color: false,
                width: 100,
            },
        );
        return Err(format!("{} fired on a passing case:\n{rendered}", rule.meta.code).into());
    }
    check_spans(case)
}

/// With every rule on: every label lies inside its file on character boundaries, and
/// the JSON output is valid.
fn check_spans(case: &Path) -> Result<(), Failed> {
    let every_rule = Settings {
        include_info: true,
        ..Settings::default()
    };
    let reports = lint(case, &every_rule);
    for report in &reports {
        let text = &report.source.text;
        for finding in &report.findings {
            for label in std::iter::once(&finding.primary).chain(&finding.secondary) {
                let span = label.span;
                if span.start() > span.end()
                    || span.end() > text.len()
                    || !text.is_char_boundary(span.start())
                    || !text.is_char_boundary(span.end())
                {
                    return Err(format!(
                        "{}: bad span {span:?} in {}",
                        finding.code(),
                        report.source.name()
                    )
                    .into());
                }
            }
        }
    }
    serde_json::from_str::<serde_json::Value>(&render::json(&reports))
        .map_err(|e| format!("invalid JSON output: {e}"))?;
    Ok(())
}

fn snapshot_path(case: &Path) -> PathBuf {
    let mut name = case.file_name().unwrap_or_default().to_os_string();
    name.push(".snap");
    case.with_file_name(name)
}

fn compare_snapshot(path: &Path, actual: &str) -> Result<(), Failed> {
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    match std::fs::read_to_string(path) {
        Ok(expected) if expected == actual => Ok(()),
        _ if update => std::fs::write(path, actual).map_err(|e| Failed::from(e.to_string())),
        Ok(expected) => Err(format!(
            "snapshot {} differs (UPDATE_SNAPSHOTS=1 to accept)\n--- expected\n{expected}\n--- actual\n{actual}",
            path.display()
        )
        .into()),
        Err(_) => Err(format!(
            "no snapshot {} (UPDATE_SNAPSHOTS=1 to write it)\n--- actual\n{actual}",
            path.display()
        )
        .into()),
    }
}

/// Documentation, source, fixtures and snapshots are all there.
fn meta(rule: &RegisteredRule) -> Result<(), Failed> {
    let code = rule.meta.code;
    let mut problems = Vec::new();
    if rule.dir != code {
        problems.push(format!(
            "folder `{}` should be named after the code",
            rule.dir
        ));
    }
    for section in ["## What it finds", "## Why it matters"] {
        if !rule.docs.contains(section) {
            problems.push(format!("docs lack a `{section}` section"));
        }
    }
    if !rule.meta.source.starts_with("https://docs.aws.amazon.com/") {
        problems.push("source is not an AWS documentation page".into());
    }
    if rule.meta.summary.is_empty() || !rule.meta.summary.ends_with('.') {
        problems.push("summary should be one sentence ending with a period".into());
    }
    let cases = cases(rule);
    let name = |p: &PathBuf| {
        p.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    if !cases.iter().any(|c| name(c).starts_with("fail")) {
        problems.push("no failing fixture (fail*)".into());
    }
    if !cases.iter().any(|c| name(c).starts_with("pass")) {
        problems.push("no passing fixture (pass*)".into());
    }
    // With UPDATE_SNAPSHOTS the fixture trials write missing snapshots in this same run
    // (concurrently), so their absence is not a problem to report here.
    let updating = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    for case in cases
        .iter()
        .filter(|c| !updating && name(c).starts_with("fail"))
    {
        if !snapshot_path(case).exists() {
            problems.push(format!("no snapshot for {}", case.display()));
        }
    }
    // `stacklint rule CODE` shows an example made from the fixtures (build.rs).
    if !rule.example.starts_with("## Example")
        || !rule.example.contains("Reported (")
        || !rule.example.contains("Not reported (")
    {
        problems.push(
            "no generated `## Example` with a reported and a passing case (a fail*/pass* \
             file, not only folders)"
                .into(),
        );
    }
    // stacklint's own checks (STACKLINT-*) are not AWS facts: not in the catalog.
    let own = code.starts_with("STACKLINT-");
    if let Some(catalog) = catalog().filter(|_| !own) {
        match catalog.iter().find(|row| row.0 == code) {
            None => problems.push("code is not in the catalog".into()),
            Some((_, name, severity)) => {
                if name != rule.meta.name {
                    problems.push(format!(
                        "catalog names it `{name}`, not `{}`",
                        rule.meta.name
                    ));
                }
                if severity != rule.meta.severity.as_str()
                    && !rule.docs.contains("differs from the catalog")
                {
                    problems.push(format!(
                        "catalog severity is {severity}; document why it differs from the catalog"
                    ));
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n").into())
    }
}

/// `(code, name, severity)` rows of `../shared/RULES-CATALOG.md`, when it is there.
fn catalog() -> Option<Vec<(String, String, String)>> {
    let text = std::fs::read_to_string("../shared/RULES-CATALOG.md").ok()?;
    let rows = text
        .lines()
        .filter_map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            let code = cells.get(1)?;
            let looks_like_code = code.contains('-')
                && code.chars().any(|c| c.is_ascii_digit())
                && code
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-');
            if !looks_like_code {
                return None;
            }
            Some((
                code.to_string(),
                cells.get(2)?.to_string(),
                cells.get(3)?.to_string(),
            ))
        })
        .collect();
    Some(rows)
}

/// Lists the catalog's codes not implemented yet (printed for the planner), and fails
/// if the catalog is missing in CI.
fn catalog_codes() -> Result<(), Failed> {
    let Some(catalog) = catalog() else {
        if std::env::var_os("CI").is_some() {
            return Err("../shared/RULES-CATALOG.md is missing".into());
        }
        return Ok(());
    };
    let missing: Vec<&str> = catalog
        .iter()
        .map(|row| row.0.as_str())
        .filter(|code| !RULES.iter().any(|r| r.meta.code == *code))
        .collect();
    if !missing.is_empty() {
        eprintln!(
            "catalog rules not implemented yet ({}): {}",
            missing.len(),
            missing.join(" ")
        );
    }
    Ok(())
}
