//! ## What it finds
//! An `AWS::CloudWatch::Alarm` whose `Period` is not 10, 20, 30 or a positive multiple
//! of 60, and metric-math queries (`Metrics[].MetricStat.Period`, `Metrics[].Period`)
//! whose period is not 1, 5, 10, 20, 30 or a positive multiple of 60.
//!
//! ## Why it matters
//! The `PutMetricAlarm` API documents the alarm `Period` as "10, 20, 30, and any
//! multiple of 60"; any other value (`45`, `90`, `0`) is rejected and the stack fails.
//! The catalog's list matches the current documentation for the alarm's own `Period`
//! (older SDK documentation lists only 10 and 30). Inside a metric-math query the
//! `MetricStat.Period` of a high-resolution metric may additionally be 1 or 5 seconds,
//! so those two values are accepted there and only there.
//!
//! Periods given through a parameter are judged by its `Default` and `AllowedValues`;
//! both branches of an `Fn::If` are checked.

use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "CWA-002",
    name: "invalid-period",
    severity: Severity::Error,
    kinds: &[FileKind::Template],
    summary: "An alarm's Period is not 10, 20, 30 or a multiple of 60.",
    source:
        "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html",
};

pub struct Rule;

fn valid_alarm_period(p: i64) -> bool {
    matches!(p, 10 | 20 | 30) || (p > 0 && p % 60 == 0)
}

fn valid_query_period(p: i64) -> bool {
    matches!(p, 1 | 5) || valid_alarm_period(p)
}

impl Check for Rule {
    fn template(&self, template: &Template, report: &mut Report) {
        for alarm in template.resources_of_type("AWS::CloudWatch::Alarm") {
            if let Some(period) = alarm.prop_entry("Period") {
                check(
                    template,
                    report,
                    alarm,
                    &period.value,
                    "Period",
                    valid_alarm_period,
                    "10, 20, 30 or a multiple of 60",
                );
            }
            let Some(metrics) = alarm.prop("Metrics") else {
                continue;
            };
            for query in metrics.iter_seq() {
                for (node, what) in [
                    (query.path(&["MetricStat", "Period"]), "MetricStat.Period"),
                    (query.get("Period"), "Metrics[].Period"),
                ] {
                    if let Some(node) = node {
                        check(
                            template,
                            report,
                            alarm,
                            node,
                            what,
                            valid_query_period,
                            "1, 5, 10, 20, 30 or a multiple of 60",
                        );
                    }
                }
            }
        }
    }
}

fn check<'a>(
    template: &Template<'a>,
    report: &mut Report,
    alarm: &Resource<'a>,
    node: &'a Node,
    what: &str,
    valid: fn(i64) -> bool,
    allowed: &str,
) {
    let Some(values) = template.integers(node) else {
        return;
    };
    let Some((period, cand)) = values.iter().find(|(p, _)| !valid(*p)) else {
        return;
    };
    let finding = report.add_candidate(
        cand,
        node,
        format!(
            "{what} {period} of alarm `{}` is not a valid period",
            alarm.id
        ),
    );
    finding
        .label(format!("{period} s is not {allowed}"))
        .help(format!(
            "use {allowed} seconds (nearest valid: {} s)",
            nearest(*period, valid)
        ));
    finding.also_parameter(cand, format!("the parameter allows {period}"));
}

/// The closest valid period (rounding up on ties).
fn nearest(period: i64, valid: fn(i64) -> bool) -> i64 {
    if period <= 1 {
        return if valid(1) { 1 } else { 10 };
    }
    let mut delta = 0;
    loop {
        if valid(period + delta) {
            return period + delta;
        }
        if period - delta > 0 && valid(period - delta) {
            return period - delta;
        }
        delta += 1;
        if delta > 60 {
            return 60;
        }
    }
}
