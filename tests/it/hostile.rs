//! Hostile input: each case gets a clear finding with a position (or an I/O error naming
//! the file), the good file linted beside it is still reported, and the exit code is
//! the documented one.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

const GOOD: &str = "Resources:\n  Listener:\n    Type: AWS::ElasticLoadBalancingV2::Listener\n    Properties:\n      Protocol: HTTPS\n      Port: 443\n";

struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        // Tests run in parallel: a counter keeps every scratch folder apart.
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let unique = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!(
            "stacklint-hostile-{}-{unique}-{name}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("scratch dir");
        std::fs::write(dir.join("good.yaml"), GOOD).expect("good file");
        Scratch(dir)
    }

    fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.0.join(name);
        std::fs::write(&path, bytes).expect("write case");
        path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Lints `case` beside the good file; returns (exit code, compact stdout, stderr).
fn lint(scratch: &Scratch, case: &Path) -> (Option<i32>, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_stacklint"))
        .args(["--format", "compact", "--select", "PARSE,ELB-001"])
        .arg(case)
        .arg(scratch.0.join("good.yaml"))
        .output()
        .expect("run");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        stdout.contains("good.yaml:5:7: error[ELB-001]"),
        "good file lost:\n{stdout}"
    );
    (
        output.status.code(),
        stdout,
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn expect_finding(name: &str, bytes: impl AsRef<[u8]>, expected: &str) {
    let scratch = Scratch::new(name);
    let case = scratch.write(name, bytes);
    let (code, stdout, stderr) = lint(&scratch, &case);
    assert_eq!(code, Some(1), "{stdout}{stderr}");
    let line = stdout
        .lines()
        .find(|l| l.contains(name))
        .unwrap_or_default();
    assert!(
        line.contains(expected),
        "expected `{expected}` for {name}, got:\n{stdout}{stderr}"
    );
}

#[test]
fn empty_file() {
    expect_finding(
        "template.yaml",
        "",
        "template.yaml:1:1: error[PARSE-001] the file holds no document",
    );
    expect_finding("empty.json", "", "empty.json:1:1: error[PARSE-001]");
}

#[test]
fn only_comments() {
    expect_finding(
        "template.yaml",
        "# nothing yet\n# still nothing\n",
        "template.yaml:3:1: error[PARSE-001] the file holds no document",
    );
}

#[test]
fn nul_byte() {
    expect_finding(
        "template.yaml",
        b"Resources:\n  A: \x00\n",
        "template.yaml:2:6: error[PARSE-003] unsupported content: binary content",
    );
}

#[test]
fn invalid_utf8_in_the_middle() {
    expect_finding("template.yaml", b"Resources:\n  A\xff: 1\n", "template.yaml:2:4: error[PARSE-003] unsupported content: invalid UTF-8: byte 0xFF at offset 14");
}

#[test]
fn utf16_with_bom() {
    let mut bytes = vec![0xFF, 0xFE];
    for unit in "Resources: {}".encode_utf16() {
        bytes.extend(unit.to_le_bytes());
    }
    expect_finding(
        "template.yaml",
        bytes,
        "template.yaml:1:1: error[PARSE-003] unsupported content: the file is UTF-16",
    );
}

#[test]
fn utf8_bom_and_crlf_keep_positions() {
    let text = format!("\u{feff}{}", GOOD.replace('\n', "\r\n"));
    expect_finding("bom.yaml", text, "bom.yaml:5:7: error[ELB-001]");
}

#[test]
fn mixed_line_endings_and_tabs() {
    let text = "Resources:\r\n  Listener:\n    Type: AWS::ElasticLoadBalancingV2::Listener\r\n    Properties:\n      Protocol: HTTPS\t# tab before a comment\r";
    expect_finding("mixed.yaml", text, "mixed.yaml:5:7: error[ELB-001]");
}

#[test]
fn tab_indentation_is_a_syntax_error_with_a_position() {
    expect_finding(
        "tabs.yaml",
        "Resources:\n\tA: 1\n",
        "tabs.yaml:2:2: error[PARSE-001] syntax error: tabs disallowed",
    );
}

#[test]
fn alias_bomb() {
    let mut text = String::from(
        "AWSTemplateFormatVersion: '2010-09-09'\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n",
    );
    for i in 1..10 {
        let p = i - 1;
        text.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    expect_finding(
        "bomb.yaml",
        text,
        "bomb.yaml:7:45: error[PARSE-003] unsupported content: alias expansion exceeds the budget",
    );
}

#[test]
fn deep_nesting_yaml_and_json() {
    let yaml = format!(
        "AWSTemplateFormatVersion: '2010-09-09'\nResources: {}{}\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    expect_finding(
        "deep.yaml",
        yaml,
        // The 256th bracket, where saphyr-parser stops.
        "deep.yaml:2:267: error[PARSE-003] unsupported content: nesting deeper than the YAML parser's limit",
    );
    let block: String = (0..2000)
        .map(|i| format!("{}k:\n", " ".repeat(i)))
        .collect();
    expect_finding(
        "block.yaml",
        format!("AWSTemplateFormatVersion: '2010-09-09'\n{block}"),
        "block.yaml:514:513: error[PARSE-003] unsupported content: nesting deeper than 512 levels",
    );
    let json = format!(
        "{{\"AWSTemplateFormatVersion\": \"2010-09-09\", \"Resources\": {}{}}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    expect_finding(
        "deep.json",
        json,
        "deep.json:1:567: error[PARSE-003] unsupported content: nesting deeper than 512 levels",
    );
}

#[test]
fn ten_thousand_duplicate_keys() {
    let mut text = String::from("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n");
    for _ in 0..10_000 {
        text.push_str("  Same:\n    Type: AWS::SNS::Topic\n");
    }
    let scratch = Scratch::new("dups");
    let case = scratch.write("dups.yaml", text);
    let (code, stdout, _) = lint(&scratch, &case);
    assert_eq!(code, Some(1));
    assert_eq!(
        stdout.lines().filter(|l| l.contains("PARSE-002")).count(),
        9_999
    );
    assert!(
        stdout.contains("dups.yaml:5:3: error[PARSE-002] duplicate key `Same`"),
        "{stdout}"
    );
}

#[test]
fn huge_scalar_and_long_lines() {
    let text = format!(
        "AWSTemplateFormatVersion: '2010-09-09'\nDescription: {}\nResources:\n  Listener:\n    Type: AWS::ElasticLoadBalancingV2::Listener\n    Properties: {{Port: 443, Protocol: HTTPS}}\n",
        "x".repeat(1 << 20),
    );
    expect_finding("huge.yaml", text, "huge.yaml:6:29: error[ELB-001]");
}

#[test]
fn key_of_100000_characters() {
    // JSON keys have no length limit; YAML implicit keys stop at 1,024 characters.
    let json = format!(
        "{{\"Metadata\": {{\"{}\": 1}}, \"Resources\": {{\"L\": {{\"Type\": \"AWS::ElasticLoadBalancingV2::Listener\", \"Properties\": {{\"Protocol\": \"HTTPS\"}}}}}}}}",
        "k".repeat(100_000)
    );
    expect_finding(
        "long-key.json",
        json,
        "long-key.json:1:100107: error[ELB-001]",
    );
    let yaml = format!(
        "AWSTemplateFormatVersion: '2010-09-09'\n{}: 1\n",
        "k".repeat(100_000)
    );
    expect_finding(
        "long-key.yaml",
        yaml,
        "long-key.yaml:2:100001: error[PARSE-001] syntax error: simple key expect ':'",
    );
}

#[test]
fn malformed_json_points_at_the_fault_and_the_open_bracket() {
    expect_finding(
        "broken.json",
        "{\"Resources\": {\"A\": {\"Type\": \"AWS::SNS::Topic\"}\n",
        "broken.json:1:15: error[PARSE-001] syntax error: unterminated object",
    );
}

#[cfg(unix)]
#[test]
fn fifo_named_on_the_command_line_is_an_io_error_not_a_hang() {
    let scratch = Scratch::new("fifo");
    let fifo = scratch.0.join("pipe.yaml");
    let status = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(status.success());
    let (code, _, stderr) = lint(&scratch, &fifo);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("pipe.yaml: not a regular file"), "{stderr}");
}

#[cfg(unix)]
#[test]
fn directory_symlink_loop_terminates() {
    let scratch = Scratch::new("loop");
    let sub = scratch.0.join("sub");
    std::fs::create_dir_all(&sub).expect("sub");
    std::os::unix::fs::symlink(&scratch.0, sub.join("back")).expect("symlink");
    let output = Command::new(env!("CARGO_BIN_EXE_stacklint"))
        .args(["--format", "compact", "--select", "ELB-001"])
        .arg(&scratch.0)
        .output()
        .expect("run");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert_eq!(output.status.code(), Some(1));
}

#[cfg(unix)]
#[test]
fn dangling_symlink_is_an_io_error_naming_it() {
    let scratch = Scratch::new("dangling");
    let link = scratch.0.join("gone.yaml");
    std::os::unix::fs::symlink(scratch.0.join("nowhere.yaml"), &link).expect("symlink");
    let (code, _, stderr) = lint(&scratch, &link);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("gone.yaml"), "{stderr}");
}

