//! `stacklint lsp`: a Language Server Protocol server over standard input and output.
//!
//! The main thread owns the open documents and answers requests; a worker thread
//! ([`worker`]) lints them, debounced, and hands the results back. Diagnostics are
//! published only for the version that was linted, so a slow lint never overwrites
//! the diagnostics of newer text. Hover and code actions use the findings of the
//! current version, linting it on the spot if the worker has not yet. Completion
//! (resource types, property names) and the schema part of hover come from the
//! embedded resource schemas ([`schema`]); completion reads the current text at once.

pub mod actions;
mod diagnostics;
mod hover;
mod schema;
mod server;
pub mod text;
mod transport;
mod worker;

use std::io::Write;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use crossbeam_channel::{select, unbounded};
use lsp_server::Connection;
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionProviderCapability, CompletionOptions,
    HoverProviderCapability, InitializeParams, PositionEncodingKind, SaveOptions,
    ServerCapabilities, ServerInfo, TextDocumentSyncCapability, TextDocumentSyncKind,
    TextDocumentSyncOptions, TextDocumentSyncSaveOptions,
};

use crate::config::Settings;
use crate::document::{load_yaml, patch_scalar, Loaded};
use crate::kind::{self, Syntax};
use crate::lint::{self, FileOrigin, FileReport};
use crate::source::SourceFile;

use server::{Flow, Server};

/// Quiet time after an edit before the document is linted.
pub const DEBOUNCE: Duration = Duration::from_millis(75);

/// Lints one document's text with its settings. Files of no known kind get no
/// findings (the editor sends every YAML and JSON file, most of which are not ours),
/// nor do files the configuration's `exclude` skips: the editor opened them, the user
/// did not ask for them to be linted.
pub fn lint_document(path: &Path, text: &str, settings: &Settings) -> FileReport {
    lint_document_reusing(path, &Arc::from(text), settings, &mut None)
}

/// The tree of the last version of a YAML document linted, kept for the next edit.
pub struct KeptTree {
    text: Arc<str>,
    loaded: Loaded,
}

/// [`lint_document`], reusing `kept` (the tree of the document's previous version) when
/// the edit changed one scalar ([`crate::document::patch_scalar`]); `kept` is then the
/// tree of `text`. A 1 MB template's lint after a one-value edit skips its parse (half
/// of the lint).
pub fn lint_document_reusing(
    path: &Path,
    text: &Arc<str>,
    settings: &Settings,
    kept: &mut Option<KeptTree>,
) -> FileReport {
    let previous = kept.take();
    if settings.excludes(path) {
        return FileReport {
            source: SourceFile::new(path, text.to_string()),
            kind: None,
            findings: Vec::new(),
        };
    }
    // JSON, and what `lint_bytes` would refuse to decode, take the usual way.
    let syntax = kind::syntax_of(path, text);
    if syntax != Syntax::Yaml || text.as_bytes().contains(&0) {
        return lint::lint_bytes(path, text.as_bytes().to_vec(), FileOrigin::Walked, settings);
    }
    let loaded = match previous {
        Some(mut tree) => {
            if patch_scalar(&mut tree.loaded, &tree.text, text) {
                tree.loaded
            } else {
                // The old tree is dropped after the new one is built.
                load_yaml(text)
            }
        }
        None => load_yaml(text),
    };
    let tree = kept.insert(KeptTree {
        text: Arc::clone(text),
        loaded,
    });
    let source = SourceFile::new(path, text.to_string());
    lint::lint_loaded(source, syntax, &tree.loaded, FileOrigin::Walked, settings)
}

/// Runs the server until the client says `exit`; returns the process exit code: 0
/// after a `shutdown` request, 1 otherwise (as the protocol asks).
pub fn run() -> u8 {
    let (connection, writer) = transport::stdio();
    let code = match serve(&connection) {
        Ok(code) => code,
        Err(error) => {
            let _ = writeln!(std::io::stderr(), "stacklint lsp: {error}");
            1
        }
    };
    drop(connection);
    if let Ok(Err(error)) = writer.join() {
        let _ = writeln!(std::io::stderr(), "stacklint lsp: {error}");
    }
    code
}

fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                    include_text: Some(false),
                })),
                ..TextDocumentSyncOptions::default()
            },
        )),
        // Columns count UTF-16 code units, the protocol's default (and what every
        // client supports).
        position_encoding: Some(PositionEncodingKind::UTF16),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        // Resource types after `Type: ` and property names from the embedded schemas.
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![":".into()]),
            ..CompletionOptions::default()
        }),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
            ..CodeActionOptions::default()
        })),
        ..ServerCapabilities::default()
    }
}

fn serve(connection: &Connection) -> Result<u8, String> {
    let (id, params) = connection
        .initialize_start()
        .map_err(|error| error.to_string())?;
    let params: InitializeParams = serde_json::from_value(params).unwrap_or_default();
    let result = serde_json::json!({
        "capabilities": capabilities(),
        "serverInfo": ServerInfo {
            name: "stacklint".into(),
            version: Some(env!("CARGO_PKG_VERSION").into()),
        },
    });
    connection
        .initialize_finish(id, result)
        .map_err(|error| error.to_string())?;
    let watch = params
        .capabilities
        .workspace
        .and_then(|w| w.did_change_watched_files)
        .and_then(|w| w.dynamic_registration)
        .unwrap_or(false);

    let (jobs, job_receiver) = unbounded();
    let (result_sender, results) = unbounded();
    let worker = worker::spawn(job_receiver, result_sender).map_err(|e| e.to_string())?;
    let mut server = Server::new(connection.sender.clone(), jobs, watch);
    // `initialize_finish` has consumed the client's `initialized`: it may now be asked.
    server.register_watcher();
    loop {
        select! {
            recv(connection.receiver) -> message => match message {
                Ok(message) => {
                    if server.handle(message) == Flow::Exit {
                        break;
                    }
                }
                // The client went away without `exit`.
                Err(_) => break,
            },
            recv(results) -> linted => {
                if let Ok(linted) = linted {
                    server.on_linted(linted);
                }
            }
        }
    }
    let code = if server.shut_down() { 0 } else { 1 };
    drop(server);
    let _ = worker.join();
    Ok(code)
}
