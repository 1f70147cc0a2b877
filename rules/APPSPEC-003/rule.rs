//! ## What it finds
//! A hook under `hooks` named after a lifecycle event the platform does not run
//! (a typo such as `AfterInstal`, or an EC2/on-premises event in an ECS appspec), and a
//! hook on an event reserved for CodeDeploy itself: `DownloadBundle`, `Install`,
//! `BlockTraffic` and `AllowTraffic` on EC2/on-premises, `Start`, `Install`,
//! `TestTraffic`, `AllowTraffic` and `End` on ECS, `Start`, `AllowTraffic` and `End` on
//! Lambda. The nearest valid event name is suggested.
//!
//! ## Why it matters
//! Each platform has a fixed list of events that can run scripts or validation
//! functions: EC2/on-premises `ApplicationStop`, `BeforeInstall`, `AfterInstall`,
//! `ApplicationStart`, `ValidateService`, `BeforeBlockTraffic`, `AfterBlockTraffic`,
//! `BeforeAllowTraffic`, `AfterAllowTraffic`; Lambda `BeforeAllowTraffic`,
//! `AfterAllowTraffic`; ECS `BeforeInstall`, `AfterInstall`, `AfterAllowTestTraffic`,
//! `BeforeAllowTraffic`, `AfterAllowTraffic`. The reserved events "cannot be used to run
//! scripts". A hook under any other name is never run, so the check or migration it
//! holds silently does not happen. Event names of Lambda and ECS appspecs are compared
//! ignoring case, as their keys are.
//!
//! No fix is offered yet for a near-miss (`AfterInstal`): AppSpec fixtures are folders,
//! which the pinned `.fixed` files do not cover.

use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "APPSPEC-003",
    name: "unknown-hook",
    severity: Severity::Error,
    kinds: &[FileKind::Appspec],
    summary: "A hook names a lifecycle event the platform does not run.",
    source: "https://docs.aws.amazon.com/codedeploy/latest/userguide/reference-appspec-file-structure-hooks.html",
};

pub struct Rule;

impl Check for Rule {
    fn appspec(&self, appspec: &Appspec, report: &mut Report) {
        let platform = appspec.platform;
        let events = platform.hook_events();
        let ignore_case = platform.keys_ignore_case();
        let same = |a: &str, b: &str| {
            if ignore_case {
                a.eq_ignore_ascii_case(b)
            } else {
                a == b
            }
        };
        for hook in appspec.hooks() {
            let name = hook.key.text.as_str();
            if events.iter().any(|e| same(e, name)) {
                continue;
            }
            if let Some(reserved) = platform.reserved_events().iter().find(|e| same(e, name)) {
                report
                    .add(
                        hook.key.span,
                        format!(
                            "`{reserved}` is reserved for CodeDeploy on {} and cannot run hooks",
                            platform.as_str()
                        ),
                    )
                    .label("reserved lifecycle event")
                    .help(format!("move the hook to one of: {}", events.join(", ")));
                continue;
            }
            let finding = report.add(
                hook.key.span,
                format!(
                    "`{name}` is not a lifecycle event of an {} deployment",
                    platform.as_str()
                ),
            );
            finding.label("this hook never runs");
            match Appspec::nearest(name, &events) {
                Some(near) => finding.help(format!("did you mean `{near}`?")),
                None => finding.help(format!("hooks can run on: {}", events.join(", "))),
            };
        }
    }
}
