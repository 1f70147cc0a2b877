//! Writes AFL seed folders from the repository's fixtures: `seeds/yaml`, `seeds/json`
//! and `seeds/pipeline` (whose inputs start with the byte choosing the file name).
//!
//! Run from `tests/fuzz`: `cargo run --bin seeds`.

use std::path::{Path, PathBuf};

use stacklint_fuzz::invariants::NAMES;

/// Seeds bigger than this slow AFL down for nothing.
const MAX_SEED: u64 = 16 * 1024;

fn main() -> std::io::Result<()> {
    let root = Path::new("../..");
    let mut files = Vec::new();
    collect(&root.join("fixtures"), &mut files)?;
    collect(&root.join("rules"), &mut files)?;
    files.sort();
    for target in ["yaml", "json", "pipeline"] {
        std::fs::create_dir_all(Path::new("seeds").join(target))?;
    }
    let mut written = 0;
    for (i, file) in files.iter().enumerate() {
        let name = file.to_string_lossy();
        let ext = file.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !matches!(ext, "yaml" | "yml" | "json" | "config" | "template")
            || std::fs::metadata(file)?.len() > MAX_SEED
        {
            continue;
        }
        let bytes = std::fs::read(file)?;
        let syntax = if ext == "json" { "json" } else { "yaml" };
        std::fs::write(
            Path::new("seeds").join(syntax).join(format!("{i:04}")),
            &bytes,
        )?;
        let as_name = if name.contains("appspec") {
            if ext == "json" {
                "appspec.json"
            } else {
                "appspec.yml"
            }
        } else if name.contains("Dockerrun") {
            "Dockerrun.aws.json"
        } else if name.contains(".ebextensions") {
            ".ebextensions/options.config"
        } else if ext == "json" {
            "template.json"
        } else {
            "template.yaml"
        };
        let pick = NAMES.iter().position(|n| *n == as_name).unwrap_or(0) as u8;
        let mut seed = vec![pick];
        seed.extend_from_slice(&bytes);
        std::fs::write(Path::new("seeds/pipeline").join(format!("{i:04}")), seed)?;
        written += 1;
    }
    println!("{written} seeds written under seeds/");
    Ok(())
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect(&path, files)?;
        } else {
            files.push(path);
        }
    }
    Ok(())
}
