//! ## What it finds
//! An EC2/on-premises AppSpec file whose `os` is missing or is neither `linux` nor
//! `windows` (the CodeDeploy agent compares the value exactly, so `Linux` is reported
//! too). Lambda and ECS appspecs have no `os` and are not checked.
//!
//! ## Why it matters
//! `os` is required for EC2/on-premises deployments and tells the agent which operating
//! system the revision targets: `linux` (Amazon Linux, Ubuntu Server, RHEL) or `windows`
//! (Windows Server). With any other value the agent rejects the AppSpec file and the
//! deployment fails. A file is only judged to be for EC2/on-premises when it has
//! `hooks`, `files` or `permissions`, and has no `Resources` (a Lambda or ECS appspec
//! whose target `Type` is not written out literally is not judged).

use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "APPSPEC-002",
    name: "invalid-os",
    severity: Severity::Error,
    kinds: &[FileKind::Appspec],
    summary: "The AppSpec `os` is not `linux` or `windows`.",
    source: "https://docs.aws.amazon.com/codedeploy/latest/userguide/reference-appspec-file-structure-os.html",
};

pub struct Rule;

impl Check for Rule {
    fn appspec(&self, appspec: &Appspec, report: &mut Report) {
        if appspec.platform != Platform::Server
            || appspec.root.as_map().is_none()
            || appspec.platform_is_unclear()
        {
            return;
        }
        let Some(os) = appspec.entry("os") else {
            let server_shaped = ["hooks", "files", "permissions"]
                .iter()
                .any(|key| appspec.get(key).is_some());
            let anchor = appspec
                .entry("version")
                .or_else(|| appspec.root.as_map().and_then(|e| e.first()));
            if let (true, Some(anchor)) = (server_shaped, anchor) {
                report
                    .add(
                        anchor.span(),
                        "the EC2/on-premises AppSpec file has no `os`",
                    )
                    .label("`os: linux` or `os: windows` is required")
                    .help("add `os: linux` or `os: windows` next to `version`");
            }
            return;
        };
        let Some(text) = os.value.as_str() else {
            report
                .add(os.value.span(), "AppSpec `os` has no value")
                .label("must be `linux` or `windows`")
                .help("write `os: linux` or `os: windows`");
            return;
        };
        let value = text.trim();
        if value == "linux" || value == "windows" {
            return;
        }
        let lower = value.to_ascii_lowercase();
        let help = if lower == "linux" || lower == "windows" {
            format!("write `os: {lower}` in lowercase")
        } else if ["ubuntu", "amazonlinux", "rhel", "centos", "debian"]
            .iter()
            .any(|d| lower.replace([' ', '-', '_'], "").contains(d))
        {
            "every Linux distribution is `os: linux`".to_string()
        } else {
            "write `os: linux` or `os: windows`".to_string()
        };
        report
            .add(
                os.value.span(),
                format!("AppSpec `os` is `{value}`; it must be `linux` or `windows`"),
            )
            .label("not `linux` or `windows`")
            .help(help);
    }
}
