//! Which kind of file is this? By name first, then by content.

use std::path::Path;

use crate::document::Node;
use crate::model::shape::get_key;
use crate::rule::FileKind;

/// How a file's text is parsed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Syntax {
    Yaml,
    Json,
}

/// Whether a file found by walking a directory is worth reading at all.
pub fn is_candidate(path: &Path) -> bool {
    if kind_by_name(path).is_some() {
        return true;
    }
    matches!(
        extension(path).as_deref(),
        Some("yaml" | "yml" | "json" | "template")
    )
}

/// The kind a file's name alone decides.
pub fn kind_by_name(path: &Path) -> Option<FileKind> {
    let name = path.file_name()?.to_str()?;
    if name == "Dockerrun.aws.json" {
        return Some(FileKind::Dockerrun);
    }
    if matches!(name, "appspec.yml" | "appspec.yaml" | "appspec.json") {
        return Some(FileKind::Appspec);
    }
    let in_ebextensions = path
        .parent()
        .and_then(Path::file_name)
        .is_some_and(|dir| dir == ".ebextensions");
    if in_ebextensions && extension(path).as_deref() == Some("config") {
        return Some(FileKind::EbConfig);
    }
    None
}

/// JSON for `.json` files; YAML for `.yaml`/`.yml`; otherwise JSON when the text opens
/// with a brace or bracket.
pub fn syntax_of(path: &Path, text: &str) -> Syntax {
    match extension(path).as_deref() {
        Some("json") => Syntax::Json,
        Some("yaml" | "yml") => Syntax::Yaml,
        _ => {
            let first = text
                .trim_start_matches('\u{feff}')
                .trim_start()
                .chars()
                .next();
            if matches!(first, Some('{' | '[')) {
                Syntax::Json
            } else {
                Syntax::Yaml
            }
        }
    }
}

/// The kind of a parsed file, by name, then by the shape of its root.
pub fn detect(path: &Path, root: &Node) -> Option<FileKind> {
    if let Some(kind) = kind_by_name(path) {
        return Some(kind);
    }
    root.as_map()?;
    if root.get("AWSEBDockerrunVersion").is_some() {
        return Some(FileKind::Dockerrun);
    }
    if is_appspec_shaped(root) {
        return Some(FileKind::Appspec);
    }
    if is_template_shaped(root) {
        return Some(FileKind::Template);
    }
    None
}

/// The kind of a file that could not be parsed, guessed from tell-tale words, so that a
/// broken template found by walking is still reported.
pub fn sniff(path: &Path, text: &str) -> Option<FileKind> {
    if let Some(kind) = kind_by_name(path) {
        return Some(kind);
    }
    let head = &text[..text.len().min(64 * 1024)];
    if head.contains("AWSEBDockerrunVersion") {
        Some(FileKind::Dockerrun)
    } else if head.contains("AWSTemplateFormatVersion")
        || (head.contains("Resources") && head.contains("AWS::"))
    {
        Some(FileKind::Template)
    } else {
        None
    }
}

fn is_template_shaped(root: &Node) -> bool {
    if root.get("AWSTemplateFormatVersion").is_some() {
        return true;
    }
    root.get("Resources").is_some_and(|resources| {
        resources
            .as_map()
            .is_some_and(|entries| entries.iter().any(|e| e.value.get("Type").is_some()))
    })
}

/// An appspec by content. Lambda and ECS appspecs are read by the CodeDeploy service,
/// which takes their keys in any case (the AWS documentation writes both `resources`/
/// `type` and `Resources`/`Type`), so their `Resources` list is found ignoring case. An
/// EC2/on-premises appspec is read by the agent, whose keys are exact: `version` with
/// `os`, `files`, `hooks` or `permissions`.
fn is_appspec_shaped(root: &Node) -> bool {
    let resources = get_key(root, "Resources", true).and_then(|entry| entry.value.as_seq());
    if let Some(resources) = resources {
        return resources.iter().flat_map(Node::iter_map).any(|entry| {
            get_key(&entry.value, "Type", true)
                .and_then(|entry| entry.value.as_str())
                .is_some_and(|name| {
                    let name = name.trim();
                    name.eq_ignore_ascii_case("AWS::Lambda::Function")
                        || name.eq_ignore_ascii_case("AWS::ECS::Service")
                })
        });
    }
    root.get("version").is_some()
        && ["os", "files", "hooks", "permissions"]
            .iter()
            .any(|key| root.get(key).is_some())
}

fn extension(path: &Path) -> Option<String> {
    Some(path.extension()?.to_str()?.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::load_yaml;

    fn kind_of(text: &str) -> Option<FileKind> {
        let root = load_yaml(text).root.expect("test YAML parses");
        detect(Path::new("deploy/spec.yaml"), &root)
    }

    #[test]
    fn appspec_keys_of_lambda_and_ecs_in_any_case() {
        let lower = "version: 0.0\nresources:\n  - fn:\n      type: aws::lambda::function\n      properties: {name: f}\n";
        assert_eq!(kind_of(lower), Some(FileKind::Appspec));
        let pascal = "Version: 0.0\nResources:\n  - svc:\n      Type: AWS::ECS::Service\n";
        assert_eq!(kind_of(pascal), Some(FileKind::Appspec));
    }

    #[test]
    fn server_appspec_keys_are_exact() {
        assert_eq!(
            kind_of("version: 0.0\nos: linux\nfiles: []\n"),
            Some(FileKind::Appspec)
        );
        assert_eq!(kind_of("Version: 0.0\nOs: linux\nFiles: []\n"), None);
    }

    #[test]
    fn a_template_is_not_an_appspec() {
        let template = "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n";
        assert_eq!(kind_of(template), Some(FileKind::Template));
        let other = "resources:\n  - fn:\n      type: AWS::S3::Bucket\n";
        assert_eq!(kind_of(other), None);
    }
}
