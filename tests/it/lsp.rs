//! `stacklint lsp` driven over stdio with JSON-RPC, as an editor would.

use std::path::PathBuf;

use crate::support::lsp_client::{apply_edit, Client};
use serde_json::{json, Value};

const BINARY: &str = env!("CARGO_BIN_EXE_stacklint");

/// A scratch folder of its own for each test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("stacklint-lsp-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    dir
}

fn uri_of(path: &std::path::Path) -> String {
    format!("file://{}", path.display())
}

fn initialize(client: &mut Client, dir: &std::path::Path) {
    let response = client.request(
        "initialize",
        json!({
            "processId": null,
            "rootUri": uri_of(dir),
            "capabilities": {
                "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}
            }
        }),
    );
    let capabilities = &response["result"]["capabilities"];
    assert_eq!(capabilities["hoverProvider"], json!(true), "{response}");
    assert_eq!(
        capabilities["positionEncoding"],
        json!("utf-16"),
        "{response}"
    );
    assert_eq!(
        capabilities["textDocumentSync"]["change"],
        json!(2),
        "{response}"
    );
    client.notify("initialized", json!({}));
}

fn open(client: &mut Client, uri: &str, text: &str) {
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}}),
    );
}

fn change_all(client: &mut Client, uri: &str, version: i64, text: &str) {
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": [{"text": text}]
        }),
    );
}

fn shutdown(mut client: Client) {
    let response = client.request("shutdown", Value::Null);
    assert_eq!(response["result"], Value::Null, "{response}");
    client.notify("exit", Value::Null);
    assert_eq!(client.wait().code(), Some(0));
}

/// `(code, start line, start character, end line, end character)` of each diagnostic.
fn ranges(diagnostics: &[Value]) -> Vec<(String, u64, u64, u64, u64)> {
    diagnostics
        .iter()
        .map(|d| {
            let r = &d["range"];
            let n = |v: &Value| v.as_u64().unwrap_or(u64::MAX);
            (
                d["code"].as_str().unwrap_or("").to_string(),
                n(&r["start"]["line"]),
                n(&r["start"]["character"]),
                n(&r["end"]["line"]),
                n(&r["end"]["character"]),
            )
        })
        .collect()
}

fn codes(diagnostics: &[Value]) -> Vec<String> {
    ranges(diagnostics).into_iter().map(|r| r.0).collect()
}

