//! The command line: `stacklint [check] PATHS...`, `stacklint rules`, `stacklint rule CODE`.

use std::io::{BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::config::{ConfigError, Overrides, Resolver, Settings};
use crate::files::{self, Input};
use crate::lint::{self, FileOrigin, FileReport};
use crate::ordered;
use crate::registry::{self, RULES};
use crate::render::{HumanOptions, Part, Renderer, Stream};
use crate::rule::Severity;
use crate::rule_docs;
use crate::{selection, suggest};

/// Exit code: no finding at or above `--fail-on`.
pub const EXIT_CLEAN: u8 = 0;
/// Exit code: at least one finding at or above `--fail-on`.
pub const EXIT_FINDINGS: u8 = 1;
/// Exit code: a usage or I/O error.
pub const EXIT_ERROR: u8 = 2;

#[derive(Parser, Debug)]
#[command(
    name = "stacklint",
    version,
    about = "A fast, span-exact linter for CloudFormation, SAM, CodeDeploy AppSpec and Dockerrun files",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    check: CheckArgs,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Lint files, directories and glob patterns (the default command).
    Check(CheckArgs),
    /// List every rule.
    Rules {
        /// Print the list as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Show a rule's documentation.
    Rule {
        /// The rule's code, e.g. ELB-001.
        code: String,
    },
    /// Run the language server (LSP over standard input and output).
    Lsp,
}

#[derive(Args, Debug, Default)]
struct CheckArgs {
    /// Files, directories (walked recursively, honouring .gitignore) or glob patterns;
    /// `-` reads standard input. Defaults to the current directory.
    paths: Vec<PathBuf>,
    /// Output format: human (diagnostics), compact (one line each), json, sarif (SARIF
    /// 2.1.0), github (Actions annotations), junit (JUnit XML).
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Run only these rules: codes or prefixes, comma-separated (`S3,ELB-005`).
    #[arg(long, value_delimiter = ',')]
    select: Vec<String>,
    /// Skip these rules: codes or prefixes, comma-separated.
    #[arg(long, value_delimiter = ',')]
    ignore: Vec<String>,
    /// Exit with 1 when a finding of at least this severity is reported.
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    fail_on: FailOn,
    /// The file name standard input stands for (kind detection, configuration lookup
    /// and relative paths use it).
    #[arg(long)]
    stdin_filename: Option<PathBuf>,
    /// Use this configuration file for every input instead of the nearest
    /// `.stacklint.yaml` above each file.
    #[arg(long)]
    config: Option<PathBuf>,
    /// Report suppressions (comments, `Metadata`) that suppress nothing (STACKLINT-001).
    #[arg(long)]
    report_unused_suppressions: bool,
    /// Apply the configuration's `exclude` to files named on the command line too.
    #[arg(long)]
    force_exclude: bool,
    /// Treat named files like files found by walking: skip those of no known kind (and
    /// empty ones) silently. For hooks that pass every changed YAML and JSON file.
    #[arg(long)]
    skip_unknown: bool,
    /// Write the report to this file instead of standard output.
    #[arg(long)]
    output_file: Option<PathBuf>,
    /// Run the `info` rules too (off by default unless selected by exact code).
    #[arg(long)]
    select_info: bool,
    /// The regions the templates are deployed to (comma-separated): SCHEMA-001 also
    /// reports resource types not available in one of them. Replaces `regions:`.
    #[arg(long, value_delimiter = ',')]
    regions: Vec<String>,
    /// Print the number of findings per rule (most frequent first) instead of the
    /// findings; `--format json` prints them as JSON.
    #[arg(long)]
    statistics: bool,
    /// Exit with 0 even when findings are reported (usage and I/O errors still exit 2).
    #[arg(long)]
    exit_zero: bool,
    /// Print findings only: no summary line, no "no files to lint", no notes on
    /// skipped files. Errors are still reported.
    #[arg(long, short)]
    quiet: bool,
    /// Colour the human output and error messages: auto (a terminal without
    /// NO_COLOR), always or never.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    /// List the files that would be linted, each with its kind and configuration
    /// file, and lint nothing.
    #[arg(long)]
    show_files: bool,
    /// Apply every fix the rules offer (re-linting until none is left), write the files
    /// in place, and report what remains.
    #[arg(long)]
    fix: bool,
    /// Print the fixes as a unified diff instead of writing them; exit with 1 if there
    /// is any.
    #[arg(long, conflicts_with = "fix")]
    diff: bool,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// Whether to colour a stream that is (or is not) a terminal.
    fn enabled(self, terminal: bool) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => terminal && std::env::var_os("NO_COLOR").is_none(),
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
enum Format {
    #[default]
    Human,
    Compact,
    Json,
    Sarif,
    Github,
    Junit,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
enum FailOn {
    #[default]
    Error,
    Warning,
    Info,
}

impl FailOn {
    fn threshold(self) -> Severity {
        match self {
            FailOn::Error => Severity::Error,
            FailOn::Warning => Severity::Warning,
            FailOn::Info => Severity::Info,
        }
    }
}

/// Runs the command line and returns the process exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Some(Command::Rules { json }) => list_rules(json),
        Some(Command::Rule { code }) => show_rule(&code),
        Some(Command::Check(args)) => check(args),
        Some(Command::Lsp) => crate::lsp::run(),
        None => check(cli.check),
    };
    ExitCode::from(code)
}

/// `--select` and `--ignore` name rules that exist: a typo would otherwise run nothing
/// and pass. Reported like the configuration file's unknown codes, with a suggestion.
fn unknown_rule_patterns(args: &CheckArgs) -> Vec<String> {
    let flags = [("--select", &args.select), ("--ignore", &args.ignore)];
    let mut problems = Vec::new();
    for (flag, patterns) in flags {
        for pattern in patterns.iter() {
            if pattern.trim().is_empty() {
                problems.push(format!("{flag}: an empty rule code (a stray comma?)"));
            } else if !selection::names_a_rule(pattern) {
                problems.push(format!(
                    "{flag}: unknown rule code `{}`: no rule has this code or prefix; {}",
                    pattern.trim(),
                    suggest::suggest_code(pattern)
                ));
            }
        }
    }
    problems
}

/// A path that does not exist but is one typo away from a subcommand (`stacklint
/// rulez`): say so, rather than only "no such file".
fn subcommand_typo(path: &Path) -> Option<&'static str> {
    let word = path.to_str()?;
    if word.contains(['/', '\\', '.', '*', '?', '[']) || path.exists() {
        return None;
    }
    suggest::closest(word, ["check", "rules", "rule", "lsp"])
}

