//! ## What it finds
//! An AppSpec file whose `version` is missing or is anything but `0.0`, on every compute
//! platform (EC2/on-premises, Lambda, ECS).
//!
//! ## Why it matters
//! `version` is required and "currently, the only allowed value is 0.0": CodeDeploy
//! rejects the revision otherwise, and the deployment fails before any hook runs.
//! `version: 0.0` (a plain YAML/JSON number) is the documented value; `0`, `1.0` or `1`
//! are not and are reported. The quoted string `"0.0"` is accepted in Lambda and ECS
//! appspecs (read by the CodeDeploy service), but not in an EC2/on-premises one: the
//! agent loads the file with Ruby's YAML and checks `[0.0].include?(version)`, so the
//! string `"0.0"` fails the deployment ("an invalid version value (0.0) was
//! entered").
//! Lambda and ECS appspecs may spell the key `Version` (CodeDeploy reads their keys
//! ignoring case).

use crate::document::ScalarStyle;
use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "APPSPEC-001",
    name: "invalid-version",
    severity: Severity::Error,
    kinds: &[FileKind::Appspec],
    summary: "The AppSpec `version` is not `0.0`.",
    source: "https://docs.aws.amazon.com/codedeploy/latest/userguide/reference-appspec-file-structure-version.html",
};

pub struct Rule;

impl Check for Rule {
    fn appspec(&self, appspec: &Appspec, report: &mut Report) {
        let Some(first) = appspec.root.as_map().and_then(|entries| entries.first()) else {
            return;
        };
        let Some(version) = appspec.entry("version") else {
            report
                .add(first.key.span, "the AppSpec file has no `version`")
                .label("`version: 0.0` is required")
                .help("add `version: 0.0` at the top of the file");
            return;
        };
        let value = &version.value;
        let text = value.as_str().map(str::trim);
        let quoted = value
            .scalar_style()
            .is_some_and(|style| style != ScalarStyle::Plain);
        if text == Some("0.0") && quoted && appspec.platform == Platform::Server {
            report
                .add(
                    value.span(),
                    "AppSpec `version` is the string \"0.0\"; the CodeDeploy agent only accepts the number 0.0",
                )
                .label("a string, not a number")
                .help("write `version: 0.0` without quotes");
            return;
        }
        if text == Some("0.0") {
            return;
        }
        let shown = match value.as_scalar() {
            Some(text) if !value.is_null() => format!("`{text}`"),
            Some(_) => "empty".to_string(),
            None => "not a scalar".to_string(),
        };
        report
            .add(
                value.span(),
                format!("AppSpec `version` is {shown}; the only allowed value is 0.0"),
            )
            .label("must be 0.0")
            .help("write `version: 0.0`");
    }
}
