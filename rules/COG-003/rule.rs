//! ## What it finds
//! An `AWS::Cognito::UserPool` whose `LambdaConfig` names a Lambda function of the same
//! template (`PreSignUp`, `PostConfirmation`, `CustomMessage`, ... or the `LambdaArn` of
//! `CustomEmailSender`, `CustomSMSSender` and `PreTokenGenerationConfig`) for which no
//! `AWS::Lambda::Permission` lets `cognito-idp.amazonaws.com` invoke it.
//!
//! ## Why it matters
//! The Cognito console adds the function's resource-based policy for you, but "when you
//! create a trigger outside the Amazon Cognito console, you must explicitly add
//! permissions". Without it, every sign-up or sign-in that reaches the trigger fails
//! with "…invocation failed due to error AccessDeniedException".
//!
//! A SAM function with a `Cognito` event gets its permission from SAM and is not
//! reported. A permission counts when its `FunctionName` refers to the function
//! (`Ref`, `Fn::GetAtt` or `${Fn.Arn}`) and its `Principal` is
//! `cognito-idp.amazonaws.com`; any permission whose function or principal cannot be
//! resolved (a literal name, an alias ARN built with `Fn::Join`) keeps the rule silent,
//! as do triggers that are not functions of this template.

use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "COG-003",
    name: "trigger-without-permission",
    severity: Severity::Error,
    kinds: &[FileKind::Template],
    summary: "A user pool Lambda trigger has no AWS::Lambda::Permission for cognito-idp.amazonaws.com.",
    source: "https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-working-with-lambda-triggers.html",
};

pub struct Rule;

const FUNCTION_TYPES: &[&str] = &["AWS::Lambda::Function", "AWS::Serverless::Function"];

impl Check for Rule {
    fn template(&self, template: &Template, report: &mut Report) {
        for pool in template.resources_of_type("AWS::Cognito::UserPool") {
            let Some(config) = pool.prop("LambdaConfig") else {
                continue;
            };
            let mut seen: Vec<&str> = Vec::new();
            for trigger in config.iter_map() {
                if trigger.key.text == "KMSKeyID" {
                    continue;
                }
                let value = trigger.value.get("LambdaArn").unwrap_or(&trigger.value);
                let Some(targets) = template.referenced_resources(value) else {
                    continue;
                };
                for function in targets {
                    if !FUNCTION_TYPES.contains(&function.type_name)
                        || seen.contains(&function.id)
                        || has_cognito_event(function)
                        || has_permission(template, function)
                    {
                        continue;
                    }
                    seen.push(function.id);
                    report
                        .add(
                            value.span(),
                            format!(
                                "user pool `{}` triggers function `{}` ({}), but no AWS::Lambda::Permission lets Cognito invoke it",
                                pool.id, function.id, trigger.key.text
                            ),
                        )
                        .label(format!("{} trigger", trigger.key.text))
                        .also(function.anchor(), "no permission for cognito-idp.amazonaws.com")
                        .help(format!(
                            "add an AWS::Lambda::Permission with FunctionName: !GetAtt {}.Arn, Action: lambda:InvokeFunction, Principal: cognito-idp.amazonaws.com, SourceArn: !GetAtt {}.Arn",
                            function.id, pool.id
                        ));
                }
            }
        }
    }
}

/// A SAM function with an `Events` entry of `Type: Cognito` (SAM adds the permission).
fn has_cognito_event(function: &Resource) -> bool {
    function.own_prop_entries("Events").any(|event| {
        event
            .value
            .get("Type")
            .and_then(Node::as_str)
            .is_none_or(|t| t == "Cognito")
    })
}

/// A permission that may let Cognito invoke `function` (or that cannot be resolved).
fn has_permission(template: &Template, function: &Resource) -> bool {
    template
        .resources_of_type("AWS::Lambda::Permission")
        .any(|permission| {
            if !permission.properties_are_literal() {
                return true;
            }
            let names_function = match permission.prop("FunctionName") {
                None => false,
                Some(name) => match template.referenced_resources(name) {
                    Some(targets) => targets
                        .iter()
                        .any(|t| t.id == function.id || !FUNCTION_TYPES.contains(&t.type_name)),
                    None => true,
                },
            };
            let principal_ok = match permission.prop("Principal") {
                None => false,
                Some(principal) => match template.strings(principal) {
                    Some(values) => values
                        .iter()
                        .any(|(p, _)| p.starts_with("cognito-idp.") || *p == "*"),
                    None => true,
                },
            };
            names_function && principal_ok
        })
}
