//! Findings as LSP diagnostics.

use lsp_types::{
    CodeDescription, Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location,
    NumberOrString, Uri,
};

use crate::config::ConfigError;
use crate::lint::FileReport;
use crate::rule::{Finding, Severity};

use super::text;

/// Every finding of a report as a diagnostic of the document `uri`.
pub fn diagnostics(uri: &Uri, report: &FileReport) -> Vec<Diagnostic> {
    report
        .findings
        .iter()
        .map(|finding| diagnostic(uri, report, finding))
        .collect()
}

/// One finding: the primary label is the range, the secondary labels are related
/// information, the rule's source page is the code's link.
pub fn diagnostic(uri: &Uri, report: &FileReport, finding: &Finding) -> Diagnostic {
    let source = &report.source;
    let mut message = finding.message.clone();
    if let Some(help) = &finding.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let related: Vec<DiagnosticRelatedInformation> = finding
        .secondary
        .iter()
        .map(|label| DiagnosticRelatedInformation {
            location: Location::new(uri.clone(), text::range(source, label.span)),
            message: label.text.clone().unwrap_or_default(),
        })
        .collect();
    Diagnostic {
        range: text::range(source, finding.primary.span),
        severity: Some(severity(finding.severity)),
        code: Some(NumberOrString::String(finding.code().to_string())),
        code_description: finding
            .meta
            .source
            .parse()
            .ok()
            .map(|href| CodeDescription { href }),
        source: Some("stacklint".into()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: None,
    }
}

/// The problems of a configuration file that cannot be used, on that file.
pub fn config_diagnostics(error: &ConfigError) -> Vec<Diagnostic> {
    let problems = error.problems().iter().map(|problem| {
        let mut message = problem.message.clone();
        if let Some(help) = &problem.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        (text::range(error.source(), problem.span), message)
    });
    let io_error = match error {
        ConfigError::Unreadable { reason, .. } => Some((
            lsp_types::Range::default(),
            format!("cannot read: {reason}"),
        )),
        ConfigError::Invalid { .. } => None,
    };
    problems
        .chain(io_error)
        .map(|(range, message)| Diagnostic {
            range,
            severity: Some(DiagnosticSeverity::ERROR),
            source: Some("stacklint".into()),
            message: format!("{message}\n(the configuration is not used until this is fixed)"),
            ..Diagnostic::default()
        })
        .collect()
}

fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    }
}
