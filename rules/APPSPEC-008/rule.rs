//! ## What it finds
//! A Lambda AppSpec file whose `Resources` does not hold exactly one
//! `AWS::Lambda::Function` target, or whose target lacks one of `Name`, `Alias`,
//! `CurrentVersion` and `TargetVersion` under `Properties`. A property that is present but
//! blank (`Name: ""`, as in the AWS template files, to be filled in by a script) is not
//! reported.
//!
//! ## Why it matters
//! A Lambda deployment shifts the traffic of one alias of one function from one version
//! to another; all four properties are required, and CodeDeploy rejects the AppSpec file
//! when one is missing, failing the deployment before any traffic moves. Keys are
//! matched ignoring case: the AWS documentation itself writes them both as
//! `name`/`alias`/`currentversion`/`targetversion` and in PascalCase.

use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "APPSPEC-008",
    name: "lambda-resource",
    severity: Severity::Error,
    kinds: &[FileKind::Appspec],
    summary: "A Lambda AppSpec file does not define exactly one complete function target.",
    source: "https://docs.aws.amazon.com/codedeploy/latest/userguide/reference-appspec-file-structure-resources.html",
};

const REQUIRED: &[&str] = &["Name", "Alias", "CurrentVersion", "TargetVersion"];

pub struct Rule;

impl Check for Rule {
    fn appspec(&self, appspec: &Appspec, report: &mut Report) {
        if appspec.platform != Platform::Lambda {
            return;
        }
        let targets: Vec<&Entry> = appspec
            .resources()
            .into_iter()
            .filter(|target| {
                field(&target.value, "Type")
                    .and_then(|e| e.value.as_str())
                    .is_some_and(|t| t.trim().eq_ignore_ascii_case("AWS::Lambda::Function"))
            })
            .collect();
        if let [first, rest @ ..] = targets.as_slice() {
            for extra in rest {
                report
                    .add(
                        extra.key.span,
                        format!(
                            "Lambda AppSpec file has a second function target `{}`; a deployment updates exactly one function",
                            extra.key.text
                        ),
                    )
                    .label("second function")
                    .also(first.key.span, "first function")
                    .help("deploy each function with its own AppSpec file");
            }
        }
        for target in targets {
            let Some(properties) = field(&target.value, "Properties") else {
                report
                    .add(
                        target.key.span,
                        format!("Lambda target `{}` has no `Properties`", target.key.text),
                    )
                    .label("no Name, Alias, CurrentVersion, TargetVersion")
                    .help("add `Properties` with `Name`, `Alias`, `CurrentVersion` and `TargetVersion`");
                continue;
            };
            if properties.value.as_map().is_none() && !properties.value.is_null() {
                continue;
            }
            let missing: Vec<&str> = REQUIRED
                .iter()
                .copied()
                .filter(|key| field(&properties.value, key).is_none())
                .collect();
            if missing.is_empty() {
                continue;
            }
            let list = missing
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ");
            report
                .add(
                    properties.key.span,
                    format!(
                        "Lambda target `{}` has no {list} under `Properties`",
                        target.key.text
                    ),
                )
                .label(format!("missing {list}"))
                .help(
                    "a Lambda target needs `Name`, `Alias`, `CurrentVersion` and `TargetVersion`",
                );
        }
    }
}

fn field<'n>(node: &'n Node, key: &str) -> Option<&'n Entry> {
    node.as_map()?
        .iter()
        .rev()
        .find(|e| e.key.text.eq_ignore_ascii_case(key))
}
