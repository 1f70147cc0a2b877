//! Latency of `stacklint lsp` from `didChange` to the `publishDiagnostics` of that
//! version, for a 50 KB and a 1 MB template. The time includes the server's debounce
//! delay (`stacklint::lsp::DEBOUNCE`); both the measured and the debounce-free figure
//! are printed.
//!
//! `cargo bench --bench lsp_latency` measures (release build). Under `cargo test`
//! (no `--bench` argument) it runs one quick round so CI knows it still works.

#[path = "../tests/it/support/lsp_client.rs"]
mod lsp_client;

use std::time::{Duration, Instant};

use lsp_client::Client;
use serde_json::json;

/// One distribution with a finding and one bucket, about 1 KB.
const BLOCK: &str = r#"  Cdn{n}:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Enabled: true
        Comment: distribution number {n} of the benchmark template, padded to look real
        Origins:
          - Id: origin-{n}
            DomainName: origin-{n}.example.com
            CustomOriginConfig:
              OriginProtocolPolicy: https-only
        DefaultCacheBehavior:
          TargetOriginId: origin-{n}
          ViewerProtocolPolicy: allow-all
          ForwardedValues: {QueryString: false}
  Bucket{n}:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: benchmark-bucket-{n}
      VersioningConfiguration: {Status: Enabled}
      Tags:
        - {Key: team, Value: platform}
        - {Key: purpose, Value: latency benchmark of the language server}
"#;

fn template(bytes: usize) -> String {
    let mut text = String::from("AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n");
    let mut n = 0;
    while text.len() < bytes {
        text.push_str(&BLOCK.replace("{n}", &n.to_string()));
        n += 1;
    }
    text
}

fn measure(label: &str, bytes: usize, rounds: usize) {
    let dir = std::env::temp_dir().join(format!("stacklint-lsp-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch folder");
    let uri = format!("file://{}/template.yaml", dir.display());
    let text = template(bytes);
    let mut client = Client::start(env!("CARGO_BIN_EXE_stacklint"), &dir);
    client.request(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": {}}),
    );
    client.notify("initialized", json!({}));
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}}),
    );
    let (first, _) = client.diagnostics_for(&uri, 1);
    let mut times = Vec::with_capacity(rounds);
    for round in 0..rounds {
        let version = round as i64 + 2;
        // Toggle the first distribution's policy: one finding comes and goes.
        let (old, new) = if round % 2 == 0 {
            ("allow-all", "https-only")
        } else {
            ("https-only", "allow-all")
        };
        let line = 15;
        let start = Instant::now();
        client.notify(
            "textDocument/didChange",
            json!({
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{
                    "range": {"start": {"line": line, "character": 32},
                              "end": {"line": line, "character": 32 + old.len()}},
                    "text": new
                }]
            }),
        );
        let (diagnostics, _) = client.diagnostics_for(&uri, version);
        times.push(start.elapsed());
        let expected = if round % 2 == 0 {
            first.len() - 1
        } else {
            first.len()
        };
        assert_eq!(diagnostics.len(), expected, "round {round}");
    }
    client.request("shutdown", json!(null));
    client.notify("exit", json!(null));
    client.wait();
    let _ = std::fs::remove_dir_all(&dir);
    times.sort();
    let debounce = stacklint::lsp::DEBOUNCE;
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let median = times[times.len() / 2];
    // A full lint of the same text in this process, parse included: what an edit costs
    // when the server cannot patch its kept tree (`document::patch_scalar`).
    let path = dir.join("template.yaml");
    let settings = stacklint::config::Settings::default();
    let mut lint_times: Vec<Duration> = (0..rounds.min(9))
        .map(|_| {
            let start = Instant::now();
            stacklint::lsp::lint_document(&path, &text, &settings);
            start.elapsed()
        })
        .collect();
    lint_times.sort();
    println!(
        "{label:>6} ({:>7} bytes, {:>4} findings): didChange → publishDiagnostics median {:7.1} ms, min {:7.1} ms, max {:7.1} ms over {rounds} edits; without the {} ms debounce: median {:7.1} ms (a full lint of the text, parse included: {:7.1} ms)",
        text.len(),
        first.len(),
        ms(median),
        ms(times[0]),
        ms(times[times.len() - 1]),
        debounce.as_millis(),
        ms(median.saturating_sub(debounce)),
        ms(lint_times[lint_times.len() / 2]),
    );
}

fn main() {
    if std::env::args().any(|a| a == "--bench") {
        measure("50 KB", 50 * 1024, 30);
        measure("1 MB", 1024 * 1024, 15);
    } else {
        measure("smoke", 4 * 1024, 2);
    }
}
