//! ## What it finds
//! An `AWS::CloudFront::RealtimeLogConfig` endpoint that is not an Amazon Kinesis Data
//! Streams stream: a `StreamType` other than `Kinesis`, or a
//! `KinesisStreamConfig.StreamARN` that is
//! - an ARN of another service (a Firehose delivery stream, a log group, a queue...),
//! - a reference to such a resource (`Fn::GetAtt Delivery.Arn` of an
//!   `AWS::KinesisFirehose::DeliveryStream`), or
//! - `Ref` to an `AWS::Kinesis::Stream`, which returns the stream's *name*, not its ARN.
//!
//! ## Why it matters
//! CloudFront delivers real-time logs only to Kinesis data streams: the endpoint's
//! `StreamType` documentation says "The only valid value is Kinesis", and `StreamARN`
//! must be the ARN of that data stream. Pointing it at a Firehose delivery stream — the
//! usual mix-up, since Firehose is what you would use to land the logs in S3 — makes
//! the resource fail to create. Send the logs to a Kinesis data stream and, if needed,
//! attach Firehose to that stream as its consumer.

use crate::prelude::*;

pub const META: RuleMeta = RuleMeta {
    code: "CFR-007",
    name: "realtime-log-endpoint",
    severity: Severity::Error,
    kinds: &[FileKind::Template],
    summary: "A CloudFront real-time log endpoint is not a Kinesis data stream.",
    source: "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-cloudfront-realtimelogconfig-endpoint.html",
};

pub struct Rule;

/// Resource types whose ARN is certainly not a Kinesis data stream.
const NOT_STREAMS: &[&str] = &[
    "AWS::KinesisFirehose::DeliveryStream",
    "AWS::Logs::LogGroup",
    "AWS::SQS::Queue",
    "AWS::SNS::Topic",
    "AWS::S3::Bucket",
    "AWS::Lambda::Function",
    "AWS::Serverless::Function",
    "AWS::Kinesis::StreamConsumer",
];

/// What a literal ARN names, when it is not a Kinesis data stream.
fn not_a_stream(arn: &str) -> Option<String> {
    let mut parts = arn.splitn(6, ':');
    let (Some("arn"), Some(_), Some(service), Some(_), Some(_), Some(resource)) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return None;
    };
    if service == "kinesis" && resource.starts_with("stream/") && !resource.contains("/consumer/") {
        return None;
    }
    if crate::text::holds_placeholder(service) || crate::text::holds_placeholder(resource) {
        return None;
    }
    let what = if service == "firehose" {
        "a Kinesis Data Firehose delivery stream".to_string()
    } else {
        format!("a `{service}` resource")
    };
    Some(what)
}

impl Check for Rule {
    fn template(&self, template: &Template, report: &mut Report) {
        for config in template.resources_of_type("AWS::CloudFront::RealtimeLogConfig") {
            let Some(endpoints) = config.prop("EndPoints") else {
                continue;
            };
            for endpoint in endpoints.iter_seq() {
                if let Some(kind) = endpoint.get("StreamType") {
                    if let Some(values) = template.strings(kind) {
                        if let Some((value, candidate)) =
                            values.iter().find(|(v, _)| *v != "Kinesis")
                        {
                            report
                                .add(
                                    candidate.span_at(kind),
                                    format!(
                                        "real-time log config `{}` has an endpoint of StreamType `{value}`; the only valid value is Kinesis",
                                        config.id
                                    ),
                                )
                                .label("not Kinesis")
                                .help("set `StreamType: Kinesis` and point `StreamARN` at a Kinesis data stream");
                        }
                    }
                }
                let Some(stream_config) = endpoint.get("KinesisStreamConfig") else {
                    continue;
                };
                let Some(arn) = stream_config
                    .get("StreamARN")
                    .or_else(|| stream_config.get("StreamArn"))
                else {
                    continue;
                };
                self.check_arn(template, config, arn, report);
            }
        }
    }
}

impl Rule {
    fn check_arn(&self, template: &Template, config: &Resource, arn: &Node, report: &mut Report) {
        if let Some(values) = template.strings(arn) {
            for (value, candidate) in values {
                if let Some(what) = not_a_stream(value) {
                    let finding = report.add_candidate(
                        &candidate,
                        arn,
                        format!(
                            "real-time log config `{}` sends logs to {what}, not to a Kinesis data stream",
                            config.id
                        ),
                    );
                    finding
                        .label("not a Kinesis data stream ARN")
                        .help("point `StreamARN` at an `AWS::Kinesis::Stream` (`!GetAtt Stream.Arn`); attach Firehose to that stream if the logs must land in S3");
                    finding.also_parameter(&candidate, "the parameter's value");
                }
            }
            return;
        }
        let Some(targets) = template.referenced_resources(arn) else {
            return;
        };
        let is_ref = matches!(Intrinsic::of(arn), Some(Intrinsic::Ref(_)));
        for target in targets {
            if target.type_name == "AWS::Kinesis::Stream" {
                if is_ref {
                    let finding = report.add(
                        arn.span(),
                        format!(
                            "`Ref` to Kinesis stream `{}` returns the stream's name, but real-time log config `{}` needs its ARN",
                            target.id, config.id
                        ),
                    );
                    finding
                        .label("this is the stream name")
                        .also(target.anchor(), "the stream")
                        .help(format!("use `!GetAtt {}.Arn`", target.id));
                }
            } else if NOT_STREAMS.contains(&target.type_name) {
                let finding = report.add(
                    arn.span(),
                    format!(
                        "real-time log config `{}` sends logs to `{}`, an {}, not to a Kinesis data stream",
                        config.id, target.id, target.type_name
                    ),
                );
                finding
                    .label("not a Kinesis data stream")
                    .also(target.anchor(), "this resource")
                    .help("point `StreamARN` at an `AWS::Kinesis::Stream` (`!GetAtt Stream.Arn`); attach Firehose to that stream if the logs must land in S3");
            }
        }
    }
}
