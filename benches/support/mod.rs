//! Inputs the benchmarks share: a generated large template and the shared corpus.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The shared corpus, beside the checkout (as `tests/it/corpus.rs` expects it).
pub const CORPUS: &str = "../shared/corpus";

/// A typical 50 KB YAML template from the corpus: 8 resources, SAM-free, mostly
/// EC2/MSK/IAM with long `UserData`.
pub const TYPICAL_TEMPLATE: &str =
    "aws-samples__serverless-patterns/msk-lambda-schema-avro-java-sam/MSKAndKafkaClientEC2.yaml";

/// Whether the binary runs as a benchmark (`cargo bench` passes `--bench`) rather than
/// as a smoke test under `cargo test --all-targets`, where inputs are kept small so the
/// test suite stays fast.
pub fn full_size() -> bool {
    std::env::args().any(|arg| arg == "--bench")
}

/// A CloudFormation template of `resources` resources, about 1.2 KB each: 4,000 give
/// the ~5 MB template of issue 7. Resources come in groups of six (an SQS dead-letter
/// queue, an S3 bucket, a work queue, an IAM role, a Lambda function with inline code
/// and its SQS event source mapping), each referencing earlier ones of its group
/// (`!GetAtt`, `!Ref`, `!Sub`), so cross-resource rules have real work to do; every
/// tenth function carries deliberate findings.
pub fn generated_template(resources: usize) -> String {
    let mut out = String::with_capacity(resources * 1_400 + 1_000);
    out.push_str(
        "AWSTemplateFormatVersion: \"2010-09-09\"\n\
         Description: Generated benchmark template (stacklint benches/support)\n\
         Parameters:\n  Stage:\n    Type: String\n    Default: prod\n    AllowedValues: [dev, prod]\n\
         Conditions:\n  IsProd: !Equals [!Ref Stage, prod]\n\
         Resources:\n",
    );
    for index in 0..resources {
        let n = index / 6;
        // `write!` into a String cannot fail.
        let _ = match index % 6 {
            0 => write!(
                out,
                r#"  DeadLetterQueue{n}:
    Type: AWS::SQS::Queue
    Properties:
      MessageRetentionPeriod: 1209600
      KmsMasterKeyId: alias/aws/sqs
{tags}"#,
                tags = tags(n),
            ),
            1 => write!(
                out,
                r#"  ArchiveBucket{n}:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub "archive-${{AWS::AccountId}}-${{AWS::Region}}-{n}"
      VersioningConfiguration:
        Status: Enabled
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault:
              SSEAlgorithm: aws:kms
      LifecycleConfiguration:
        Rules:
          - Id: expire-old
            Status: Enabled
            ExpirationInDays: 365
          - Id: abort-incomplete-uploads
            Status: Enabled
            AbortIncompleteMultipartUpload:
              DaysAfterInitiation: 7
      PublicAccessBlockConfiguration:
        BlockPublicAcls: true
        BlockPublicPolicy: true
        IgnorePublicAcls: true
        RestrictPublicBuckets: true
      OwnershipControls:
        Rules:
          - ObjectOwnership: BucketOwnerEnforced
{tags}"#,
                tags = tags(n),
            ),
            2 => write!(
                out,
                r#"  WorkQueue{n}:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Sub "${{AWS::StackName}}-work-{n}"
      VisibilityTimeout: 360
      KmsMasterKeyId: alias/aws/sqs
      RedrivePolicy:
        deadLetterTargetArn: !GetAtt DeadLetterQueue{n}.Arn
        maxReceiveCount: 5
{tags}"#,
                tags = tags(n),
            ),
            3 => write!(
                out,
                r#"  WorkerRole{n}:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              Service: lambda.amazonaws.com
            Action: sts:AssumeRole
      ManagedPolicyArns:
        - arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole
      Policies:
        - PolicyName: consume-{n}
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action:
                  - sqs:ReceiveMessage
                  - sqs:DeleteMessage
                  - sqs:GetQueueAttributes
                Resource: !GetAtt WorkQueue{n}.Arn
              - Effect: Allow
                Action: [s3:PutObject, s3:GetObject]
                Resource: !Sub "${{ArchiveBucket{n}.Arn}}/*"
              - Effect: Allow
                Action:
                  - logs:CreateLogStream
                  - logs:PutLogEvents
                Resource: !Sub "arn:${{AWS::Partition}}:logs:${{AWS::Region}}:${{AWS::AccountId}}:log-group:/aws/lambda/${{AWS::StackName}}-worker-{n}:*"
{tags}"#,
                tags = tags(n),
            ),
            4 => write!(
                out,
                r#"  Worker{n}:
    Type: AWS::Lambda::Function
    Properties:
      FunctionName: !Sub "${{AWS::StackName}}-worker-{n}"
      Runtime: {runtime}
      Handler: index.handler
      MemorySize: 256
      Timeout: {timeout}
      Role: !GetAtt WorkerRole{n}.Arn
      Environment:
        Variables:
          BUCKET: !Ref ArchiveBucket{n}
          STAGE: !Ref Stage
          LOG_LEVEL: !If [IsProd, INFO, DEBUG]
      Code:
        ZipFile: |
          import json
          import logging
          import os

          import boto3

          s3 = boto3.client("s3")

          logger = logging.getLogger()
          logger.setLevel(os.environ.get("LOG_LEVEL", "INFO"))


          def archive_key(record):
              """Where one message is archived: by worker, then by message id."""
              return "archive/{n}/" + record["messageId"] + ".json"


          def handler(event, context):
              failures = []
              for record in event["Records"]:
                  try:
                      body = json.loads(record["body"])
                      s3.put_object(
                          Bucket=os.environ["BUCKET"],
                          Key=archive_key(record),
                          Body=json.dumps(body).encode("utf-8"),
                          ContentType="application/json",
                      )
                  except (ValueError, KeyError) as error:
                      logger.warning("cannot archive %s: %s", record["messageId"], error)
                      failures.append({{"itemIdentifier": record["messageId"]}})
              logger.info("archived %d of %d", len(event["Records"]) - len(failures), len(event["Records"]))
              return {{"batchItemFailures": failures}}
{tags}"#,
                // A deprecated runtime, and a timeout past the queue's visibility timeout.
                runtime = if n % 10 == 0 {
                    "python3.7"
                } else {
                    "python3.12"
                },
                timeout = if n % 10 == 0 { 300 } else { 60 },
                tags = tags(n),
            ),
            _ => write!(
                out,
                r#"  WorkerEvents{n}:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      EventSourceArn: !GetAtt WorkQueue{n}.Arn
      FunctionName: !Ref Worker{n}
      BatchSize: 10
      MaximumBatchingWindowInSeconds: 5
      FunctionResponseTypes:
        - ReportBatchItemFailures
      ScalingConfig:
        MaximumConcurrency: 10
      Enabled: true
"#
            ),
        };
    }
    out
}

