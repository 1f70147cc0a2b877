//! ## What it finds
//! In an EC2/on-premises AppSpec file, an item of `files` that lacks `source` or
//! `destination`, or that is not a `source`/`destination` mapping
//! at all, and a `destination` that is not an absolute path: one starting with `/` on
//! Linux (`os: linux`), or with a drive (`C:\`), `\` or `/` on Windows (`os: windows`).
//!
//! ## Why it matters
//! Each `files` item is a pair: `source` (a file or folder of the revision, `/` for all
//! of it) and `destination` (the fully qualified path on the instance to copy it to).
//! An item with only one half is rejected by the agent during the `Install` event, and
//! the deployment fails on every instance. A common cause is writing
//! `file_exists_behavior` inside the item instead of at the top level. A key present with a
//! blank value (`source:` in the AWS template file, to be filled in) is not reported.
//!
//! `destination` "must be a fully qualified path such as `/root/destination/directory`
//! (on Linux, RHEL, and Ubuntu) or `c:\destination\folder` (on Windows)": the agent
//! does not resolve a relative one against anything the author controls (`~` is not
//! expanded either), so the files land somewhere unexpected or the copy fails. A
//! Windows path in a Linux appspec (`C:\app` with `os: linux`) is reported the same way.
//! `source` is not checked: it is read relative to the revision root even with a
//! leading slash (`source: /index.html`, as in the AWS samples). Values holding a
//! placeholder (`$`, `{`, `<`) are left alone.

use crate::model::appspec;
use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "APPSPEC-007",
    name: "invalid-files-entry",
    severity: Severity::Error,
    kinds: &[FileKind::Appspec],
    summary: "A `files` entry lacks `source` or `destination`, or its `destination` is not an absolute path.",
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
        let windows = appspec.is_windows();
        for item in files.iter_seq() {
            if let Some(destination) = item.get("destination") {
                check_destination(destination, windows, report);
            }
            if item.as_map().is_none() {
                let finding = report.add(
                    item.span(),
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
            let span = present.map_or(item.span(), Entry::span);
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

/// Reports a `destination` that is not a fully qualified path for the appspec's `os`.
fn check_destination(node: &Node, windows: bool, report: &mut Report) {
    let Some(path) = node.as_str().map(str::trim) else {
        return;
    };
    if appspec::is_placeholder(path) {
        return;
    }
    let drive = is_windows_absolute(path);
    let (absolute, example) = if windows {
        (
            drive || path.starts_with(['\\', '/']),
            "C:\\inetpub\\wwwroot",
        )
    } else {
        (path.starts_with('/'), "/var/www/html")
    };
    if absolute {
        return;
    }
    let os = if windows { "windows" } else { "linux" };
    let finding = report.add(
        node.span(),
        format!("`files` destination `{path}` is not an absolute path on {os}"),
    );
    if drive {
        finding
            .label("a Windows path")
            .help("this appspec is for Linux (`os: linux`): write a Linux path such as `/var/www/html`, or set `os: windows`");
    } else {
        finding
            .label("relative path")
            .help(format!(
                "write the full path on the instance, such as `{example}`; a relative destination is not resolved against the revision"
            ));
    }
}

/// `C:\dir` or `c:/dir`.
fn is_windows_absolute(path: &str) -> bool {
    let mut chars = path.chars();
    matches!(
        (chars.next(), chars.next(), chars.next()),
        (Some(drive), Some(':'), Some('\\' | '/')) if drive.is_ascii_alphabetic()
    )
}