#[test]
fn invalid_utf8_span_is_a_position_in_the_original_bytes() {
    // The bad byte is replaced by U+FFFD (3 bytes) for display; the reported span must
    // not claim that length for the 1 original byte.
    let scratch = Scratch::new("utf8-span");
    let case = scratch.write("bad.yaml", b"Resources:\n  A\xff: 1\n");
    let output = Command::new(env!("CARGO_BIN_EXE_stacklint"))
        .args(["--format", "json"])
        .arg(&case)
        .output()
        .expect("run");
    let findings: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(findings[0]["rule"], "PARSE-003");
    assert_eq!(
        findings[0]["span"],
        serde_json::json!({"offset": 14, "length": 0})
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        !stderr.contains("skipped"),
        "a reported file is not skipped:\n{stderr}"
    );
}

#[cfg(unix)]
#[test]
fn unreadable_file_is_an_io_error_unless_the_user_can_read_anything() {
    use std::os::unix::fs::PermissionsExt;
    let scratch = Scratch::new("unreadable");
    let case = scratch.write("denied.yaml", GOOD.replace("Listener:", "Other:"));
    std::fs::set_permissions(&case, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    // Root (as CI often runs) reads a mode-000 file anyway; then it is simply linted.
    let readable = std::fs::read(&case).is_ok();
    let (code, stdout, stderr) = lint(&scratch, &case);
    let _ = std::fs::set_permissions(&case, std::fs::Permissions::from_mode(0o600));
    if readable {
        assert_eq!(code, Some(1));
        assert!(
            stdout.contains("denied.yaml:5:7: error[ELB-001] HTTPS listener `Other`"),
            "{stdout}"
        );
    } else {
        assert_eq!(code, Some(2), "{stdout}{stderr}");
        assert!(
            stderr.contains("denied.yaml: Permission denied"),
            "{stderr}"
        );
    }
}

/// The finding of the listener at the end of `text`: `line:column` of its `Protocol`
/// key (ASCII text, so columns are bytes + 1).
fn protocol_position(text: &str, key: &str) -> String {
    let at = text.rfind(key).expect("protocol key");
    let line = text[..at].matches('\n').count() + 1;
    let column = at - text[..at].rfind('\n').map_or(0, |nl| nl + 1) + 1;
    format!("{line}:{column}")
}

#[test]
fn ten_megabyte_single_line_json_and_yaml() {
    let tags: Vec<String> = (0..320_000)
        .map(|i| format!("{{\"Key\": \"k{i:06}\", \"Value\": \"v\"}}"))
        .collect();
    let json = format!(
        "{{\"Resources\": {{\"L\": {{\"Type\": \"AWS::ElasticLoadBalancingV2::Listener\", \"Properties\": {{\"Tags\": [{}], \"Protocol\": \"HTTPS\"}}}}}}}}",
        tags.join(", ")
    );
    assert!(json.len() > 10 << 20 && !json.contains('\n'));
    let at = protocol_position(&json, "\"Protocol\"");
    assert!(at.starts_with("1:"));
    expect_finding(
        "line.json",
        &json,
        &format!("line.json:{at}: error[ELB-001]"),
    );
    let yaml = format!(
        "Resources: {{L: {{Type: AWS::ElasticLoadBalancingV2::Listener, Properties: {{Tags: [{}], Protocol: HTTPS}}}}}}",
        tags.join(", ")
    );
    assert!(yaml.len() > 10 << 20 && !yaml.contains('\n'));
    let at = protocol_position(&yaml, "Protocol");
    expect_finding(
        "line.yaml",
        &yaml,
        &format!("line.yaml:{at}: error[ELB-001]"),
    );
}

/// Peak resident memory (KiB) of a child, sampled from `/proc` while it runs.
#[cfg(target_os = "linux")]
fn run_measuring_peak_rss(command: &mut Command) -> (std::process::Output, u64) {
    use std::io::Read;
    use std::process::Stdio;
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut stdout = child.stdout.take().expect("stdout");
    let mut stderr = child.stderr.take().expect("stderr");
    let out = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        stdout.read_to_end(&mut bytes).map(|_| bytes)
    });
    let err = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        stderr.read_to_end(&mut bytes).map(|_| bytes)
    });
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak = 0;
    let status = loop {
        // VmHWM is the kernel's own high-water mark, so sampling misses no peak that
        // is still held at the next sample.
        if let Ok(status) = std::fs::read_to_string(&status_file) {
            let hwm = status
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok());
            peak = peak.max(hwm.unwrap_or(0));
        }
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    };
    let output = std::process::Output {
        status,
        stdout: out.join().expect("stdout thread").expect("read stdout"),
        stderr: err.join().expect("stderr thread").expect("read stderr"),
    };
    (output, peak)
}