/// A template of `resources` resources and `conditions` conditions, written to be
/// hard for linters that enumerate condition scenarios (issue 14): every condition
/// after the first few combines the two before it (`!And`/`!Or`/`!Not`), every
/// resource is conditional, and its properties nest `!If`s on three conditions, a
/// `!FindInMap` keyed by a parameter and `!Sub`/`!GetAtt`/`DependsOn` references to
/// earlier resources (chains, no cycle).
pub fn conditions_template(resources: usize, conditions: usize) -> String {
    let mut out = String::with_capacity(resources * 900 + conditions * 80 + 1_000);
    out.push_str(
        "AWSTemplateFormatVersion: \"2010-09-09\"\n\
         Description: Generated conditions benchmark (stacklint benches/support)\n\
         Parameters:\n",
    );
    for p in 0..10 {
        // `write!` into a String cannot fail.
        let _ = write!(
            out,
            "  Flag{p}:\n    Type: String\n    Default: \"yes\"\n    AllowedValues: [\"yes\", \"no\"]\n"
        );
    }
    out.push_str(
        "  Stage:\n    Type: String\n    Default: prod\n    AllowedValues: [dev, prod]\n\
         Mappings:\n  Sizes:\n    dev: {Memory: 128, Delay: 0}\n    prod: {Memory: 1024, Delay: 5}\n\
         Conditions:\n",
    );
    let conditions = conditions.max(1);
    for c in 0..conditions {
        let _ = match c {
            0..=9 => writeln!(out, "  C{c}: !Equals [!Ref Flag{c}, \"yes\"]"),
            _ if c % 3 == 0 => writeln!(
                out,
                "  C{c}: !And [!Condition C{}, !Condition C{}]",
                c - 1,
                c - 2
            ),
            _ if c % 3 == 1 => writeln!(
                out,
                "  C{c}: !Or [!Condition C{}, !Condition C{}, !Equals [!Ref Stage, prod]]",
                c - 1,
                c - 2
            ),
            _ => writeln!(out, "  C{c}: !Not [!Condition C{}]", c - 1),
        };
    }
    out.push_str("Resources:\n");
    for r in 0..resources {
        let (a, b, c) = (
            r % conditions,
            (r * 7 + 3) % conditions,
            (r * 13 + 5) % conditions,
        );
        let _ = write!(
            out,
            r#"  Queue{r}:
    Type: AWS::SQS::Queue
    Condition: C{a}
"#
        );
        if r > 0 {
            let _ = writeln!(out, "    DependsOn: [Queue{}]", r - 1);
        }
        let _ = write!(
            out,
            r#"    Properties:
      QueueName: !Sub "queue-${{AWS::StackName}}-{r}-${{Stage}}"
      DelaySeconds: !If [C{b}, !FindInMap [Sizes, !Ref Stage, Delay], !If [C{c}, 1, !Ref AWS::NoValue]]
      MaximumMessageSize: !If [C{c}, 262144, !If [C{a}, 1024, 2048]]
      Tags:
        - Key: previous
          Value: {previous}
        - Key: branch
          Value: !If [C{a}, !If [C{b}, !If [C{c}, a, b], c], !Sub "${{AWS::Region}}-{r}"]
"#,
            previous = if r > 0 {
                format!("!GetAtt Queue{}.QueueName", r - 1)
            } else {
                "first".to_string()
            },
        );
    }
    out.push_str("Outputs:\n");
    for r in (0..resources).step_by(10) {
        let _ = write!(
            out,
            "  Queue{r}Arn:\n    Condition: C{}\n    Value: !If [C{}, !GetAtt Queue{r}.Arn, none]\n",
            r % conditions,
            (r + 1) % conditions
        );
    }
    out
}

