//! ## What it finds
//! In a version 2 `Dockerrun.aws.json`, two port mappings that bind the same `hostPort`
//! with the same protocol (tcp unless `protocol` says otherwise).
//!
//! ## Why it matters
//! On the ECS-managed Docker platform the containers of the task run in bridge mode on
//! each instance, and a host port can be bound only once: the second container cannot
//! start ("port is already allocated") and the deployment fails. A `hostPort` that is 0
//! or omitted is assigned dynamically and never conflicts; the same number with tcp and
//! udp is allowed.

use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "DOCKERRUN-009",
    name: "duplicate-host-port",
    severity: Severity::Error,
    kinds: &[FileKind::Dockerrun],
    summary: "Two containers map the same host port.",
    source: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html",
};

pub struct Rule;

impl Check for Rule {
    fn dockerrun(&self, dockerrun: &Dockerrun, report: &mut Report) {
        let mut seen: Vec<(i64, String, &Node, &str)> = Vec::new();
        for container in dockerrun.containers() {
            let owner = container.name.unwrap_or("(unnamed)");
            for mapping in container
                .node
                .get("portMappings")
                .into_iter()
                .flat_map(Node::iter_seq)
            {
                let Some(host) = mapping.get("hostPort") else {
                    continue;
                };
                let Some(port) = host.as_i64().filter(|p| *p > 0) else {
                    continue;
                };
                let protocol = mapping
                    .get("protocol")
                    .and_then(Node::as_str)
                    .map_or_else(|| "tcp".to_string(), |p| p.trim().to_ascii_lowercase());
                if let Some((_, _, first, first_owner)) = seen
                    .iter()
                    .find(|(p, proto, _, _)| *p == port && *proto == protocol)
                {
                    let whose = if *first_owner == owner {
                        format!("container `{owner}` maps host port {port}/{protocol} twice")
                    } else {
                        format!(
                            "host port {port}/{protocol} is mapped by both `{first_owner}` and `{owner}`"
                        )
                    };
                    report
                        .add(host.span(), whose)
                        .label("host port already taken")
                        .also(first.span(), format!("first mapped by `{first_owner}`"))
                        .help("give each container its own host port, or omit `hostPort` for a dynamic one");
                    continue;
                }
                seen.push((port, protocol, host, owner));
            }
        }
    }
}
