use super::*;

fn yaml(text: &str) -> Node {
    let loaded = load_yaml(text);
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    loaded.root.expect("a document")
}

fn slice(text: &str, span: Span) -> &str {
    &text[span.range()]
}

#[test]
fn yaml_scalar_and_key_spans_are_exact() {
    let text = "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n";
    let root = yaml(text);
    let q = root.path(&["Resources", "Q"]).expect("Q");
    let ty = q.entry("Type").expect("Type");
    assert_eq!(slice(text, ty.key.span), "Type");
    assert_eq!(slice(text, ty.value.span()), "AWS::SQS::Queue");
    assert_eq!(slice(text, q.span()), "Type: AWS::SQS::Queue");
}

#[test]
fn yaml_spans_are_bytes_after_multibyte_characters() {
    let text = "a: \"é😀\" # ü\nb: [x, {y: zz}]\n";
    let root = yaml(text);
    let b = root.get("b").expect("b");
    assert_eq!(slice(text, b.span()), "[x, {y: zz}]");
    let zz = b.as_seq().expect("seq")[1].get("y").expect("y");
    assert_eq!(slice(text, zz.span()), "zz");
    assert_eq!(slice(text, root.get("a").expect("a").span()), "\"é😀\"");
}

#[test]
fn short_tags_become_long_form_keeping_the_tag_span() {
    let text = "a: !Ref Proto\nb: !GetAtt A.Arn\nc: !If [C, 1, 2]\nd: !Sub |\n  x ${y}\n";
    let root = yaml(text);
    let a = root.get("a").expect("a");
    let (name, arg) = a.intrinsic().expect("intrinsic");
    assert_eq!(name, "Ref");
    assert_eq!(arg.as_str(), Some("Proto"));
    assert_eq!(slice(text, a.span()), "!Ref Proto");
    assert_eq!(slice(text, arg.span()), "Proto");
    assert_eq!(slice(text, a.as_map().expect("map")[0].key.span), "!Ref");
    let c = root.get("c").expect("c");
    assert_eq!(c.intrinsic().map(|(n, _)| n), Some("Fn::If"));
    assert_eq!(slice(text, c.span()), "!If [C, 1, 2]");
    let d = root.get("d").expect("d");
    assert_eq!(d.intrinsic().map(|(n, _)| n), Some("Fn::Sub"));
    assert_eq!(
        root.get("b").and_then(|b| b.intrinsic()).map(|(n, _)| n),
        Some("Fn::GetAtt")
    );
}

#[test]
fn other_local_tags_are_kept_as_unknown_calls_and_standard_tags_dropped() {
    let text = "a: !Rain::Embed f.py\nb: !Custom [1, 2]\nc: !!str 30\nd: ! 5\n";
    let root = yaml(text);
    let a = root.get("a").expect("a");
    let (name, arg) = a.intrinsic().expect("a call");
    assert_eq!((name, arg.as_str()), ("!Rain::Embed", Some("f.py")));
    assert_eq!(slice(text, a.span()), "!Rain::Embed f.py");
    let b = root.get("b").expect("b");
    assert_eq!(b.intrinsic().map(|(n, _)| n), Some("!Custom"));
    assert_eq!(root.get("c").and_then(Node::as_str), Some("30"));
    assert_eq!(root.get("d").and_then(Node::as_str), Some("5"));
}

#[test]
fn aliases_know_whether_a_merge_key_takes_them() {
    let text =
        "a: &a {x: 1}\nb: &b {y: 2}\nm: {<<: *a}\nn:\n  <<: [*a, *b]\n  z: 3\nl: [*a]\nv: *b\n";
    let loaded = load_yaml(text);
    let merged: Vec<(&str, bool)> = loaded
        .aliases
        .iter()
        .map(|alias| (slice(text, alias.at), alias.merged))
        .collect();
    assert_eq!(
        merged,
        [
            ("*a", true),
            ("*a", true),
            ("*b", true),
            ("*a", false),
            ("*b", false)
        ]
    );
}

#[test]
fn block_collections_span_their_children() {
    let text = "top:\n  - a: 1\n    b: 2\n  - c\nnext: 1\n";
    let root = yaml(text);
    let top = root.get("top").expect("top");
    assert_eq!(slice(text, top.span()), "- a: 1\n    b: 2\n  - c");
}

#[test]
fn anchors_are_skipped_and_aliases_expand() {
    let text = "a: &x {q: 1}\nb: *x\nc: &s hello\n";
    let root = yaml(text);
    assert_eq!(slice(text, root.get("a").expect("a").span()), "{q: 1}");
    assert_eq!(root.path(&["b", "q"]).and_then(Node::as_i64), Some(1));
    assert_eq!(slice(text, root.get("c").expect("c").span()), "hello");
}

