//! Output is rendered file by file on worker threads and written in input order
//! (`src/ordered.rs`, `render::Stream`): what comes out must be exactly what rendering
//! all reports at once gives, in a deterministic order.

use std::path::PathBuf;
use std::process::{Command, Output};

fn stacklint(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_stacklint"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

/// A fresh folder of `count` copies of the listener fixture (one ELB-001 finding
/// each), named so that walking order and name order agree.
fn many_templates(name: &str, count: usize) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("stacklint-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let template = std::fs::read("fixtures/cli/listener.yaml").expect("fixture");
    for n in 0..count {
        std::fs::write(dir.join(format!("t{n:04}.yaml")), &template).expect("write copy");
    }
    dir
}

#[test]
fn json_over_many_files_is_one_array_printed_as_a_whole() {
    let dir = many_templates("json", 40);
    let output = stacklint(&["--format", "json", dir.to_str().expect("utf-8 path")]);
    let text = String::from_utf8(output.stdout).expect("UTF-8 output");
    let findings: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    let files: Vec<&str> = findings
        .as_array()
        .expect("an array")
        .iter()
        .filter(|f| f["rule"] == "ELB-001")
        .map(|f| f["file"].as_str().expect("a file name"))
        .collect();
    assert_eq!(files.len(), 40);
    // Byte for byte what pretty-printing the whole array gives.
    let whole = serde_json::to_string_pretty(&findings).expect("serialisable") + "\n";
    assert_eq!(text, whole);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn json_without_findings_is_an_empty_array() {
    let output = stacklint(&["--format", "json", "fixtures/cli/clean.yaml"]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&output.stdout), "[]\n");
}

#[test]
fn files_come_out_in_name_order_whatever_thread_finishes_first() {
    let dir = many_templates("order", 300);
    let output = stacklint(&[
        "--format",
        "compact",
        "--select",
        "ELB-001",
        dir.to_str().expect("utf-8 path"),
    ]);
    assert_eq!(output.status.code(), Some(1));
    let text = String::from_utf8_lossy(&output.stdout);
    let names: Vec<String> = text
        .lines()
        .map(|line| line.split(':').next().unwrap_or_default().to_string())
        .collect();
    let expected: Vec<String> = (0..300)
        .map(|n| dir.join(format!("t{n:04}.yaml")).display().to_string())
        .collect();
    assert_eq!(names, expected);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_human_summary_counts_every_file() {
    let dir = many_templates("human", 25);
    let output = stacklint(&["--select", "ELB-001", dir.to_str().expect("utf-8 path")]);
    let text = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        text.matches("ELB-001(https-listener-without-certificate)")
            .count(),
        25
    );
    assert!(
        text.ends_with("\nFound 25 errors, 0 warnings, 0 infos in 25 files.\n"),
        "{text}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_unwritable_output_file_is_an_error_and_nothing_is_left_behind() {
    let dir = std::env::temp_dir().join(format!("stacklint-nowhere-{}", std::process::id()));
    let target = dir.join("missing-folder").join("report.json");
    let output = stacklint(&[
        "--output-file",
        target.to_str().expect("utf-8 path"),
        "fixtures/cli/listener.yaml",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("report.json"));
    assert!(!target.exists());
}
