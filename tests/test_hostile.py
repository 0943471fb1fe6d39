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
            # Descriptions are prose: trimmed of surrounding white space (a YAML block scalar's final newline).
            "f = p.Thing.model_json_schema()['properties']['value']\n"
            "assert f['description'] == payload.strip(), f\nassert p.Thing().value == payload",
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
    CASES.append(
        (
            f"json-values-{i}",
            _spec({"Choice": {"enum": [[text], {text: text}, text]}}),
            "assert p.Choice.model_json_schema()['enum'] == [[payload], {payload: payload}, payload]\n"
            "assert p.Choice.model_validate({payload: payload}).root == {payload: payload}",
            text,
        )
    )
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
for i, text in enumerate(CODE):
    CASES.append(
        (
            f"info-description-{i}",
            {**_spec({"Thing": _object()}), "info": {"title": "T", "version": "1", "description": text}},
            "assert p.__doc__.strip() == payload.strip(), repr(p.__doc__)",
            text,
        )
    )
    array = {"type": "array", "items": {"type": "string", "maxLength": 500}, "default": [text]}
    CASES.append(
        (
            f"array-default-{i}",
            _spec({"Thing": {"type": "object", "properties": {"value": array}}}),
            "assert p.Thing().value == [payload]",
            text,
        )
    )
for i, regex in enumerate(REGEXES):
    array = {"type": "array", "items": {"type": "string", "pattern": regex}}
    CASES.append(
        (
            f"item-pattern-{i}",
            _spec({"Thing": {"type": "object", "properties": {"value": array}}}),
            "import re\nassert re.compile(payload)\nassert p.Thing(value=[]).value == []",
            regex,
        )
    )
