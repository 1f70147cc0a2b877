//! ## What it finds
//! A container of a version 2 `Dockerrun.aws.json` with neither `memory` nor
//! `memoryReservation`.
//!
//! ## Why it matters
//! Version 2 container definitions become an Amazon ECS task definition without a
//! task-level memory size, and for such tasks ECS requires each container to set
//! `memory` (hard limit) or `memoryReservation` (soft limit). Without either, Elastic
//! Beanstalk cannot register the task definition and the deployment fails.

use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "DOCKERRUN-004",
    name: "container-memory-missing",
    severity: Severity::Error,
    kinds: &[FileKind::Dockerrun],
    summary: "A v2 container sets neither `memory` nor `memoryReservation`.",
    source: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html",
};

pub struct Rule;

impl Check for Rule {
    fn dockerrun(&self, dockerrun: &Dockerrun, report: &mut Report) {
        for container in dockerrun.containers() {
            let node = container.node;
            if node.get("memory").is_some() || node.get("memoryReservation").is_some() {
                continue;
            }
            let span = container.name_entry.map_or(node.span(), Entry::span);
            let name = container.name.unwrap_or("(unnamed)");
            report
                .add(
                    span,
                    format!("container `{name}` sets neither `memory` nor `memoryReservation`"),
                )
                .label("no memory limit or reservation")
                .help("add `\"memory\": <MiB>` (hard limit) or `\"memoryReservation\": <MiB>` (soft limit)");
        }
    }
}