fn check(args: CheckArgs) -> u8 {
    let mut problems = unknown_rule_patterns(&args);
    let fixing = args.fix || args.diff;
    let reads_stdin = args.paths.iter().any(|p| p.as_os_str() == "-");
    if fixing && reads_stdin && args.paths.len() > 1 {
        problems.push(
            "--fix and --diff on standard input (`-`) take no other path: the fixed text or the diff is standard output".into(),
        );
    }
    if args.fix && reads_stdin && args.statistics {
        problems.push("--fix on standard input writes the fixed text to standard output: it takes no --statistics".into());
    }
    if args.diff && !matches!(args.format, Format::Human | Format::Compact) {
        problems.push("--diff prints a diff: it takes no --format other than human".into());
    }
    for region in &args.regions {
        if let Some(help) = crate::schema::unknown_region(region) {
            problems.push(format!("--regions: unknown region `{region}`; {help}"));
        }
    }
    if !problems.is_empty() {
        for problem in &problems {
            warn(&format!("stacklint: {problem}\n"));
        }
        return EXIT_ERROR;
    }
    let mut resolver = Resolver::new(Overrides {
        config_file: args.config.clone(),
        select: (!args.select.is_empty()).then(|| args.select.clone()),
        ignore: (!args.ignore.is_empty()).then(|| args.ignore.clone()),
        report_unused_suppressions: args.report_unused_suppressions,
        include_info: args.select_info,
        regions: (!args.regions.is_empty()).then(|| args.regions.clone()),
    });
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    if paths.iter().filter(|p| p.as_os_str() == "-").count() > 1 {
        warn("stacklint: `-` (standard input) is named more than once; it can be read once\n");
        return EXIT_ERROR;
    }
    let mut io_errors = Vec::new();
    let mut stdin_input = None;
    // Every file's configuration is settled before any linting (a bad configuration
    // stops the run). The files found are kept for linting up to `KEPT_INPUTS`; past
    // that they are walked again, lazily, so a run over a million files never holds
    // their list (the first walk is ~5% of such a run).
    let mut config_errors: Vec<Arc<ConfigError>> = Vec::new();
    let mut kept = Some(Vec::new());
    let output_id = args.output_file.as_deref().and_then(file_identity);
    // The first input that is also the output file.
    let mut clash = None;
    // The arguments that name files, folders or patterns (walked as one, so that a file
    // they reach twice is linted once).
    let mut file_paths = Vec::new();
    for path in &paths {
        if path.as_os_str() == "-" {
            stdin_input = read_stdin(&args, &mut io_errors);
        } else if let Some(command) = subcommand_typo(path) {
            io_errors.push(format!(
                "{}: no such file or directory (did you mean the subcommand `stacklint {command}`?)",
                path.display()
            ));
        } else {
            file_paths.push(path.clone());
        }
    }
    for found in inputs_of(&file_paths, args.skip_unknown) {
        let input = match found {
            Ok(input) => input,
            Err(error) => {
                io_errors.push(error);
                continue;
            }
        };
        match settle(&mut resolver, input, args.force_exclude) {
            Ok(Some((input, settings))) => {
                if clash.is_none() && output_id.is_some() {
                    let same = file_identity(&input.path) == output_id;
                    clash = same.then(|| input.path.clone());
                }
                match &mut kept {
                    Some(list) if list.len() < KEPT_INPUTS => list.push((input, settings)),
                    _ => kept = None,
                }
            }
            Ok(None) => {}
            Err(error) => {
                if !config_errors.iter().any(|e| Arc::ptr_eq(e, &error)) {
                    config_errors.push(error);
                }
            }
        }
    }
    let stdin_input = stdin_input.and_then(|(path, bytes)| match resolver.settings_for(&path) {
        // Standard input counts as a named file: `exclude` skips it only when forced.
        Ok(settings) if args.force_exclude && settings.excludes(&path) => None,
        Ok(settings) => Some((path, bytes, settings)),
        Err(error) => {
            // Reported first, as standard input's settings are resolved first.
            config_errors.retain(|e| !Arc::ptr_eq(e, &error));
            config_errors.insert(0, error);
            None
        }
    });
    if !config_errors.is_empty() {
        let color = args.color.enabled(std::io::stderr().is_terminal());
        for error in &config_errors {
            warn(&error.render(color, terminal_width()));
        }
        return EXIT_ERROR;
    }
    if let (Some(output), Some(output_id)) = (&args.output_file, &output_id) {
        let named = clash
            .iter()
            .map(PathBuf::as_path)
            .chain(stdin_input.as_ref().map(|(path, _, _)| path.as_path()))
            .chain(args.config.as_deref());
        for input in named {
            if file_identity(input).as_ref() == Some(output_id) {
                warn(&format!(
                    "stacklint: --output-file {} is the input {}: refusing to overwrite it\n",
                    output.display(),
                    input.display()
                ));
                return EXIT_ERROR;
            }
        }
    }
    let lintable: Box<dyn Iterator<Item = (Input, Arc<Settings>)> + Send> = match kept {
        Some(list) => Box::new(list.into_iter()),
        // The second walk: what the first one settled (its errors are already recorded).
        None => Box::new(
            inputs_of(&file_paths, args.skip_unknown)
                .filter_map(Result::ok)
                .filter_map(|input| {
                    settle(&mut resolver, input, args.force_exclude)
                        .ok()
                        .flatten()
                }),
        ),
    };
    let renderer = match args.format {
        Format::Human => Renderer::Human(HumanOptions {
            color: args
                .color
                .enabled(args.output_file.is_none() && std::io::stdout().is_terminal()),
            width: terminal_width(),
        }),
        Format::Compact => Renderer::Compact,
        Format::Json => Renderer::Json,
        Format::Sarif => Renderer::Sarif,
        Format::Github => Renderer::Github,
        Format::Junit => Renderer::Junit,
    };
    let threshold = args.fail_on.threshold();
    let mut output = match Output::open(args.output_file.as_deref()) {
        Ok(output) => output,
        Err(error) => {
            io_errors.push(error);
            Output::Discard
        }
    };
    if args.show_files {
        return show_files(lintable, stdin_input.as_ref(), &mut output, io_errors);
    }
    if args.fix {
        if let Some((path, bytes, settings)) = stdin_input {
            return fix_stdin(&args, &renderer, &path, bytes, &settings, output, io_errors);
        }
    }
    // With --statistics the format's own output is not written, only counted.
    let mut sink = std::io::sink();
    let target: &mut dyn Write = if args.statistics {
        &mut sink
    } else {
        &mut output
    };
    let mut stream = Stream::new(&renderer, target);
    if args.quiet || args.diff {
        stream.without_summary();
    }
    let mut failing = false;
    let mut statistics = Statistics::default();
    if let Some((path, bytes, settings)) = stdin_input.as_ref().filter(|_| args.diff) {
        // `--diff -`: the diff of standard input, as for a file.
        let outcome = crate::fix::fix_bytes(path, bytes.clone(), FileOrigin::Named, settings);
        if let Some(reason) = outcome.refused.as_ref().filter(|_| !args.quiet) {
            warn(&format!(
                "stacklint: {}: {reason}\n",
                outcome.report.source.name()
            ));
        }
        let diff = match (&outcome.original, &outcome.fixed) {
            (Some(original), Some(fixed)) => {
                crate::fix::unified_diff(&outcome.report.source.name(), original, fixed)
            }
            _ => String::new(),
        };
        failing |= !diff.is_empty();
        stream.push(Part {
            items: usize::from(!diff.is_empty()),
            text: diff,
            tally: renderer.file(&outcome.report).tally,
        });
    } else if let Some((path, bytes, settings)) = stdin_input {
        let report = lint::lint_bytes(&path, bytes, FileOrigin::Named, &settings);
        failing |= report.findings.iter().any(|f| f.severity >= threshold);
        if args.statistics {
            statistics.count(&report);
            stream.push(Part {
                tally: renderer.file(&report).tally,
                ..Part::default()
            });
        } else {
            stream.push(renderer.file(&report));
        }
    }
    // Each file is linted and rendered on a worker, and only its rendered part is kept:
    // memory is bounded by the largest files in flight, not by the whole run.
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    ordered::for_each_ordered(
        lintable,
        threads,
        threads * 16,
        |(input, settings)| {
            let (report, notes, diff) = if fixing {
                fix_input(&input, &settings, args.diff)?
            } else {
                (lint_input(&input, &settings)?, Vec::new(), String::new())
            };
            let skipped = report.kind.is_none()
                && report.findings.is_empty()
                && input.origin == FileOrigin::Named;
            let fails = if args.diff {
                !diff.is_empty()
            } else {
                report.findings.iter().any(|f| f.severity >= threshold)
            };
            let (part, codes) = if args.diff {
                let part = Part {
                    items: usize::from(!diff.is_empty()),
                    text: diff,
                    tally: renderer.file(&report).tally,
                };
                (part, Vec::new())
            } else if args.statistics {
                let codes: Vec<&'static str> = report.findings.iter().map(|f| f.code()).collect();
                let part = Part {
                    tally: renderer.file(&report).tally,
                    ..Part::default()
                };
                (part, codes)
            } else {
                (renderer.file(&report), Vec::new())
            };
            Ok(Linted {
                part,
                codes,
                skipped: skipped.then(|| input.path.clone()),
                fails,
                notes,
            })
        },
        |result: Result<Linted, String>| match result {
            Ok(Linted {
                part,
                codes,
                skipped,
                fails,
                notes,
            }) => {
                statistics.add(codes);
                for note in notes.iter().filter(|_| !args.quiet) {
                    warn(&format!("stacklint: {note}\n"));
                }
                if let Some(path) = skipped.filter(|_| !args.quiet) {
                    warn(&format!(
                        "stacklint: {}: not a CloudFormation or SAM template, AppSpec, Dockerrun or .ebextensions file; skipped\n",
                        path.display()
                    ));
                }
                failing |= fails;
                stream.push(part);
            }
            Err(error) => io_errors.push(error),
        },
    );
    let tally = stream.tally();
    let written = if args.statistics {
        let _ = stream.finish();
        let text = statistics.render(args.format == Format::Json);
        output
            .write_all(text.as_bytes())
            .and_then(|()| output.flush())
    } else {
        stream.finish().map(drop)
    };
    if let Err(error) = output.commit(written) {
        // Empty for a closed standard output: it ends the run quietly.
        if !error.is_empty() {
            io_errors.push(error);
        }
    }
    for error in &io_errors {
        warn(&format!("stacklint: {error}\n"));
    }
    let nothing = tally.files == 0 && tally.findings() == 0;
    if args.quiet || args.statistics || args.diff {
        // Findings (or their counts) only.
    } else if nothing && io_errors.is_empty() && !args.skip_unknown {
        // Not a failure: a repository may have no template yet. But never silent,
        // except for hooks (`--skip-unknown`), which pass files of every kind.
        warn("stacklint: no files to lint (no CloudFormation or SAM template, AppSpec, Dockerrun or .ebextensions file found)\n");
    } else if args.format == Format::Compact && !nothing {
        // Standard output stays one line per finding, for editors and grep.
        warn(&crate::render::summary(&tally));
    }
    exit_code(!io_errors.is_empty(), failing, args.exit_zero)
}

