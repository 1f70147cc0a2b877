//! Build time: `src/schema/data/*.json` → the blob `crate::schema` reads in place (see
//! `layout.rs`). Strings are interned, nodes with equal content are stored once (most
//! of the 1,898 types share small nodes such as `{"type": "string", "maxLength": 256}`),
//! each type's `definitions` become nodes that every `$ref` to them shares, and
//! property lists are sorted by name for binary search.

use std::collections::HashMap;
use std::path::Path;

use serde_json::Value;

use super::layout::*;
use super::translate::ecma_to_rust;

#[derive(Default)]
struct Blob {
    strings: Vec<String>,
    string_ids: HashMap<String, u32>,
    /// Node id → offset in `pool` (NONE while reserved).
    nodes: Vec<u32>,
    pool: Vec<u32>,
    records: HashMap<Vec<u32>, u32>,
    lists: HashMap<Vec<u32>, u32>,
    numbers: Vec<f64>,
    number_ids: HashMap<u64, u32>,
    patterns: Vec<(u32, u32)>,
    pattern_ids: HashMap<String, u32>,
    types: Vec<[u32; TYPE_WORDS]>,
}

impl Blob {
    fn string(&mut self, text: &str) -> u32 {
        if let Some(&id) = self.string_ids.get(text) {
            return id;
        }
        let id = self.strings.len() as u32;
        self.strings.push(text.to_string());
        self.string_ids.insert(text.to_string(), id);
        id
    }

    fn number(&mut self, value: f64) -> u32 {
        let bits = value.to_bits();
        if let Some(&id) = self.number_ids.get(&bits) {
            return id;
        }
        let id = self.numbers.len() as u32;
        self.numbers.push(value);
        self.number_ids.insert(bits, id);
        id
    }

    fn pattern(&mut self, pattern: &str) -> u32 {
        if let Some(&id) = self.pattern_ids.get(pattern) {
            return id;
        }
        let original = self.string(pattern);
        let translated = self.string(&ecma_to_rust(pattern));
        let id = self.patterns.len() as u32;
        self.patterns.push((original, translated));
        self.pattern_ids.insert(pattern.to_string(), id);
        id
    }

    /// A list in the pool (shared when equal); returns (start, len).
    /// A list of interned names, as written (order kept).
    fn name_list(&mut self, names: &[Value]) -> [u32; 2] {
        let words: Vec<u32> = names
            .iter()
            .filter_map(Value::as_str)
            .map(|n| self.string(n))
            .collect();
        let count = words.len() as u32;
        self.list(words, count)
    }

    fn list(&mut self, words: Vec<u32>, items: u32) -> [u32; 2] {
        if words.is_empty() {
            return [0, 0];
        }
        if let Some(&start) = self.lists.get(&words) {
            return [start, items];
        }
        let start = self.pool.len() as u32;
        self.pool.extend_from_slice(&words);
        self.lists.insert(words, start);
        [start, items]
    }

    fn reserve(&mut self) -> u32 {
        self.nodes.push(NONE);
        (self.nodes.len() - 1) as u32
    }

    /// Stores a record (shared when equal) as node `id`.
    fn store(&mut self, id: u32, record: Vec<u32>) {
        let offset = match self.records.get(&record) {
            Some(&offset) => offset,
            None => {
                let offset = self.pool.len() as u32;
                self.pool.extend_from_slice(&record);
                self.records.insert(record, offset);
                offset
            }
        };
        self.nodes[id as usize] = offset;
    }
}

/// One type's compilation: its definitions' reserved ids.
struct Scope<'a> {
    root: &'a Value,
    definitions: HashMap<String, u32>,
    /// Guards pointers other than `#/definitions/X` against cycles.
    depth: usize,
}

fn json_type(name: &str) -> u32 {
    match name {
        "string" => TYPE_STRING,
        "integer" => TYPE_INTEGER,
        "number" => TYPE_NUMBER,
        "boolean" => TYPE_BOOLEAN,
        "array" => TYPE_ARRAY,
        "object" => TYPE_OBJECT,
        "null" => TYPE_NULL,
        _ => 0,
    }
}

