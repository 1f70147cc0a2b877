//! ## What it finds
//! An `AWS::ApiGateway::Method` whose `Integration` is a non-proxy Lambda integration
//! (`Type: AWS` with a Lambda invocation `Uri`, `...:lambda:path/.../invocations`) and
//! has no `IntegrationResponses`.
//!
//! ## Why it matters
//! With a non-proxy (custom) integration, API Gateway maps the backend's output to the
//! client only through integration responses: AWS states that at least one must be set
//! up and made the default. Without one the client does not get the function's result
//! as intended. A Lambda proxy integration (`Type: AWS_PROXY`) passes the function's
//! `statusCode`, `headers` and `body` through and needs no mapping, which is usually
//! what a Lambda-backed method wants. Other AWS service integrations (SQS, DynamoDB,
//! Step Functions) are not checked.

use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "AGW-004",
    name: "lambda-integration-without-responses",
    severity: Severity::Warning,
    kinds: &[FileKind::Template],
    summary: "A non-proxy Lambda integration has no integration responses.",
    source: "https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-integration-settings-integration-response.html",
};

pub struct Rule;

/// Whether any literal text inside the `Uri` (a string, `Fn::Sub` or `Fn::Join`) is a
/// Lambda invocation path.
fn is_lambda_uri(uri: &Node) -> bool {
    let mut found = false;
    uri.walk(|node| {
        if node.as_str().is_some_and(|t| t.contains(":lambda:path/")) {
            found = true;
        }
    });
    found
}

impl Check for Rule {
    fn template(&self, template: &Template, report: &mut Report) {
        for method in template.resources_of_type("AWS::ApiGateway::Method") {
            let Some(integration) = method.own_prop("Integration") else {
                continue;
            };
            if integration.intrinsic().is_some()
                || integration.get("IntegrationResponses").is_some()
            {
                continue;
            }
            let Some(type_entry) = integration.entry("Type") else {
                continue;
            };
            if template.string(&type_entry.value) != Some("AWS") {
                continue;
            }
            let Some(uri) = integration.get("Uri") else {
                continue;
            };
            if !is_lambda_uri(uri) {
                continue;
            }
            let finding = report.add(
                type_entry.span(),
                format!(
                    "method `{}` has a non-proxy Lambda integration without `IntegrationResponses`",
                    method.id
                ),
            );
            finding
                .label("custom Lambda integration with no response mapping")
                .also(uri.span(), "Lambda function invocation")
                .help("use `Type: AWS_PROXY`, or add `IntegrationResponses` (with a default response) and matching `MethodResponses`");
        }
    }
}
