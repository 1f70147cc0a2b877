//! The types of `Fn::GetAtt` attributes, from the schemas: an attribute is a read-only
//! property (or a top-level property CloudFormation also returns), and its schema
//! `type` says what `Fn::GetAtt` gives: a string, a number, a boolean, or a list.
//!
//! Only a single stated type is trusted. Objects (CloudFormation returns their nested
//! read-only paths, not the object), paths through lists (`A.*.B`), nested stacks'
//! `Outputs.<name>` and anything the schema leaves open are unknown.

use crate::model::eval::{AttributeTypes, Types, ValueType};
use crate::model::sam::{self, Generated};
use crate::model::Template;

use super::{resource_type, JsonType, SchemaNode};

/// The CloudFormation resource SAM makes from a SAM resource under the same logical
/// id, whose attributes `Fn::GetAtt` on the SAM resource returns.
pub fn sam_underlying_type(sam_type: &str) -> Option<&'static str> {
    Some(match sam_type {
        "AWS::Serverless::Function" => "AWS::Lambda::Function",
        "AWS::Serverless::Api" => "AWS::ApiGateway::RestApi",
        "AWS::Serverless::HttpApi" => "AWS::ApiGatewayV2::Api",
        "AWS::Serverless::SimpleTable" => "AWS::DynamoDB::Table",
        "AWS::Serverless::StateMachine" => "AWS::StepFunctions::StateMachine",
        "AWS::Serverless::LayerVersion" => "AWS::Lambda::LayerVersion",
        "AWS::Serverless::Application" => "AWS::CloudFormation::Stack",
        "AWS::Serverless::GraphQLApi" => "AWS::AppSync::GraphQLApi",
        _ => return None,
    })
}

/// What `Fn::GetAtt` of `attribute` on a resource of `type_name` returns, when the
/// schema says so unambiguously.
pub fn attribute_type(type_name: &str, attribute: &str) -> Option<Types> {
    if attribute.starts_with("Outputs.") {
        return None;
    }
    let own = resource_type(type_name)
        .filter(|t| t.has_attribute(attribute) || t.property(attribute).is_some())
        .and_then(|t| property_at(t.root(), attribute));
    if own.is_some() || !type_name.starts_with("AWS::Serverless::") {
        return own.and_then(node_type);
    }
    let underlying = resource_type(sam_underlying_type(type_name)?)?;
    if !underlying.has_attribute(attribute) && underlying.property(attribute).is_none() {
        return None;
    }
    property_at(underlying.root(), attribute).and_then(node_type)
}

/// The schema of a dotted property path (`Endpoint.Address`), not through lists.
fn property_at(root: SchemaNode, path: &str) -> Option<SchemaNode> {
    let mut node = root;
    for (index, name) in path.split('.').enumerate() {
        if index > 0 && !node.may_be_object() {
            return None;
        }
        node = node.property(name)?;
    }
    Some(node)
}

/// The value type of a schema node with exactly one stated JSON type (`integer` and
/// `number` alike).
fn node_type(node: SchemaNode) -> Option<Types> {
    let types: Vec<JsonType> = node.types().collect();
    let value = match types[..] {
        [JsonType::String] => ValueType::String,
        [JsonType::Integer] | [JsonType::Number] | [JsonType::Integer, JsonType::Number] => {
            ValueType::Number
        }
        [JsonType::Boolean] => ValueType::Boolean,
        [JsonType::Array] => ValueType::List,
        _ => return None,
    };
    Some(Types::of(value))
}

/// [`AttributeTypes`] from the schemas, knowing the resources SAM generates.
pub struct SchemaAttributes {
    generated: Vec<Generated>,
}

impl SchemaAttributes {
    pub fn new(template: &Template) -> Self {
        SchemaAttributes {
            generated: sam::generated(template),
        }
    }
}

impl AttributeTypes for SchemaAttributes {
    fn attribute_type(&self, resource_type: &str, attribute: &str) -> Option<Types> {
        if !super::walk::type_is_judged(resource_type) {
            return None;
        }
        attribute_type(resource_type, attribute)
    }

    fn undeclared_type(&self, logical_id: &str) -> Option<&'static str> {
        sam::find(&self.generated, logical_id).map(|g| g.type_name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn single(type_name: &str, attribute: &str) -> Option<ValueType> {
        attribute_type(type_name, attribute).and_then(Types::single)
    }

    #[test]
    fn read_only_properties_give_their_type() {
        assert_eq!(single("AWS::SQS::Queue", "Arn"), Some(ValueType::String));
        assert_eq!(
            single("AWS::EC2::VPC", "CidrBlockAssociations"),
            Some(ValueType::List)
        );
        assert_eq!(
            single("AWS::RDS::DBInstance", "Endpoint.Address"),
            Some(ValueType::String)
        );
    }

    #[test]
    fn top_level_properties_count_and_sam_types_use_what_sam_makes() {
        assert_eq!(
            single(
                "AWS::ElasticLoadBalancingV2::LoadBalancer",
                "SecurityGroups"
            ),
            Some(ValueType::List)
        );
        assert_eq!(
            single("AWS::Serverless::Function", "Arn"),
            Some(ValueType::String)
        );
    }

    #[test]
    fn unknown_where_the_schema_does_not_say() {
        assert_eq!(single("AWS::CloudFormation::Stack", "Outputs.Url"), None);
        assert_eq!(single("AWS::SQS::Queue", "Nope"), None);
        assert_eq!(single("AWS::No::Such", "Arn"), None);
    }
}
