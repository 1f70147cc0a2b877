use super::*;

#[test]
fn finds_types_properties_and_definitions() {
    let bucket = resource_type("AWS::S3::Bucket").expect("S3 bucket schema");
    assert_eq!(bucket.name(), "AWS::S3::Bucket");
    assert!(resource_type("AWS::S3::Buckets").is_none());
    // Through `$ref` into a definition.
    let status = bucket
        .property("VersioningConfiguration")
        .and_then(|v| v.property("Status"))
        .expect("VersioningConfiguration.Status");
    let values: Vec<&str> = status.enum_values().collect();
    assert_eq!(values, ["Enabled", "Suspended"]);
    assert!(bucket.root().is_closed());
    assert!(bucket.property("BucketNmae").is_none());
    assert!(bucket.has_attribute("Arn"));
    assert!(bucket.has_attribute("DomainName"));
    assert!(!bucket.has_attribute("Endpoint.Address"));
    assert!(bucket.regions().any(|r| r == "eu-west-1"));
}

#[test]
fn records_lengths_ranges_items_and_required() {
    let queue = resource_type("AWS::SQS::Queue").expect("SQS");
    let delay = queue.property("DelaySeconds").expect("DelaySeconds");
    assert!(delay.allows_type(JsonType::Integer));
    assert_eq!(delay.minimum(), Some(0.0));
    assert_eq!(delay.maximum(), Some(900.0));
    assert!(delay.has_bounds());
    let status = resource_type("AWS::S3::Bucket")
        .and_then(|b| b.property("VersioningConfiguration"))
        .and_then(|v| v.property("Status"))
        .expect("VersioningConfiguration.Status");
    assert!(!status.has_bounds(), "an enum bounds no length");
    let function = resource_type("AWS::Lambda::Function").expect("Lambda");
    let required: Vec<&str> = function.required().collect();
    assert!(required.contains(&"Role") && required.contains(&"Code"));
    let layers = function.property("Layers").expect("Layers");
    assert_eq!(layers.max_items(), Some(5));
    assert!(layers.unique_items());
    let layer = layers.items().expect("items");
    assert!(layer.allows_type(JsonType::String));
    let pattern = layer.pattern().expect("a layer ARN pattern");
    assert_eq!(pattern.is_match("not an arn"), Some(false));
    assert_eq!(
        pattern.is_match("arn:aws:lambda:us-east-1:123456789012:layer:my-layer:1"),
        Some(true)
    );
    let db = resource_type("AWS::RDS::DBInstance").expect("RDS");
    assert!(db.has_attribute("Endpoint.Address"));
    let stack = resource_type("AWS::CloudFormation::Stack").expect("stack");
    assert!(stack.has_attribute("Outputs.BucketName"));
}

#[test]
fn suggests_close_type_names() {
    assert_eq!(suggest_type("AWS::S3::Bukcet"), Some("AWS::S3::Bucket"));
    assert_eq!(
        suggest_type("AWS::Lambda::Functions"),
        Some("AWS::Lambda::Function")
    );
    assert!(type_names().count() > 1800);
    assert!(resource_type("AWS::Serverless::Function").is_some());
}

/// The patterns Rust's `regex` cannot compile after translation are pinned in
/// `data/PROVENANCE.json` (`UPDATE_SNAPSHOTS=1` rewrites the list).
#[test]
fn pattern_failures_are_pinned() {
    let mut failing: Vec<&str> = Pattern::all()
        .filter(|p| regex::Regex::new(p.translated()).is_err())
        .map(Pattern::source)
        .collect();
    failing.sort_unstable();
    failing.dedup();
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src/schema/data/PROVENANCE.json"
    );
    let text = std::fs::read_to_string(path).expect("PROVENANCE.json");
    let mut provenance: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let pinned: Vec<&str> = provenance["patterns_not_compiled"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    if pinned != failing {
        if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
            provenance["patterns_not_compiled"] = failing
                .iter()
                .map(|s| serde_json::Value::String((*s).to_string()))
                .collect();
            provenance["counts"]["patterns_not_compiled"] = failing.len().into();
            let text = python_style_json(&provenance);
            std::fs::write(path, text).expect("write PROVENANCE.json");
        } else {
            panic!(
                "{} patterns fail to compile, {} pinned: run with UPDATE_SNAPSHOTS=1",
                failing.len(),
                pinned.len()
            );
        }
    }
}

