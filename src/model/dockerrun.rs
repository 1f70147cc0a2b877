//! An Elastic Beanstalk `Dockerrun.aws.json`.

use std::path::Path;

use crate::document::Node;

pub struct Dockerrun<'a> {
    pub root: &'a Node,
    pub path: &'a Path,
    /// `AWSEBDockerrunVersion`, as written.
    pub version_node: Option<&'a Node>,
    /// The version when it is 1, 2 or 3 (written as a number or a string).
    pub version: Option<u8>,
}

impl<'a> Dockerrun<'a> {
    pub fn new(root: &'a Node, path: &'a Path) -> Self {
        let version_node = root.get("AWSEBDockerrunVersion");
        let version = version_node
            .and_then(Node::as_str)
            .and_then(|v| match v.trim() {
                "1" => Some(1),
                "2" => Some(2),
                "3" => Some(3),
                _ => None,
            });
        Dockerrun {
            root,
            path,
            version_node,
            version,
        }
    }
}