for i, name in enumerate(NAMES):
    # The names reach the model validator the `anyOf` of `required` alternatives becomes.
    props = {name: {"type": "string"}, "other": {"type": "integer"}}
    schema = {"type": "object", "properties": props, "anyOf": [{"required": [name]}, {"required": ["other"]}]}
    CASES.append(
        (
            f"validator-field-{i}",
            _spec({"Thing": schema}),
            "assert p.Thing.model_validate({payload: 'v'})\ntry:\n    p.Thing()\nexcept ValueError:\n    pass\n"
            "else:\n    raise AssertionError('no error')",
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


PAYLOAD = "__import__('os').system('touch SENTINEL_PATH') or 'x'"
BODY = "v(self):\n        __import__('os').system('touch SENTINEL_PATH')\n    def w"
# Every extension key a spec or overlay may try to use to reach the templates, each refused with its pointer.
REFUSED = {
    "x-codegen-pattern": ({"x-codegen-pattern": PAYLOAD}, "reserved"),
    "x-codegen-item-constraints": ({"x-codegen-item-constraints": {"x-codegen-pattern": PAYLOAD}}, "reserved"),
    "x-codegen-validators": (
        {"x-codegen-validators": [{"name": BODY, "mode": "min_properties", "count": PAYLOAD, "fields": []}]},
        "reserved",
    ),
    "x-codegen-enum": ({"x-codegen-enum": [PAYLOAD]}, "reserved"),
    "x-codegen-key-constraints": ({"x-codegen-key-constraints": {"pattern": PAYLOAD}}, "reserved"),
    "x-codegen-json-values": ({"x-codegen-json-values": [{"const": PAYLOAD}]}, "reserved"),
    "x-python-class-name": ({"x-python-class-name": "X(BaseModel): pass\nimport os\nclass Y"}, "class name"),
    "x-python-pattern-name": (
        {"properties": {"v": {"type": "string", "pattern": "^a$", "x-python-pattern-name": f"A = {PAYLOAD} #"}}},
        "UPPER_CASE identifier",
    ),
    "x-python-validators-body": (
        {"minProperties": 1, "x-python-validators": {"minProperties": {"name": BODY}}},
        "not a valid method name",
    ),
    "x-python-validators-dunder": (
        {"minProperties": 1, "x-python-validators": {"minProperties": {"name": "__init_subclass__"}}},
        "not a valid method name",
    ),
    "x-python-validators-clash": (
        {"minProperties": 1, "x-python-validators": {"minProperties": {"name": "model_validate"}}},
        "would replace pydantic's BaseModel.model_validate",
    ),
}


@pytest.mark.parametrize("key", sorted(REFUSED))
@pytest.mark.parametrize("where", ["spec", "overlay"])
def test_extension_keys_cannot_reach_code(key: str, where: str, tmp_path: Path) -> None:
    extra, message = REFUSED[key]
    sentinel = tmp_path / "pwned"
    extra = json.loads(json.dumps(extra).replace(SENTINEL, str(sentinel)))
    schema = _object()
    overlay_args: list[str | Path] = ["--no-overlay"]
    if where == "spec":
        schema["properties"].update(extra.pop("properties", {}))
        schema.update(extra)
    else:
        overlay = tmp_path / "overlay.json"
        action = {"target": "$.components.schemas.Thing", "description": "hostile", "update": extra}
        document = {"overlay": "1.0.0", "info": {"title": "O", "version": "1"}, "actions": [action]}
        overlay.write_text(json.dumps(document))
        overlay_args = ["--overlay", overlay]
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(_spec({"Thing": schema})))
    out = tmp_path / "out"
    result = run_cli("generate", "--spec", spec, *overlay_args, "--out", out, "--package", "hostile")
    assert result.status == 2 and result.stderr.count("\n") == 1, result.stderr
    assert message in result.stderr and " at /" in result.stderr
    assert not out.exists() and not sentinel.exists()


@pytest.mark.parametrize(
    "case",
    [
        "pattern",
        "item-pattern",
        "validator-count",
        "validator-name",
        "enum",
        "key-constraints",
        "json-values",
        "json-values-root",
        "json-values-shape",
    ],
)
def test_templates_write_no_code_from_their_inputs_even_past_normalise(case: str, tmp_path: Path) -> None:
    """The templates' own defence, with normalise's checks bypassed: hostile values under the internal keys
    become literals, or generation fails; never code."""
    from generator.errors import CodegenError
    from generator.normalise import Plan
    from generator.render import render_package

    sentinel = tmp_path / "pwned"
    payload = PAYLOAD.replace(SENTINEL, str(sentinel))
    validator = {"mode": "min_properties", "fields": ["value"], "docstring": "d", "message": "m", "count": payload}
    schemas: dict[str, Any] = {
        "pattern": {"Thing": _object(properties={"value": {"type": "string", "x-codegen-pattern": payload}})},
        "item-pattern": {
            "Thing": _object(
                properties={
                    "value": {
                        "type": "array",
                        "items": {"type": "string"},
                        "x-codegen-item-constraints": {"x-codegen-pattern": payload, "maxLength": payload},
                    }
                }
            )
        },
        "validator-count": {"Thing": _object(**{"x-codegen-validators": [{**validator, "name": "validate_x"}]})},
        "validator-name": {
            "Thing": _object(**{"x-codegen-validators": [{**validator, "name": BODY.replace(SENTINEL, str(sentinel))}]})
        },
        "enum": {"Choice": {"type": "string", "enum": ["a"], "x-codegen-enum": [payload]}},
        "key-constraints": {
            "Thing": _object(
                properties={
                    "value": {
                        "type": "object",
                        "additionalProperties": {"type": "string"},
                        "x-codegen-key-constraints": {"pattern": payload, "maxLength": payload},
                    }
                }
            )
        },
        "json-values": {
            "Thing": _object(
                properties={"value": {"x-codegen-json-values": [{"const": [payload]}, {"enum": [{payload: payload}]}]}}
            )
        },
        "json-values-root": {"Thing": {"x-codegen-json-values": [{"enum": payload}, {"const": {payload: [payload]}}]}},
        "json-values-shape": {"Thing": _object(properties={"value": {"x-codegen-json-values": payload}})},
    }
    engine_input = {"openapi": "3.0.1", "info": {"title": "T", "version": "0"}, "paths": {}, "components": {}}
    engine_input["components"] = {"schemas": schemas[case]}
    try:
        files = render_package(engine_input, Plan(title="T", description=None), "spec", "spec").files
    except CodegenError:
        return  # refused: nothing written
    package = tmp_path / "hostile"
    package.mkdir()
    for name, text in files.items():
        (package / name).write_text(text, encoding="utf-8")
    # Import, then build and validate every model, so that code in a validator body would run too.
    program = (
        "import hostile\nfor name in hostile.__all__:\n    try:\n        getattr(hostile, name)()\n"
        "    except Exception:\n        pass\n"
        "    try:\n        getattr(hostile, name).model_validate({'value': ['a']})\n"
        "    except Exception:\n        pass\n"
    )
    subprocess.run([sys.executable, "-c", program], cwd=tmp_path, capture_output=True, check=False, timeout=120)
    assert not sentinel.exists(), "a value under an internal key was executed"


def test_internal_keys_share_one_reserved_prefix() -> None:
    """The keys normalise writes and the engine passes on are exactly the ones every input is refused."""
    from generator import documents, normalise
    from generator.config import ENGINE_OPTIONS

    # Every key normalise writes for the templates (user-facing extensions like x-python-* and the engine's own
    # x-enum-field-as-literal are not internal: the input may hold them).
    internal = {
        value
        for name, value in vars(normalise).items()
        if name.endswith("_KEY") and isinstance(value, str) and value.startswith(normalise.RESERVED_PREFIX)
    }
    assert set(REFUSED) >= internal, "every internal key needs a refusal case in REFUSED"
    assert documents.RESERVED_PREFIX == normalise.RESERVED_PREFIX
    assert {"x-codegen-pattern", "x-codegen-validators", "x-codegen-key-constraints"} <= internal
    assert ENGINE_OPTIONS["field_extra_keys"] <= internal


AUDITED = {
    "unknown-call": "class Thing(BaseModel):\n    value: str = __import__('os').system('true')\n",
    "import": "import os\n\n\nclass Thing(BaseModel):\n    value: str\n",
    "foreign-module": "from os import system\n\n\nclass Thing(BaseModel):\n    value: str\n",
    "dunder": "class Thing(BaseModel):\n    value: str = ''.__class__.__name__\n",
    "statement": "class Thing(BaseModel):\n    value: str\n\n\nfor x in []:\n    pass\n",
    "expression": "class Thing(BaseModel):\n    value: str\n\n\nprint('x')\n",
}


@pytest.mark.parametrize("case", sorted(AUDITED))
def test_engine_output_is_audited_before_it_is_written(case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever the engine writes, code that is not the shape the templates write never reaches the disk."""
    from generator import render
    from generator.errors import CodegenError
    from generator.normalise import Plan

    header = "from __future__ import annotations\n\nfrom pydantic import BaseModel\n\n\n"
    monkeypatch.setattr(render, "_run_engine", lambda *args: {"thing": header + AUDITED[case]})
    engine_input = {"components": {"schemas": {"Thing": {"type": "object"}}}}
    with pytest.raises(CodegenError, match="refusing to write it"):
        render.render_package(engine_input, Plan(title="T", description=None), "spec", "spec")
    monkeypatch.setattr(render, "_run_engine", lambda *args: {"thing": header + AUDITED["import"].split("\n", 3)[3]})
    assert "thing.py" in render.render_package(engine_input, Plan(title="T", description=None), "spec", "spec").files


# Keywords only datamodel-code-generator reads, each with a value it would otherwise write as code (an import, a
# type expression, a base class) or that would retype the field; `where` is a schema position the walk must reach.
ENGINE_ONLY = {
    "customTypePath": {"type": "string", "customTypePath": "os.system"},
    "customBasePath": {"type": "object", "customBasePath": "collections.UserDict"},
    "x-python-type": {"type": "string", "x-python-type": "dict[str, int]"},
    "x-python-import": {"type": "string", "x-python-import": {"module": "os", "name": "system"}},
    "x-is-base-class": {"type": "object", "x-is-base-class": True},
    "x-is-classvar": {"type": "integer", "x-is-classvar": True},
    "x-propertyNames": {"type": "string", "x-propertyNames": {"pattern": "^a'), Any]\nimport os\n#"}},
}


@pytest.mark.parametrize("key", sorted(ENGINE_ONLY))
@pytest.mark.parametrize("place", ["property", "array-items", "operation"])
def test_engine_only_keywords_are_dropped_with_a_warning(key: str, place: str, tmp_path: Path) -> None:
    """What the engine would write from these keys never reaches the package: the field is typed as if the key
    were absent, nothing new is imported, and one warning names the key and where it was."""
    value = ENGINE_ONLY[key]
    plain = {k: v for k, v in value.items() if k != key}
    documents = {}
    for label, schema in (("with", value), ("without", plain)):
        field = {"type": "array", "items": schema} if place == "array-items" else schema
        thing = {"type": "object", "properties": {"value": field}}
        spec = _spec({} if place == "operation" else {"Thing": thing})
        if place == "operation":
            media = {"application/json": {"schema": thing}}
            spec["paths"] = {"/things": {"get": {"operationId": "getThing", "responses": {"200": {"content": media}}}}}
        path = tmp_path / f"{label}.json"
        path.write_text(json.dumps(spec))
        out = tmp_path / label
        result = run_cli("generate", "--spec", path, "--no-overlay", "--out", out, "--package", "pkg")
        assert result.status == 0, result.stderr
        documents[label] = (snapshot_code(out / "pkg"), result.stderr)
    assert documents["with"][0] == documents["without"][0]
    warning = documents["with"][1]
    assert warning.count("\n") == 1 and warning.startswith("warning: ") and f"{key} ignored" in warning
    assert " at /" in warning and documents["without"][1] == ""


def snapshot_code(package: Path) -> dict[str, str]:
    """The package's modules without their header line (which names the spec file)."""
    return {p.name: p.read_text().split("\n", 1)[1] for p in sorted(package.glob("*.py"))}
