//! Fuzzing smoke: a fixed, reproducible mutation run over the fixtures, checking the
//! same invariants as the AFL targets in `tests/fuzz/` (no panic, spans inside the text
//! and on character boundaries, every format rendered, JSON output valid) without
//! needing AFL. Crashers AFL found are kept in `tests/fuzz/regressions/` and replayed
//! here first.

// `check_pipeline` (the AFL entry point) is not used here.
#[allow(dead_code)]
#[path = "../fuzz/src/invariants.rs"]
mod invariants;
#[path = "../fuzz/src/mutate.rs"]
mod mutate;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use invariants::Sarif;
use mutate::{mutate, Rng};

/// Mutated inputs per run: under a minute in a debug build on a loaded 2-core
/// machine.
const MUTATIONS: usize = 4_000;
/// Seeds bigger than this only slow the loop down.
const MAX_SEED: u64 = 16 * 1024;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn files_under(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        if path.is_dir() {
            files_under(&path, files);
        } else {
            files.push(path);
        }
    }
}

/// The fixtures' templates, appspecs, Dockerrun and .ebextensions files, sorted.
fn seeds() -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    files_under(&root().join("fixtures"), &mut files);
    files_under(&root().join("rules"), &mut files);
    files.retain(|path| {
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        matches!(ext, "yaml" | "yml" | "json" | "config")
            && std::fs::metadata(path).is_ok_and(|m| m.len() <= MAX_SEED)
    });
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let bytes = std::fs::read(&path).expect("read seed");
            let relative = path.strip_prefix(root()).unwrap_or(&path).to_path_buf();
            (relative, bytes)
        })
        .collect()
}

/// Runs every check on `data`; on a panic, saves the input and fails naming it.
fn check_all(data: &[u8], name: &Path, what: &str, sarif: Sarif) {
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        invariants::check_yaml(data);
        invariants::check_json(data);
        invariants::check_pipeline_as(name, data, sarif);
    }));
    if let Err(panic) = outcome {
        let message = panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        let saved = root().join("target").join("fuzz-smoke-crash");
        let _ = std::fs::write(&saved, data);
        panic!(
            "{what} (linted as {}) broke an invariant: {message}\ninput saved to {}",
            name.display(),
            saved.display()
        );
    }
}

#[test]
fn inputs_fuzzing_found_stay_fixed() {
    let mut files = Vec::new();
    files_under(&root().join("tests/fuzz/regressions"), &mut files);
    files.sort();
    assert!(!files.is_empty(), "no regression inputs found");
    for file in files {
        let data = std::fs::read(&file).expect("read regression");
        for name in invariants::NAMES {
            check_all(
                &data,
                Path::new(name),
                &file.display().to_string(),
                Sarif::Render,
            );
        }
    }
}

#[test]
fn mutated_fixtures_keep_every_invariant() {
    let seeds = seeds();
    assert!(seeds.len() > 100, "only {} seeds found", seeds.len());
    for (path, bytes) in &seeds {
        check_all(bytes, path, "seed", Sarif::Render);
    }
    let mut rng = Rng::new(0x5eed_f022);
    for round in 0..MUTATIONS {
        let (path, seed) = &seeds[rng.below(seeds.len())];
        let (_, other) = &seeds[rng.below(seeds.len())];
        let data = mutate(&mut rng, seed, other);
        // Mostly the seed's own name (keeps its kind), sometimes another.
        let name = match rng.below(4) {
            0 => Path::new(invariants::NAMES[rng.below(invariants::NAMES.len())]),
            _ => path.as_path(),
        };
        let sarif = if round % 16 == 0 {
            Sarif::Render
        } else {
            Sarif::Skip
        };
        check_all(
            &data,
            name,
            &format!("mutation {round} of {}", path.display()),
            sarif,
        );
    }
}

#[test]
fn a_span_splitting_a_character_breaks_the_invariant() {
    let text = "Key: é";
    let at = text.find('é').unwrap_or(0);
    invariants::check_span(text, stacklint::source::Span::new(at, at + 2), "whole");
    for bad in [
        stacklint::source::Span::new(at, at + 1),
        stacklint::source::Span::new(at + 2, at + 3),
        stacklint::source::Span::new(3, 2),
    ] {
        let outcome = catch_unwind(|| invariants::check_span(text, bad, "bad"));
        assert!(outcome.is_err(), "{bad:?} passed");
    }
}

/// Replays an AFL queue or crash folder through the current invariants, without AFL:
/// `STACKLINT_FUZZ_REPLAY=tests/fuzz/out/pipeline/default/queue cargo test --test
/// fuzz_smoke -- --ignored replay`. Inputs are taken as the pipeline target takes
/// them (first byte picks the file name); the loaders are checked on them too.
#[test]
#[ignore = "needs STACKLINT_FUZZ_REPLAY=<folder of AFL inputs>"]
fn replay_afl_inputs() {
    let dir = std::env::var_os("STACKLINT_FUZZ_REPLAY").expect("STACKLINT_FUZZ_REPLAY");
    let mut files = Vec::new();
    files_under(Path::new(&dir), &mut files);
    files.sort();
    assert!(!files.is_empty(), "no inputs in {dir:?}");
    for file in &files {
        let data = std::fs::read(file).expect("read input");
        let Some((&pick, bytes)) = data.split_first() else {
            continue;
        };
        let name = invariants::NAMES[usize::from(pick) % invariants::NAMES.len()];
        check_all(
            bytes,
            Path::new(name),
            &file.display().to_string(),
            Sarif::Render,
        );
    }
    eprintln!("{} inputs replayed", files.len());
}
