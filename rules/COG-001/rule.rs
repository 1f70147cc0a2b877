//! ## What it finds
//! An `AWS::Cognito::IdentityPool` with `AllowUnauthenticatedIdentities: true`.
//!
//! ## Why it matters
//! With guest access enabled, the identity pool hands out temporary AWS credentials to
//! anyone who asks, without signing in: they receive the pool's unauthenticated role.
//! Everything that role may do (read a bucket, put records on a stream, call an API) is
//! open to the internet. Some applications mean it (public maps, anonymous analytics);
//! then keep the unauthenticated role as narrow as possible. Otherwise set the property
//! to false.
//!
//! Values given through a parameter or `Fn::If` are reported only when every
//! possibility enables guests. When an `AWS::Cognito::IdentityPoolRoleAttachment` in the
//! template gives the pool an `unauthenticated` role, that role is pointed out too.

use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "COG-001",
    name: "unauthenticated-identities",
    severity: Severity::Warning,
    kinds: &[FileKind::Template],
    summary: "An identity pool allows unauthenticated identities.",
    source: "https://docs.aws.amazon.com/cognito/latest/developerguide/identity-pools.html",
};

pub struct Rule;

impl Check for Rule {
    fn template(&self, template: &Template, report: &mut Report) {
        for pool in template.resources_of_type("AWS::Cognito::IdentityPool") {
            let Some(entry) = pool.prop_entry("AllowUnauthenticatedIdentities") else {
                continue;
            };
            if template.boolean(&entry.value) != Some(true) || template.may_be_absent(&entry.value)
            {
                continue;
            }
            let finding = report.add(
                entry.span(),
                format!(
                    "identity pool `{}` gives AWS credentials to unauthenticated (guest) users",
                    pool.id
                ),
            );
            finding.label("guest access enabled").help(
                "set `AllowUnauthenticatedIdentities: false` unless guests need AWS access; if they do, keep the unauthenticated role to the minimum",
            );
            for attachment in template.resources_of_type("AWS::Cognito::IdentityPoolRoleAttachment")
            {
                let Some(target) = attachment
                    .prop("IdentityPoolId")
                    .and_then(|id| template.referenced_resource(id))
                else {
                    continue;
                };
                if target.id != pool.id {
                    continue;
                }
                if let Some(role) = attachment.prop_path(&["Roles", "unauthenticated"]) {
                    finding.also(role.span(), "the role guests receive");
                }
            }
        }
    }
}
