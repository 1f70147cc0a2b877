//! ## What it finds
//! A key that the AppSpec format does not define at its place: at the top level, in a
//! `files` or `permissions` item (and a permission's `context`), in a hook script, and
//! in a Lambda or ECS target and its `Properties`. The nearest documented key is
//! suggested.
//!
//! ## Why it matters
//! CodeDeploy ignores or rejects keys it does not know, so a misspelt key
//! (`permission`, `runAs`, `file_exists_behaviour`, `TaskDefinitionArn`) silently drops
//! what it was meant to set. Keys of EC2/on-premises appspecs are read by the agent
//! exactly as written (`Hooks` is not `hooks`); keys of Lambda and ECS appspecs are
//! compared ignoring case, since the AWS documentation writes them both ways
//! (`resources`/`Resources`, `properties`/`Properties`). Hook event names are checked
//! by APPSPEC-003, not here. `CapacityProviderStrategy` is accepted in ECS targets. A file with `Resources` whose
//! target `Type` is neither `AWS::Lambda::Function` nor `AWS::ECS::Service` is not
//! checked: its platform is unclear.
//!
//! It also reports values of the wrong type (this extends the catalog's "a key the
//! format does not define" to "a value the format does not define at that key"). A
//! quoted YAML scalar (`'80'`) is a string, an unquoted one (`80`) a number.
//! - **EC2/on-premises**: the agent iterates over `files`, `permissions`, each event's
//!   scripts, and a permission's `except`, `acls` and `type`, so these must be lists
//!   (`type: file` instead of `type: [file]` fails the deployment), `hooks` and
//!   `context` mappings, and `source`, `destination`, `location`, `runas`, `owner`,
//!   `group`, `mode` single values. Script `timeout` values are checked by APPSPEC-004.
//! - **Lambda**: "each property is specified with a string": `Name`, `Alias`,
//!   `CurrentVersion` and `TargetVersion` must not be lists or mappings (a number such as
//!   `CurrentVersion: 1` is accepted). Each hook is a single function name.
//! - **ECS**: "each property is specified with a string except for `ContainerPort`,
//!   which is a number": `ContainerPort: '80'` or `"80"` is reported, as is a port
//!   that is not a whole number; `Subnets` and `SecurityGroups` are lists,
//!   `CapacityProviderStrategy` a list whose `Base` and `Weight` are whole numbers.
//!
//! Blank values and placeholders (`<CONTAINER_PORT>`, `${PORT}`) are not judged.

use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "APPSPEC-010",
    name: "unknown-key",
    severity: Severity::Error,
    kinds: &[FileKind::Appspec],
    summary: "A key the AppSpec format does not define, or a value of the wrong type.",
    source: "https://docs.aws.amazon.com/codedeploy/latest/userguide/reference-appspec-file-structure.html",
};

pub struct Rule;

impl Check for Rule {
    fn appspec(&self, appspec: &Appspec, report: &mut Report) {
        for (key, allowed) in appspec.unknown_keys() {
            let finding = report.add(
                key.span,
                format!(
                    "`{}` is not a key of an {} AppSpec file here",
                    key.text,
                    appspec.platform.as_str()
                ),
            );
            finding.label("unknown key");
            match Appspec::nearest(&key.text, allowed) {
                Some(near) if near.eq_ignore_ascii_case(&key.text) => {
                    finding.help(format!("keys are case-sensitive here: write `{near}`"))
                }
                Some(near) => finding.help(format!("did you mean `{near}`?")),
                None => finding.help(format!("the keys allowed here are: {}", allowed.join(", "))),
            };
        }
        for mismatch in appspec.type_mismatches() {
            report
                .add(mismatch.span(), mismatch.message("a mapping"))
                .label(format!("not {}", mismatch.expected.noun("a mapping")))
                .help(mismatch.help());
        }
    }
}
