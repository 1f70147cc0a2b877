//! The integration tests, in one binary so that an edit relinks one test crate, not
//! eleven. Each module is one area (`cargo test --test it cli::` runs one).
//!
//! The rule fixtures have their own harness (`tests/rules.rs`, libtest-mimic).

mod cli;
mod config;
mod corpus;
mod fixes;
mod formats;
mod fuzz_smoke;
mod hostile;
mod lsp;
mod lsp_actions;
mod streaming;
mod support;
mod suppressions;
