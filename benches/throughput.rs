//! In-process throughput (issue 7, (a) and (d)): the bare `saphyr-parser` event loop,
//! loading into the document model, and a full lint, over a generated 4,000-resource
//! template; a full lint of a generated template of 500 resources and 100 conditions
//! (issue 14); plus a full lint of a typical 50 KB template and of the whole corpus.
//!
//! `cargo bench --bench throughput` measures; under `cargo test --all-targets` every
//! benchmark runs once on small inputs (see `support::full_size`).

mod support;

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{criterion_group, BatchSize, Criterion, Throughput};
use saphyr_parser::Parser;
use stacklint::config::Settings;
use stacklint::document::load_yaml;
use stacklint::lint::{lint_bytes, FileOrigin};
use stacklint::selection::Selection;

/// Pulls every event out of the parser and drops it: the floor for any YAML loader
/// built on `saphyr-parser`.
fn saphyr_events(text: &str) -> usize {
    let mut parser = Parser::new_from_str(text);
    let mut events = 0;
    while let Some(Ok(event)) = parser.next_event() {
        black_box(&event);
        events += 1;
    }
    events
}

fn lint(path: &Path, bytes: Vec<u8>) -> usize {
    lint_bytes(path, bytes, FileOrigin::Named, &Settings::default())
        .findings
        .len()
}

fn generated(c: &mut Criterion) {
    let resources = if support::full_size() { 4_000 } else { 60 };
    let text = support::generated_template(resources);
    let path = Path::new("generated.yaml");
    let mut group = c.benchmark_group(format!("generated-{resources}-resources"));
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.sample_size(20);
    group.measurement_time(Duration::from_secs(8));
    group.bench_function("saphyr-events", |b| b.iter(|| saphyr_events(&text)));
    group.bench_function("load-yaml", |b| b.iter(|| load_yaml(black_box(&text))));
    group.bench_function("lint", |b| {
        b.iter_batched(
            || text.clone().into_bytes(),
            |bytes| lint(path, bytes),
            BatchSize::LargeInput,
        )
    });
    group.finish();
}

/// 500 resources and 100 conditions (issue 14): linters that enumerate condition
/// scenarios take minutes on such templates; stacklint reasons per `Fn::If` branch.
fn conditions(c: &mut Criterion) {
    let (resources, conditions) = if support::full_size() {
        (500, 100)
    } else {
        (20, 12)
    };
    let text = support::conditions_template(resources, conditions);
    let path = Path::new("conditions.yaml");
    let mut group = c.benchmark_group(format!(
        "conditions-{resources}-resources-{conditions}-conditions"
    ));
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.sample_size(20);
    group.bench_function("lint", |b| {
        b.iter_batched(
            || text.clone().into_bytes(),
            |bytes| lint(path, bytes),
            BatchSize::LargeInput,
        )
    });
    group.finish();
}

fn typical(c: &mut Criterion) {
    let Some(bytes) = support::corpus_file(support::TYPICAL_TEMPLATE) else {
        return;
    };
    let path = Path::new(support::TYPICAL_TEMPLATE);
    let mut group = c.benchmark_group("typical-50kb");
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.bench_function("lint", |b| {
        b.iter_batched(
            || bytes.clone(),
            |bytes| lint(path, bytes),
            BatchSize::SmallInput,
        )
    });
    // The resource-schema rules alone, and loading with no rule at all: the difference
    // is what the schema checks cost (budget: 1 ms for a 50 KB template).
    for (name, select) in [
        ("schema-rules-only", "SCHEMA"),
        ("no-rules", "NO-SUCH-RULE"),
    ] {
        let settings = Settings {
            selection: Selection {
                select: vec![select.to_string()],
                ignore: Vec::new(),
            },
            ..Settings::default()
        };
        group.bench_function(name, |b| {
            b.iter_batched(
                || bytes.clone(),
                |bytes| {
                    lint_bytes(path, bytes, FileOrigin::Named, &settings)
                        .findings
                        .len()
                },
                BatchSize::SmallInput,
            )
        });
    }
    group.finish();
}

/// Every corpus file, one after the other on one thread (the CLI spreads files over
/// all cores; this is the per-core figure).
fn corpus(c: &mut Criterion) {
    let mut files = support::corpus_files();
    if !support::full_size() {
        files.truncate(20);
    }
    let inputs: Vec<(std::path::PathBuf, Vec<u8>)> = files
        .into_iter()
        .filter_map(|path| Some((std::fs::read(&path).ok()?, path)))
        .map(|(bytes, path)| (path, bytes))
        .collect();
    if inputs.is_empty() {
        return;
    }
    let total: usize = inputs.iter().map(|(_, bytes)| bytes.len()).sum();
    let mut group = c.benchmark_group("corpus");
    group.throughput(Throughput::Bytes(total as u64));
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));
    group.bench_function("lint-one-thread", |b| {
        b.iter_batched(
            || inputs.clone(),
            |inputs| {
                inputs
                    .into_iter()
                    .map(|(path, bytes)| lint(&path, bytes))
                    .sum::<usize>()
            },
            BatchSize::LargeInput,
        )
    });
    group.finish();
}

criterion_group!(benches, generated, conditions, typical, corpus);

/// Instead of benchmarking: `STACKLINT_WRITE_CONDITIONS_TEMPLATE=path` writes the
/// 500-resource, 100-condition template there; `STACKLINT_WRITE_TEMPLATE=path` writes
/// the generated 4,000-resource template there (benches/compare.sh times whole processes on it;
/// `STACKLINT_TEMPLATE_RESOURCES=n` changes the count: 16,000 give ~20 MB, 80,000 ~100 MB);
/// `STACKLINT_RUN_ONCE=saphyr-events|load-yaml|lint` runs one step once over it, for
/// `valgrind --tool=callgrind`, whose instruction counts are repeatable where wall
/// time on a shared machine is not.
fn main() {
    if let Some(path) = std::env::var_os("STACKLINT_WRITE_CONDITIONS_TEMPLATE") {
        if let Err(error) = std::fs::write(&path, support::conditions_template(500, 100)) {
            eprintln!("{}: {error}", Path::new(&path).display());
            std::process::exit(2);
        }
        return;
    }
    if let Some(path) = std::env::var_os("STACKLINT_WRITE_TEMPLATE") {
        let resources = std::env::var("STACKLINT_TEMPLATE_RESOURCES")
            .ok()
            .and_then(|count| count.parse().ok())
            .unwrap_or(4_000);
        if let Err(error) = std::fs::write(&path, support::generated_template(resources)) {
            eprintln!("{}: {error}", Path::new(&path).display());
            std::process::exit(2);
        }
        return;
    }
    if let Ok(step) = std::env::var("STACKLINT_RUN_ONCE") {
        let text = support::generated_template(4_000);
        let result = match step.as_str() {
            "saphyr-events" => saphyr_events(&text),
            "load-yaml" => usize::from(load_yaml(&text).root.is_some()),
            "lint" => lint(Path::new("generated.yaml"), text.into_bytes()),
            _ => {
                eprintln!("STACKLINT_RUN_ONCE: saphyr-events, load-yaml or lint");
                std::process::exit(2);
            }
        };
        println!("{step}: {result}");
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
