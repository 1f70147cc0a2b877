//! A CodeDeploy AppSpec file.
//!
//! Key spelling: the CodeDeploy agent (EC2/on-premises) reads its keys exactly
//! (`version`, `os`, `files`, `hooks`, ...: a Ruby hash lookup), while the Lambda and ECS
//! appspecs are read by the CodeDeploy service, whose documentation spells the same keys
//! both in lowercase (`resources`, `type`, `properties`, `name`) and in PascalCase
//! (`Resources`, `Type`, `Properties`, `Name`). [`Appspec::get`] and [`get_key`] follow
//! that: exact for EC2/on-premises, case-insensitive for Lambda and ECS.

use std::path::Path;

use crate::document::{Entry, Key, Node};
use crate::model::shape::{self, Kind, Mismatch, Place};
pub use crate::model::shape::{get_key, is_placeholder};

/// The compute platform an AppSpec file is written for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Platform {
    /// EC2/on-premises: `files`, `permissions`, `hooks` with scripts.
    Server,
    Lambda,
    Ecs,
}

/// Lifecycle events of an EC2/on-premises deployment, in the order they run.
pub const SERVER_EVENTS: &[&str] = &[
    "ApplicationStop",
    "DownloadBundle",
    "BeforeInstall",
    "Install",
    "AfterInstall",
    "ApplicationStart",
    "ValidateService",
    "BeforeBlockTraffic",
    "BlockTraffic",
    "AfterBlockTraffic",
    "BeforeAllowTraffic",
    "AllowTraffic",
    "AfterAllowTraffic",
];

/// EC2/on-premises events reserved for the CodeDeploy agent: they cannot run scripts.
pub const RESERVED_SERVER_EVENTS: &[&str] =
    &["DownloadBundle", "Install", "BlockTraffic", "AllowTraffic"];

/// Events of a Lambda deployment that can run a validation function.
pub const LAMBDA_HOOKS: &[&str] = &["BeforeAllowTraffic", "AfterAllowTraffic"];

/// Events of an ECS deployment that can run a validation function.
pub const ECS_HOOKS: &[&str] = &[
    "BeforeInstall",
    "AfterInstall",
    "AfterAllowTestTraffic",
    "BeforeAllowTraffic",
    "AfterAllowTraffic",
];

/// ECS events that exist but are run by CodeDeploy itself (no hook can be attached).
pub const RESERVED_ECS_EVENTS: &[&str] =
    &["Start", "Install", "TestTraffic", "AllowTraffic", "End"];

/// Lambda events that exist but are run by CodeDeploy itself.
pub const RESERVED_LAMBDA_EVENTS: &[&str] = &["Start", "AllowTraffic", "End"];

impl Platform {
    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Server => "EC2/on-premises",
            Platform::Lambda => "AWS Lambda",
            Platform::Ecs => "Amazon ECS",
        }
    }

    /// The events a hook may be attached to.
    pub fn hook_events(self) -> Vec<&'static str> {
        match self {
            Platform::Server => SERVER_EVENTS
                .iter()
                .copied()
                .filter(|e| !RESERVED_SERVER_EVENTS.contains(e))
                .collect(),
            Platform::Lambda => LAMBDA_HOOKS.to_vec(),
            Platform::Ecs => ECS_HOOKS.to_vec(),
        }
    }

    /// Events of the platform that CodeDeploy runs itself: they exist, but no hook can
    /// be attached to them.
    pub fn reserved_events(self) -> &'static [&'static str] {
        match self {
            Platform::Server => RESERVED_SERVER_EVENTS,
            Platform::Lambda => RESERVED_LAMBDA_EVENTS,
            Platform::Ecs => RESERVED_ECS_EVENTS,
        }
    }

    /// Whether keys are matched case-insensitively (Lambda, ECS).
    pub fn keys_ignore_case(self) -> bool {
        self != Platform::Server
    }

    /// The documented top-level keys.
    pub fn top_level_keys(self) -> &'static [&'static str] {
        match self {
            Platform::Server => &[
                "version",
                "os",
                "files",
                "file_exists_behavior",
                "permissions",
                "hooks",
            ],
            Platform::Lambda | Platform::Ecs => &["version", "Resources", "Hooks"],
        }
    }
}

