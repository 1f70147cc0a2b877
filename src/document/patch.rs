//! Re-using a loaded YAML document after an edit that changes one scalar.
//!
//! The language server lints a document on every edit, and most edits change one value
//! (`Status: Enabled` → `Suspended`). Parsing a 1 MB template again was half of its
//! lint; when the edit stays inside one plain scalar and the new text is one the YAML
//! scanner could only read as a plain scalar again, the old tree with that scalar's text
//! replaced and every later span moved is exactly what a new parse would give. Anything
//! else (a key, quotes, a new line, an indicator character, aliases in the document) is
//! left to a full parse.

use super::{Loaded, Node, ScalarStyle, Value};

/// Updates `loaded` (the tree of `old`) to be the tree of `new`, if the texts differ in
/// one plain scalar value whose new text is unambiguous; returns whether it did.
/// `false` leaves `loaded` unchanged: load `new` instead.
pub fn patch_scalar(loaded: &mut Loaded, old: &str, new: &str) -> bool {
    if old == new {
        return true;
    }
    // Problems, aliases and merge keys depend on more than one place of the text.
    if !loaded.problems.is_empty() || !loaded.aliases.is_empty() || !loaded.merge_keys.is_empty() {
        return false;
    }
    let (start, old_end, new_end) = changed_range(old, new);
    let Some(root) = loaded.root.as_mut() else {
        return false;
    };
    let Some(scalar) = scalar_around(root, start, old_end) else {
        return false;
    };
    let span = scalar.span();
    // A pure insertion at the scalar's first byte could as well be before it.
    if start == old_end && start == span.start() {
        return false;
    }
    let (Value::Scalar(text), Some(ScalarStyle::Plain)) = (&scalar.value, scalar.scalar_style())
    else {
        return false;
    };
    if old.get(span.range()) != Some(text.as_str()) {
        return false;
    }
    let new_scalar_end = span.end() - old_end + new_end;
    let Some(replacement) = new.get(span.start()..new_scalar_end) else {
        return false;
    };
    if !is_unambiguous_plain(replacement) || !is_unambiguous_plain(text) {
        return false;
    }
    scalar.set_scalar(replacement.into(), ScalarStyle::Plain);
    if new_end != old_end {
        loaded.remap(|offset| {
            if offset >= old_end {
                offset - old_end + new_end
            } else {
                offset
            }
        });
    }
    true
}

/// The one range where `old` and `new` differ: `(start, end in old, end in new)`, each
/// on a character boundary of its text.
fn changed_range(old: &str, new: &str) -> (usize, usize, usize) {
    let (a, b) = (old.as_bytes(), new.as_bytes());
    let mut prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    while !old.is_char_boundary(prefix) || !new.is_char_boundary(prefix) {
        prefix -= 1;
    }
    let room = a.len().min(b.len()) - prefix;
    let mut suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take(room)
        .take_while(|(x, y)| x == y)
        .count();
    while !old.is_char_boundary(a.len() - suffix) || !new.is_char_boundary(b.len() - suffix) {
        suffix -= 1;
    }
    (prefix, a.len() - suffix, b.len() - suffix)
}

/// The scalar node whose span holds `start..end`, found by descending into the
/// collection that holds it (mapping keys are not nodes: an edit of a key finds none).
fn scalar_around(node: &mut Node, start: usize, end: usize) -> Option<&mut Node> {
    let holds = |n: &Node| n.span().start() <= start && end <= n.span().end();
    let mut node = node;
    if !holds(node) {
        return None;
    }
    loop {
        if matches!(node.value, Value::Scalar(..)) {
            return Some(node);
        }
        node = match &mut node.value {
            Value::Scalar(..) => return None,
            Value::Seq(items) => items.iter_mut().find(|item| holds(item))?,
            Value::Map(entries) => {
                let entry = entries.iter_mut().find(|entry| holds(&entry.value))?;
                // An edit reaching into the key is not an edit of the value.
                if entry.key.span.end() > start {
                    return None;
                }
                &mut entry.value
            }
        };
    }
}

