//! The CloudFormation resources SAM generates from `AWS::Serverless::*` resources, and
//! the logical ids they get, as "Generated AWS CloudFormation resources for AWS SAM"
//! documents them
//! (<https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-specification-generated-resources.html>).
//!
//! A template may `Ref`, `Fn::GetAtt` or `DependsOn` these ids. Some are decided by the
//! template (`MyFunctionRole`, `MyFunctionAliaslive`, `MyApiProdStage`,
//! `MyFunctionMyEventPermission`); others end in a hash SAM computes at transform
//! time (`MyFunctionVersion926eeb5ff1`, `MyApiDeployment0f1e2d3c4b`) and are known only
//! by their prefix.

use crate::document::Node;

use super::template::{Resource, Template};

/// How a generated logical id is known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GeneratedId {
    /// The whole id.
    Exact(String),
    /// The id up to a hash SAM computes: any longer name with this prefix.
    Prefix(String),
}

/// One resource SAM generates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Generated {
    pub id: GeneratedId,
    /// Its CloudFormation type.
    pub type_name: &'static str,
    /// The SAM resource it comes from (`ServerlessRestApi` and `ServerlessHttpApi`: the
    /// first function whose events need it).
    pub from: String,
}

impl Generated {
    /// Whether `name` is this resource's logical id.
    pub fn is(&self, name: &str) -> bool {
        match &self.id {
            GeneratedId::Exact(id) => id == name,
            GeneratedId::Prefix(prefix) => name.len() > prefix.len() && name.starts_with(prefix),
        }
    }
}

fn property<'a>(resource: &Resource<'a>, key: &str) -> Option<&'a Node> {
    resource
        .properties
        .and_then(|p| p.get(key))
        .or_else(|| resource.globals.and_then(|g| g.get(key)))
}

/// A literal string value (not an intrinsic function).
fn literal(node: Option<&Node>) -> Option<&str> {
    node.and_then(Node::as_str)
}

/// Every resource SAM generates from `template`'s SAM resources (none when the template
/// is not SAM). Exact ids come first, so that a lookup prefers them.
pub fn generated(template: &Template) -> Vec<Generated> {
    let mut out = Vec::new();
    if !template.is_sam {
        return out;
    }
    let mut add = |id: GeneratedId, type_name: &'static str, from: &str| {
        out.push(Generated {
            id,
            type_name,
            from: from.to_string(),
        });
    };
    let exact = |s: String| GeneratedId::Exact(s);
    let mut rest_api = None;
    let mut http_api = None;
    for resource in &template.resources {
        let id = resource.id;
        match resource.type_name {
            "AWS::Serverless::Function" => {
                if property(resource, "Role").is_none() {
                    add(exact(format!("{id}Role")), "AWS::IAM::Role", id);
                }
                if let Some(alias) = property(resource, "AutoPublishAlias") {
                    if let Some(alias) = literal(Some(alias)) {
                        add(exact(format!("{id}Alias{alias}")), "AWS::Lambda::Alias", id);
                    } else {
                        add(
                            GeneratedId::Prefix(format!("{id}Alias")),
                            "AWS::Lambda::Alias",
                            id,
                        );
                    }
                    add(
                        GeneratedId::Prefix(format!("{id}Version")),
                        "AWS::Lambda::Version",
                        id,
                    );
                }
                if property(resource, "FunctionUrlConfig").is_some() {
                    add(exact(format!("{id}Url")), "AWS::Lambda::Url", id);
                }
                if property(resource, "EventInvokeConfig").is_some() {
                    add(
                        exact(format!("{id}EventInvokeConfig")),
                        "AWS::Lambda::EventInvokeConfig",
                        id,
                    );
                }
                let events = resource.properties.and_then(|p| p.get("Events"));
                for event in events.into_iter().flat_map(Node::iter_map) {
                    let name = &event.key.text;
                    let kind = literal(event.value.get("Type")).unwrap_or("");
                    let permission = || exact(format!("{id}{name}Permission"));
                    match kind {
                        "SNS" => {
                            add(permission(), "AWS::Lambda::Permission", id);
                            add(exact(format!("{id}{name}")), "AWS::SNS::Subscription", id);
                        }
                        "S3" | "IoTRule" | "CloudWatchLogs" | "AlexaSkill" | "Cognito" => {
                            add(permission(), "AWS::Lambda::Permission", id);
                        }
                        "Schedule" | "CloudWatchEvent" | "EventBridgeRule" => {
                            add(permission(), "AWS::Lambda::Permission", id);
                            add(exact(format!("{id}{name}")), "AWS::Events::Rule", id);
                        }
                        "Kinesis" | "DynamoDB" | "SQS" | "MQ" | "MSK" | "SelfManagedKafka"
                        | "DocumentDB" => {
                            add(
                                exact(format!("{id}{name}")),
                                "AWS::Lambda::EventSourceMapping",
                                id,
                            );
                        }
                        "Api" => {
                            // The permission's id also names the stage: a prefix.
                            add(
                                GeneratedId::Prefix(format!("{id}{name}Permission")),
                                "AWS::Lambda::Permission",
                                id,
                            );
                            if event
                                .value
                                .get("Properties")
                                .and_then(|p| p.get("RestApiId"))
                                .is_none()
                            {
                                rest_api.get_or_insert(id);
                            }
                        }
                        "HttpApi" => {
                            add(permission(), "AWS::Lambda::Permission", id);
                            if event
                                .value
                                .get("Properties")
                                .and_then(|p| p.get("ApiId"))
                                .is_none()
                            {
                                http_api.get_or_insert(id);
                            }
                        }
                        _ => {}
                    }
                }
            }
            "AWS::Serverless::Api" => {
                add(
                    GeneratedId::Prefix(format!("{id}Deployment")),
                    "AWS::ApiGateway::Deployment",
                    id,
                );
                match literal(property(resource, "StageName")) {
                    Some(stage) => add(
                        exact(format!("{id}{stage}Stage")),
                        "AWS::ApiGateway::Stage",
                        id,
                    ),
                    None => add(
                        GeneratedId::Prefix(id.to_string()),
                        "AWS::ApiGateway::Stage",
                        id,
                    ),
                }
            }
            "AWS::Serverless::HttpApi" => {
                http_stage(&mut add, id, literal(property(resource, "StageName")));
            }
            "AWS::Serverless::StateMachine" if property(resource, "Role").is_none() => {
                add(exact(format!("{id}Role")), "AWS::IAM::Role", id);
            }
            _ => {}
        }
    }
    if let Some(function) = rest_api {
        if template.resource("ServerlessRestApi").is_none() {
            add(
                exact("ServerlessRestApi".into()),
                "AWS::ApiGateway::RestApi",
                function,
            );
            add(
                GeneratedId::Prefix("ServerlessRestApiDeployment".into()),
                "AWS::ApiGateway::Deployment",
                function,
            );
            add(
                exact("ServerlessRestApiProdStage".into()),
                "AWS::ApiGateway::Stage",
                function,
            );
        }
    }
    if let Some(function) = http_api {
        if template.resource("ServerlessHttpApi").is_none() {
            add(
                exact("ServerlessHttpApi".into()),
                "AWS::ApiGatewayV2::Api",
                function,
            );
            http_stage(&mut add, "ServerlessHttpApi", None);
        }
    }
    // Exact ids first: `MyApiProdStage` is a stage even when `MyApi` is a prefix too.
    out.sort_by_key(|g| matches!(g.id, GeneratedId::Prefix(_)));
    out
}

