//! stacklint: a span-exact linter for AWS CloudFormation, SAM, CodeDeploy AppSpec and
//! Elastic Beanstalk Dockerrun files.
//!
//! The layers are kept apart: [`document`] loads text into spanned nodes, [`model`]
//! gives rules typed views of them, rules (under `rules/`, gathered in [`registry`])
//! report [`rule::Finding`]s, and [`render`] turns findings into output.

#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod cli;
pub mod config;
pub mod date;
pub mod document;
pub mod files;
pub mod fix;
pub mod kind;
pub mod lint;
pub mod lsp;
pub mod model;
pub mod ordered;
pub mod pattern;
pub mod prelude;
pub mod registry;
pub mod render;
pub mod rule;
pub mod rule_docs;
pub mod schema;
pub mod selection;
pub mod source;
pub mod suggest;
pub mod suppress;
pub mod text;
