//! ## What it finds
//! A template over the CloudFormation per-template quotas:
//! - more than 500 resources, 200 parameters, 200 outputs or 200 mappings;
//! - a body larger than 1 MB (1,048,576 bytes), the most CloudFormation accepts even
//!   from S3.
//!
//! A body larger than 51,200 bytes gets a separate note (severity info): that is the
//! limit for a template passed inline (`--template-body`); it must be uploaded to S3
//! (`aws cloudformation package`, `sam deploy` and the console do this) and passed as
//! `TemplateURL`.
//!
//! ## Why it matters
//! These are hard quotas of the CloudFormation quotas page: a template over any of
//! them is refused as a whole before anything is created. The numbers follow the
//! current documentation (older pages said 200 resources and 60 parameters/outputs);
//! they agree with the catalog.
//!
//! Resources are counted as written. A SAM template expands on deployment (a function
//! becomes a function, a role, permissions...), so a SAM template under 500 can still
//! be over after the transform; this rule reports only what is certain. The size is
//! that of the file, in bytes.

use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "CFN-002",
    name: "template-limits",
    severity: Severity::Error,
    kinds: &[FileKind::Template],
    summary: "The template exceeds a CloudFormation quota (resources, parameters, outputs, mappings, size).",
    source: "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html",
};

pub struct Rule;

const SECTIONS: &[(&str, usize, &str)] = &[
    ("Resources", 500, "resources"),
    ("Parameters", 200, "parameters"),
    ("Outputs", 200, "outputs"),
    ("Mappings", 200, "mappings"),
];

const MAX_BODY: u64 = 1_048_576;
const MAX_INLINE_BODY: u64 = 51_200;

impl Check for Rule {
    fn template(&self, template: &Template, report: &mut Report) {
        for &(section, limit, noun) in SECTIONS {
            let Some(entry) = template.root.entry(section) else {
                continue;
            };
            let Some(entries) = entry.value.as_map() else {
                continue;
            };
            if entries.len() <= limit {
                continue;
            }
            let finding = report.add(
                entry.key.span,
                format!(
                    "the template declares {} {noun}; CloudFormation allows at most {limit}",
                    entries.len()
                ),
            );
            finding
                .label(format!("{} {noun}", entries.len()))
                .help(format!(
                    "split the template into nested stacks (`AWS::CloudFormation::Stack`) so that each has at most {limit} {noun}"
                ));
            if let Some(first_over) = entries.get(limit) {
                finding.also(
                    first_over.key.span,
                    format!("{} {noun} already before this one", limit),
                );
            }
        }
        let size = body_size(template);
        let anchor = template
            .root
            .as_map()
            .and_then(|entries| entries.first())
            .map_or(Span::empty(template.root.span().start()), |e| e.key.span);
        if size > MAX_BODY {
            report
                .add(
                    anchor,
                    format!(
                        "the template body is {size} bytes; CloudFormation accepts at most {MAX_BODY} bytes (1 MB), even from S3"
                    ),
                )
                .label(format!("{size} bytes"))
                .help("split the template into nested stacks, or move large inline content (code, policies) out of it");
        } else if size > MAX_INLINE_BODY {
            let finding = report.add(
                anchor,
                format!(
                    "the template body is {size} bytes, over the {MAX_INLINE_BODY}-byte limit for a template passed inline"
                ),
            );
            finding.severity = Severity::Info;
            finding
                .label(format!("{size} bytes"))
                .help("deploy it from S3 (`TemplateURL`; `aws cloudformation package`, `sam deploy` and the console upload it), not with `--template-body`");
        }
    }
}

/// The size of the template body in bytes, as read (a file on disk of the same name,
/// as `--stdin-filename` gives, is not the template).
fn body_size(template: &Template) -> u64 {
    template.body_size
}
