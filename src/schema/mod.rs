//! The CloudFormation and SAM resource schemas, compiled into the binary.
//!
//! `build.rs` turns `src/schema/data/` (AWS's resource provider schemas as cfn-lint
//! 1.58.0 packages them, normalized by `src/schema/update_schemas.py`) into one blob of
//! tables (`layout.rs`) that is read in place: nothing is decoded at start-up, a type
//! is found by binary search over the sorted type names, and a property by binary
//! search over its object's sorted property names.
//!
//! ```
//! use stacklint::schema;
//! let bucket = schema::resource_type("AWS::S3::Bucket").unwrap();
//! let versioning = bucket.property("VersioningConfiguration").unwrap();
//! assert!(versioning.property("Status").unwrap().enum_values().any(|v| v == "Enabled"));
//! assert!(bucket.has_attribute("Arn"));
//! ```

pub mod attributes;
#[allow(dead_code)]
mod layout;
#[cfg(test)]
mod tests;
#[cfg(test)]
#[allow(dead_code)]
mod translate;
pub mod walk;

use std::sync::OnceLock;

use layout::*;

static BLOB: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/schema.bin"));

fn word_at(bytes: &[u8], index: usize) -> u32 {
    match bytes.get(index * 4..index * 4 + 4) {
        Some(&[a, b, c, d]) => u32::from_le_bytes([a, b, c, d]),
        _ => NONE,
    }
}

fn section(index: usize) -> &'static [u8] {
    let start = word_at(BLOB, 1 + 2 * index) as usize;
    let len = word_at(BLOB, 2 + 2 * index) as usize;
    BLOB.get(start..start + len).unwrap_or(&[])
}

struct Sections {
    string_offsets: &'static [u8],
    string_bytes: &'static [u8],
    types: &'static [u8],
    nodes: &'static [u8],
    pool: &'static [u8],
    numbers: &'static [u8],
    patterns: &'static [u8],
    regions: &'static [u8],
}

/// Slices of the blob (a few dozen bytes of bookkeeping, made on first use).
fn sections() -> &'static Sections {
    static SECTIONS_CELL: OnceLock<Sections> = OnceLock::new();
    SECTIONS_CELL.get_or_init(|| Sections {
        string_offsets: section(SECTION_STRING_OFFSETS),
        string_bytes: section(SECTION_STRING_BYTES),
        types: section(SECTION_TYPES),
        nodes: section(SECTION_NODES),
        pool: section(SECTION_POOL),
        numbers: section(SECTION_NUMBERS),
        patterns: section(SECTION_PATTERNS),
        regions: section(SECTION_REGIONS),
    })
}

fn string(id: u32) -> &'static str {
    std::str::from_utf8(string_bytes(id)).unwrap_or("")
}

/// A string's bytes, for comparisons (no UTF-8 check on the binary-search path).
fn string_bytes(id: u32) -> &'static [u8] {
    let s = sections();
    let start = word_at(s.string_offsets, id as usize) as usize;
    let end = word_at(s.string_offsets, id as usize + 1) as usize;
    s.string_bytes.get(start..end).unwrap_or(&[])
}

fn pool(index: usize) -> u32 {
    word_at(sections().pool, index)
}

fn type_count() -> usize {
    sections().types.len() / 4 / TYPE_WORDS
}

fn type_word(index: usize, field: usize) -> u32 {
    word_at(sections().types, index * TYPE_WORDS + field)
}

/// Every resource type name, sorted.
pub fn type_names() -> impl Iterator<Item = &'static str> {
    (0..type_count()).map(|i| string(type_word(i, 0)))
}

/// The schema of a resource type, by its exact name.
pub fn resource_type(name: &str) -> Option<ResourceType> {
    let (mut low, mut high) = (0, type_count());
    while low < high {
        let mid = (low + high) / 2;
        match string_bytes(type_word(mid, 0)).cmp(name.as_bytes()) {
            std::cmp::Ordering::Less => low = mid + 1,
            std::cmp::Ordering::Greater => high = mid,
            std::cmp::Ordering::Equal => return Some(ResourceType(mid as u32)),
        }
    }
    None
}

