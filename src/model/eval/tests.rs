use std::path::Path;

use super::*;
use crate::document::{load_json, load_yaml, Node};

fn yaml(text: &str) -> Node {
    let loaded = load_yaml(text);
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    loaded.root.unwrap_or_else(|| panic!("no document"))
}

fn json(text: &str) -> Node {
    let loaded = load_json(text);
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    loaded.root.unwrap_or_else(|| panic!("no document"))
}

fn node<'a>(root: &'a Node, path: &[&str]) -> &'a Node {
    root.path(path).unwrap_or_else(|| panic!("no {path:?}"))
}

/// The source text of every Sub variable of the node at `path`.
fn sub_variables(text: &str, root: &Node, path: &[&str]) -> Vec<String> {
    let template = Template::new(root, Path::new("t")).with_source(text);
    let call = node(root, path);
    let Some(Ok(Intrinsic::Sub(sub))) = template.intrinsic(call) else {
        panic!("not a Sub: {call:?}");
    };
    sub.parsed
        .variables()
        .map(|v| text[v.span.range()].to_string())
        .collect()
}

#[test]
fn sub_spans_in_plain_and_quoted_yaml() {
    let text = "A: !Sub arn:${AWS::Partition}:s3:::${Bucket}/*\n\
                B: !Sub 'it''s ${Name}'\n\
                C: !Sub \"tab\\t${Name} and \\\"${Other.Arn}\\\"\"\n";
    let root = yaml(text);
    assert_eq!(
        sub_variables(text, &root, &["A"]),
        ["${AWS::Partition}", "${Bucket}"]
    );
    assert_eq!(sub_variables(text, &root, &["B"]), ["${Name}"]);
    assert_eq!(
        sub_variables(text, &root, &["C"]),
        ["${Name}", "${Other.Arn}"]
    );
}

#[test]
fn sub_spans_in_block_and_multiline_yaml() {
    let text = "UserData:\n  Fn::Base64: !Sub |\n    #!/bin/bash\n    echo ${Queue}\n    yum install -y ${Package} ${!HOME}\n\
                Folded: !Sub >\n  one ${First}\n  two ${Second}\n\
                Plain: !Sub one\n  ${First} two\n";
    let root = yaml(text);
    assert_eq!(
        sub_variables(text, &root, &["UserData", "Fn::Base64"]),
        ["${Queue}", "${Package}"]
    );
    assert_eq!(
        sub_variables(text, &root, &["Folded"]),
        ["${First}", "${Second}"]
    );
    assert_eq!(sub_variables(text, &root, &["Plain"]), ["${First}"]);
}

#[test]
fn sub_spans_in_json_strings_with_escapes() {
    let text = r##"{"A": {"Fn::Sub": "#!/bin/bash\necho \"${Queue}\"\nrun ${Queue.Arn} ${Queue}"},
"B": {"Fn::Sub": ["\u0041 ${X}", {"X": "x"}]}}"##;
    let root = json(text);
    assert_eq!(
        sub_variables(text, &root, &["A"]),
        ["${Queue}", "${Queue.Arn}", "${Queue}"]
    );
    let template = Template::new(&root, Path::new("t")).with_source(text);
    let Some(Ok(Intrinsic::Sub(sub))) = template.intrinsic(node(&root, &["A"])) else {
        panic!("not a Sub");
    };
    let spans: Vec<Span> = sub.parsed.variables().map(|v| v.span).collect();
    assert!(spans[0] != spans[2], "the two `${{Queue}}` are told apart");
    assert_eq!(sub_variables(text, &root, &["B"]), ["${X}"]);
}

#[test]
fn sub_span_falls_back_to_the_whole_scalar_when_escapes_make_the_piece() {
    // `\u0024` decodes to `$`: the text has a `${X}` the source does not.
    let text = r#"{"A": {"Fn::Sub": "\u0024{X} ${X}"}}"#;
    let root = json(text);
    let whole = node(&root, &["A", "Fn::Sub"]).span();
    let template = Template::new(&root, Path::new("t")).with_source(text);
    let Some(Ok(Intrinsic::Sub(sub))) = template.intrinsic(node(&root, &["A"])) else {
        panic!("not a Sub");
    };
    let spans: Vec<Span> = sub.parsed.variables().map(|v| v.span).collect();
    assert_eq!(spans, [whole, whole]);
}

