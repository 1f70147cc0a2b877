//! ## What it finds
//! A version 2 `Dockerrun.aws.json` in which every container sets `"essential": false`.
//!
//! ## Why it matters
//! Amazon ECS requires at least one essential container per task: when it stops, the
//! task stops. A task definition without one is rejected, so the deployment fails.
//! `essential` defaults to `true`, so only files where every container says `false`
//! explicitly are reported.

use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "DOCKERRUN-005",
    name: "no-essential-container",
    severity: Severity::Error,
    kinds: &[FileKind::Dockerrun],
    summary: "No container of a v2 file is essential.",
    source: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html",
};

pub struct Rule;

impl Check for Rule {
    fn dockerrun(&self, dockerrun: &Dockerrun, report: &mut Report) {
        let containers = dockerrun.containers();
        let flags: Option<Vec<&Entry>> = containers
            .iter()
            .map(|c| {
                c.node
                    .entry("essential")
                    .filter(|e| e.value.as_bool() == Some(false))
            })
            .collect();
        let Some(flags) = flags else {
            return;
        };
        let Some((first, rest)) = flags.split_first() else {
            return;
        };
        let finding = report.add(
            first.span(),
            format!(
                "none of the {} containers is essential; a task needs at least one",
                flags.len()
            ),
        );
        finding
            .label("not essential")
            .help("set `\"essential\": true` on the main container (or remove `essential`: it defaults to true)");
        for entry in rest {
            finding.also(entry.span(), "not essential");
        }
    }
}