/// The known type closest to `name` (case-insensitive edit distance), for "did you
/// mean". Only types sharing the service prefix (`AWS::S3::`) are considered when the
/// prefix is known, else all.
pub fn suggest_type(name: &str) -> Option<&'static str> {
    let lower = name.to_ascii_lowercase();
    let service = lower.rsplit_once("::").map(|(prefix, _)| prefix);
    let in_service: Vec<&str> = type_names()
        .filter(|t| {
            service.is_some_and(|s| {
                t.to_ascii_lowercase()
                    .rsplit_once("::")
                    .is_some_and(|(p, _)| p == s)
            })
        })
        .collect();
    let pool: Vec<&'static str> = if in_service.is_empty() {
        type_names().collect()
    } else {
        in_service
    };
    closest(name, pool)
}

/// The candidate closest to `name` within a distance that still looks like a typo.
/// A one-letter slip wins; then a candidate that contains the name (`Url` →
/// `QueueUrl`); then the nearest within a quarter of the length; then a candidate the
/// name contains (`Zipfile` → `Zip`).
pub fn closest<'c>(name: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    let lower = name.to_ascii_lowercase();
    let scored: Vec<(usize, &str, String)> = candidates
        .into_iter()
        .map(|c| {
            let other = c.to_ascii_lowercase();
            (crate::suggest::edit_distance(&lower, &other), c, other)
        })
        .collect();
    let nearest = scored.iter().min_by_key(|(d, _, _)| *d);
    if let Some((_, c, _)) = nearest.filter(|(d, _, _)| *d <= 1) {
        return Some(c);
    }
    let shortest_where = |keep: &dyn Fn(&str) -> bool| {
        scored
            .iter()
            .filter(|(_, _, other)| keep(other))
            .min_by_key(|(_, c, _)| c.len())
            .map(|(_, c, _)| *c)
    };
    if lower.len() >= 3 {
        if let Some(c) = shortest_where(&|other| other.contains(&lower)) {
            return Some(c);
        }
    }
    if let Some((_, c, _)) = nearest.filter(|(d, c, _)| *d <= 2.max(c.len().max(lower.len()) / 4)) {
        return Some(c);
    }
    shortest_where(&|other| other.len() >= 3 && lower.contains(other))
}

/// `` `a`, `b`, `c` `` for a help text: at most 12 names, then `...`.
pub fn listing(names: &[&str]) -> String {
    let shown: Vec<String> = names.iter().take(12).map(|n| format!("`{n}`")).collect();
    let more = if names.len() > 12 { ", ..." } else { "" };
    format!("{}{more}", shown.join(", "))
}

/// Region names known to the data, sorted (bit order of [`ResourceType::regions`]).
pub fn regions() -> impl Iterator<Item = &'static str> {
    let s = sections();
    (0..s.regions.len() / 4).map(|i| string(word_at(s.regions, i)))
}

/// Why `name` is no region of the data: `None` when it is one; else a help text naming
/// the closest region (the `--regions` flag and the `regions:` setting use it).
pub fn unknown_region(name: &str) -> Option<String> {
    if regions().any(|r| r == name) {
        return None;
    }
    Some(match crate::suggest::closest(name, regions()) {
        Some(region) => format!("did you mean `{region}`?"),
        None => format!(
            "the regions are {}",
            regions().collect::<Vec<_>>().join(", ")
        ),
    })
}

/// One resource type's schema.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ResourceType(u32);

impl ResourceType {
    fn word(self, field: usize) -> u32 {
        type_word(self.0 as usize, field)
    }

