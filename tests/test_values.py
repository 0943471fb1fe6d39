"""Values and types: what a spec says reaches the models exactly, or generation stops naming the place.

The construct fixtures (`tests/fixtures/construct_*`) are generated and their models exercised in a fresh
interpreter; values Python cannot hold faithfully are refused with exit status 2 and one line naming the pointer.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

import pytest

from generator.errors import CodegenError
from generator.release import runtime_requirements
from tests.conftest import ROOT, run_cli

FIXTURES = ROOT / "tests" / "fixtures"
HEAD = "openapi: {version}\ninfo: {{title: T, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n"


def _generate(spec: Path, out: Path) -> None:
    result = run_cli("generate", "--spec", spec, "--no-overlay", "--out", out, "--package", "models")
    assert result.status == 0, result.stderr


def _run(out: Path, code: str) -> object:
    """Run ``code`` in a fresh interpreter beside the generated package; return what it prints as JSON."""
    done = subprocess.run(
        [sys.executable, "-W", "error", "-c", textwrap.dedent(code)],
        cwd=out,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _fixture(name: str, tmp_path: Path) -> Path:
    out = tmp_path / name
    _generate(FIXTURES / name / "spec.yaml", out)
    return out


def test_type_arrays_with_constrained_items_generate(tmp_path: Path) -> None:
    # OpenAPI 3.1 `type: [string]` on array items crashed normalise (unhashable list).
    out = _fixture("construct_type_arrays_31", tmp_path)
    result = _run(
        out,
        """
        import json
        from pydantic import ValidationError
        from models import Record
        ok = Record.model_validate({"name": "n", "note": None, "labels": ["ab"], "maybe_labels": None})
        try:
            Record.model_validate({"name": "n", "note": None, "labels": ["AB"]})
            bad = "accepted"
        except ValidationError as exc:
            bad = exc.errors()[0]["type"]
        print(json.dumps([ok.model_dump(mode="json", exclude_none=True), bad]))
        """,
    )
    assert result == [{"name": "n", "labels": ["ab"]}, "string_pattern_mismatch"]


def test_email_format_declares_the_email_extra(tmp_path: Path) -> None:
    out = _fixture("construct_email_30", tmp_path)
    project = tomllib.loads((out / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["dependencies"] == ["pydantic[email]>=2"]
    workflows = tomllib.loads((ROOT / "generated" / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert workflows["dependencies"] == ["pydantic>=2"]


def test_requirements_come_from_the_imports() -> None:
    assert runtime_requirements({"m.py": "from enum import Enum\n"}) == []
    assert runtime_requirements({"m.py": "from pydantic import NameEmail\nimport annotated_types\n"}) == [
        "annotated-types",
        "pydantic[email]>=2",
    ]
    with pytest.raises(CodegenError, match="'requests'"):
        runtime_requirements({"m.py": "import requests\n"})


def test_inline_discriminator_gives_one_error_for_a_bad_tag(tmp_path: Path) -> None:
    out = _fixture("construct_discriminator_30", tmp_path)
    result = _run(
        out,
        """
        import json
        from pydantic import ValidationError
        import models
        from models import Message, Owner
        errors = []
        for model, payload in ((Owner, {"pet": {"petType": "cow"}}), (Message, {"parts": [{"type": "BAD"}]})):
            try:
                model.model_validate(payload)
            except ValidationError as exc:
                errors.append([e["type"] for e in exc.errors()])
        dog = Owner.model_validate({"pet": {"petType": "dog", "barks": True}}).pet
        print(json.dumps([errors, type(dog).__name__, "PartType" in models.__all__]))
        """,
    )
    assert result == [[["union_tag_invalid"], ["union_tag_invalid"]], "Dog", False]


def test_title_examples_and_deprecated_are_kept(tmp_path: Path) -> None:
    out = _fixture("construct_annotations_31", tmp_path)
    result = _run(
        out,
        """
        import json
        from models import Pet
        properties = Pet.model_json_schema()["properties"]
        print(json.dumps({k: properties[k] for k in ("name", "nickname", "born")}))
        """,
    )
    assert result["name"]["title"] == "Name" and result["name"]["examples"] == ["Rex", "Fido"]
    assert result["nickname"]["deprecated"] is True
    assert result["born"]["examples"] == ["2024-01-01"]


def test_defaults_are_typed_values(tmp_path: Path) -> None:
    # An enum default is the member, an unquoted YAML date is the string written; mypy --strict (the construct
    # bar) checks that each default has its field's type.
    out = _fixture("construct_annotations_31", tmp_path)
    result = _run(
        out,
        """
        import json
        from models import Pet, Species
        pet = Pet(name="Rex")
        dumped = pet.model_dump(mode="json")
        print(json.dumps([pet.species is Species.dog, pet.when, dumped["kind"], dumped["since"], dumped["homepage"]]))
        """,
    )
    # A formatted string's default is the string the spec wrote (the field is `str`), not a `date` annotation
    # holding a str that pydantic never converts (and `format: uri, default: ''` has no URL value at all).
    assert result == [True, "2024-01-01", "small", "2024-01-01", ""]


def test_booleans_and_numbers_stay_distinct_enum_values(tmp_path: Path) -> None:
    out = _fixture("construct_enum_values_31", tmp_path)
    result = _run(
        out,
        """
        import json
        from models import Day, Flag, Settings
        flags = [Flag.model_validate_json(v).model_dump_json() for v in ("0", "1", "false", "true")]
        dumped = [Settings.model_validate({"switch": v}).model_dump(mode="json") for v in (0, 1, False, True)]
        switches = [d["switch"] for d in dumped]
        print(json.dumps([flags, switches, Settings().model_dump(mode="json")["switch"], [d.value for d in Day]]))
        """,
    )
    flags, switches, default, days = result
    assert flags == ["0", "1", "false", "true"]
    assert switches == [0, 1, False, True] and [type(s) for s in switches] == [int, int, bool, bool]
    assert default is True
    assert days == ["2024-01-01", "2024-12-31"]


def test_const_is_rendered_and_enforced(tmp_path: Path) -> None:
    out = _fixture("construct_const_31", tmp_path)
    result = _run(
        out,
        """
        import json
        from pydantic import ValidationError
        from models import Envelope, Version
        ok = Envelope.model_validate({"kind": "envelope", "version": "v2", "level": 3, "flag": True})
        rejected = []
        for payload in ({"kind": "other", "version": "v2"}, {"kind": "envelope", "version": "v1"}):
            try:
                Envelope.model_validate(payload)
            except ValidationError:
                rejected.append(True)
        print(json.dumps([ok.model_dump(mode="json"), rejected, Version.model_validate("v2").root]))
        """,
    )
    assert result == [{"kind": "envelope", "version": "v2", "level": 3, "flag": True}, [True, True], "v2"]


def test_map_key_constraints_are_types_that_validate(tmp_path: Path) -> None:
    # `propertyNames` became `dict[constr(...), str]`: a call in a type, which mypy --strict rejects.
    out = _fixture("construct_additional_properties_31", tmp_path)
    result = _run(
        out,
        """
        import json
        from pydantic import ValidationError
        from models import Maps
        try:
            Maps.model_validate({"keyed": {"AB": "x"}})
            bad = "accepted"
        except ValidationError as exc:
            bad = exc.errors()[0]["type"]
        print(json.dumps([Maps.model_validate({"keyed": {"ab": "x"}}).model_dump(exclude_none=True), bad]))
        """,
    )
    assert result == [{"keyed": {"ab": "x"}}, "string_pattern_mismatch"]
    assert "constr(" not in (out / "models" / "maps.py").read_text(encoding="utf-8")


REFUSED = {
    "infinite_maximum": ("3.0.3", "    A: {type: number, maximum: .inf}\n", "/components/schemas/A/maximum"),
    "json_overflow": ("3.0.3", '    A: {"type": "number", "minimum": -1e999}\n', "/components/schemas/A/minimum"),
    "nan_in_enum": ("3.1.0", "    A: {type: number, enum: [1.5, .nan]}\n", "/components/schemas/A/enum/1"),
    "inf_default": ("3.1.0", "    A: {type: number, default: -.inf}\n", "/components/schemas/A/default"),
    "negative_min_length": ("3.0.3", "    A: {type: string, minLength: -1}\n", "/components/schemas/A/minLength"),
    "negative_max_items": (
        "3.1.0",
        "    A:\n      type: object\n      properties:\n"
        "        b: {type: array, items: {type: string}, maxItems: -2}\n",
        "/components/schemas/A/properties/b/maxItems",
    ),
    "binary_value": ("3.0.3", "    A: {type: string, default: !!binary aGk=}\n", "/components/schemas/A/default"),
    "default_wrong_type": (
        "3.0.3",
        "    A:\n      type: object\n      properties:\n        n: {type: integer, default: 'ten'}\n",
        "/components/schemas/A/properties/n/default",
    ),
    "default_bool_for_integer": ("3.1.0", "    A: {type: integer, default: true}\n", "/components/schemas/A/default"),
    "default_outside_enum": (
        "3.0.3",
        "    S: {type: string, enum: [dog, cat]}\n    A:\n      type: object\n      properties:\n"
        "        s: {allOf: [{$ref: '#/components/schemas/S'}], default: cow}\n",
        "/components/schemas/A/properties/s/default",
    ),
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_values_python_cannot_hold_are_refused(name: str, tmp_path: Path) -> None:
    version, schemas, pointer = REFUSED[name]
    spec = tmp_path / "spec.yaml"
    spec.write_text(HEAD.format(version=version) + schemas, encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("generate", "--spec", spec, "--no-overlay", "--out", out, "--package", "models")
    assert result.status == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {spec} at {pointer}: "), result.stderr
    assert not out.exists()


# Valid OpenAPI that was refused with "no Python Literal form": it renders, and the model holds exactly the values.
FORMERLY_REFUSED = {
    "const_array": ("3.1.0", "    A: {type: array, const: [1, 2]}\n", [1, 2], [[1.0, 2], [1, 2]], [[2, 1], [True, 2]]),
    "enum_of_objects": ("3.1.0", "    A: {type: object, enum: [{a: 1}]}\n", {"a": 1}, [{"a": 1.0}], [{"a": True}]),
    "enum_of_objects_30": ("3.0.3", "    A: {type: object, enum: [{a: 1}]}\n", {"a": 1}, [{"a": 1}], [{"a": 2}]),
}


@pytest.mark.parametrize("name", sorted(FORMERLY_REFUSED))
def test_const_and_enum_of_json_values_render(name: str, tmp_path: Path) -> None:
    version, schemas, value, accepted, rejected = FORMERLY_REFUSED[name]
    spec = tmp_path / "spec.yaml"
    spec.write_text(HEAD.format(version=version) + schemas, encoding="utf-8")
    out = tmp_path / "out"
    _generate(spec, out)
    result = _run(
        out,
        f"""
        import json
        from pydantic import ValidationError
        from models import A
        kept, refused = [], []
        for payload in {accepted!r}:
            kept.append(json.loads(A.model_validate_json(json.dumps(payload)).model_dump_json()))
        for payload in {rejected!r}:
            try:
                A.model_validate_json(json.dumps(payload))
            except ValidationError:
                refused.append(payload)
        print(json.dumps([kept, refused, A.model_json_schema()]))
        """,
    )
    kept, refused, schema = result
    assert kept == accepted and refused == rejected
    assert schema.get("const", schema.get("enum", [None])[0]) == value


def test_json_values_are_held_with_json_equality(tmp_path: Path) -> None:
    # A const or enum of arrays and objects: `1` equals `1.0`, `true` is not `1`, `[1]` is not `[true]`, key order
    # is irrelevant; what is accepted dumps back as it was read.
    out = _fixture("construct_json_values_31", tmp_path)
    result = _run(
        out,
        """
        import json
        from pydantic import ValidationError
        from models import Mixed, Origin, Pair, Point, Settings, Shape

        def outcome(model, text):
            try:
                return json.loads(model.model_validate_json(text).model_dump_json(by_alias=True, exclude_unset=True))
            except ValidationError as exc:
                return "rejected: " + exc.errors()[0]["msg"]

        cases = [
            (Origin, '{"y": 0, "x": 0}'), (Origin, '{"x": 0.0, "y": 0}'), (Origin, '{"x": false, "y": 0}'),
            (Origin, '{"x": 0}'), (Pair, '[1, 2]'), (Pair, '[true, 2]'), (Pair, '[2, 1]'),
            (Shape, '[1, true]'), (Shape, '[true, true]'), (Shape, '[1, 1]'), (Shape, '{"sides": 4, "kind": "square"}'),
            (Shape, '{"kind": "square"}'), (Mixed, '1.0'), (Mixed, 'true'), (Mixed, 'null'), (Mixed, '{"a": true}'),
            (Mixed, '"text"'), (Point, '{"y": 2, "x": 1}'), (Point, '{"x": 1}'),
        ]
        settings = {
            "version": [2, 0], "mode": {"safe": "yes"}, "flags": [[True], [1.0], {"enabled": True}],
            "limits": {"a": [0, 10]}, "choice": {"any": "thing"}, "both": [True, False], "shape": {"kind": "circle"},
        }
        wrong = [
            {"version": [2, False], "mode": {"safe": "yes"}}, {"version": [2, 0], "mode": {"safe": "no"}},
            {"version": [2, 0], "mode": {"safe": "yes"}, "flags": [[0]]},
            {"version": [2, 0], "mode": {"safe": "yes"}, "limits": {"a": [0, 11]}},
            {"version": [2, 0], "mode": {"safe": "yes"}, "choice": {"any": "other"}},
            {"version": [2, 0], "mode": {"safe": "yes"}, "both": [1, 0]},
        ]
        refused = 0
        for payload in wrong:
            try:
                Settings.model_validate_json(json.dumps(payload))
            except ValidationError:
                refused += 1
        print(json.dumps([
            [outcome(model, text) for model, text in cases],
            outcome(Settings, json.dumps(settings)),
            refused,
            Settings(version=[2, 0], mode={"fast": "yes"}).model_dump(mode="json")["origin"],
        ]))
        """,
    )
    outcomes, settings, refused, default = result
    origin = 'rejected: Value error, value must be equal to {"x": 0, "y": 0}'
    pair = "rejected: Value error, value must be equal to [1, 2]"
    shape = "rejected: Value error, value must be one of " + json.dumps(
        [{"kind": "circle"}, {"kind": "square", "sides": 4}, [1, True]]
    )
    mixed = 'rejected: Value error, value must be one of [{"a": 1}, 1, "text", null]'
    point = 'rejected: Value error, value must be equal to {"x": 1, "y": 2}'
    assert outcomes == [
        {"y": 0, "x": 0}, {"x": 0.0, "y": 0}, origin, origin, [1, 2], pair, pair,
        [1, True], shape, shape, {"sides": 4, "kind": "square"}, shape, 1.0, mixed, None, mixed,
        "text", {"y": 2, "x": 1}, point,
    ]  # fmt: skip
    assert settings == {
        "version": [2, 0], "mode": {"safe": "yes"}, "flags": [[True], [1.0], {"enabled": True}],
        "limits": {"a": [0, 10]}, "choice": {"any": "thing"}, "both": [True, False], "shape": {"kind": "circle"},
    }  # fmt: skip
    assert refused == 6
    assert default == {"x": 0, "y": 0}


def test_json_values_are_documented_in_the_json_schema(tmp_path: Path) -> None:
    out = _fixture("construct_json_values_31", tmp_path)
    result = _run(
        out,
        """
        import json
        from models import Origin, Point, Settings, Shape
        print(json.dumps([m.model_json_schema() for m in (Origin, Point, Settings, Shape)]))
        """,
    )
    origin, point, settings, shape = result
    assert origin["const"] == {"x": 0, "y": 0} and "A const object" in origin["description"]
    assert point["const"] == {"x": 1, "y": 2} and point["$defs"]["PointValue"]["properties"].keys() == {"x", "y"}
    properties = settings["properties"]
    assert properties["version"]["const"] == [2, 0]
    assert properties["mode"]["enum"] == [{"fast": "yes"}, {"safe": "yes"}]
    assert properties["origin"]["const"] == properties["origin"]["default"] == {"x": 0, "y": 0}
    assert settings["$defs"]["SettingsFlagsItem"]["enum"] == [[True], [1], {"enabled": True}]
    assert settings["$defs"]["SettingsBoth"]["const"] == [True, False]
    assert shape["enum"] == [{"kind": "circle"}, {"kind": "square", "sides": 4}, [1, True]]


def test_json_values_in_openapi_30(tmp_path: Path) -> None:
    out = _fixture("construct_json_values_30", tmp_path)
    result = _run(
        out,
        """
        import json
        from pydantic import ValidationError
        from models import Mixed, Window

        def ok(model, payload):
            try:
                return json.loads(model.model_validate_json(json.dumps(payload)).model_dump_json(exclude_unset=True))
            except ValidationError:
                return "rejected"

        print(json.dumps([
            ok(Window, {"size": [800, 600], "corner": None, "tags": [{"name": "b"}]}),
            ok(Window, {"size": [800, 600], "corner": {"y": 0, "x": 0}}),
            ok(Window, {"size": [800, 601]}), ok(Window, {"size": [640, 480], "tags": [{"name": "c"}]}),
            ok(Window, {"size": [640, 480], "corner": {"x": 0, "y": 1}}),
            ok(Mixed, True), ok(Mixed, 1), ok(Mixed, {"a": 1}),
            Window(size=[640, 480]).model_dump(mode="json")["ratio"],
            Window.model_json_schema()["properties"]["ratio"],
        ]))
        """,
    )
    assert result[:8] == [
        {"size": [800, 600], "corner": None, "tags": [{"name": "b"}]},
        {"size": [800, 600], "corner": {"y": 0, "x": 0}},
        "rejected",
        "rejected",
        "rejected",
        "rejected",
        1,
        {"a": 1},
    ]
    assert result[8] == [16, 9]
    assert result[9]["enum"] == [[4, 3], [16, 9]] and result[9]["default"] == [16, 9]


def test_json_equality_of_the_runtime_helper(tmp_path: Path) -> None:
    out = _fixture("construct_json_values_30", tmp_path)
    result = _run(
        out,
        """
        import json
        from models._json_values import json_equal
        pairs = [
            (1, 1.0), (True, 1), (0, False), ([1], [True]), ({"a": 1, "b": [2]}, {"b": [2.0], "a": 1}),
            ({"a": 1}, {"a": 1, "b": 2}), ([1, 2], [2, 1]), (None, None), (None, False), ("1", 1), ([], {}),
            (True, True), ([[{"x": None}]], [[{"x": None}]]),
        ]
        print(json.dumps([json_equal(a, b) for a, b in pairs]))
        """,
    )
    assert result == [True, False, False, False, True, False, False, True, False, False, False, True, True]


HOSTILE_VALUES = [
    "__import__('os').system('touch SENTINEL')",
    '"); __import__("os").system("touch SENTINEL"); ("',
    "'''\nimport os\n'''\n\"\"\"\\",
]


def test_hostile_json_values_are_only_literals(tmp_path: Path) -> None:
    # Strings inside a const or enum of arrays and objects reach the code only as `repr` literals: constants of the
    # module's syntax tree; nothing runs, and they come back unchanged.
    sentinel = tmp_path / "pwned"
    values = [v.replace("SENTINEL", str(sentinel)) for v in HOSTILE_VALUES]
    document = {
        "openapi": "3.1.0",
        "info": {"title": "T", "version": "1"},
        "paths": {},
        "components": {
            "schemas": {
                "Evil": {"enum": [[values[0]], {values[1]: values[2]}, values[2]]},
                "Holder": {"type": "object", "properties": {"fixed": {"const": {"k": values}}}},
            }
        },
    }
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(document), encoding="utf-8")
    out = tmp_path / "out"
    _generate(spec, out)
    for module in ("evil", "holder"):
        tree = ast.parse((out / "models" / f"{module}.py").read_text(encoding="utf-8"))
        strings = {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)}
        assert set(values) <= strings
        assert not any(isinstance(n, ast.Name) and n.id == "__import__" for n in ast.walk(tree))
    result = _run(
        out,
        f"""
        import json
        from models import Evil, Holder
        values = {values!r}
        evil = [Evil.model_validate(v).root for v in ([values[0]], {{values[1]: values[2]}}, values[2])]
        fixed = Holder.model_validate({{"fixed": {{"k": values}}}}).fixed
        print(json.dumps([evil, fixed, Evil.model_json_schema()["enum"]]))
        """,
    )
    assert result == [
        [[values[0]], {values[1]: values[2]}, values[2]],
        {"k": values},
        [[values[0]], {values[1]: values[2]}, values[2]],
    ]
    assert not sentinel.exists()


def test_helper_module_names_clash_with_nothing(tmp_path: Path) -> None:
    # Schemas named like the helper's classes keep their names; the helper is used as a module, so nothing is
    # shadowed, and the reference page documents the models only, not the helper's classes.
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        HEAD.format(version="3.1.0")
        + "    Const: {type: object, properties: {json_values: {const: [1]}, Enum: {enum: [{a: 1}]}}}\n"
        + "    JsonEqual: {const: {k: v}}\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    _generate(spec, out)
    result = _run(
        out,
        """
        import json
        from models import Const, JsonEqual
        ok = Const.model_validate({"json_values": [1], "Enum": {"a": 1}}).model_dump(mode="json", by_alias=True)
        print(json.dumps([ok, JsonEqual.model_validate({"k": "v"}).root]))
        """,
    )
    assert result == [{"json_values": [1], "Enum": {"a": 1}}, {"k": "v"}]
    reference = (out / "REFERENCE.md").read_text(encoding="utf-8")
    assert "## Const\n" in reference and "## JsonEqual\n" in reference
    assert "_json_values`" not in reference and "## Enum" not in reference


@pytest.mark.parametrize("name", ["construct_json_values_30", "construct_json_values_31"])
def test_json_values_pass_the_bar_where_raw_output_fails_it(name: str) -> None:
    # The whole bar, the fixture's examples validated and round-tripped included. Raw datamodel-codegen 0.89 drops a
    # const array or object and writes an enum of objects as an `Enum` of dicts, which ruff rejects (RUF012).
    from tests.bar import run_bar

    spec = FIXTURES / name / "spec.yaml"
    ours, raw = run_bar(spec, name), run_bar(spec, name, generator="raw")
    assert ours.passed and ours.examples == 1, (ours.step, ours.error)
    assert (raw.step, "RUF012" in raw.error) == ("ruff", True), (raw.step, raw.error)
