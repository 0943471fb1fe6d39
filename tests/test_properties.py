"""Property-based tests: random valid component schemas generate importable, lint-clean models that accept and
round-trip every payload valid against the schema; random invalid documents get exit 2 and one line, never a
traceback. `make test` runs a bounded number of examples; `make fuzz` (HYPOTHESIS_PROFILE=fuzz) runs many more.
"""

from __future__ import annotations

import importlib
import itertools
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import run_cli

settings.register_profile(
    "default",
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.register_profile(
    "fuzz",
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

PATTERNS = ["^[a-z]+$", "^[0-9]{2,4}$", "^[A-F0-9]{4}-[A-F0-9]{4}$"]
ODD_NAMES = ["class", "from-field", "with space", "naïve", "model_config", "123", "self", "None", "_hidden"]
_counter = itertools.count()

names = st.one_of(st.sampled_from(ODD_NAMES), st.from_regex(r"[a-z][a-zA-Z0-9]{0,8}", fullmatch=True))
# Values of an `enum` that no `Literal` holds: JSON scalars, arrays and objects, at least one array or object.
_scalars = st.none() | st.booleans() | st.integers(-3, 3) | st.text(max_size=4)
_containers = st.recursive(
    st.lists(_scalars, max_size=3) | st.dictionaries(st.text(max_size=4), _scalars, max_size=3),
    lambda inner: st.lists(inner | _scalars, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
    max_leaves=8,
)


@st.composite
def property_schema(draw: st.DrawFn, earlier: list[str]) -> dict[str, Any]:
    kinds = ["string", "integer", "boolean", "array", "enum", "json_enum", "pattern", "nullable"]
    kinds += ["ref"] if earlier else []
    kind = draw(st.sampled_from(kinds))
    if kind == "string":
        low = draw(st.integers(0, 3))
        return {"type": "string", "minLength": low, "maxLength": draw(st.integers(low, 12))}
    if kind == "integer":
        low = draw(st.integers(-100, 100))
        return {"type": "integer", "minimum": low, "maximum": draw(st.integers(low, low + 1000))}
    if kind == "boolean":
        return {"type": "boolean"}
    if kind == "array":
        return {"type": "array", "maxItems": draw(st.integers(0, 5)), "items": {"type": "string", "maxLength": 5}}
    if kind == "enum":
        return {
            "type": "string",
            "enum": draw(st.lists(st.text(min_size=1, max_size=6), min_size=1, max_size=4, unique=True)),
        }
    if kind == "json_enum":
        first = draw(_containers)
        others = draw(st.lists(_containers | _scalars, max_size=3))
        unique = {json.dumps(v, sort_keys=True): v for v in [first, *others]}
        return {"enum": list(unique.values())}
    if kind == "pattern":
        return {"type": "string", "pattern": draw(st.sampled_from(PATTERNS))}
    if kind == "nullable":
        return {"type": "string", "nullable": True, "description": draw(st.text(max_size=20))}
    return {"$ref": f"#/components/schemas/{draw(st.sampled_from(earlier))}"}


@st.composite
def components(draw: st.DrawFn) -> dict[str, Any]:
    schemas: dict[str, Any] = {}
    for index in range(draw(st.integers(1, 3))):
        props = {}
        for name in draw(st.lists(names, min_size=1, max_size=5, unique=True)):
            props[name] = draw(property_schema(list(schemas)))
        required = draw(st.lists(st.sampled_from(sorted(props)), unique=True))
        schemas[f"Model{index}"] = {
            "type": "object",
            "properties": props,
            **({"required": required} if required else {}),
        }
    return schemas


def payload_for(schema: dict[str, Any], schemas: dict[str, Any]) -> st.SearchStrategy[Any]:
    if "$ref" in schema:
        return payload_for(schemas[schema["$ref"].rsplit("/", 1)[-1]], schemas)
    if schema.get("type") == "object":
        props, required = schema["properties"], set(schema.get("required", []))
        return st.fixed_dictionaries(
            {k: payload_for(v, schemas) for k, v in props.items() if k in required},
            optional={k: payload_for(v, schemas) for k, v in props.items() if k not in required},
        )
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    kind = schema["type"]
    if kind == "integer":
        return st.integers(schema["minimum"], schema["maximum"])
    if kind == "boolean":
        return st.booleans()
    if kind == "array":
        return st.lists(st.text(max_size=5), max_size=schema["maxItems"])
    if "pattern" in schema:
        return st.from_regex(schema["pattern"].replace("$", r"\Z"), fullmatch=True)
    text = st.text(min_size=schema.get("minLength", 0), max_size=schema.get("maxLength", 12))
    return st.one_of(st.none(), text) if schema.get("nullable") else text


@given(schemas=components(), data=st.data())
def test_random_valid_schemas_generate_working_models(
    schemas: dict[str, Any], data: st.DataObject, tmp_path: Path
) -> None:
    package = f"fuzzed_{next(_counter)}"
    spec = tmp_path / f"{package}.json"
    spec.write_text(
        json.dumps(
            {
                "openapi": "3.0.1",
                "info": {"title": "Fuzz", "version": "1"},
                "paths": {},
                "components": {"schemas": schemas},
            }
        )
    )
    out = tmp_path / f"{package}_dist"
    result = run_cli("generate", "--spec", spec, "--no-overlay", "--out", out, "--package", package)
    assert result.status == 0, result.stderr
    lint = subprocess.run(
        [Path(sys.executable).parent / "ruff", "check", "--isolated", "--no-cache", "--select", "E9,F", package],
        cwd=out,
        capture_output=True,
        text=True,
        check=False,
    )
    assert lint.returncode == 0, lint.stdout
    sys.path.insert(0, str(out))
    try:
        module = importlib.import_module(package)
        for name, schema in schemas.items():
            model = getattr(module, name)
            payload = data.draw(payload_for(schema, schemas), label=name)
            instance = model.model_validate_json(json.dumps(payload))
            assert json.loads(instance.model_dump_json(by_alias=True, exclude_unset=True)) == payload
    finally:
        sys.path.remove(str(out))
        for loaded in [m for m in sys.modules if m == package or m.startswith(f"{package}.")]:
            del sys.modules[loaded]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)
broken_specs = st.one_of(
    json_values,
    st.fixed_dictionaries({"openapi": st.sampled_from(["3.0.1", "3.1.0", "2.0", 3]), "components": json_values}),
    st.fixed_dictionaries(
        {
            "openapi": st.just("3.0.1"),
            "components": st.fixed_dictionaries(
                {"schemas": st.dictionaries(st.text(max_size=8), json_values, max_size=3)}
            ),
        }
    ),
)


@given(document=broken_specs)
def test_random_invalid_documents_fail_with_one_line(document: Any, tmp_path: Path) -> None:
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(document))
    result = run_cli("generate", "--spec", spec, "--no-overlay", "--out", tmp_path / "out")
    assert result.status in (0, 2)
    if result.status == 2:
        assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
        assert "Traceback" not in result.stderr


# Structure mutations of a valid spec: any node replaced by a value of the wrong type, any key made a non-string
# YAML scalar (`200:`, `true:`, `null:`), huge or infinite numbers, reserved keys. Whatever the mutation, every
# command answers exit 0, or exit 2 with exactly one line on stderr; never a traceback.
VALID_SPEC: dict[str, Any] = {
    "openapi": "3.0.1",
    "info": {"title": "Fuzz", "version": "1", "description": "Mutated."},
    "paths": {
        "/things/{id}": {
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
            "get": {
                "operationId": "getThing",
                "parameters": [{"name": "q", "in": "query", "schema": {"type": "integer", "minimum": 0}}],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}},
                    }
                },
            },
            "post": {
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}},
                },
                "responses": {"204": {"description": "done"}},
            },
        }
    },
    "components": {
        "schemas": {
            "Base": {"type": "object", "properties": {"id": {"type": "string", "pattern": "^[a-z]+$"}}},
            "Thing": {
                "allOf": [
                    {"$ref": "#/components/schemas/Base"},
                    {
                        "type": "object",
                        "required": ["name"],
                        "minProperties": 1,
                        "properties": {
                            "name": {"type": "string", "minLength": 1, "maxLength": 20},
                            "tags": {"type": "array", "items": {"type": "string", "maxLength": 5}, "maxItems": 3},
                            "kind": {"type": "string", "enum": ["a", "b"]},
                            "size": {"type": "number", "maximum": 10.5, "nullable": True},
                        },
                        "anyOf": [{"required": ["name"]}, {"required": ["tags"]}],
                    },
                ]
            },
        }
    },
}
HUGE = "HUGE_INTEGER_PLACEHOLDER"
wrong_values = st.one_of(
    st.sampled_from([None, True, False, 0, -1, 5, 1.5, float("inf"), "", "text", "([a-z]", [], [1], {}, {"a": 1}]),
    st.just(HUGE),
    st.just({"x-codegen-pattern": "X"}),
    json_values,
)
odd_keys = st.sampled_from([200, 404, True, False, None, 1.5, "x-codegen-enum", "", "~", "a/b"])


