//! ## What it finds
//! A Cognito user pool authorizer that names an identity pool instead of a user pool:
//! an `AWS::ApiGateway::Authorizer` of `Type: COGNITO_USER_POOLS` whose `ProviderARNs`
//! holds a reference to an `AWS::Cognito::IdentityPool` or an identity pool ARN/id, and
//! the same in a SAM API's `Auth.Authorizers.<name>.UserPoolArn`.
//!
//! ## Why it matters
//! `ProviderARNs` is "a list of the Amazon Cognito user pool ARNs for the
//! COGNITO_USER_POOLS authorizer", each of the form
//! `arn:aws:cognito-idp:{region}:{account_id}:userpool/{user_pool_id}`. User pools
//! authenticate users and issue the tokens the authorizer validates; identity pools
//! exchange tokens for AWS credentials and never issue such tokens. Pointing the
//! authorizer at an identity pool fails at deployment or rejects every request.
//!
//! Only values that certainly name an identity pool are reported: a `Ref`/`Fn::GetAtt`
//! to an identity pool in the template, or a literal containing `cognito-identity`,
//! `:identitypool/`, or an identity pool id (`us-east-1:<uuid>`).

use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "COG-002",
    name: "authorizer-uses-identity-pool",
    severity: Severity::Error,
    kinds: &[FileKind::Template],
    summary: "A COGNITO_USER_POOLS authorizer names an identity pool instead of a user pool.",
    source: "https://docs.aws.amazon.com/apigateway/latest/api/API_CreateAuthorizer.html",
};

pub struct Rule;

impl Check for Rule {
    fn template(&self, template: &Template, report: &mut Report) {
        for authorizer in template.resources_of_type("AWS::ApiGateway::Authorizer") {
            let is_cognito = authorizer
                .prop("Type")
                .and_then(|t| template.string(t))
                .is_some_and(|t| t == "COGNITO_USER_POOLS");
            if !is_cognito {
                continue;
            }
            for arn in authorizer.prop_items("ProviderARNs") {
                check(
                    template,
                    report,
                    arn,
                    &format!("authorizer `{}`", authorizer.id),
                );
            }
        }
        for api in template.resources_of_type("AWS::Serverless::Api") {
            let Some(authorizers) = api.prop_path(&["Auth", "Authorizers"]) else {
                continue;
            };
            for entry in authorizers.iter_map() {
                let Some(arn) = entry.value.get("UserPoolArn") else {
                    continue;
                };
                let what = format!("authorizer `{}` of API `{}`", entry.key.text, api.id);
                if arn.as_seq().is_some() {
                    for item in arn.iter_seq() {
                        check(template, report, item, &what);
                    }
                } else {
                    check(template, report, arn, &what);
                }
            }
        }
    }
}

fn check(template: &Template, report: &mut Report, arn: &Node, what: &str) {
    let (span, found, pool) = if let Some(target) = template.referenced_resource(arn) {
        if target.type_name != "AWS::Cognito::IdentityPool" {
            return;
        }
        (
            arn.span(),
            format!("identity pool `{}`", target.id),
            Some(target.anchor()),
        )
    } else if let Some(text) = literal_text(arn) {
        if !names_identity_pool(text) {
            return;
        }
        (arn.span(), format!("identity pool `{text}`"), None)
    } else {
        return;
    };
    let finding = report.add(
        span,
        format!("Cognito user pool {what} names {found}, not a user pool"),
    );
    finding
        .label("an identity pool, not a user pool")
        .help("use the user pool's ARN (e.g. `!GetAtt UserPool.Arn`, `arn:aws:cognito-idp:<region>:<account>:userpool/<pool id>`); identity pools do not issue the tokens the authorizer checks");
    if let Some(pool) = pool {
        finding.also(pool, "an identity pool");
    }
}

/// The text of a literal, or of an `Fn::Sub` template.
fn literal_text(node: &Node) -> Option<&str> {
    match Intrinsic::of(node) {
        None if node.intrinsic().is_none() => node.as_str(),
        Some(Intrinsic::Sub(sub)) => sub.string.as_str(),
        _ => None,
    }
}

fn names_identity_pool(text: &str) -> bool {
    if text.contains("cognito-identity") || text.contains(":identitypool/") {
        return true;
    }
    // An identity pool id: `<region>:<uuid>`.
    let Some((region, uuid)) = text.split_once(':') else {
        return false;
    };
    let region_like = region.split('-').count() >= 3
        && region
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    let uuid_like = uuid.len() == 36
        && uuid.chars().all(|c| c.is_ascii_hexdigit() || c == '-')
        && uuid.matches('-').count() == 4;
    region_like && uuid_like
}
