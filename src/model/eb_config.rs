//! Elastic Beanstalk option settings, in `.ebextensions/*.config` files and in
//! `AWS::ElasticBeanstalk::*` template resources.

use std::path::Path;

use crate::document::Node;
use crate::source::Span;

pub struct EbConfig<'a> {
    pub root: &'a Node,
    pub path: &'a Path,
}

/// One option setting: namespace, option name and value.
pub struct OptionSetting<'a> {
    pub namespace: &'a str,
    pub name: &'a str,
    /// Where the option's name is written (the key or the `OptionName` value).
    pub name_span: Span,
    pub value: &'a Node,
}

/// The settings of an `option_settings` (ebextensions) or `OptionSettings` (template)
/// node, in either of the documented shapes:
/// `{namespace: {option: value}}` or `[{namespace|Namespace, option_name|OptionName, value|Value}]`.
pub fn option_settings(node: &Node) -> Vec<OptionSetting<'_>> {
    let mut out = Vec::new();
    if let Some(entries) = node.as_map() {
        for namespace in entries {
            for option in namespace.value.iter_map() {
                out.push(OptionSetting {
                    namespace: &namespace.key.text,
                    name: &option.key.text,
                    name_span: option.key.span,
                    value: &option.value,
                });
            }
        }
    }
    for item in node.iter_seq() {
        let field = |lower: &str, upper: &str| item.get(upper).or_else(|| item.get(lower));
        let (Some(namespace), Some(name), Some(value)) = (
            field("namespace", "Namespace").and_then(Node::as_str),
            field("option_name", "OptionName"),
            field("value", "Value"),
        ) else {
            continue;
        };
        let Some(name_text) = name.as_str() else {
            continue;
        };
        out.push(OptionSetting {
            namespace,
            name: name_text,
            name_span: name.span(),
            value,
        });
    }
    out
}