#[test]
fn sub_parts_escapes_and_unclosed() {
    let text = "A: !Sub 'a ${!Literal} b ${X.Y.Z} ${ c'\n";
    let root = yaml(text);
    let template = Template::new(&root, Path::new("t")).with_source(text);
    let call = node(&root, &["A"]);
    let Some(Err(problem)) = template.intrinsic(call) else {
        panic!("an unclosed `${{` is a shape error");
    };
    assert_eq!(&text[problem.span.range()], "${");
    assert_eq!(problem.span.start(), text.rfind("${").unwrap_or(0));
    let Some(Ok(Intrinsic::Sub(sub))) = Intrinsic::view(call, Some(text)) else {
        panic!("the lenient view is a Sub");
    };
    assert!(matches!(
        sub.parsed.parts[1],
        SubPart::Escape {
            text: "${!Literal}",
            ..
        }
    ));
    let variable = sub.parsed.variables().next().copied();
    assert_eq!(
        variable.map(|v| (v.name, v.attribute)),
        Some(("X", Some("Y.Z")))
    );
}

#[test]
fn getatt_both_forms_with_spans() {
    let text = "A: !GetAtt Queue.Arn\nB: {Fn::GetAtt: [Bucket, DomainName]}\nC: !GetAtt NoDot\n";
    let root = yaml(text);
    let template = Template::new(&root, Path::new("t")).with_source(text);
    let slice = |s: Span| &text[s.range()];
    let Some(Ok(Intrinsic::GetAtt(a))) = template.intrinsic(node(&root, &["A"])) else {
        panic!("A");
    };
    assert_eq!(
        (slice(a.resource_span), slice(a.attribute_span)),
        ("Queue", "Arn")
    );
    let Some(Ok(Intrinsic::GetAtt(b))) = template.intrinsic(node(&root, &["B"])) else {
        panic!("B");
    };
    assert_eq!(
        (b.resource, b.attribute, b.list_form),
        ("Bucket", Some("DomainName"), true)
    );
    assert_eq!(slice(b.resource_span), "Bucket");
    let Some(Err(problem)) = template.intrinsic(node(&root, &["C"])) else {
        panic!("C is malformed");
    };
    assert_eq!(slice(problem.span), "NoDot");
}

#[test]
fn shape_errors_say_where() {
    let text = "A: !Join [',']\nB: !Select [x, [a]]\nC: {Fn::Sbu: x}\nD: !FindInMap [M, a, b, c]\nE: !Sub [s, [x]]\n";
    let root = yaml(text);
    let template = Template::new(&root, Path::new("t")).with_source(text);
    let error_at = |key: &str| match template.intrinsic(node(&root, &[key])) {
        Some(Err(problem)) => text[problem.span.range()].to_string(),
        other => panic!("{key}: {other:?}"),
    };
    assert_eq!(error_at("A"), "[',']");
    assert_eq!(error_at("B"), "x");
    assert_eq!(error_at("C"), "Fn::Sbu");
    assert_eq!(error_at("D"), "c");
    assert_eq!(error_at("E"), "[x]");
}

#[test]
fn output_types() {
    let text = "Parameters:\n  Subnets: {Type: 'List<AWS::EC2::Subnet::Id>'}\n  Names: {Type: CommaDelimitedList}\n  Size: {Type: Number}\n\
                Resources:\n  Queue: {Type: AWS::SQS::Queue}\n\
                Mappings:\n  M: {a: {list: [x, y], text: z}}\n\
                Values:\n  a: !Ref Subnets\n  b: !Ref Names\n  c: !Ref Size\n  d: !Ref Queue\n  e: !GetAZs ''\n  f: !Split [',', x]\n  g: !Sub x\n  h: !Select [0, !GetAZs '']\n\
                \x20 i: !If [C, !Ref Subnets, !Ref Queue]\n  j: !GetAtt Queue.Arn\n  k: !FindInMap [M, a, list]\n  l: !If [C, !Ref AWS::NoValue, !Join ['', [a]]]\n  m: !Equals [a, b]\n  n: !Ref AWS::NotificationARNs\n";
    let root = yaml(text);
    let template = Template::new(&root, Path::new("t"));
    let of = |key: &str| template.output_type(node(&root, &["Values", key]));
    let list = Types::of(ValueType::List);
    let string = Types::of(ValueType::String);
    assert_eq!(of("a"), list);
    assert_eq!(of("b"), list);
    assert_eq!(of("c"), string, "Ref to a Number parameter is a string");
    assert_eq!(of("d"), string);
    assert_eq!(of("e"), list);
    assert_eq!(of("f"), list);
    assert_eq!(of("g"), string);
    assert_eq!(of("h"), string);
    assert_eq!(of("i"), list.union(string));
    assert!(of("i").may_be(ValueType::List) && !of("i").is(ValueType::List));
    assert!(of("j").is_unknown(), "GetAtt waits for the schema layer");
    assert_eq!(of("k"), list);
    assert_eq!(of("l"), string);
    assert_eq!(of("m"), Types::of(ValueType::Boolean));
    assert_eq!(of("n"), list);

    struct Arns;
    impl AttributeTypes for Arns {
        fn attribute_type(&self, resource_type: &str, attribute: &str) -> Option<Types> {
            (resource_type == "AWS::SQS::Queue" && attribute == "Arn")
                .then_some(Types::of(ValueType::String))
        }
    }
    assert_eq!(
        template.output_type_with(node(&root, &["Values", "j"]), &Arns),
        string
    );
}

