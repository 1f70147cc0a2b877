//! ## What it finds
//! A `Dockerrun.aws.json` whose `AWSEBDockerrunVersion` is missing or is not 1, 2 or 3,
//! or whose content belongs to another version: container definitions
//! (`containerDefinitions`) in a v1 or v3 file, a single-container `Image`/`Ports` in a
//! v2 or v3 file.
//!
//! ## Why it matters
//! The version selects the format Elastic Beanstalk reads, and each Docker platform
//! accepts one: v1 (single container, Docker on Amazon Linux 2/AL2023 without Compose),
//! v2 (ECS container definitions, "ECS running on Amazon Linux 2/AL2023") and v3 (only
//! `Authentication`, next to a `docker-compose.yml`). With an unknown version, or with
//! content the version does not define, the deployment fails or silently ignores the
//! containers. A common mistake is declaring version 3 for a file that still lists
//! containers: v3 holds no containers, they go in `docker-compose.yml`. The version may
//! be written as a number or a string.

use crate::model::dockerrun::VERSION_ONLY_KEYS;
use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "DOCKERRUN-001",
    name: "invalid-version",
    severity: Severity::Error,
    kinds: &[FileKind::Dockerrun],
    summary: "`AWSEBDockerrunVersion` is not 1, 2 or 3, or the content does not match it.",
    source: "https://docs.aws.amazon.com/elasticbeanstalk/latest/dg/single-container-docker-configuration.html",
};

pub struct Rule;

impl Check for Rule {
    fn dockerrun(&self, dockerrun: &Dockerrun, report: &mut Report) {
        let Some(entries) = dockerrun.root.as_map() else {
            return;
        };
        let Some(node) = dockerrun.version_node else {
            if let Some(first) = entries.first() {
                report
                    .add(
                        first.key.span,
                        "`Dockerrun.aws.json` has no `AWSEBDockerrunVersion`",
                    )
                    .label("`AWSEBDockerrunVersion` is required")
                    .help(format!(
                        "add `\"AWSEBDockerrunVersion\": {}` for this content",
                        guess(dockerrun.root).unwrap_or(1)
                    ));
            }
            return;
        };
        let Some(version) = dockerrun.version else {
            let shown = node.as_scalar().unwrap_or("not a scalar");
            let finding = report.add(
                node.span(),
                format!("`AWSEBDockerrunVersion` is `{shown}`; it must be 1, 2 or 3"),
            );
            finding.label("not 1, 2 or 3");
            match guess(dockerrun.root) {
                Some(v) => finding.help(format!("the content is a version {v} file: write `{v}`")),
                None => finding
                    .help("write 1 (single container), 2 (ECS containers) or 3 (Docker Compose)"),
            };
            return;
        };
        let foreign: Vec<(&Entry, u8)> = entries
            .iter()
            .filter_map(|e| {
                VERSION_ONLY_KEYS
                    .iter()
                    .find(|(k, v)| *k == e.key.text && *v != version)
                    .map(|(_, v)| (e, *v))
            })
            .collect();
        let Some((first, other)) = foreign.first() else {
            return;
        };
        let finding = report.add(
            first.key.span,
            format!(
                "`{}` belongs to a version {other} file, but `AWSEBDockerrunVersion` is {version}",
                first.key.text
            ),
        );
        finding
            .label(format!("version {other} content"))
            .also(node.span(), format!("version {version}"));
        for (entry, _) in foreign.iter().skip(1) {
            finding.also(entry.key.span, format!("version {other} content"));
        }
        if version == 3 {
            finding.help("a version 3 file holds only `Authentication`; define the containers in `docker-compose.yml`, or declare the version the content is written for");
        } else {
            finding.help(format!(
                "declare version {other}, or rewrite the content in the version {version} format"
            ));
        }
    }
}

fn guess(root: &Node) -> Option<u8> {
    if root.get("containerDefinitions").is_some() {
        Some(2)
    } else if root.get("Image").is_some() || root.get("Ports").is_some() {
        Some(1)
    } else {
        None
    }
}
