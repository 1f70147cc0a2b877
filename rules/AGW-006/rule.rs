//! ## What it finds
//! API Gateway throttling set above the default account quota of 10,000 requests per
//! second (rate) or 5,000 requests (burst): REST `MethodSettings` and `StageDescription`
//! `ThrottlingRateLimit`/`ThrottlingBurstLimit`, usage plan `Throttle` (plan-wide and per
//! API stage), HTTP API stage `DefaultRouteSettings`/`RouteSettings`, and the same on
//! SAM `AWS::Serverless::Api`/`AWS::Serverless::HttpApi`.
//!
//! ## Why it matters
//! All APIs of an account in a Region share one throttle quota, by default 10,000
//! requests per second with a burst of 5,000 (2,500/1,250 in some newer Regions). A
//! stage or plan limit above the quota never takes effect: the account quota throttles
//! first, so the configured value is misleading. The rate quota can be raised on
//! request, and the Region is not known from the template, so this is informational.

use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "AGW-006",
    name: "throttle-above-account-quota",
    severity: Severity::Info,
    kinds: &[FileKind::Template],
    summary: "API Gateway throttling is set above the default account quota.",
    source: "https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html",
};

pub struct Rule;

const RATE_QUOTA: f64 = 10_000.0;
const BURST_QUOTA: f64 = 5_000.0;

/// `(rate key, burst key)` of each shape.
const METHOD_KEYS: (&str, &str) = ("ThrottlingRateLimit", "ThrottlingBurstLimit");
const PLAN_KEYS: (&str, &str) = ("RateLimit", "BurstLimit");

fn check(template: &Template, report: &mut Report, node: &Node, keys: (&str, &str), owner: &str) {
    for (key, quota, what) in [(keys.0, RATE_QUOTA, "rate"), (keys.1, BURST_QUOTA, "burst")] {
        let Some(value) = node.get(key) else {
            continue;
        };
        let Some(candidates) = template.candidates(value) else {
            continue;
        };
        let Some((number, candidate)) = candidates
            .iter()
            .filter_map(|c| c.node.as_f64().map(|n| (n, c)))
            .find(|(n, _)| *n > quota)
        else {
            continue;
        };
        let finding = report.add_candidate(
            candidate,
            value,
            format!(
                "{key} {number} in {owner} is above the default account {what} quota of {quota}"
            ),
        );
        finding
            .label(format!("the account {what} quota ({quota}) applies first"))
            .help(format!("lower `{key}` to at most {quota}, or request a quota increase and keep this value in step with it"));
        if let Origin::Parameter(param) = candidate.origin {
            finding.also(param, "parameter");
        }
    }
}

impl Check for Rule {
    fn template(&self, template: &Template, report: &mut Report) {
        let mut seen: Vec<Span> = Vec::new();
        let mut once = |node: &Node| {
            let fresh = !seen.contains(&node.span());
            seen.push(node.span());
            fresh
        };
        for stage in
            template.resources_of_types(&["AWS::ApiGateway::Stage", "AWS::Serverless::Api"])
        {
            for item in stage.prop_items("MethodSettings") {
                if once(item) {
                    check(
                        template,
                        report,
                        item,
                        METHOD_KEYS,
                        &format!("stage `{}`", stage.id),
                    );
                }
            }
        }
        for deployment in template.resources_of_type("AWS::ApiGateway::Deployment") {
            let Some(description) = deployment.own_prop("StageDescription") else {
                continue;
            };
            let owner = format!("the StageDescription of `{}`", deployment.id);
            check(template, report, description, METHOD_KEYS, &owner);
            for item in description
                .get("MethodSettings")
                .into_iter()
                .flat_map(Node::iter_seq)
            {
                check(template, report, item, METHOD_KEYS, &owner);
            }
        }
        for plan in template.resources_of_type("AWS::ApiGateway::UsagePlan") {
            let owner = format!("usage plan `{}`", plan.id);
            if let Some(throttle) = plan.own_prop("Throttle") {
                check(template, report, throttle, PLAN_KEYS, &owner);
            }
            for stage in plan.own_prop_items("ApiStages") {
                for entry in stage.get("Throttle").into_iter().flat_map(Node::iter_map) {
                    check(template, report, &entry.value, PLAN_KEYS, &owner);
                }
            }
        }
        for stage in
            template.resources_of_types(&["AWS::ApiGatewayV2::Stage", "AWS::Serverless::HttpApi"])
        {
            let owner = format!("stage `{}`", stage.id);
            if let Some(defaults) = stage.prop("DefaultRouteSettings") {
                if once(defaults) {
                    check(template, report, defaults, METHOD_KEYS, &owner);
                }
            }
            if let Some(routes) = stage.prop("RouteSettings") {
                if once(routes) {
                    for entry in routes.iter_map() {
                        check(template, report, &entry.value, METHOD_KEYS, &owner);
                    }
                }
            }
        }
    }
}