fn enum_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn resolve<'v>(root: &'v Value, pointer: &str) -> Option<&'v Value> {
    let path = pointer.strip_prefix('#')?;
    if path.is_empty() {
        return Some(root);
    }
    root.pointer(path)
}

impl Blob {
    /// The node id of a schema value.
    fn node(&mut self, value: &Value, scope: &mut Scope) -> u32 {
        let Some(map) = value.as_object() else {
            // `true`/`false` schemas: an open, typeless node.
            let id = self.reserve();
            self.store(id, vec![0]);
            return id;
        };
        let reference = map.get("$ref").and_then(Value::as_str);
        if let Some(pointer) = reference {
            let target = self.reference(pointer, scope);
            if map.len() == 1 {
                if let Some(target) = target {
                    return target;
                }
            }
        }
        let id = self.reserve();
        let record = self.record(value, scope);
        self.store(id, record);
        id
    }

    fn reference(&mut self, pointer: &str, scope: &mut Scope) -> Option<u32> {
        if let Some(name) = pointer.strip_prefix("#/definitions/") {
            if let Some(&id) = scope.definitions.get(name) {
                return Some(id);
            }
        }
        if scope.depth > 8 {
            return None;
        }
        let target = resolve(scope.root, pointer)?;
        scope.depth += 1;
        let id = self.node(target, scope);
        scope.depth -= 1;
        Some(id)
    }

