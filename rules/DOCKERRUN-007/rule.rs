//! ## What it finds
//! In a version 2 `Dockerrun.aws.json`, a `mountPoints` `sourceVolume` that is not the
//! `name` of an entry of `volumes`.
//!
//! ## Why it matters
//! A mount point mounts a volume declared in the file's `volumes` (a host path under
//! `host.sourcePath`). An undeclared name makes Amazon ECS reject the task definition and
//! the deployment fails. Elastic Beanstalk also creates one log volume per container
//! implicitly, named `awseb-logs-<container name>`; mounting those is correct and never
//! reported.

use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "DOCKERRUN-007",
    name: "unknown-volume",
    severity: Severity::Error,
    kinds: &[FileKind::Dockerrun],
    summary: "A mount point's `sourceVolume` is not declared in `volumes`.",
    source:
        "https://docs.aws.amazon.com/elasticbeanstalk/latest/dg/create_deploy_docker_v2config.html",
};

pub struct Rule;

impl Check for Rule {
    fn dockerrun(&self, dockerrun: &Dockerrun, report: &mut Report) {
        if dockerrun.version != Some(2) {
            return;
        }
        let volumes = dockerrun.root.get("volumes");
        let declared: Option<Vec<&str>> = volumes
            .into_iter()
            .flat_map(Node::iter_seq)
            .map(|v| v.get("name").and_then(Node::as_str))
            .collect();
        let Some(declared) = declared else {
            return;
        };
        let Some(containers) = dockerrun.container_names() else {
            return;
        };
        let logs: Vec<String> = containers
            .iter()
            .map(|c| format!("awseb-logs-{c}"))
            .collect();
        let mut known: Vec<&str> = declared.clone();
        known.extend(logs.iter().map(String::as_str));
        let suggester = crate::suggest::Suggester::new(known.iter().copied());
        let known: std::collections::HashSet<&str> = known.into_iter().collect();
        for container in dockerrun.containers() {
            let owner = container.name.unwrap_or("(unnamed)");
            let sources = container
                .node
                .get("mountPoints")
                .into_iter()
                .flat_map(Node::iter_seq)
                .filter_map(|m| m.get("sourceVolume"));
            for node in sources {
                let Some(name) = node.as_str().map(str::trim) else {
                    continue;
                };
                if known.contains(name) {
                    continue;
                }
                let finding = report.add(
                    node.span(),
                    format!("container `{owner}` mounts volume `{name}`, which `volumes` does not declare"),
                );
                finding.label("undeclared volume");
                if let Some(volumes) = dockerrun.root.entry("volumes") {
                    finding.also(volumes.key.span, "declared volumes");
                }
                if let Some(container) = name.strip_prefix("awseb-logs-") {
                    finding.help(format!(
                        "Elastic Beanstalk creates `awseb-logs-<container>` only for the containers of this file, and there is no container `{container}`; the containers are: {}",
                        crate::text::some_of(&containers, 10)
                    ));
                    continue;
                }
                match Appspec::nearest_in(&suggester, name) {
                    Some(near) => finding.help(format!("did you mean `{near}`?")),
                    None => finding.help(format!(
                        "add `{{\"name\": \"{name}\", \"host\": {{\"sourcePath\": \"<host path>\"}}}}` to `volumes`"
                    )),
                };
            }
        }
    }
}
