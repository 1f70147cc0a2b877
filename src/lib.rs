//! stacklint: a span-exact linter for AWS CloudFormation, SAM, CodeDeploy AppSpec and
//! Elastic Beanstalk Dockerrun files.

pub mod document;
pub mod source;
