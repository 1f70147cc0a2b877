//! An Elastic Beanstalk `Dockerrun.aws.json`.
//!
//! Three formats share the file name: v1 (one container, Docker platform without
//! Compose), v2 (ECS container definitions, the ECS-managed Docker platform) and v3 (the
//! companion of a `docker-compose.yml`, holding only `Authentication`).

use std::path::Path;

use crate::document::{Entry, Node};
use crate::model::shape::{self, Kind, Mismatch, Place};

/// Top-level keys that only one format has, with the version they belong to:
/// DOCKERRUN-001 reports them in a file of another version (and DOCKERRUN-008 leaves
/// them to it).
pub const VERSION_ONLY_KEYS: &[(&str, u8)] = &[
    ("containerDefinitions", 2),
    ("volumes", 2),
    ("Image", 1),
    ("Ports", 1),
    ("Volumes", 1),
    ("Logging", 1),
    ("Entrypoint", 1),
    ("Command", 1),
];

/// Top-level keys of a v1 file.
pub const V1_KEYS: &[&str] = &[
    "AWSEBDockerrunVersion",
    "Authentication",
    "Image",
    "Ports",
    "Volumes",
    "Logging",
    "Entrypoint",
    "Command",
];
pub const V1_AUTHENTICATION: &[&str] = &["Bucket", "Key"];
pub const V1_IMAGE: &[&str] = &["Name", "Update"];
pub const V1_PORTS: &[&str] = &["ContainerPort", "HostPort"];
pub const V1_VOLUMES: &[&str] = &["HostDirectory", "ContainerDirectory"];

/// Top-level keys of a v2 file.
pub const V2_KEYS: &[&str] = &[
    "AWSEBDockerrunVersion",
    "executionRoleArn",
    "volumes",
    "containerDefinitions",
    "authentication",
    // read by `eb local` (EB CLI) in place of `containerDefinitions`
    "localContainerDefinitions",
];
pub const V2_AUTHENTICATION: &[&str] = &["bucket", "key"];
/// Keys of a v2 `volumes` item (ECS task-definition volumes).
pub const V2_VOLUME: &[&str] = &[
    "name",
    "host",
    "dockerVolumeConfiguration",
    "efsVolumeConfiguration",
    "fsxWindowsFileServerVolumeConfiguration",
    "configuredAtLaunch",
];
pub const V2_VOLUME_HOST: &[&str] = &["sourcePath"];
/// Keys of an ECS container definition (RegisterTaskDefinition `ContainerDefinition`).
pub const CONTAINER_KEYS: &[&str] = &[
    "name",
    "image",
    "repositoryCredentials",
    "cpu",
    "memory",
    "memoryReservation",
    "links",
    "portMappings",
    "essential",
    "restartPolicy",
    "entryPoint",
    "command",
    "environment",
    "environmentFiles",
    "mountPoints",
    "volumesFrom",
    "linuxParameters",
    "secrets",
    "dependsOn",
    "startTimeout",
    "stopTimeout",
    "versionConsistency",
    "hostname",
    "user",
    "workingDirectory",
    "disableNetworking",
    "privileged",
    "readonlyRootFilesystem",
    "dnsServers",
    "dnsSearchDomains",
    "extraHosts",
    "dockerSecurityOptions",
    "interactive",
    "pseudoTerminal",
    "dockerLabels",
    "ulimits",
    "logConfiguration",
    "healthCheck",
    "systemControls",
    "resourceRequirements",
    "firelensConfiguration",
    "credentialSpecs",
];
pub const PORT_MAPPING_KEYS: &[&str] = &[
    "containerPort",
    "hostPort",
    "protocol",
    "name",
    "appProtocol",
    "containerPortRange",
];
pub const MOUNT_POINT_KEYS: &[&str] = &["sourceVolume", "containerPath", "readOnly"];
pub const VOLUMES_FROM_KEYS: &[&str] = &["sourceContainer", "readOnly"];

/// Top-level keys of a v3 file.
pub const V3_KEYS: &[&str] = &["AWSEBDockerrunVersion", "Authentication"];
pub const V3_AUTHENTICATION: &[&str] = &["bucket", "key"];