#[test]
fn a_session_publishes_fixes_hovers_and_exits_cleanly() {
    let dir = scratch("session");
    let path = dir.join("template.yaml");
    let uri = uri_of(&path);
    let mut text = std::fs::read_to_string("fixtures/lsp/template.yaml").expect("fixture");
    let mut client = Client::start(BINARY, &dir);
    initialize(&mut client, &dir);
    open(&mut client, &uri, &text);

    let (diagnostics, _) = client.diagnostics_for(&uri, 1);
    assert_eq!(
        ranges(&diagnostics),
        vec![
            ("CFR-002".into(), 12, 36, 12, 45),
            // Line 14 holds `é` (1 UTF-16 unit, 2 bytes) and `😀` (2 units, 4 bytes)
            // before `allow-all`: character 82 counts them as the protocol asks.
            ("CFR-001".into(), 13, 83, 13, 92),
            ("EC2-001".into(), 19, 20, 19, 28),
        ]
    );
    let cfr001 = &diagnostics[1];
    assert_eq!(cfr001["severity"], json!(2));
    assert_eq!(cfr001["source"], json!("stacklint"));
    assert_eq!(
        cfr001["codeDescription"]["href"],
        json!("https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_CacheBehavior.html")
    );
    let related = &diagnostics[0]["relatedInformation"];
    assert_eq!(related[0]["message"], json!("the origin"));
    assert_eq!(related[0]["location"]["uri"], json!(uri));
    assert_eq!(
        related[0]["location"]["range"],
        json!({"start": {"line": 10, "character": 24}, "end": {"line": 10, "character": 35}})
    );
    // The watcher for `.stacklint.yaml` was registered.
    assert!(
        client
            .server_requests
            .iter()
            .any(|r| r["method"] == "client/registerCapability"),
        "{:?}",
        client.server_requests
    );

    // Hover on the CloudFront finding shows CFR-001's documentation.
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 13, "character": 85}}),
    );
    let markdown = hover["result"]["contents"]["value"].as_str().unwrap_or("");
    assert!(
        markdown.contains("### CFR-001 viewer-protocol-allow-all"),
        "{markdown}"
    );
    assert!(markdown.contains("## What it finds"), "{markdown}");
    assert_eq!(
        hover["result"]["range"],
        json!({"start": {"line": 13, "character": 83}, "end": {"line": 13, "character": 92}})
    );
    let nothing = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 2}}),
    );
    assert_eq!(nothing["result"], Value::Null);

    // An incremental change fixes EC2-001: its diagnostic disappears.
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": uri, "version": 2},
            "contentChanges": [{
                "range": {"start": {"line": 19, "character": 20}, "end": {"line": 19, "character": 28}},
                "text": "required"
            }]
        }),
    );
    text = text.replace("HttpTokens: optional", "HttpTokens: required");
    let (diagnostics, _) = client.diagnostics_for(&uri, 2);
    assert_eq!(codes(&diagnostics), ["CFR-002", "CFR-001"]);

    // The quick fix of CFR-001, applied here, removes the finding.
    let response = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": uri},
            "range": {"start": {"line": 13, "character": 85}, "end": {"line": 13, "character": 85}},
            "context": {"diagnostics": []}
        }),
    );
    let actions = response["result"].as_array().cloned().unwrap_or_default();
    let titles: Vec<&str> = actions.iter().filter_map(|a| a["title"].as_str()).collect();
    assert_eq!(
        titles,
        [
            "set ViewerProtocolPolicy to redirect-to-https",
            "Ignore CFR-001 on this line",
            "Ignore CFR-001 for this resource",
        ]
    );
    assert_eq!(actions[0]["isPreferred"], json!(true));
    assert_eq!(actions[0]["diagnostics"][0]["code"], json!("CFR-001"));
    text = apply_edit(&text, &actions[0]["edit"], &uri);
    assert!(
        text.contains("ViewerProtocolPolicy: redirect-to-https,"),
        "{text}"
    );
    change_all(&mut client, &uri, 3, &text);
    let (diagnostics, _) = client.diagnostics_for(&uri, 3);
    assert_eq!(codes(&diagnostics), ["CFR-002"]);

    // A half-typed document: a parse error at its position, and no crash.
    let broken = text.replace("Type: AWS::EC2::Instance", "Type: [AWS::EC2::Instance");
    change_all(&mut client, &uri, 4, &broken);
    let (diagnostics, _) = client.diagnostics_for(&uri, 4);
    assert_eq!(codes(&diagnostics), ["PARSE-001"]);
    assert_eq!(diagnostics[0]["severity"], json!(1));

    // Back to valid text.
    change_all(&mut client, &uri, 5, &text);
    let (diagnostics, _) = client.diagnostics_for(&uri, 5);
    assert_eq!(codes(&diagnostics), ["CFR-002"]);

    // Closing clears the diagnostics.
    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri}}),
    );
    let cleared = client.notification("textDocument/publishDiagnostics");
    assert_eq!(cleared["params"]["uri"], json!(uri));
    assert_eq!(cleared["params"]["diagnostics"], json!([]));
    shutdown(client);
}

#[test]
fn files_of_no_known_kind_get_empty_diagnostics() {
    let dir = scratch("unknown");
    let uri = uri_of(&dir.join("workflow.yaml"));
    let mut client = Client::start(BINARY, &dir);
    initialize(&mut client, &dir);
    open(&mut client, &uri, "on: push\njobs: {}\n");
    let (diagnostics, _) = client.diagnostics_for(&uri, 1);
    assert_eq!(diagnostics, Vec::<Value>::new());
    shutdown(client);
}

#[test]
fn a_burst_of_edits_publishes_only_current_versions() {
    let dir = scratch("burst");
    let uri = uri_of(&dir.join("template.yaml"));
    let text = std::fs::read_to_string("fixtures/lsp/template.yaml").expect("fixture");
    let mut client = Client::start(BINARY, &dir);
    initialize(&mut client, &dir);
    open(&mut client, &uri, &text);
    let (diagnostics, _) = client.diagnostics_for(&uri, 1);
    assert_eq!(diagnostics.len(), 3);
    // Versions 2..=30 alternate between the template with and without EC2-001.
    let fixed = text.replace("HttpTokens: optional", "HttpTokens: required");
    for version in 2..=30 {
        let body = if version % 2 == 0 { &text } else { &fixed };
        change_all(&mut client, &uri, version, body);
    }
    let (diagnostics, skipped) = client.diagnostics_for(&uri, 30);
    assert_eq!(codes(&diagnostics), ["CFR-002", "CFR-001", "EC2-001"]);
    // Whatever was published on the way was published in order, never after a newer one.
    assert!(skipped.windows(2).all(|w| w[0] < w[1]), "{skipped:?}");
    shutdown(client);
}

