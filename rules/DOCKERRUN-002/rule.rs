//! ## What it finds
//! A version 1 `Dockerrun.aws.json` with an `Image` that has no `Name`, and a version 2
//! container definition without `image`.
//!
//! ## Why it matters
//! Elastic Beanstalk pulls the image named by `Image.Name` (v1) or a container's `image`
//! (v2); without it there is nothing to run and the deployment fails. A v1 file without
//! any `Image` key is valid when the bundle has a `Dockerfile` ("Elastic Beanstalk
//! always builds and uses the image described in the Dockerfile"), so it is not
//! reported.

use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "DOCKERRUN-002",
    name: "image-missing",
    severity: Severity::Error,
    kinds: &[FileKind::Dockerrun],
    summary: "A container has no image.",
    source:
        "https://docs.aws.amazon.com/elasticbeanstalk/latest/dg/create_deploy_docker_v2config.html",
};

pub struct Rule;

impl Check for Rule {
    fn dockerrun(&self, dockerrun: &Dockerrun, report: &mut Report) {
        if dockerrun.version == Some(1) {
            let Some(image) = dockerrun.root.entry("Image") else {
                return;
            };
            if image.value.as_map().is_some() && image.value.get("Name").is_none() {
                report
                    .add(image.key.span, "`Image` has no `Name`")
                    .label("no image name")
                    .help("add `\"Name\": \"<repository>/<image>:<tag>\"`, or remove `Image` and build from a `Dockerfile`");
            }
            return;
        }
        for container in dockerrun.containers() {
            if container.node.get("image").is_some() {
                continue;
            }
            let span = container
                .name_entry
                .map_or(container.node.span(), Entry::span);
            let name = container.name.unwrap_or("(unnamed)");
            report
                .add(span, format!("container `{name}` has no `image`"))
                .label("no image")
                .help(
                    "add `\"image\": \"<repository>/<image>:<tag>\"` to the container definition",
                );
        }
    }
}
