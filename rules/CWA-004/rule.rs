//! ## What it finds
//! An `AWS::CloudWatch::Alarm` whose `Period × EvaluationPeriods` is longer than
//! CloudWatch allows: 7 days (604,800 s) when the period is one hour or longer, and
//! 1 day (86,400 s) when the period is shorter than one hour. For a metric-math alarm
//! without its own `Period`, the period of its queries is used when they all agree.
//!
//! ## Why it matters
//! The `PutMetricAlarm` API reference states that "an alarm's total current evaluation
//! period can be no longer than seven days, so Period multiplied by EvaluationPeriods
//! can't be more than 604,800 seconds. For alarms with a period of less than one hour
//! (3,600 seconds), the total evaluation period can't be longer than one day (86,400
//! seconds)." CloudFormation fails to create or update an alarm beyond that.
//!
//! Older documentation (still copied into some SDK references) gives a flat one-day
//! limit. This rule follows the current documentation, so a `Period: 3600` alarm with
//! `EvaluationPeriods: 48` (two days) is not reported, although a reading of the
//! catalog's "documented maximum" based on the older text would report it.

use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "CWA-004",
    name: "evaluation-range-too-long",
    severity: Severity::Error,
    kinds: &[FileKind::Template],
    summary: "An alarm's Period × EvaluationPeriods is beyond the documented maximum.",
    source:
        "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html",
};

pub struct Rule;

const ONE_DAY: i64 = 86_400;
const SEVEN_DAYS: i64 = 604_800;

fn limit(period: i64) -> i64 {
    if period >= 3600 {
        SEVEN_DAYS
    } else {
        ONE_DAY
    }
}

impl Check for Rule {
    fn template(&self, template: &Template, report: &mut Report) {
        for alarm in template.resources_of_type("AWS::CloudWatch::Alarm") {
            let Some(evaluation) = alarm.prop("EvaluationPeriods") else {
                continue;
            };
            let Some(n_values) = template.integers(evaluation) else {
                continue;
            };
            let period = match alarm.prop("Period") {
                Some(period) => period,
                None => match query_period(template, alarm) {
                    Some(period) => period,
                    None => continue,
                },
            };
            let Some(p_values) = template.integers(period) else {
                continue;
            };
            let too_long = |p: i64, n: i64| p > 0 && n > 0 && p.saturating_mul(n) > limit(p);
            // Several values on both sides: only when every combination is too long.
            let pair = if p_values.len() == 1 || n_values.len() == 1 {
                p_values
                    .iter()
                    .flat_map(|p| n_values.iter().map(move |n| (p, n)))
                    .find(|(p, n)| too_long(p.0, n.0))
            } else if p_values
                .iter()
                .all(|p| n_values.iter().all(|n| too_long(p.0, n.0)))
            {
                p_values.first().zip(n_values.first())
            } else {
                None
            };
            let Some(((p, p_cand), (n, n_cand))) = pair else {
                continue;
            };
            let (p, n) = (*p, *n);
            let max = limit(p);
            let finding = report.add_candidate(
                n_cand,
                evaluation,
                format!(
                    "alarm `{}` evaluates {n} periods of {p} s = {} s, more than the {} maximum ({max} s)",
                    alarm.id,
                    p.saturating_mul(n),
                    if max == SEVEN_DAYS { "7-day" } else { "1-day" },
                ),
            );
            finding
                .label(format!("{n} evaluation periods"))
                .also(p_cand.span_at(period), format!("period of {p} s"))
                .help(if max == ONE_DAY {
                    format!(
                        "lower EvaluationPeriods to at most {}, or use a Period of 3600 s or more (allowed up to 7 days in total)",
                        max / p
                    )
                } else {
                    format!("lower EvaluationPeriods to at most {}", max / p)
                });
            for cand in [p_cand, n_cand] {
                finding.also_parameter(cand, "value from the parameter");
            }
        }
    }
}

/// The period shared by every query of a metric-math alarm, if they all write one and
/// it is the same literal.
fn query_period<'a>(template: &Template<'a>, alarm: &Resource<'a>) -> Option<&'a Node> {
    let mut found: Option<(&'a Node, i64)> = None;
    for query in alarm.prop("Metrics")?.iter_seq() {
        let node = query
            .path(&["MetricStat", "Period"])
            .or_else(|| query.get("Period"));
        let Some(node) = node else {
            if query.get("MetricStat").is_some() {
                return None;
            }
            continue;
        };
        let value = template.integer(node)?;
        match found {
            Some((_, v)) if v != value => return None,
            Some(_) => {}
            None => found = Some((node, value)),
        }
    }
    found.map(|(node, _)| node)
}