/// Edits of one value reuse the document's tree (`document::patch_scalar`); whatever
/// the way, the diagnostics are those of the edited text opened afresh, positions
/// included (here on lines after the edit, moved by it).
#[test]
fn value_edits_publish_what_a_fresh_open_publishes() {
    let dir = scratch("value-edits");
    let uri = uri_of(&dir.join("template.yaml"));
    let fresh_uri = uri_of(&dir.join("fresh.yaml"));
    let text = std::fs::read_to_string("fixtures/lsp/template.yaml").expect("fixture");
    let mut client = Client::start(BINARY, &dir);
    initialize(&mut client, &dir);
    open(&mut client, &uri, &text);
    client.diagnostics_for(&uri, 1);
    let versions = [
        // Longer, shorter, then a structural edit (a new key) and a value again.
        text.replace("Enabled: true", "Enabled: truthy"),
        text.replace("Enabled: true", "Enabled: t"),
        text.replace("Enabled: true", "Enabled: true\n      Comment: c"),
        text.replace("HttpTokens: optional", "HttpTokens: required"),
    ];
    assert!(versions.iter().all(|v| v != &text), "the fixture changed");
    for (i, body) in versions.iter().enumerate() {
        let version = i as i64 + 2;
        change_all(&mut client, &uri, version, body);
        let (edited, _) = client.diagnostics_for(&uri, version);
        client.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": fresh_uri, "languageId": "yaml", "version": version, "text": body}}),
        );
        let (fresh, _) = client.diagnostics_for(&fresh_uri, version);
        assert_eq!(ranges(&edited), ranges(&fresh), "version {version}");
        client.notify(
            "textDocument/didClose",
            json!({"textDocument": {"uri": fresh_uri}}),
        );
    }
    shutdown(client);
}

#[test]
fn exit_without_shutdown_is_exit_code_1() {
    let dir = scratch("abrupt");
    let mut client = Client::start(BINARY, &dir);
    initialize(&mut client, &dir);
    client.notify("exit", Value::Null);
    assert_eq!(client.wait().code(), Some(1));
}

#[test]
fn the_workspace_configuration_is_honoured_and_reloaded() {
    let dir = scratch("config");
    let config = dir.join(".stacklint.yaml");
    std::fs::write(&config, "ignore: [EC2-001]\nseverity:\n  CFR-001: error\n").expect("write");
    let uri = uri_of(&dir.join("template.yaml"));
    let text = std::fs::read_to_string("fixtures/lsp/template.yaml").expect("fixture");
    let mut client = Client::start(BINARY, &dir);
    initialize(&mut client, &dir);
    open(&mut client, &uri, &text);
    let (diagnostics, _) = client.diagnostics_for(&uri, 1);
    assert_eq!(codes(&diagnostics), ["CFR-002", "CFR-001"]);
    assert_eq!(diagnostics[1]["severity"], json!(1), "severity override");

    // The file changes on disk; the editor's watcher says so.
    std::fs::write(&config, "select: [EC2]\n").expect("write");
    let changed = json!({"changes": [{"uri": uri_of(&config), "type": 2}]});
    client.notify("workspace/didChangeWatchedFiles", changed.clone());
    let (diagnostics, _) = client.diagnostics_for(&uri, 1);
    assert_eq!(codes(&diagnostics), ["EC2-001"]);

    // A broken configuration: its problem is shown on it, the template is linted
    // without it.
    std::fs::write(&config, "select: [EC2]\nignroe: [CFR]\n").expect("write");
    client.notify("workspace/didChangeWatchedFiles", changed.clone());
    let problems = client.notification("textDocument/publishDiagnostics");
    assert_eq!(
        problems["params"]["uri"],
        json!(uri_of(&config)),
        "{problems}"
    );
    let problem = &problems["params"]["diagnostics"][0];
    assert_eq!(
        problem["range"],
        json!({"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 6}})
    );
    assert!(
        problem["message"]
            .as_str()
            .unwrap_or("")
            .starts_with("unknown key `ignroe`"),
        "{problem}"
    );
    let (diagnostics, _) = client.diagnostics_for(&uri, 1);
    assert_eq!(codes(&diagnostics), ["CFR-002", "CFR-001", "EC2-001"]);

    // Saving a fixed configuration in the editor reloads it too and clears its problems.
    std::fs::write(&config, "select: [CFR-002]\n").expect("write");
    client.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": uri_of(&config)}}),
    );
    let cleared = client.notification("textDocument/publishDiagnostics");
    assert_eq!(cleared["params"]["uri"], json!(uri_of(&config)));
    assert_eq!(cleared["params"]["diagnostics"], json!([]));
    let (diagnostics, _) = client.diagnostics_for(&uri, 1);
    assert_eq!(codes(&diagnostics), ["CFR-002"]);
    shutdown(client);
}

/// The edit of the code action titled `title` for the finding at `position`.
fn action_edit(client: &mut Client, uri: &str, line: u64, character: u64, title: &str) -> Value {
    let position = json!({"line": line, "character": character});
    let response = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": uri},
            "range": {"start": position, "end": position},
            "context": {"diagnostics": []}
        }),
    );
    let actions = response["result"].as_array().cloned().unwrap_or_default();
    actions
        .iter()
        .find(|a| a["title"] == title)
        .map(|a| a["edit"].clone())
        .unwrap_or_else(|| panic!("no action `{title}` in {response}"))
}