#[test]
fn duplicate_keys_report_both_spans() {
    let text = "a: 1\nb: 2\na: 3\n";
    let loaded = load_yaml(text);
    match loaded.problems.as_slice() {
        [LoadProblem::DuplicateKey { key, first, again }] => {
            assert_eq!(key, "a");
            assert_eq!(*first, Span::new(0, 1));
            assert_eq!(*again, Span::new(10, 11));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        loaded.root.and_then(|r| r.get("a").and_then(Node::as_i64)),
        Some(3)
    );
}

#[test]
fn yaml_syntax_error_points_at_the_fault_and_the_open_bracket() {
    let text = "a: [1, 2\nb: 3\n";
    let loaded = load_yaml(text);
    assert!(loaded.root.is_none());
    match loaded.problems.as_slice() {
        [LoadProblem::Syntax { opened, .. }] => assert_eq!(*opened, Some(Span::new(3, 4))),
        other => panic!("{other:?}"),
    }
}

#[test]
fn alias_bomb_is_refused() {
    let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        let p = i - 1;
        text.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    let loaded = load_yaml(&text);
    assert!(loaded.root.is_none());
    assert!(matches!(
        loaded.problems.as_slice(),
        [LoadProblem::Unsupported { .. }]
    ));
}

#[test]
fn deep_nesting_is_refused_not_overflowed() {
    let text = "[".repeat(100_000);
    assert!(load_yaml(&text).has_fatal_problem());
    let block: String = (0..2000)
        .map(|i| format!("{}k:\n", " ".repeat(i)))
        .collect();
    let loaded = load_yaml(&block);
    assert!(matches!(
        loaded.problems.as_slice(),
        [LoadProblem::Unsupported { .. }]
    ));
    assert!(matches!(
        load_json(&text).problems.as_slice(),
        [LoadProblem::Unsupported { .. }]
    ));
}

#[test]
fn bom_is_skipped_and_offsets_stay_in_file_coordinates() {
    let text = "\u{feff}a: b\n";
    let root = yaml(text);
    assert_eq!(slice(text, root.get("a").expect("a").span()), "b");
    let json = "\u{feff}{\"a\": 1}";
    let root = load_json(json).root.expect("root");
    assert_eq!(slice(json, root.get("a").expect("a").span()), "1");
}

#[test]
fn json_spans_are_bytes() {
    let text = "{\"é\": {\"k\": [1, \"two\", true, null]}}";
    let loaded = load_json(text);
    let root = loaded.root.expect("root");
    let k = root.path(&["é", "k"]).expect("k");
    assert_eq!(slice(text, k.span()), "[1, \"two\", true, null]");
    let items = k.as_seq().expect("seq");
    assert_eq!(slice(text, items[1].span()), "\"two\"");
    assert_eq!(items[1].as_str(), Some("two"));
    assert!(items[3].is_null());
    assert_eq!(
        slice(text, root.as_map().expect("map")[0].key.span),
        "\"é\""
    );
}

/// Strict but for trailing commas, which CloudFormation accepts (see
/// `json_with_trailing_commas_loads_as_cloudformation_reads_it`); a trailing comma
/// with another fault is still a syntax error.
#[test]
fn json_is_strict() {
    for bad in [
        "",
        "  ",
        "{\"a\": 1,,}",
        "// c\n{\"a\": 1,}",
        "{'a': 1}",
        "{a: 1}",
        "{\"a\": \"x\ty\"}",
        "[1 2]",
    ] {
        let loaded = load_json(bad);
        assert!(loaded.root.is_none(), "accepted {bad:?}");
        assert!(
            matches!(loaded.problems.as_slice(), [LoadProblem::Syntax { .. }]),
            "{bad:?}"
        );
    }
}

#[test]
fn json_unclosed_bracket_names_where_it_opened() {
    let loaded = load_json("{\"a\": [1, 2}");
    match loaded.problems.as_slice() {
        [LoadProblem::Syntax { opened, .. }] => assert_eq!(*opened, Some(Span::new(6, 7))),
        other => panic!("{other:?}"),
    }
}

#[test]
fn json_duplicate_keys_are_reported() {
    let loaded = load_json("{\"a\": 1, \"a\": 2}");
    assert!(matches!(
        loaded.problems.as_slice(),
        [LoadProblem::DuplicateKey { .. }]
    ));
}

#[test]
fn underindented_flow_continuation_lines_are_accepted_as_cloudformation_does() {
    let text = "R:\n  - P: !Sub '{\n      \"a\": 1\n  }'\n    Q: [\n      x,\n    ]\n  - S: 1\n";
    let root = yaml(text);
    let item = &root.get("R").and_then(Node::as_seq).expect("seq")[0];
    let p = item.get("P").expect("P");
    assert_eq!(slice(text, p.span()), "!Sub '{\n      \"a\": 1\n  }'");
    let q = item.get("Q").expect("Q");
    assert_eq!(slice(text, q.span()), "[\n      x,\n    ]");
    assert_eq!(slice(text, q.as_seq().expect("seq")[0].span()), "x");
    let s = root.get("R").and_then(Node::as_seq).expect("seq")[1]
        .get("S")
        .expect("S");
    assert_eq!(slice(text, s.span()), "1");
}

#[test]
fn a_second_yaml_document_is_reported_at_its_marker_and_the_first_is_kept() {
    let text = "a: 1\n---\nb: 2\n---\nc: 3\n";
    let loaded = load_yaml(text);
    assert!(!loaded.has_fatal_problem());
    assert!(loaded
        .root
        .as_ref()
        .and_then(|root| root.get("a"))
        .is_some());
    match loaded.problems.as_slice() {
        [LoadProblem::ExtraDocument { at }] => assert_eq!(*at, Span::new(5, 8)),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_directive_or_a_trailing_marker_is_not_a_second_document() {
    assert!(load_yaml("%YAML 1.1\n---\na: 1\n").problems.is_empty());
    assert!(load_yaml("---\na: 1\n---\n").problems.is_empty());
    assert!(load_yaml("a: 1\n...\n").problems.is_empty());
}

#[test]
fn many_underindented_lines_map_back_to_their_own_text() {
    // Three constructs, nested and repeated, of many lines each: every scalar's span
    // must still slice to its own text once the re-indented lines are mapped back.
    let mut text = String::from("A:\n  B: [\nb0,\n");
    for i in 1..300 {
        text.push_str(&format!("b{i},\n"));
    }
    text.push_str("  [c0,\nc1]]\n  C: {k: [\nd0,\n d1], j: 'e\n f'}\n");
    let root = yaml(&text);
    let b = root.path(&["A", "B"]).and_then(Node::as_seq).expect("B");
    assert_eq!(b.len(), 301);
    for (i, item) in b.iter().take(300).enumerate() {
        assert_eq!(slice(&text, item.span()), format!("b{i}"));
    }
    let c = b[300].as_seq().expect("nested");
    assert_eq!(slice(&text, c[0].span()), "c0");
    assert_eq!(slice(&text, c[1].span()), "c1");
    let k = root
        .path(&["A", "C", "k"])
        .and_then(Node::as_seq)
        .expect("k");
    assert_eq!(slice(&text, k[1].span()), "d1");
    let j = root.path(&["A", "C", "j"]).expect("j");
    assert_eq!(slice(&text, j.span()), "'e\n f'");
}

#[test]
fn aliases_are_expanded_in_a_file_with_underindented_constructs() {
    // The attempts that find under-indented lines skip alias expansion; the final
    // parse must not.
    let text = "A: &a [x, y]\nB: [\nz,\n]\nC: *a\nD: 'q\nr'\n";
    let loaded = load_yaml(text);
    let root = loaded.root.as_ref().expect("a document");
    let c = root.get("C").and_then(Node::as_seq).expect("C expanded");
    assert_eq!(c.len(), 2);
    assert_eq!(slice(text, c[1].span()), "*a");
    assert_eq!(slice(text, root.get("D").expect("D").span()), "'q\nr'");
    // The alias table is mapped back through the re-indentation too.
    let [alias] = loaded.aliases[..] else {
        panic!("{:?}", loaded.aliases)
    };
    assert_eq!(slice(text, alias.at), "*a");
    assert_eq!(slice(text, alias.target), "[x, y]");
}

#[test]
fn an_alias_copy_is_placed_at_the_alias() {
    // Findings inside the copy belong where it is used; the anchor is one lookup away.
    let text = "A: &a {k: [x, {y: z}]}\nB: [1, *a]\nC: &s v\nD: *s\n";
    let loaded = load_yaml(text);
    let root = loaded.root.as_ref().expect("a document");
    let b = &root.get("B").and_then(Node::as_seq).expect("B")[1];
    let mut spans = Vec::new();
    b.walk(|node| {
        spans.push(node.span());
        if let Some(entries) = node.as_map() {
            spans.extend(entries.iter().map(|e| e.key.span));
        }
    });
    assert_eq!(spans.len(), 7);
    assert!(spans.iter().all(|&s| slice(text, s) == "*a"), "{spans:?}");
    // The original keeps its own spans.
    let a = root.path(&["A", "k"]).and_then(Node::as_seq).expect("A.k");
    assert_eq!(slice(text, a[0].span()), "x");
    let shown: Vec<(&str, &str)> = loaded
        .aliases
        .iter()
        .map(|a| (slice(text, a.at), slice(text, a.target)))
        .collect();
    assert_eq!(shown, [("*a", "{k: [x, {y: z}]}"), ("*s", "v")]);
    let d = root.get("D").expect("D").span();
    assert_eq!(
        loaded.alias_ending(d).map(|a| a.target),
        Some(loaded.aliases[1].target)
    );
    assert!(loaded.touches_alias(Span::new(d.start() + 1, d.start() + 2)));
    assert!(loaded.touches_alias(Span::empty(d.start())));
    assert!(!loaded.touches_alias(Span::empty(d.end())));
    assert!(!loaded.touches_alias(root.path(&["C"]).expect("C").span()));
}

#[test]
fn json_with_trailing_commas_loads_as_cloudformation_reads_it() {
    let text = "{\"a\": [1, 2, ],\n \"b\": {\"c\": \"x,]\",},\n}";
    let loaded = crate::document::load_json(text);
    assert!(!loaded.has_fatal_problem());
    let commas: Vec<Span> = loaded
        .problems
        .iter()
        .filter_map(|p| match p {
            LoadProblem::TrailingComma { at } => Some(*at),
            _ => None,
        })
        .collect();
    let at = |needle: &str| text.find(needle).map_or(0, |i| i + needle.len() - 1);
    assert_eq!(
        commas,
        vec![
            Span::new(at("2,"), at("2,") + 1),
            Span::new(at("\"x,]\","), at("\"x,]\",") + 1),
            Span::new(at("},"), at("},") + 1),
        ]
    );
    let root = loaded
        .root
        .as_ref()
        .map(|r| r.path(&["b", "c"]).and_then(|n| n.as_str()));
    assert_eq!(root, Some(Some("x,]")));
    // A document broken in another way is still a syntax error.
    let broken = crate::document::load_json("{\"a\": [1, 2,], \"b\" 3}");
    assert!(broken.has_fatal_problem());
}

/// The value of a node without its spans, to compare trees.
fn shape(node: &Node) -> String {
    match &node.value {
        Value::Scalar(text) => format!("{text:?}"),
        Value::Seq(items) => format!(
            "[{}]",
            items.iter().map(shape).collect::<Vec<_>>().join(",")
        ),
        Value::Map(entries) => format!(
            "{{{}}}",
            entries
                .iter()
                .map(|e| format!("{:?}:{}", e.key.text, shape(&e.value)))
                .collect::<Vec<_>>()
                .join(",")
        ),
    }
}

#[test]
fn aliases_find_anchored_collections_wherever_they_now_are() {
    // Anchors inside closed collections, inside intrinsic tags, in open ones, and at
    // many depths: each alias must give the anchored value.
    let text = "a: {b: [1, &x [2, {c: &y [3]}]], d: !If [C, &z {e: 4}, 5]}\nf: *x\ng: *y\nh: *z\ni: [&w [6], *w, [*w]]\nj: &v {k: *x}\nl: *v\n";
    let root = yaml(text);
    let expected = "a: {b: [1, [2, {c: [3]}]], d: !If [C, {e: 4}, 5]}\nf: [2, {c: [3]}]\ng: [3]\nh: {e: 4}\ni: [[6], [6], [[6]]]\nj: {k: [2, {c: [3]}]}\nl: {k: [2, {c: [3]}]}\n";
    assert_eq!(shape(&root), shape(&yaml(expected)));
}

#[test]
fn merge_keys_merge_with_explicit_keys_winning() {
    // YAML 1.1: the mapping's own keys win, then earlier merged mappings over later.
    let text = "a: &a {x: 1, y: 1}\nb: &b {y: 2, z: 2}\nc:\n  <<: [*a, *b]\n  x: 3\nd: {'<<': q}\n";
    let loaded = load_yaml(text);
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    let root = loaded.root.as_ref().expect("a document");
    let c = root.get("c").expect("c");
    let value = |key: &str| c.get(key).and_then(Node::as_str).map(str::to_string);
    assert_eq!(value("x").as_deref(), Some("3"));
    assert_eq!(value("y").as_deref(), Some("1"));
    assert_eq!(value("z").as_deref(), Some("2"));
    assert!(c.get("<<").is_none());
    assert_eq!(slice(text, c.span()), "<<: [*a, *b]\n  x: 3");
    // A quoted `'<<'` is an ordinary key.
    assert!(root.path(&["d", "<<"]).is_some());
    let keys: Vec<&str> = loaded.merge_keys.iter().map(|&s| slice(text, s)).collect();
    assert_eq!(keys, ["<<"]);
}

/// The tree's size is a few times the text's (README, Performance): a field added to
/// these types is paid for once per key or value of every document.
#[test]
fn tree_nodes_stay_small() {
    assert_eq!(std::mem::size_of::<Span>(), 8);
    assert_eq!(std::mem::size_of::<Node>(), 32);
    assert_eq!(std::mem::size_of::<Entry>(), 48);
}