/// The documented keys of the file's version, per place: `(path, keys)`, where a path
/// is a list of keys with `[]` for "every item of the list".
pub fn key_schema(version: u8) -> &'static [(&'static [&'static str], &'static [&'static str])] {
    match version {
        1 => &[
            (&[], V1_KEYS),
            (&["Authentication"], V1_AUTHENTICATION),
            (&["Image"], V1_IMAGE),
            (&["Ports", "[]"], V1_PORTS),
            (&["Volumes", "[]"], V1_VOLUMES),
        ],
        2 => &[
            (&[], V2_KEYS),
            (&["authentication"], V2_AUTHENTICATION),
            (&["volumes", "[]"], V2_VOLUME),
            (&["volumes", "[]", "host"], V2_VOLUME_HOST),
            (&["containerDefinitions", "[]"], CONTAINER_KEYS),
            (&["localContainerDefinitions", "[]"], CONTAINER_KEYS),
            (
                &["containerDefinitions", "[]", "portMappings", "[]"],
                PORT_MAPPING_KEYS,
            ),
            (
                &["containerDefinitions", "[]", "mountPoints", "[]"],
                MOUNT_POINT_KEYS,
            ),
            (
                &["containerDefinitions", "[]", "volumesFrom", "[]"],
                VOLUMES_FROM_KEYS,
            ),
        ],
        3 => &[(&[], V3_KEYS), (&["Authentication"], V3_AUTHENTICATION)],
        _ => &[],
    }
}

/// The documented value types of a version 1 file. Elastic Beanstalk reads v1 itself
/// and its documentation writes numbers and flags as strings (`"ContainerPort": "1234"`,
/// `"Update": "true"`), so digits and `"true"`/`"false"` in quotes are accepted.
const V1_TYPES: &[Place] = &[
    (
        &[],
        &[
            ("Authentication", Kind::Map),
            ("Image", Kind::Map),
            ("Ports", Kind::List),
            ("Volumes", Kind::List),
            ("Logging", Kind::Str),
        ],
    ),
    (
        &["Authentication"],
        &[("Bucket", Kind::Str), ("Key", Kind::Str)],
    ),
    (
        &["Image"],
        &[("Name", Kind::Str), ("Update", Kind::BoolOrText)],
    ),
    (&["Ports"], &[("[]", Kind::Map)]),
    (
        &["Ports", "[]"],
        &[
            ("ContainerPort", Kind::IntOrDigits),
            ("HostPort", Kind::IntOrDigits),
        ],
    ),
    (&["Volumes"], &[("[]", Kind::Map)]),
    (
        &["Volumes", "[]"],
        &[
            ("HostDirectory", Kind::Str),
            ("ContainerDirectory", Kind::Str),
        ],
    ),
];

/// Value types of an ECS `ContainerDefinition` (RegisterTaskDefinition): numbers and
/// booleans must be JSON numbers and booleans.
const CONTAINER_TYPES: &[(&str, Kind)] = &[
    ("name", Kind::Str),
    ("image", Kind::Str),
    ("repositoryCredentials", Kind::Map),
    ("cpu", Kind::Int),
    ("memory", Kind::Int),
    ("memoryReservation", Kind::Int),
    ("links", Kind::List),
    ("portMappings", Kind::List),
    ("essential", Kind::Bool),
    ("restartPolicy", Kind::Map),
    ("entryPoint", Kind::List),
    ("command", Kind::List),
    ("environment", Kind::List),
    ("environmentFiles", Kind::List),
    ("mountPoints", Kind::List),
    ("volumesFrom", Kind::List),
    ("linuxParameters", Kind::Map),
    ("secrets", Kind::List),
    ("dependsOn", Kind::List),
    ("startTimeout", Kind::Int),
    ("stopTimeout", Kind::Int),
    ("hostname", Kind::Str),
    ("user", Kind::Str),
    ("workingDirectory", Kind::Str),
    ("disableNetworking", Kind::Bool),
    ("privileged", Kind::Bool),
    ("readonlyRootFilesystem", Kind::Bool),
    ("dnsServers", Kind::List),
    ("dnsSearchDomains", Kind::List),
    ("extraHosts", Kind::List),
    ("dockerSecurityOptions", Kind::List),
    ("interactive", Kind::Bool),
    ("pseudoTerminal", Kind::Bool),
    ("dockerLabels", Kind::Map),
    ("ulimits", Kind::List),
    ("logConfiguration", Kind::Map),
    ("healthCheck", Kind::Map),
    ("systemControls", Kind::List),
    ("resourceRequirements", Kind::List),
    ("firelensConfiguration", Kind::Map),
    ("credentialSpecs", Kind::List),
];

/// The documented value types of a version 2 file (ECS task-definition types).
const V2_TYPES: &[Place] = &[
    (
        &[],
        &[
            ("executionRoleArn", Kind::Str),
            ("volumes", Kind::List),
            ("containerDefinitions", Kind::List),
            ("authentication", Kind::Map),
        ],
    ),
    (
        &["authentication"],
        &[("bucket", Kind::Str), ("key", Kind::Str)],
    ),
    (&["volumes"], &[("[]", Kind::Map)]),
    (
        &["volumes", "[]"],
        &[("name", Kind::Str), ("host", Kind::Map)],
    ),
    (&["volumes", "[]", "host"], &[("sourcePath", Kind::Str)]),
    (&["containerDefinitions"], &[("[]", Kind::Map)]),
    (&["containerDefinitions", "[]"], CONTAINER_TYPES),
    (
        &["containerDefinitions", "[]", "portMappings"],
        &[("[]", Kind::Map)],
    ),
    (
        &["containerDefinitions", "[]", "portMappings", "[]"],
        &[
            ("containerPort", Kind::Int),
            ("hostPort", Kind::Int),
            ("protocol", Kind::Str),
            ("name", Kind::Str),
            ("appProtocol", Kind::Str),
            ("containerPortRange", Kind::Str),
        ],
    ),
    (
        &["containerDefinitions", "[]", "mountPoints"],
        &[("[]", Kind::Map)],
    ),
    (
        &["containerDefinitions", "[]", "mountPoints", "[]"],
        &[
            ("sourceVolume", Kind::Str),
            ("containerPath", Kind::Str),
            ("readOnly", Kind::Bool),
        ],
    ),
    (
        &["containerDefinitions", "[]", "volumesFrom"],
        &[("[]", Kind::Map)],
    ),
    (
        &["containerDefinitions", "[]", "volumesFrom", "[]"],
        &[("sourceContainer", Kind::Str), ("readOnly", Kind::Bool)],
    ),
    (
        &["containerDefinitions", "[]", "environment"],
        &[("[]", Kind::Map)],
    ),
    (
        &["containerDefinitions", "[]", "environment", "[]"],
        &[("name", Kind::Str), ("value", Kind::Str)],
    ),
    (
        &["containerDefinitions", "[]", "links"],
        &[("[]", Kind::Str)],
    ),
    (
        &["containerDefinitions", "[]", "entryPoint"],
        &[("[]", Kind::Str)],
    ),
    (
        &["containerDefinitions", "[]", "command"],
        &[("[]", Kind::Str)],
    ),
];

/// The documented value types of a version 3 file.
const V3_TYPES: &[Place] = &[
    (&[], &[("Authentication", Kind::Map)]),
    (
        &["Authentication"],
        &[("bucket", Kind::Str), ("key", Kind::Str)],
    ),
];

/// One v2 container definition.
pub struct Container<'a> {
    pub node: &'a Node,
    /// `name`, when written as a string.
    pub name: Option<&'a str>,
    pub name_entry: Option<&'a Entry>,
}

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

    /// Every key the version's format does not define at its place, with the keys
    /// allowed there (nothing when the version is unknown).
    pub fn unknown_keys(&self) -> Vec<(&'a Entry, &'static [&'static str])> {
        let Some(version) = self.version else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (path, allowed) in key_schema(version) {
            for node in shape::nodes_at(self.root, path, false) {
                for entry in node.iter_map() {
                    if !allowed.contains(&entry.key.text.as_str()) {
                        out.push((entry, *allowed));
                    }
                }
            }
        }
        out
    }

    /// Every value whose type differs from the one the file's version documents
    /// (nothing when the version is unknown).
    pub fn type_mismatches(&self) -> Vec<Mismatch<'a>> {
        let schema = match self.version {
            Some(1) => V1_TYPES,
            Some(2) => V2_TYPES,
            Some(3) => V3_TYPES,
            _ => return Vec::new(),
        };
        shape::mismatches(self.root, schema, false)
    }

    /// The v2 container definitions (none for other versions).
    pub fn containers(&self) -> Vec<Container<'a>> {
        if self.version != Some(2) {
            return Vec::new();
        }
        self.root
            .get("containerDefinitions")
            .into_iter()
            .flat_map(Node::iter_seq)
            .filter(|node| node.as_map().is_some())
            .map(|node| Container {
                node,
                name: node.get("name").and_then(Node::as_str),
                name_entry: node.entry("name"),
            })
            .collect()
    }

    /// Whether every container has a literal name (so references can be judged).
    pub fn container_names(&self) -> Option<Vec<&'a str>> {
        self.containers().iter().map(|c| c.name).collect()
    }
}