#[test]
fn suppression_actions_silence_their_findings() {
    let dir = scratch("suppress");
    let uri = uri_of(&dir.join("template.yaml"));
    let mut text = std::fs::read_to_string("fixtures/lsp/template.yaml").expect("fixture");
    let mut client = Client::start(BINARY, &dir);
    initialize(&mut client, &dir);
    open(&mut client, &uri, &text);
    let (diagnostics, _) = client.diagnostics_for(&uri, 1);
    assert_eq!(codes(&diagnostics), ["CFR-002", "CFR-001", "EC2-001"]);

    let edit = action_edit(&mut client, &uri, 12, 40, "Ignore CFR-002 on this line");
    text = apply_edit(&text, &edit, &uri);
    assert!(
        text.contains("OriginProtocolPolicy: http-only  # stacklint-ignore CFR-002 -- reason\n"),
        "{text}"
    );
    change_all(&mut client, &uri, 2, &text);
    let (diagnostics, _) = client.diagnostics_for(&uri, 2);
    assert_eq!(codes(&diagnostics), ["CFR-001", "EC2-001"]);

    let edit = action_edit(
        &mut client,
        &uri,
        19,
        22,
        "Ignore EC2-001 for this resource",
    );
    text = apply_edit(&text, &edit, &uri);
    assert!(
        text.contains(
            "  Server:\n    Metadata: {stacklint: {ignore: [EC2-001]}}\n    Type: AWS::EC2::Instance\n"
        ),
        "{text}"
    );
    change_all(&mut client, &uri, 3, &text);
    let (diagnostics, _) = client.diagnostics_for(&uri, 3);
    assert_eq!(codes(&diagnostics), ["CFR-001"]);

    // The line already holding a suppression gets the next code added to it.
    let edit = action_edit(&mut client, &uri, 13, 85, "Ignore CFR-001 on this line");
    text = apply_edit(&text, &edit, &uri);
    change_all(&mut client, &uri, 4, &text);
    let (diagnostics, _) = client.diagnostics_for(&uri, 4);
    assert_eq!(codes(&diagnostics), Vec::<String>::new());
    shutdown(client);
}

#[test]
fn excluded_files_get_no_diagnostics() {
    let dir = scratch("exclude");
    std::fs::write(dir.join(".stacklint.yaml"), "exclude: [vendor]\n").expect("write");
    let text = std::fs::read_to_string("fixtures/lsp/template.yaml").expect("fixture");
    let vendored = uri_of(&dir.join("vendor/template.yaml"));
    let own = uri_of(&dir.join("template.yaml"));
    let mut client = Client::start(BINARY, &dir);
    initialize(&mut client, &dir);
    open(&mut client, &vendored, &text);
    open(&mut client, &own, &text);
    let (diagnostics, _) = client.diagnostics_for(&vendored, 1);
    assert_eq!(diagnostics, Vec::<Value>::new());
    let (diagnostics, _) = client.diagnostics_for(&own, 1);
    assert_eq!(diagnostics.len(), 3);
    shutdown(client);
}

