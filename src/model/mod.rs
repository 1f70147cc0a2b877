//! Typed views over a loaded document. Rules see these, never raw text.

pub mod apigateway;
pub mod appspec;
pub mod cloudfront;
mod completeness;
pub mod dockerrun;
pub mod dynamodb;
mod eb_config;
pub mod elasticache;
pub mod embedded_json;
pub mod eval;
pub mod graph;
pub mod lambda;
pub mod sam;
pub mod shape;
pub mod sqs;
mod template;

pub use appspec::{Appspec, Platform};
pub use completeness::{Partial, UNDERSTOOD_TRANSFORMS};
pub use dockerrun::Dockerrun;
pub use eb_config::{option_settings, EbConfig, OptionSetting};
pub use eval::{Candidate, Origin};
pub use template::{Parameter, Resource, Template, PSEUDO_PARAMETERS};