def _nodes(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(node, dict):
        for key, value in node.items():
            found.extend(_nodes(value, (*path, key)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found.extend(_nodes(value, (*path, index)))
    return found


@st.composite
def mutated_specs(draw: st.DrawFn) -> str:
    import copy

    import yaml

    spec = copy.deepcopy(VALID_SPEC)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(_nodes(spec)[1:]))
        parent = spec
        for step in path[:-1]:
            parent = parent[step]
        if isinstance(parent, dict) and draw(st.booleans()):
            parent[draw(odd_keys)] = parent.pop(path[-1])  # the same value under a non-string or odd key
        else:
            parent[path[-1]] = copy.deepcopy(draw(wrong_values))
        if not isinstance(spec, dict) or "openapi" not in spec:
            break
    return yaml.safe_dump(spec, sort_keys=False).replace(HUGE, "9" * 5001)


@given(text=mutated_specs())
def test_structure_mutations_exit_0_or_one_line_exit_2(text: str, tmp_path: Path) -> None:
    spec = tmp_path / "mutated.yaml"
    spec.write_text(text, encoding="utf-8")
    valid = tmp_path / "valid.json"
    valid.write_text(json.dumps(VALID_SPEC))
    runs = [
        run_cli("generate", "--spec", spec, "--no-overlay", "--out", tmp_path / "out", "--package", "mutated"),
        run_cli("diff", valid, spec),
    ]
    for result in runs:
        assert result.status in (0, 1, 2), result
        if result.status == 2:
            assert result.stderr.startswith(f"error: {spec}") and result.stderr.count("\n") == 1, result.stderr
        assert "Traceback" not in result.stderr