/// The tags every taggable generated resource carries (ten, as organisations that
/// tag for cost and ownership typically require).
fn tags(n: usize) -> String {
    let mut out = String::from("      Tags:\n");
    for (key, value) in [
        ("team", format!("platform-{}", n % 17)),
        ("service", format!("ingest-{n}")),
        ("cost-center", format!("cc-{:05}", n * 7 % 100_000)),
        ("environment", "production".to_string()),
        ("owner", format!("team-{}@example.com", n % 17)),
        ("data-classification", "internal".to_string()),
        ("compliance", "soc2".to_string()),
        ("managed-by", "cloudformation".to_string()),
        ("project", "event-archive".to_string()),
        (
            "repository",
            "example.com/platform/event-archive".to_string(),
        ),
    ] {
        // `write!` into a String cannot fail.
        let _ = write!(out, "        - Key: {key}\n          Value: {value}\n");
    }
    out
}

/// The corpus files (sorted), or nothing when the corpus is not beside the checkout.
pub fn corpus_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut dirs = vec![PathBuf::from(CORPUS)];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.file_name().is_some_and(|n| n != "INDEX.tsv") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// Reads a corpus file, or `None` when the corpus is absent.
pub fn corpus_file(relative: &str) -> Option<Vec<u8>> {
    std::fs::read(Path::new(CORPUS).join(relative)).ok()
}
