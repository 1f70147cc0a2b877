//! `.stacklint.yaml`: discovery, every setting, command-line overrides, mistakes
//! reported at their exact place, and standard input named by `--stdin-filename`.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use stacklint::config::{Overrides, Settings};
use stacklint::lint::{lint_bytes, FileOrigin};

const PROJECT: &str = "fixtures/config/project";

fn stacklint(args: &[&str]) -> Output {
    stacklint_with_stdin(args, None)
}

fn stacklint_with_stdin(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_stacklint"))
        .args(args)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut input = child.stdin.take().expect("stdin");
    if let Some(bytes) = stdin {
        input.write_all(bytes).expect("write stdin");
    }
    drop(input);
    child.wait_with_output().expect("wait")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn compare_snapshot(path: &str, actual: &str) {
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(path, actual).expect("write snapshot");
        return;
    }
    let expected = std::fs::read_to_string(path).unwrap_or_default();
    assert_eq!(
        actual, expected,
        "snapshot {path} (UPDATE_SNAPSHOTS=1 to accept)"
    );
}

#[test]
fn the_nearest_config_applies_every_setting() {
    let output = stacklint(&["--format", "compact", PROJECT]);
    // select: only ELB-001 and LAM-006 run; severity: LAM-006 becomes an error;
    // options: multiplier 3 lets the 4× queue pass; per-path-ignores: legacy/ is quiet;
    // exclude: vendor/ is not walked.
    assert_eq!(
        stdout(&output),
        "fixtures/config/project/listener.yaml:7:7: error[ELB-001] HTTPS listener `Listener` has no `Certificates`\n\
         fixtures/config/project/queue-twice.yaml:5:26: error[LAM-006] VisibilityTimeout 120 s of queue `JobsQueue` is less than 3 times Timeout 60 s of function `Worker` (180 s)\n"
    );
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn without_the_config_the_catalog_defaults_apply() {
    let output = stacklint(&[
        "--config",
        "fixtures/config/explicit/strict.yaml",
        "--format",
        "compact",
        &format!("{PROJECT}/queue-four-times.yaml"),
    ]);
    assert_eq!(
        stdout(&output),
        "fixtures/config/project/queue-four-times.yaml:5:26: warning[LAM-006] VisibilityTimeout 240 s of queue `JobsQueue` is less than six times Timeout 60 s of function `Worker` (360 s)\n"
    );
    // A warning does not fail the run at the default --fail-on error.
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn severity_overrides_are_what_fail_on_sees() {
    let file = format!("{PROJECT}/queue-twice.yaml");
    let configured = stacklint(&["--format", "compact", &file]);
    assert!(stdout(&configured).contains("error[LAM-006]"));
    assert_eq!(configured.status.code(), Some(1));
    let strict = stacklint(&[
        "--config",
        "fixtures/config/explicit/strict.yaml",
        "--format",
        "compact",
        &file,
    ]);
    assert!(stdout(&strict).contains("warning[LAM-006]"));
    assert_eq!(strict.status.code(), Some(0));
}

#[test]
fn command_line_select_replaces_the_config_select() {
    let output = stacklint(&[
        "--select",
        "LAM-006",
        "--format",
        "compact",
        &format!("{PROJECT}/listener.yaml"),
    ]);
    assert_eq!(stdout(&output), "");
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn excluded_files_are_linted_when_named_unless_force_exclude() {
    let file = format!("{PROJECT}/vendor/listener.yaml");
    let named = stacklint(&["--format", "compact", &file]);
    assert!(
        stdout(&named).contains("error[ELB-001]"),
        "{}",
        stdout(&named)
    );
    let forced = stacklint(&["--force-exclude", "--format", "compact", &file]);
    assert_eq!(stdout(&forced), "");
    assert_eq!(forced.status.code(), Some(0));
}

#[test]
fn per_path_ignores_apply_to_named_files_too() {
    let output = stacklint(&[
        "--format",
        "compact",
        &format!("{PROJECT}/legacy/listener.yaml"),
    ]);
    assert_eq!(stdout(&output), "");
}

#[test]
fn a_misspelt_key_is_a_usage_error_shown_at_the_key() {
    let output = stacklint(&["fixtures/config/bad-key/listener.yaml"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(stdout(&output), "", "nothing is linted with a bad config");
    compare_snapshot("fixtures/config/bad-key/stderr.snap", &stderr(&output));
}

#[test]
fn every_kind_of_mistake_is_shown_at_its_value() {
    // A scalar for a list, an unknown code (with a suggestion), a bad severity, a bad
    // glob (at the character at fault), a mapping for a pattern, an option out of
    // range, options for a rule without any, an unknown rule, a bad boolean.
    let output = stacklint(&["fixtures/config/bad-values/listener.yaml"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(stdout(&output), "");
    compare_snapshot("fixtures/config/bad-values/stderr.snap", &stderr(&output));
    let error = Settings::for_file(
        Path::new("fixtures/config/bad-values/listener.yaml"),
        &Overrides::default(),
    )
    .expect_err("bad config");
    assert_eq!(error.problems().len(), 9, "{error}");
}

#[test]
fn a_config_that_is_not_a_mapping_is_a_usage_error() {
    let output = stacklint(&["fixtures/config/not-a-mapping/listener.yaml"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("the configuration must be a mapping of settings"),
        "{}",
        stderr(&output)
    );
    let error = Settings::for_file(
        Path::new("fixtures/config/not-a-mapping/listener.yaml"),
        &Overrides::default(),
    )
    .expect_err("bad config");
    assert_eq!(
        error.to_string(),
        "fixtures/config/not-a-mapping/.stacklint.yaml:1:1: the configuration must be a mapping of settings"
    );
}

#[test]
fn a_config_that_is_not_text_is_a_usage_error() {
    let output = stacklint(&["fixtures/config/not-utf8/listener.yaml"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        "stacklint: fixtures/config/not-utf8/.stacklint.yaml: the configuration file is not UTF-8 text\n"
    );
}

#[test]
fn a_missing_explicit_config_is_a_usage_error() {
    let output = stacklint(&[
        "--config",
        "fixtures/config/no-such.yaml",
        "fixtures/cli/listener.yaml",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).starts_with("stacklint: fixtures/config/no-such.yaml: "),
        "{}",
        stderr(&output)
    );
}

#[test]
fn standard_input_finds_the_config_of_the_name_it_stands_for() {
    let text = std::fs::read("fixtures/cli/listener.yaml").expect("fixture");
    let args = |name: &'static str| ["-", "--stdin-filename", name, "--format", "compact"];
    // In legacy/, the project's per-path ignore silences ELB-001.
    let legacy = stacklint_with_stdin(
        &args("fixtures/config/project/legacy/new.yaml"),
        Some(&text),
    );
    assert_eq!(stdout(&legacy), "");
    assert_eq!(legacy.status.code(), Some(0));
    let top = stacklint_with_stdin(&args("fixtures/config/project/new.yaml"), Some(&text));
    assert_eq!(
        stdout(&top),
        "fixtures/config/project/new.yaml:7:7: error[ELB-001] HTTPS listener `Listener` has no `Certificates`\n"
    );
    // Standard input is a named file: `exclude` skips it only with --force-exclude.
    let vendor = args("fixtures/config/project/vendor/new.yaml");
    let named = stacklint_with_stdin(&vendor, Some(&text));
    assert!(
        stdout(&named).contains("error[ELB-001]"),
        "{}",
        stdout(&named)
    );
    let forced = stacklint_with_stdin(&[&vendor[..], &["--force-exclude"]].concat(), Some(&text));
    assert_eq!(stdout(&forced), "");
    assert_eq!(forced.status.code(), Some(0));
    // A bad config found through the name is the same usage error.
    let bad = stacklint_with_stdin(&args("fixtures/config/bad-key/new.yaml"), Some(&text));
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("unknown key `ignroe`"));
}

#[test]
fn standard_input_resolves_relative_scripts_against_the_name() {
    let text = std::fs::read("rules/APPSPEC-005/pass-scripts/appspec.yml").expect("fixture");
    let lint_as = |name: &str| {
        stacklint_with_stdin(
            &[
                "-",
                "--stdin-filename",
                name,
                "--select",
                "APPSPEC-005",
                "--format",
                "compact",
            ],
            Some(&text),
        )
    };
    let beside_scripts = lint_as("rules/APPSPEC-005/pass-scripts/appspec.yml");
    assert_eq!(stdout(&beside_scripts), "");
    // The other folder has scripts/stop.sh but no scripts/start.sh.
    let elsewhere = lint_as("rules/APPSPEC-005/fail-missing-script/appspec.yml");
    assert_eq!(
        stdout(&elsewhere),
        "rules/APPSPEC-005/fail-missing-script/appspec.yml:7:17: error[APPSPEC-005] `ApplicationStart` script `scripts/start.sh` does not exist in the revision\n"
    );
}

#[test]
fn library_callers_get_the_same_settings_per_file() {
    let path = Path::new(PROJECT).join("queue-four-times.yaml");
    let settings = Settings::for_file(&path, &Overrides::default()).expect("valid config");
    assert_eq!(
        settings.config_file.as_deref(),
        Some(Path::new("fixtures/config/project/.stacklint.yaml"))
    );
    let bytes = std::fs::read(&path).expect("fixture");
    let report = lint_bytes(&path, bytes.clone(), FileOrigin::Named, &settings);
    assert!(report.findings.is_empty(), "{:?}", report.findings);
    let defaults = lint_bytes(&path, bytes, FileOrigin::Named, &Settings::default());
    assert_eq!(
        defaults
            .findings
            .iter()
            .filter(|f| f.code() == "LAM-006")
            .count(),
        1
    );
    let error = Settings::for_file(
        Path::new("fixtures/config/bad-key/x.yaml"),
        &Overrides::default(),
    )
    .expect_err("bad config");
    assert_eq!(
        error.to_string(),
        "fixtures/config/bad-key/.stacklint.yaml:2:1: unknown key `ignroe`"
    );
}

#[test]
fn skip_unknown_treats_named_files_like_walked_ones() {
    let files = [
        "fixtures/config/skip-unknown/empty.yaml",
        "fixtures/config/skip-unknown/workflow.yml",
    ];
    let named = stacklint(&["--format", "compact", files[0], files[1]]);
    assert_eq!(
        stdout(&named),
        "fixtures/config/skip-unknown/empty.yaml:1:1: error[PARSE-001] the file holds no document (it is empty or only comments)\n"
    );
    assert!(stderr(&named).contains("workflow.yml: not a CloudFormation"));
    let skipped = stacklint(&["--skip-unknown", "--format", "compact", files[0], files[1]]);
    assert_eq!(stdout(&skipped), "");
    assert_eq!(stderr(&skipped), "");
    assert_eq!(skipped.status.code(), Some(0));
}

#[test]
fn the_pre_commit_hook_covers_templates_appspec_dockerrun_and_ebextensions() {
    let text = std::fs::read_to_string(".pre-commit-hooks.yaml").expect("hooks file");
    let loaded = stacklint::document::load_yaml(&text);
    let hooks = loaded.root.expect("a document");
    let hook = hooks
        .iter_seq()
        .find(|h| h.get("id").and_then(|n| n.as_str()) == Some("stacklint"))
        .expect("a hook with id stacklint");
    assert_eq!(hook.get("language").and_then(|n| n.as_str()), Some("rust"));
    let types: Vec<&str> = hook
        .get("types_or")
        .map(|n| n.iter_seq().filter_map(|t| t.as_str()).collect())
        .unwrap_or_default();
    assert_eq!(types, ["yaml", "json"]);
    let entry = hook.get("entry").and_then(|n| n.as_str()).unwrap_or("");
    assert!(entry.starts_with("stacklint "), "{entry}");
    let files = hook.get("files").and_then(|n| n.as_str()).expect("files");
    let pattern = regex::Regex::new(files).expect("a valid regex");
    for path in [
        "template.yaml",
        "infra/stack.yml",
        "infra/stack.template",
        "appspec.yml",
        "deploy/appspec.json",
        "Dockerrun.aws.json",
        ".ebextensions/options.config",
        "app/.ebextensions/options.config",
    ] {
        assert!(pattern.is_match(path), "{path} is not covered by {files}");
    }
    for path in [
        "README.md",
        "src/main.rs",
        "app.config",
        ".ebextensions/a/b.config",
    ] {
        assert!(!pattern.is_match(path), "{path} should not be covered");
    }
}

/// LAM-012's `today` is a date option: a real `YYYY-MM-DD` day is taken and changes the
/// verdict; anything else is a configuration mistake at its place.
#[test]
fn a_date_option_pins_the_day_and_rejects_non_dates() {
    let dir = std::env::temp_dir().join(format!("stacklint-date-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let template = dir.join("template.yaml");
    std::fs::write(
        &template,
        "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: python3.9\n",
    )
    .expect("write template");
    let config = dir.join(".stacklint.yaml");
    let run = |today: &str| {
        std::fs::write(
            &config,
            format!("options:\n  LAM-012:\n    today: {today}\n"),
        )
        .expect("write config");
        let path = template.to_string_lossy().into_owned();
        stacklint(&["--select", "LAM-012", "--format", "compact", &path])
    };
    // Before the deprecation warning window: nothing.
    assert_eq!(stdout(&run("2025-01-01")).matches("LAM-012").count(), 0);
    // Deprecated, creation still allowed: a warning, exit 0.
    let deprecated = run("2026-01-01");
    assert!(
        stdout(&deprecated).contains("warning[LAM-012]"),
        "{}",
        stdout(&deprecated)
    );
    assert_eq!(deprecated.status.code(), Some(0));
    // Creation blocked: an error.
    let blocked = run("2027-06-01");
    assert!(
        stdout(&blocked).contains("error[LAM-012]"),
        "{}",
        stdout(&blocked)
    );
    assert_eq!(blocked.status.code(), Some(1));
    let wrong = run("2027-02-30");
    assert_eq!(wrong.status.code(), Some(2), "{}", stderr(&wrong));
    assert!(
        stderr(&wrong).contains("must be a date `YYYY-MM-DD`"),
        "{}",
        stderr(&wrong)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn regions_are_checked_names_with_a_suggestion() {
    let dir = std::env::temp_dir().join(format!("stacklint-regions-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch");
    let config = dir.join(".stacklint.yaml");
    std::fs::write(&config, "regions: [us-east-1, eu-west-1]\n").expect("write");
    let settings = stacklint::config::load(&config).expect("valid");
    assert_eq!(settings.regions, ["us-east-1", "eu-west-1"]);
    std::fs::write(&config, "regions:\n  - us-east-1\n  - eu-westt-1\n").expect("write");
    let error = stacklint::config::load(&config).expect_err("unknown region");
    let text = error.to_string();
    assert!(
        text.ends_with(":3:5: unknown region `eu-westt-1`"),
        "{text}"
    );
    assert!(
        error
            .problems()
            .iter()
            .any(|p| p.help.as_deref() == Some("did you mean `eu-west-1`?")),
        "{text}"
    );
    // `--regions` replaces the file's list.
    let overrides = Overrides {
        regions: Some(vec!["ap-southeast-7".into()]),
        ..Overrides::default()
    };
    std::fs::write(&config, "regions: [us-east-1]\n").expect("write");
    let settings = Settings::for_file(&dir.join("t.yaml"), &overrides).expect("valid");
    assert_eq!(settings.regions, ["ap-southeast-7"]);
    let _ = std::fs::remove_dir_all(&dir);
}
