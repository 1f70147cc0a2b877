//! ## What it finds
//! An `AWS::CloudWatch::Alarm` whose `DatapointsToAlarm` is greater than its
//! `EvaluationPeriods`.
//!
//! ## Why it matters
//! `DatapointsToAlarm` is the M and `EvaluationPeriods` the N of an "M out of N" alarm:
//! the alarm goes to `ALARM` when M of the last N datapoints breach. M cannot be larger
//! than N (the `PutMetricAlarm` API rejects it), so the stack fails to create or update
//! the alarm. When `DatapointsToAlarm` is left out it defaults to `EvaluationPeriods`.
//!
//! Values written as strings (`"3"`) are compared as numbers. Values given through a
//! parameter are judged by its `Default` and `AllowedValues`, and both branches of an
//! `Fn::If` are considered; when both values come from parameters with several allowed
//! values, the rule fires only if no combination is valid.

use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "CWA-001",
    name: "datapoints-exceed-evaluation-periods",
    severity: Severity::Error,
    kinds: &[FileKind::Template],
    summary: "An alarm's DatapointsToAlarm is greater than its EvaluationPeriods.",
    source: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-evaluation.html",
};

pub struct Rule;

impl Check for Rule {
    fn template(&self, template: &Template, report: &mut Report) {
        for alarm in template.resources_of_type("AWS::CloudWatch::Alarm") {
            let (Some(datapoints), Some(periods)) = (
                alarm.prop_entry("DatapointsToAlarm"),
                alarm.prop_entry("EvaluationPeriods"),
            ) else {
                continue;
            };
            let (Some(m_values), Some(n_values)) = (
                template.integers(&datapoints.value),
                template.integers(&periods.value),
            ) else {
                continue;
            };
            let Some(((m, m_cand), (n, n_cand))) = violation(&m_values, &n_values) else {
                continue;
            };
            let finding = report.add_candidate(
                &m_cand,
                &datapoints.value,
                format!(
                    "DatapointsToAlarm {m} of alarm `{}` is greater than its EvaluationPeriods {n}",
                    alarm.id
                ),
            );
            finding
                .label(format!("{m} breaching datapoints needed"))
                .also(
                    n_cand.span_at(&periods.value),
                    format!("but only the last {n} periods are evaluated"),
                )
                .help(format!(
                    "set DatapointsToAlarm to at most {n}, or raise EvaluationPeriods to at least {m} (M out of N needs M ≤ N)"
                ));
            for cand in [m_cand, n_cand] {
                finding.also_parameter(&cand, "value from the parameter");
            }
        }
    }
}

type Values<'a> = [(i64, Candidate<'a>)];

/// A (DatapointsToAlarm, EvaluationPeriods) pair that breaks M ≤ N. When both sides can
/// take several values, only if every combination breaks it.
fn violation<'a>(
    m_values: &Values<'a>,
    n_values: &Values<'a>,
) -> Option<((i64, Candidate<'a>), (i64, Candidate<'a>))> {
    let m_max = m_values.iter().max_by_key(|(v, _)| *v)?;
    let m_min = m_values.iter().min_by_key(|(v, _)| *v)?;
    let n_max = n_values.iter().max_by_key(|(v, _)| *v)?;
    let n_min = n_values.iter().min_by_key(|(v, _)| *v)?;
    if m_values.len() == 1 || n_values.len() == 1 {
        (m_max.0 > n_min.0).then_some((*m_max, *n_min))
    } else {
        (m_min.0 > n_max.0).then_some((*m_min, *n_max))
    }
}