#[test]
fn a_confused_client_gets_errors_not_a_crash() {
    let dir = scratch("confused");
    let uri = uri_of(&dir.join("template.yaml"));
    let mut client = Client::start(BINARY, &dir);
    initialize(&mut client, &dir);
    // Notifications with bad parameters, or about documents never opened: ignored.
    client.notify("textDocument/didOpen", json!({"textDocument": 42}));
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": "x"}]}),
    );
    // Requests with bad parameters: an error response.
    let response = client.request("textDocument/hover", json!({"nonsense": true}));
    assert_eq!(response["error"]["code"], json!(-32602), "{response}");
    let response = client.request("workspace/symbol", json!({"query": ""}));
    assert_eq!(response["error"]["code"], json!(-32601), "{response}");
    // About a document that is not open: nothing.
    let response = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}}),
    );
    assert_eq!(response["result"], Value::Null, "{response}");
    // Positions far outside the text are clamped (an inverted range is empty).
    let text = std::fs::read_to_string("fixtures/lsp/template.yaml").expect("fixture");
    open(&mut client, &uri, &text);
    client.diagnostics_for(&uri, 1);
    let far = json!({"line": 4_000_000_000u64, "character": 4_000_000_000u64});
    let response = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": uri},
            "range": {"start": far, "end": far},
            "context": {"diagnostics": []}
        }),
    );
    assert_eq!(response["result"], json!([]), "{response}");
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": uri, "version": 2},
            "contentChanges": [{"range": {"start": far, "end": {"line": 0, "character": 0}}, "text": "# \u{1F600}\n"}]
        }),
    );
    let (diagnostics, _) = client.diagnostics_for(&uri, 2);
    assert_eq!(codes(&diagnostics), ["CFR-002", "CFR-001", "EC2-001"]);
    shutdown(client);
}

#[test]
fn an_open_configuration_file_is_checked_as_it_is_typed() {
    let dir = scratch("config-buffer");
    let config = dir.join(".stacklint.yaml");
    std::fs::write(&config, "select: [EC2]\n").expect("write");
    let config_uri = uri_of(&config);
    let mut client = Client::start(BINARY, &dir);
    initialize(&mut client, &dir);
    open(&mut client, &config_uri, "select: [EC2]\n");
    let (diagnostics, _) = client.diagnostics_for(&config_uri, 1);
    assert_eq!(diagnostics, Vec::<Value>::new());
    change_all(
        &mut client,
        &config_uri,
        2,
        "select: [EC2]\nseverity: {EC2-001: loud}\n",
    );
    let (diagnostics, _) = client.diagnostics_for(&config_uri, 2);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert_eq!(
        diagnostics[0]["range"]["start"],
        json!({"line": 1, "character": 20}),
        "{diagnostics:?}"
    );
    change_all(&mut client, &config_uri, 3, "select: [EC2]\n");
    let (diagnostics, _) = client.diagnostics_for(&config_uri, 3);
    assert_eq!(diagnostics, Vec::<Value>::new());
    shutdown(client);
}

