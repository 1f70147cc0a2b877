//! ## What it finds
//! An `AWS::ElasticLoadBalancingV2::Listener` with `Protocol` `HTTPS` or `TLS` whose
//! `SslPolicy` allows TLS 1.0 or TLS 1.1 — or that has **no** `SslPolicy` at all.
//!
//! ## Why it matters
//! TLS 1.0 and 1.1 are deprecated (RFC 8996) and fail PCI DSS and most compliance
//! baselines. The "Protocols by policy" tables of the Elastic Load Balancing guide show
//! which predefined policies still accept them: `ELBSecurityPolicy-2016-08`,
//! `-2015-05`, `-TLS-1-0-2015-04`, `-FS-2018-06`, `-TLS13-1-0-2021-06` and its FIPS
//! variant allow TLS 1.0 and 1.1; `-TLS-1-1-2017-01`, `-FS-1-1-2019-08`,
//! `-TLS13-1-1-2021-06` and its FIPS variant allow TLS 1.1. Note that a `TLS13` prefix
//! does not mean a TLS 1.3 minimum. The post-quantum `-TLS13-1-0-*PQ*` and
//! `-TLS13-1-1-*PQ*` policies follow the same naming and are treated alike. Policies
//! such as `ELBSecurityPolicy-TLS13-1-2-2021-06` accept TLS 1.2 and later only.
//!
//! The catalog says "`SslPolicy` allows TLS 1.0 or 1.1"; per the documentation, a
//! listener created through CloudFormation or the API **without** `SslPolicy` gets
//! `ELBSecurityPolicy-2016-08`, which allows TLS 1.0 and 1.1 (the console's newer
//! default does not apply), so that case is reported too.
//!
//! Policy names the rule does not know are left alone. Values given through parameters
//! are judged by `Default` and `AllowedValues`; each `Fn::If` branch is judged.
//!
//! No fix is offered: which current policy fits depends on the clients that must still
//! connect.

use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "ELB-005",
    name: "outdated-tls-policy",
    severity: Severity::Warning,
    kinds: &[FileKind::Template],
    summary: "A load balancer listener's TLS policy allows TLS 1.0 or 1.1.",
    source: "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html",
};

pub struct Rule;

/// The default policy of a secure listener created without `SslPolicy`.
const DEFAULT_POLICY: &str = "ELBSecurityPolicy-2016-08";

/// The oldest protocol an outdated policy allows.
fn oldest_protocol(policy: &str) -> Option<&'static str> {
    let name = policy.strip_prefix("ELBSecurityPolicy-")?;
    if matches!(
        name,
        "2016-08" | "2015-05" | "TLS-1-0-2015-04" | "FS-2018-06"
    ) || name.starts_with("TLS13-1-0-")
    {
        return Some("TLS 1.0 and 1.1");
    }
    if matches!(name, "TLS-1-1-2017-01" | "FS-1-1-2019-08") || name.starts_with("TLS13-1-1-") {
        return Some("TLS 1.1");
    }
    None
}

impl Check for Rule {
    fn template(&self, template: &Template, report: &mut Report) {
        for listener in template.resources_of_type("AWS::ElasticLoadBalancingV2::Listener") {
            let Some(protocol) = listener.prop_entry("Protocol") else {
                continue;
            };
            let Some(protocols) = template.strings(&protocol.value) else {
                continue;
            };
            let Some((secure, _)) = protocols
                .iter()
                .find(|(p, _)| p.eq_ignore_ascii_case("HTTPS") || p.eq_ignore_ascii_case("TLS"))
            else {
                continue;
            };
            match listener.prop("SslPolicy") {
                None => {
                    if !listener.properties_are_literal() {
                        continue;
                    }
                    let finding = report.add(
                        protocol.span(),
                        format!(
                            "{secure} listener `{}` has no `SslPolicy`: it gets {DEFAULT_POLICY}, which allows TLS 1.0 and 1.1",
                            listener.id
                        ),
                    );
                    finding.label(format!("defaults to {DEFAULT_POLICY}")).help(
                        "set `SslPolicy: ELBSecurityPolicy-TLS13-1-2-2021-06` (TLS 1.2 and 1.3)",
                    );
                }
                Some(policy) => {
                    let Some(values) = template.strings(policy) else {
                        continue;
                    };
                    let Some((name, oldest, candidate)) = values
                        .iter()
                        .find_map(|(v, c)| oldest_protocol(v).map(|o| (*v, o, *c)))
                    else {
                        continue;
                    };
                    let finding = report.add_candidate(
                        &candidate,
                        policy,
                        format!(
                            "{secure} listener `{}` uses {name}, which allows {oldest}",
                            listener.id
                        ),
                    );
                    finding
                        .label(format!("allows {oldest}"))
                        .help("use `ELBSecurityPolicy-TLS13-1-2-2021-06` (TLS 1.2 and 1.3) or another policy without TLS 1.0/1.1");
                    finding.also_parameter(&candidate, format!("the parameter allows {name}"));
                }
            }
        }
    }
}
