//! A CodeDeploy AppSpec file.

use std::path::Path;

use crate::document::Node;

/// The compute platform an AppSpec file is written for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Platform {
    /// EC2/on-premises: `files`, `permissions`, `hooks` with scripts.
    Server,
    Lambda,
    Ecs,
}

impl Platform {
    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Server => "EC2/on-premises",
            Platform::Lambda => "AWS Lambda",
            Platform::Ecs => "Amazon ECS",
        }
    }
}

pub struct Appspec<'a> {
    pub root: &'a Node,
    pub path: &'a Path,
    pub platform: Platform,
}

impl<'a> Appspec<'a> {
    pub fn new(root: &'a Node, path: &'a Path) -> Self {
        Appspec {
            root,
            path,
            platform: platform_of(root),
        }
    }
}

/// Lambda and ECS appspecs list their target under `Resources`; anything else is for
/// EC2/on-premises.
fn platform_of(root: &Node) -> Platform {
    let types = root
        .get("Resources")
        .into_iter()
        .flat_map(|r| r.iter_seq())
        .flat_map(|item| item.iter_map())
        .filter_map(|entry| entry.value.get("Type").and_then(Node::as_str));
    for type_name in types {
        match type_name {
            "AWS::Lambda::Function" => return Platform::Lambda,
            "AWS::ECS::Service" => return Platform::Ecs,
            _ => {}
        }
    }
    Platform::Server
}
