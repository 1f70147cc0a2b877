//! ## What it finds
//! An `AWS::CloudWatch::Alarm` that goes to `ALARM` on one breaching datapoint:
//! `EvaluationPeriods: 1` (with `DatapointsToAlarm` absent or 1), or
//! `DatapointsToAlarm: 1` out of several evaluation periods.
//!
//! ## Why it matters
//! CloudWatch changes an alarm's state when `DatapointsToAlarm` (M) of the last
//! `EvaluationPeriods` (N) datapoints breach. With M = 1 a single spike (one slow
//! request, one retried error) pages someone; an "M out of N" alarm such as 3 out of 5
//! tolerates isolated blips while still catching sustained problems.
//!
//! This is information, not an error: some alarms are meant to fire on any
//! occurrence. To keep the noise down the rule does not report alarms whose threshold
//! already means "any occurrence" (`> 0`, `>= 1`, `<= 0`, `< 1`, typical for dead-letter
//! queues and heartbeat checks), alarms whose period is an hour or longer (billing and
//! daily metrics, where one datapoint already aggregates a long window), anomaly
//! detection alarms (`ThresholdMetricId`), and alarms whose values cannot be resolved.

use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "CWA-005",
    name: "single-datapoint-alarm",
    severity: Severity::Info,
    kinds: &[FileKind::Template],
    summary: "An alarm fires on one breaching datapoint; M of N avoids false alarms on intermittent errors.",
    source: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-evaluation.html",
};

pub struct Rule;

impl Check for Rule {
    fn template(&self, template: &Template, report: &mut Report) {
        for alarm in template.resources_of_type("AWS::CloudWatch::Alarm") {
            if !alarm.properties_are_literal()
                || alarm.prop("ThresholdMetricId").is_some()
                || any_occurrence(template, alarm)
                || long_period(template, alarm)
            {
                continue;
            }
            let Some(periods) = alarm.prop_entry("EvaluationPeriods") else {
                continue;
            };
            let Some(n) = template.integer(&periods.value) else {
                continue;
            };
            let datapoints = alarm.prop_entry("DatapointsToAlarm");
            let m = match datapoints {
                None => n,
                Some(entry) => {
                    let Some(m) = template.integer(&entry.value) else {
                        continue;
                    };
                    if template.may_be_absent(&entry.value) && n != m {
                        continue;
                    }
                    m
                }
            };
            if m != 1 || n < 1 {
                continue;
            }
            let (span, label) = match datapoints {
                Some(entry) if n > 1 => (entry.span(), format!("1 out of {n}")),
                _ => (periods.span(), "a single evaluation period".to_string()),
            };
            let suggestion = if n >= 3 {
                format!("DatapointsToAlarm: {} (out of {n})", ((n + 1) / 2).max(2))
            } else {
                "EvaluationPeriods: 5 and DatapointsToAlarm: 3".to_string()
            };
            report
                .add(
                    span,
                    format!(
                        "alarm `{}` goes to ALARM on one breaching datapoint (1 out of {n})",
                        alarm.id
                    ),
                )
                .label(label)
                .help(format!(
                    "if isolated spikes should not alarm, use M out of N, e.g. {suggestion}"
                ));
        }
    }
}

/// The threshold already means "any occurrence" (`> 0`, `>= 1`, `< 1`, `<= 0`).
fn any_occurrence(template: &Template, alarm: &Resource) -> bool {
    let (Some(operator), Some(threshold)) =
        (alarm.prop("ComparisonOperator"), alarm.prop("Threshold"))
    else {
        return false;
    };
    let (Some(operator), Some(threshold)) = (
        template.string(operator),
        template
            .candidates(threshold)
            .and_then(|c| c.first().and_then(|c| c.node.as_f64())),
    ) else {
        return false;
    };
    match operator {
        "GreaterThanThreshold" => threshold <= 0.0,
        "GreaterThanOrEqualToThreshold" => threshold <= 1.0,
        "LessThanThreshold" => threshold <= 1.0,
        "LessThanOrEqualToThreshold" => threshold <= 0.0,
        _ => false,
    }
}

/// The alarm's period (or any query's) is an hour or more.
fn long_period(template: &Template, alarm: &Resource) -> bool {
    let at_least_hour = |node: &Node| {
        template
            .integers(node)
            .is_some_and(|v| v.iter().any(|(p, _)| *p >= 3600))
    };
    alarm.prop("Period").is_some_and(&at_least_hour)
        || alarm
            .prop_items("Metrics")
            .filter_map(|q| {
                q.path(&["MetricStat", "Period"])
                    .or_else(|| q.get("Period"))
            })
            .any(at_least_hour)
}