/// Keys of a `files` entry.
pub const FILES_KEYS: &[&str] = &["source", "destination"];
/// Keys of a `permissions` entry.
pub const PERMISSIONS_KEYS: &[&str] = &[
    "object", "pattern", "except", "owner", "group", "mode", "acls", "context", "type",
];
/// Keys of a permission's `context`.
pub const CONTEXT_KEYS: &[&str] = &["user", "type", "range"];
/// Keys of a script under an EC2/on-premises hook.
pub const SCRIPT_KEYS: &[&str] = &["location", "timeout", "runas"];
/// Keys of a `Resources` item's target.
pub const TARGET_KEYS: &[&str] = &["Type", "Properties"];
/// Properties of a Lambda target.
pub const LAMBDA_PROPERTIES: &[&str] = &["Name", "Alias", "CurrentVersion", "TargetVersion"];
/// Properties of an ECS target.
pub const ECS_PROPERTIES: &[&str] = &[
    "TaskDefinition",
    "LoadBalancerInfo",
    "PlatformVersion",
    "NetworkConfiguration",
    "CapacityProviderStrategy",
];
pub const ECS_LOAD_BALANCER_INFO: &[&str] = &["ContainerName", "ContainerPort"];
pub const ECS_NETWORK_CONFIGURATION: &[&str] = &["AwsvpcConfiguration"];
pub const ECS_AWSVPC_CONFIGURATION: &[&str] = &["Subnets", "SecurityGroups", "AssignPublicIp"];
pub const ECS_CAPACITY_PROVIDER: &[&str] = &["Base", "CapacityProvider", "Weight"];

/// Documented value types of an EC2/on-premises appspec, as the agent reads them
/// (`timeout` is judged by APPSPEC-004). Where the agent iterates (`files`,
/// `permissions`, an event's scripts, `except`, `type`, `acls`) a list is required.
const SERVER_TYPES: &[Place] = &[
    (
        &[],
        &[
            ("os", Kind::Str),
            ("files", Kind::List),
            ("file_exists_behavior", Kind::Str),
            ("permissions", Kind::List),
            ("hooks", Kind::Map),
        ],
    ),
    (
        &["files", "[]"],
        &[("source", Kind::Str), ("destination", Kind::Str)],
    ),
    (&["permissions"], &[("[]", Kind::Map)]),
    (
        &["permissions", "[]"],
        &[
            ("object", Kind::Str),
            ("pattern", Kind::Str),
            ("except", Kind::List),
            ("owner", Kind::Str),
            ("group", Kind::Str),
            ("mode", Kind::Str),
            ("acls", Kind::List),
            ("context", Kind::Map),
            ("type", Kind::List),
        ],
    ),
    (
        &["permissions", "[]", "context"],
        &[
            ("user", Kind::Str),
            ("type", Kind::Str),
            ("range", Kind::Str),
        ],
    ),
    (&["hooks"], &[("*", Kind::List)]),
    (&["hooks", "*"], &[("[]", Kind::Map)]),
    (
        &["hooks", "*", "[]"],
        &[("location", Kind::Str), ("runas", Kind::Str)],
    ),
];

/// Documented value types shared by Lambda and ECS appspecs: a `Resources` list of
/// named targets, and `Hooks`, a list of `{Event: Function}` maps.
const TARGET_TYPES: &[Place] = &[
    (&[], &[("Resources", Kind::List), ("Hooks", Kind::List)]),
    (&["Resources"], &[("[]", Kind::Map)]),
    (&["Resources", "[]"], &[("*", Kind::Map)]),
    (
        &["Resources", "[]", "*"],
        &[("Type", Kind::Str), ("Properties", Kind::Map)],
    ),
    (&["Hooks"], &[("[]", Kind::Map)]),
    (&["Hooks", "[]"], &[("*", Kind::Str)]),
];

/// Documented value types of a Lambda target (beside [`TARGET_TYPES`]): "each
/// property is specified with a string".
const LAMBDA_TYPES: &[Place] = &[(
    &["Resources", "[]", "*", "Properties"],
    &[
        ("Name", Kind::Str),
        ("Alias", Kind::Str),
        ("CurrentVersion", Kind::Str),
        ("TargetVersion", Kind::Str),
    ],
)];

/// Documented value types of an ECS target (beside [`TARGET_TYPES`]): "each property
/// is specified with a string except for `ContainerPort`, which is a number"; `Subnets`
/// and `SecurityGroups` are lists (ECS `AwsVpcConfiguration`), and a capacity
/// provider's `Base` and `Weight` whole numbers.
const ECS_TYPES: &[Place] = &[
    (
        &["Resources", "[]", "*", "Properties"],
        &[
            ("TaskDefinition", Kind::Str),
            ("LoadBalancerInfo", Kind::Map),
            ("PlatformVersion", Kind::Str),
            ("NetworkConfiguration", Kind::Map),
            ("CapacityProviderStrategy", Kind::List),
        ],
    ),
    (
        &["Resources", "[]", "*", "Properties", "LoadBalancerInfo"],
        &[("ContainerName", Kind::Str), ("ContainerPort", Kind::Int)],
    ),
    (
        &["Resources", "[]", "*", "Properties", "NetworkConfiguration"],
        &[("AwsvpcConfiguration", Kind::Map)],
    ),
    (
        &[
            "Resources",
            "[]",
            "*",
            "Properties",
            "NetworkConfiguration",
            "AwsvpcConfiguration",
        ],
        &[
            ("Subnets", Kind::List),
            ("SecurityGroups", Kind::List),
            ("AssignPublicIp", Kind::Str),
        ],
    ),
    (
        &[
            "Resources",
            "[]",
            "*",
            "Properties",
            "CapacityProviderStrategy",
        ],
        &[("[]", Kind::Map)],
    ),
    (
        &[
            "Resources",
            "[]",
            "*",
            "Properties",
            "CapacityProviderStrategy",
            "[]",
        ],
        &[
            ("Base", Kind::IntOrDigits),
            ("CapacityProvider", Kind::Str),
            ("Weight", Kind::IntOrDigits),
        ],
    ),
];

