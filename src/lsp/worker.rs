//! The linting thread: debounces edits and lints the latest version of each document.
//!
//! The main thread sends a [`Job`] per open, change or save. A job waits for its
//! delay; a newer job for the same document replaces it, so a burst of keystrokes is
//! linted once, after the typing pauses. Results go back to the main thread, which
//! publishes them only if the document is still at that version.

use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::Arc;
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, RecvTimeoutError, Sender};
use lsp_types::Uri;

use crate::config::Settings;
use crate::lint::FileReport;

use super::KeptTree;

/// One document version to lint.
pub struct Job {
    pub uri: Uri,
    pub path: PathBuf,
    pub version: i32,
    pub text: Arc<str>,
    pub settings: Arc<Settings>,
    /// How long to wait for a newer version before linting this one.
    pub delay: Duration,
}

/// What the main thread asks of the linting thread.
pub enum Work {
    Lint(Job),
    /// The document was closed: its pending lint and its kept tree are dropped.
    Closed(Uri),
}

/// What linting a job produced; `report` is `None` if a rule panicked.
pub struct Linted {
    pub uri: Uri,
    pub version: i32,
    pub report: Option<Arc<FileReport>>,
}

/// Starts the thread; it stops when `jobs` is disconnected.
pub fn spawn(jobs: Receiver<Work>, results: Sender<Linted>) -> std::io::Result<JoinHandle<()>> {
    thread::Builder::new()
        .name("stacklint-lint".into())
        .spawn(move || run(&jobs, &results))
}

fn run(jobs: &Receiver<Work>, results: &Sender<Linted>) {
    // Keyed by the URI's text (`Uri` caches parts of itself in cells).
    let mut pending: HashMap<String, (Instant, Job)> = HashMap::new();
    // The tree of each document's last version linted, for the next edit.
    let mut trees: HashMap<String, KeptTree> = HashMap::new();
    loop {
        let next_due = pending.values().map(|(due, _)| *due).min();
        let received = match next_due {
            None => jobs.recv().map_err(|_| RecvTimeoutError::Disconnected),
            Some(due) => jobs.recv_timeout(due.saturating_duration_since(Instant::now())),
        };
        match received {
            Ok(Work::Lint(job)) => {
                let due = Instant::now() + job.delay;
                pending.insert(job.uri.as_str().to_string(), (due, job));
            }
            Ok(Work::Closed(uri)) => {
                pending.remove(uri.as_str());
                trees.remove(uri.as_str());
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return,
        }
        let now = Instant::now();
        let due: Vec<String> = pending
            .iter()
            .filter(|(_, (at, _))| *at <= now)
            .map(|(uri, _)| uri.clone())
            .collect();
        for uri in due {
            let Some((_, job)) = pending.remove(&uri) else {
                continue;
            };
            let mut kept = trees.remove(&uri);
            let report = lint_guarded(&job, &mut kept);
            if let Some(tree) = kept {
                trees.insert(uri, tree);
            }
            let linted = Linted {
                uri: job.uri,
                version: job.version,
                report,
            };
            if results.send(linted).is_err() {
                return;
            }
        }
    }
}

/// Lints a job with the document's kept tree; a panicking rule costs this version its
/// diagnostics (and the tree), not the server.
pub fn lint_guarded(job: &Job, kept: &mut Option<KeptTree>) -> Option<Arc<FileReport>> {
    let report = catch_unwind(AssertUnwindSafe(|| {
        super::lint_document_reusing(&job.path, &job.text, &job.settings, kept)
    }));
    if report.is_err() {
        *kept = None;
    }
    report.ok().map(Arc::new)
}