/// A run's exit code: an I/O error wins, then findings at or over `--fail-on` (unless
/// `--exit-zero`).
fn exit_code(io_failed: bool, failing: bool, exit_zero: bool) -> u8 {
    if io_failed {
        EXIT_ERROR
    } else if failing && !exit_zero {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    }
}

/// One file's outcome, from the worker that linted it.
struct Linted {
    /// The rendered findings (or, with `--diff`, the diff).
    part: Part,
    /// The codes of its findings, for `--statistics`.
    codes: Vec<&'static str>,
    /// A named file of no known kind, skipped.
    skipped: Option<PathBuf>,
    /// Whether it makes the exit code 1.
    fails: bool,
    /// What `--fix` changed or refused, for standard error.
    notes: Vec<String>,
}

/// `--fix` (or, with `dry_run`, `--diff`) on one file: the report of the fixed text,
/// notes on what was changed, and the diff.
fn fix_input(
    input: &Input,
    settings: &Settings,
    dry_run: bool,
) -> Result<(FileReport, Vec<String>, String), String> {
    let bytes =
        read_file(&input.path).map_err(|error| format!("{}: {error}", input.path.display()))?;
    let outcome = crate::fix::fix_bytes(&input.path, bytes, input.origin, settings);
    let name = outcome.report.source.name();
    let mut notes = Vec::new();
    if let Some(reason) = &outcome.refused {
        notes.push(format!("{name}: {reason}"));
    }
    let mut diff = String::new();
    if let (Some(original), Some(fixed)) = (&outcome.original, &outcome.fixed) {
        if dry_run {
            diff = crate::fix::unified_diff(&name, original, fixed);
        } else {
            write_in_place(&input.path, fixed)?;
        }
        notes.push(applied_note(
            &name,
            &outcome.applied,
            if dry_run { "would apply" } else { "applied" },
        ));
    }
    Ok((outcome.report, notes, diff))
}

