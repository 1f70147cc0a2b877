//! ## What it finds
//! A version 1 `Dockerrun.aws.json` that lists more than one entry under `Ports`.
//!
//! ## Why it matters
//! "You can specify multiple container ports, but Elastic Beanstalk uses only the first
//! one to connect your container to the host's reverse proxy." The other ports are not
//! reachable through the environment's proxy or load balancer, which is rarely what the
//! author meant. Put the port the application serves on first, and expose the others
//! another way (a multi-container v2 or Docker Compose environment).

use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "DOCKERRUN-003",
    name: "extra-ports-ignored",
    severity: Severity::Warning,
    kinds: &[FileKind::Dockerrun],
    summary: "A v1 file lists several `Ports`; only the first is used.",
    source: "https://docs.aws.amazon.com/elasticbeanstalk/latest/dg/single-container-docker-configuration.html",
};

pub struct Rule;

impl Check for Rule {
    fn dockerrun(&self, dockerrun: &Dockerrun, report: &mut Report) {
        if dockerrun.version != Some(1) {
            return;
        }
        let Some(ports) = dockerrun.root.get("Ports").and_then(Node::as_seq) else {
            return;
        };
        let [first, second, rest @ ..] = ports else {
            return;
        };
        let last = rest.last().unwrap_or(second);
        let port = |node: &Node| {
            node.get("ContainerPort")
                .and_then(Node::as_scalar)
                .map_or_else(|| "?".to_string(), str::to_string)
        };
        let ignored: Vec<String> = ports[1..].iter().map(port).collect();
        report
            .add(
                second.span().cover(last.span()),
                format!(
                    "only the first of {} `Ports` (container port {}) is used; {} ignored",
                    ports.len(),
                    port(first),
                    ignored.join(", ")
                ),
            )
            .label("ignored by Elastic Beanstalk")
            .also(first.span(), "the port the proxy connects to")
            .help("list only the port the application serves on");
    }
}
