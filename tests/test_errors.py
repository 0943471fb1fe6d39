"""Bad input: exit status 2, one line `error: <file> at <place>: ...` on stderr, and the output folder untouched."""

from __future__ import annotations

from pathlib import Path

import pytest

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
    assert result.status == 2 and "No space left on device" in result.stderr
    assert snapshot(out) == before
    assert not any(p.name.startswith(".") for p in out.parent.iterdir()), "scratch folders were left behind"


def test_every_command_has_help() -> None:
    for command in ("ingest", "generate", "check"):
        result = run_cli(command, "--help")
        assert result.status == 0 and f"usage: nexthink-codegen {command}" in result.stdout