    fn paths(self, list: usize) -> impl Iterator<Item = &'static str> {
        let start = self.word(3 + 2 * list) as usize;
        let len = self.word(4 + 2 * list) as usize;
        (start..start + len).map(|i| string(pool(i)))
    }

    pub fn name(self) -> &'static str {
        string(self.word(0))
    }

    /// The schema of the `Properties` object.
    pub fn root(self) -> SchemaNode {
        SchemaNode::from_id(self.word(1))
    }

    /// A top-level property.
    pub fn property(self, name: &str) -> Option<SchemaNode> {
        self.root().property(name)
    }

    /// The required top-level properties (sorted).
    pub fn required(self) -> impl Iterator<Item = &'static str> {
        self.root().required()
    }

    /// Read-only property paths (`Arn`, `Endpoint.Address`; `*` stands for any item).
    pub fn read_only(self) -> impl Iterator<Item = &'static str> {
        self.paths(0)
    }

    pub fn create_only(self) -> impl Iterator<Item = &'static str> {
        self.paths(1)
    }

    pub fn write_only(self) -> impl Iterator<Item = &'static str> {
        self.paths(2)
    }

    pub fn deprecated(self) -> impl Iterator<Item = &'static str> {
        self.paths(3)
    }

    /// The type's documentation page: the schema's `documentationUrl`, else the
    /// CloudFormation template reference page derived from the name.
    pub fn documentation_url(self) -> String {
        let url = self.word(2);
        if url != NONE {
            return string(url).to_string();
        }
        let name = self.name();
        if let Some(sam) = name.strip_prefix("AWS::Serverless::") {
            return format!(
                "https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-{}.html",
                sam.to_ascii_lowercase()
            );
        }
        let slug = name
            .to_ascii_lowercase()
            .replacen("aws::", "aws-resource-", 1)
            .replace("::", "-");
        format!(
            "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/{slug}.html"
        )
    }

    /// The regions where the type exists.
    pub fn regions(self) -> impl Iterator<Item = &'static str> {
        let mask = u64::from(self.word(11)) | (u64::from(self.word(12)) << 32);
        regions()
            .enumerate()
            .filter(move |(bit, _)| mask & (1 << bit) != 0)
            .map(|(_, r)| r)
    }

    pub fn available_in(self, region: &str) -> bool {
        self.regions().any(|r| r == region)
    }

    /// Whether `Fn::GetAtt` can return `attribute`: a read-only property (dotted for
    /// nested ones), `Outputs.<name>` of nested stacks and SAR applications.
    pub fn has_attribute(self, attribute: &str) -> bool {
        if matches!(
            self.name(),
            "AWS::CloudFormation::Stack" | "AWS::Serverless::Application"
        ) && attribute.starts_with("Outputs.")
        {
            return true;
        }
        self.read_only().any(|path| path_matches(path, attribute))
    }

    /// The attributes `Fn::GetAtt` can return (read-only property paths).
    pub fn attributes(self) -> impl Iterator<Item = &'static str> {
        self.read_only()
    }
}

/// `A.*.B` matches `A.B` (CloudFormation drops the list index) and `A.<n>.B`.
fn path_matches(path: &str, attribute: &str) -> bool {
    if path == attribute {
        return true;
    }
    if !path.contains('*') {
        return false;
    }
    let without: String = path.replace(".*", "");
    without == attribute
}

/// A JSON type a schema node allows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JsonType {
    String,
    Integer,
    Number,
    Boolean,
    Array,
    Object,
    Null,
}

const JSON_TYPES: [(u32, JsonType); 7] = [
    (TYPE_STRING, JsonType::String),
    (TYPE_INTEGER, JsonType::Integer),
    (TYPE_NUMBER, JsonType::Number),
    (TYPE_BOOLEAN, JsonType::Boolean),
    (TYPE_ARRAY, JsonType::Array),
    (TYPE_OBJECT, JsonType::Object),
    (TYPE_NULL, JsonType::Null),
];

/// Which combination keyword a [`Combination`] comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CombinationKind {
    /// Exactly one of `names`.
    RequiredXor,
    /// At least one of `names`.
    RequiredOr,
    /// `key` needs every one of `names`.
    DependentRequired,
    /// `key` excludes every one of `names`.
    DependentExcluded,
}

/// A rule about which properties come together.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Combination {
    pub kind: CombinationKind,
    /// The property the dependency is about (`dependentRequired`/`dependentExcluded`).
    pub key: Option<&'static str>,
    pub names: Vec<&'static str>,
}

/// One node of a schema (an object, a property, a definition, an item schema).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SchemaNode(u32);

/// A (start, len) list in the pool.
fn list(start: u32, len: u32, width: usize) -> impl Iterator<Item = usize> {
    (0..len as usize).map(move |i| start as usize + i * width)
}

impl SchemaNode {
    fn from_id(id: u32) -> SchemaNode {
        SchemaNode(word_at(sections().nodes, id as usize))
    }

    fn header(self) -> u32 {
        pool(self.0 as usize)
    }

