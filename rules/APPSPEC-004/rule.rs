//! ## What it finds
//! In an EC2/on-premises AppSpec file, a hook script whose `timeout` is over 3600
//! seconds, or the scripts of one lifecycle event whose explicit timeouts add up to more
//! than 3600 seconds.
//!
//! ## Why it matters
//! "3600 seconds (1 hour) is the maximum amount of time allowed for script execution for
//! each deployment lifecycle event", and the documentation asks that "the total number
//! of seconds specified in timeout for all scripts in each deployment lifecycle event
//! does not exceed this limit". A longer timeout does not buy more time: the event
//! fails after an hour, usually in the middle of a long migration. Scripts without a
//! `timeout` (default 3600) are not added up, so several scripts without timeouts are
//! never reported. Timeouts written as strings (`"300"`) are read as numbers.

use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "APPSPEC-004",
    name: "hook-timeout",
    severity: Severity::Error,
    kinds: &[FileKind::Appspec],
    summary: "A hook script timeout, or the sum for one event, exceeds 3600 seconds.",
    source: "https://docs.aws.amazon.com/codedeploy/latest/userguide/reference-appspec-file-structure-hooks.html",
};

const LIMIT: f64 = 3600.0;

pub struct Rule;

impl Check for Rule {
    fn appspec(&self, appspec: &Appspec, report: &mut Report) {
        if appspec.platform != Platform::Server {
            return;
        }
        for hook in appspec.hooks() {
            let timeouts: Vec<(&Node, f64)> = hook
                .value
                .iter_seq()
                .filter_map(|script| script.get("timeout"))
                .filter_map(|t| t.as_f64().map(|v| (t, v)))
                .collect();
            let mut single = false;
            for (node, value) in &timeouts {
                if *value > LIMIT {
                    single = true;
                    report
                        .add(
                            node.span,
                            format!(
                                "`{}` script timeout {} s exceeds the 3600 s limit",
                                hook.key.text,
                                show(*value)
                            ),
                        )
                        .label("over 3600 s")
                        .help("a lifecycle event may run for at most 3600 s; split the work or make it faster");
                }
            }
            let total: f64 = timeouts.iter().map(|(_, v)| v).sum();
            if single || timeouts.len() < 2 || total <= LIMIT {
                continue;
            }
            let finding = report.add(
                hook.key.span,
                format!(
                    "the timeouts of the `{}` scripts add up to {} s, over the 3600 s limit per lifecycle event",
                    hook.key.text,
                    show(total)
                ),
            );
            finding
                .label(format!("{} s in total", show(total)))
                .help("lower the timeouts so that together they stay within 3600 s");
            for (node, value) in &timeouts {
                finding.also(node.span, format!("{} s", show(*value)));
            }
        }
    }
}

fn show(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        format!("{value}")
    }
}
