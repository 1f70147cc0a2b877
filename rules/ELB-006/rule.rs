//! ## What it finds
//! An `AWS::ElasticLoadBalancingV2::LoadBalancer` whose load balancer attribute
//! `routing.http.xff_header_processing.mode` is not `append`, `preserve` or `remove`.
//! A value of `remove` gets a separate note (severity info): it is valid, but the
//! targets no longer see the client's address.
//!
//! ## Why it matters
//! The Application Load Balancer guide lists the possible values of this attribute as
//! `append` (the default: the load balancer adds the client address to
//! `X-Forwarded-For`), `preserve` (the header is passed on unchanged) and `remove` (the
//! header is dropped before the request reaches the targets). Any other value —
//! including a different case, since attribute values are lower case — is rejected and
//! the stack fails. With `remove`, applications lose the client IP address they log,
//! rate-limit or geolocate by.
//!
//! A value written in place that is one mode in another case (`Preserve`) or misspelt
//! (`apend`) is fixed to it; another word (`overwrite`) is left to the author.

use crate::prelude::*;
use crate::suggest::sole_close_match;

pub const META: RuleMeta = RuleMeta {
    code: "ELB-006",
    name: "invalid-xff-processing-mode",
    severity: Severity::Error,
    kinds: &[FileKind::Template],
    summary: "The X-Forwarded-For processing mode of a load balancer is not append, preserve or remove.",
    source: "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/x-forwarded-headers.html",
};

pub struct Rule;

const KEY: &str = "routing.http.xff_header_processing.mode";

impl Check for Rule {
    fn template(&self, template: &Template, report: &mut Report) {
        for balancer in template.resources_of_type("AWS::ElasticLoadBalancingV2::LoadBalancer") {
            let Some(attributes) = balancer.prop("LoadBalancerAttributes") else {
                continue;
            };
            for attribute in attributes.iter_seq() {
                if attribute.get("Key").and_then(Node::as_str) != Some(KEY) {
                    continue;
                }
                let Some(value) = attribute.get("Value") else {
                    continue;
                };
                let Some(values) = template.strings(value) else {
                    continue;
                };
                for (mode, candidate) in values {
                    if mode == "append" || mode == "preserve" {
                        continue;
                    }
                    let finding = if mode == "remove" {
                        let finding = report.add_candidate(
                            &candidate,
                            value,
                            format!(
                                "load balancer `{}` removes the X-Forwarded-For header: targets will not see client addresses",
                                balancer.id
                            ),
                        );
                        finding.severity = Severity::Info;
                        finding
                            .label("X-Forwarded-For is dropped")
                            .help("use `append` (the default) unless the targets must not see the client address");
                        finding
                    } else {
                        let finding = report.add_candidate(
                            &candidate,
                            value,
                            format!(
                                "`{KEY}` of load balancer `{}` is `{mode}`; the valid values are append, preserve and remove",
                                balancer.id
                            ),
                        );
                        finding.label("not append, preserve or remove").help(
                            "use `append` (the default), `preserve` or `remove`, in lower case",
                        );
                        // A different case or a misspelling of one mode, written in place.
                        let sole = sole_close_match(mode, ["append", "preserve", "remove"]);
                        if let Some(sole) = sole.filter(|_| candidate.node.span() == value.span()) {
                            finding.fix_scalar(value, sole, format!("set the mode to {sole}"));
                        }
                        finding
                    };
                    finding.also_parameter(&candidate, format!("the parameter allows `{mode}`"));
                }
            }
        }
    }
}