    /// The words of a field, if present.
    fn field(self, field: usize) -> Option<usize> {
        let header = self.header();
        if header & (1 << (PRESENT_SHIFT + field as u32)) == 0 {
            return None;
        }
        let mut offset = self.0 as usize + 1;
        for (index, size) in FIELD_SIZES.iter().enumerate().take(field) {
            if header & (1 << (PRESENT_SHIFT + index as u32)) != 0 {
                offset += *size as usize;
            }
        }
        Some(offset)
    }

    fn field_word(self, field: usize) -> Option<u32> {
        self.field(field).map(pool)
    }

    fn field_list(self, field: usize) -> (u32, u32) {
        match self.field(field) {
            Some(at) => (pool(at), pool(at + 1)),
            None => (0, 0),
        }
    }

    fn nodes(self, field: usize) -> impl Iterator<Item = SchemaNode> {
        let (start, len) = self.field_list(field);
        list(start, len, 1).map(|i| SchemaNode::from_id(pool(i)))
    }

    /// The JSON types the node allows (empty: not stated).
    pub fn types(self) -> impl Iterator<Item = JsonType> {
        let header = self.header();
        JSON_TYPES
            .iter()
            .filter(move |(bit, _)| header & bit != 0)
            .map(|(_, t)| *t)
    }

    pub fn allows_type(self, json_type: JsonType) -> bool {
        self.types().any(|t| t == json_type)
    }

    /// Whether an object value may match (no `type`, or `object` among the types).
    pub fn may_be_object(self) -> bool {
        self.types().next().is_none() || self.allows_type(JsonType::Object)
    }

    /// `additionalProperties: false` on this node itself.
    pub fn is_closed_here(self) -> bool {
        self.header() & FLAG_CLOSED != 0
    }

    /// This node's own properties, sorted by name.
    pub fn properties(self) -> impl Iterator<Item = (&'static str, SchemaNode)> {
        let (start, len) = self.field_list(FIELD_PROPERTIES);
        list(start, len, 2).map(|i| (string(pool(i)), SchemaNode::from_id(pool(i + 1))))
    }

    /// A property by name: the node's own, else one of its `allOf`/`anyOf`/`oneOf`
    /// members'.
    pub fn property(self, name: &str) -> Option<SchemaNode> {
        self.own_property(name).or_else(|| {
            self.compositions()
                .find_map(|member| member.property_bounded(name, 8))
        })
    }

    fn property_bounded(self, name: &str, depth: usize) -> Option<SchemaNode> {
        if depth == 0 {
            return None;
        }
        self.own_property(name).or_else(|| {
            self.compositions()
                .find_map(|member| member.property_bounded(name, depth - 1))
        })
    }

    fn own_property(self, name: &str) -> Option<SchemaNode> {
        let (start, len) = self.field_list(FIELD_PROPERTIES);
        let (mut low, mut high) = (0usize, len as usize);
        while low < high {
            let mid = (low + high) / 2;
            let at = start as usize + mid * 2;
            match string_bytes(pool(at)).cmp(name.as_bytes()) {
                std::cmp::Ordering::Less => low = mid + 1,
                std::cmp::Ordering::Greater => high = mid,
                std::cmp::Ordering::Equal => return Some(SchemaNode::from_id(pool(at + 1))),
            }
        }
        None
    }

    fn compositions(self) -> impl Iterator<Item = SchemaNode> {
        self.all_of().chain(self.any_of()).chain(self.one_of())
    }