    fn record(&mut self, value: &Value, scope: &mut Scope) -> Vec<u32> {
        let Some(map) = value.as_object() else {
            return vec![0];
        };
        let mut header = 0u32;
        let mut fields: Vec<Option<Vec<u32>>> = vec![None; FIELD_SIZES.len()];
        match map.get("type") {
            Some(Value::String(name)) => header |= json_type(name),
            Some(Value::Array(names)) => {
                for name in names.iter().filter_map(Value::as_str) {
                    header |= json_type(name);
                }
            }
            _ => {}
        }
        if map.get("additionalProperties") == Some(&Value::Bool(false)) {
            header |= FLAG_CLOSED;
        }
        if map.get("uniqueItems") == Some(&Value::Bool(true)) {
            header |= FLAG_UNIQUE_ITEMS;
        }
        if map.get("enumCaseInsensitive") == Some(&Value::Bool(true)) {
            header |= FLAG_ENUM_CASE_INSENSITIVE;
        }
        if let Some(Value::Object(properties)) = map.get("properties") {
            let mut pairs: Vec<(String, u32)> = Vec::new();
            for (name, schema) in properties {
                let node = self.node(schema, scope);
                pairs.push((name.clone(), node));
            }
            pairs.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
            let count = pairs.len() as u32;
            let words: Vec<u32> = pairs
                .iter()
                .flat_map(|(name, node)| [self.string(name), *node])
                .collect();
            fields[FIELD_PROPERTIES] = Some(self.list(words, count).to_vec());
        }
        if let Some(Value::Array(required)) = map.get("required") {
            let mut names: Vec<&str> = required.iter().filter_map(Value::as_str).collect();
            names.sort_unstable();
            names.dedup();
            let words: Vec<u32> = names.iter().map(|n| self.string(n)).collect();
            let count = words.len() as u32;
            fields[FIELD_REQUIRED] = Some(self.list(words, count).to_vec());
        }
        if let Some(items) = map.get("items").filter(|v| v.is_object()) {
            fields[FIELD_ITEMS] = Some(vec![self.node(items, scope)]);
        }
        if let Some(additional) = map.get("additionalProperties").filter(|v| v.is_object()) {
            fields[FIELD_ADDITIONAL] = Some(vec![self.node(additional, scope)]);
        }
        if let Some(Value::Object(patterns)) = map.get("patternProperties") {
            let mut words = Vec::new();
            for (pattern, schema) in patterns {
                let pattern = self.pattern(pattern);
                let node = self.node(schema, scope);
                words.extend([pattern, node]);
            }
            let count = patterns.len() as u32;
            fields[FIELD_PATTERN_PROPERTIES] = Some(self.list(words, count).to_vec());
        }
        let values = match (map.get("enum"), map.get("const")) {
            (Some(Value::Array(values)), _) => Some(values.clone()),
            (None, Some(value)) => Some(vec![value.clone()]),
            _ => None,
        };
        if let Some(values) = values {
            let words: Vec<u32> = values.iter().map(|v| self.string(&enum_text(v))).collect();
            let count = words.len() as u32;
            fields[FIELD_ENUM] = Some(self.list(words, count).to_vec());
        }
        if let Some(pattern) = map.get("pattern").and_then(Value::as_str) {
            fields[FIELD_PATTERN] = Some(vec![self.pattern(pattern)]);
        }
        if let Some(format) = map.get("format").and_then(Value::as_str) {
            fields[FIELD_FORMAT] = Some(vec![self.string(format)]);
        }
        for (key, field) in [
            ("minLength", FIELD_MIN_LENGTH),
            ("maxLength", FIELD_MAX_LENGTH),
            ("minItems", FIELD_MIN_ITEMS),
            ("maxItems", FIELD_MAX_ITEMS),
        ] {
            if let Some(n) = map.get(key).and_then(Value::as_u64) {
                fields[field] = Some(vec![n.min(u64::from(NONE - 1)) as u32]);
            }
        }
        for (key, field) in [("minimum", FIELD_MINIMUM), ("maximum", FIELD_MAXIMUM)] {
            if let Some(n) = map.get(key).and_then(Value::as_f64) {
                fields[field] = Some(vec![self.number(n)]);
            }
        }
        let mut combinations: Vec<u32> = Vec::new();
        let mut combination_count = 0u32;
        for (key, kind) in [
            ("requiredXor", COMBINATION_REQUIRED_XOR),
            ("requiredOr", COMBINATION_REQUIRED_OR),
        ] {
            if let Some(Value::Array(names)) = map.get(key) {
                let [start, len] = self.name_list(names);
                combinations.extend([kind, NONE, start, len]);
                combination_count += 1;
            }
        }
        for (key, kind) in [
            ("dependentRequired", COMBINATION_DEPENDENT_REQUIRED),
            ("dependentExcluded", COMBINATION_DEPENDENT_EXCLUDED),
        ] {
            if let Some(Value::Object(dependencies)) = map.get(key) {
                let mut keys: Vec<&String> = dependencies.keys().collect();
                keys.sort();
                for name in keys {
                    let Some(Value::Array(names)) = dependencies.get(name) else {
                        continue;
                    };
                    let [start, len] = self.name_list(names);
                    let name = self.string(name);
                    combinations.extend([kind, name, start, len]);
                    combination_count += 1;
                }
            }
        }
        if combination_count > 0 {
            fields[FIELD_COMBINATIONS] = Some(self.list(combinations, combination_count).to_vec());
        }
        let mut all_of: Vec<u32> = Vec::new();
        if let Some(pointer) = map.get("$ref").and_then(Value::as_str) {
            // `$ref` beside other keywords: both apply.
            all_of.extend(self.reference(pointer, scope));
        }
        for (key, field) in [
            ("allOf", FIELD_ALL_OF),
            ("anyOf", FIELD_ANY_OF),
            ("oneOf", FIELD_ONE_OF),
        ] {
            let mut members = if field == FIELD_ALL_OF {
                std::mem::take(&mut all_of)
            } else {
                Vec::new()
            };
            if let Some(Value::Array(schemas)) = map.get(key) {
                for schema in schemas {
                    members.push(self.node(schema, scope));
                }
            }
            if !members.is_empty() {
                let count = members.len() as u32;
                fields[field] = Some(self.list(members, count).to_vec());
            }
        }
        let mut record = vec![0];
        for (index, field) in fields.into_iter().enumerate() {
            if let Some(words) = field {
                header |= 1 << (PRESENT_SHIFT + index as u32);
                record.extend(words);
            }
        }
        record[0] = header;
        record
    }
}

