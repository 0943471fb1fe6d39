"""Bad input: exit status 2, one line `error: <file> at <place>: ...` on stderr, and the output folder untouched."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.manifest import CACHE_ENV
from tests.conftest import ROOT, run_cli, snapshot

SPEC = ROOT / "specs" / "workflows.yaml"
OVERLAY = ROOT / "specs" / "workflows.overlay.yaml"
MINIMAL = "openapi: 3.0.1\ninfo: {title: T, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n"

BILLION_LAUGHS = "openapi: 3.0.1\na: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(9)
)

BAD_SPECS = {
    "missing": (None, "no such file", None),
    "yaml_syntax": ("openapi: 3.0.1\ninfo: [unclosed\n", "invalid YAML", "line "),
    "not_mapping": ("- just\n- a list\n", "expected a mapping", None),
    "swagger": ("swagger: '2.0'\ninfo: {title: T, version: '1'}\npaths: {}\n", "Swagger 2.0", "/swagger"),
    "not_openapi": ("info: {title: T}\n", "not an OpenAPI 3.0/3.1 document", "/openapi"),
    "dangling_ref": (
        MINIMAL + "    A:\n      type: object\n      properties:\n        b: {$ref: '#/components/schemas/Missing'}\n",
        "points to nothing",
        "/components/schemas/A/properties/b/$ref",
    ),
    "billion_laughs": (BILLION_LAUGHS, "once aliases are expanded", None),
    "same_class_name": (
        MINIMAL
        + "    Job.State: {type: string, enum: [A], x-python-class-name: JobState}\n"
        + "    JobState: {type: string, enum: [B], x-python-class-name: JobState}\n",
        "both become class 'JobState'",
        "/components/schemas/JobState",
    ),
    "directory": ("<dir>", "is a directory", None),
    "deep_json": ('{"openapi": "3.0.1", "x": ' + "[" * 5000 + "]" * 5000 + "}", "nesting deeper than 200", None),
    "deep_json_in_limits": ('{"openapi": "3.0.1", "x": ' + "[" * 300 + "]" * 300 + "}", "nesting deeper", "/x/0/0"),
    "deep_yaml": ("openapi: 3.0.1\nx: " + "[" * 5000 + "]" * 5000 + "\n", "nesting deeper than 200", None),
    "lone_surrogate": ('{"openapi": "3.0.1", "x": ["ok", "\\ud800"]}', "lone surrogate", "/x/1"),
    "bad_json": ('{"openapi": "3.0.1",\n  oops}', "invalid JSON", "line 2"),
}


def _existing_output(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    result = run_cli("generate", "--out", out)
    assert result.status == 0, result.stderr
    return out


@pytest.mark.parametrize("name", sorted(BAD_SPECS))
def test_bad_spec_is_one_line_exit_2_and_output_untouched(name: str, tmp_path: Path) -> None:
    text, message, where = BAD_SPECS[name]
    spec = tmp_path / "spec.yaml"
    if text == "<dir>":
        spec.mkdir()
    elif text is not None:
        spec.write_text(text, encoding="utf-8")
    out = _existing_output(tmp_path)
    before = snapshot(out)
    result = run_cli("generate", "--spec", spec, "--no-overlay", "--out", out)
    assert result.status == 2
    assert result.stderr.startswith(f"error: {spec}")
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert message in result.stderr
    if where:
        assert f" at {where}" in result.stderr
    assert snapshot(out) == before


def test_billion_laughs_is_refused_quickly(tmp_path: Path) -> None:
    import time

    spec = tmp_path / "bomb.yaml"
    spec.write_text(BILLION_LAUGHS, encoding="utf-8")
    started = time.monotonic()
    result = run_cli("check", "--spec", spec, "--no-overlay", "--out", tmp_path)
    assert result.status == 2 and "aliases are expanded" in result.stderr
    assert time.monotonic() - started < 5


def _overlay(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "overlay.yaml"
    path.write_text(text, encoding="utf-8")
    return path


BAD_OVERLAYS = {
    "stale_target": (
        "overlay: 1.0.0\ninfo: {title: O, version: '1'}\nactions:\n"
        "  - target: $.components.schemas.Gone\n    description: Rename the gone schema.\n"
        "    update: {x-python-class-name: G}\n",
        "action 0 ('Rename the gone schema.') is stale",
        "/actions/0/target",
    ),
    "bad_jsonpath": (
        "overlay: 1.0.0\ninfo: {title: O, version: '1'}\nactions:\n  - target: $.a[\n    remove: true\n",
        "invalid JSONPath",
        "/actions/0/target",
    ),
    "not_overlay": ("openapi: 3.0.1\n", "not an Overlay 1.x document", "/overlay"),
    "bad_class_name": (
        "overlay: 1.0.0\ninfo: {title: O, version: '1'}\nactions:\n"
        "  - target: $.components.schemas.ErrorResponse\n    description: x\n"
        "    update: {x-python-class-name: 'os.system(1)'}\n",
        "not a valid Python class name",
        "/components/schemas/ErrorResponse",
    ),
}


@pytest.mark.parametrize("name", sorted(BAD_OVERLAYS))
def test_bad_overlay_is_one_line_exit_2_and_output_untouched(name: str, tmp_path: Path) -> None:
    text, message, where = BAD_OVERLAYS[name]
    overlay = _overlay(tmp_path, text)
    out = _existing_output(tmp_path)
    before = snapshot(out)
    result = run_cli("generate", "--overlay", overlay, "--out", out)
    assert result.status == 2, result.stderr
    assert result.stderr.startswith(f"error: {overlay}") and result.stderr.count("\n") == 1
    assert message in result.stderr and f" at {where}" in result.stderr
    assert snapshot(out) == before


def test_generation_failure_in_the_engine_leaves_output_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator import render

    out = _existing_output(tmp_path)
    before = snapshot(out)

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("engine exploded\nover two lines")

    monkeypatch.setattr(render, "generate", broken)
    # Nothing changed since the output was written: with this machine's record every module would be kept and
    # the engine not run at all; without it, the engine renders everything.
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "empty-cache"))
    result = run_cli("generate", "--out", out)
    assert result.status == 2
    assert (
        result.stderr == f"error: {OVERLAY.relative_to(ROOT)}: cannot generate models: engine exploded over two lines\n"
    )
    assert snapshot(out) == before


def test_write_failure_half_way_leaves_output_untouched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator import write

    out = _existing_output(tmp_path)
    before = snapshot(out)
    real_open = open
    calls = {"n": 0}

    def failing_open(path: object, *args: object, **kwargs: object) -> object:
        calls["n"] += 1
        if calls["n"] == 5:
            raise OSError(28, "No space left on device", str(path))
        return real_open(path, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(write, "open", failing_open, raising=False)
    result = run_cli("generate", "--out", out)
    assert result.status == 2 and result.stderr == f"error: {out}: cannot write: No space left on device\n"
    assert snapshot(out) == before
    hidden = {p.name for p in out.parent.iterdir() if p.name.startswith(".")}
    assert hidden <= {f".{out.name}.lock"}, "scratch folders were left behind"


def test_os_error_without_a_file_name_names_the_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An OSError that carries no file name (a failed write of an already open file) is reported against the tree
    being written, in one line, not against a made-up name."""
    from generator import pipeline

    def failing(*args: object, **kwargs: object) -> object:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(pipeline, "generate_files", failing)
    out = tmp_path / "out"
    result = run_cli("generate", "--out", out)
    assert result.status == 2 and result.stderr == f"error: {out}: Input/output error\n"