/// 100 MB of JSON template (100,000 lines of 1 KB strings, then the listener): it is
/// linted, the finding at its end is placed exactly, and memory stays within 20 times
/// the file's size. A simple structure keeps this quick in a debug build (about 8 s);
/// the README's Fuzzing section gives figures for a 100 MB template of 1.2 million
/// resources.
#[cfg(target_os = "linux")]
#[test]
fn hundred_megabyte_template() {
    let chunk = format!("    \"{}\",\n", "x".repeat(1017));
    let chunks = (100 << 20) / chunk.len();
    let mut text = String::with_capacity(101 << 20);
    text.push_str(
        "{\n  \"AWSTemplateFormatVersion\": \"2010-09-09\",\n  \"Metadata\": {\"Chunks\": [\n",
    );
    for _ in 0..chunks {
        text.push_str(&chunk);
    }
    text.push_str("    \"end\"]},\n  \"Resources\": {\"L\": {\"Type\": \"AWS::ElasticLoadBalancingV2::Listener\", \"Properties\": {\"Protocol\": \"HTTPS\"}}}\n}\n");
    assert!(text.len() >= 100 << 20);
    let at = protocol_position(&text, "\"Protocol\"");
    let scratch = Scratch::new("big");
    let case = scratch.write("big.json", &text);
    let size_kib = text.len() as u64 / 1024;
    drop(text);
    let (output, peak_kib) = run_measuring_peak_rss(
        Command::new(env!("CARGO_BIN_EXE_stacklint"))
            .args(["--format", "compact", "--select", "PARSE,ELB-001"])
            .arg(&case)
            .arg(scratch.0.join("good.yaml")),
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains(&format!("big.json:{at}: error[ELB-001]")),
        "{stdout}"
    );
    assert!(stdout.contains("good.yaml:5:7: error[ELB-001]"), "{stdout}");
    assert!(peak_kib > 0, "no memory figure read from /proc");
    assert!(
        peak_kib < 20 * size_kib,
        "peak RSS {peak_kib} KiB for a {size_kib} KiB file"
    );
    eprintln!("100 MB template: peak RSS {peak_kib} KiB");
}

/// 100,000 continuation lines of a flow list not indented past their block, which
/// CloudFormation accepts and the loader re-indents: once quadratic (16,000 lines took
/// 8.5 s in a debug build, 100,000 would take minutes), now linear.
#[test]
fn hundred_thousand_underindented_flow_lines() {
    let mut text = String::from(
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Listener:\n    Type: AWS::ElasticLoadBalancingV2::Listener\n    Metadata: [\n",
    );
    for i in 0..100_000 {
        text.push_str(&format!("item{i},\n"));
    }
    text.push_str("end]\n    Properties: {Port: 443, Protocol: HTTPS}\n");
    let at = protocol_position(&text, "Protocol");
    expect_finding(
        "flow.yaml",
        text,
        &format!("flow.yaml:{at}: error[ELB-001]"),
    );
}

fn stacklint() -> Command {
    Command::new(env!("CARGO_BIN_EXE_stacklint"))
}

/// Class 1: `--output-file` never destroys data. It refuses to overwrite an input (also
/// through a symbolic link), never touches a file that has its temporary's old fixed
/// name, follows a symbolic link to its target and writes through to a FIFO.
#[cfg(unix)]
#[test]
fn output_file_never_destroys_an_input_a_link_or_a_fifo() {
    let scratch = Scratch::new("output-file");
    let good = scratch.0.join("good.yaml");
    let run = |output: &Path, inputs: &[&Path]| {
        let result = stacklint()
            .args(["--format", "compact", "--output-file"])
            .arg(output)
            .args(inputs)
            .output()
            .expect("run");
        (
            result.status.code(),
            String::from_utf8_lossy(&result.stderr).into_owned(),
        )
    };
    // The input itself, and the input through a symbolic link.
    let link = scratch.0.join("link.yaml");
    std::os::unix::fs::symlink(&good, &link).expect("symlink");
    for output in [&good, &link] {
        let (code, stderr) = run(output, &[&good]);
        assert_eq!(code, Some(2), "{stderr}");
        assert!(stderr.contains("refusing to overwrite"), "{stderr}");
        assert_eq!(std::fs::read_to_string(&good).expect("input"), GOOD);
    }
    // A file named as the old temporary (`report.stacklint-tmp` for `report.txt`).
    let old_temp = scratch.write("report.stacklint-tmp", GOOD);
    let report = scratch.0.join("report.txt");
    let (code, stderr) = run(&report, &[&old_temp]);
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(std::fs::read_to_string(&old_temp).expect("kept"), GOOD);
    assert!(std::fs::read_to_string(&report)
        .expect("report")
        .contains("error[ELB-001]"));
    // A symbolic link to the report: the link stays, its target gets the report.
    let target = scratch.0.join("target.txt");
    std::fs::write(&target, "old").expect("target");
    let report_link = scratch.0.join("report-link.txt");
    std::os::unix::fs::symlink("target.txt", &report_link).expect("symlink");
    let (code, stderr) = run(&report_link, &[&good]);
    assert_eq!(code, Some(1), "{stderr}");
    let meta = std::fs::symlink_metadata(&report_link).expect("link");
    assert!(meta.file_type().is_symlink(), "the link was replaced");
    assert!(std::fs::read_to_string(&target)
        .expect("target")
        .contains("error[ELB-001]"));
    // A FIFO: written through, still a FIFO afterwards.
    use std::os::unix::fs::FileTypeExt;
    let fifo = scratch.0.join("report.fifo");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo")
        .success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).expect("read fifo"))
    };
    let (code, stderr) = run(&fifo, &[&good]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(reader.join().expect("reader").contains("error[ELB-001]"));
    let meta = std::fs::symlink_metadata(&fifo).expect("fifo");
    assert!(meta.file_type().is_fifo(), "the FIFO became a regular file");
    // No temporary is left behind.
    let left: Vec<_> = std::fs::read_dir(&scratch.0)
        .expect("list")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".stacklint-tmp") && n != "report.stacklint-tmp")
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