/// `json.dumps(value, indent=1, sort_keys=True, ensure_ascii=False)` + newline, so that
/// the update script and this test write the same bytes.
fn python_style_json(value: &serde_json::Value) -> String {
    fn write(value: &serde_json::Value, indent: usize, out: &mut String) {
        let pad = |n: usize| " ".repeat(n);
        match value {
            serde_json::Value::Object(map) if !map.is_empty() => {
                let mut keys: Vec<&String> = map.keys().collect();
                keys.sort();
                out.push_str("{\n");
                for (i, key) in keys.iter().enumerate() {
                    out.push_str(&pad(indent + 1));
                    out.push_str(&serde_json::Value::String((*key).clone()).to_string());
                    out.push_str(": ");
                    write(&map[*key], indent + 1, out);
                    out.push_str(if i + 1 < keys.len() { ",\n" } else { "\n" });
                }
                out.push_str(&pad(indent));
                out.push('}');
            }
            serde_json::Value::Array(items) if !items.is_empty() => {
                out.push_str("[\n");
                for (i, item) in items.iter().enumerate() {
                    out.push_str(&pad(indent + 1));
                    write(item, indent + 1, out);
                    out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
                }
                out.push_str(&pad(indent));
                out.push(']');
            }
            other => out.push_str(&other.to_string()),
        }
    }
    let mut out = String::new();
    write(value, 0, &mut out);
    out.push('\n');
    out
}

/// What the SCHEMA rules cost on a typical 50 KB template, parsed once (the budget is
/// 1 ms): `cargo test --release --lib schema_check_time -- --ignored --nocapture`.
#[test]
#[ignore = "a measurement, not a check"]
fn schema_check_time() {
    let path = std::path::Path::new(
        "../shared/corpus/aws-samples__serverless-patterns/msk-lambda-schema-avro-java-sam/MSKAndKafkaClientEC2.yaml",
    );
    let Ok(text) = std::fs::read_to_string(path) else {
        eprintln!("corpus not found");
        return;
    };
    let loaded = crate::document::load_yaml(&text);
    let root = loaded.root.expect("template parses");
    let template = crate::model::Template::new(&root, path);
    let rules: Vec<_> = crate::registry::RULES
        .iter()
        .filter(|r| r.meta.code.starts_with("SCHEMA"))
        .collect();
    let rounds = 500;
    let mut findings = Vec::new();
    let mut total = std::time::Duration::ZERO;
    for rule in &rules {
        let start = std::time::Instant::now();
        for _ in 0..rounds {
            let mut report = crate::rule::Report::new(rule.meta, &mut findings);
            rule.check.template(&template, &mut report);
        }
        let each = start.elapsed() / rounds;
        total += each;
        println!("{}: {each:?}", rule.meta.code);
    }
    let each = total;
    println!(
        "{} bytes, {} resources, {} SCHEMA rules: {each:?} per lint ({} findings)",
        text.len(),
        template.resources.len(),
        rules.len(),
        findings.len() / rounds as usize
    );
    // As the lint runs them: one walk shared by the rules.
    let start = std::time::Instant::now();
    for _ in 0..rounds {
        let mut walkers: Vec<_> = rules
            .iter()
            .filter_map(|rule| Some((rule.meta, rule.check.walker()?)))
            .collect();
        super::walk::each_resource(&template, &mut |step| {
            for (meta, walker) in &mut walkers {
                walker.resource(step, &mut crate::rule::Report::new(meta, &mut findings));
            }
        });
        for (meta, walker) in &mut walkers {
            walker.finish(
                &template,
                &mut crate::rule::Report::new(meta, &mut findings),
            );
        }
    }
    println!("shared walk: {:?} per lint", start.elapsed() / rounds);
}

/// `src/schema/patches.json` is applied: what the data says after our corrections.
#[test]
fn reviewed_patches_are_in_the_data() {
    let stream = resource_type("AWS::QLDB::Stream").expect("QLDB stream");
    let arn = stream
        .property("KinesisConfiguration")
        .and_then(|k| k.property("StreamArn"))
        .expect("StreamArn");
    assert!(!arn.allows_type(JsonType::Object));
    let api = resource_type("AWS::Serverless::Api").expect("SAM API");
    let endpoint = api
        .property("EndpointConfiguration")
        .and_then(|e| e.any_of().find_map(|m| m.property("Type")))
        .expect("EndpointConfiguration.Type");
    assert_eq!(endpoint.types().collect::<Vec<_>>(), [JsonType::String]);
}

/// `Object::each_required` reads one schema's own list in place: it must be sorted and
/// hold each name once, in every node of every type (checked down to depth 6).
#[test]
fn every_own_required_list_is_sorted_and_unique() {
    fn check(node: SchemaNode, depth: usize, seen: &mut usize) {
        let names: Vec<&str> = node.own_required().collect();
        assert!(names.windows(2).all(|w| w[0] < w[1]), "{names:?}");
        *seen += usize::from(!names.is_empty());
        if depth == 0 {
            return;
        }
        for (_, property) in node.properties() {
            check(property, depth - 1, seen);
        }
        if let Some(items) = node.items() {
            check(items, depth - 1, seen);
        }
        for member in node.all_of().chain(node.any_of()).chain(node.one_of()) {
            check(member, depth - 1, seen);
        }
    }
    let mut seen = 0;
    for name in type_names() {
        let schema = resource_type(name).expect("listed type");
        check(schema.root(), 6, &mut seen);
    }
    assert!(seen > 1_000, "only {seen} required lists");
}
