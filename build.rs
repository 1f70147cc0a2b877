//! Builds the rule registry from the folders under `rules/`: every `rules/<CODE>/rule.rs`
//! becomes a module, its leading `//!` comment its documentation. Nothing lists rules
//! by hand.

use std::fmt::Write as _;
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::{env, fs};

#[path = "src/schema/compile.rs"]
mod compile;
#[path = "src/schema/layout.rs"]
#[allow(dead_code)]
mod layout;
#[path = "src/schema/translate.rs"]
mod translate;

/// Writes `OUT_DIR/schema.bin` from `src/schema/data/`, unless a stamp of the data
/// files' names, sizes and modification times and of the compiler's source says the
/// blob is current (build.rs also reruns for every edit under `rules/`).
fn schema(manifest_dir: &Path, out_dir: &Path) {
    let data = manifest_dir.join("src/schema/data");
    println!("cargo:rerun-if-changed=src/schema/data");
    for file in ["compile.rs", "layout.rs", "translate.rs"] {
        println!("cargo:rerun-if-changed=src/schema/{file}");
    }
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    for source in [
        include_str!("src/schema/compile.rs"),
        include_str!("src/schema/layout.rs"),
        include_str!("src/schema/translate.rs"),
    ] {
        source.hash(&mut hasher);
    }
    let mut entries: Vec<_> = fs::read_dir(&data)
        .expect("src/schema/data is readable")
        .filter_map(Result::ok)
        .collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in &entries {
        entry.file_name().hash(&mut hasher);
        if let Ok(meta) = entry.metadata() {
            meta.len().hash(&mut hasher);
            meta.modified().ok().hash(&mut hasher);
        }
    }
    let stamp = format!("{:016x}", hasher.finish());
    let blob_path = out_dir.join("schema.bin");
    let stamp_path = out_dir.join("schema.stamp");
    if blob_path.is_file() && fs::read_to_string(&stamp_path).ok().as_deref() == Some(&stamp) {
        return;
    }
    let blob = compile::compile(&data).unwrap_or_else(|e| panic!("schema data: {e}"));
    fs::write(&blob_path, blob).expect("OUT_DIR is writable");
    fs::write(&stamp_path, stamp).expect("OUT_DIR is writable");
}

fn main() {
    let manifest_dir = env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let rules_dir = Path::new(&manifest_dir).join("rules");
    println!("cargo:rerun-if-changed=rules");
    let mut dirs: Vec<_> = fs::read_dir(&rules_dir)
        .expect("rules/ is readable")
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.join("rule.rs").is_file())
        .collect();
    dirs.sort();

    let mut modules = String::new();
    let mut entries = String::new();
    for dir in &dirs {
        let name = dir
            .file_name()
            .and_then(|n| n.to_str())
            .expect("UTF-8 rule folder name");
        let module = format!(
            "rule_{}",
            name.to_ascii_lowercase().replace(['-', '.'], "_")
        );
        let rule_rs = dir.join("rule.rs");
        println!("cargo:rerun-if-changed={}", rule_rs.display());
        let source = fs::read_to_string(&rule_rs).expect("rule.rs is readable");
        let docs: Vec<&str> = source
            .lines()
            .take_while(|line| line.starts_with("//!"))
            .map(|line| {
                line.strip_prefix("//! ")
                    .unwrap_or(line.trim_start_matches("//!"))
            })
            .collect();
        let _ = writeln!(
            modules,
            "#[path = {:?}]\nmod {module};",
            rule_rs.display().to_string()
        );
        let example = example(dir);
        let has_fix = has_pinned_fix(dir);
        let _ = writeln!(
            entries,
            "    RegisteredRule {{ meta: &{module}::META, check: &{module}::Rule, docs: {:?}, example: {example:?}, has_fix: {has_fix}, dir: {name:?} }},",
            docs.join("\n")
        );
    }
    let code = format!("{modules}\n/// Every rule, sorted by folder name.\npub static RULES: &[RegisteredRule] = &[\n{entries}];\n");
    let out_dir = env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let out_dir = Path::new(&out_dir);
    fs::write(out_dir.join("registry.rs"), code).expect("OUT_DIR is writable");
    schema(Path::new(&manifest_dir), out_dir);
}

/// Whether the rule's folder pins a fix (`fail*.fixed`, checked by tests/rules.rs):
/// the rule offers a machine-applicable fix.
fn has_pinned_fix(dir: &Path) -> bool {
    fs::read_dir(dir)
        .map(|entries| {
            entries.filter_map(Result::ok).any(|entry| {
                let name = entry.file_name();
                let name = name.to_string_lossy();
                name.starts_with("fail") && name.ends_with(".fixed")
            })
        })
        .unwrap_or(false)
}

/// The rule's `## Example` section, from its fixtures: the first failing file with its
/// pinned diagnostic (`<case>.snap`), and the first passing file. Fixture folders
/// (layouts of several files) and files that are not text are left out.
fn example(dir: &Path) -> String {
    let mut files: Vec<_> = fs::read_dir(dir)
        .map(|entries| entries.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort();
    // (shown name, path of the case, text of the file shown)
    let fixture = |prefix: &str| {
        files.iter().find_map(|path| {
            let name = path.file_name()?.to_str()?;
            if !name.starts_with(prefix) || name.ends_with(".snap") {
                return None;
            }
            let shown = if path.is_dir() {
                main_file(path)?
            } else {
                path.clone()
            };
            let text = fs::read_to_string(&shown).ok()?;
            let shown_name = shown.strip_prefix(dir).ok()?.to_str()?.to_string();
            Some((shown_name, path.clone(), text))
        })
    };
    let mut out = String::new();
    if let Some((name, path, text)) = fixture("fail") {
        let mut snap = path.clone().into_os_string();
        snap.push(".snap");
        let rendered = fs::read_to_string(&snap).unwrap_or_default();
        let lang = if name.ends_with(".json") {
            "json"
        } else {
            "yaml"
        };
        let _ = write!(
            out,
            "## Example\n\nReported (`{name}`):\n\n```{lang}\n{}\n```\n\n```text\n{}\n```\n",
            text.trim_end(),
            rendered.trim_end()
        );
    }
    if let Some((name, _, text)) = fixture("pass") {
        let lang = if name.ends_with(".json") {
            "json"
        } else {
            "yaml"
        };
        if out.is_empty() {
            out.push_str("## Example\n");
        }
        let _ = write!(
            out,
            "\nNot reported (`{name}`):\n\n```{lang}\n{}\n```\n",
            text.trim_end()
        );
    }
    out
}

/// The file a fixture folder is about: its only YAML/JSON file below it (an appspec, a
/// `Dockerrun.aws.json`, an `.ebextensions` config), else none.
fn main_file(folder: &Path) -> Option<std::path::PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![folder.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).ok()?.filter_map(Result::ok) {
            let path = entry.path();
            let name = path.file_name()?.to_str()?;
            if path.is_dir() {
                stack.push(path);
            } else if [".yaml", ".yml", ".json", ".config"]
                .iter()
                .any(|e| name.ends_with(e))
            {
                found.push(path);
            }
        }
    }
    (found.len() == 1).then(|| found.remove(0))
}