#[test]
fn condition_names_in_calls_of_the_wrong_shape_are_still_uses() {
    let text = "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      A: !If [Short, x]\n      B: !And [{Condition: Lonely}]\n      C: {Fn::Not: {Condition: NotAList}}\n";
    let root = yaml(text);
    let template = Template::new(&root, Path::new("t")).with_source(text);
    let seen: Vec<(&str, RefKind, &str)> = template
        .references(node(&root, &["Resources", "Q"]))
        .iter()
        .map(|r| (r.name, r.kind, &text[r.span.range()]))
        .collect();
    assert_eq!(
        seen,
        [
            ("Short", RefKind::IfCondition, "Short"),
            ("Lonely", RefKind::Condition, "Lonely"),
        ]
    );
}

#[test]
fn references_with_kinds_and_spans() {
    let text = "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      A: !Ref Param\n      B: !GetAtt [Bucket, Arn]\n      C: !Sub ['${Local} ${Res.Arn} ${AWS::Region} ${!Esc}', {Local: !Ref Other}]\n      D: !FindInMap [Map, !Ref Env, Key]\n      E: !If [IsProd, !Ref InProd, !Ref AWS::NoValue]\n      F: {Condition: NotACondition}\n      G: !Not [{Condition: Negated}]\n";
    let root = yaml(text);
    let template = Template::new(&root, Path::new("t")).with_source(text);
    let refs = template.references(node(&root, &["Resources", "Q"]));
    let seen: Vec<(&str, RefKind, &str, bool)> = refs
        .iter()
        .map(|r| (r.name, r.kind, &text[r.span.range()], r.conditional))
        .collect();
    assert_eq!(
        seen,
        [
            ("Param", RefKind::Ref, "Param", false),
            ("Bucket", RefKind::GetAtt, "Bucket", false),
            ("Res", RefKind::SubGetAtt, "${Res.Arn}", false),
            ("AWS::Region", RefKind::SubRef, "${AWS::Region}", false),
            ("Other", RefKind::Ref, "Other", false),
            ("Map", RefKind::Mapping, "Map", false),
            ("Env", RefKind::Ref, "Env", false),
            ("IsProd", RefKind::IfCondition, "IsProd", false),
            ("InProd", RefKind::Ref, "InProd", true),
            ("AWS::NoValue", RefKind::Ref, "AWS::NoValue", true),
            ("Negated", RefKind::Condition, "Negated", false),
        ]
    );
    assert_eq!(refs[8].branch, Some(("IsProd", true)));
}

#[test]
fn condition_references_only_inside_condition_functions() {
    let text = "Conditions:\n  A: !And [!Condition B, !Not [{Condition: C}]]\n";
    let root = yaml(text);
    let template = Template::new(&root, Path::new("t"));
    let names: Vec<&str> = template
        .references(node(&root, &["Conditions"]))
        .iter()
        .map(|r| r.name)
        .collect();
    assert_eq!(names, ["B", "C"]);
}

