//! ## What it finds
//! A template with `AWS::Serverless::*` resources (`AWS::Serverless::Function`,
//! `AWS::Serverless::Api`, ...) whose `Transform` section does not name
//! `AWS::Serverless-2016-10-31`: no `Transform` at all, or only other transforms
//! (`AWS::LanguageExtensions`). One finding per template, on the first SAM resource's
//! `Type`, with the others as secondary places.
//!
//! ## Why it matters
//! SAM resource types exist only for the SAM transform, which turns them into
//! CloudFormation resources when the stack is created or updated. AWS's SAM template
//! anatomy page says the declaration `Transform: AWS::Serverless-2016-10-31` is
//! required; without it CloudFormation sees a resource type it does not know and the
//! deployment fails ("Unrecognized resource types: [AWS::Serverless::Function]").
//! `sam deploy` adds nothing: the transform must be in the file. The fix adds the
//! declaration (after `AWS::LanguageExtensions` when that is present, as the
//! transforms must be listed in that order).
//!
//! Templates that another macro rewrites (a `Transform` naming one, `Fn::Transform`),
//! Rain modules and Serverless Framework `resources` files are not judged: the macro
//! or tool may supply what the file lacks. The AWS documentation of the transform:
//! <https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/transform-aws-serverless.html>.

use crate::prelude::*;
use crate::rule::Fix;

pub const META: RuleMeta = RuleMeta {
    code: "CFN-011",
    name: "sam-transform-missing",
    severity: Severity::Error,
    kinds: &[FileKind::Template],
    summary: "AWS::Serverless resources in a template without the AWS::Serverless-2016-10-31 transform.",
    source: "https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-specification-template-anatomy.html",
};

pub struct Rule;

const SAM_TRANSFORM: &str = "AWS::Serverless-2016-10-31";

impl Check for Rule {
    fn template(&self, template: &Template, report: &mut Report) {
        if template.partial().is_some() || template.declares_transform(SAM_TRANSFORM) {
            return;
        }
        let mut sam = template
            .resources
            .iter()
            .filter(|r| r.type_name.starts_with("AWS::Serverless::"));
        let Some(first) = sam.next() else {
            return;
        };
        let others: Vec<_> = sam.collect();
        let transform = template.root.entry("Transform");
        let message = match transform.and_then(|t| t.value.as_str()) {
            Some(other) => format!(
                "`{}` is a SAM resource type, but the template's `Transform` is only `{other}`, not `{SAM_TRANSFORM}`",
                first.type_name
            ),
            None => format!(
                "`{}` is a SAM resource type, but the template declares no `Transform: {SAM_TRANSFORM}`",
                first.type_name
            ),
        };
        let finding = report.add(first.anchor(), message);
        finding.label("needs the SAM transform");
        for other in others.iter().take(5) {
            finding.also(other.anchor(), "also a SAM resource");
        }
        if others.len() > 5 {
            finding.also(
                template
                    .root
                    .get("Resources")
                    .map_or(first.anchor(), |r| r.span()),
                format!("and {} more SAM resources", others.len() - 5),
            );
        }
        match transform {
            Some(entry) => {
                finding.also(entry.span(), "transforms declared here");
                finding.help(format!(
                    "list both transforms, SAM last: `Transform: [{}, {SAM_TRANSFORM}]`",
                    entry.value.as_str().unwrap_or("...")
                ));
                if let Some(other) = entry.value.as_str() {
                    finding.fix = Some(Fix {
                        span: entry.value.span(),
                        replacement: format!("[\"{other}\", \"{SAM_TRANSFORM}\"]"),
                        title: format!("add the {SAM_TRANSFORM} transform"),
                    });
                }
            }
            None => {
                finding.help(format!(
                    "add `Transform: {SAM_TRANSFORM}` at the top level of the template"
                ));
                if let Some(first_key) = template.root.iter_map().next() {
                    let at = first_key.key.span.start();
                    // A block mapping starts at its first key; a flow mapping (JSON)
                    // at its brace.
                    let replacement = if template.root.span().start() == at {
                        format!("Transform: {SAM_TRANSFORM}\n")
                    } else {
                        format!("\"Transform\": \"{SAM_TRANSFORM}\", ")
                    };
                    finding.fix = Some(Fix {
                        span: Span::new(at, at),
                        replacement,
                        title: format!("add the {SAM_TRANSFORM} transform"),
                    });
                }
            }
        }
    }
}