/// Whether `text` written as a plain scalar can only be read back as that plain scalar,
/// wherever a plain scalar value can stand (block or flow): letters, digits and
/// `-_./@+=` after a letter or digit. No spaces, quotes, `:`, `#`, `,` or brackets:
/// those can end the scalar or start something else.
fn is_unambiguous_plain(text: &str) -> bool {
    let mut chars = text.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && chars.all(|c| {
            c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/' | '@' | '+' | '=')
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::load_yaml;

    /// Applies `edit` (`old` → `new` text) both ways: patched and parsed again.
    fn check(old: &str, new: &str) -> bool {
        let mut loaded = load_yaml(old);
        let patched = patch_scalar(&mut loaded, old, new);
        let fresh = load_yaml(new);
        if patched {
            assert_eq!(loaded.root, fresh.root, "{old:?} -> {new:?}");
            assert_eq!(loaded.problems, fresh.problems, "{old:?} -> {new:?}");
        }
        patched
    }

    #[test]
    fn a_changed_value_is_patched_and_later_spans_move() {
        let old = "A:\n  Status: Enabled\n  Next: [x, y]\nB: {C: d}\n";
        assert!(check(old, &old.replace("Enabled", "Suspended")));
        assert!(check(old, &old.replace("Enabled", "On")));
        assert!(check(old, &old.replace("{C: d}", "{C: dd}")));
        assert!(check(old, &old.replace("[x, y]", "[x, y2]")));
        // Appending at the end and inserting inside.
        assert!(check(old, &old.replace("Enabled", "Enabledx")));
        assert!(check(old, &old.replace("Enabled", "Ena-bled")));
    }

    #[test]
    fn edits_that_could_change_the_structure_are_refused() {
        let old = "A:\n  Status: Enabled\n  Ref: !Ref Bucket\n";
        for new in [
            old.replace("Status", "State"),       // a key
            old.replace("Enabled", "Enabled: x"), // a mapping
            old.replace("Enabled", "Enabled #c"), // a comment
            old.replace("Enabled", "'Enabled'"),  // quotes
            old.replace("Enabled", "Enab\nled"),  // a new line
            old.replace("Enabled", "-Enabled"),   // a leading indicator
            old.replace("Enabled", "xEnabled"),   // at the first byte
            old.replace("!Ref", "!GetAtt"),       // a tag
            old.replace("Enabled", ""),           // emptied
        ] {
            assert!(!check(old, &new), "{new:?} was patched");
        }
        // A document with an alias is parsed again.
        let aliased = "A: &a x\nB: *a\n";
        assert!(!check(aliased, &aliased.replace("x\n", "y\n")));
    }

    /// The plain scalar values of `node` (keys are not nodes), in document order.
    fn plain_scalars(node: &Node, out: &mut Vec<crate::source::Span>) {
        match &node.value {
            Value::Scalar(_) if node.scalar_style() == Some(ScalarStyle::Plain) => {
                out.push(node.span())
            }
            Value::Scalar(_) => {}
            Value::Seq(items) => items.iter().for_each(|item| plain_scalars(item, out)),
            Value::Map(entries) => entries.iter().for_each(|e| plain_scalars(&e.value, out)),
        }
    }

    /// Every YAML fixture of the rules, each plain scalar edited several ways: whatever
    /// is patched equals a new parse of the edited text.
    #[test]
    fn patched_trees_equal_new_parses_over_the_rule_fixtures() {
        let rules = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
        let mut files = Vec::new();
        for folder in std::fs::read_dir(rules).expect("rules/") {
            for file in std::fs::read_dir(folder.expect("entry").path())
                .into_iter()
                .flatten()
            {
                let path = file.expect("entry").path();
                if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
                    files.push(path);
                }
            }
        }
        let (mut tried, mut patched) = (0, 0);
        for path in files {
            let Ok(old) = std::fs::read_to_string(&path) else {
                continue;
            };
            let mut spans = Vec::new();
            if let Some(root) = &load_yaml(&old).root {
                plain_scalars(root, &mut spans);
            }
            for span in spans.into_iter().take(12) {
                let text = &old[span.range()];
                let middle = (1..text.len()).find(|&i| text.is_char_boundary(i));
                let mut edits = vec![format!("{text}x"), "Value9".to_string()];
                if let Some(i) = middle {
                    edits.push(format!("{}-{}", &text[..i], &text[i..]));
                    edits.push(text[..i].to_string());
                }
                for edit in edits {
                    let new = format!("{}{edit}{}", &old[..span.start()], &old[span.end()..]);
                    tried += 1;
                    patched += usize::from(check(&old, &new));
                }
            }
        }
        // The fixtures are mostly plain values: most edits must take the short way.
        assert!(
            tried > 2_000 && patched * 2 > tried,
            "{patched} of {tried} edits patched"
        );
    }

    #[test]
    fn the_changed_range_is_on_character_boundaries() {
        assert_eq!(changed_range("a: é1", "a: é2"), (5, 6, 6));
        // é and è share their first byte: the range starts before it.
        assert_eq!(changed_range("a: é", "a: è"), (3, 5, 5));
        assert_eq!(changed_range("éa", "èa"), (0, 2, 2));
        assert_eq!(changed_range("ab", "abc"), (2, 2, 3));
        assert_eq!(changed_range("aXa", "aa"), (1, 2, 1));
    }
}
