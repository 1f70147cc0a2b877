//! ## What it finds
//! An `AWS::CloudWatch::Alarm` on a metric in an `AWS/` namespace (published by an AWS
//! service) with a sub-minute `Period` (10, 20 or 30 s). Metric-math alarms are checked
//! per query: `Metrics[].MetricStat.Metric.Namespace` with `MetricStat.Period` below 60.
//!
//! ## Why it matters
//! The `PutMetricAlarm` documentation says to "specify 10, 20, or 30 only for metrics
//! that are stored by a PutMetricData call with a StorageResolution of 1". AWS services
//! publish their metrics at one-minute (or coarser) resolution, so a sub-minute period
//! finds most periods empty: the alarm misses datapoints, often lapses into
//! `INSUFFICIENT_DATA`, and is still billed as a high-resolution alarm.
//!
//! Custom namespaces (including `CWAgent`, which can publish high-resolution metrics)
//! are never reported, and neither is a namespace given through an intrinsic that
//! cannot be resolved.

use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "CWA-003",
    name: "high-resolution-period-on-standard-metric",
    severity: Severity::Warning,
    kinds: &[FileKind::Template],
    summary: "A sub-minute Period on an AWS/ namespace metric, which is published at one-minute resolution.",
    source: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html",
};

pub struct Rule;

impl Check for Rule {
    fn template(&self, template: &Template, report: &mut Report) {
        for alarm in template.resources_of_type("AWS::CloudWatch::Alarm") {
            if let (Some(namespace), Some(period)) = (alarm.prop("Namespace"), alarm.prop("Period"))
            {
                check(template, report, alarm, namespace, period);
            }
            for query in alarm.prop_items("Metrics") {
                if let (Some(namespace), Some(period)) = (
                    query.path(&["MetricStat", "Metric", "Namespace"]),
                    query.path(&["MetricStat", "Period"]),
                ) {
                    check(template, report, alarm, namespace, period);
                }
            }
        }
    }
}

fn check<'a>(
    template: &Template<'a>,
    report: &mut Report,
    alarm: &Resource<'a>,
    namespace: &'a Node,
    period: &'a Node,
) {
    let Some(ns) = template.string(namespace) else {
        return;
    };
    if !ns.starts_with("AWS/") {
        return;
    }
    let Some(values) = template.integers(period) else {
        return;
    };
    let Some((p, cand)) = values.iter().find(|(p, _)| (1..60).contains(p)) else {
        return;
    };
    let finding = report.add_candidate(
        cand,
        period,
        format!(
            "alarm `{}` uses a {p}-second period on `{ns}`, which AWS publishes at one-minute resolution",
            alarm.id
        ),
    );
    finding
        .label(format!("{p} s is a high-resolution period"))
        .also(namespace.span(), "an AWS service namespace")
        .help("use a Period of 60 seconds or a multiple of 60; sub-minute periods only suit custom metrics published with StorageResolution 1");
    finding.also_parameter(cand, format!("the parameter allows {p}"));
}
