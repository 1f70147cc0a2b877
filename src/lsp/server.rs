//! The server's state: open documents, configuration, and the answers to the client.

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use crossbeam_channel::Sender;
use lsp_server::{ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::{
    CodeActionParams, CompletionParams, CompletionResponse, DidChangeTextDocumentParams,
    DidChangeWatchedFilesParams, DidChangeWatchedFilesRegistrationOptions,
    DidCloseTextDocumentParams, DidOpenTextDocumentParams, DidSaveTextDocumentParams,
    FileSystemWatcher, GlobPattern, HoverContents, HoverParams, PublishDiagnosticsParams,
    Registration, RegistrationParams, Uri,
};
use serde::de::DeserializeOwned;

use crate::config::{self, ConfigError, Overrides, Resolver, Settings, CONFIG_FILE};
use crate::lint::FileReport;
use crate::source::Span;

use super::worker::{Job, Linted, Work};
use super::{actions, diagnostics, hover, schema, text, DEBOUNCE};

#[derive(PartialEq, Eq)]
pub enum Flow {
    Continue,
    Exit,
}

struct Document {
    uri: Uri,
    path: PathBuf,
    version: i32,
    text: String,
    /// The findings of the latest version linted, with that version.
    linted: Option<(i32, Arc<FileReport>)>,
}

pub struct Server {
    sender: Sender<Message>,
    jobs: Sender<Work>,
    /// Finds and caches each document's `.stacklint.yaml`; replaced when one changes.
    resolver: Resolver,
    /// URIs of configuration files with published problems (cleared on reload).
    config_errors: HashSet<String>,
    /// Open documents by URI text (`Uri` caches parts of itself in cells).
    documents: HashMap<String, Document>,
    /// Whether the client can watch files for us (dynamic registration).
    watch: bool,
    shut_down: bool,
    /// Requests waiting for the findings of their document's current version.
    waiting: Vec<(RequestId, Uri, Question)>,
}

/// A request about a document's findings.
enum Question {
    Hover(lsp_types::Position),
    CodeActions(lsp_types::Range),
}

impl Server {
    pub fn new(sender: Sender<Message>, jobs: Sender<Work>, watch: bool) -> Server {
        Server {
            sender,
            jobs,
            resolver: Resolver::new(Overrides::default()),
            config_errors: HashSet::new(),
            documents: HashMap::new(),
            watch,
            shut_down: false,
            waiting: Vec::new(),
        }
    }

    /// Whether the client asked for `shutdown` (the exit code depends on it).
    pub fn shut_down(&self) -> bool {
        self.shut_down
    }

    pub fn handle(&mut self, message: Message) -> Flow {
        match message {
            Message::Request(request) => self.on_request(request),
            Message::Notification(notification) => return self.on_notification(notification),
            // Answers to our own requests (the watcher registration): nothing to do.
            Message::Response(_) => {}
        }
        Flow::Continue
    }

    /// Answers a request; a bug in answering it is an error response, not a crash.
    fn on_request(&mut self, request: Request) {
        let id = request.id.clone();
        let answered = catch_unwind(AssertUnwindSafe(|| self.answer(request)));
        if answered.is_err() {
            self.respond_error(
                id,
                ErrorCode::InternalError,
                "stacklint failed on this request",
            );
        }
    }

    fn answer(&mut self, request: Request) {
        let id = request.id.clone();
        if self.shut_down {
            self.respond_error(id, ErrorCode::InvalidRequest, "the server is shut down");
            return;
        }
        match request.method.as_str() {
            "shutdown" => {
                self.shut_down = true;
                self.respond(id, serde_json::Value::Null);
            }
            "textDocument/hover" => match parse::<HoverParams>(request.params) {
                Ok(params) => {
                    let position = params.text_document_position_params;
                    let uri = position.text_document.uri;
                    self.answer_when_linted(id, uri, Question::Hover(position.position));
                }
                Err(error) => self.respond_error(id, ErrorCode::InvalidParams, &error),
            },
            "textDocument/completion" => match parse::<CompletionParams>(request.params) {
                Ok(params) => {
                    // From the current text, not the last lint: completion must not wait.
                    let position = params.text_document_position.position;
                    let uri = params.text_document_position.text_document.uri;
                    let items = self.documents.get(uri.as_str()).map_or_else(Vec::new, |d| {
                        schema::completion(&d.text, text::offset(&d.text, position), position)
                    });
                    self.respond(id, CompletionResponse::Array(items));
                }
                Err(error) => self.respond_error(id, ErrorCode::InvalidParams, &error),
            },
            "textDocument/codeAction" => match parse::<CodeActionParams>(request.params) {
                Ok(params) => {
                    let range = params.range;
                    let uri = params.text_document.uri;
                    self.answer_when_linted(id, uri, Question::CodeActions(range));
                }
                Err(error) => self.respond_error(id, ErrorCode::InvalidParams, &error),
            },
            method => self.respond_error(
                id,
                ErrorCode::MethodNotFound,
                &format!("stacklint does not handle `{method}`"),
            ),
        }
    }

    fn on_notification(&mut self, notification: Notification) -> Flow {
        let params = notification.params;
        match notification.method.as_str() {
            "exit" => return Flow::Exit,
            "textDocument/didOpen" => {
                if let Ok(params) = parse::<DidOpenTextDocumentParams>(params) {
                    let document = params.text_document;
                    let path = text::path_of(&document.uri);
                    self.documents.insert(
                        document.uri.as_str().to_string(),
                        Document {
                            uri: document.uri.clone(),
                            path,
                            version: document.version,
                            text: document.text,
                            linted: None,
                        },
                    );
                    self.schedule(&document.uri, Duration::ZERO);
                }
            }
            "textDocument/didChange" => {
                if let Ok(params) = parse::<DidChangeTextDocumentParams>(params) {
                    let uri = params.text_document.uri;
                    if let Some(document) = self.documents.get_mut(uri.as_str()) {
                        for change in params.content_changes {
                            text::apply_change(&mut document.text, change);
                        }
                        document.version = params.text_document.version;
                        self.schedule(&uri, DEBOUNCE);
                    }
                }
            }
            "textDocument/didSave" => {
                if let Ok(params) = parse::<DidSaveTextDocumentParams>(params) {
                    let uri = params.text_document.uri;
                    if is_config(&text::path_of(&uri)) {
                        self.reload_config();
                    } else {
                        self.schedule(&uri, Duration::ZERO);
                    }
                }
            }
            "textDocument/didClose" => {
                if let Ok(params) = parse::<DidCloseTextDocumentParams>(params) {
                    let uri = params.text_document.uri;
                    if self.documents.remove(uri.as_str()).is_some() {
                        // Its kept tree is held by the linting thread.
                        let _ = self.jobs.send(Work::Closed(uri.clone()));
                        self.answer_waiting(&uri, None);
                        self.publish(uri, Vec::new(), None);
                    }
                }
            }
            "workspace/didChangeWatchedFiles" => {
                if let Ok(params) = parse::<DidChangeWatchedFilesParams>(params) {
                    if params
                        .changes
                        .iter()
                        .any(|change| is_config(&text::path_of(&change.uri)))
                    {
                        self.reload_config();
                    }
                }
            }
            _ => {}
        }
        Flow::Continue
    }

    /// Asks the client to tell us when a configuration file changes on disk.
    pub fn register_watcher(&self) {
        if !self.watch {
            return;
        }
        let options = DidChangeWatchedFilesRegistrationOptions {
            watchers: vec![FileSystemWatcher {
                glob_pattern: GlobPattern::String(format!("**/{CONFIG_FILE}")),
                kind: None,
            }],
        };
        let params = RegistrationParams {
            registrations: vec![Registration {
                id: "stacklint-config".into(),
                method: "workspace/didChangeWatchedFiles".into(),
                register_options: serde_json::to_value(options).ok(),
            }],
        };
        let request = Request::new(
            RequestId::from("stacklint-register-watcher".to_string()),
            "client/registerCapability".into(),
            params,
        );
        let _ = self.sender.send(request.into());
    }

    /// A configuration file changed: forget every configuration read, and lint every
    /// open document again.
    fn reload_config(&mut self) {
        self.resolver = Resolver::new(Overrides::default());
        for uri in std::mem::take(&mut self.config_errors) {
            if let Ok(uri) = uri.parse() {
                self.publish(uri, Vec::new(), None);
            }
        }
        let uris: Vec<Uri> = self.documents.values().map(|d| d.uri.clone()).collect();
        for uri in uris {
            self.schedule(&uri, Duration::ZERO);
        }
    }

    fn schedule(&mut self, uri: &Uri, delay: Duration) {
        if self
            .documents
            .get(uri.as_str())
            .is_some_and(|document| is_config(&document.path))
        {
            self.check_config_document(uri);
            return;
        }
        if let Some(job) = self.job(uri, delay) {
            let _ = self.jobs.send(Work::Lint(job));
        }
    }

    fn job(&mut self, uri: &Uri, delay: Duration) -> Option<Job> {
        let path = self.documents.get(uri.as_str())?.path.clone();
        let settings = self.settings_for(&path);
        let document = self.documents.get(uri.as_str())?;
        Some(Job {
            uri: document.uri.clone(),
            path,
            version: document.version,
            text: Arc::from(document.text.as_str()),
            settings,
            delay,
        })
    }

    /// The settings of a document. A configuration file that cannot be used gets its
    /// problems as diagnostics, and the document is linted without it.
    fn settings_for(&mut self, path: &Path) -> Arc<Settings> {
        match self.resolver.settings_for(path) {
            Ok(settings) => settings,
            Err(error) => {
                self.report_config_error(&error);
                Arc::new(Settings::default())
            }
        }
    }

    /// An open configuration file is checked as it is typed (it is not linted as a
    /// template); its diagnostics are its mistakes.
    fn check_config_document(&self, uri: &Uri) {
        let Some(document) = self.documents.get(uri.as_str()) else {
            return;
        };
        let diagnostics = match config::load_text(&document.path, document.text.clone()) {
            Ok(_) => Vec::new(),
            Err(error) => diagnostics::config_diagnostics(&error),
        };
        self.publish(uri.clone(), diagnostics, Some(document.version));
    }

    fn report_config_error(&mut self, error: &ConfigError) {
        let Some(uri) = text::uri_of(error.path()) else {
            return;
        };
        // Open in the editor: its buffer is checked instead (`check_config_document`).
        if self.documents.contains_key(uri.as_str()) {
            return;
        }
        if !self.config_errors.insert(uri.as_str().to_string()) {
            return;
        }
        let diagnostics = diagnostics::config_diagnostics(error);
        self.publish(uri, diagnostics, None);
    }

    pub fn on_linted(&mut self, linted: Linted) {
        let Some(document) = self.documents.get_mut(linted.uri.as_str()) else {
            return;
        };
        // A newer version is pending: its own result will be published.
        if document.version != linted.version {
            return;
        }
        let Some(report) = linted.report else {
            let _ = writeln!(
                std::io::stderr(),
                "stacklint lsp: linting {} panicked; its diagnostics are not updated",
                document.path.display()
            );
            self.answer_waiting(&linted.uri, None);
            return;
        };
        document.linted = Some((linted.version, Arc::clone(&report)));
        self.answer_waiting(&linted.uri, Some(&report));
        let diagnostics = diagnostics::diagnostics(&linted.uri, &report);
        self.publish(linted.uri, diagnostics, Some(linted.version));
    }

    /// Answers a question about a document from the findings of its current version.
    /// When they are not there yet, the question waits for the worker (asked to lint
    /// now): linting never runs on this thread, so a slow lint delays only the answers
    /// that need it, never the others.
    fn answer_when_linted(&mut self, id: RequestId, uri: Uri, question: Question) {
        let Some(document) = self.documents.get(uri.as_str()) else {
            self.answer_question(id, &uri, &question, None);
            return;
        };
        if let Some((version, report)) = &document.linted {
            if *version == document.version {
                let report = Arc::clone(report);
                self.answer_question(id, &uri, &question, Some(&report));
                return;
            }
        }
        if is_config(&document.path) {
            self.answer_question(id, &uri, &question, None);
            return;
        }
        if let Some(job) = self.job(&uri, Duration::ZERO) {
            let _ = self.jobs.send(Work::Lint(job));
        }
        self.waiting.push((id, uri, question));
    }

    fn answer_question(
        &self,
        id: RequestId,
        uri: &Uri,
        question: &Question,
        report: Option<&FileReport>,
    ) {
        match question {
            Question::Hover(position) => {
                let hover = report.and_then(|report| {
                    let at = text::offset(&report.source.text, *position);
                    let findings = hover::hover(report, at);
                    let schema = schema::hover(&report.source.text, at).map(|(value, (s, e))| {
                        schema::as_hover(value, text::range(&report.source, Span::new(s, e)))
                    });
                    match (findings, schema) {
                        // The findings first, then what the schema says of the place.
                        (Some(mut findings), Some(schema)) => {
                            if let (HoverContents::Markup(first), HoverContents::Markup(second)) =
                                (&mut findings.contents, schema.contents)
                            {
                                first.value.push_str("\n\n---\n\n");
                                first.value.push_str(&second.value);
                            }
                            Some(findings)
                        }
                        (findings, schema) => findings.or(schema),
                    }
                });
                self.respond(id, hover);
            }
            Question::CodeActions(range) => {
                let actions = report.map(|report| {
                    let start = text::offset(&report.source.text, range.start);
                    let end = text::offset(&report.source.text, range.end);
                    actions::code_actions(uri, report, Span::new(start, end.max(start)))
                });
                self.respond(id, actions.unwrap_or_default());
            }
        }
    }

    /// Answers the questions waiting on `uri` with `report` (`None`: no findings to
    /// give, the document is closed or its lint failed).
    fn answer_waiting(&mut self, uri: &Uri, report: Option<&FileReport>) {
        let (ready, rest) = std::mem::take(&mut self.waiting)
            .into_iter()
            .partition(|(_, waiting, _)| waiting.as_str() == uri.as_str());
        self.waiting = rest;
        for (id, uri, question) in ready {
            self.answer_question(id, &uri, &question, report);
        }
    }

    fn publish(&self, uri: Uri, diagnostics: Vec<lsp_types::Diagnostic>, version: Option<i32>) {
        let params = PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        };
        let notification = Notification::new("textDocument/publishDiagnostics".into(), params);
        let _ = self.sender.send(notification.into());
    }

    fn respond(&self, id: RequestId, result: impl serde::Serialize) {
        let _ = self.sender.send(Response::new_ok(id, result).into());
    }

    fn respond_error(&self, id: RequestId, code: ErrorCode, message: &str) {
        let response = Response::new_err(id, code as i32, message.to_string());
        let _ = self.sender.send(response.into());
    }
}

fn parse<P: DeserializeOwned>(params: serde_json::Value) -> Result<P, String> {
    serde_json::from_value(params).map_err(|error| format!("invalid parameters: {error}"))
}

fn is_config(path: &Path) -> bool {
    path.file_name().is_some_and(|name| name == CONFIG_FILE)
}
