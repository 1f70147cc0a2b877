//! ## What it finds
//! A Lambda function (`AWS::Lambda::Function`, or `AWS::Serverless::Function` with SAM
//! `Globals` applied) whose `Runtime` is on AWS's deprecation path, judged against
//! today's date:
//! - **error** when Lambda already blocks creating functions with the runtime;
//! - **warning** when the runtime is deprecated (no more security patches) but
//!   functions can still be created, or when its deprecation is at most 90 days away.
//!
//! The message gives the deprecation, create-block and update-block dates and the
//! runtime to move to. A runtime given through a parameter is judged by its `Default`
//! and `AllowedValues`, and both branches of an `Fn::If`; a runtime stacklint's table
//! does not list, or a value it cannot resolve, keeps the rule silent. The finding's
//! severity is the rule's for creation-blocked runtimes and a warning otherwise (a
//! `severity:` setting in `.stacklint.yaml` overrides both).
//!
//! ## Why it matters
//! Lambda deprecates a runtime when its language or operating system reaches end of
//! support. After the deprecation date the runtime gets no security patches; after
//! the create-block date a stack that creates a function with it fails
//! ("The runtime parameter of python3.7 is no longer supported for creating or updating
//! AWS Lambda functions"), and after the update-block date so does any update of the
//! function's code or configuration: a stack that deployed yesterday no longer does.
//!
//! The dates come from the table on the Lambda runtimes page, kept in one file,
//! `rules/LAM-012/runtimes.rs`, with the day it was checked, the source of each row's
//! dates, and which rows a source states in full. The runtime deprecation policy:
//! <https://docs.aws.amazon.com/lambda/latest/dg/runtime-support-policy.html>.
//!
//! ## Options
//! `today` (a date `YYYY-MM-DD`, default: today's UTC date from the system clock): the
//! day to judge the runtimes on. Pin it to make results reproducible, or to see what a
//! template will meet on a future day:
//!
//! ```yaml
//! options:
//!   LAM-012:
//!     today: 2027-06-01
//! ```

#[path = "runtimes.rs"]
mod runtimes;

use crate::date;
use crate::model::lambda;
use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "LAM-012",
    name: "deprecated-runtime",
    severity: Severity::Error,
    kinds: &[FileKind::Template],
    summary: "A Lambda runtime that is deprecated, close to deprecation, or can no longer be used to create functions.",
    source: "https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html",
};

pub struct Rule;

/// How far ahead a coming deprecation is reported.
const WARN_DAYS: i64 = 90;

const TODAY: DateOption = DateOption {
    name: "today",
    doc: "the day runtimes are judged on (default: today's UTC date)",
};

const OPTIONS: &[RuleOption] = &[TODAY.declare()];

/// `from`/`since` for a date relative to today.
fn when(day: i64, today: i64) -> &'static str {
    if day <= today {
        "since"
    } else {
        "from"
    }
}

impl Check for Rule {
    fn options(&self) -> &'static [RuleOption] {
        OPTIONS
    }

    fn template(&self, template: &Template, report: &mut Report) {
        if template.partial().is_some() {
            return;
        }
        let today = report.date(&TODAY);
        for function in lambda::functions(template) {
            let Some(node) = function.prop("Runtime") else {
                continue;
            };
            // Container images bring their own runtime; `Runtime` is not used.
            if function
                .prop("PackageType")
                .and_then(Node::as_str)
                .is_some_and(|p| p.eq_ignore_ascii_case("Image"))
            {
                continue;
            }
            let Some(values) = template.strings(node) else {
                continue;
            };
            for (id, candidate) in values {
                let Some(runtime) = runtimes::find(id) else {
                    continue;
                };
                let (Some(deprecation), Some(create), Some(update)) = (
                    date::parse(runtime.deprecation),
                    date::parse(runtime.block_create),
                    date::parse(runtime.block_update),
                ) else {
                    continue;
                };
                let blocked = today >= create;
                let deprecated = today >= deprecation;
                if !blocked && deprecation - today > WARN_DAYS {
                    continue;
                }
                let dates = format!(
                    "deprecated {} {}, function creation blocked {} {}, updates blocked {} {}",
                    when(deprecation, today),
                    runtime.deprecation,
                    when(create, today),
                    runtime.block_create,
                    when(update, today),
                    runtime.block_update
                );
                let message = if blocked {
                    format!(
                        "runtime `{id}` of function `{}` can no longer be used to create functions ({dates})",
                        function.id
                    )
                } else if deprecated {
                    format!(
                        "runtime `{id}` of function `{}` is deprecated ({dates})",
                        function.id
                    )
                } else {
                    format!(
                        "runtime `{id}` of function `{}` is deprecated in {} days ({dates})",
                        function.id,
                        deprecation - today
                    )
                };
                let finding = report.add_candidate(&candidate, node, message);
                if !blocked {
                    finding.severity = Severity::Warning;
                }
                finding.label(if blocked {
                    "creation blocked"
                } else if deprecated {
                    "deprecated runtime"
                } else {
                    "deprecated soon"
                });
                if let Origin::Parameter(span) = candidate.origin {
                    finding.also(candidate.node.span(), "this parameter value");
                    finding.also(span, "parameter");
                }
                if runtime.successor != id {
                    // No automatic fix: a new major version of a language can break the
                    // function's code, so the edit is the author's to test.
                    finding.help(format!(
                        "move to `{}` (the newest runtime of the language) and test the function on it",
                        runtime.successor
                    ));
                } else {
                    finding.help("no newer runtime of the language exists yet: plan the move when AWS announces one");
                }
            }
        }
    }
}
