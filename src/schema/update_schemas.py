#!/usr/bin/env python3
"""Regenerate src/schema/data/ from the resource schemas packaged in cfn-lint's wheel.

    python3 src/schema/update_schemas.py 1.58.0 [--sha256 HEX] [--wheel PATH]

Downloads `cfn-lint==VERSION` with `pip download --no-deps` (or reads --wheel), checks
the wheel's sha256 (pinned below per version; other versions need --sha256), reads
`cfnlint/data/schemas/` from it and writes, under src/schema/data/:

- one JSON file per resource type (`AWS::S3::Bucket` -> `aws-s3-bucket.json`), keys
  sorted, without the keywords that do not take part in validation or hover (listed in
  DROPPED_KEYWORDS), with src/schema/patches.json applied;
- `regions.json`: resource type -> regions where it exists;
- `PROVENANCE.json`: package, version, sha256, schema date, what was removed and
  changed, counts.

Stdlib only. The same wheel gives byte-identical output.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

PINNED_SHA256 = {
    "1.58.0": "9d9f06043160756a6158f5c3f92a44ce38254b1c578127461608305bc8262987",
}

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
PATCHES = HERE / "patches.json"
PREFIX = "cfnlint/data/schemas/"

# Keywords removed wherever they are keywords (not property names): prose, examples,
# and provider metadata that no check or hover uses.
DROPPED_KEYWORDS = sorted(
    [
        "$comment",
        "$schema",
        "additionalIdentifiers",
        "arrayType",
        "description",
        "examples",
        "handlers",
        "insertionOrder",
        "lifecycle",
        "propertyTransform",
        "relationshipRef",
        "replacementStrategy",
        "resourceLink",
        "sourceUrl",
        "taggable",
        "tagging",
        "title",
        "typeConfiguration",
    ]
)

# Keywords whose value maps names to subschemas (the names are data, not keywords).
NAME_MAPS = {"properties", "definitions", "patternProperties"}
# Keywords whose value is data, copied verbatim.
VERBATIM = {
    "enum",
    "const",
    "default",
    "required",
    "readOnlyProperties",
    "createOnlyProperties",
    "writeOnlyProperties",
    "conditionalCreateOnlyProperties",
    "deprecatedProperties",
    "primaryIdentifier",
    "requiredXor",
    "requiredOr",
    "dependentRequired",
    "dependentExcluded",
    "dependencies",
    "uniqueKeys",
    "typeName",
    "documentationUrl",
}

# Regions whose provider files in the wheel are copies of us-east-1's (isolated and
# sovereign partitions): their availability is not real data.
ISOLATED_COPIES = [
    "eu-isoe-west-1",
    "eusc-de-east-1",
    "us-iso-east-1",
    "us-iso-west-1",
    "us-isob-east-1",
    "us-isob-west-1",
    "us-isof-east-1",
    "us-isof-south-1",
]


def file_name(type_name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", type_name.lower()).strip("-") + ".json"


def dump(value) -> str:
    return json.dumps(value, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def clean(node, dropped: dict, is_name_map: bool = False):
    """A copy of a schema node without DROPPED_KEYWORDS (counted in `dropped`)."""
    if isinstance(node, list):
        return [clean(item, dropped) for item in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if is_name_map:
            out[key] = clean(value, dropped)
        elif key in DROPPED_KEYWORDS:
            dropped[key] = dropped.get(key, 0) + 1
        elif key in VERBATIM:
            out[key] = value
        else:
            out[key] = clean(value, dropped, key in NAME_MAPS)
    return out


def pointer_parent(doc, pointer: str):
    parts = [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]]
    node = doc
    for part in parts[:-1]:
        node = node[int(part)] if isinstance(node, list) else node[part]
    return node, parts[-1]


def apply_patch(schemas: dict, patch: dict) -> None:
    """One reviewed correction: `op` remove/set at a JSON pointer in one type's schema.
    A patch that no longer applies (the key is gone, or already has the value) is an
    error, so stale corrections are noticed when the data is updated."""
    schema = schemas.get(patch["type"])
    if schema is None:
        raise SystemExit(f"patch for unknown type {patch['type']}")
    try:
        parent, last = pointer_parent(schema, patch["path"])
    except (KeyError, IndexError, ValueError) as error:
        raise SystemExit(f"patch path {patch['type']} {patch['path']} not found: {error}")
    if patch["op"] == "remove":
        if last not in parent:
            raise SystemExit(f"patch {patch['type']} {patch['path']}: nothing to remove")
        del parent[last]
    elif patch["op"] == "set":
        if parent.get(last) == patch["value"]:
            raise SystemExit(f"patch {patch['type']} {patch['path']}: already set")
        parent[last] = patch["value"]
    else:
        raise SystemExit(f"unknown patch op {patch['op']}")


def count_keywords(node, counts: dict, patterns: set, is_name_map: bool = False) -> None:
    """Counts keywords, and collects `pattern`s and `patternProperties` keys."""
    if isinstance(node, list):
        for item in node:
            count_keywords(item, counts, patterns)
    elif isinstance(node, dict):
        for key, value in node.items():
            if is_name_map:
                if is_name_map == "patternProperties":
                    patterns.add(key)
                count_keywords(value, counts, patterns)
            elif key not in VERBATIM:
                counts[key] = counts.get(key, 0) + 1
                if key == "pattern" and isinstance(value, str):
                    patterns.add(value)
                count_keywords(value, counts, patterns, key if key in NAME_MAPS else False)
            else:
                counts[key] = counts.get(key, 0) + 1


def download(version: str, into: str) -> Path:
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
         f"cfn-lint=={version}", "-d", into],
        check=True,
    )
    wheels = sorted(Path(into).glob("cfn_lint-*.whl"))
    if len(wheels) != 1:
        raise SystemExit(f"expected one wheel, found {wheels}")
    return wheels[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("version")
    parser.add_argument("--sha256", help="expected sha256 of the wheel (for unpinned versions)")
    parser.add_argument("--wheel", help="use this wheel instead of downloading it")
    parser.add_argument("--out", default=str(DATA), help="output folder (default: src/schema/data)")
    parser.add_argument(
        "--check",
        action="store_true",
        help="regenerate into a temporary folder and fail if it differs from --out",
    )
    args = parser.parse_args()
    if args.check:
        committed = Path(args.out)
        with tempfile.TemporaryDirectory() as scratch:
            provenance = committed / "PROVENANCE.json"
            if provenance.exists():
                (Path(scratch) / "PROVENANCE.json").write_bytes(provenance.read_bytes())
            generate(args, Path(scratch))
            ours = {p.name: p.read_bytes() for p in Path(scratch).glob("*.json")}
            theirs = {p.name: p.read_bytes() for p in committed.glob("*.json")}
            differ = sorted(n for n in ours.keys() | theirs.keys() if ours.get(n) != theirs.get(n))
            if differ:
                raise SystemExit(f"src/schema/data differs from the wheel's: {differ[:10]}")
            print(f"{len(ours)} files identical")
        return
    generate(args, Path(args.out))


def generate(args, out: Path) -> None:
    expected = args.sha256 or PINNED_SHA256.get(args.version)
    if not expected:
        raise SystemExit(f"no pinned sha256 for {args.version}: pass --sha256")

    with tempfile.TemporaryDirectory() as tmp:
        wheel = Path(args.wheel) if args.wheel else download(args.version, tmp)
        blob = wheel.read_bytes()
        digest = hashlib.sha256(blob).hexdigest()
        if digest != expected:
            raise SystemExit(f"sha256 mismatch for {wheel.name}: {digest} != {expected}")
        archive = zipfile.ZipFile(wheel)
        names = set(archive.namelist())

        def load(path: str):
            return json.loads(archive.read(PREFIX + path))

        version_info = load("version.json")
        providers = sorted(
            n[len(PREFIX + "providers/"):-len(".json")]
            for n in names
            if n.startswith(PREFIX + "providers/") and n.endswith(".json")
        )
        availability: dict[str, list[str]] = {}
        hashes: dict[str, str] = {}
        for region in providers:
            for type_name, content in load(f"providers/{region}.json").items():
                if hashes.setdefault(type_name, content) != content:
                    raise SystemExit(f"{type_name} has two schemas across regions")
                if region != "sam":
                    availability.setdefault(type_name, []).append(region)
        regions = [r for r in providers if r != "sam"]
        for type_name in hashes:
            if type_name not in availability:
                # SAM's types are transformed, not provisioned: available wherever SAM is.
                availability[type_name] = list(regions)

        dropped: dict[str, int] = {}
        schemas = {}
        for type_name, content in sorted(hashes.items()):
            schema = load(f"resources/{content}.json")
            if schema.get("typeName") != type_name:
                raise SystemExit(f"{content}.json is {schema.get('typeName')}, not {type_name}")
            schemas[type_name] = clean(schema, dropped)

    patches = json.loads(PATCHES.read_text()) if PATCHES.exists() else {"patches": []}
    for patch in patches["patches"]:
        apply_patch(schemas, patch)

    files = {}
    for type_name in schemas:
        name = file_name(type_name)
        if name in files:
            raise SystemExit(f"{type_name} and {files[name]} map to the same file {name}")
        files[name] = type_name

    out.mkdir(parents=True, exist_ok=True)
    keep = set(files) | {"regions.json", "PROVENANCE.json"}
    for old in out.glob("*.json"):
        if old.name not in keep:
            old.unlink()
    keywords: dict[str, int] = {}
    patterns = set()
    for name, type_name in files.items():
        text = dump(schemas[type_name])
        (out / name).write_text(text, encoding="utf-8")
        count_keywords(schemas[type_name], keywords, patterns)

    region_text = "{\n" + ",\n".join(
        f" {json.dumps(t)}: {json.dumps(availability[t])}" for t in sorted(availability)
    ) + "\n}\n"
    (out / "regions.json").write_text(region_text, encoding="utf-8")

    provenance_path = out / "PROVENANCE.json"
    previous = json.loads(provenance_path.read_text()) if provenance_path.exists() else {}
    not_compiled = sorted(
        p for p in previous.get("patterns_not_compiled", []) if p in patterns
    )
    provenance = {
        "package": "cfn-lint",
        "licence": "MIT-0",
        "version": args.version,
        "wheel": wheel.name,
        "sha256": digest,
        "schema_date": version_info.get("schema_date"),
        "source": "cfnlint/data/schemas/providers/<region>.json and resources/<hash>.json",
        "update_command": f"python3 src/schema/update_schemas.py {args.version}",
        "counts": {
            "types": len(schemas),
            "sam_types": sum(t.startswith("AWS::Serverless::") for t in schemas),
            "regions": len(regions),
            "distinct_patterns": len(patterns),
            "patterns_not_compiled": len(not_compiled),
            "keywords": dict(sorted(keywords.items())),
        },
        "removed_keywords": dict(sorted(dropped.items())),
        "changes": [
            "keywords in removed_keywords dropped wherever they are keywords (property names are kept)",
            "keys sorted, one file per type named after the type",
            "regions.json: SAM types (providers/sam.json) are listed in every region",
            "regions.json: the wheel's files for " + ", ".join(ISOLATED_COPIES)
            + " are copies of us-east-1's; their availability is not real data",
        ]
        + [
            f"patch: {p['op']} {p['type']} {p['path']}: {p['reason']}"
            for p in patches["patches"]
        ],
        "isolated_region_copies": ISOLATED_COPIES,
        # Written by the Rust test `schema::tests::pattern_failures_are_pinned`
        # (UPDATE_SNAPSHOTS=1): the patterns Rust's `regex` cannot compile after the
        # ECMA-262 translation. Kept here across regenerations.
        "patterns_not_compiled": not_compiled,
    }
    provenance_path.write_text(dump(provenance), encoding="utf-8")
    print(f"wrote {len(files)} types, {len(patterns)} patterns into {out}")


if __name__ == "__main__":
    main()