/// Class 7: a closed pipe ends quietly; any other write error is reported with exit 2;
/// a full standard error never panics.
#[cfg(target_os = "linux")]
#[test]
fn write_failures_are_reported_and_a_closed_pipe_is_quiet() {
    use std::process::Stdio;
    let scratch = Scratch::new("write-failures");
    let good = scratch.0.join("good.yaml");
    for args in [
        vec!["rules"],
        vec!["rules", "--json"],
        vec!["rule", "ELB-001"],
    ] {
        let mut child = stacklint()
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        // Close the reading end before the child writes anything.
        drop(child.stdout.take());
        let output = child.wait_with_output().expect("wait");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(0), "{args:?}: {stderr}");
        assert!(stderr.is_empty(), "{args:?}: {stderr}");
    }
    let full = || std::fs::OpenOptions::new().write(true).open("/dev/full");
    let output = stacklint()
        .args(["--format", "json"])
        .arg(&good)
        .stdout(full().expect("/dev/full"))
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("standard output: the report could not be written"),
        "{stderr}"
    );
    let output = stacklint()
        .arg(scratch.0.join("missing.yaml"))
        .stderr(full().expect("/dev/full"))
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    let output = stacklint()
        .args(["rule", "NOPE-999"])
        .stderr(full().expect("/dev/full"))
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    // `--fix -` writes its notes to standard error: a full one must not panic either,
    // and a closed standard output ends the run quietly.
    let fixable = std::fs::read("rules/CFR-001/fail.yaml").expect("fixture");
    let mut child = stacklint()
        .args(["--fix", "-", "--stdin-filename", "cdn.yaml"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(full().expect("/dev/full"))
        .spawn()
        .expect("spawn");
    {
        use std::io::Write as _;
        let mut stdin = child.stdin.take().expect("stdin");
        stdin.write_all(&fixable).expect("write");
    }
    let output = child.wait_with_output().expect("wait");
    assert_eq!(output.status.code(), Some(0));
    let mut child = stacklint()
        .args(["--fix", "-", "--stdin-filename", "cdn.yaml"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    drop(child.stdout.take());
    {
        use std::io::Write as _;
        let mut stdin = child.stdin.take().expect("stdin");
        let _ = stdin.write_all(&fixable);
    }
    let output = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("standard output"), "{stderr}");
}

/// Class 2: a finding past column 65,535 of a 1 MB single-line template renders in
/// every format (the human one through a window of the line, not the whole line), and
/// the other file's findings are kept.
#[test]
fn one_megabyte_single_line_template_in_every_format() {
    let tags: Vec<String> = (0..30_000)
        .map(|i| format!("{{\"Key\": \"k{i:06}\", \"Value\": \"v\"}}"))
        .collect();
    let json = format!(
        "{{\"Resources\": {{\"L\": {{\"Type\": \"AWS::ElasticLoadBalancingV2::Listener\", \"Properties\": {{\"Tags\": [{}], \"Protocol\": \"HTTPS\"}}}}}}}}",
        tags.join(", ")
    );
    assert!(json.len() > 1_000_000 && !json.contains('\n'));
    let at = protocol_position(&json, "\"Protocol\"");
    let column: usize = at[2..].parse().expect("column");
    assert!(column > 65_535);
    let scratch = Scratch::new("minified");
    let case = scratch.write("line.json", &json);
    for format in ["human", "compact", "json", "sarif", "github", "junit"] {
        let output = stacklint()
            .args(["--format", format, "--select", "ELB-001"])
            .arg(&case)
            .arg(scratch.0.join("good.yaml"))
            .env("NO_COLOR", "1")
            .output()
            .expect("run");
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{format}: {stderr}");
        assert!(stdout.matches("ELB-001").count() >= 2, "{format}: {stdout}");
        if format == "human" {
            assert!(stdout.len() < 10_000, "{} bytes", stdout.len());
            assert!(stdout.contains(&format!("line.json:{at}]")), "{stdout}");
            assert!(stdout.contains("\"Protocol\": \"HTTPS\""), "{stdout}");
            assert!(stdout.contains("Found 2 errors"), "{stdout}");
        }
    }
}

/// 200 nested anchored flow sequences of 3 KB each (600 KB, no alias), as `levels`
/// nested values of `key`.
fn nested_anchors(key: &str, levels: usize) -> String {
    let mut text = format!("AWSTemplateFormatVersion: '2010-09-09'\n{key}: ");
    for i in 0..levels {
        text.push_str(&format!("&a{i} [{}", "x, ".repeat(1_000)));
    }
    text.push_str("end");
    text.push_str(&"]".repeat(levels));
    text.push('\n');
    text
}

/// Class 3: nested anchors without any alias once cost the square of their size
/// (each anchor kept its own copy: 1.6 GB for this file). Memory stays linear, for a
/// template and for a configuration file alike.
#[cfg(target_os = "linux")]
#[test]
fn nested_anchors_cost_linear_memory() {
    let scratch = Scratch::new("anchors");
    let case = scratch.write("anchors.yaml", nested_anchors("Metadata", 200));
    let (output, template_kib) = run_measuring_peak_rss(
        stacklint()
            .args(["--format", "compact", "--select", "PARSE,ELB-001"])
            .arg(&case)
            .arg(scratch.0.join("good.yaml")),
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("good.yaml:5:7: error[ELB-001]"), "{stdout}");
    assert!(!stdout.contains("anchors.yaml"), "{stdout}");
    let config = scratch.write(".stacklint.yaml", nested_anchors("exclude", 200));
    let (output, config_kib) = run_measuring_peak_rss(
        stacklint()
            .arg("--config")
            .arg(&config)
            .arg(scratch.0.join("good.yaml")),
    );
    assert_eq!(output.status.code(), Some(2));
    for peak_kib in [template_kib, config_kib] {
        assert!(peak_kib > 0, "no memory figure read from /proc");
        assert!(peak_kib < 150 << 10, "peak RSS {peak_kib} KiB for 600 KB");
    }
    eprintln!("nested anchors: peak RSS {template_kib} KiB (template), {config_kib} KiB (config)");
}

/// Runs `command`, killing it after `limit`; returns its output and how long it took.
fn run_with_time_limit(
    command: &mut Command,
    limit: std::time::Duration,
) -> (std::process::Output, std::time::Duration) {
    use std::process::Stdio;
    let start = std::time::Instant::now();
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut stdout = child.stdout.take().expect("stdout");
    let reader = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut stdout, &mut bytes).map(|_| bytes)
    });
    loop {
        if child.try_wait().expect("wait").is_some() {
            break;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let status = child.wait().expect("wait");
    let elapsed = start.elapsed();
    let output = std::process::Output {
        status,
        stdout: reader.join().expect("reader").expect("stdout"),
        stderr: Vec::new(),
    };
    (output, elapsed)
}

/// Class 4: inputs of legal size that were quadratic (each took over 20 s in a
/// release build): 100,000 `AllowedValues`, 10,000 `DependsOn` names that do not
/// exist among 10,000 resources ("did you mean"), 50,000 undefined `Fn::Sub`
/// variables in 500 resources, 100,000 suppression comment lines. Linted together
/// in a debug build they take a few seconds (about 30 s under a load of 10 on two
/// cores); the limit is generous for a loaded machine and far below the quadratic
/// times.
#[test]
fn legal_inputs_lint_in_linear_time() {
    let scratch = Scratch::new("quadratic");
    let allowed: String = (0..100_000).map(|i| format!("      - v{i}\n")).collect();
    scratch.write(
        "allowed.yaml",
        format!("AWSTemplateFormatVersion: '2010-09-09'\nParameters:\n  P:\n    Type: String\n    Default: HTTPS\n    AllowedValues:\n{allowed}Resources:\n  L:\n    Type: AWS::ElasticLoadBalancingV2::Listener\n    Properties:\n      Protocol: !Ref P\n"),
    );
    let resources: String = (0..10_000)
        .map(|i| format!("  R{i:05}:\n    Type: AWS::SNS::Topic\n"))
        .collect();
    let missing: String = (0..10_000)
        .map(|i| format!("      - Missing{i:05}\n"))
        .collect();
    scratch.write(
        "depends.yaml",
        format!("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n{resources}  T:\n    Type: AWS::SNS::Topic\n    DependsOn:\n{missing}"),
    );
    let subs: String = (0..500)
        .map(|r| {
            let names: String = (0..100).map(|i| format!("${{V{r}x{i}}}")).collect();
            format!("  T{r}:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: !Sub '{names}'\n")
        })
        .collect();
    scratch.write(
        "sub.yaml",
        format!("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n{subs}"),
    );
    let comments = "# stacklint-ignore ELB-001\n".repeat(100_000);
    scratch.write(
        "comments.yaml",
        format!("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  T:\n    Type: AWS::SNS::Topic\n{comments}"),
    );
    let names = ["allowed.yaml", "depends.yaml", "sub.yaml", "comments.yaml"];
    let (output, elapsed) = run_with_time_limit(
        stacklint()
            .args(["--format", "compact"])
            .args(names.iter().map(|n| scratch.0.join(n)))
            .arg(scratch.0.join("good.yaml")),
        std::time::Duration::from_secs(90),
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "killed after {elapsed:?}");
    assert!(stdout.contains("allowed.yaml:"), "{elapsed:?}");
    assert_eq!(
        stdout
            .matches("error[CFN-001] `DependsOn` names `Missing")
            .count(),
        10_000
    );
    assert!(stdout.matches("sub.yaml:").count() >= 50_000);
    assert!(stdout.contains("good.yaml:5:7: error[ELB-001]"));
    eprintln!("quadratic cases: {elapsed:?}");
}

/// Class 5: a finding's help lists a few names, not every container: 6,000 containers
/// with a broken link each gave 512 MB of JSON; output now grows with the findings.
#[test]
fn output_stays_proportional_to_the_findings() {
    let scratch = Scratch::new("amplification");
    let containers: Vec<String> = (0..6_000)
        .map(|i| format!("{{\"name\": \"container-{i:04}\", \"image\": \"nginx\", \"memory\": 128, \"essential\": true, \"links\": [\"gone-{i:04}\"]}}"))
        .collect();
    let dockerrun = format!(
        "{{\"AWSEBDockerrunVersion\": 2, \"containerDefinitions\": [{}]}}",
        containers.join(",\n")
    );
    let case = scratch.write("Dockerrun.aws.json", &dockerrun);
    let output = stacklint()
        .args(["--format", "json", "--select", "DOCKERRUN-006"])
        .arg(&case)
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(1));
    let findings: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(findings.as_array().map(Vec::len), Some(6_000));
    let help = findings[0]["help"].as_str().unwrap_or_default();
    assert!(help.ends_with(" and 5990 more"), "{help}");
    // About 700 bytes a finding, whatever the number of containers.
    assert!(
        output.stdout.len() < 6_000 * 1_000,
        "{} bytes of JSON for {} bytes of input",
        output.stdout.len(),
        dockerrun.len()
    );
}

