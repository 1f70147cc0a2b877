//! ## What it finds
//! In an EC2/on-premises AppSpec file, an item of `files` that lacks `source` or
//! `destination`, or that is not a `source`/`destination` mapping
//! at all.
//!
//! ## Why it matters
//! Each `files` item is a pair: `source` (a file or folder of the revision, `/` for all
//! of it) and `destination` (the fully qualified path on the instance to copy it to).
//! An item with only one half is rejected by the agent during the `Install` event, and
//! the deployment fails on every instance. A common cause is writing
//! `file_exists_behavior` inside the item instead of at the top level. A key present with a
//! blank value (`source:` in the AWS template file, to be filled in) is not reported.

use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "APPSPEC-007",
    name: "invalid-files-entry",
    severity: Severity::Error,
    kinds: &[FileKind::Appspec],
    summary: "A `files` entry lacks `source` or `destination`.",
    source: "https://docs.aws.amazon.com/codedeploy/latest/userguide/reference-appspec-file-structure-files.html",
};

pub struct Rule;

impl Check for Rule {
    fn appspec(&self, appspec: &Appspec, report: &mut Report) {
        if appspec.platform != Platform::Server {
            return;
        }
        let Some(files) = appspec.get("files") else {
            return;
        };
        for item in files.iter_seq() {
            if item.as_map().is_none() {
                let finding = report.add(
                    item.span,
                    "a `files` entry is not a `source`/`destination` mapping",
                );
                finding
                    .label("expected `source` and `destination`")
                    .help("write each entry as `- source: <path in revision>` with `destination: <absolute path>`");
                continue;
            }
            let missing: Vec<&str> = ["source", "destination"]
                .into_iter()
                .filter(|key| item.get(key).is_none())
                .collect();
            if missing.is_empty() {
                continue;
            }
            let present = item
                .entry("source")
                .or_else(|| item.entry("destination"))
                .or_else(|| item.as_map().and_then(|e| e.first()));
            let span = present.map_or(item.span, Entry::span);
            let what = missing
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(" and ");
            report
                .add(span, format!("a `files` entry has no {what}"))
                .label(format!("{what} missing in this entry"))
                .help("every `files` entry needs `source` (path in the revision) and `destination` (absolute path on the instance)");
        }
    }
}
