"""No string from a spec becomes code: a corpus of hostile specs is generated, imported and checked.

Each case puts one hostile string in one place a spec can hold text. The generated package is imported in a
fresh interpreter that then checks the value came through unchanged; a sentinel file that any executed payload
would create must never appear.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import run_cli

SENTINEL = "SENTINEL_PATH"
CODE = [
    '"""\nimport os; os.system("touch SENTINEL_PATH")\n"""',
    "'''\nimport os; os.system('touch SENTINEL_PATH')\n'''",
    "'); import os; os.system('touch SENTINEL_PATH'); ('",
    '"); __import__("os").system("touch SENTINEL_PATH"); ("',
    "\\\nimport os; os.system('touch SENTINEL_PATH')  # trailing backslash \\",
    "\r\n__import__('os').system('touch SENTINEL_PATH')\r\n",
    "{{ cycler.__init__.__globals__.os.system('touch SENTINEL_PATH') }}{% raw %}",
    '\x00\x07\x1b[31m control \x7f characters \u2028 \u2029 and a quote at the end "',
]
REGEXES = ['^"""$', "^'''\\\\$", "^\\'\\); import os$", "^(?:\\r\\n|#)$"]
NAMES = [
    "class",
    "from-field",
    "back\\slash",
    "with space",
    "naïve",
    "名前",
    "__init__",
    "model_config",
    "123",
    "'); x",
]
SCHEMA_NAMES = ["os.system", "import", "__init__", "None", "class", "1st", "x'); import os #", "def.print", "model"]


def _object(**extra: Any) -> dict[str, Any]:
    return {"type": "object", "properties": {"value": {"type": "string"}}, **extra}


def _spec(schemas: dict[str, Any], title: str = "Hostile") -> dict[str, Any]:
    return {
        "openapi": "3.0.1",
        "info": {"title": title, "version": "1"},
        "paths": {},
        "components": {"schemas": schemas},
    }


# (case id, spec, Python check run after import; `payload` and `p` (the package) are in scope)
CASES: list[tuple[str, dict[str, Any], str, Any]] = []
for i, text in enumerate(CODE):
    props = {"value": {"type": "string", "description": text, "default": text, "example": text, "title": text}}
    CASES.append(
        (
            f"property-text-{i}",
            _spec({"Thing": {"type": "object", "properties": props}}),
            "f = p.Thing.model_json_schema()['properties']['value']\n"
            "assert f['description'] == payload, f\nassert p.Thing().value == payload",
            text,
        )
    )
    CASES.append(
        (
            f"schema-description-{i}",
            _spec({"Thing": _object(description=text, title=text)}),
            "assert p.Thing.__doc__ is not None",
            text,
        )
    )
    CASES.append(
        (
            f"enum-value-{i}",
            _spec({"Choice": {"type": "string", "enum": [text, "plain"]}}),
            "assert [m.value for m in p.Choice] == [payload, 'plain']",
            text,
        )
    )
    CASES.append((f"info-title-{i}", _spec({"Thing": _object()}, title=text), "assert p.__doc__", text))
    validators = {"minProperties": {"docstring": text, "message": text}}
    CASES.append(
        (
            f"validator-text-{i}",
            _spec({"Thing": _object(minProperties=1, **{"x-python-validators": validators})}),
            "try:\n    p.Thing()\nexcept ValueError as e:\n    assert payload in str(e), str(e)\n"
            "else:\n    raise AssertionError('no error')",
            text,
        )
    )
for i, regex in enumerate(REGEXES):
    props = {"value": {"type": "string", "pattern": regex}}
    CASES.append(
        (
            f"pattern-{i}",
            _spec({"Thing": {"type": "object", "properties": props}}),
            "import re\nassert re.compile(payload)\n"
            "assert [m.pattern for m in p.Thing.model_fields['value'].metadata] == [payload]",
            regex,
        )
    )
for i, name in enumerate(NAMES):
    props = {name: {"type": "string"}, "other": {"type": "integer"}}
    CASES.append(
        (
            f"property-name-{i}",
            _spec({"Thing": {"type": "object", "properties": props}}),
            "import json\nwire = json.dumps({payload: 'v', 'other': 1})\n"
            "m = p.Thing.model_validate_json(wire)\n"
            "assert json.loads(m.model_dump_json(by_alias=True)) == {payload: 'v', 'other': 1}",
            name,
        )
    )
for i, name in enumerate(SCHEMA_NAMES):
    CASES.append(
        (
            f"schema-name-{i}",
            _spec({name: _object(), "Other": {"$ref": f"#/components/schemas/{name}"}}),
            "assert len(p.__all__) >= 1 and all(isinstance(getattr(p, n), type) for n in p.__all__)",
            name,
        )
    )


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 30


@pytest.mark.parametrize(("name", "spec", "check", "payload"), CASES, ids=[c[0] for c in CASES])
def test_hostile_spec_stays_inert(name: str, spec: dict[str, Any], check: str, payload: str, tmp_path: Path) -> None:
    sentinel = tmp_path / "pwned"
    text = json.dumps(spec).replace(SENTINEL, str(sentinel))
    payload = payload.replace(SENTINEL, str(sentinel))
    path = tmp_path / "spec.json"
    path.write_text(text, encoding="utf-8")
    assert yaml.safe_load(path.read_text(encoding="utf-8")) == json.loads(text)
    result = run_cli("generate", "--spec", path, "--no-overlay", "--out", tmp_path / "out", "--package", "hostile")
    assert result.status == 0, result.stderr
    program = f"import hostile as p\npayload = {payload!r}\n{check}\n"
    ran = subprocess.run(
        [sys.executable, "-c", program], cwd=tmp_path / "out", capture_output=True, text=True, check=False, timeout=120
    )
    assert ran.returncode == 0, ran.stderr
    assert not sentinel.exists(), "a payload from the spec was executed"
    lint = subprocess.run(
        [Path(sys.executable).parent / "ruff", "check", "--isolated", "--no-cache", "--select", "E9,F", "hostile"],
        cwd=tmp_path / "out",
        capture_output=True,
        text=True,
        check=False,
    )
    assert lint.returncode == 0, lint.stdout


def test_hostile_class_name_extension_is_refused(tmp_path: Path) -> None:
    spec = _spec({"Thing": _object(**{"x-python-class-name": "Thing(BaseModel): pass\nimport os\nclass X"})})
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(spec))
    result = run_cli("generate", "--spec", path, "--no-overlay", "--out", tmp_path / "out")
    assert result.status == 2 and "not a valid Python class name" in result.stderr
    assert result.stderr.count("\n") == 1
