//! ## What it finds
//! A key that the file's `Dockerrun.aws.json` version does not define: at the top level,
//! in `Authentication`/`authentication`, in v1 `Image`, `Ports` and `Volumes` items, and
//! in v2 `volumes`, container definitions, `portMappings`, `mountPoints` and
//! `volumesFrom`. The nearest documented key is suggested.
//!
//! ## Why it matters
//! Elastic Beanstalk ignores or rejects keys it does not know, so a misspelt key
//! (`containerPorts`, `memoryReservaton`) silently drops its setting, and a key of the
//! wrong case does not work: v1 spells `Authentication` with `Bucket`/`Key`, v2
//! `authentication` with `bucket`/`key`, v3 `Authentication` with `bucket`/`key`.
//! Container-definition keys follow the current ECS `ContainerDefinition` API;
//! `executionRoleArn` is accepted at the top of a v2 file, as the current documentation
//! shows. Top-level keys of another version are left to DOCKERRUN-001; files with an
//! unknown version are not checked. Keys starting with `_`, `//` or `#` are taken as
//! comments (JSON has none; `"_uncomment_authentication"` is a common way to switch a
//! section off) and not reported. `localContainerDefinitions` (read by `eb local`) is
//! accepted in v2 files.
//!
//! It also reports values of the wrong type (this extends the catalog's "a key the
//! format does not define" to "a value the format does not define at that key"):
//! - **v2**: container definitions become an ECS task definition, whose numbers and
//!   booleans are typed: `"containerPort": "80"`, `"memory": "512"` or
//!   `"essential": "true"` (JSON strings) are rejected by the ECS API
//!   (`STRING_VALUE cannot be converted to Integer`), as are a single object where a
//!   list is required (`"portMappings": {...}`) and a list or object where a string is.
//!   Types follow the ECS `ContainerDefinition`, `PortMapping`, `MountPoint`,
//!   `VolumeFrom` and `KeyValuePair` references.
//! - **v1**: Elastic Beanstalk reads the file itself and documents numbers and flags as
//!   strings (`"ContainerPort": "1234"`, `"Update": "true"`), so digits and
//!   `"true"`/`"false"` are accepted quoted or not; a port that is not a whole number,
//!   an `Update` that is not true or false, and objects and lists in the wrong place are
//!   reported.
//! - **v3**: `Authentication` must be an object of strings.
//!
//! Blank values and placeholders (`"<PORT>"`, `"${PORT}"`) are not judged.

use crate::model::dockerrun::VERSION_ONLY_KEYS;
use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "DOCKERRUN-008",
    name: "unknown-key",
    severity: Severity::Error,
    kinds: &[FileKind::Dockerrun],
    summary: "A key the Dockerrun format does not define, or a value of the wrong type.",
    source:
        "https://docs.aws.amazon.com/elasticbeanstalk/latest/dg/create_deploy_docker_v2config.html",
};

pub struct Rule;

impl Check for Rule {
    fn dockerrun(&self, dockerrun: &Dockerrun, report: &mut Report) {
        let Some(version) = dockerrun.version else {
            return;
        };
        for (entry, allowed) in dockerrun.unknown_keys() {
            let at_top = dockerrun.root.iter_map().any(|e| std::ptr::eq(e, entry));
            if is_comment(&entry.key.text) {
                continue;
            }
            // DOCKERRUN-001 reports these as another version's content.
            if at_top
                && VERSION_ONLY_KEYS
                    .iter()
                    .any(|(key, _)| *key == entry.key.text)
            {
                continue;
            }
            let finding = report.add(
                entry.key.span,
                format!(
                    "`{}` is not a key of a version {version} `Dockerrun.aws.json` here",
                    entry.key.text
                ),
            );
            finding.label("unknown key");
            match Appspec::nearest(&entry.key.text, allowed) {
                Some(near) if near.eq_ignore_ascii_case(&entry.key.text) => {
                    finding.help(format!("keys are case-sensitive: write `{near}`"))
                }
                Some(near) => finding.help(format!("did you mean `{near}`?")),
                None => finding.help(format!("the keys allowed here are: {}", allowed.join(", "))),
            };
        }
        for mismatch in dockerrun.type_mismatches() {
            report
                .add(mismatch.span(), mismatch.message("an object"))
                .label(format!("not {}", mismatch.expected.noun("an object")))
                .help(mismatch.help());
        }
    }
}

/// JSON has no comments; keys such as `_comment`, `_disabled_authentication` or
/// `//` are the usual stand-in and are left alone.
fn is_comment(key: &str) -> bool {
    key.starts_with('_') || key.starts_with("//") || key.starts_with('#')
}