/// Class 5 in the human format: a finding whose secondary label lies far below it
/// (each of 3,000 `AllowedValues` outside `Protocol`'s enum, labelled where the
/// parameter is used) was drawn as one snippet holding every line between, about 270
/// lines a finding here and quadratic in the file (100,000 values took minutes); now
/// each label gets a snippet of its own.
#[test]
fn human_snippets_do_not_span_the_lines_between_far_labels() {
    let scratch = Scratch::new("far-labels");
    let count = 3_000;
    let allowed: String = (0..count).map(|i| format!("      - v{i}\n")).collect();
    let case = scratch.write(
        "far.yaml",
        format!("AWSTemplateFormatVersion: '2010-09-09'\nParameters:\n  P:\n    Type: String\n    AllowedValues:\n{allowed}Resources:\n  T:\n    Type: AWS::ElasticLoadBalancingV2::TargetGroup\n    Properties:\n      Protocol: !Ref P\n"),
    );
    let output = stacklint()
        .args([
            "--format",
            "human",
            "--select",
            "SCHEMA-005",
            "--color",
            "never",
        ])
        .arg(&case)
        .output()
        .expect("run");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        stdout
            .matches("is not an allowed value of `Protocol`")
            .count(),
        count,
        "{}",
        &stdout[..stdout.len().min(2_000)]
    );
    // About 20 lines a finding: the value with its context, then the use.
    let lines = stdout.lines().count();
    assert!(lines < 30 * count, "{lines} lines for {count} findings");
}

