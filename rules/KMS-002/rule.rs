//! ## What it finds
//! An `AWS::KMS::Key` or `AWS::KMS::ReplicaKey` whose `KeyPolicy` (written as an object
//! or as a JSON string) has no `Allow` statement for the account itself: no principal
//! that is the account root (`arn:aws:iam::<account>:root`, `!Sub
//! arn:${AWS::Partition}:iam::${AWS::AccountId}:root`, a bare account ID,
//! `!Ref AWS::AccountId`) or `*`.
//!
//! ## Why it matters
//! A KMS key policy is the primary access control of the key: "Unless the key policy
//! explicitly allows it, you cannot use IAM policies to allow access to a KMS key." The
//! default key policy gives the account root `kms:*`, which is what lets IAM policies
//! (and account administrators) manage the key. A policy that names only specific roles
//! or services leaves the key manageable only by those principals: if they are deleted
//! or changed, nobody, not even the account root user, can update the policy, and
//! recovering access requires AWS Support. CloudFormation's own stack role must also be
//! allowed to update the policy, or later stack updates fail.
//!
//! When `KeyPolicy` is absent KMS attaches the default policy, which grants the root,
//! so the rule stays silent. It also stays silent when a principal, a statement or the
//! policy is written with something the template cannot resolve (a parameter, an
//! import, `Fn::If` around a statement), or uses `NotPrincipal`. Deny statements and
//! conditions on the root statement are not analysed.

use crate::model::embedded_json::json_value;
use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "KMS-002",
    name: "key-policy-lockout",
    severity: Severity::Warning,
    kinds: &[FileKind::Template],
    summary: "A KMS key policy grants nothing to the account root.",
    source: "https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html",
};

pub struct Rule;

/// `Some(true)`: the account (root or `*`); `Some(false)`: another principal;
/// `None`: cannot tell.
fn text_is_account(text: &str) -> bool {
    let text = text.trim();
    text == "*"
        || (text.len() == 12 && text.bytes().all(|b| b.is_ascii_digit()))
        || (text.starts_with("arn:") && text.ends_with(":root"))
}

fn node_is_account(node: &Node) -> Option<bool> {
    if let Some(text) = node.as_str() {
        return Some(text_is_account(text));
    }
    if let Some(items) = node.as_seq() {
        let mut any = false;
        for item in items {
            any |= node_is_account(item)?;
        }
        return Some(any);
    }
    match Intrinsic::of(node)? {
        Intrinsic::Ref(name) => (name.name == "AWS::AccountId").then_some(true),
        Intrinsic::Sub(sub) => {
            let text = sub.string.as_str()?;
            if text.ends_with(":root") || text.trim() == "${AWS::AccountId}" {
                Some(true)
            } else if crate::text::holds_placeholder(text) && !text.starts_with("arn:") {
                None
            } else {
                Some(false)
            }
        }
        Intrinsic::Join { values, .. } => {
            let last = values.as_seq()?.last()?;
            match last.as_str() {
                Some(text) if text.ends_with(":root") || text.ends_with("root") => Some(true),
                _ => None,
            }
        }
        Intrinsic::GetAtt(_) => Some(false),
        Intrinsic::If {
            when_true,
            when_false,
            ..
        } => {
            let (a, b) = (node_is_account(when_true), node_is_account(when_false));
            match (a, b) {
                (Some(true), _) | (_, Some(true)) => Some(true),
                (Some(false), Some(false)) => Some(false),
                _ => None,
            }
        }
        _ => None,
    }
}

/// Whether a statement list grants the account; `None` when undecidable.
fn node_policy_grants_account(policy: &Node) -> Option<bool> {
    if policy.intrinsic().is_some() {
        return None;
    }
    let statements = policy.get("Statement")?;
    if statements.intrinsic().is_some() {
        return None;
    }
    let list: Vec<&Node> = match statements.as_seq() {
        Some(items) => items.iter().collect(),
        None => vec![statements],
    };
    let mut decided = true;
    for statement in list {
        if statement.intrinsic().is_some() {
            decided = false;
            continue;
        }
        match statement.get("Effect").and_then(Node::as_str) {
            Some("Allow") => {}
            Some(_) => continue,
            None => {
                decided = false;
                continue;
            }
        }
        if statement.get("NotPrincipal").is_some() {
            decided = false;
            continue;
        }
        let Some(principal) = statement.get("Principal") else {
            decided = false;
            continue;
        };
        let result = if principal.as_str().is_some() {
            node_is_account(principal)
        } else if principal.intrinsic().is_some() {
            None
        } else if principal.as_map().is_some() {
            match principal.get("AWS") {
                Some(aws) => node_is_account(aws),
                None => Some(false),
            }
        } else {
            None
        };
        match result {
            Some(true) => return Some(true),
            Some(false) => {}
            None => decided = false,
        }
    }
    decided.then_some(false)
}

impl Check for Rule {
    fn template(&self, template: &Template, report: &mut Report) {
        for key in template.resources_of_types(&["AWS::KMS::Key", "AWS::KMS::ReplicaKey"]) {
            let Some(entry) = key.properties.and_then(|p| p.entry("KeyPolicy")) else {
                continue;
            };
            // Written as structure or as a JSON string: one walk either way.
            let grants = json_value(&entry.value)
                .and_then(|policy| node_policy_grants_account(policy.node()));
            if grants != Some(false) {
                continue;
            }
            let span = entry
                .value
                .entry("Statement")
                .map_or(entry.key.span, |s| s.key.span);
            report
                .add(
                    span,
                    format!("the key policy of KMS key `{}` grants nothing to the account root", key.id),
                )
                .label("no Allow statement names the account (root) as principal")
                .also(key.anchor(), "this key")
                .help("add the default statement: `{Sid: EnableIAMUserPermissions, Effect: Allow, Principal: {AWS: !Sub 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root'}, Action: 'kms:*', Resource: '*'}`");
        }
    }
}
