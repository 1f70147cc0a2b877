//! ## What it finds
//! An environment variable whose name says it holds a password, secret, token or API
//! key (`DB_PASSWORD`, `CLIENT_SECRET`, `AUTH_TOKEN`, `API_KEY`, `stripeSecretKey`, ...)
//! and whose value is a literal, non-empty string, in:
//! - `AWS::Lambda::Function` `Environment.Variables`;
//! - `AWS::Serverless::Function` `Environment.Variables`, `Globals.Function` included;
//! - `AWS::ECS::TaskDefinition` `ContainerDefinitions[].Environment[]` `Name`/`Value`.
//!
//! Names that point to a secret rather than hold it are left alone: names ending in
//! `_ARN`, `_NAME`, `_ID`, `_TABLE`, `_PARAM`, `_PARAMETER`, `_URL`, `_PATH`,
//! `_BUCKET`, `_QUEUE`, `_TOPIC` and the like, so `SECRET_ARN` or `TOKEN_TABLE` are not
//! reported. So are values that are references (`Ref`, `Fn::Sub`, dynamic references
//! `{{resolve:secretsmanager:...}}`/`{{resolve:ssm-secure:...}}`), ARNs and parameter
//! paths.
//!
//! ## Why it matters
//! Environment variables are part of the function's (or task's) configuration: anyone
//! allowed to read that configuration, and the template itself in source control,
//! reveals the value. AWS recommends keeping database credentials, API keys and
//! authorization tokens in AWS Secrets Manager (or SecureString parameters in
//! Parameter Store) and reading them at run time — for ECS, through the container's
//! `Secrets` list.

use crate::model::lambda;
use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "IAM-002",
    name: "plaintext-secret-in-environment",
    severity: Severity::Warning,
    kinds: &[FileKind::Template],
    summary: "An environment variable named like a secret holds a literal value.",
    source: "https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html",
};

pub struct Rule;

/// The words of a variable name, upper-cased: `DB_PASSWORD` → `DB PASSWORD`,
/// `stripeSecretKey` → `STRIPE SECRET KEY`.
fn words(name: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut previous_lower = false;
    for c in name.chars() {
        if !c.is_ascii_alphanumeric() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            previous_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && previous_lower && !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
        previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        current.push(c.to_ascii_uppercase());
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Whether the name says the variable holds a secret (its last word, or last two).
fn names_secret(name: &str) -> bool {
    let words = words(name);
    let Some(last) = words.last().map(String::as_str) else {
        return false;
    };
    if matches!(
        last,
        "PASSWORD" | "PASSWD" | "PASSPHRASE" | "SECRET" | "TOKEN" | "APIKEY" | "SECRETKEY"
    ) {
        return true;
    }
    let before = words.len().checked_sub(2).and_then(|i| words.get(i));
    last == "KEY" && before.is_some_and(|w| matches!(w.as_str(), "API" | "SECRET" | "PRIVATE"))
}

/// Whether a literal value could be the secret itself.
fn holds_secret(value: &str) -> bool {
    let value = value.trim();
    !(value.is_empty()
        || value.contains("{{resolve:")
        || value.starts_with("arn:")
        || value.starts_with('/')
        || value.starts_with("${")
        || value.eq_ignore_ascii_case("true")
        || value.eq_ignore_ascii_case("false")
        || value.eq_ignore_ascii_case("none")
        || value.eq_ignore_ascii_case("null"))
}

fn check(report: &mut Report, name: &str, name_span: Span, value: &Node, owner: &str) {
    if !names_secret(name) || value.intrinsic().is_some() {
        return;
    }
    let Some(text) = value.as_str() else {
        return;
    };
    if !holds_secret(text) {
        return;
    }
    report
        .add(
            value.span(),
            format!("environment variable `{name}` of {owner} holds a literal secret"),
        )
        .label("readable by anyone who can view the configuration")
        .also(name_span, "named like a secret")
        .help("store the value in Secrets Manager or a SecureString parameter and read it at run time (ECS: `Secrets` with `ValueFrom`), or pass it with a `{{resolve:secretsmanager:...}}` dynamic reference");
}

impl Check for Rule {
    fn template(&self, template: &Template, report: &mut Report) {
        let mut seen: Vec<Span> = Vec::new();
        for function in lambda::functions(template) {
            let Some((environment, from_globals)) = lambda::function_prop(function, "Environment")
            else {
                continue;
            };
            if seen.contains(&environment.span()) {
                continue;
            }
            seen.push(environment.span());
            let owner = if from_globals {
                "Globals.Function".to_string()
            } else {
                format!("function `{}`", function.id)
            };
            for entry in environment
                .get("Variables")
                .into_iter()
                .flat_map(Node::iter_map)
            {
                check(
                    report,
                    &entry.key.text,
                    entry.key.span,
                    &entry.value,
                    &owner,
                );
            }
            // SAM also merges `Globals.Function.Environment` into functions that set
            // their own; check the globals once on their own.
            if !from_globals && function.type_name == "AWS::Serverless::Function" {
                if let Some(global) = function.globals.and_then(|g| g.get("Environment")) {
                    if !seen.contains(&global.span()) {
                        seen.push(global.span());
                        for entry in global.get("Variables").into_iter().flat_map(Node::iter_map) {
                            check(
                                report,
                                &entry.key.text,
                                entry.key.span,
                                &entry.value,
                                "Globals.Function",
                            );
                        }
                    }
                }
            }
        }
        for task in template.resources_of_type("AWS::ECS::TaskDefinition") {
            for container in task.own_prop_items("ContainerDefinitions") {
                let container_name = container.get("Name").and_then(Node::as_str).unwrap_or("?");
                let owner = format!("container `{container_name}` of `{}`", task.id);
                for variable in container
                    .get("Environment")
                    .into_iter()
                    .flat_map(Node::iter_seq)
                {
                    let (Some(name_node), Some(value)) =
                        (variable.get("Name"), variable.get("Value"))
                    else {
                        continue;
                    };
                    let Some(name) = name_node.as_str() else {
                        continue;
                    };
                    check(report, name, name_node.span(), value, &owner);
                }
            }
        }
    }
}
