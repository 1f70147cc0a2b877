//! ## What it finds
//! A literal AWS access key anywhere in the template — user data, environment
//! variables, parameter defaults, `Metadata`, outputs:
//! - an access key ID: `AKIA` (long-term, IAM user or root) or `ASIA` (temporary, STS)
//!   followed by 16 uppercase letters or digits, as a whole word;
//! - a secret access key: 40 characters of `A–Z a–z 0–9 / +`, but only where a key or
//!   variable named like a secret access key holds it (`SecretAccessKey`,
//!   `AWS_SECRET_ACCESS_KEY`, `aws_secret_access_key = ...` in a script, an ECS or
//!   CodeBuild `{Name: AWS_SECRET_ACCESS_KEY, Value: ...}` pair). Random 40-character
//!   strings (hashes, checksums) are not reported.
//!
//! ## Why it matters
//! A template is stored in CloudFormation, in source control and often in build
//! artifacts, and anyone who can read it can use the key: AKIA keys never expire on
//! their own. Give resources an IAM role instead (instance profile, Lambda execution
//! role, ECS task role), or keep the credentials in Secrets Manager and reference
//! them dynamically. A key that was committed should be deactivated and rotated.
//!
//! AWS's documentation example key `AKIAIOSFODNN7EXAMPLE` has the shape of a real key
//! and is reported like one.

use crate::prelude::*;
use crate::text::find_ignore_ascii_case;

pub const META: RuleMeta = RuleMeta {
    code: "IAM-001",
    name: "hardcoded-credentials",
    severity: Severity::Error,
    kinds: &[FileKind::Template],
    summary: "A literal AWS access key ID or secret access key appears in the template.",
    source: "https://docs.aws.amazon.com/STS/latest/APIReference/API_GetAccessKeyInfo.html",
};

pub struct Rule;

fn is_id_char(b: u8) -> bool {
    b.is_ascii_uppercase() || b.is_ascii_digit()
}

fn is_secret_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'/' || b == b'+'
}

/// The first access key ID in `text`, as a whole word. Only the places of an `A` are
/// tried (`memchr`): every scalar of the template passes through here, and a test at
/// every byte was 2% of a large template's lint.
fn access_key_id(text: &str) -> Option<&str> {
    let bytes = text.as_bytes();
    let last_start = bytes.len().checked_sub(20)?;
    memchr::memchr_iter(b'A', &bytes[..=last_start]).find_map(|i| {
        let prefix = &bytes[i..i + 4];
        let starts_word = i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
        let is_key = starts_word
            && (prefix == b"AKIA" || prefix == b"ASIA")
            && bytes[i + 4..i + 20].iter().all(|&b| is_id_char(b))
            && bytes.get(i + 20).is_none_or(|b| !b.is_ascii_alphanumeric());
        if is_key {
            text.get(i..i + 20)
        } else {
            None
        }
    })
}

/// Whether a key or variable name names a secret access key.
fn names_secret_key(name: &str) -> bool {
    let normalized: String = name
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    normalized.ends_with("secretaccesskey") || normalized == "awssecretkey"
}

/// Whether `value` is exactly a secret access key.
fn is_secret_key(value: &str) -> bool {
    value.len() == 40
        && value.bytes().all(is_secret_char)
        && value.bytes().any(|b| b.is_ascii_lowercase())
        && value.bytes().any(|b| b.is_ascii_uppercase())
}

/// A secret access key assigned in free text (`aws_secret_access_key = ...`,
/// `AWS_SECRET_ACCESS_KEY: ...`, `--secret-access-key ...`).
fn secret_in_text(text: &str) -> bool {
    // The shortest assignment: `secretaccesskey` and a 40-character key.
    if text.len() < "secretaccesskey".len() + 40 {
        return false;
    }
    let mut from = 0;
    while let Some(found) = find_ignore_ascii_case(&text[from..], "secret") {
        let at = from + found + "secret".len();
        from = at;
        let rest = &text[at..];
        let Some(separator) = ["_access_key", "accesskey", "-access-key"]
            .iter()
            .find(|s| {
                rest.get(..s.len())
                    .is_some_and(|r| r.eq_ignore_ascii_case(s))
            })
        else {
            continue;
        };
        let value = rest[separator.len()..].trim_start_matches([' ', '\t', '"', '\'', '=', ':']);
        let token = &value[..value.bytes().take_while(|&b| is_secret_char(b)).count()];
        if is_secret_key(token) {
            return true;
        }
        from = at + separator.len();
    }
    false
}

fn mask(key: &str) -> String {
    match (key.get(..4), key.get(key.len().saturating_sub(4)..)) {
        (Some(head), Some(tail)) => format!("{head}…{tail}"),
        _ => "…".to_string(),
    }
}

impl Check for Rule {
    fn template(&self, template: &Template, report: &mut Report) {
        let mut stack: Vec<(&Node, Option<&str>)> = vec![(template.root, None)];
        while let Some((node, key)) = stack.pop() {
            match &node.value {
                Value::Map(entries) => {
                    // `{Name: AWS_SECRET_ACCESS_KEY, Value: ...}` pairs (ECS, CodeBuild).
                    let pair_name = node.get("Name").and_then(Node::as_str);
                    for entry in entries.iter().rev() {
                        let context = if entry.key.text == "Value" && pair_name.is_some() {
                            pair_name
                        } else {
                            Some(entry.key.text.as_str())
                        };
                        stack.push((&entry.value, context));
                    }
                }
                Value::Seq(items) => stack.extend(items.iter().rev().map(|item| (item, key))),
                Value::Scalar(text) => {
                    if let Some(id) = access_key_id(text) {
                        let kind = if id.starts_with("ASIA") {
                            "temporary (STS)"
                        } else {
                            "long-term"
                        };
                        report
                            .add(node.span(), format!("literal AWS access key ID `{}` ({kind})", mask(id)))
                            .label("access key ID written in the template")
                            .help("remove the key and deactivate it; use an IAM role, or a Secrets Manager dynamic reference");
                    } else if (text.len() >= 40 // a key's length: most scalars are not trimmed
                        && is_secret_key(text.trim())
                        && key.is_some_and(names_secret_key))
                        || secret_in_text(text)
                    {
                        report
                            .add(node.span(), "literal AWS secret access key")
                            .label("secret access key written in the template")
                            .help("remove the secret and rotate the key; use an IAM role, or `{{resolve:secretsmanager:...}}`");
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::access_key_id;

    #[test]
    fn finds_a_whole_word_key_anywhere_in_the_text() {
        let key = "AKIAIOSFODNN7EXAMPLE";
        assert_eq!(access_key_id(key), Some(key));
        assert_eq!(access_key_id(&format!("id={key}")), Some(key));
        assert_eq!(access_key_id(&format!("AAAA {key}.")), Some(key));
        assert_eq!(
            access_key_id("ASIAIOSFODNN7EXAMPLE"),
            Some("ASIAIOSFODNN7EXAMPLE")
        );
    }

    #[test]
    fn a_key_inside_a_longer_word_or_too_short_is_none() {
        assert_eq!(access_key_id("XAKIAIOSFODNN7EXAMPLE"), None);
        assert_eq!(access_key_id("AKIAIOSFODNN7EXAMPLEX"), None);
        assert_eq!(access_key_id("AKIAIOSFODNN7EXAMPL"), None);
        assert_eq!(access_key_id("AKIAiosfodnn7example"), None);
        assert_eq!(access_key_id(""), None);
        assert_eq!(access_key_id("A"), None);
    }
}