/// Class 6 of issue 12: malformed frames are answered with JSON-RPC errors and the
/// server keeps serving (an oversized length is refused before anything is allocated).
#[test]
fn malformed_frames_are_answered_and_the_server_keeps_serving() {
    let dir = scratch("frames");
    let mut client = Client::start(BINARY, &dir);
    initialize(&mut client, &dir);
    let bodies: [&[u8]; 2] = [
        b"{not json",
        br#"{"jsonrpc":"2.0","id":5,"method":"textDocument/hover","params":{"x":"\ud83d"}}"#,
    ];
    for body in bodies {
        let mut frame = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        frame.extend_from_slice(body);
        client.send_raw(&frame);
        let response = client.next_response();
        assert_eq!(response["error"]["code"], -32700, "{response}");
    }
    for length in ["1000000000000000", "18446744073709551615"] {
        client.send_raw(format!("Content-Length: {length}\r\n\r\n").as_bytes());
        let response = client.next_response();
        assert_eq!(response["error"]["code"], -32700, "{response}");
        assert_eq!(response["id"], Value::Null, "{response}");
        assert!(
            response["error"]["message"]
                .as_str()
                .is_some_and(|m| m.contains("limit")),
            "{response}"
        );
    }
    // A length longer than its body: that frame is an error, the next one is served.
    client.send_raw(b"Content-Length: 100\r\n\r\n{\"jsonrpc\":\"2.0\",\"method\":\"x\"");
    let hover = client.send_request(
        "textDocument/hover",
        json!({
            "textDocument": {"uri": uri_of(&dir.join("none.yaml"))},
            "position": {"line": 0, "character": 0}
        }),
    );
    let response = client.next_response();
    assert_eq!(response["error"]["code"], -32700, "{response}");
    let response = client.next_response();
    assert_eq!(response["id"], hover, "{response}");
    assert_eq!(response["result"], Value::Null, "{response}");
    let shutdown = client.request("shutdown", Value::Null);
    assert_eq!(shutdown["result"], Value::Null, "{shutdown}");
    client.notify("exit", Value::Null);
    assert_eq!(client.wait().code(), Some(0));
}

/// Class 6 of issue 12: linting runs off the main loop, so a request that needs no
/// lint is answered while a slow lint is under way (before the hover that waits on it).
#[test]
fn a_slow_lint_does_not_hold_up_other_requests() {
    let dir = scratch("slow-lint");
    let mut client = Client::start(BINARY, &dir);
    initialize(&mut client, &dir);
    let mut text = String::from("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n");
    for i in 0..60_000 {
        text.push_str(&format!(
            "  Topic{i}:\n    Type: AWS::SNS::Topic\n    Properties: {{TopicName: t{i}}}\n"
        ));
    }
    let uri = uri_of(&dir.join("big.yaml"));
    open(&mut client, &uri, &text);
    let position = json!({"line": 2, "character": 4});
    let slow = client.send_request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": position}),
    );
    let quick = client.send_request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri_of(&dir.join("other.yaml"))}, "position": position}),
    );
    let first = client.next_response();
    assert_eq!(
        first["id"], quick,
        "the quick request waited for the lint: {first}"
    );
    let second = client.next_response();
    assert_eq!(second["id"], slow, "{second}");
}

const SCHEMA_TEMPLATE: &str = "Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Handler: index.handler
      PackageType: Zip
      TracingConfig:
        Mo
      Ro
  Other:
    Type: AWS::S
";

fn labels(response: &Value) -> Vec<String> {
    response["result"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|i| i["label"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

fn complete(client: &mut Client, uri: &str, line: u64, character: u64) -> Value {
    client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}),
    )
}