    /// Every property name the node (with its compositions) defines, sorted, deduplicated.
    pub fn property_names(self) -> Vec<&'static str> {
        let mut out = Vec::new();
        self.collect_names(&mut out, 8);
        out.sort_unstable();
        out.dedup();
        out
    }

    fn collect_names(self, out: &mut Vec<&'static str>, depth: usize) {
        out.extend(self.properties().map(|(n, _)| n));
        if depth > 0 {
            for member in self.compositions() {
                member.collect_names(out, depth - 1);
            }
        }
    }

    /// Whether names outside [`property_names`](Self::property_names) are refused:
    /// `additionalProperties: false` and no `patternProperties`, here or — when the
    /// node defines nothing itself — in every `anyOf`/`oneOf` member.
    pub fn is_closed(self) -> bool {
        self.closed_bounded(8)
    }

    fn closed_bounded(self, depth: usize) -> bool {
        let header = self.header();
        if self.field(FIELD_PATTERN_PROPERTIES).is_some() || self.field(FIELD_ADDITIONAL).is_some()
        {
            return false;
        }
        if depth == 0 {
            return false;
        }
        if self
            .all_of()
            .any(|m| !m.closed_bounded(depth - 1) && m.constrains_names())
        {
            return false;
        }
        if header & FLAG_CLOSED != 0 {
            // Members of anyOf/oneOf that are open would allow more names.
            return self
                .any_of()
                .chain(self.one_of())
                .filter(|m| m.may_be_object())
                .all(|m| m.closed_bounded(depth - 1) || !m.constrains_names());
        }
        let members: Vec<SchemaNode> = self
            .any_of()
            .chain(self.one_of())
            .filter(|m| m.may_be_object())
            .collect();
        !members.is_empty()
            && self.properties().next().is_none()
            && members.iter().all(|m| m.closed_bounded(depth - 1))
    }

    /// Whether the node says anything about property names (defines properties, or is
    /// closed).
    fn constrains_names(self) -> bool {
        self.header() & FLAG_CLOSED != 0
            || self.field(FIELD_PROPERTIES).is_some()
            || self.field(FIELD_PATTERN_PROPERTIES).is_some()
    }

    /// Required property names: the node's own and those of its `allOf` members.
    /// The node's own `required` list, without its `allOf` members' (sorted, each once).
    pub fn own_required(self) -> impl Iterator<Item = &'static str> {
        let (start, len) = self.field_list(FIELD_REQUIRED);
        list(start, len, 1).map(|i| string(pool(i)))
    }

    pub fn required(self) -> impl Iterator<Item = &'static str> {
        let (start, len) = self.field_list(FIELD_REQUIRED);
        list(start, len, 1)
            .map(|i| string(pool(i)))
            .chain(self.all_of().flat_map(|m| {
                let (start, len) = m.field_list(FIELD_REQUIRED);
                list(start, len, 1).map(|i| string(pool(i)))
            }))
    }

    /// Whether the node states nothing but `required` (`{"required": ["A"]}`, or `{}`).
    pub fn only_required(self) -> bool {
        self.header() & !(1 << (PRESENT_SHIFT + FIELD_REQUIRED as u32)) == 0
    }

    pub fn items(self) -> Option<SchemaNode> {
        self.field_word(FIELD_ITEMS).map(SchemaNode::from_id)
    }

    /// `additionalProperties` given as a schema (for maps of named values).
    pub fn additional_properties(self) -> Option<SchemaNode> {
        self.field_word(FIELD_ADDITIONAL).map(SchemaNode::from_id)
    }

    /// `patternProperties`: (pattern, schema) pairs.
    pub fn pattern_properties(self) -> impl Iterator<Item = (Pattern, SchemaNode)> {
        let (start, len) = self.field_list(FIELD_PATTERN_PROPERTIES);
        list(start, len, 2).map(|i| (Pattern(pool(i)), SchemaNode::from_id(pool(i + 1))))
    }

    /// The allowed values (`enum`, or `const`), as written (numbers and booleans as
    /// their JSON text).
    pub fn enum_values(self) -> impl Iterator<Item = &'static str> {
        let (start, len) = self.field_list(FIELD_ENUM);
        list(start, len, 1).map(|i| string(pool(i)))
    }

    pub fn has_enum(self) -> bool {
        self.field(FIELD_ENUM).is_some()
    }

    pub fn enum_case_insensitive(self) -> bool {
        self.header() & FLAG_ENUM_CASE_INSENSITIVE != 0
    }

    pub fn unique_items(self) -> bool {
        self.header() & FLAG_UNIQUE_ITEMS != 0
    }

    pub fn pattern(self) -> Option<Pattern> {
        self.field_word(FIELD_PATTERN).map(Pattern)
    }

    pub fn format(self) -> Option<&'static str> {
        self.field_word(FIELD_FORMAT).map(string)
    }

    /// Whether the node bounds its values at all: a length, an item count, a range, or
    /// unique items (one header test: most nodes bound nothing).
    pub fn has_bounds(self) -> bool {
        let fields = (FIELD_MIN_LENGTH..=FIELD_MAXIMUM)
            .fold(0, |bits, field| bits | 1 << (PRESENT_SHIFT + field as u32));
        self.header() & (fields | FLAG_UNIQUE_ITEMS) != 0
    }

    pub fn min_length(self) -> Option<u32> {
        self.field_word(FIELD_MIN_LENGTH)
    }

    pub fn max_length(self) -> Option<u32> {
        self.field_word(FIELD_MAX_LENGTH)
    }

    pub fn min_items(self) -> Option<u32> {
        self.field_word(FIELD_MIN_ITEMS)
    }

    pub fn max_items(self) -> Option<u32> {
        self.field_word(FIELD_MAX_ITEMS)
    }

    pub fn minimum(self) -> Option<f64> {
        self.field_word(FIELD_MINIMUM).and_then(number)
    }

    pub fn maximum(self) -> Option<f64> {
        self.field_word(FIELD_MAXIMUM).and_then(number)
    }

    /// The node's `requiredXor`, `requiredOr`, `dependentRequired` and
    /// `dependentExcluded` (one [`Combination`] per dependency key).
    pub fn combinations(self) -> impl Iterator<Item = Combination> {
        let (start, len) = self.field_list(FIELD_COMBINATIONS);
        list(start, len, COMBINATION_WORDS).map(|i| {
            let kind = match pool(i) {
                COMBINATION_REQUIRED_XOR => CombinationKind::RequiredXor,
                COMBINATION_REQUIRED_OR => CombinationKind::RequiredOr,
                COMBINATION_DEPENDENT_REQUIRED => CombinationKind::DependentRequired,
                _ => CombinationKind::DependentExcluded,
            };
            let key = pool(i + 1);
            Combination {
                kind,
                key: (key != NONE).then(|| string(key)),
                names: list(pool(i + 2), pool(i + 3), 1)
                    .map(|j| string(pool(j)))
                    .collect(),
            }
        })
    }

    pub fn all_of(self) -> impl Iterator<Item = SchemaNode> {
        self.nodes(FIELD_ALL_OF)
    }

    pub fn any_of(self) -> impl Iterator<Item = SchemaNode> {
        self.nodes(FIELD_ANY_OF)
    }

    pub fn one_of(self) -> impl Iterator<Item = SchemaNode> {
        self.nodes(FIELD_ONE_OF)
    }

    /// Whether the node has an `allOf` (one header test: most nodes have none).
    pub fn has_all_of(self) -> bool {
        self.has_field(FIELD_ALL_OF)
    }

    /// Whether the node has an `anyOf` or a `oneOf`.
    pub fn has_alternatives(self) -> bool {
        self.has_field(FIELD_ANY_OF) || self.has_field(FIELD_ONE_OF)
    }

    fn has_field(self, field: usize) -> bool {
        self.header() & (1 << (PRESENT_SHIFT + field as u32)) != 0
    }
}

