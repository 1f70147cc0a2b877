//! The binary as users run it: exit codes, output formats, stdin, inputs that go wrong.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn stacklint(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_stacklint"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn https_listener_without_certificate_is_underlined_at_its_line() {
    let output = stacklint(&["--select", "ELB-001", "fixtures/cli/listener.yaml"]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(text.contains("ELB-001"), "{text}");
    assert!(text.contains("[fixtures/cli/listener.yaml:7:7]"), "{text}");
    assert!(
        text.contains("7 │       Protocol: HTTPS\n   ·       ───────┬───────"),
        "{text}"
    );
}

#[test]
fn compact_format_is_one_line_per_finding() {
    let output = stacklint(&[
        "--select",
        "ELB-001",
        "--format",
        "compact",
        "fixtures/cli/listener.yaml",
    ]);
    assert_eq!(
        stdout(&output),
        "fixtures/cli/listener.yaml:7:7: error[ELB-001] HTTPS listener `Listener` has no `Certificates`\n"
    );
}

#[test]
fn json_format_follows_the_documented_schema() {
    let output = stacklint(&[
        "--select",
        "ELB-001",
        "--format",
        "json",
        "fixtures/cli/listener.yaml",
    ]);
    let findings: serde_json::Value = serde_json::from_slice(&output.stdout).expect("valid JSON");
    let finding = &findings[0];
    assert_eq!(finding["file"], "fixtures/cli/listener.yaml");
    assert_eq!(finding["rule"], "ELB-001");
    assert_eq!(finding["name"], "https-listener-without-certificate");
    assert_eq!(finding["severity"], "error");
    assert_eq!(
        finding["start"],
        serde_json::json!({"line": 7, "column": 7})
    );
    assert_eq!(finding["end"], serde_json::json!({"line": 7, "column": 22}));
    let text = std::fs::read_to_string("fixtures/cli/listener.yaml").expect("fixture");
    let offset = finding["span"]["offset"].as_u64().expect("offset") as usize;
    let length = finding["span"]["length"].as_u64().expect("length") as usize;
    assert_eq!(&text[offset..offset + length], "Protocol: HTTPS");
    let keys: Vec<&str> = finding
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        &keys[..8],
        ["file", "rule", "name", "severity", "message", "start", "end", "span"]
    );
}