def test_every_command_has_help() -> None:
    for command in ("ingest", "generate", "check"):
        result = run_cli(command, "--help")
        assert result.status == 0 and f"usage: nexthink-codegen {command}" in result.stdout


# Malformed documents the pipeline used to walk into (tracebacks, KeyError) or report on two lines: each is one
# line naming the file and the JSON pointer, in `generate` and in `diff` alike, and refused before any stage runs.
_PATHS = "openapi: 3.0.1\ninfo: {title: T, version: '1'}\ncomponents: {schemas: {A: {type: string}}}\npaths:\n"
MALFORMED = {
    "info_not_mapping": ("openapi: 3.0.1\ninfo: 5\npaths: {}\n", "must be a mapping, found integer", "/info"),
    "properties_list": (
        MINIMAL + "    A: {type: object, properties: [1]}\n",
        "must be a mapping, found list",
        "/components/schemas/A/properties",
    ),
    "allof_int": (MINIMAL + "    A: {allOf: 5}\n", "must be a list, found integer", "/components/schemas/A/allOf"),
    "min_items_null_in_anyof": (
        MINIMAL + "    A: {anyOf: [{type: array, minItems: null}]}\n",
        "must be a non-negative integer, found null",
        "/components/schemas/A/anyOf/0/minItems",
    ),
    "max_length_text": (
        MINIMAL + "    A: {type: string, maxLength: 'abc'}\n",
        "must be a non-negative integer, found string",
        "/components/schemas/A/maxLength",
    ),
    "enum_int": (MINIMAL + "    A: {type: string, enum: 5}\n", "must be a list", "/components/schemas/A/enum"),
    "required_true": (
        MINIMAL + "    A: {type: object, properties: {b: {type: string, required: true}}}\n",
        "must be a list of property names",
        "/components/schemas/A/properties/b/required",
    ),
    "huge_int_yaml": (
        MINIMAL + "    A: {type: integer, maximum: " + "9" * 5001 + "}\n",
        "numbers are limited to 100 digits",
        "/components/schemas/A/maximum",
    ),
    "huge_int_json": (
        '{"openapi": "3.0.1", "paths": {}, "components": {"schemas": {"A": {"type": "integer", "default": '
        + "9" * 5001
        + "}}}}",
        "numbers are limited to 100 digits",
        "/components/schemas/A/default",
    ),
    "infinite_number": (
        MINIMAL + "    A: {type: number, maximum: .inf}\n",
        "no JSON value",
        "/components/schemas/A/maximum",
    ),
    "paths_list": (_PATHS + "  - /a\n", "must be a mapping, found list", "/paths"),
    "parameters_int": (_PATHS + "  /a: {get: {parameters: 5}}\n", "must be a list", "/paths/~1a/get/parameters"),
    "request_body_int": (_PATHS + "  /a: {post: {requestBody: 5}}\n", "found integer", "/paths/~1a/post/requestBody"),
    "media_type_list": (
        _PATHS + "  /a: {get: {responses: {200: {description: x, content: {application/json: []}}}}}\n",
        "found list",
        "/paths/~1a/get/responses/200/content/application~1json",
    ),
    "control_character": ("openapi: 3.0.1\ninfo: {title: 'a\x07b'}\n", "character U+0007 is not allowed", "line 2"),
    "complex_key": ("openapi: 3.0.1\nx: {? [a, b] : 1}\n", "a mapping key must be a plain value", "line 2"),
    "reserved_key": (
        MINIMAL + "    A: {type: string, x-codegen-pattern: X}\n",
        "keys starting with 'x-codegen-' are reserved",
        "/components/schemas/A/x-codegen-pattern",
    ),
    "unclosed_group": (
        MINIMAL + "    A: {type: string, pattern: '([a-z]'}\n",
        "invalid regex '([a-z]'",
        "/components/schemas/A/pattern",
    ),
    "reversed_range": (
        MINIMAL + "    A: {type: string, pattern: '[z-a]'}\n",
        "invalid regex '[z-a]'",
        "/components/schemas/A/pattern",
    ),
    "bad_pattern_property": (
        MINIMAL + "    A: {type: object, patternProperties: {'[z-a]': {type: string}}}\n",
        "invalid regex",
        "/components/schemas/A/patternProperties/[z-a]",
    ),
    "long_enum": (
        MINIMAL + "    A: {type: integer, enum: [" + ", ".join(map(str, range(10_001))) + "]}\n",
        "an enum is limited to 10000",
        "/components/schemas/A/enum",
    ),
}