/// One event under `hooks`.
pub struct Hook<'a> {
    /// The event name as written.
    pub key: &'a Key,
    pub entry: &'a Entry,
    /// EC2/on-premises: the scripts (`{location, timeout, runas}`); Lambda/ECS: the
    /// function (a scalar).
    pub value: &'a Node,
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

    /// A top-level entry, with the platform's key spelling rules.
    pub fn entry(&self, key: &str) -> Option<&'a Entry> {
        get_key(self.root, key, self.platform.keys_ignore_case())
    }

    /// A top-level value, with the platform's key spelling rules.
    pub fn get(&self, key: &str) -> Option<&'a Node> {
        self.entry(key).map(|entry| &entry.value)
    }

    /// Every hook, whatever its shape: `hooks: {Event: [...]}` (EC2/on-premises) or
    /// `Hooks: [{Event: Function}]` (Lambda, ECS).
    pub fn hooks(&self) -> Vec<Hook<'a>> {
        let Some(hooks) = self.get("hooks") else {
            return Vec::new();
        };
        let entries: Vec<&'a Entry> = if hooks.as_map().is_some() {
            hooks.iter_map().collect()
        } else {
            hooks.iter_seq().flat_map(Node::iter_map).collect()
        };
        entries
            .into_iter()
            .map(|entry| Hook {
                key: &entry.key,
                entry,
                value: &entry.value,
            })
            .collect()
    }

    /// The targets under `Resources`: `(logical name entry, target node)`.
    pub fn resources(&self) -> Vec<&'a Entry> {
        self.get("Resources")
            .into_iter()
            .flat_map(Node::iter_seq)
            .flat_map(Node::iter_map)
            .collect()
    }

    /// `os` when it is `windows`.
    pub fn is_windows(&self) -> bool {
        self.platform == Platform::Server
            && self
                .get("os")
                .and_then(Node::as_str)
                .is_some_and(|os| os.trim() == "windows")
    }

    /// The name among `candidates` closest to `name` (see [`nearest`]).
    pub fn nearest<'c>(name: &str, candidates: &[&'c str]) -> Option<&'c str> {
        nearest(name, candidates)
    }

    /// [`Appspec::nearest`] for many names against one list, built once with
    /// `Suggester::new` (a list per name made 6,000 containers quadratic).
    pub fn nearest_in<'c>(
        suggester: &crate::suggest::Suggester<'c>,
        name: &str,
    ) -> Option<&'c str> {
        let limit = (name.chars().count() / 3).max(2);
        suggester.closest(name, |_| limit)
    }

    /// Every key the format does not define at its place, with the keys allowed there.
    pub fn unknown_keys(&self) -> Vec<(&'a Key, &'static [&'static str])> {
        let ignore_case = self.platform.keys_ignore_case();
        let mut out = Vec::new();
        let mut check = |node: &'a Node, allowed: &'static [&'static str]| {
            for entry in node.iter_map() {
                let known = allowed.iter().any(|k| {
                    if ignore_case {
                        k.eq_ignore_ascii_case(&entry.key.text)
                    } else {
                        *k == entry.key.text
                    }
                });
                if !known {
                    out.push((&entry.key, allowed));
                }
            }
        };
        if self.root.as_map().is_none() || self.platform_is_unclear() {
            return out;
        }
        check(self.root, self.platform.top_level_keys());
        match self.platform {
            Platform::Server => {
                for item in self.get("files").into_iter().flat_map(Node::iter_seq) {
                    check(item, FILES_KEYS);
                }
                for item in self.get("permissions").into_iter().flat_map(Node::iter_seq) {
                    check(item, PERMISSIONS_KEYS);
                    if let Some(context) = item.get("context") {
                        check(context, CONTEXT_KEYS);
                    }
                }
                if let Some(hooks) = self.get("hooks").filter(|h| h.as_map().is_some()) {
                    for event in hooks.iter_map() {
                        for script in event.value.iter_seq() {
                            check(script, SCRIPT_KEYS);
                        }
                    }
                }
            }
            Platform::Lambda | Platform::Ecs => {
                let properties: &'static [&'static str] = if self.platform == Platform::Lambda {
                    LAMBDA_PROPERTIES
                } else {
                    ECS_PROPERTIES
                };
                for target in self.resources() {
                    check(&target.value, TARGET_KEYS);
                    let Some(props) = get_key(&target.value, "Properties", true) else {
                        continue;
                    };
                    check(&props.value, properties);
                    if self.platform != Platform::Ecs {
                        continue;
                    }
                    let props = &props.value;
                    if let Some(lb) = get_key(props, "LoadBalancerInfo", true) {
                        check(&lb.value, ECS_LOAD_BALANCER_INFO);
                    }
                    if let Some(network) = get_key(props, "NetworkConfiguration", true) {
                        check(&network.value, ECS_NETWORK_CONFIGURATION);
                        if let Some(vpc) = get_key(&network.value, "AwsvpcConfiguration", true) {
                            check(&vpc.value, ECS_AWSVPC_CONFIGURATION);
                        }
                    }
                    if let Some(strategy) = get_key(props, "CapacityProviderStrategy", true) {
                        for item in strategy.value.iter_seq() {
                            check(item, ECS_CAPACITY_PROVIDER);
                        }
                    }
                }
            }
        }
        out
    }

    /// Every value whose type differs from the documented one (nothing when the
    /// platform is unclear).
    pub fn type_mismatches(&self) -> Vec<Mismatch<'a>> {
        if self.platform_is_unclear() {
            return Vec::new();
        }
        let schemas: &[&[Place]] = match self.platform {
            Platform::Server => &[SERVER_TYPES],
            Platform::Lambda => &[TARGET_TYPES, LAMBDA_TYPES],
            Platform::Ecs => &[TARGET_TYPES, ECS_TYPES],
        };
        let ignore_case = self.platform.keys_ignore_case();
        let mut out: Vec<Mismatch<'a>> = schemas
            .iter()
            .flat_map(|schema| shape::mismatches(self.root, schema, ignore_case))
            .collect();
        out.sort_by_key(|m| m.value.span().start());
        out
    }

    /// A `Resources` list whose targets are neither a Lambda function nor an ECS service
    /// (a templated `Type`, a typo): the file was detected as EC2/on-premises only by
    /// default, and platform-specific checks should stay silent.
    pub fn platform_is_unclear(&self) -> bool {
        self.platform == Platform::Server && get_key(self.root, "Resources", true).is_some()
    }

    /// The folder the revision is rooted at (the appspec's folder).
    pub fn revision_root(&self) -> &'a Path {
        self.path.parent().unwrap_or(Path::new(""))
    }
}

