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
        let _ = writeln!(
            entries,
            "    Rule {{ meta: &{module}::META, check: &{module}::Rule, docs: {:?}, dir: {name:?} }},",
            docs.join("\n")
        );
    }
    let code = format!("{modules}\n/// Every rule, sorted by folder name.\npub static RULES: &[Rule] = &[\n{entries}];\n");
    let out = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("registry.rs");
    fs::write(out, code).expect("OUT_DIR is writable");
}
