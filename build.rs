//! Builds the rule registry from the folders under `rules/`: every `rules/<CODE>/rule.rs`
//! becomes a module, its leading `//!` comment its documentation. Nothing lists rules
//! by hand.

use std::fmt::Write as _;
use std::path::Path;
use std::{env, fs};

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
        let _ = writeln!(
            entries,
            "    Rule {{ meta: &{module}::META, check: &{module}::Rule, docs: {:?}, example: {example:?}, dir: {name:?} }},",
            docs.join("\n")
        );
    }
    let code = format!("{modules}\n/// Every rule, sorted by folder name.\npub static RULES: &[Rule] = &[\n{entries}];\n");
    let out = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("registry.rs");
    fs::write(out, code).expect("OUT_DIR is writable");
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
