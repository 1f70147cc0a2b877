//! ## What it finds
//! An instance profile setting that names an IAM role instead of an instance profile:
//!
//! - `AWS::EC2::Instance` `IamInstanceProfile`, `AWS::AutoScaling::LaunchConfiguration`
//!   `IamInstanceProfile`, or `AWS::EC2::LaunchTemplate`
//!   `LaunchTemplateData.IamInstanceProfile.Name`/`.Arn`, written as `Ref`,
//!   `Fn::GetAtt` or `Fn::Sub` of an `AWS::IAM::Role` of the template;
//! - a literal ARN there that contains `:role/`.
//!
//! ## Why it matters
//! EC2 attaches a role to an instance through an instance profile, a container for one
//! role. The console creates a profile with the role's name automatically, but with
//! CloudFormation (like the CLI and API) you create the `AWS::IAM::InstanceProfile`
//! yourself and pass its name or ARN (IAM user guide, "Use instance profiles"). Passing
//! the role fails the launch with an invalid instance profile error.
//!
//! Literal names are ambiguous (a console-created role and its profile share a name)
//! and are not reported; nor is `!Ref Role` when an `AWS::IAM::InstanceProfile` of the
//! template is explicitly named after that role (`InstanceProfileName: !Ref Role`).

use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "EC2-003",
    name: "role-as-instance-profile",
    severity: Severity::Error,
    kinds: &[FileKind::Template],
    summary: "`IamInstanceProfile` refers to an IAM role instead of an instance profile.",
    source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_switch-role-ec2_instance-profiles.html",
};

pub struct Rule;

fn profile_named_after(template: &Template, role: &str) -> bool {
    template
        .resources_of_type("AWS::IAM::InstanceProfile")
        .any(|profile| {
            profile
                .own_prop("InstanceProfileName")
                .and_then(|name| template.referenced_resource(name))
                .is_some_and(|r| r.id == role)
        })
}

fn check(template: &Template, report: &mut Report, owner: &str, node: &Node) {
    if let Some(text) = node.as_str() {
        if text.starts_with("arn:") && text.contains(":role/") {
            report
                .add(node.span(), format!("the instance profile of `{owner}` is a role ARN"))
                .label("an IAM role, not an instance profile")
                .help("pass the ARN or name of an `AWS::IAM::InstanceProfile` (`arn:...:instance-profile/...`)");
        }
        return;
    }
    let Some(role) = template.referenced_resource(node) else {
        return;
    };
    if role.type_name != "AWS::IAM::Role" {
        return;
    }
    if matches!(Intrinsic::of(node), Some(Intrinsic::Ref(_)))
        && profile_named_after(template, role.id)
    {
        return;
    }
    report
        .add(
            node.span(),
            format!(
                "the instance profile of `{owner}` is IAM role `{}`",
                role.id
            ),
        )
        .label("an IAM role, not an instance profile")
        .also(role.anchor(), "this is a role")
        .help(format!(
            "create an `AWS::IAM::InstanceProfile` with `Roles: [!Ref {}]` and refer to it instead",
            role.id
        ));
}

impl Check for Rule {
    fn template(&self, template: &Template, report: &mut Report) {
        for resource in template.resources_of_types(&[
            "AWS::EC2::Instance",
            "AWS::AutoScaling::LaunchConfiguration",
        ]) {
            if let Some(node) = resource.own_prop("IamInstanceProfile") {
                check(template, report, resource.id, node);
            }
        }
        for resource in template.resources_of_type("AWS::EC2::LaunchTemplate") {
            let Some(profile) = resource.prop_path(&["LaunchTemplateData", "IamInstanceProfile"])
            else {
                continue;
            };
            for key in ["Name", "Arn"] {
                if let Some(node) = profile.get(key) {
                    check(template, report, resource.id, node);
                }
            }
        }
    }
}