def _valid_spec(tmp_path: Path) -> Path:
    path = tmp_path / "valid.yaml"
    path.write_text(MINIMAL + "    A: {type: string}\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_malformed_document_is_one_line_in_generate_and_diff(name: str, tmp_path: Path) -> None:
    text, message, where = MALFORMED[name]
    spec = tmp_path / ("spec.json" if text.startswith("{") else "spec.yaml")
    spec.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    runs = {
        "generate": run_cli("generate", "--spec", spec, "--no-overlay", "--out", out),
        "diff old": run_cli("diff", spec, _valid_spec(tmp_path)),
        "diff new": run_cli("diff", _valid_spec(tmp_path), spec),
    }
    for command, result in runs.items():
        assert result.status == 2, (command, result.stderr)
        assert result.stderr.startswith(f"error: {spec} at {where}: "), (command, result.stderr)
        assert result.stderr.count("\n") == 1 and message in result.stderr, (command, result.stderr)
    assert not out.exists()


def test_yaml_keys_keep_their_source_text(tmp_path: Path) -> None:
    """Unquoted `200:` (with a $ref under it), `404:`, `on:` and `~:` are the strings OpenAPI means."""
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        "openapi: 3.0.1\ninfo: {title: T, version: '1'}\n"
        "paths:\n  /a:\n    get:\n      responses:\n        200:\n          description: ok\n"
        "          content: {application/json: {schema: {$ref: '#/components/schemas/404'}}}\n"
        "components:\n  schemas:\n    404: {type: object, properties: {on: {type: string}}}\n"
        "    on: {type: string}\n    ~: {type: integer}\n",
        encoding="utf-8",
    )
    from generator.documents import read_document

    document = read_document(spec)
    assert list(document["components"]["schemas"]) == ["404", "on", "~"]
    assert "200" in document["paths"]["/a"]["get"]["responses"]
    result = run_cli("generate", "--spec", spec, "--no-overlay", "--out", tmp_path / "out", "--package", "keys")
    assert result.status == 0, result.stderr
    assert (tmp_path / "out" / "keys" / "model404.py").exists()
    assert run_cli("diff", spec, spec).status == 0


