//! The text of mapping keys, each distinct one held once per document.

use std::borrow::Borrow;
use std::collections::HashSet;
use std::fmt;
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Deref;
use std::sync::Arc;

/// The text of a mapping key. A document repeats few distinct keys many times (`Type`,
/// `Properties`, each property name in every resource), so the loaders keep each once
/// ([`KeyTexts`]) and an entry points at it: a thin pointer, 8 bytes per entry instead
/// of the 24 of a [`super::Text`] (or the 16 of an `Arc<str>`: entries are most of a
/// large template's tree), and a long key repeated costs no allocation. Compares,
/// hashes and orders as its text.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeyText(Arc<Box<str>>);

impl KeyText {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Deref for KeyText {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for KeyText {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for KeyText {
    fn borrow(&self) -> &str {
        &self.0
    }
}

/// A key made outside a loader (tests, synthesized nodes): not shared.
impl From<&str> for KeyText {
    fn from(text: &str) -> Self {
        KeyText(Arc::new(Box::from(text)))
    }
}

impl PartialEq<str> for KeyText {
    fn eq(&self, other: &str) -> bool {
        **self.0 == *other
    }
}

impl PartialEq<&str> for KeyText {
    fn eq(&self, other: &&str) -> bool {
        **self.0 == **other
    }
}

impl PartialEq<KeyText> for str {
    fn eq(&self, other: &KeyText) -> bool {
        *self == **other.0
    }
}

impl PartialEq<KeyText> for &str {
    fn eq(&self, other: &KeyText) -> bool {
        **self == **other.0
    }
}

impl fmt::Display for KeyText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for KeyText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self.0, f)
    }
}

/// The distinct keys of the document being loaded.
#[derive(Default)]
pub(super) struct KeyTexts(HashSet<KeyText, BuildHasherDefault<KeyHasher>>);

/// A multiply-rotate hash, eight bytes at a step (the Fx hash of rustc). Every key of a
/// document is looked up once, and the standard SipHash was 4% of the lint of a 50 KB
/// template. It is not resistant to crafted collisions; the worst a crafted template
/// can do is slow its own lint, one lookup per key.
#[derive(Default)]
pub(super) struct KeyHasher(u64);

impl KeyHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for KeyHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for word in &mut words {
            let mut eight = [0; 8];
            eight.copy_from_slice(word);
            self.add(u64::from_le_bytes(eight));
        }
        let rest = words.remainder();
        let mut last = [0; 8];
        last[..rest.len()].copy_from_slice(rest);
        self.add(u64::from_le_bytes(last));
    }

    fn write_u8(&mut self, byte: u8) {
        self.add(u64::from(byte));
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

impl KeyTexts {
    /// The shared text of a key.
    pub fn get(&mut self, text: &str) -> KeyText {
        if let Some(known) = self.0.get(text) {
            return known.clone();
        }
        let text = KeyText::from(text);
        self.0.insert(text.clone());
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repeated_key_is_held_once() {
        let mut keys = KeyTexts::default();
        let first = keys.get("Properties");
        let again = keys.get("Properties");
        assert!(Arc::ptr_eq(&first.0, &again.0));
        assert_eq!(first, "Properties");
        assert_ne!(keys.get("Type"), first);
        assert_eq!(std::mem::size_of::<KeyText>(), 8);
    }
}