/// `FILE: applied N fixes: CODE title (line L); ...`, for standard error.
fn applied_note(name: &str, applied: &[crate::fix::Applied], verb: &str) -> String {
    let list: Vec<String> = applied
        .iter()
        .map(|a| format!("{} {} (line {})", a.code, a.title, a.line))
        .collect();
    let count = applied.len();
    format!(
        "{name}: {verb} {count} fix{}: {}",
        if count == 1 { "" } else { "es" },
        list.join("; ")
    )
}

/// `--fix -`: like ruff, the fixed text (the input unchanged when nothing applies or it
/// does not parse) goes to standard output (or `--output-file`), so an editor or a
/// filter can replace its buffer with it; the findings that remain, in the chosen
/// format, and the notes on what was fixed go to standard error. The exit code follows
/// the findings that remain.
fn fix_stdin(
    args: &CheckArgs,
    renderer: &Renderer,
    path: &Path,
    bytes: Vec<u8>,
    settings: &Settings,
    mut output: Output,
    mut io_errors: Vec<String>,
) -> u8 {
    let outcome = crate::fix::fix_bytes(path, bytes.clone(), FileOrigin::Named, settings);
    let fixed = outcome.fixed.as_deref().map_or(&bytes[..], str::as_bytes);
    let written = output.write_all(fixed).and_then(|()| output.flush());
    if let Err(error) = output.commit(written) {
        // Empty for a closed standard output: it ends the run quietly.
        if !error.is_empty() {
            io_errors.push(error);
        }
    }
    let name = outcome.report.source.name();
    if !args.quiet {
        if let Some(reason) = &outcome.refused {
            warn(&format!("stacklint: {name}: {reason}\n"));
        }
        if !outcome.applied.is_empty() {
            warn(&format!(
                "stacklint: {}\n",
                applied_note(&name, &outcome.applied, "applied")
            ));
        }
    }
    let threshold = args.fail_on.threshold();
    let failing = outcome
        .report
        .findings
        .iter()
        .any(|f| f.severity >= threshold);
    let mut stream = Stream::new(renderer, std::io::stderr().lock());
    if args.quiet {
        stream.without_summary();
    }
    stream.push(renderer.file(&outcome.report));
    let _ = stream.finish();
    for error in &io_errors {
        warn(&format!("stacklint: {error}\n"));
    }
    exit_code(!io_errors.is_empty(), failing, args.exit_zero)
}