@pytest.mark.parametrize("kind", ["allof_chain", "enum"])
def test_engine_bombs_are_refused_quickly(kind: str, tmp_path: Path) -> None:
    """An allOf chain of 400 schemas took the engine 247 s, an enum of 1.9M integers over 120 s."""
    import json
    import time

    if kind == "allof_chain":
        schemas: dict[str, object] = {"S0": {"type": "object", "properties": {"p": {"type": "string"}}}}
        for i in range(1, 400):
            schemas[f"S{i}"] = {"allOf": [{"$ref": f"#/components/schemas/S{i - 1}"}, {"type": "object"}]}
        message = "allOf chain through more than 32 schemas"
    else:
        schemas = {"E": {"type": "integer", "enum": list(range(1_900_000))}}
        message = "an enum is limited to 10000"
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps({"openapi": "3.0.1", "paths": {}, "components": {"schemas": schemas}}))
    started = time.monotonic()
    result = run_cli("generate", "--spec", spec, "--no-overlay", "--out", tmp_path / "out")
    assert time.monotonic() - started < 10
    assert result.status == 2 and message in result.stderr and result.stderr.count("\n") == 1


LOOKAROUND = MINIMAL + "    A: {type: object, properties: {b: {type: string, pattern: '^(?=a)(a+)+$'}}}\n"