#[test]
fn find_in_map_through_mappings() {
    let text = "Parameters:\n  Env: {Type: String, Default: prod, AllowedValues: [prod, test]}\n  Free: {Type: String}\n\
                Mappings:\n  Sizes:\n    prod: {Instance: m5.large}\n    dev: {Instance: t3.micro, Extra: x}\n\
                Values:\n  a: !FindInMap [Sizes, !Ref Env, Instance]\n  b: !FindInMap [Sizes, prod, Instance]\n  c: !FindInMap [Sizes, !Ref Free, Nope]\n  d: !FindInMap [Sizes, prod, Nope, {DefaultValue: 1}]\n  e: !FindInMap [Sizez, prod, Instance]\n";
    let root = yaml(text);
    let template = Template::new(&root, Path::new("t"));
    let lookup = |key: &str| match Intrinsic::of(node(&root, &["Values", key])) {
        Some(Intrinsic::FindInMap(lookup)) => lookup,
        other => panic!("{key}: {other:?}"),
    };
    let missing = template.missing_map_keys(&lookup("a"));
    assert_eq!(missing.len(), 1);
    assert_eq!(
        (missing[0].level, missing[0].key),
        (MapLevel::TopKey, "test")
    );
    assert!(matches!(missing[0].origin, Origin::Parameter(_)));
    assert!(template.missing_map_keys(&lookup("b")).is_empty());
    let values = template.find_in_map_values(&lookup("b"));
    assert_eq!(
        values.map(|v| v.iter().filter_map(|n| n.as_str()).collect::<Vec<_>>()),
        Some(vec!["m5.large"])
    );
    let missing = template.missing_map_keys(&lookup("c"));
    assert_eq!(missing.len(), 1, "no entry has `Nope`");
    assert_eq!(
        (missing[0].level, missing[0].top_key),
        (MapLevel::SecondKey, None)
    );
    assert!(template.missing_map_keys(&lookup("d")).is_empty());
    assert!(template.find_in_map_values(&lookup("d")).is_some());
    let missing = template.missing_map_keys(&lookup("e"));
    assert_eq!(
        (missing[0].level, missing[0].defined.clone()),
        (MapLevel::Map, vec!["Sizes"])
    );
}

/// The intrinsic-function names a source text spells as string literals (`"Ref"`,
/// `"Fn::Sub"`, `"Fn::"`), ignoring ones quoted inside longer strings (`\"Fn::Sub\"`).
fn named_functions(source: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (at, _) in source.match_indices('"') {
        if source[..at].ends_with('\\') {
            continue;
        }
        let rest = &source[at + 1..];
        let name_len = if rest.starts_with("Ref\"") || rest.starts_with("Condition\"") {
            rest.find('"').unwrap_or(0)
        } else if rest.starts_with("Fn::") {
            rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == ':'))
                .unwrap_or(0)
        } else {
            continue;
        };
        if rest[name_len..].starts_with('"') && !rest.starts_with("Condition") {
            out.push(rest[..name_len].to_string());
        }
    }
    out
}

#[test]
fn rules_leave_intrinsic_function_names_to_the_evaluator() {
    // Issue 17 moved the last rule (CFN-001) onto the evaluator; no rule may name a
    // function itself.
    let rules = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let mut offenders = Vec::new();
    let Ok(entries) = std::fs::read_dir(&rules) else {
        panic!("no rules folder");
    };
    for entry in entries.flatten() {
        let code = entry.file_name().to_string_lossy().to_string();
        let Ok(source) = std::fs::read_to_string(entry.path().join("rule.rs")) else {
            continue;
        };
        let names = named_functions(&source);
        if !names.is_empty() {
            offenders.push(format!("{code}: {names:?}"));
        }
    }
    assert!(
        offenders.is_empty(),
        "rules naming intrinsic functions (use model::eval::Intrinsic): {offenders:?}"
    );
}