/// An HTTP API's stage: `<api>ApiGatewayDefaultStage` for the default `$default`
/// stage, `<api><stage>Stage` for a named one.
fn http_stage(
    add: &mut impl FnMut(GeneratedId, &'static str, &str),
    id: &str,
    stage: Option<&str>,
) {
    let stage_id = match stage {
        None | Some("$default") => format!("{id}ApiGatewayDefaultStage"),
        Some(stage) => format!("{id}{stage}Stage"),
    };
    add(GeneratedId::Exact(stage_id), "AWS::ApiGatewayV2::Stage", id);
}

/// The generated resource named `name`, if SAM generates one by that name.
pub fn find<'g>(generated: &'g [Generated], name: &str) -> Option<&'g Generated> {
    generated.iter().find(|g| g.is(name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn names(text: &str) -> Vec<(String, &'static str)> {
        let root = crate::document::load_yaml(text)
            .root
            .unwrap_or_else(|| panic!("parses"));
        let template = Template::new(&root, Path::new("t.yaml"));
        generated(&template)
            .into_iter()
            .map(|g| {
                let id = match g.id {
                    GeneratedId::Exact(id) => id,
                    GeneratedId::Prefix(p) => format!("{p}*"),
                };
                (id, g.type_name)
            })
            .collect()
    }

    #[test]
    fn functions_apis_and_their_events_generate_named_resources() {
        let text = "Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      AutoPublishAlias: live
      Events:
        Get:
          Type: Api
          Properties: {Path: /, Method: get}
        Topic:
          Type: SNS
          Properties: {Topic: arn}
  WithRole:
    Type: AWS::Serverless::Function
    Properties: {Role: arn}
  Api:
    Type: AWS::Serverless::Api
    Properties: {StageName: Prod}
";
        assert_eq!(
            names(text),
            [
                ("FnRole".to_string(), "AWS::IAM::Role"),
                ("FnAliaslive".into(), "AWS::Lambda::Alias"),
                ("FnTopicPermission".into(), "AWS::Lambda::Permission"),
                ("FnTopic".into(), "AWS::SNS::Subscription"),
                ("ApiProdStage".into(), "AWS::ApiGateway::Stage"),
                ("ServerlessRestApi".into(), "AWS::ApiGateway::RestApi"),
                (
                    "ServerlessRestApiProdStage".into(),
                    "AWS::ApiGateway::Stage"
                ),
                ("FnVersion*".into(), "AWS::Lambda::Version"),
                ("FnGetPermission*".into(), "AWS::Lambda::Permission"),
                ("ApiDeployment*".into(), "AWS::ApiGateway::Deployment"),
                (
                    "ServerlessRestApiDeployment*".into(),
                    "AWS::ApiGateway::Deployment"
                ),
            ]
        );
        // Not SAM: nothing is generated.
        assert!(names("Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n").is_empty());
    }
}