def test_backtracking_regex_warns_on_one_line_and_is_refused_when_strict(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(LOOKAROUND, encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("generate", "--spec", spec, "--no-overlay", "--out", out)
    assert result.status == 0
    assert result.stderr.startswith(f"warning: {spec} at /components/schemas/A/properties/b/pattern: ")
    assert result.stderr.count("\n") == 1 and "backtracking" in result.stderr
    for command in ("generate", "check"):
        strict = run_cli(command, "--spec", spec, "--no-overlay", "--out", out, "--strict-regex")
        assert strict.status == 2 and strict.stderr.count("\n") == 1, strict.stderr
        assert strict.stderr.startswith(f"error: {spec} at /components/schemas/A/properties/b/pattern: ")


def test_regex_the_rust_engine_refuses_and_the_engine_keeps_is_refused(tmp_path: Path) -> None:
    """Python compiles it, but the engine keeps pydantic's Rust engine for it: the package would fail at import."""
    spec = tmp_path / "spec.yaml"
    spec.write_text(MINIMAL + "    A: {type: string, pattern: '(a{1,1000}){1,1000}'}\n", encoding="utf-8")
    result = run_cli("generate", "--spec", spec, "--no-overlay", "--out", tmp_path / "out")
    assert result.status == 2 and "refused by pydantic's Rust engine" in result.stderr
    assert " at /components/schemas/A/pattern: " in result.stderr


def test_reserved_key_in_an_overlay_is_refused(tmp_path: Path) -> None:
    overlay = _overlay(
        tmp_path,
        "overlay: 1.0.0\ninfo: {title: O, version: '1'}\nactions:\n"
        "  - target: $.components.schemas.ErrorResponse\n    description: x\n"
        "    update: {x-codegen-validators: [{name: x}]}\n",
    )
    result = run_cli("generate", "--overlay", overlay, "--out", tmp_path / "out")
    assert result.status == 2 and result.stderr.count("\n") == 1
    assert f"error: {overlay} at /actions/0/update/x-codegen-validators: " in result.stderr


def test_overlay_that_breaks_the_structure_is_one_line_in_diff(tmp_path: Path) -> None:
    spec = _valid_spec(tmp_path)
    overlay = _overlay(
        tmp_path,
        "overlay: 1.0.0\ninfo: {title: O, version: '1'}\nactions:\n"
        "  - target: $.components.schemas.A\n    description: x\n    update: {properties: [1]}\n",
    )
    result = run_cli("diff", spec, spec, "--overlay", overlay)
    assert result.status == 2 and result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith(f"error: {spec} + {overlay} at /components/schemas/A/properties: ")


def test_components_of_the_wrong_type_with_an_external_ref_is_one_line(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text("openapi: 3.0.1\ncomponents: [1]\nx: {$ref: 'other.yaml#/A'}\n", encoding="utf-8")
    (tmp_path / "other.yaml").write_text("A: {type: string}\n", encoding="utf-8")
    result = run_cli("generate", "--spec", spec, "--no-overlay", "--out", tmp_path / "out")
    assert result.status == 2 and result.stderr == f"error: {spec} at /components: must be a mapping\n"


def test_input_limits_are_configurable_per_command(tmp_path: Path) -> None:
    """`--limit NAME=VALUE` raises or lowers a limit for one command; the next command has the defaults again."""
    from generator import documents

    spec = tmp_path / "spec.yaml"
    spec.write_text(
        "openapi: 3.0.1\ninfo: {title: T, version: '1'}\npaths: {}\n"
        "components:\n  schemas:\n    Color: {type: string, enum: [red, green, blue]}\n",
        encoding="utf-8",
    )
    default = documents.MAX_BYTES
    small = run_cli("generate", "--spec", spec, "--no-overlay", "--out", tmp_path / "a", "--limit", "bytes=50")
    assert small.status == 2 and small.stderr == f"error: {spec}: document larger than 50 bytes\n"
    enum = run_cli("generate", "--spec", spec, "--no-overlay", "--out", tmp_path / "b", "--limit", "enum-values=2")
    assert enum.status == 2 and "3 values; an enum is limited to 2" in enum.stderr
    assert documents.MAX_BYTES == default
    assert run_cli("generate", "--spec", spec, "--no-overlay", "--out", tmp_path / "c").status == 0
    assert run_cli("diff", spec, spec, "--limit", "bytes=50").status == 2
    unknown = run_cli("generate", "--spec", spec, "--limit", "colours=2")
    assert unknown.status == 2 and "NAME one of bytes, nodes" in unknown.stderr