#[test]
fn clean_file_exits_zero() {
    let output = stacklint(&["fixtures/cli/clean.yaml"]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert!(stdout(&output).contains("No problems found in 1 file."));
}

#[test]
fn fail_on_lowers_the_bar() {
    let args = [
        "--select",
        "CFR-001",
        "--format",
        "compact",
        "fixtures/cli/warning-only.yaml",
    ];
    let default = stacklint(&args);
    assert!(
        stdout(&default).contains("warning[CFR-001]"),
        "{}",
        stdout(&default)
    );
    assert_eq!(default.status.code(), Some(0));
    let mut strict = args.to_vec();
    strict.extend(["--fail-on", "warning"]);
    assert_eq!(stacklint(&strict).status.code(), Some(1));
    let mut strictest = args.to_vec();
    strictest.extend(["--fail-on", "info"]);
    assert_eq!(stacklint(&strictest).status.code(), Some(1));
}

#[test]
fn a_broken_file_does_not_hide_the_others() {
    let output = stacklint(&[
        "--format",
        "compact",
        "fixtures/cli/broken.yaml",
        "fixtures/cli/listener.yaml",
    ]);
    let text = stdout(&output);
    assert!(
        text.contains("fixtures/cli/broken.yaml:4:17: error[PARSE-001]"),
        "{text}"
    );
    assert!(text.contains("PARSE-001"), "{text}");
    assert!(
        text.contains("fixtures/cli/listener.yaml:7:7: error[ELB-001]"),
        "{text}"
    );
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn a_missing_file_is_an_io_error_but_the_rest_is_linted() {
    let output = stacklint(&[
        "--format",
        "compact",
        "no/such/file.yaml",
        "fixtures/cli/listener.yaml",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("no/such/file.yaml"));
    assert!(stdout(&output).contains("ELB-001"));
}

#[test]
fn a_named_file_of_no_known_kind_is_explained_not_failed() {
    let output = stacklint(&["fixtures/cli/workflow.yaml"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(
        stderr(&output).contains("fixtures/cli/workflow.yaml: not a CloudFormation"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn walking_a_directory_skips_unknown_files_silently() {
    let output = stacklint(&[
        "--format",
        "compact",
        "--select",
        "ELB-001,PARSE",
        "fixtures/cli",
    ]);
    assert!(
        !stderr(&output).contains("workflow.yaml"),
        "{}",
        stderr(&output)
    );
    assert!(stdout(&output).contains("listener.yaml:7:7"));
    assert!(stdout(&output).contains("broken.yaml"));
}

#[test]
fn globs_are_expanded() {
    let output = stacklint(&[
        "--format",
        "compact",
        "--select",
        "ELB-001",
        "fixtures/cli/list*.yaml",
    ]);
    assert!(
        stdout(&output).contains("listener.yaml:7:7"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn stdin_is_linted_as_the_named_file() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_stacklint"))
        .args([
            "-",
            "--stdin-filename",
            "infra/listener.yaml",
            "--format",
            "compact",
            "--select",
            "ELB-001",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn");
    let text = std::fs::read("fixtures/cli/listener.yaml").expect("fixture");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(&text)
        .expect("write");
    let output = child.wait_with_output().expect("wait");
    assert_eq!(
        stdout(&output),
        "infra/listener.yaml:7:7: error[ELB-001] HTTPS listener `Listener` has no `Certificates`\n"
    );
}

#[test]
fn rules_and_rule_document_the_catalog() {
    let list = stdout(&stacklint(&["rules"]));
    assert!(list.contains("ELB-001"));
    assert!(list.contains("https-listener-without-certificate"));
    let doc = stacklint(&["rule", "elb-001"]);
    assert_eq!(doc.status.code(), Some(0));
    assert!(stdout(&doc).contains("## Why it matters"));
    assert!(stdout(&doc).contains("https://docs.aws.amazon.com/"));
    assert_eq!(stacklint(&["rule", "NOPE-999"]).status.code(), Some(2));
}

#[test]
fn rules_json_lists_each_rule_with_its_options() {
    let list: serde_json::Value =
        serde_json::from_str(&stdout(&stacklint(&["rules", "--json"]))).expect("json");
    let rules = list.as_array().expect("array");
    let lam006 = rules
        .iter()
        .find(|r| r["code"] == "LAM-006")
        .expect("LAM-006 listed");
    let multiplier = &lam006["options"][0];
    assert_eq!(multiplier["name"], "multiplier");
    assert_eq!(multiplier["type"], "integer");
    assert_eq!(multiplier["default"], 6);
    assert_eq!(multiplier["min"], 1);
    let elb001 = rules
        .iter()
        .find(|r| r["code"] == "ELB-001")
        .expect("ELB-001");
    assert_eq!(elb001["options"], serde_json::json!([]));
}

#[test]
fn unknown_flags_are_usage_errors() {
    assert_eq!(stacklint(&["--no-such-flag"]).status.code(), Some(2));
}

#[test]
fn output_file_receives_the_report() {
    let dir = std::env::temp_dir().join(format!("stacklint-out-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let target = dir.join("report.json");
    let output = stacklint(&[
        "--format",
        "json",
        "--select",
        "ELB-001",
        "--output-file",
        target.to_str().expect("utf-8 path"),
        "fixtures/cli/listener.yaml",
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    let report = std::fs::read_to_string(&target).expect("report written");
    assert!(report.contains("ELB-001"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_unknown_select_code_is_a_usage_error_with_a_suggestion() {
    let output = stacklint(&["--select", "ELB-0O1", "fixtures/cli/listener.yaml"]);
    assert_eq!(
        output.status.code(),
        Some(2),
        "nothing would run: not a pass"
    );
    assert_eq!(
        stderr(&output),
        "stacklint: --select: unknown rule code `ELB-0O1`: no rule has this code or prefix; \
         did you mean `ELB-001`? (`stacklint rules` lists the codes)\n"
    );
    assert!(stdout(&output).is_empty(), "nothing is linted");
}

#[test]
fn an_unknown_ignore_prefix_is_a_usage_error_and_known_ones_pass() {
    let output = stacklint(&["--ignore", "ELB-005,SQQ", "fixtures/cli/listener.yaml"]);
    assert_eq!(output.status.code(), Some(2));
    let text = stderr(&output);
    assert!(text.contains("--ignore: unknown rule code `SQQ`"), "{text}");
    assert!(text.contains("did you mean `SQS`?"), "{text}");
    assert!(!text.contains("ELB-005"), "{text}");
    // Codes, prefixes, number prefixes and ALL, in any case, are fine.
    let output = stacklint(&[
        "--select",
        "elb,S3,ELB-00,ALL",
        "--ignore",
        "lam-006",
        "fixtures/cli/clean.yaml",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let output = stacklint(&["--select", "ELB,", "fixtures/cli/clean.yaml"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("an empty rule code"));
}

#[test]
fn a_mistyped_subcommand_is_named_and_no_summary_is_printed() {
    let output = stacklint(&["rulez"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        "stacklint: rulez: no such file or directory (did you mean the subcommand `stacklint rules`?)\n"
    );
    assert_eq!(stdout(&output), "", "no \"No problems found in 0 files.\"");
}

#[test]
fn errors_alone_print_no_clean_summary() {
    let output = stacklint(&["no/such/file.yaml"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(stdout(&output), "");
    assert_eq!(
        stderr(&output),
        "stacklint: no/such/file.yaml: no such file or directory\n"
    );
}

/// A scratch folder under the test target directory, emptied.
fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

#[test]
fn an_empty_folder_says_there_is_nothing_to_lint_and_passes() {
    let dir = scratch("empty");
    std::fs::write(dir.join("README.md"), "not a template\n").expect("file");
    for format in ["human", "compact", "json"] {
        let output = stacklint(&["--format", format, dir.to_str().expect("utf-8")]);
        assert_eq!(output.status.code(), Some(0), "{format}");
        assert!(
            stderr(&output).starts_with("stacklint: no files to lint"),
            "{format}: {}",
            stderr(&output)
        );
        let expected = if format == "json" { "[]\n" } else { "" };
        assert_eq!(stdout(&output), expected, "{format}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn compact_keeps_one_line_per_finding_and_counts_on_stderr() {
    let output = stacklint(&["--format", "compact", "fixtures/cli/listener.yaml"]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(
        text.lines()
            .all(|line| line.starts_with("fixtures/cli/listener.yaml:")),
        "{text}"
    );
    assert_eq!(
        stderr(&output),
        format!(
            "Found 1 error, {} warning{}, 0 infos in 1 file.\n",
            text.matches(": warning[").count(),
            if text.matches(": warning[").count() == 1 {
                ""
            } else {
                "s"
            }
        )
    );
    let clean = stacklint(&["--format", "compact", "fixtures/cli/clean.yaml"]);
    assert_eq!(stdout(&clean), "");
    assert_eq!(stderr(&clean), "No problems found in 1 file.\n");
}

/// The codes of a compact report, in order.
fn codes(output: &Output) -> Vec<String> {
    stdout(output)
        .lines()
        .filter_map(|line| Some(line.split_once('[')?.1.split_once(']')?.0.to_string()))
        .collect()
}

const FORMATS: &str = "fixtures/cli/formats.yaml";

#[test]
fn info_rules_are_off_by_default_and_on_when_asked() {
    let compact = |extra: &[&str]| {
        let mut args = vec!["--format", "compact", "--select", "ELB,SQS"];
        args.extend(extra);
        args.push(FORMATS);
        stacklint(&args)
    };
    let default = compact(&[]);
    assert_eq!(codes(&default), ["ELB-001", "ELB-005", "SQS-001"]);
    assert_eq!(
        codes(&compact(&["--select-info"])),
        ["ELB-001", "ELB-005", "SQS-004", "SQS-001"]
    );
    // Selected by its exact code, the info rule runs; a prefix is not enough.
    let exact = stacklint(&["--format", "compact", "--select", "SQS-004", FORMATS]);
    assert_eq!(codes(&exact), ["SQS-004"]);
    let listed = stdout(&stacklint(&["rules"]));
    assert!(listed.contains("info rules are off by default"), "{listed}");
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&stacklint(&["rules", "--json"]))).expect("json");
    let sqs004 = json
        .as_array()
        .and_then(|rules| rules.iter().find(|r| r["code"] == "SQS-004"))
        .expect("SQS-004 listed");
    assert_eq!(sqs004["enabled_by_default"], false);
}

#[test]
fn include_info_and_a_severity_override_turn_info_rules_on_in_the_configuration() {
    let dir = scratch("include-info");
    std::fs::copy(FORMATS, dir.join("formats.yaml")).expect("fixture");
    let run = |config: &str| {
        std::fs::write(dir.join(".stacklint.yaml"), config).expect("config");
        let output = Command::new(env!("CARGO_BIN_EXE_stacklint"))
            .args(["--format", "compact", "formats.yaml"])
            .current_dir(&dir)
            .output()
            .expect("the binary runs");
        codes(&output)
    };
    assert!(!run("select: [SQS]\n").contains(&"SQS-004".to_string()));
    assert_eq!(
        run("select: [SQS]\ninclude-info: true\n"),
        ["SQS-004", "SQS-001"]
    );
    assert_eq!(
        run("select: [SQS]\nseverity:\n  SQS-004: warning\n"),
        ["SQS-004", "SQS-001"]
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn statistics_count_findings_per_rule_most_frequent_first() {
    let output = stacklint(&["--statistics", "--select-info", "fixtures/cli"]);
    assert_eq!(output.status.code(), Some(1), "the exit code is unchanged");
    let text = stdout(&output);
    let lines: Vec<&str> = text.lines().collect();
    assert!(!lines.is_empty(), "{text}");
    let counts: Vec<usize> = lines
        .iter()
        .map(|line| {
            line.split_whitespace()
                .next()
                .and_then(|n| n.parse().ok())
                .expect("a count")
        })
        .collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{text}");
    assert!(text.contains("  ELB-001  "), "{text}");
    assert!(
        !text.contains("listener.yaml"),
        "no findings, only counts: {text}"
    );
    let json = stacklint(&[
        "--statistics",
        "--format",
        "json",
        "--select",
        "ELB",
        FORMATS,
    ]);
    let rows: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    assert_eq!(
        rows,
        serde_json::json!([
            {"code": "ELB-001", "name": "https-listener-without-certificate", "severity": "error", "count": 1},
            {"code": "ELB-005", "name": "outdated-tls-policy", "severity": "warning", "count": 1},
        ])
    );
}

#[test]
fn exit_zero_reports_findings_but_passes() {
    let output = stacklint(&["--exit-zero", "--format", "compact", FORMATS]);
    assert_eq!(output.status.code(), Some(0));
    assert!(codes(&output).contains(&"ELB-001".to_string()));
    // Usage and I/O errors still fail.
    let missing = stacklint(&["--exit-zero", "no/such/file.yaml"]);
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn quiet_prints_findings_only() {
    let human = stacklint(&[
        "--quiet",
        "--select",
        "ELB-001",
        "fixtures/cli/listener.yaml",
    ]);
    assert_eq!(human.status.code(), Some(1));
    assert!(stdout(&human).contains("ELB-001"));
    assert!(
        !stdout(&human).contains("Found 1 error"),
        "{}",
        stdout(&human)
    );
    let clean = stacklint(&["-q", "fixtures/cli/clean.yaml"]);
    assert_eq!((stdout(&clean).as_str(), stderr(&clean).as_str()), ("", ""));
    let compact = stacklint(&["-q", "--format", "compact", "fixtures/cli/listener.yaml"]);
    assert_eq!(stderr(&compact), "", "no count line");
    let empty = scratch("quiet-empty");
    let nothing = stacklint(&["-q", empty.to_str().expect("utf-8")]);
    assert_eq!(
        (stdout(&nothing).as_str(), stderr(&nothing).as_str()),
        ("", "")
    );
    let unknown = stacklint(&["-q", "fixtures/cli/workflow.yaml"]);
    assert_eq!(stderr(&unknown), "", "no note on the skipped file");
}

#[test]
fn color_always_and_never_override_the_terminal_and_no_color() {
    let args = ["--select", "ELB-001", "fixtures/cli/listener.yaml"];
    let run = |color: &str, no_color: bool| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_stacklint"));
        command.args(args).args(["--color", color]);
        if no_color {
            command.env("NO_COLOR", "1");
        } else {
            command.env_remove("NO_COLOR");
        }
        stdout(&command.output().expect("the binary runs"))
    };
    assert!(
        run("always", true).contains("\u{1b}["),
        "always colours, even with NO_COLOR"
    );
    assert!(!run("never", false).contains('\u{1b}'));
    // auto: standard output is a pipe here, so no colour.
    assert!(!run("auto", false).contains('\u{1b}'));
    let bad = stacklint(&["--color", "sometimes", "fixtures/cli/clean.yaml"]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn show_files_lists_kind_and_configuration_and_lints_nothing() {
    let output = stacklint(&[
        "--show-files",
        "fixtures/config/project",
        "fixtures/examples",
    ]);
    assert_eq!(output.status.code(), Some(0), "findings are not looked for");
    let text = stdout(&output);
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines.contains(&"fixtures/config/project/listener.yaml\ttemplate\tfixtures/config/project/.stacklint.yaml"),
        "{text}"
    );
    assert!(
        lines.contains(&"fixtures/examples/app/appspec.yml\tappspec\t(no configuration file)"),
        "{text}"
    );
    assert!(
        !text.contains("vendor/"),
        "excluded files are not listed: {text}"
    );
    assert!(!text.contains("ELB-001"), "{text}");
}

#[test]
fn walked_files_are_sorted_a_glob_yields_each_once_and_misses_are_errors() {
    let dir = scratch("walk-order");
    let template = "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n";
    for name in ["b/z.yaml", "b/a.yaml", "a.yaml", "c/d/e.yaml"] {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, template).expect("write");
    }
    let root = dir.display().to_string();
    let listed = |output: &Output| -> Vec<String> {
        stdout(output)
            .lines()
            .map(|line| line.split('\t').next().unwrap_or("").replace(&root, ""))
            .collect()
    };
    let missing = format!("{root}/missing.yaml");
    let output = stacklint(&["--show-files", &missing, &root]);
    // Sorted at each level of the folder.
    assert_eq!(
        listed(&output),
        ["/a.yaml", "/b/a.yaml", "/b/z.yaml", "/c/d/e.yaml"],
        "{}",
        stderr(&output)
    );
    assert!(
        stderr(&output).contains("missing.yaml: no such file or directory"),
        "{}",
        stderr(&output)
    );
    // The glob matches folders (walked) and the files in them: each file comes once.
    let output = stacklint(&["--show-files", &format!("{root}/**/*")]);
    assert_eq!(
        listed(&output),
        ["/a.yaml", "/b/a.yaml", "/b/z.yaml", "/c/d/e.yaml"]
    );
    let nothing = format!("{root}/none-*.yaml");
    let output = stacklint(&["--show-files", &nothing, &root]);
    assert!(
        stderr(&output).contains("none-*.yaml: the pattern matches no file"),
        "{}",
        stderr(&output)
    );
    assert_eq!(listed(&output).len(), 4, "{}", stdout(&output));
}

#[test]
fn a_file_the_arguments_reach_twice_is_linted_once_where_it_is_named() {
    let dir = scratch("named-twice");
    let template = "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n";
    for name in ["a.yaml", "b/c.yaml"] {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, template).expect("write");
    }
    let root = dir.display().to_string();
    let listed = |args: &[&str]| -> Vec<String> {
        let output = stacklint(&[&["--show-files"], args].concat());
        stdout(&output)
            .lines()
            .map(|line| line.split('\t').next().unwrap_or("").replace(&root, ""))
            .collect()
    };
    let (a, c) = (format!("{root}/a.yaml"), format!("{root}/b/c.yaml"));
    let dotted = format!("{root}/b/../a.yaml");
    // The same file under two spellings: once, where first named.
    assert_eq!(listed(&[&a, &c, &dotted]), ["/a.yaml", "/b/c.yaml"]);
    #[cfg(unix)]
    {
        let link = dir.join("link.yaml");
        std::os::unix::fs::symlink(dir.join("a.yaml"), &link).expect("symlink");
        let link = link.display().to_string();
        assert_eq!(listed(&[&link, &a]), ["/link.yaml"]);
        std::fs::remove_file(&link).expect("remove the link");
    }
    // A folder and a file in it, in either order: the file where it is named, the
    // walk passes it by.
    assert_eq!(listed(&[&root, &c]), ["/a.yaml", "/b/c.yaml"]);
    assert_eq!(listed(&[&c, &root]), ["/b/c.yaml", "/a.yaml"]);
    let glob = format!("{root}/**/*.yaml");
    assert_eq!(listed(&[&glob, &a]), ["/b/c.yaml", "/a.yaml"]);
    // And the findings are counted once.
    let output = stacklint(&[&root, &c, &c]);
    let said = format!("{}{}", stdout(&output), stderr(&output));
    assert!(said.contains("in 2 files"), "{said}");
}

#[test]
fn overlapping_folder_arguments_lint_each_file_once_where_its_folder_is_named() {
    let dir = scratch("folders-twice");
    let template = "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n";
    for name in ["a.yaml", "sub/c.yaml", "sub/deeper/d.yaml"] {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, template).expect("write");
    }
    let root = dir.display().to_string();
    let listed = |args: &[&str]| -> Vec<String> {
        let output = stacklint(&[&["--show-files"], args].concat());
        stdout(&output)
            .lines()
            .map(|line| line.split('\t').next().unwrap_or("").replace(&root, ""))
            .collect()
    };
    let sub = format!("{root}/sub");
    // The outer walk passes by the folder named on its own, in either order.
    assert_eq!(
        listed(&[&root, &sub]),
        ["/a.yaml", "/sub/c.yaml", "/sub/deeper/d.yaml"]
    );
    assert_eq!(
        listed(&[&sub, &root]),
        ["/sub/c.yaml", "/sub/deeper/d.yaml", "/a.yaml"]
    );
    // The same folder twice, under two spellings: walked once.
    let dotted = format!("{root}/sub/..");
    assert_eq!(
        listed(&[&root, &dotted]),
        ["/a.yaml", "/sub/c.yaml", "/sub/deeper/d.yaml"]
    );
    // A glob that matches a named folder leaves it to its argument.
    let glob = format!("{root}/*");
    assert_eq!(
        listed(&[&glob, &sub]),
        ["/a.yaml", "/sub/c.yaml", "/sub/deeper/d.yaml"]
    );
    let output = stacklint(&[&root, &sub, &format!("{sub}/deeper")]);
    let said = format!("{}{}", stdout(&output), stderr(&output));
    assert!(said.contains("in 3 files"), "{said}");
}

#[test]
fn a_walk_too_long_to_keep_is_walked_again_in_the_same_order() {
    // Past 4,096 files the first walk's list is dropped and the files walked again.
    let dir = scratch("long-walk");
    let template = "AWSTemplateFormatVersion: '2010-09-09'\nResources: {}\n";
    for folder in 0..5 {
        std::fs::create_dir_all(dir.join(format!("f{folder}"))).expect("mkdir");
        for file in 0..900 {
            let path = dir.join(format!("f{folder}/t{file:03}.yaml"));
            std::fs::write(path, template).expect("write");
        }
    }
    let root = dir.display().to_string();
    let output = stacklint(&["--show-files", &root]);
    let listed: Vec<String> = stdout(&output)
        .lines()
        .map(|line| line.split('\t').next().unwrap_or("").replace(&root, ""))
        .collect();
    let expected: Vec<String> = (0..5)
        .flat_map(|folder| (0..900).map(move |file| format!("/f{folder}/t{file:03}.yaml")))
        .collect();
    assert_eq!(listed.len(), expected.len(), "{}", stderr(&output));
    assert_eq!(listed, expected);
}

/// The files the install channels rest on (`.ci/wheel-smoke` builds and runs the wheel;
/// this checks what can be checked without Python).
#[test]
fn distribution_files_agree_with_cargo_toml() {
    let cargo = std::fs::read_to_string("Cargo.toml").expect("Cargo.toml");
    assert!(cargo.contains("license = \"MIT OR Apache-2.0\""));
    let mit = std::fs::read_to_string("LICENSE-MIT").expect("LICENSE-MIT");
    assert!(mit.contains("Permission is hereby granted, free of charge"));
    let apache = std::fs::read_to_string("LICENSE-APACHE").expect("LICENSE-APACHE");
    assert!(apache.contains("Apache License\n                        Version 2.0, January 2004"));
    let pyproject = std::fs::read_to_string("pyproject.toml").expect("pyproject.toml");
    for line in [
        "build-backend = \"maturin\"",
        "bindings = \"bin\"",
        "name = \"stacklint\"",
    ] {
        assert!(pyproject.contains(line), "pyproject.toml lacks {line}");
    }
    assert!(
        pyproject.contains("dynamic = [\"version\""),
        "the version comes from Cargo.toml"
    );

    let action = std::fs::read_to_string("action.yml").expect("action.yml");
    let loaded = stacklint::document::load_yaml(&action);
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    let root = loaded.root.expect("a document");
    let runs = root.get("runs").expect("runs");
    assert_eq!(
        runs.get("using").and_then(|n| n.as_str()),
        Some("composite")
    );
    let steps: Vec<String> = runs
        .get("steps")
        .map(|s| {
            s.iter_seq()
                .map(|step| {
                    let run = step.get("run").and_then(|n| n.as_str()).unwrap_or("");
                    let uses = step.get("uses").and_then(|n| n.as_str()).unwrap_or("");
                    format!("{run}{uses}")
                })
                .collect()
        })
        .unwrap_or_default();
    assert!(
        steps.iter().any(|s| s.contains("cargo install --locked")),
        "{steps:?}"
    );
    assert!(
        steps.iter().any(|s| s.contains("--format sarif")),
        "{steps:?}"
    );
    assert!(
        steps
            .iter()
            .any(|s| s.starts_with("github/codeql-action/upload-sarif@")),
        "{steps:?}"
    );
    // Every input the steps use is declared.
    for input in ["paths", "args", "sarif-file", "upload", "category"] {
        assert!(
            root.get("inputs").and_then(|i| i.get(input)).is_some(),
            "{input}"
        );
    }
}

#[test]
fn the_readme_pre_commit_snippet_names_no_missing_tag() {
    let readme = std::fs::read_to_string("README.md").expect("README");
    let snippet = readme
        .split("# .pre-commit-config.yaml")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("the pre-commit snippet");
    let rev = snippet
        .lines()
        .find_map(|line| line.trim().strip_prefix("rev: "))
        .expect("a rev");
    let rev = rev.split_whitespace().next().unwrap_or("");
    // No release is tagged: the example must be a commit SHA, not a tag that is not there.
    assert!(
        rev.len() == 40 && rev.chars().all(|c| c.is_ascii_hexdigit()),
        "rev `{rev}`"
    );
    assert!(
        readme.contains("--locked"),
        "the README says what --locked does"
    );
}

#[test]
fn fix_writes_every_fix_in_place_and_reports_what_remains() {
    let dir = scratch("fix");
    let cfr = std::fs::read_to_string("rules/CFR-001/fail.yaml").expect("fixture");
    let ec2 = std::fs::read_to_string("rules/EC2-001/fail.yaml").expect("fixture");
    std::fs::write(dir.join("cfr.yaml"), &cfr).expect("write");
    std::fs::write(dir.join("ec2.yaml"), &ec2).expect("write");
    let broken = "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  X: [\n";
    std::fs::write(dir.join("broken.yaml"), broken).expect("write");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::Permissions::from_mode(0o640);
        std::fs::set_permissions(dir.join("cfr.yaml"), mode).expect("chmod");
    }
    let dir_arg = dir.to_str().expect("utf-8");
    let output = stacklint(&["--fix", "--format", "compact", dir_arg]);
    assert_eq!(
        output.status.code(),
        Some(1),
        "the broken file is still an error"
    );
    let notes = stderr(&output);
    assert!(
        notes.contains("cfr.yaml: applied 1 fix: CFR-001 set ViewerProtocolPolicy to redirect-to-https (line 20)"),
        "{notes}"
    );
    assert!(
        notes.contains("ec2.yaml: applied 1 fix: EC2-001"),
        "{notes}"
    );
    assert!(
        notes.contains("broken.yaml: the file does not parse; nothing was fixed"),
        "{notes}"
    );
    let fixed = std::fs::read_to_string(dir.join("cfr.yaml")).expect("read");
    assert_eq!(
        fixed,
        std::fs::read_to_string("rules/CFR-001/fail.yaml.fixed").expect("pinned fix")
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("broken.yaml")).expect("read"),
        broken,
        "a file that does not parse is never touched"
    );
    let remaining = stdout(&output);
    assert!(
        !remaining.contains("CFR-001") && !remaining.contains("EC2-001"),
        "{remaining}"
    );
    assert!(remaining.contains("PARSE-001"), "{remaining}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.join("cfr.yaml"))
            .expect("stat")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o640, "permissions kept");
    }
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .expect("list")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains("stacklint-fix"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "no temporary file left: {leftovers:?}"
    );
    // A second run has nothing left to fix.
    let again = stacklint(&["--fix", dir.join("cfr.yaml").to_str().expect("utf-8")]);
    assert_eq!(again.status.code(), Some(0));
    assert!(!stderr(&again).contains("applied"), "{}", stderr(&again));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn diff_shows_the_fixes_without_writing() {
    let dir = scratch("diff");
    let original = std::fs::read_to_string("rules/EC2-001/fail.yaml").expect("fixture");
    std::fs::write(dir.join("ec2.yaml"), &original).expect("write");
    let output = Command::new(env!("CARGO_BIN_EXE_stacklint"))
        .args(["--diff", "ec2.yaml"])
        .current_dir(&dir)
        .output()
        .expect("the binary runs");
    assert_eq!(output.status.code(), Some(1), "there is something to fix");
    let diff = stdout(&output);
    assert!(
        diff.starts_with("--- a/ec2.yaml\n+++ b/ec2.yaml\n@@ "),
        "{diff}"
    );
    assert!(
        diff.contains("\n-          HttpTokens: optional\n+          HttpTokens: required\n"),
        "{diff}"
    );
    assert!(!diff.contains("Found"), "the diff only: {diff}");
    assert_eq!(
        std::fs::read_to_string(dir.join("ec2.yaml")).expect("read"),
        original
    );
    let clean = stacklint(&["--diff", "fixtures/cli/clean.yaml"]);
    assert_eq!(
        (clean.status.code(), stdout(&clean).as_str()),
        (Some(0), "")
    );
    let mixed = stacklint(&["--fix", "-", "fixtures/cli/clean.yaml"]);
    assert_eq!(mixed.status.code(), Some(2));
    assert!(
        stderr(&mixed).contains("take no other path"),
        "{}",
        stderr(&mixed)
    );
    let json = stacklint(&["--diff", "--format", "json", "fixtures/cli/clean.yaml"]);
    assert_eq!(json.status.code(), Some(2));
    let _ = std::fs::remove_dir_all(&dir);
}

fn piped(args: &[&str], input: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_stacklint"))
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let written = child.stdin.take().expect("stdin").write_all(input);
    // A child that exits before reading all of its input closes the pipe; what it
    // printed and its exit code (asserted by the caller) say why, not this error.
    if let Err(error) = written {
        assert_eq!(error.kind(), std::io::ErrorKind::BrokenPipe, "{error}");
    }
    child.wait_with_output().expect("wait")
}

#[test]
fn fix_on_stdin_prints_the_fixed_text_and_the_remaining_findings_on_stderr() {
    let cfr = std::fs::read("rules/CFR-001/fail.yaml").expect("fixture");
    let fixed = std::fs::read_to_string("rules/CFR-001/fail.yaml.fixed").expect("pinned fix");
    let args = ["--fix", "-", "--stdin-filename", "infra/cdn.yaml"];
    let output = piped(&args, &cfr);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        stdout(&output),
        fixed,
        "standard output is the whole fixed file"
    );
    let notes = stderr(&output);
    assert!(
        notes.contains("infra/cdn.yaml: applied 1 fix: CFR-001 set ViewerProtocolPolicy to redirect-to-https (line 20)"),
        "{notes}"
    );
    // What cannot be fixed stays on standard error, in the chosen format, and sets the
    // exit code; the text comes back unchanged.
    let listener = std::fs::read("fixtures/cli/listener.yaml").expect("fixture");
    let args = ["--fix", "-", "--format", "compact", "--select", "ELB-001"];
    let output = piped(&args, &listener);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(output.stdout, listener);
    assert!(
        stderr(&output).contains("-:7:7: error[ELB-001]"),
        "{}",
        stderr(&output)
    );
    // A file that does not parse is echoed as it came, never half-fixed.
    let broken = b"AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  X: [\n";
    let output = piped(&["--fix", "-", "--stdin-filename", "t.yaml"], broken);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(output.stdout, broken);
    assert!(
        stderr(&output).contains("t.yaml: the file does not parse; nothing was fixed"),
        "{}",
        stderr(&output)
    );
    let output = piped(&["--fix", "--statistics", "-"], &cfr);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn diff_on_stdin_prints_the_diff_of_standard_input() {
    let ec2 = std::fs::read("rules/EC2-001/fail.yaml").expect("fixture");
    let output = piped(&["--diff", "-", "--stdin-filename", "ec2.yaml"], &ec2);
    assert_eq!(output.status.code(), Some(1), "there is something to fix");
    let diff = stdout(&output);
    assert!(
        diff.starts_with("--- a/ec2.yaml\n+++ b/ec2.yaml\n@@ "),
        "{diff}"
    );
    assert!(
        diff.contains("\n-          HttpTokens: optional\n+          HttpTokens: required\n"),
        "{diff}"
    );
    let clean = std::fs::read("fixtures/cli/clean.yaml").expect("fixture");
    let output = piped(&["--diff", "-"], &clean);
    assert_eq!(
        (output.status.code(), stdout(&output).as_str()),
        (Some(0), "")
    );
}

#[test]
fn regions_report_types_missing_from_a_listed_region() {
    let template = "rules/SCHEMA-001/fail-regions/template.yaml";
    // The fixture folder's `.stacklint.yaml` lists us-east-1 and eu-west-1.
    let listed = |regions: &str| {
        stacklint(&[
            "--select",
            "SCHEMA-001",
            "--format",
            "compact",
            "--regions",
            regions,
            template,
        ])
    };
    let both = listed("us-east-1,eu-west-1");
    assert_eq!(both.status.code(), Some(1), "{}", stderr(&both));
    assert_eq!(
        stdout(&both),
        format!("{template}:7:11: error[SCHEMA-001] `AWS::AppIntegrations::Application` (resource `Application`) is not available in `eu-west-1`\n")
    );
    // --regions replaces the file's `regions:`.
    let east = listed("us-east-1");
    assert_eq!(stdout(&east), "", "{}", stderr(&east));
    assert_eq!(east.status.code(), Some(0));
    // An unknown region is a usage error with the closest name.
    let typo = listed("us-east-1,eu-wset-1");
    assert_eq!(typo.status.code(), Some(2));
    assert!(
        stderr(&typo).contains("--regions: unknown region `eu-wset-1`; did you mean `eu-west-1`?"),
        "{}",
        stderr(&typo)
    );
}