#[test]
fn completion_offers_types_and_schema_properties_required_first() {
    let dir = scratch("completion");
    let uri = uri_of(&dir.join("template.yaml"));
    let mut client = Client::start(BINARY, &dir);
    let response = client.request(
        "initialize",
        json!({"processId": null, "rootUri": uri_of(&dir), "capabilities": {}}),
    );
    assert!(
        response["result"]["capabilities"]["completionProvider"].is_object(),
        "{response}"
    );
    client.notify("initialized", json!({}));
    open(&mut client, &uri, SCHEMA_TEMPLATE);

    // After `Type: `: every type of the embedded schema, SAM's included, replacing
    // what was typed.
    let types = complete(&mut client, &uri, 10, 16);
    let names = labels(&types);
    assert!(names.len() > 1_800, "{}", names.len());
    for name in [
        "AWS::S3::Bucket",
        "AWS::Serverless::Function",
        "AWS::Lambda::Function",
    ] {
        assert!(names.iter().any(|n| n == name), "{name}");
    }
    assert_eq!(
        types["result"][0]["textEdit"]["range"],
        json!({"start": {"line": 10, "character": 10}, "end": {"line": 10, "character": 16}})
    );

    // In `Properties`: the function's properties, required ones marked and first,
    // written ones (`Handler`, `PackageType`, `TracingConfig`) and read-only ones (`Arn`) left out.
    let properties = complete(&mut client, &uri, 8, 8);
    let names = labels(&properties);
    assert_eq!(names.first().map(String::as_str), Some("Code"), "{names:?}");
    assert_eq!(names.get(1).map(String::as_str), Some("Role"), "{names:?}");
    for absent in ["Handler", "PackageType", "TracingConfig", "Arn", "Mode"] {
        assert!(!names.iter().any(|n| n == absent), "{absent} in {names:?}");
    }
    for present in ["MemorySize", "Runtime", "Timeout"] {
        assert!(names.iter().any(|n| n == present), "{present} missing");
    }
    let code = &properties["result"][0];
    assert_eq!(code["detail"], json!("required"));
    let memory = properties["result"]
        .as_array()
        .and_then(|items| items.iter().find(|i| i["label"] == "MemorySize"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(memory["detail"], json!("optional"));
    assert_eq!(
        memory["textEdit"]["range"],
        json!({"start": {"line": 8, "character": 6}, "end": {"line": 8, "character": 8}})
    );

    // In a nested object: that object's properties.
    assert_eq!(labels(&complete(&mut client, &uri, 7, 10)), ["Mode"]);
    // Outside any resource's properties: nothing.
    assert_eq!(
        labels(&complete(&mut client, &uri, 0, 3)),
        Vec::<String>::new()
    );
    shutdown(client);
}

#[test]
fn hover_shows_the_schema_of_properties_and_types() {
    let dir = scratch("schema-hover");
    let uri = uri_of(&dir.join("template.yaml"));
    let text = "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Code: {ZipFile: x}\n      Role: arn:aws:iam::123456789012:role/r\n      MemorySize: 256\n      PackageType: Zip\n      # é😀\n      \"Architectures\": [arm64]\n";
    let mut client = Client::start(BINARY, &dir);
    initialize(&mut client, &dir);
    open(&mut client, &uri, text);
    let hover = |client: &mut Client, line: u64, character: u64| {
        client.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}),
        )
    };
    let memory = hover(&mut client, 6, 8);
    let markdown = memory["result"]["contents"]["value"].as_str().unwrap_or("");
    assert!(markdown.contains("**MemorySize** (optional)"), "{markdown}");
    assert!(markdown.contains("Type: integer"), "{markdown}");
    assert!(markdown.contains("Range: 128 to 32768"), "{markdown}");
    assert!(
        markdown.contains("(https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-lambda-function.html)"),
        "{markdown}"
    );
    assert_eq!(
        memory["result"]["range"],
        json!({"start": {"line": 6, "character": 6}, "end": {"line": 6, "character": 16}})
    );
    let package = hover(&mut client, 7, 6);
    let markdown = package["result"]["contents"]["value"]
        .as_str()
        .unwrap_or("");
    assert!(
        markdown.contains("Allowed values: `Image`, `Zip`"),
        "{markdown}"
    );
    let role = hover(&mut client, 5, 9);
    let markdown = role["result"]["contents"]["value"].as_str().unwrap_or("");
    assert!(markdown.contains("**Role** (required)"), "{markdown}");
    // A quoted key; items of an array.
    let architectures = hover(&mut client, 9, 10);
    let markdown = architectures["result"]["contents"]["value"]
        .as_str()
        .unwrap_or("");
    assert!(markdown.contains("Type: array of string"), "{markdown}");
    assert!(markdown.contains("Items: 1 to 1"), "{markdown}");
    // The type's value: its required properties and page.
    let kind = hover(&mut client, 2, 14);
    let markdown = kind["result"]["contents"]["value"].as_str().unwrap_or("");
    assert!(markdown.contains("**AWS::Lambda::Function**"), "{markdown}");
    assert!(
        markdown.contains("Required properties: `Code`, `Role`"),
        "{markdown}"
    );
    assert_eq!(
        kind["result"]["range"],
        json!({"start": {"line": 2, "character": 10}, "end": {"line": 2, "character": 31}})
    );
    // The value of a property is not its name.
    assert_eq!(hover(&mut client, 6, 19)["result"], Value::Null);
    shutdown(client);
}

/// A JSON template (line 4 being typed) and a YAML one with flow values.
const JSON_TEMPLATE: &str = "{
  \"Resources\": {
    \"Q\": {
      \"Type\": \"AWS::SQS::Queue\",
      \"Properties\": {\"DelaySeconds\": 5, \"Fifo\"}
    },
    \"B\": {\"Type\": \"AWS::S3\"}
  }
}
";

const FLOW_TEMPLATE: &str = "Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      VersioningConfiguration: {Sta}
  Q: {Type: AWS::SQS::Queue, Properties: {DelaySeconds: 5}}
