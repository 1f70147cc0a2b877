//! ## What it finds
//! In an EC2/on-premises AppSpec file, a hook script whose `timeout` is over 3600
//! seconds, or the scripts of one lifecycle event whose explicit timeouts add up to more
//! than 3600 seconds.
//!
//! ## Why it matters
//! "3600 seconds (1 hour) is the maximum amount of time allowed for script execution for
//! each deployment lifecycle event", and the documentation asks that "the total number
//! of seconds specified in timeout for all scripts in each deployment lifecycle event
//! does not exceed this limit". A longer timeout does not buy more time: the event
//! fails after an hour, usually in the middle of a long migration. Scripts without a
//! `timeout` (default 3600) are not added up, so several scripts without timeouts are
//! never reported. Timeouts written as strings (`"300"`) are read as numbers.
//!
//! It also reports a `timeout` that is not a positive whole number of seconds. The
//! agent converts the value with Ruby's `to_i` and rejects the deployment ("an invalid
//! timeout value was provided") when the result is 0 or less: `timeout: foo`, `0`,
//! `-5`. A value with trailing text is silently cut to its leading digits (`5m` is 5
//! seconds, not 5 minutes), a fraction is truncated (`30.5` is 30), and `true`, lists
//! and mappings have no `to_i` and fail the agent. Placeholders (`$`, `{`, `<`) are
//! left alone. This finding extends the catalog's description of the rule.

use crate::document::ScalarStyle;
use crate::model::appspec::is_placeholder;
use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "APPSPEC-004",
    name: "hook-timeout",
    severity: Severity::Error,
    kinds: &[FileKind::Appspec],
    summary: "A hook script timeout is not a positive number of seconds, or it (or the sum for one event) exceeds 3600 seconds.",
    source: "https://docs.aws.amazon.com/codedeploy/latest/userguide/reference-appspec-file-structure-hooks.html",
};

const LIMIT: f64 = 3600.0;

pub struct Rule;

impl Check for Rule {
    fn appspec(&self, appspec: &Appspec, report: &mut Report) {
        if appspec.platform != Platform::Server {
            return;
        }
        for hook in appspec.hooks() {
            for timeout in hook
                .value
                .iter_seq()
                .filter_map(|script| script.get("timeout"))
            {
                check_value(timeout, report);
            }
            let timeouts: Vec<(&Node, f64)> = hook
                .value
                .iter_seq()
                .filter_map(|script| script.get("timeout"))
                .filter_map(|t| t.as_f64().map(|v| (t, v)))
                .collect();
            let mut single = false;
            for (node, value) in &timeouts {
                if *value > LIMIT {
                    single = true;
                    report
                        .add(
                            node.span(),
                            format!(
                                "`{}` script timeout {} s exceeds the 3600 s limit",
                                hook.key.text,
                                show(*value)
                            ),
                        )
                        .label("over 3600 s")
                        .help("a lifecycle event may run for at most 3600 s; split the work or make it faster");
                }
            }
            let total: f64 = timeouts.iter().map(|(_, v)| v).sum();
            if single || timeouts.len() < 2 || total <= LIMIT {
                continue;
            }
            let finding = report.add(
                hook.key.span,
                format!(
                    "the timeouts of the `{}` scripts add up to {} s, over the 3600 s limit per lifecycle event",
                    hook.key.text,
                    show(total)
                ),
            );
            finding
                .label(format!("{} s in total", show(total)))
                .help("lower the timeouts so that together they stay within 3600 s");
            for (node, value) in &timeouts {
                finding.also(node.span(), format!("{} s", show(*value)));
            }
        }
    }
}

fn show(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        format!("{value}")
    }
}

/// Reports a `timeout` the agent rejects or misreads (see the rule's documentation).
fn check_value(node: &Node, report: &mut Report) {
    if node.is_null() {
        return;
    }
    let Some(text) = node.as_scalar().map(str::trim) else {
        report
            .add(node.span(), "script `timeout` is not a number of seconds")
            .label("not a number")
            .help("write the timeout in whole seconds, such as `300`");
        return;
    };
    if is_placeholder(text) {
        return;
    }
    let plain = node.scalar_style() == Some(ScalarStyle::Plain);
    if plain && (text.starts_with("0x") || text.starts_with("0o")) {
        return; // a YAML integer in another base
    }
    let plain_bool =
        plain && matches!(text, "true" | "false" | "True" | "False" | "TRUE" | "FALSE");
    let read = ruby_to_i(text);
    let (message, label) = if plain_bool {
        (
            format!("script `timeout` is `{text}`, not a number of seconds"),
            "not a number".to_string(),
        )
    } else if read <= 0 {
        (
            format!("script `timeout` `{text}` is read as {read} s; the agent rejects timeouts that are not positive"),
            "not a positive number of seconds".to_string(),
        )
    } else if text.replace('_', "").parse::<f64>().ok() != Some(read as f64) {
        (
            format!("script `timeout` `{text}` is read as {read} s: the agent keeps only the leading digits"),
            format!("read as {read} s"),
        )
    } else {
        return;
    };
    report
        .add(node.span(), message)
        .label(label)
        .help("write the timeout in whole seconds, such as `300` (at most 3600)");
}

/// What Ruby's `String#to_i` makes of a value: leading blanks and a sign, then the
/// leading digits (underscores between them allowed); 0 when there are none.
fn ruby_to_i(text: &str) -> i64 {
    let text = text.trim_start();
    let (negative, rest) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let mut value: i64 = 0;
    let mut previous_digit = false;
    for c in rest.chars() {
        match c {
            '0'..='9' => {
                value = value
                    .saturating_mul(10)
                    .saturating_add(i64::from(c as u8 - b'0'));
                previous_digit = true;
            }
            '_' if previous_digit => previous_digit = false,
            _ => break,
        }
    }
    if negative {
        -value
    } else {
        value
    }
}

#[cfg(test)]
mod tests {
    use super::ruby_to_i;

    #[test]
    fn reads_like_ruby_to_i() {
        assert_eq!(ruby_to_i("300"), 300);
        assert_eq!(ruby_to_i(" 5m"), 5);
        assert_eq!(ruby_to_i("1_000"), 1000);
        assert_eq!(ruby_to_i("30.5"), 30);
        assert_eq!(ruby_to_i("-5"), -5);
        assert_eq!(ruby_to_i("timeout-in-seconds"), 0);
    }
}
