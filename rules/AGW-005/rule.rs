//! ## What it finds
//! An `AWS::IAM::Role` that can be assumed through a Cognito identity pool (trust
//! policy principal `Federated: cognito-identity.amazonaws.com`) and that is allowed
//! DynamoDB data actions (`GetItem`, `PutItem`, `Query`, `Scan`, batch, transaction and
//! PartiQL actions, or wildcards covering them) — in its inline `Policies`, in an
//! `AWS::IAM::Policy`/`AWS::IAM::ManagedPolicy` attached to it through `Roles`, or in a
//! managed policy of the template listed in its `ManagedPolicyArns`.
//!
//! ## Why it matters
//! Identity-pool credentials go to browsers and mobile apps. With DynamoDB data
//! actions, clients call the table directly and bypass everything an API in front of
//! it provides: caching, throttling and usage plans, request validation, logging and
//! server-side authorization. AWS documents direct access as a supported pattern when
//! it is locked down with fine-grained access control, so statements restricted with
//! a `dynamodb:LeadingKeys` condition (each user reaches only their own items) are not
//! reported. This is an architectural recommendation, not a documented prohibition.

use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "AGW-005",
    name: "client-direct-dynamodb-access",
    severity: Severity::Warning,
    kinds: &[FileKind::Template],
    summary: "A Cognito identity pool role grants DynamoDB data actions to clients.",
    source:
        "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Cognito.Credentials.html",
};

pub struct Rule;

const DATA_ACTIONS: &[&str] = &[
    "getitem",
    "putitem",
    "updateitem",
    "deleteitem",
    "query",
    "scan",
    "batchgetitem",
    "batchwriteitem",
    "transactgetitems",
    "transactwriteitems",
    "executestatement",
    "batchexecutestatement",
    "executetransaction",
    "partiqlselect",
    "partiqlinsert",
    "partiqlupdate",
    "partiqldelete",
];

/// IAM wildcard match (`*` and `?`), greedy with one backtrack point: linear in
/// practice, never exponential.
fn glob(pattern: &[u8], text: &[u8]) -> bool {
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some(b'*') => {
                star = Some((p, t));
                p += 1;
            }
            Some(&c) if c == b'?' || c == text[t] => {
                p += 1;
                t += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    p = sp + 1;
                    t = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    pattern[p.min(pattern.len())..].iter().all(|&c| c == b'*')
}

/// Whether an action string grants a DynamoDB data action.
fn grants_data_action(action: &str) -> bool {
    let lower = action.to_ascii_lowercase();
    let Some(name) = lower.strip_prefix("dynamodb:") else {
        return false;
    };
    DATA_ACTIONS
        .iter()
        .any(|data| glob(name.as_bytes(), data.as_bytes()))
}

/// Items of a node that may be one item or a list.
fn one_or_many(node: &Node) -> Vec<&Node> {
    match node.as_seq() {
        Some(items) => items.iter().collect(),
        None => vec![node],
    }
}

fn mentions_leading_keys(node: &Node) -> bool {
    let mut stack = vec![node];
    while let Some(node) = stack.pop() {
        for entry in node.iter_map() {
            if entry.key.text.eq_ignore_ascii_case("dynamodb:LeadingKeys") {
                return true;
            }
            stack.push(&entry.value);
        }
        stack.extend(node.iter_seq());
    }
    false
}

/// The Cognito identity principal of a trust policy, if any.
fn cognito_principal(template: &Template, role: &Resource) -> Option<Span> {
    let document = role.own_prop("AssumeRolePolicyDocument")?;
    for statement in one_or_many(document.get("Statement")?) {
        let Some(federated) = statement.path(&["Principal", "Federated"]) else {
            continue;
        };
        for principal in one_or_many(federated) {
            if template.string(principal) == Some("cognito-identity.amazonaws.com") {
                return Some(principal.span());
            }
        }
    }
    None
}

/// The first data action a policy document allows without a `LeadingKeys` condition.
fn data_action<'a>(template: &Template, document: &'a Node) -> Option<(&'a Node, String)> {
    for statement in one_or_many(document.get("Statement")?) {
        let effect = statement.get("Effect").and_then(|e| template.string(e));
        if effect != Some("Allow") {
            continue;
        }
        if statement
            .get("Condition")
            .is_some_and(mentions_leading_keys)
        {
            continue;
        }
        let Some(actions) = statement.get("Action") else {
            continue;
        };
        for action in one_or_many(actions) {
            if let Some(text) = action.as_str() {
                if action.intrinsic().is_none() && grants_data_action(text) {
                    return Some((action, text.to_string()));
                }
            }
        }
    }
    None
}

impl Check for Rule {
    fn template(&self, template: &Template, report: &mut Report) {
        for role in template.resources_of_type("AWS::IAM::Role") {
            let Some(principal) = cognito_principal(template, role) else {
                continue;
            };
            let mut documents: Vec<&Node> = Vec::new();
            for policy in role.own_prop_items("Policies") {
                documents.extend(policy.get("PolicyDocument"));
            }
            for arn in role.own_prop_items("ManagedPolicyArns") {
                if let Some(policy) = template
                    .referenced_resource(arn)
                    .filter(|p| p.type_name == "AWS::IAM::ManagedPolicy")
                {
                    documents.extend(policy.own_prop("PolicyDocument"));
                }
            }
            for policy in
                template.resources_of_types(&["AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"])
            {
                let attached = policy.own_prop_items("Roles").any(|r| {
                    template
                        .referenced_resource(r)
                        .is_some_and(|r| r.id == role.id)
                });
                if attached {
                    documents.extend(policy.own_prop("PolicyDocument"));
                }
            }
            for document in documents {
                let Some((action, text)) = data_action(template, document) else {
                    continue;
                };
                report
                    .add(
                        action.span(),
                        format!(
                            "role `{}` gives Cognito identity-pool clients `{text}` on DynamoDB directly",
                            role.id
                        ),
                    )
                    .label("clients call DynamoDB without an API in between")
                    .also(principal, "assumed by identity-pool users")
                    .help("put an API (API Gateway + Lambda) in front of the table, or restrict the statement with a `dynamodb:LeadingKeys` condition on `${cognito-identity.amazonaws.com:sub}`");
            }
        }
    }
}
