//! ## What it finds
//! EBS volumes created without `Encrypted: true`:
//!
//! - an `AWS::EC2::Volume` whose `Encrypted` is absent or `false`;
//! - an `Ebs` block device mapping of an `AWS::EC2::Instance`, of an
//!   `AWS::EC2::LaunchTemplate` (`LaunchTemplateData.BlockDeviceMappings`) or of an
//!   `AWS::AutoScaling::LaunchConfiguration` whose `Encrypted` is absent or `false`.
//!
//! ## Why it matters
//! An unencrypted EBS volume stores its data, and every snapshot taken of it, in clear
//! text, and cannot be encrypted in place later (you must copy a snapshot with
//! encryption and create a new volume). Encryption has no noticeable performance cost
//! (EBS user guide, Amazon EBS encryption).
//!
//! An account can enable EBS "encryption by default" for a Region, after which "the EBS
//! volumes that you create are always encrypted" whatever the template says. That
//! setting is invisible to the template: a missing `Encrypted` is still reported (the
//! template alone does not guarantee encryption), with a message saying so; an explicit
//! `Encrypted: false` is reported plainly. Volumes and mappings created from a
//! `SnapshotId` take the snapshot's encryption and are not reported; mappings without
//! `Ebs` (instance store, `NoDevice`) have no EBS volume. A root volume not listed in
//! the mappings follows the AMI and is not reported.
//!
//! No fix is offered: encrypting an existing volume replaces it, which loses its data
//! unless restored from a snapshot.

use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "EC2-002",
    name: "unencrypted-ebs",
    severity: Severity::Warning,
    kinds: &[FileKind::Template],
    summary: "An EBS volume or block device mapping without `Encrypted: true`.",
    source: "https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html",
};

pub struct Rule;

/// Reports `owner` (an `Ebs` mapping or volume properties) when not encrypted.
fn check(template: &Template, report: &mut Report, owner: &Node, anchor: Span, what: String) {
    if owner.as_map().is_none() || owner.intrinsic().is_some() || owner.get("SnapshotId").is_some()
    {
        return;
    }
    match owner.get("Encrypted") {
        None => {
            report
                .add(anchor, format!("{what} is not encrypted unless EBS encryption by default is enabled for the account"))
                .label("no `Encrypted: true`")
                .help("set `Encrypted: true` (and optionally `KmsKeyId`)");
        }
        Some(flag) => {
            let Some(values) = template.booleans(flag) else {
                return;
            };
            let Some((_, candidate)) = values.iter().find(|(b, _)| !b) else {
                return;
            };
            let finding = report.add_candidate(candidate, flag, format!("{what} is not encrypted"));
            finding
                .label("Encrypted is false")
                .help("set `Encrypted: true` (and optionally `KmsKeyId`)");
            if let Origin::Parameter(param) = candidate.origin {
                finding.also(param, "the parameter allows false");
            }
        }
    }
}

impl Check for Rule {
    fn template(&self, template: &Template, report: &mut Report) {
        for volume in template.resources_of_type("AWS::EC2::Volume") {
            if !volume.properties_are_literal() {
                continue;
            }
            let Some(props) = volume.properties else {
                continue;
            };
            check(
                template,
                report,
                props,
                volume.anchor(),
                format!("EBS volume `{}`", volume.id),
            );
        }
        let kinds: [(&str, &[&str]); 3] = [
            ("AWS::EC2::Instance", &["BlockDeviceMappings"]),
            (
                "AWS::EC2::LaunchTemplate",
                &["LaunchTemplateData", "BlockDeviceMappings"],
            ),
            (
                "AWS::AutoScaling::LaunchConfiguration",
                &["BlockDeviceMappings"],
            ),
        ];
        for (type_name, path) in kinds {
            for resource in template.resources_of_type(type_name) {
                let Some(mappings) = resource.prop_path(path) else {
                    continue;
                };
                for mapping in mappings.iter_seq() {
                    let Some(ebs) = mapping.entry("Ebs") else {
                        continue;
                    };
                    let device = mapping
                        .get("DeviceName")
                        .and_then(Node::as_str)
                        .map(|d| format!(" {d}"))
                        .unwrap_or_default();
                    check(
                        template,
                        report,
                        &ebs.value,
                        ebs.key.span,
                        format!("EBS volume{device} of `{}`", resource.id),
                    );
                }
            }
        }
    }
}
