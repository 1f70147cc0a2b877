//! ## What it finds
//! In an EC2/on-premises AppSpec file, a hook script `location` that names no file in
//! the revision. The location is resolved against the AppSpec file's folder, which is
//! the root of the revision bundle.
//!
//! ## Why it matters
//! `location` is "relative to the root of the application revision bundle", and
//! `appspec.yml` must sit at that root. A script that is not in the bundle makes the
//! lifecycle event fail on every instance ("script does not exist at specified
//! location"), typically after a rename or a move to another folder.
//!
//! The rule stays silent where it cannot know:
//! - absolute locations (`/opt/app/bin/start.sh`, `C:\scripts\start.ps1`): the agent
//!   runs them from the instance's disk, outside the revision;
//! - locations with a placeholder (`$`, `{`, `<`);
//! - AppSpec files that are not named `appspec.yml`, `appspec.yaml` or `appspec.json`
//!   (templates, documentation snippets): they are not at the root of a revision.
//!
//! - revisions that are not all there: when no script the file names exists and no
//!   folder they live in exists either, the bundle is assembled elsewhere (by a build
//!   step, or the AppSpec file was copied alone), and nothing can be judged.
//!
//! Backslashes are read as folder separators.

use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "APPSPEC-005",
    name: "missing-script",
    severity: Severity::Error,
    kinds: &[FileKind::Appspec],
    summary: "A hook script `location` does not exist in the revision.",
    source: "https://docs.aws.amazon.com/codedeploy/latest/userguide/reference-appspec-file-structure-hooks.html",
};

pub struct Rule;

impl Check for Rule {
    fn appspec(&self, appspec: &Appspec, report: &mut Report) {
        if appspec.platform != Platform::Server {
            return;
        }
        let named = appspec
            .path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| {
                matches!(
                    n.to_ascii_lowercase().as_str(),
                    "appspec.yml" | "appspec.yaml" | "appspec.json"
                )
            });
        if !named {
            return;
        }
        let root = appspec.revision_root();
        let mut scripts = Vec::new();
        for hook in appspec.hooks() {
            for script in hook.value.iter_seq() {
                let Some(location) = script.get("location") else {
                    continue;
                };
                let Some(text) = location.as_str() else {
                    continue;
                };
                let text = text.trim();
                if text.is_empty() || is_absolute(text) || text.contains(['$', '{', '<']) {
                    continue;
                }
                let relative = text.replace('\\', "/");
                let candidate = root.join(relative.trim_start_matches("./"));
                scripts.push((hook.key, location, text, candidate));
            }
        }
        // The revision is there when one of its scripts, or a folder holding one, is.
        let present = scripts.iter().any(|(_, _, _, candidate)| {
            candidate.is_file()
                || candidate
                    .parent()
                    .is_some_and(|folder| folder != root && folder.is_dir())
        });
        if !present {
            return;
        }
        for (key, location, text, candidate) in scripts {
            if candidate.is_file() {
                continue;
            }
            let what = if candidate.is_dir() {
                "is a folder, not a script"
            } else {
                "does not exist in the revision"
            };
            report
                .add(
                    location.span(),
                    format!("`{}` script `{text}` {what}", key.text),
                )
                .label(format!("no file `{text}` beside the AppSpec file"))
                .help("the location is relative to the revision root (the AppSpec file's folder); fix the path or add the script to the bundle");
        }
    }
}

fn is_absolute(path: &str) -> bool {
    let bytes = path.as_bytes();
    path.starts_with('/')
        || path.starts_with('\\')
        || path.starts_with('~')
        || (bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':')
}
