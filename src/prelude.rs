//! What a rule's `rule.rs` needs, in one `use`.

pub use crate::document::{Entry, Node, Value};
pub use crate::model::eval::{Intrinsic, RefKind, Reference, Site, Types, ValueType};
pub use crate::model::{
    option_settings, Appspec, Candidate, Dockerrun, EbConfig, Origin, Platform, Resource, Template,
};
pub use crate::rule::{
    Check, DateOption, FileKind, Finding, IntegerOption, Judge, OptionKind, OptionValue,
    ReferenceWalker, Report, ResourceWalker, RuleMeta, RuleOption, Severity,
};
pub use crate::source::Span;
