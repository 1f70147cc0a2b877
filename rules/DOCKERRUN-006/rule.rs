//! ## What it finds
//! In a version 2 `Dockerrun.aws.json`, a `links` entry or a `volumesFrom`
//! `sourceContainer` that names no container of the file. A link written `name:alias`
//! is looked up by `name`.
//!
//! ## Why it matters
//! `links` connects a container to other containers of the same task, and
//! `volumesFrom` mounts the volumes of another container of the task. A name that
//! matches no container (a typo, or a container renamed or removed) makes Amazon ECS
//! reject the task definition, and the deployment fails. Files whose container names are
//! not all plain strings are not judged.

use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "DOCKERRUN-006",
    name: "dangling-container-reference",
    severity: Severity::Error,
    kinds: &[FileKind::Dockerrun],
    summary: "`links` or `volumesFrom` names a container that does not exist.",
    source:
        "https://docs.aws.amazon.com/elasticbeanstalk/latest/dg/create_deploy_docker_v2config.html",
};

pub struct Rule;

impl Check for Rule {
    fn dockerrun(&self, dockerrun: &Dockerrun, report: &mut Report) {
        let Some(names) = dockerrun.container_names() else {
            return;
        };
        let suggester = crate::suggest::Suggester::new(names.iter().copied());
        let known: std::collections::HashSet<&str> = names.iter().copied().collect();
        for container in dockerrun.containers() {
            let owner = container.name.unwrap_or("(unnamed)");
            let links = container
                .node
                .get("links")
                .into_iter()
                .flat_map(Node::iter_seq)
                .filter_map(|n| {
                    n.as_str()
                        .map(|t| (n, t.split(':').next().unwrap_or(t).trim(), "links"))
                });
            let sources = container
                .node
                .get("volumesFrom")
                .into_iter()
                .flat_map(Node::iter_seq)
                .filter_map(|item| item.get("sourceContainer"))
                .filter_map(|n| n.as_str().map(|t| (n, t.trim(), "volumesFrom")));
            for (node, target, via) in links.chain(sources) {
                if known.contains(target) {
                    continue;
                }
                let finding = report.add(
                    node.span(),
                    format!("`{via}` of container `{owner}` names `{target}`, which is not a container of this file"),
                );
                finding.label("no such container");
                match Appspec::nearest_in(&suggester, target) {
                    Some(near) => finding.help(format!("did you mean `{near}`?")),
                    None => finding.help(format!(
                        "the containers are: {}",
                        crate::text::some_of(&names, 10)
                    )),
                };
            }
        }
    }
}