";

#[test]
fn completion_and_hover_work_in_json_and_in_yaml_flow_collections() {
    let dir = scratch("flow-completion");
    let mut client = Client::start(BINARY, &dir);
    initialize(&mut client, &dir);
    let json_uri = uri_of(&dir.join("template.json"));
    let yaml_uri = uri_of(&dir.join("flow.yaml"));
    open(&mut client, &json_uri, JSON_TEMPLATE);
    open(&mut client, &yaml_uri, FLOW_TEMPLATE);

    // JSON: a key being written in `Properties`, written keys left out, the typed word
    // replaced (not its quote).
    let properties = complete(&mut client, &json_uri, 4, 45);
    let names = labels(&properties);
    assert!(names.iter().any(|n| n == "FifoQueue"), "{names:?}");
    assert!(!names.iter().any(|n| n == "DelaySeconds"), "{names:?}");
    assert_eq!(
        properties["result"][0]["textEdit"]["range"],
        json!({"start": {"line": 4, "character": 41}, "end": {"line": 4, "character": 45}})
    );
    // JSON: a `Type` value.
    let types = labels(&complete(&mut client, &json_uri, 6, 26));
    assert!(
        types.iter().any(|t| t == "AWS::S3::Bucket"),
        "{}",
        types.len()
    );
    // YAML flow: the nested object's keys.
    assert_eq!(labels(&complete(&mut client, &yaml_uri, 4, 35)), ["Status"]);

    let hover = |client: &mut Client, uri: &str, line: u64, character: u64| {
        client.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}),
        )
    };
    let delay = hover(&mut client, &json_uri, 4, 24);
    let markdown = delay["result"]["contents"]["value"].as_str().unwrap_or("");
    assert!(
        markdown.contains("**DelaySeconds** (optional)"),
        "{markdown}"
    );
    assert_eq!(
        delay["result"]["range"],
        json!({"start": {"line": 4, "character": 22}, "end": {"line": 4, "character": 34}})
    );
    let queue = hover(&mut client, &json_uri, 3, 20);
    let markdown = queue["result"]["contents"]["value"].as_str().unwrap_or("");
    assert!(markdown.contains("**AWS::SQS::Queue**"), "{markdown}");
    let flow = hover(&mut client, &yaml_uri, 5, 45);
    let markdown = flow["result"]["contents"]["value"].as_str().unwrap_or("");
    assert!(
        markdown.contains("**DelaySeconds** (optional)"),
        "{markdown}"
    );
    // A value is not a property.
    assert_eq!(hover(&mut client, &json_uri, 4, 37)["result"], Value::Null);
    shutdown(client);
}

#[test]
fn completion_on_a_megabyte_document_answers_in_milliseconds() {
    let dir = scratch("completion-speed");
    // Not linted (excluded): the test measures completion, and stays light for the
    // tests running beside it.
    std::fs::write(dir.join(".stacklint.yaml"), "exclude: [template.yaml]\n").expect("config");
    let uri = uri_of(&dir.join("template.yaml"));
    let mut text = String::from("Resources:\n");
    let mut i = 0;
    while text.len() < 1_000_000 {
        text.push_str(&format!(
            "  Queue{i}:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: q{i}\n      DelaySeconds: 5\n"
        ));
        i += 1;
    }
    text.push_str("  Last:\n    Type: AWS::SQS::Queue\n    Properties:\n      Dela\n");
    let lines = text.lines().count() as u64;
    let mut client = Client::start(BINARY, &dir);
    initialize(&mut client, &dir);
    open(&mut client, &uri, &text);
    // Once the (empty) diagnostics are out, the main loop only answers completion.
    let _ = client.diagnostics_for(&uri, 1);
    let _ = complete(&mut client, &uri, lines - 1, 10);
    let started = std::time::Instant::now();
    let rounds = 20;
    for _ in 0..rounds {
        let response = complete(&mut client, &uri, lines - 1, 10);
        assert!(labels(&response).iter().any(|l| l == "DelaySeconds"));
    }
    let each = started.elapsed() / rounds;
    eprintln!(
        "completion on a {} byte document: {each:?} per request",
        text.len()
    );
    // Generous for a debug build on a shared machine; the release figure is in the README.
    assert!(each < std::time::Duration::from_millis(100), "{each:?}");
    shutdown(client);
}