/// Runs stacklint as an unprivileged user when the tests run as root (permissions do
/// not stop root); `None` when that is not possible here.
#[cfg(target_os = "linux")]
fn unprivileged() -> Option<Command> {
    let root = std::fs::read_to_string("/proc/self/status")
        .ok()?
        .lines()
        .find_map(|l| l.strip_prefix("Uid:"))
        .is_some_and(|uids| uids.split_whitespace().next() == Some("0"));
    if !root {
        return Some(stacklint());
    }
    let setpriv = || {
        let mut command = Command::new("setpriv");
        command.args(["--reuid=65534", "--regid=65534", "--clear-groups"]);
        command.arg(env!("CARGO_BIN_EXE_stacklint"));
        command
    };
    setpriv()
        .arg("--version")
        .output()
        .ok()
        .filter(|o| o.status.code() == Some(0))?;
    Some(setpriv())
}

/// Class 8: a folder that cannot be read inside a walked tree is reported (exit 2),
/// and a file named inside one is "permission denied", not "no such file"; the rest is
/// linted.
#[cfg(target_os = "linux")]
#[test]
fn unreadable_folders_are_reported_and_the_rest_is_linted() {
    use std::os::unix::fs::PermissionsExt;
    let Some(mut command) = unprivileged() else {
        eprintln!("skipped: cannot run as an unprivileged user");
        return;
    };
    let scratch = Scratch::new("unreadable-folder");
    std::fs::set_permissions(&scratch.0, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let closed = scratch.0.join("closed");
    std::fs::create_dir(&closed).expect("folder");
    std::fs::write(closed.join("t.yaml"), GOOD).expect("file");
    std::fs::set_permissions(&closed, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    let output = command
        .args(["--format", "compact", "--select", "ELB-001"])
        .arg(&scratch.0)
        .arg(closed.join("t.yaml"))
        .output()
        .expect("run");
    let _ = std::fs::set_permissions(&closed, std::fs::Permissions::from_mode(0o755));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stdout}{stderr}");
    assert!(stdout.contains("good.yaml:5:7: error[ELB-001]"), "{stdout}");
    assert!(
        stderr.contains("closed: Permission denied"),
        "the folder is not reported:\n{stderr}"
    );
    assert!(
        stderr.contains("t.yaml: Permission denied") && !stderr.contains("no such file"),
        "{stderr}"
    );
}

/// Class 9: a configuration file that is a FIFO or a device is refused (not read
/// forever), and so is an input over the size cap.
#[cfg(target_os = "linux")]
#[test]
fn reads_are_bounded() {
    let scratch = Scratch::new("bounded-reads");
    let good = scratch.0.join("good.yaml");
    let fifo = scratch.0.join("config.fifo");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo")
        .success());
    for config in [fifo.as_path(), Path::new("/dev/zero")] {
        let (output, elapsed) = run_with_time_limit(
            stacklint().arg("--config").arg(config).arg(&good),
            std::time::Duration::from_secs(20),
        );
        assert_eq!(
            output.status.code(),
            Some(2),
            "{config:?} after {elapsed:?}"
        );
    }
    let output = stacklint()
        .args(["--config", "/dev/zero"])
        .arg(&good)
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("not a regular file"), "{stderr}");
    // A sparse file over the cap: reported without being read.
    let big = scratch.0.join("big.yaml");
    let file = std::fs::File::create(&big).expect("create");
    file.set_len(200 << 20).expect("sparse");
    let output = stacklint().arg(&big).arg(&good).output().expect("run");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("big.yaml: 209715200 bytes, over the"),
        "{stderr}"
    );
}

/// Class 11: standard input named twice is refused, and `--stdin-filename` naming a
/// large file on disk does not lend that file's size to CFN-002.
#[test]
fn standard_input_is_read_once_and_measured_as_read() {
    use std::io::Write as _;
    use std::process::Stdio;
    let output = stacklint()
        .args(["-", "-"])
        .stdin(Stdio::null())
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("more than once"));
    let scratch = Scratch::new("stdin-size");
    let big = scratch.write("big.yaml", format!("# {}\n{GOOD}", "x".repeat(100_000)));
    let mut child = stacklint()
        .args([
            "--format",
            "compact",
            "--select",
            "CFN-002",
            "-",
            "--stdin-filename",
        ])
        .arg(&big)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(format!("AWSTemplateFormatVersion: '2010-09-09'\n{GOOD}").as_bytes())
        .expect("write");
    let output = child.wait_with_output().expect("wait");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    assert!(!stdout.contains("CFN-002"), "{stdout}");
}

/// Class 11: between JSON tokens only the four white-space characters of RFC 8259 are
/// accepted (form feed, vertical tab, NBSP and NEL were).
#[test]
fn json_accepts_only_rfc_8259_white_space() {
    for (name, space) in [
        ("ff", "\u{c}"),
        ("vt", "\u{b}"),
        ("nbsp", "\u{a0}"),
        ("nel", "\u{85}"),
    ] {
        let file = format!("{name}.json");
        expect_finding(
            &file,
            format!("{{\"Resources\":{space}{{}}}}"),
            &format!("{file}:1:14: error[PARSE-001] syntax error: U+"),
        );
    }
}

