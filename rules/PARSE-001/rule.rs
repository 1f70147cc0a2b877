//! ## What it finds
//! A file that is not valid YAML or JSON. The finding points at the fault and, when a
//! bracket was left open, also at where it opened.
//!
//! ## Why it matters
//! CloudFormation rejects a template it cannot parse before doing anything else, and
//! CodeDeploy and Elastic Beanstalk fail the deployment. No other rule can look at a
//! file that does not parse, so this finding hides nothing: fix it first.
//!
//! JSON is read strictly (no comments or single quotes), with one exception.
//!
//! ## Trailing commas (a warning)
//! A comma before `}` or `]` is not JSON, yet CloudFormation deploys such a template:
//! it reads JSON templates with a YAML parser, and YAML's flow collections allow a
//! trailing comma. stacklint therefore loads the file as CloudFormation reads it, runs
//! every rule on it, and reports each comma as a PARSE-001 **warning** (not an error),
//! with a fix that deletes it: jq, `JSON.parse`, editors and most JSON tools reject
//! the file. The finding stays under PARSE-001 because it is a JSON syntax fault;
//! `severity: {PARSE-001: ...}` in `.stacklint.yaml` changes both kinds alike. Any
//! other syntax fault in the same file is still an error.
//!
//! What the fact rests on: AWS's own tooling and users report it, not the
//! CloudFormation documentation, which says only that templates are JSON or YAML.
//! The AWS Amplify CLI strips trailing commas before `JSON.parse` because its DynamoDB
//! templates carry them and "are accepted by CFN" (aws-amplify/amplify-cli#509);
//! cf-to-tf does the same for templates fetched from deployed stacks
//! (humanmade/cf-to-tf#7); cfn-lint accepts such a file without a finding
//! (aws-cloudformation/cfn-lint#2655); and CloudFormation accepts YAML document markers
//! (`---`, `...`) in JSON templates, which shows the YAML parser at work
//! (Sceptre/sceptre#1087). One report says the console's creation wizard complained
//! (convox/console-app#16): an editor in front of the service, not the service.

use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "PARSE-001",
    name: "syntax-error",
    severity: Severity::Error,
    kinds: &[],
    summary: "The file is not valid YAML or JSON.",
    source: "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-formats.html",
};

/// Reported by the loader (see `src/lint.rs`), not by a check.
pub struct Rule;

impl Check for Rule {}