/// Lambda and ECS appspecs list their target under `Resources`; anything else is for
/// EC2/on-premises. Keys are compared ignoring case, as CodeDeploy does for these.
fn platform_of(root: &Node) -> Platform {
    let types = get_key(root, "Resources", true)
        .into_iter()
        .flat_map(|r| r.value.iter_seq())
        .flat_map(|item| item.iter_map())
        .filter_map(|entry| get_key(&entry.value, "Type", true))
        .filter_map(|entry| entry.value.as_str());
    for type_name in types {
        let type_name = type_name.trim();
        if type_name.eq_ignore_ascii_case("AWS::Lambda::Function") {
            return Platform::Lambda;
        }
        if type_name.eq_ignore_ascii_case("AWS::ECS::Service") {
            return Platform::Ecs;
        }
    }
    Platform::Server
}

/// Edit distance between two names, ignoring ASCII case.
pub fn levenshtein(a: &str, b: &str) -> usize {
    crate::suggest::edit_distance(&a.to_ascii_lowercase(), &b.to_ascii_lowercase())
}

/// The candidate closest to `name`, when it is close enough to be a likely typo
/// (a third of the name's length, at least 2 edits), or equal ignoring case.
pub fn nearest<'c>(name: &str, candidates: &[&'c str]) -> Option<&'c str> {
    let limit = (name.chars().count() / 3).max(2);
    crate::suggest::closest_within(name, candidates.iter().copied(), |_| limit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance() {
        assert_eq!(levenshtein("AfterInstal", "AfterInstall"), 1);
        assert_eq!(levenshtein("hooks", "Hooks"), 0);
        assert_eq!(
            nearest("BeforInstall", SERVER_EVENTS),
            Some("BeforeInstall")
        );
        assert_eq!(nearest("Zzzzzz", SERVER_EVENTS), None);
    }
}