/// Class 4, the human format: each snippet once cost a scan of the file from its start
/// (miette's reader for `str`), so many findings late in a large file were quadratic
/// (50,000 in 500 KB took 80 s in a release build). 5,000 findings after 400 KB.
#[test]
fn human_output_of_many_findings_is_linear() {
    let scratch = Scratch::new("human-quadratic");
    let filler = "# filler line of a large template, forty bytes\n".repeat(8_500);
    let subs: String = (0..50)
        .map(|r| {
            let names: String = (0..100).map(|i| format!("${{V{r}x{i}}}")).collect();
            format!("  T{r}:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: !Sub '{names}'\n")
        })
        .collect();
    let case = scratch.write(
        "late.yaml",
        format!("AWSTemplateFormatVersion: '2010-09-09'\n{filler}Resources:\n{subs}"),
    );
    let (output, elapsed) = run_with_time_limit(
        stacklint()
            .args(["--format", "human", "--select", "CFN-001"])
            .arg(&case)
            .env("NO_COLOR", "1"),
        std::time::Duration::from_secs(40),
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "killed after {elapsed:?}");
    assert!(
        stdout.contains("Found 5000 errors, 0 warnings, 0 infos in 1 file."),
        "{elapsed:?}"
    );
    eprintln!("5,000 human findings: {elapsed:?}");
}

/// Class 11: terminal escape sequences from the input (in a message) and a newline in
/// a file name reach human and compact output escaped, never raw.
#[cfg(unix)]
#[test]
fn control_characters_in_messages_and_names_are_escaped() {
    let scratch = Scratch::new("escapes");
    let case = scratch.write(
        "evil\nname.yaml",
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  T:\n    Type: AWS::SNS::Topic\n    DependsOn: \"Gone\\e[2J\\e]0;owned\\a\"\n",
    );
    for format in ["compact", "human"] {
        let output = stacklint()
            .args(["--format", format, "--select", "CFN-001"])
            .arg(&case)
            .env("NO_COLOR", "1")
            .output()
            .expect("run");
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert_eq!(output.status.code(), Some(1), "{stdout}");
        assert!(
            !stdout.contains('\u{1b}') && !stdout.contains('\u{7}'),
            "{format}: {stdout:?}"
        );
        assert!(stdout.contains("Gone\\u{1b}[2J"), "{format}: {stdout}");
        assert!(stdout.contains("evil\\u{a}name.yaml"), "{format}: {stdout}");
    }
}

/// Class 11: a template after an empty first YAML document is linted, not skipped.
#[test]
fn template_after_an_empty_first_document_is_linted() {
    expect_finding(
        "second.yaml",
        format!("---\n---\n{GOOD}"),
        "second.yaml:7:7: error[ELB-001]",
    );
}

/// Class 10: a finding inside an alias's copy is reported at the alias (the place of
/// use), with the anchor as a secondary label, so a line comment or the resource's
/// `Metadata` there suppresses it.
#[test]
fn findings_through_an_alias_are_reported_and_suppressed_where_it_is_used() {
    let scratch = Scratch::new("alias");
    let listener = |name: &str, metadata: &str, comment: &str| {
        format!(
            "  {name}:\n    Type: AWS::ElasticLoadBalancingV2::Listener\n{metadata}    Properties:\n      Protocol: *proto{comment}\n      Port: 443\n"
        )
    };
    let text = format!(
        "Metadata:\n  Shared: &proto HTTPS\nResources:\n{}{}{}",
        listener("ByComment", "", " # stacklint-ignore ELB-001"),
        listener(
            "ByMetadata",
            "    Metadata:\n      stacklint:\n        ignore: [ELB-001]\n",
            ""
        ),
        listener("Reported", "", ""),
    );
    let case = scratch.write("alias.yaml", &text);
    let (code, stdout, stderr) = lint(&scratch, &case);
    assert_eq!(code, Some(1), "{stdout}{stderr}");
    let findings: Vec<&str> = stdout
        .lines()
        .filter(|l| l.contains("alias.yaml") && l.contains("ELB-001"))
        .collect();
    // Each alias is itself a PARSE-003 warning: CloudFormation refuses aliases.
    assert_eq!(
        stdout
            .matches("warning[PARSE-003] unsupported content: a YAML alias")
            .count(),
        3,
        "{stdout}"
    );
    // `Reported`'s `Protocol: *proto` is on line 20; the anchor is on line 2.
    assert_eq!(findings.len(), 1, "{stdout}");
    assert!(
        findings[0].ends_with(
            "alias.yaml:20:7: error[ELB-001] HTTPS listener `Reported` has no `Certificates`"
        ),
        "{stdout}"
    );
    let output = stacklint()
        .args(["--format", "json", "--select", "ELB-001"])
        .arg(&case)
        .output()
        .expect("run");
    let json = String::from_utf8_lossy(&output.stdout);
    let anchor = text.find("HTTPS").expect("anchor");
    assert!(
        json.contains("`*proto` stands for this anchored value")
            && json.contains(&format!("\"offset\": {anchor},")),
        "no secondary label at the anchor (offset {anchor}):\n{json}"
    );
}

/// Class 10 and `--fix`: a fix is never applied to an alias (`*policy` is not the
/// value it stands for); the fix at the anchor is, and it fixes every use.
#[test]
fn fixes_edit_the_anchor_never_the_alias() {
    let behavior = |path: &str, policy: &str| {
        format!(
            "          - PathPattern: /{path}/*\n            TargetOriginId: app\n            ViewerProtocolPolicy: {policy}\n            CachePolicyId: 658327ea-f89d-4fab-a63d-7e88639e58f6\n"
        )
    };
    let template = |metadata: &str, first: &str, second: &str| {
        format!(
            "{metadata}Resources:\n  Cdn:\n    Type: AWS::CloudFront::Distribution\n    Properties:\n      DistributionConfig:\n        Enabled: true\n        Origins:\n          - Id: app\n            DomainName: app.example.com\n            CustomOriginConfig:\n              OriginProtocolPolicy: https-only\n        DefaultCacheBehavior:\n          TargetOriginId: app\n          ViewerProtocolPolicy: redirect-to-https\n          CachePolicyId: 658327ea-f89d-4fab-a63d-7e88639e58f6\n        CacheBehaviors:\n{}{}",
            behavior("first", first),
            behavior("second", second)
        )
    };
    let scratch = Scratch::new("alias-fix");
    let fix = |name: &str, text: &str| {
        let case = scratch.write(name, text);
        let output = stacklint()
            .args(["--format", "compact", "--select", "CFR-001", "--fix"])
            .arg(&case)
            .output()
            .expect("run");
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        (std::fs::read_to_string(&case).expect("read back"), stdout)
    };
    // The anchor is where the finding's own value is: fixed there, the alias follows.
    let anchored = template("", "&policy allow-all", "*policy");
    let (fixed, stdout) = fix("anchored.yaml", &anchored);
    assert_eq!(
        fixed,
        template("", "&policy redirect-to-https", "*policy"),
        "{stdout}"
    );
    assert!(!stdout.contains("CFR-001"), "{stdout}");
    // Only the alias is in the distribution: no fix is applied, the finding stays.
    let aliased = template(
        "Metadata:\n  Policy: &policy allow-all\n",
        "*policy",
        "*policy",
    );
    let (unchanged, stdout) = fix("aliased.yaml", &aliased);
    assert_eq!(unchanged, aliased, "{stdout}");
    assert_eq!(stdout.matches("warning[CFR-001]").count(), 2, "{stdout}");
}