#[test]
fn the_meta_test_sees_names_but_not_quoted_text() {
    assert_eq!(
        named_functions(r#"match name { "Ref" => 1, "Fn::Sub" => 2 } x.starts_with("Fn::")"#),
        ["Ref", "Fn::Sub", "Fn::"]
    );
    assert!(named_functions(r#"help("write {\"Fn::Sub\": x}") get("Condition")"#).is_empty());
}

#[test]
fn many_variables_in_an_escaped_string_stay_linear() {
    // 20,000 variables in a JSON string with escapes: the occurrence search has a
    // budget, after which spans fall back to the whole scalar.
    let body: String = (0..20_000).map(|i| format!("\\n${{V{i}}}")).collect();
    let text = format!(r#"{{"A": {{"Fn::Sub": "{body}"}}}}"#);
    let root = json(&text);
    let template = Template::new(&root, Path::new("t")).with_source(&text);
    let started = std::time::Instant::now();
    let Some(Ok(Intrinsic::Sub(sub))) = template.intrinsic(node(&root, &["A"])) else {
        panic!("not a Sub");
    };
    assert_eq!(sub.parsed.variables().count(), 20_000);
    let first = sub.parsed.variables().next().map(|v| &text[v.span.range()]);
    assert_eq!(first, Some("${V0}"));
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
}

#[test]
fn the_template_wide_walk_gives_each_section_references_and_their_resource() {
    let text = "Parameters:\n  Stage: {Type: String, Default: !Ref AWS::Region}\n\
                Mappings:\n  M: {a: {b: c}}\n\
                Conditions:\n  IsProd: !Equals [!Ref Stage, prod]\n\
                Resources:\n  \
                  Queue:\n    Type: AWS::SQS::Queue\n    DependsOn: Topic\n    \
                    Properties:\n      QueueName: !If [IsProd, !Ref Topic, !Sub '${Stage}-q']\n  \
                  Topic:\n    Type: AWS::SNS::Topic\n    Metadata: {Uses: !GetAtt Queue.Arn}\n  \
                  Odd: !Ref Stage\n\
                Outputs:\n  Arn: {Value: !GetAtt Queue.Arn}\n";
    let root = yaml(text);
    let template = Template::new(&root, Path::new("t")).with_source(text);
    let mut seen = Vec::new();
    template.each_template_reference(&mut |site, reference| {
        seen.push((
            site.section.key.text.to_string(),
            site.resource,
            reference.name,
            reference.kind,
        ));
    });
    type Seen<'a> = (String, Option<(usize, Option<&'a str>)>, &'a str, RefKind);
    let expected: Vec<Seen> = vec![
        ("Conditions".into(), None, "Stage", RefKind::Ref),
        (
            "Resources".into(),
            Some((0, Some("Properties"))),
            "IsProd",
            RefKind::IfCondition,
        ),
        (
            "Resources".into(),
            Some((0, Some("Properties"))),
            "Topic",
            RefKind::Ref,
        ),
        (
            "Resources".into(),
            Some((0, Some("Properties"))),
            "Stage",
            RefKind::SubRef,
        ),
        (
            "Resources".into(),
            Some((1, Some("Metadata"))),
            "Queue",
            RefKind::GetAtt,
        ),
        ("Resources".into(), Some((2, None)), "Stage", RefKind::Ref),
        ("Outputs".into(), None, "Queue", RefKind::GetAtt),
    ];
    assert_eq!(seen, expected);
    // A `Resources` list is walked as a whole, with no resource to tell.
    let listed = yaml("Resources: [a, !Ref X]\n");
    let template_of_list = Template::new(&listed, Path::new("t"));
    let mut names = Vec::new();
    template_of_list.each_template_reference(&mut |site, reference| {
        names.push((reference.name, site.resource));
    });
    assert_eq!(names, [("X", None)]);
    // Section by section, the walk gives what `each_reference` gives of it.
    for section in ["Conditions", "Resources", "Outputs"] {
        let alone = template.references(node(&root, &[section]));
        let shared: Vec<_> = seen
            .iter()
            .filter(|s| s.0 == section)
            .map(|s| s.2)
            .collect();
        assert_eq!(alone.iter().map(|r| r.name).collect::<Vec<_>>(), shared);
    }
}

#[test]
fn call_views_parse_only_the_functions_they_name() {
    let text = "A: !GetAtt Q.Arn\nB: !Sub '${Q.Arn}'\nC: !Ref Q\n\
                D: {'Fn::Transform': {Name: M}}\nE: {'Fn::ForEach::L': [x, [a], {}]}\n";
    let root = yaml(text);
    let template = Template::new(&root, Path::new("t")).with_source(text);
    let kinds = |view: &dyn Fn(&Node) -> bool| -> String {
        ["A", "B", "C", "D", "E"]
            .into_iter()
            .filter(|key| view(node(&root, &[key])))
            .collect()
    };
    let attribute = |n: &Node| template.attribute_call(n).is_some();
    let expanding = |n: &Node| template.expanding_call(n).is_some();
    assert_eq!(kinds(&attribute), "AB");
    assert_eq!(kinds(&expanding), "BDE");
}
