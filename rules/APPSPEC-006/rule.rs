//! ## What it finds
//! A hook script with `runas` in an AppSpec file whose `os` is `windows`.
//!
//! ## Why it matters
//! "Deployments to Windows Server instances do not support the runas element. If you are
//! deploying to Windows Server instances, do not include it." `runas` only applies to
//! Amazon Linux, Ubuntu Server and RHEL, where the agent switches to that user; on
//! Windows the script runs as the agent's account regardless, so a script that relies
//! on `runas` for its permissions behaves differently than written.

use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "APPSPEC-006",
    name: "runas-on-windows",
    severity: Severity::Error,
    kinds: &[FileKind::Appspec],
    summary: "A hook script uses `runas` on Windows Server.",
    source: "https://docs.aws.amazon.com/codedeploy/latest/userguide/reference-appspec-file-structure-hooks.html",
};

pub struct Rule;

impl Check for Rule {
    fn appspec(&self, appspec: &Appspec, report: &mut Report) {
        if !appspec.is_windows() {
            return;
        }
        let os = appspec.entry("os");
        for hook in appspec.hooks() {
            for script in hook.value.iter_seq() {
                let Some(runas) = script.entry("runas") else {
                    continue;
                };
                let user = runas.value.as_str().unwrap_or("").trim();
                let finding = report.add(
                    runas.span(),
                    format!(
                        "`{}` script sets `runas: {user}`, which Windows Server deployments do not support",
                        hook.key.text
                    ),
                );
                finding.label("not supported on Windows").help(
                    "remove `runas`; on Windows the script runs as the CodeDeploy agent's account",
                );
                if let Some(os) = os {
                    finding.also(os.span(), "Windows deployment");
                }
            }
        }
    }
}
