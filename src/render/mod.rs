//! Turning findings into output. Detection never formats; rendering never decides.

mod github;
mod human;
mod json;
mod junit;
mod sarif;

pub use github::github;
pub use human::{human, HumanOptions};
pub use json::json;
pub use junit::junit;
pub use sarif::sarif;

use crate::lint::FileReport;

/// `file:line:col: severity[CODE] message`, one line per finding: the form editors and
/// grep expect.
pub fn compact(reports: &[FileReport]) -> String {
    let mut out = String::new();
    for report in reports {
        let name = report.source.name();
        for finding in &report.findings {
            let at = report.source.line_col(finding.primary.span.start);
            out.push_str(&format!(
                "{name}:{}:{}: {}[{}] {}\n",
                at.line,
                at.column,
                finding.severity.as_str(),
                finding.code,
                finding.message
            ));
        }
    }
    out
}
