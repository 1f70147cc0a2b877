//! ## What it finds
//! A symmetric encryption `AWS::KMS::Key` (no `KeySpec`, or `SYMMETRIC_DEFAULT`, and no
//! `Origin`, or `AWS_KMS`) whose `EnableKeyRotation` is absent or `false`.
//!
//! ## Why it matters
//! Automatic rotation is off by default (`EnableKeyRotation` defaults to `false`). With
//! it on, KMS creates new key material every year (or every `RotationPeriodInDays`,
//! 90–2560) and keeps the old material to decrypt existing data, which limits how much
//! data one piece of key material protects and satisfies most compliance baselines at
//! no operational cost.
//!
//! Only symmetric encryption keys with KMS-generated material can rotate automatically:
//! the CloudFormation reference says to omit `EnableKeyRotation` (or set it to `false`)
//! for asymmetric keys, HMAC keys and keys with imported (`EXTERNAL`) material, so those
//! are never reported, nor are keys in custom key stores (`AWS_CLOUDHSM`,
//! `EXTERNAL_KEY_STORE`) and `AWS::KMS::ReplicaKey` (replicas share the primary key's
//! rotation). A `KeySpec`, `Origin` or `EnableKeyRotation` the template cannot resolve
//! to one value keeps the rule silent.

use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "KMS-001",
    name: "key-rotation-disabled",
    severity: Severity::Warning,
    kinds: &[FileKind::Template],
    summary: "A symmetric KMS key without automatic key rotation.",
    source: "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-kms-key.html",
};

pub struct Rule;

impl Check for Rule {
    fn template(&self, template: &Template, report: &mut Report) {
        for key in template.resources_of_type("AWS::KMS::Key") {
            if !key.properties_are_literal() {
                continue;
            }
            let certainly = |name: &str, default: &str| match key.own_prop(name) {
                None => true,
                Some(node) => template.string(node) == Some(default),
            };
            if !certainly("KeySpec", "SYMMETRIC_DEFAULT")
                || !certainly("Origin", "AWS_KMS")
                || !certainly("KeyUsage", "ENCRYPT_DECRYPT")
            {
                continue;
            }
            let span = match key.properties.and_then(|p| p.entry("EnableKeyRotation")) {
                None => key.anchor(),
                Some(entry) => {
                    if template.boolean(&entry.value) != Some(false) {
                        continue;
                    }
                    entry.value.span()
                }
            };
            report
                .add(
                    span,
                    format!(
                        "symmetric KMS key `{}` does not rotate its key material",
                        key.id
                    ),
                )
                .label("EnableKeyRotation is not true")
                .help("set `EnableKeyRotation: true` (optionally `RotationPeriodInDays`, 90–2560)");
        }
    }
}
