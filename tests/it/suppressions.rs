//! Suppressions: `# stacklint-ignore` comments (only real YAML comments), template- and
//! resource-level `Metadata`, and the unused-suppression report (STACKLINT-001).

use std::process::{Command, Output};

const DIR: &str = "fixtures/config/suppressions";

fn compact(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_stacklint"))
        .args(["--format", "compact"])
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn comments_cover_their_line_or_the_next_one_but_not_text_inside_scalars() {
    let output = compact(&[&format!("{DIR}/comments.yaml")]);
    // `Trailing`: both codes of the trailing comment are suppressed. `LineBefore`: the
    // comment covers `Protocol` past a blank line and another comment, for ELB-001
    // only. `InsideScalars`: the `#` inside a quoted and a block scalar is text, so
    // ELB-001 stays; the real trailing comment suppresses ELB-005.
    assert_eq!(
        stdout(&output),
        "fixtures/config/suppressions/comments.yaml:19:7: warning[ELB-005] HTTPS listener `LineBefore` has no `SslPolicy`: it gets ELBSecurityPolicy-2016-08, which allows TLS 1.0 and 1.1\n\
         fixtures/config/suppressions/comments.yaml:32:7: error[ELB-001] HTTPS listener `InsideScalars` has no `Certificates`\n"
    );
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn metadata_suppresses_in_the_template_or_only_inside_its_resource() {
    let output = compact(&[&format!("{DIR}/metadata.yaml")]);
    // Template-level ELB-005 covers both listeners; resource-level ELB-001 only `Quiet`.
    assert_eq!(
        stdout(&output),
        "fixtures/config/suppressions/metadata.yaml:23:7: error[ELB-001] HTTPS listener `Loud` has no `Certificates`\n"
    );
}

#[test]
fn metadata_suppresses_in_json_templates() {
    let output = compact(&[&format!("{DIR}/metadata.json")]);
    assert_eq!(stdout(&output), "");
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn comments_suppress_in_appspec_files() {
    let output = compact(&[&format!("{DIR}/appspec")]);
    assert_eq!(stdout(&output), "");
    assert_eq!(output.status.code(), Some(0));
    // Without the comment, the missing script is reported.
    let text = std::fs::read_to_string(format!("{DIR}/appspec/appspec.yml")).expect("fixture");
    let uncommented: String = text
        .lines()
        .filter(|line| !line.contains("stacklint-ignore"))
        .map(|line| format!("{line}\n"))
        .collect();
    let report = stacklint::lint::lint_bytes(
        std::path::Path::new(&format!("{DIR}/appspec/appspec.yml")),
        uncommented.into_bytes(),
        stacklint::lint::FileOrigin::Named,
        &stacklint::config::Settings::default(),
    );
    let codes: Vec<&str> = report.findings.iter().map(|f| f.code()).collect();
    assert_eq!(codes, ["APPSPEC-005"]);
}

#[test]
fn unused_suppressions_are_reported_only_when_asked() {
    let file = format!("{DIR}/unused/template.yaml");
    let quiet = compact(&[&file]);
    assert_eq!(stdout(&quiet), "");
    let asked = compact(&["--report-unused-suppressions", &file]);
    let expected = "fixtures/config/suppressions/unused/template.yaml:6:27: warning[STACKLINT-001] suppression of ELB-006 is unused: there is no ELB-006 finding here\n\
                    fixtures/config/suppressions/unused/template.yaml:10:51: warning[STACKLINT-001] suppression of ELB-003 is unused: there is no ELB-003 finding here\n";
    assert_eq!(stdout(&asked), expected);
    // A warning: the run fails only from --fail-on warning.
    assert_eq!(asked.status.code(), Some(0));
    let failing = compact(&[
        "--report-unused-suppressions",
        "--fail-on",
        "warning",
        &file,
    ]);
    assert_eq!(failing.status.code(), Some(1));
}

#[test]
fn the_config_can_ask_for_the_unused_report() {
    let output = compact(&[&format!("{DIR}/unused-by-config/template.yaml")]);
    assert_eq!(
        stdout(&output),
        "fixtures/config/suppressions/unused-by-config/template.yaml:6:27: warning[STACKLINT-001] suppression of ELB-006 is unused: there is no ELB-006 finding here\n\
         fixtures/config/suppressions/unused-by-config/template.yaml:10:51: warning[STACKLINT-001] suppression of ELB-003 is unused: there is no ELB-003 finding here\n"
    );
}

#[test]
fn suppressions_of_rules_that_do_not_run_are_not_reported() {
    let file = format!("{DIR}/unused/template.yaml");
    // Only ELB-001 runs: the unused ELB-003, ELB-005 and ELB-006 are not reported (the
    // flag itself turns STACKLINT-001 on), and ELB-001 is suppressed.
    let output = compact(&["--report-unused-suppressions", "--select", "ELB-001", &file]);
    assert_eq!(stdout(&output), "");
    assert_eq!(output.status.code(), Some(0));
    let stale = compact(&["--report-unused-suppressions", "--select", "ELB-006", &file]);
    assert_eq!(
        stdout(&stale),
        "fixtures/config/suppressions/unused/template.yaml:6:27: warning[STACKLINT-001] suppression of ELB-006 is unused: there is no ELB-006 finding here\n"
    );
}
