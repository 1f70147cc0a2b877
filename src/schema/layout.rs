//! The layout of the compiled schema blob, shared by `build.rs` (which writes it) and
//! `crate::schema` (which reads it in place). Everything is little-endian `u32` words
//! except the string bytes and the `f64` numbers.
//!
//! ```text
//! header   MAGIC, then SECTIONS × (start, len) in bytes
//! strings  offsets: [u32; n + 1] (into `bytes`), bytes: UTF-8
//! types    TYPE_WORDS words per type, sorted by name (binary search)
//! nodes    node id → word offset in `pool`
//! pool     node records and lists
//! numbers  f64 values (minimum / maximum)
//! patterns PATTERN_WORDS words per pattern: original, translated (or NONE)
//! regions  string ids of region names; bit i of a type's mask = region i
//! ```
//!
//! A node record is a header word followed by the fields whose presence bit is set, in
//! field order. Header bits: 0–6 JSON types (`TYPE_*`), then the flags, then one
//! presence bit per field (`FIELD_*`, counted from `PRESENT_SHIFT`).

pub const MAGIC: u32 = 0x534c_5301;
pub const NONE: u32 = u32::MAX;

pub const SECTION_STRING_OFFSETS: usize = 0;
pub const SECTION_STRING_BYTES: usize = 1;
pub const SECTION_TYPES: usize = 2;
pub const SECTION_NODES: usize = 3;
pub const SECTION_POOL: usize = 4;
pub const SECTION_NUMBERS: usize = 5;
pub const SECTION_PATTERNS: usize = 6;
pub const SECTION_REGIONS: usize = 7;
pub const SECTIONS: usize = 8;

pub const TYPE_STRING: u32 = 1 << 0;
pub const TYPE_INTEGER: u32 = 1 << 1;
pub const TYPE_NUMBER: u32 = 1 << 2;
pub const TYPE_BOOLEAN: u32 = 1 << 3;
pub const TYPE_ARRAY: u32 = 1 << 4;
pub const TYPE_OBJECT: u32 = 1 << 5;
pub const TYPE_NULL: u32 = 1 << 6;

/// `additionalProperties: false`.
pub const FLAG_CLOSED: u32 = 1 << 7;
pub const FLAG_UNIQUE_ITEMS: u32 = 1 << 8;
pub const FLAG_ENUM_CASE_INSENSITIVE: u32 = 1 << 9;

pub const PRESENT_SHIFT: u32 = 10;

/// Fields in record order, each with its size in words. Lists are (start, len) into the
/// pool; property and patternProperty lists hold (name or pattern, node) pairs.
pub const FIELD_PROPERTIES: usize = 0;
pub const FIELD_REQUIRED: usize = 1;
pub const FIELD_ITEMS: usize = 2;
pub const FIELD_ADDITIONAL: usize = 3;
pub const FIELD_PATTERN_PROPERTIES: usize = 4;
pub const FIELD_ENUM: usize = 5;
pub const FIELD_PATTERN: usize = 6;
pub const FIELD_FORMAT: usize = 7;
pub const FIELD_MIN_LENGTH: usize = 8;
pub const FIELD_MAX_LENGTH: usize = 9;
pub const FIELD_MIN_ITEMS: usize = 10;
pub const FIELD_MAX_ITEMS: usize = 11;
pub const FIELD_MINIMUM: usize = 12;
pub const FIELD_MAXIMUM: usize = 13;
pub const FIELD_ALL_OF: usize = 14;
pub const FIELD_ANY_OF: usize = 15;
pub const FIELD_ONE_OF: usize = 16;
/// `requiredXor`, `requiredOr`, `dependentRequired`, `dependentExcluded`: (start, count)
/// of `COMBINATION_WORDS`-word records (kind, key or `NONE`, names start, names count).
pub const FIELD_COMBINATIONS: usize = 17;
pub const FIELD_SIZES: [u32; 18] = [2, 2, 1, 1, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2];

pub const COMBINATION_WORDS: usize = 4;
pub const COMBINATION_REQUIRED_XOR: u32 = 0;
pub const COMBINATION_REQUIRED_OR: u32 = 1;
pub const COMBINATION_DEPENDENT_REQUIRED: u32 = 2;
pub const COMBINATION_DEPENDENT_EXCLUDED: u32 = 3;

/// A type record: name, root node, documentation URL, then (start, len) lists of
/// read-only, create-only, write-only and deprecated property paths (dotted, `*` for
/// any item), then the region mask (two words).
pub const TYPE_WORDS: usize = 13;
pub const PATTERN_WORDS: usize = 2;