/// Replaces `path`'s content atomically (a temporary file beside it, renamed over it),
/// keeping its permissions.
fn write_in_place(path: &Path, text: &str) -> Result<(), String> {
    let fail = |error: std::io::Error| format!("{}: not fixed: {error}", path.display());
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
    let temp = path.with_file_name(format!(".{}.stacklint-fix", name.unwrap_or_default()));
    let permissions = std::fs::metadata(path).map_err(fail)?.permissions();
    let written = std::fs::File::create(&temp)
        .and_then(|mut file| {
            file.write_all(text.as_bytes())?;
            file.sync_all()
        })
        .and_then(|()| std::fs::set_permissions(&temp, permissions))
        .and_then(|()| std::fs::rename(&temp, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    written.map_err(fail)
}

/// Findings per rule, for `--statistics`.
#[derive(Default)]
struct Statistics {
    counts: std::collections::BTreeMap<&'static str, usize>,
}

impl Statistics {
    fn count(&mut self, report: &FileReport) {
        self.add(report.findings.iter().map(|f| f.code()).collect());
    }

    fn add(&mut self, codes: Vec<&'static str>) {
        for code in codes {
            *self.counts.entry(code).or_default() += 1;
        }
    }

    /// Most frequent first, then by code: `count  CODE  name  [severity]` lines, or a
    /// JSON array of `{code, name, severity, count}`.
    fn render(&self, json: bool) -> String {
        let mut rows: Vec<(&str, usize)> = self.counts.iter().map(|(c, n)| (*c, *n)).collect();
        rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let describe = |code: &str| {
            registry::find(code).map_or(("", ""), |r| (r.meta.name, r.meta.severity.as_str()))
        };
        if json {
            let rows: Vec<_> = rows
                .iter()
                .map(|(code, count)| {
                    let (name, severity) = describe(code);
                    serde_json::json!({"code": code, "name": name, "severity": severity, "count": count})
                })
                .collect();
            return serde_json::to_string_pretty(&rows).unwrap_or_default() + "\n";
        }
        let width = rows
            .iter()
            .map(|(_, n)| n.to_string().len())
            .max()
            .unwrap_or(1);
        let code_width = rows.iter().map(|(c, _)| c.len()).max().unwrap_or(0);
        rows.iter()
            .map(|(code, count)| {
                let (name, severity) = describe(code);
                format!("{count:>width$}  {code:<code_width$}  {name}  [{severity}]\n")
            })
            .collect()
    }
}

/// `--show-files`: each file that would be linted, its kind and configuration file,
/// tab-separated; files of no known kind are left out, as linting skips them.
fn show_files(
    settled: impl Iterator<Item = (Input, Arc<Settings>)>,
    stdin_input: Option<&(PathBuf, Vec<u8>, Arc<Settings>)>,
    output: &mut Output,
    io_errors: Vec<String>,
) -> u8 {
    let describe = |report: &FileReport, settings: &Settings| {
        report.kind.map(|kind| {
            let config = settings.config_file.as_ref().map_or_else(
                || "(no configuration file)".to_string(),
                |p| p.display().to_string(),
            );
            format!("{}\t{}\t{config}\n", report.source.name(), kind.as_str())
        })
    };
    let mut text = String::new();
    let mut errors = io_errors;
    if let Some((path, bytes, settings)) = stdin_input {
        let report = lint::lint_bytes(path, bytes.clone(), FileOrigin::Named, settings);
        text.extend(describe(&report, settings));
    }
    for (input, settings) in settled {
        match lint_input(&input, &settings) {
            Ok(report) => text.extend(describe(&report, &settings)),
            Err(error) => errors.push(error),
        }
    }
    let written = output
        .write_all(text.as_bytes())
        .and_then(|()| output.flush());
    if let Err(error) = std::mem::replace(output, Output::Discard).commit(written) {
        errors.push(error);
    }
    for error in &errors {
        warn(&format!("stacklint: {error}\n"));
    }
    if errors.is_empty() {
        EXIT_CLEAN
    } else {
        EXIT_ERROR
    }
}

/// How many files a run keeps from its first walk: past this, it walks again.
const KEPT_INPUTS: usize = 4096;

/// The files `paths` name, as found; with `--skip-unknown` (hooks pass files of every
/// kind) each counts as walked, so one of no known kind is skipped quietly.
fn inputs_of(
    paths: &[PathBuf],
    skip_unknown: bool,
) -> impl Iterator<Item = Result<Input, String>> + '_ {
    files::Inputs::new(paths).map(move |found| {
        found.map(|mut input| {
            if skip_unknown {
                input.origin = FileOrigin::Walked;
            }
            input
        })
    })
}

/// `input` with the settings it is linted with; `None` if the configuration excludes
/// it (a walked file, or any with `--force-exclude`).
fn settle(
    resolver: &mut Resolver,
    input: Input,
    force_exclude: bool,
) -> Result<Option<(Input, Arc<Settings>)>, Arc<ConfigError>> {
    let settings = resolver.settings_for(&input.path)?;
    let skip = input.origin == FileOrigin::Walked || force_exclude;
    Ok((!(skip && settings.excludes(&input.path))).then_some((input, settings)))
}

fn lint_input(input: &Input, settings: &Settings) -> Result<FileReport, String> {
    let bytes =
        read_file(&input.path).map_err(|error| format!("{}: {error}", input.path.display()))?;
    Ok(lint::lint_bytes(&input.path, bytes, input.origin, settings))
}

/// Reads a regular file of bounded size; refuses FIFOs and devices, which could block
/// forever.
fn read_file(path: &std::path::Path) -> std::io::Result<Vec<u8>> {
    files::read_bounded(path, files::MAX_INPUT)
}

fn read_stdin(args: &CheckArgs, errors: &mut Vec<String>) -> Option<(PathBuf, Vec<u8>)> {
    let bytes = match files::read_capped(std::io::stdin().lock(), files::MAX_INPUT, 0) {
        Ok(bytes) => bytes,
        Err(files::Capped::TooLarge) => {
            errors.push(format!(
                "standard input: over the {}-byte limit; not read to the end",
                files::MAX_INPUT
            ));
            return None;
        }
        Err(files::Capped::Io(error)) => {
            errors.push(format!("standard input: {error}"));
            return None;
        }
    };
    let path = args
        .stdin_filename
        .clone()
        .unwrap_or_else(|| PathBuf::from("-"));
    Some((path, bytes))
}

/// Where the report goes: standard output, or `--output-file`.
///
/// A regular output file (or none yet) is written to a temporary file of a unique name,
/// created exclusively in the target's folder, and renamed over the target once
/// complete: an interrupted run leaves no partial report behind, and no file that
/// happens to have the temporary's name is ever touched. A symbolic link is followed to
/// its target (the link stays a link); a device or FIFO is written to directly (renaming
/// over it would replace it with a regular file).
enum Output {
    Stdout(BufWriter<std::io::StdoutLock<'static>>),
    File {
        /// The file the report ends up in (symbolic links resolved).
        path: PathBuf,
        temp: PathBuf,
        file: BufWriter<std::fs::File>,
    },
    /// A device or FIFO, written in place.
    Direct {
        path: PathBuf,
        file: BufWriter<std::fs::File>,
    },
    /// The output file could not be created (already reported); lint anyway.
    Discard,
}

impl Output {
    fn open(path: Option<&Path>) -> Result<Output, String> {
        let Some(path) = path else {
            return Ok(Output::Stdout(BufWriter::new(std::io::stdout().lock())));
        };
        let target = resolve_symlinks(path);
        let failed = |error: std::io::Error| format!("{}: {error}", path.display());
        match std::fs::metadata(&target) {
            Ok(metadata) if metadata.is_dir() => {
                return Err(format!("{}: is a directory", path.display()))
            }
            Ok(metadata) if !metadata.is_file() => {
                let file = std::fs::OpenOptions::new()
                    .write(true)
                    .open(&target)
                    .map_err(failed)?;
                return Ok(Output::Direct {
                    path: path.to_path_buf(),
                    file: BufWriter::new(file),
                });
            }
            _ => {}
        }
        let (temp, file) = create_temporary(&target).map_err(failed)?;
        // The report keeps the permissions of the file it replaces.
        if let Ok(metadata) = std::fs::metadata(&target) {
            let _ = file.set_permissions(metadata.permissions());
        }
        Ok(Output::File {
            path: target,
            temp,
            file: BufWriter::new(file),
        })
    }

    /// Puts a completely `written` file report in place, or removes the partial one.
    /// A closed standard output is no error (the reader wanted no more).
    fn commit(self, written: std::io::Result<()>) -> Result<(), String> {
        match self {
            Output::Stdout(_) | Output::Discard => written
                .map_err(|error| write_failure("standard output", &error).unwrap_or_default()),
            Output::Direct { path, file } => written
                .and_then(|()| file.into_inner().map_err(|error| error.into_error()))
                .map(drop)
                .map_err(|error| format!("{}: {error}", path.display())),
            Output::File { path, temp, file } => {
                let result = written
                    .and_then(|()| file.into_inner().map_err(|error| error.into_error()))
                    .and_then(|file| file.sync_all())
                    .and_then(|()| std::fs::rename(&temp, &path));
                result.map_err(|error| {
                    let _ = std::fs::remove_file(&temp);
                    format!("{}: {error}", path.display())
                })
            }
        }
    }
}

/// Follows `path` through symbolic links (also dangling ones, whose target is then
/// created), at most 40 deep as the kernel does.
fn resolve_symlinks(path: &Path) -> PathBuf {
    let mut path = path.to_path_buf();
    for _ in 0..40 {
        let Ok(target) = std::fs::read_link(&path) else {
            break;
        };
        path = match path.parent() {
            Some(parent) if target.is_relative() => parent.join(target),
            _ => target,
        };
    }
    path
}

/// Creates a new, empty file of a unique name beside `target` (exclusive create: an
/// existing file of that name is never opened, let alone truncated).
fn create_temporary(target: &Path) -> std::io::Result<(PathBuf, std::fs::File)> {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let folder = match target.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let name = target
        .file_name()
        .map_or_else(|| "report".into(), |n| n.to_string_lossy().into_owned());
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let mut last = std::io::Error::other("no unique name found");
    for _ in 0..100 {
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let temp = folder.join(format!(
            ".{name}.{}-{nanos:x}-{n}.stacklint-tmp",
            std::process::id()
        ));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)
        {
            Ok(file) => return Ok((temp, file)),
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => last = error,
            Err(error) => return Err(error),
        }
    }
    Err(last)
}

/// The identity of the file a path names (symbolic links followed), to recognise one
/// file under two names.
#[cfg(unix)]
fn file_identity(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn file_identity(path: &Path) -> Option<PathBuf> {
    std::fs::canonicalize(path).ok()
}

impl Write for Output {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        match self {
            Output::Stdout(stdout) => stdout.write(bytes),
            Output::File { file, .. } | Output::Direct { file, .. } => file.write(bytes),
            Output::Discard => Ok(bytes.len()),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Output::Stdout(stdout) => stdout.flush(),
            Output::File { file, .. } | Output::Direct { file, .. } => file.flush(),
            Output::Discard => Ok(()),
        }
    }
}

/// Writes to standard error, which may itself be closed or full: then there is no one
/// left to tell, and the exit code says what happened.
fn warn(text: &str) {
    let mut stderr = std::io::stderr().lock();
    let _ = stderr
        .write_all(text.as_bytes())
        .and_then(|()| stderr.flush());
}

/// Writes `text` to standard output and returns `code`, or [`EXIT_ERROR`] (the error
/// on standard error) when the write fails for any reason but a closed pipe: `stacklint
/// rules | head -1` ends quietly, as other command-line tools do.
fn print_out(text: &str, code: u8) -> u8 {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => code,
        Err(error) => match write_failure("standard output", &error) {
            Some(message) => {
                warn(&format!("stacklint: {message}\n"));
                EXIT_ERROR
            }
            None => code,
        },
    }
}

