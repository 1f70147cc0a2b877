//! Fuzz targets for stacklint: the invariants every input must keep, and the mutator
//! the in-repo smoke test uses instead of AFL.

pub mod invariants;
pub mod mutate;
