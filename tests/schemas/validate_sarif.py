"""Validates the SARIF log on standard input against the vendored OASIS schema.

Exit 0 when valid; 1 with one line per violation otherwise; 2 when the validator
itself is missing (run .ci/run, which installs it).
"""

import json
import pathlib
import sys

try:
    import jsonschema
    import rfc3986_validator  # noqa: F401  (jsonschema checks `uri` formats with it)
except ImportError as missing:
    print(f"validate_sarif.py needs {missing.name}: .ci/run installs it", file=sys.stderr)
    sys.exit(2)

schema = json.loads((pathlib.Path(__file__).parent / "sarif-2.1.0.json").read_text("utf-8"))
log = json.load(sys.stdin)
validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())
errors = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
for error in errors:
    path = "/".join(str(p) for p in error.absolute_path)
    print(f"{path}: {error.message}")
sys.exit(1 if errors else 0)