/// `/properties/Endpoint/Address` → `Endpoint.Address`; `/properties/A/*/B` → `A.*.B`.
fn dotted(pointer: &str) -> Option<String> {
    let rest = pointer.strip_prefix("/properties/")?;
    Some(
        rest.split('/')
            .filter(|part| *part != "properties")
            .collect::<Vec<_>>()
            .join("."),
    )
}

/// Compiles every `*.json` type file of `data` (and `regions.json`) into the blob.
pub fn compile(data: &Path) -> Result<Vec<u8>, String> {
    let mut names: Vec<_> = std::fs::read_dir(data)
        .map_err(|e| format!("{}: {e}", data.display()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.extension().is_some_and(|x| x == "json")
                && p.file_name()
                    .is_some_and(|n| n != "regions.json" && n != "PROVENANCE.json")
        })
        .collect();
    names.sort();
    let regions_text = std::fs::read_to_string(data.join("regions.json"))
        .map_err(|e| format!("regions.json: {e}"))?;
    let regions: serde_json::Map<String, Value> =
        serde_json::from_str(&regions_text).map_err(|e| format!("regions.json: {e}"))?;
    let mut region_names: Vec<String> = regions
        .values()
        .filter_map(Value::as_array)
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_string)
        .collect();
    region_names.sort();
    region_names.dedup();
    if region_names.len() > 64 {
        return Err(format!(
            "{} regions do not fit a 64-bit mask",
            region_names.len()
        ));
    }

    let mut blob = Blob::default();
    // Offset 0: an open, typeless record (what an unresolvable reference becomes).
    blob.pool.push(0);
    // Property names and types are looked up by byte order: intern them first so that
    // nothing depends on it, but keep ids stable.
    for path in &names {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let schema: Value =
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        let type_name = schema
            .get("typeName")
            .and_then(Value::as_str)
            .ok_or_else(|| format!("{}: no typeName", path.display()))?
            .to_string();
        let mut scope = Scope {
            root: &schema,
            definitions: HashMap::new(),
            depth: 0,
        };
        let definitions = schema.get("definitions").and_then(Value::as_object);
        if let Some(definitions) = definitions {
            for name in definitions.keys() {
                let id = blob.reserve();
                scope.definitions.insert(name.clone(), id);
            }
            for (name, definition) in definitions {
                let id = scope.definitions[name];
                if let Some(target) = definition
                    .as_object()
                    .filter(|m| m.len() == 1)
                    .and_then(|m| m.get("$ref"))
                    .and_then(Value::as_str)
                    .filter(|p| !p.ends_with(&format!("/{name}")))
                    .and_then(|p| blob.reference(p, &mut scope))
                {
                    // A definition that only points elsewhere: copy the target's offset
                    // once everything is stored (see the fix-up below).
                    blob.nodes[id as usize] = NONE - 1 - target;
                    continue;
                }
                let record = blob.record(definition, &mut scope);
                blob.store(id, record);
            }
        }
        let root = blob.reserve();
        let record = blob.record(&schema, &mut scope);
        blob.store(root, record);

        let mut type_record = [0u32; TYPE_WORDS];
        type_record[0] = blob.string(&type_name);
        type_record[1] = root;
        type_record[2] = match schema.get("documentationUrl").and_then(Value::as_str) {
            Some(url) => blob.string(url),
            None => NONE,
        };
        for (index, key) in [
            "readOnlyProperties",
            "createOnlyProperties",
            "writeOnlyProperties",
            "deprecatedProperties",
        ]
        .iter()
        .enumerate()
        {
            let mut paths: Vec<String> = schema
                .get(*key)
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(Value::as_str)
                        .filter_map(dotted)
                        .collect()
                })
                .unwrap_or_default();
            paths.sort();
            paths.dedup();
            let words: Vec<u32> = paths.iter().map(|p| blob.string(p)).collect();
            let count = words.len() as u32;
            let [start, len] = blob.list(words, count);
            type_record[3 + 2 * index] = start;
            type_record[4 + 2 * index] = len;
        }
        let mut mask = 0u64;
        for region in regions
            .get(&type_name)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            if let Ok(bit) = region_names.binary_search_by(|r| r.as_str().cmp(region)) {
                mask |= 1 << bit;
            }
        }
        type_record[11] = mask as u32;
        type_record[12] = (mask >> 32) as u32;
        blob.types.push(type_record);
    }
    // Definitions that are aliases of other nodes (chains resolved here).
    for id in 0..blob.nodes.len() {
        let mut target = blob.nodes[id];
        let mut hops = 0;
        while target != NONE && target > NONE - 1 - blob.nodes.len() as u32 && hops < 64 {
            target = blob.nodes[(NONE - 1 - target) as usize];
            hops += 1;
        }
        blob.nodes[id] = if hops == 64 || target == NONE {
            0
        } else {
            target
        };
    }
    if blob.nodes.iter().any(|&o| o as usize >= blob.pool.len()) {
        return Err("a node points outside the pool".into());
    }
    let mut type_names: Vec<(String, [u32; TYPE_WORDS])> = blob
        .types
        .iter()
        .map(|t| (blob.strings[t[0] as usize].clone(), *t))
        .collect();
    type_names.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let region_ids: Vec<u32> = region_names.iter().map(|r| blob.string(r)).collect();
    let all_region_words: Vec<u32> = region_ids;

    // Serialize.
    let mut string_offsets = Vec::with_capacity(blob.strings.len() + 1);
    let mut string_bytes = Vec::new();
    for s in &blob.strings {
        string_offsets.push(string_bytes.len() as u32);
        string_bytes.extend_from_slice(s.as_bytes());
    }
    string_offsets.push(string_bytes.len() as u32);
    let words = |w: &[u32]| -> Vec<u8> { w.iter().flat_map(|x| x.to_le_bytes()).collect() };
    let types: Vec<u32> = type_names.iter().flat_map(|(_, t)| *t).collect();
    let patterns: Vec<u32> = blob.patterns.iter().flat_map(|&(a, b)| [a, b]).collect();
    let numbers: Vec<u8> = blob.numbers.iter().flat_map(|n| n.to_le_bytes()).collect();
    let mut sections: Vec<Vec<u8>> = vec![Vec::new(); SECTIONS];
    sections[SECTION_STRING_OFFSETS] = words(&string_offsets);
    sections[SECTION_STRING_BYTES] = string_bytes;
    sections[SECTION_TYPES] = words(&types);
    sections[SECTION_NODES] = words(&blob.nodes);
    sections[SECTION_POOL] = words(&blob.pool);
    sections[SECTION_NUMBERS] = numbers;
    sections[SECTION_PATTERNS] = words(&patterns);
    sections[SECTION_REGIONS] = words(&all_region_words);

    let header_len = 4 + SECTIONS * 8;
    let mut out = Vec::new();
    out.extend_from_slice(&MAGIC.to_le_bytes());
    let mut at = header_len;
    for section in &sections {
        // Keep every section 8-byte aligned (the numbers are f64).
        let padded = section.len().div_ceil(8) * 8;
        out.extend_from_slice(&(at as u32).to_le_bytes());
        out.extend_from_slice(&(section.len() as u32).to_le_bytes());
        at += padded;
    }
    for section in &sections {
        out.extend_from_slice(section);
        out.resize(
            out.len() + (section.len().div_ceil(8) * 8 - section.len()),
            0,
        );
    }
    Ok(out)
}