/// How a failed write of the report is told: `None` for a closed pipe (the reader
/// wanted no more), a message for anything else (a full disk, `/dev/full`).
fn write_failure(target: &str, error: &std::io::Error) -> Option<String> {
    (error.kind() != std::io::ErrorKind::BrokenPipe)
        .then(|| format!("{target}: the report could not be written: {error}"))
}

fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(100)
}

fn list_rules(json: bool) -> u8 {
    if json {
        let rules: Vec<_> = RULES
            .iter()
            .map(|r| {
                serde_json::json!({
                    "code": r.meta.code,
                    "name": r.meta.name,
                    "severity": r.meta.severity.as_str(),
                    "enabled_by_default": r.meta.severity != Severity::Info,
                    "fix": r.has_fix,
                    "kinds": r.meta.kinds.iter().map(|k| k.as_str()).collect::<Vec<_>>(),
                    "summary": r.meta.summary,
                    "source": r.meta.source,
                    "options": r.check.options().iter().map(option_json).collect::<Vec<_>>(),
                })
            })
            .collect();
        let text = serde_json::to_string_pretty(&rules).unwrap_or_default();
        return print_out(&format!("{text}\n"), EXIT_CLEAN);
    }
    let mut out = String::new();
    for rule in RULES {
        out.push_str(&format!(
            "{:<14} {:<8} {:<42} {}\n",
            rule.meta.code,
            rule.meta.severity.as_str(),
            rule.meta.name,
            rule.meta.summary
        ));
    }
    out.push_str(rule_docs::INFO_NOTE);
    out.push('\n');
    print_out(&out, EXIT_CLEAN)
}

/// A rule option as `stacklint rules --json` lists it.
fn option_json(option: &crate::rule::RuleOption) -> serde_json::Value {
    use crate::rule::{OptionKind, OptionValue};
    let default = match &option.default {
        OptionValue::Integer(v) => serde_json::json!(v),
        OptionValue::Boolean(v) => serde_json::json!(v),
        OptionValue::Date(_) => serde_json::json!(option.default.show()),
    };
    let mut value = serde_json::json!({
        "name": option.name,
        "type": match option.kind {
            OptionKind::Integer { .. } => "integer",
            OptionKind::Boolean => "boolean",
            OptionKind::Date => "date",
        },
        "default": default,
        "doc": option.doc,
    });
    if let (OptionKind::Integer { min, max }, Some(map)) = (option.kind, value.as_object_mut()) {
        map.insert("min".into(), min.into());
        map.insert("max".into(), max.into());
    }
    value
}

fn show_rule(code: &str) -> u8 {
    match registry::find(code) {
        Some(rule) => print_out(&rule_docs::page(rule), EXIT_CLEAN),
        None => {
            warn(&format!(
                "stacklint: no rule with code `{code}`; `stacklint rules` lists them\n"
            ));
            EXIT_ERROR
        }
    }
}
