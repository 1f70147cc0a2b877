//! `Fn::FindInMap` through the template's `Mappings`.

use crate::document::Node;

use super::intrinsic::FindInMap;
use super::Origin;
use crate::model::template::Template;

/// Which argument of `Fn::FindInMap` names a key that does not exist.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MapLevel {
    /// The map name: no such mapping.
    Map,
    /// The top-level key: the mapping has no such entry.
    TopKey,
    /// The second-level key: the entry (or, when the top-level key is not known, every
    /// entry of the mapping) lacks it.
    SecondKey,
}

/// A key of `Fn::FindInMap` that cannot be found.
#[derive(Clone, Debug)]
pub struct MissingKey<'a> {
    pub level: MapLevel,
    /// The map looked in (the missing map itself for [`MapLevel::Map`]).
    pub map: &'a str,
    /// The key's value.
    pub key: &'a str,
    /// The argument as written (the key, or the `Ref` whose parameter gives it).
    pub node: &'a Node,
    pub origin: Origin,
    /// The keys that do exist at that level (for "did you mean").
    pub defined: Vec<&'a str>,
    /// For a second-level key, the top-level key looked in (`None`: every entry).
    pub top_key: Option<&'a str>,
}

/// Work bound: combinations of candidate keys looked at for one lookup.
const MAX_COMBINATIONS: usize = 256;

fn is_placeholder(text: &str) -> bool {
    crate::text::holds_placeholder(text) || text.contains("&{")
}

impl<'a> Template<'a> {
    /// A mapping of the `Mappings` section.
    pub fn mapping(&self, name: &str) -> Option<&'a Node> {
        self.section("Mappings")?.get(name)
    }

    /// Whether `Mappings` is written out (a macro may otherwise fill it).
    fn mappings_are_literal(&self) -> bool {
        match self.section("Mappings") {
            None => true,
            Some(mappings) => {
                mappings.as_map().is_some()
                    && mappings.intrinsic().is_none()
                    && !mappings.iter_map().any(|e| e.key.text == "Fn::Transform")
            }
        }
    }

    /// The literal keys an argument may be, or `None` when unknown (a pseudo
    /// parameter, a parameter without `Default`, a nested function, a loop
    /// placeholder).
    fn key_candidates(&self, node: &'a Node) -> Option<Vec<(&'a str, Origin)>> {
        let values = self.strings(node)?;
        if values.is_empty() || values.iter().any(|(v, _)| is_placeholder(v)) {
            return None;
        }
        let mut out: Vec<(&'a str, Origin)> = Vec::new();
        for (value, candidate) in values {
            if !out.iter().any(|(v, _)| *v == value) {
                out.push((value, candidate.origin));
            }
        }
        Some(out)
    }

    /// Every value the lookup may return, or `None` when a key is unknown or missing
    /// (and there is no `DefaultValue`).
    pub fn find_in_map_values(&self, lookup: &FindInMap<'a>) -> Option<Vec<&'a Node>> {
        if !self.mappings_are_literal() {
            return None;
        }
        let maps = self.key_candidates(lookup.map)?;
        let tops = self.key_candidates(lookup.top_key)?;
        let seconds = self.key_candidates(lookup.second_key)?;
        if maps.len() * tops.len() * seconds.len() > MAX_COMBINATIONS {
            return None;
        }
        let mut out = Vec::new();
        for (map, _) in &maps {
            for (top, _) in &tops {
                for (second, _) in &seconds {
                    match self
                        .mapping(map)
                        .and_then(|m| m.get(top))
                        .and_then(|e| e.get(second))
                    {
                        Some(value) => out.push(value),
                        None => out.push(lookup.default?),
                    }
                }
            }
        }
        Some(out)
    }

    /// The keys of the lookup that certainly do not exist, for each value the
    /// template gives them (literals, parameter `Default`/`AllowedValues`, `Fn::If`
    /// branches). Empty when the lookup has a `DefaultValue`, when `Mappings` is not
    /// written out, or when nothing can be decided.
    pub fn missing_map_keys(&self, lookup: &FindInMap<'a>) -> Vec<MissingKey<'a>> {
        let mut out = Vec::new();
        if lookup.default.is_some() || !self.mappings_are_literal() {
            return out;
        }
        let Some(maps) = self.key_candidates(lookup.map) else {
            return out;
        };
        let defined_maps: Vec<&'a str> = self
            .section("Mappings")
            .map(|m| m.iter_map().map(|e| e.key.text.as_str()).collect())
            .unwrap_or_default();
        let tops = self.key_candidates(lookup.top_key);
        let seconds = self.key_candidates(lookup.second_key);
        for (map_name, origin) in maps {
            let Some(map) = self.mapping(map_name) else {
                out.push(MissingKey {
                    level: MapLevel::Map,
                    map: map_name,
                    key: map_name,
                    node: lookup.map,
                    origin,
                    defined: defined_maps.clone(),
                    top_key: None,
                });
                continue;
            };
            if map.as_map().is_none() || map.intrinsic().is_some() {
                continue;
            }
            let top_names: Vec<&'a str> = map.iter_map().map(|e| e.key.text.as_str()).collect();
            let mut present_tops = Vec::new();
            if let Some(tops) = &tops {
                for (top, origin) in tops {
                    match map.get(top) {
                        Some(entry) => present_tops.push((Some(*top), entry)),
                        None => out.push(MissingKey {
                            level: MapLevel::TopKey,
                            map: map_name,
                            key: top,
                            node: lookup.top_key,
                            origin: *origin,
                            defined: top_names.clone(),
                            top_key: None,
                        }),
                    }
                }
            }
            let Some(seconds) = &seconds else {
                continue;
            };
            for (second, origin) in seconds {
                let missing = |defined, top_key| MissingKey {
                    level: MapLevel::SecondKey,
                    map: map_name,
                    key: second,
                    node: lookup.second_key,
                    origin: *origin,
                    defined,
                    top_key,
                };
                if tops.is_some() {
                    for (top, entry) in &present_tops {
                        if entry.as_map().is_none() || entry.get(second).is_some() {
                            continue;
                        }
                        let defined = entry.iter_map().map(|e| e.key.text.as_str()).collect();
                        out.push(missing(defined, *top));
                    }
                } else {
                    let entries: Vec<&Node> = map.iter_map().map(|e| &e.value).collect();
                    if entries.iter().any(|e| e.as_map().is_none()) {
                        continue;
                    }
                    if !entries.iter().any(|e| e.get(second).is_some()) {
                        let mut defined: Vec<&'a str> = map
                            .iter_map()
                            .flat_map(|e| e.value.iter_map().map(|k| k.key.text.as_str()))
                            .collect();
                        defined.sort_unstable();
                        defined.dedup();
                        out.push(missing(defined, None));
                    }
                }
            }
        }
        out
    }
}