/// Class 11: a YAML merge key, which CloudFormation does not support, is a PARSE-003
/// warning at the key in a template, linted as merged; an AppSpec file (the CodeDeploy
/// agent's Ruby YAML merges) and `.stacklint.yaml` are merged without a finding.
#[test]
fn merge_keys_are_reported_in_templates_and_merged_elsewhere() {
    let scratch = Scratch::new("merge");
    let template = "Metadata:\n  Base: &base {Protocol: HTTPS, Port: 443}\nResources:\n  Listener:\n    Type: AWS::ElasticLoadBalancingV2::Listener\n    Properties:\n      <<: *base\n      Port: 8443\n";
    let case = scratch.write("merge.yaml", template);
    let (code, stdout, stderr) = lint(&scratch, &case);
    assert_eq!(code, Some(1), "{stdout}{stderr}");
    let findings: Vec<&str> = stdout
        .lines()
        .filter(|l| l.contains("merge.yaml"))
        .collect();
    assert_eq!(findings.len(), 2, "{stdout}");
    assert!(
        findings[0].ends_with("merge.yaml:7:7: warning[PARSE-003] unsupported content: a YAML merge key (`<<`), which CloudFormation does not support"),
        "{stdout}"
    );
    // The merged `Protocol: HTTPS` is linted, at the alias that brought it.
    assert!(
        findings[1].ends_with(
            "merge.yaml:7:11: error[ELB-001] HTTPS listener `Listener` has no `Certificates`"
        ),
        "{stdout}"
    );

    let appspec_dir = scratch.0.join("deploy");
    std::fs::create_dir_all(&appspec_dir).expect("appspec folder");
    let appspec = appspec_dir.join("appspec.yml");
    std::fs::write(
        &appspec,
        "version: 0.0\nos: linux\nhooks:\n  AfterInstall:\n    - &defaults {location: a.sh, timeout: 300, runas: root}\n  ApplicationStart:\n    - <<: *defaults\n      location: b.sh\n",
    )
    .expect("appspec");
    let output = stacklint()
        .args(["--format", "compact", "--select", "PARSE,APPSPEC-010"])
        .arg(&appspec)
        .output()
        .expect("run");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}");

    let config = scratch.write(".stacklint.yaml", "severity:\n  <<: {ELB-001: off}\n");
    let output = stacklint()
        .args(["--format", "compact", "--config"])
        .arg(&config)
        .arg(scratch.0.join("good.yaml"))
        .output()
        .expect("run");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    // Linted with the merged severity (no usage error for a `<<` rule code).
    assert_eq!(output.status.code(), Some(1), "{stdout}{stderr}");
    assert!(stdout.contains("warning[ELB-005]"), "{stdout}{stderr}");
    assert!(!stdout.contains("ELB-001"), "{stdout}{stderr}");
}

/// Class 11: a 1.2 MB `.gitignore` (60,000 patterns with a folder and an extension)
/// cost 0.5 to 1.15 GB, the `ignore` crate compiling a regular expression per pattern.
/// Memory stays linear (a bound the old code exceeded five times over), and what the
/// patterns say still holds: names at any depth, anchored paths, `!`, folders only,
/// a subfolder's own `.gitignore`, a parent's when walking a subfolder.
#[cfg(target_os = "linux")]
#[test]
fn a_large_gitignore_costs_linear_memory() {
    let scratch = Scratch::new("gitignore");
    let mut patterns: String = (0..60_000)
        .map(|i| format!("build/out-{i:06}/*.tmp\n"))
        .collect();
    patterns.push_str("ignored/\n*.skip.yaml\n!keep.skip.yaml\n/top.yaml\n");
    assert!(patterns.len() > 1_200_000);
    scratch.write(".gitignore", &patterns);
    for dir in ["ignored", "build/out-000042", "sub/deeper"] {
        std::fs::create_dir_all(scratch.0.join(dir)).expect("folder");
    }
    for name in [
        "ignored/bad.yaml",
        "a.skip.yaml",
        "keep.skip.yaml",
        "top.yaml",
        "sub/top.yaml",
        "build/out-000042/x.yaml",
        "build/out-000042/x.tmp",
        "sub/local.yaml",
        "sub/deeper/kept.yaml",
    ] {
        scratch.write(name, GOOD);
    }
    scratch.write("sub/.gitignore", "local.yaml\n");
    let linted = |dir: &Path| {
        let (output, peak_kib) = run_measuring_peak_rss(
            stacklint()
                .args(["--format", "compact", "--select", "ELB-001"])
                .arg(dir),
        );
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        let mut files: Vec<String> = stdout
            .lines()
            .filter_map(|l| l.split(":5:7:").next())
            .filter(|f| f.contains(".yaml") || f.contains(".tmp"))
            .map(|f| {
                Path::new(f)
                    .strip_prefix(&scratch.0)
                    .map(|p| p.display().to_string())
                    .unwrap_or_else(|_| f.to_string())
            })
            .collect();
        files.sort();
        (
            files,
            peak_kib,
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };
    let (files, peak_kib, stderr) = linted(&scratch.0);
    assert_eq!(
        files,
        [
            "build/out-000042/x.yaml",
            "good.yaml",
            "keep.skip.yaml",
            "sub/deeper/kept.yaml",
            "sub/top.yaml",
        ],
        "{stderr}"
    );
    eprintln!("1.2 MB .gitignore: peak RSS {peak_kib} KiB");
    assert!(peak_kib < 160 * 1024, "peak RSS {peak_kib} KiB");
    // Walking `sub/` alone still honours the parent folder's `.gitignore`.
    let (files, _, stderr) = linted(&scratch.0.join("sub"));
    assert_eq!(files, ["sub/deeper/kept.yaml", "sub/top.yaml"], "{stderr}");
}