fn number(id: u32) -> Option<f64> {
    let bytes = sections()
        .numbers
        .get(id as usize * 8..id as usize * 8 + 8)?;
    let mut raw = [0u8; 8];
    raw.copy_from_slice(bytes);
    Some(f64::from_le_bytes(raw))
}

/// A schema `pattern` (ECMA-262 as written; translated to Rust `regex` at build time).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pattern(u32);

fn pattern_count() -> usize {
    sections().patterns.len() / 4 / PATTERN_WORDS
}

impl Pattern {
    /// The pattern as the schema writes it.
    pub fn source(self) -> &'static str {
        string(word_at(
            sections().patterns,
            self.0 as usize * PATTERN_WORDS,
        ))
    }

    /// The Rust `regex` spelling.
    pub fn translated(self) -> &'static str {
        string(word_at(
            sections().patterns,
            self.0 as usize * PATTERN_WORDS + 1,
        ))
    }

    /// Whether the pattern matches somewhere in `text` (schema patterns carry their own
    /// anchors), compiled on first use and kept for the process
    /// ([`crate::pattern::Compiled`]); `None` when Rust's `regex` cannot express it
    /// (look-around, back-references, ...).
    pub fn is_match(self, text: &str) -> Option<bool> {
        static CACHE: OnceLock<Vec<crate::pattern::Compiled>> = OnceLock::new();
        let cache =
            CACHE.get_or_init(|| (0..pattern_count()).map(|_| Default::default()).collect());
        cache
            .get(self.0 as usize)?
            .is_match_lazy(|| self.translated(), text)
    }

    /// Every pattern of the data.
    pub fn all() -> impl Iterator<Item = Pattern> {
        (0..pattern_count() as u32).map(Pattern)
    }
}
