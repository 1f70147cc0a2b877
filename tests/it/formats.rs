//! Every `--format`, pinned on one fixture with an error, a warning, an info, a
//! secondary label and a non-ASCII line (`fixtures/cli/formats.yaml`); SARIF validated
//! against the official OASIS schema, JUnit checked for well-formed XML, both in Rust.
//!
//! `UPDATE_SNAPSHOTS=1 cargo test --test it formats::` rewrites `tests/snapshots/format.*.txt`
//! (review the diff).

use std::path::Path;
use std::process::{Command, Output};
use std::sync::OnceLock;

use serde_json::Value;
use stacklint::registry::RULES;

use crate::support::xml::check_well_formed;

const FIXTURE: &str = "fixtures/cli/formats.yaml";
/// The rules the fixture is written for: rules added later cannot change the pins.
const RULES_UNDER_TEST: &str = "ELB-001,ELB-005,SQS-001,SQS-004";

fn stacklint(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_stacklint"))
        .args(args)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .output()
        .expect("the binary runs")
}

fn render(format: &str) -> String {
    let output = stacklint(&["--select", RULES_UNDER_TEST, "--format", format, FIXTURE]);
    assert_eq!(output.status.code(), Some(1), "two errors make exit code 1");
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

fn assert_snapshot(name: &str, actual: &str) {
    let path = Path::new("tests/snapshots").join(format!("format.{name}.txt"));
    match std::fs::read_to_string(&path) {
        Ok(expected) if expected == actual => {}
        _ if std::env::var_os("UPDATE_SNAPSHOTS").is_some() => {
            std::fs::write(&path, actual).expect("snapshot written");
        }
        Ok(expected) => panic!(
            "{} differs (UPDATE_SNAPSHOTS=1 to accept)\n--- expected\n{expected}\n--- actual\n{actual}",
            path.display()
        ),
        Err(_) => panic!(
            "no {} (UPDATE_SNAPSHOTS=1 to write it)\n--- actual\n{actual}",
            path.display()
        ),
    }
}

/// Validates a SARIF log against the vendored OASIS schema (draft-04, formats such as
/// `uri` checked) with the `jsonschema` crate: `Ok`, or the violations, one a line, each
/// with its JSON pointer in the log.
fn validate_sarif(log: &str) -> Result<(), String> {
    static VALIDATOR: OnceLock<jsonschema::Validator> = OnceLock::new();
    let validator = VALIDATOR.get_or_init(|| {
        let schema =
            std::fs::read_to_string("tests/schemas/sarif-2.1.0.json").expect("the vendored schema");
        let schema: Value = serde_json::from_str(&schema).expect("the schema is JSON");
        jsonschema::draft4::options()
            .should_validate_formats(true)
            .build(&schema)
            .expect("the schema compiles")
    });
    let instance: Value = serde_json::from_str(log).map_err(|e| format!("not JSON: {e}"))?;
    let violations: Vec<String> = validator
        .iter_errors(&instance)
        .map(|error| format!("{}: {error}", error.instance_path()))
        .collect();
    if violations.is_empty() {
        Ok(())
    } else {
        Err(violations.join("\n"))
    }
}

#[test]
fn human_output_is_pinned() {
    assert_snapshot("human", &render("human"));
}

#[test]
fn compact_output_is_pinned() {
    assert_snapshot("compact", &render("compact"));
}

#[test]
fn json_output_is_pinned() {
    assert_snapshot("json", &render("json"));
}

#[test]
fn github_output_is_pinned() {
    let output = render("github");
    let commands: Vec<&str> = output
        .lines()
        .map(|line| line.split(' ').next().unwrap_or(""))
        .collect();
    assert_eq!(commands, ["::error", "::warning", "::notice", "::error"]);
    assert_snapshot("github", &output);
}

#[test]
fn junit_output_is_pinned_and_well_formed() {
    let output = render("junit");
    assert_well_formed_xml(&output);
    assert_snapshot("junit", &output);
}

#[test]
fn junit_shows_a_clean_file_as_one_passing_testcase() {
    let output = stacklint(&["--format", "junit", "fixtures/cli/clean.yaml"]);
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8_lossy(&output.stdout);
    assert_well_formed_xml(&text);
    assert!(
        text.contains(
            "<testsuite name=\"fixtures/cli/clean.yaml\" tests=\"1\" failures=\"0\" errors=\"0\" skipped=\"0\">\n    \
             <testcase name=\"no findings\" classname=\"fixtures/cli/clean.yaml\" file=\"fixtures/cli/clean.yaml\"/>\n"
        ),
        "{text}"
    );
}

fn assert_well_formed_xml(xml: &str) {
    if let Err(problem) = check_well_formed(xml) {
        panic!("{problem}\n{xml}");
    }
}

/// The pinned SARIF, with what comes from the registry (whose rules and docs other
/// work changes) checked here and replaced by placeholders.
#[test]
fn sarif_output_is_pinned_and_consistent_with_the_registry() {
    let output = render("sarif");
    let mut log: Value = serde_json::from_str(&output).expect("valid JSON");
    let driver = &mut log["runs"][0]["tool"]["driver"];
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    driver["version"] = "<CARGO_PKG_VERSION>".into();
    let rules = driver["rules"].as_array().expect("rules").clone();
    assert_eq!(
        rules.len(),
        RULES.len(),
        "every registered rule is described"
    );
    for (descriptor, rule) in rules.iter().zip(RULES) {
        assert_eq!(descriptor["id"], rule.meta.code);
        assert_eq!(descriptor["help"]["text"], rule.docs.trim_end());
        let markdown = descriptor["help"]["markdown"].as_str().expect("markdown");
        assert!(markdown.starts_with(rule.docs.trim_end()), "{markdown}");
        assert!(
            markdown.ends_with(&format!("({})", rule.meta.source)),
            "{markdown}"
        );
        let full = descriptor["fullDescription"]["text"]
            .as_str()
            .expect("text");
        assert!(
            rule.docs.contains(full) || full == rule.meta.summary,
            "{full}"
        );
        assert_eq!(descriptor["helpUri"], rule.meta.source);
    }
    let mut referenced = Vec::new();
    let results = log["runs"][0]["results"].as_array_mut().expect("results");
    for result in results.iter_mut() {
        let index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(
            rules[index]["id"], result["ruleId"],
            "ruleIndex points at the rule"
        );
        result["ruleIndex"] =
            format!("<index of {}>", result["ruleId"].as_str().unwrap_or("")).into();
        let mut descriptor = rules[index].clone();
        for docs in ["fullDescription", "help"] {
            for key in ["text", "markdown"] {
                if descriptor[docs].get(key).is_some() {
                    descriptor[docs][key] = format!("<{key} from the rule's docs>").into();
                }
            }
        }
        if !referenced.contains(&descriptor) {
            referenced.push(descriptor);
        }
    }
    log["runs"][0]["tool"]["driver"]["rules"] = Value::Array(referenced);
    let pinned = serde_json::to_string_pretty(&log).expect("serialises") + "\n";
    assert_snapshot("sarif", &pinned);
}

#[test]
fn sarif_validates_against_the_oasis_schema() {
    let output = render("sarif");
    if let Err(violations) = validate_sarif(&output) {
        panic!("{violations}\n{output}");
    }
}

#[test]
fn the_validator_rejects_an_invalid_log() {
    // `info` is stacklint's word, not SARIF's: the schema only knows note.
    let broken = render("sarif").replace("\"level\": \"note\"", "\"level\": \"info\"");
    let violations = validate_sarif(&broken).expect_err("an invalid level is caught");
    assert!(
        violations.contains("/runs/0/results/2/level: \"info\" is not one of"),
        "{violations}"
    );
}

#[test]
fn the_validator_checks_formats() {
    // `helpUri` is `"format": "uri"`: a relative reference is not a URI.
    let broken = render("sarif").replacen(
        "\"helpUri\": \"https://docs.aws.amazon.com/",
        "\"helpUri\": \"docs.aws.amazon.com/",
        1,
    );
    let violations = validate_sarif(&broken).expect_err("an invalid URI is caught");
    assert!(
        violations.contains("/helpUri: \"docs.aws.amazon.com/"),
        "{violations}"
    );
}

#[test]
fn sarif_of_the_examples_folder_validates() {
    let output = stacklint(&["--format", "sarif", "fixtures/examples"]);
    let text = String::from_utf8(output.stdout).expect("UTF-8");
    let log: Value = serde_json::from_str(&text).expect("valid JSON");
    assert!(
        log["runs"][0]["results"]
            .as_array()
            .is_some_and(|r| !r.is_empty()),
        "the examples hold findings"
    );
    if let Err(violations) = validate_sarif(&text) {
        panic!("{violations}");
    }
}

#[test]
fn sarif_without_findings_validates() {
    let output = stacklint(&["--format", "sarif", "fixtures/cli/clean.yaml"]);
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8(output.stdout).expect("UTF-8");
    let log: Value = serde_json::from_str(&text).expect("valid JSON");
    assert_eq!(log["runs"][0]["results"], serde_json::json!([]));
    if let Err(violations) = validate_sarif(&text) {
        panic!("{violations}");
    }
}

#[test]
fn sarif_columns_count_utf16_code_units() {
    // Line 16 has `é` (one code unit) and `😀` (two) before `orders`: character column
    // 72, UTF-16 column 73.
    let log: Value = serde_json::from_str(&render("sarif")).expect("valid JSON");
    assert_eq!(log["runs"][0]["columnKind"], "utf16CodeUnits");
    let result = &log["runs"][0]["results"][3];
    assert_eq!(result["ruleId"], "SQS-001");
    let region = &result["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["startLine"], 16);
    assert_eq!(region["startColumn"], 73);
    assert_eq!(region["endColumn"], 79);
    let text = std::fs::read_to_string(FIXTURE).expect("fixture");
    let offset = region["byteOffset"].as_u64().expect("byteOffset") as usize;
    let length = region["byteLength"].as_u64().expect("byteLength") as usize;
    assert_eq!(&text[offset..offset + length], "orders");
    assert!(render("compact").contains("formats.yaml:16:72: error[SQS-001]"));
}

#[test]
fn sarif_is_byte_for_byte_reproducible_and_machine_independent() {
    let first = render("sarif");
    assert_eq!(first, render("sarif"));
    let cwd = std::env::current_dir().expect("cwd");
    assert!(!first.contains(&*cwd.to_string_lossy()), "no absolute path");
    // No invocation (start and end times, command line, working directory).
    let log: Value = serde_json::from_str(&first).expect("valid JSON");
    let keys: Vec<&String> = log["runs"][0].as_object().expect("run").keys().collect();
    assert_eq!(keys, ["tool", "columnKind", "results"]);
}

/// Names that need percent-encoding, a control character in a message, CRLF line
/// ends, invalid UTF-8 and binary content: every machine format stays valid.
#[test]
fn hostile_names_and_content_keep_every_format_valid() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("formats-hostile-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("dir #1")).expect("scratch dir");
    let queue = "Resources:\r\n  Orders:\r\n    Type: AWS::SQS::Queue\r\n    Properties:\r\n      \
                 QueueName: \"ord\\x01ers<&>\"\r\n      FifoQueue: true\r\n";
    std::fs::write(dir.join("dir #1/100% ü.yaml"), queue).expect("queue file");
    std::fs::write(
        dir.join("bad utf8.yaml"),
        b"AWSTemplateFormatVersion: \"2010-09-09\"\nDescription: \"\xff\"\n",
    )
    .expect("invalid UTF-8 file");
    std::fs::write(dir.join("nul.json"), b"{\"Resources\": {}}\0").expect("binary file");
    let run = |format: &str| {
        let output = Command::new(env!("CARGO_BIN_EXE_stacklint"))
            .args(["--format", format, "dir #1", "bad utf8.yaml", "nul.json"])
            .current_dir(&dir)
            .output()
            .expect("the binary runs");
        assert_eq!(output.status.code(), Some(1), "{output:?}");
        String::from_utf8(output.stdout).expect("UTF-8 output")
    };

    let findings: Value = serde_json::from_str(&run("json")).expect("JSON");
    let count = findings.as_array().map_or(0, Vec::len);
    let codes: Vec<&str> = findings
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["rule"].as_str())
        .collect();
    assert!(
        codes.contains(&"SQS-001") && codes.contains(&"PARSE-003"),
        "{codes:?}"
    );

    let sarif = run("sarif");
    if let Err(violations) = validate_sarif(&sarif) {
        panic!("{violations}\n{sarif}");
    }
    assert!(
        sarif.contains("\"uri\": \"dir%20%231/100%25%20%C3%BC.yaml\""),
        "{sarif}"
    );
    let log: Value = serde_json::from_str(&sarif).expect("JSON");
    for result in log["runs"][0]["results"].as_array().expect("results") {
        let location = &result["locations"][0]["physicalLocation"];
        let uri = location["artifactLocation"]["uri"].as_str().expect("uri");
        let name = uri
            .replace("%20", " ")
            .replace("%23", "#")
            .replace("%25", "%");
        let name = name.replace("%C3%BC", "ü");
        let size = std::fs::metadata(dir.join(&name))
            .expect("the URI names the file")
            .len();
        let region = &location["region"];
        let end = region["byteOffset"].as_u64().unwrap_or(u64::MAX)
            + region["byteLength"].as_u64().unwrap_or(u64::MAX);
        assert!(end <= size, "{region} in {name} of {size} bytes");
    }

    let junit = run("junit");
    assert_well_formed_xml(&junit);
    assert!(junit.contains("ord\\u{1}ers&lt;&amp;&gt;"), "{junit}");

    let github = run("github");
    assert_eq!(
        github.lines().count(),
        count,
        "one command per finding:\n{github}"
    );
    assert!(
        github.contains("file=dir #1/100%25 ü.yaml,line=5,"),
        "{github}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// `(ruleId, fingerprint, startLine)` of each result of a SARIF log.
fn fingerprints(log: &str) -> Vec<(String, String, u64)> {
    let log: Value = serde_json::from_str(log).expect("valid JSON");
    log["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|result| {
            (
                result["ruleId"].as_str().unwrap_or("").to_string(),
                result["partialFingerprints"]["stacklintLogicalLocation/v1"]
                    .as_str()
                    .unwrap_or("")
                    .to_string(),
                result["locations"][0]["physicalLocation"]["region"]["startLine"]
                    .as_u64()
                    .unwrap_or(0),
            )
        })
        .collect()
}

/// GitHub tracks an alert by its fingerprint: lines added above a finding, or a
/// resource added before it, must not make it a new alert; a different resource must.
#[test]
fn sarif_fingerprints_follow_the_resource_and_property_not_the_line() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("formats-fingerprints-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    let original = std::fs::read_to_string(FIXTURE).expect("fixture");
    let moved = original.replacen(
        "Resources:\n",
        "# a comment\n\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\n",
        1,
    );
    let renamed = original.replace("  Orders:\n", "  Invoices:\n");
    let mut logs = Vec::new();
    for (name, text) in [
        ("a.yaml", &original),
        ("b.yaml", &moved),
        ("c.yaml", &renamed),
    ] {
        std::fs::write(dir.join(name), text).expect("write");
        let output = stacklint(&[
            "--select",
            RULES_UNDER_TEST,
            "--format",
            "sarif",
            dir.join(name).to_str().expect("utf-8"),
        ]);
        logs.push(fingerprints(&String::from_utf8_lossy(&output.stdout)));
    }
    let (original, moved, renamed) = (&logs[0], &logs[1], &logs[2]);
    assert_eq!(original.len(), 4, "{original:?}");
    for (before, after) in original.iter().zip(moved) {
        assert_eq!((&before.0, &before.1), (&after.0, &after.1), "same alert");
        assert_eq!(after.2, before.2 + 4, "lines did move");
    }
    let distinct: std::collections::BTreeSet<&String> = original.iter().map(|r| &r.1).collect();
    assert_eq!(distinct.len(), 4, "each finding its own fingerprint");
    assert_eq!(original[0].1, renamed[0].1, "the listener is unchanged");
    assert_ne!(
        original[3].1, renamed[3].1,
        "another resource, another alert"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn sarif_rules_carry_tags_precision_and_security_severity() {
    let log: Value = serde_json::from_str(&render("sarif")).expect("valid JSON");
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules");
    let rule = |code: &str| {
        rules
            .iter()
            .find(|r| r["id"] == code)
            .unwrap_or_else(|| panic!("{code} described"))
            .clone()
    };
    for code in ["IAM-001", "EC2-001", "ELB-005", "KMS-001", "CFR-005"] {
        let properties = &rule(code)["properties"];
        assert_eq!(properties["tags"][0], "security", "{code}");
        let score: f64 = properties["security-severity"]
            .as_str()
            .and_then(|s| s.parse().ok())
            .expect("a number as a string");
        assert!((0.1..=10.0).contains(&score), "{code}: {score}");
    }
    assert_eq!(rule("IAM-001")["properties"]["security-severity"], "9.5");
    let sqs = &rule("SQS-001")["properties"];
    assert_eq!(sqs["tags"], serde_json::json!(["correctness", "sqs"]));
    assert!(sqs.get("security-severity").is_none());
    for descriptor in rules {
        let precision = descriptor["properties"]["precision"].as_str().unwrap_or("");
        assert!(["very-high", "high"].contains(&precision), "{descriptor}");
    }
}

#[test]
fn sarif_messages_link_their_related_locations() {
    let log: Value = serde_json::from_str(&render("sarif")).expect("valid JSON");
    for result in log["runs"][0]["results"].as_array().expect("results") {
        let text = result["message"]["text"].as_str().expect("text");
        let related = result["relatedLocations"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        for location in &related {
            let id = location["id"].as_u64().expect("id");
            let label = location["message"]["text"].as_str().expect("label");
            assert!(text.contains(&format!("[{label}]({id})")), "{text}");
        }
        if related.is_empty() {
            assert!(!text.contains("]("), "{text}");
        }
    }
}
