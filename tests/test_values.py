"""Values and types: what a spec says reaches the models exactly, or generation stops naming the place.

The construct fixtures (`tests/fixtures/construct_*`) are generated and their models exercised in a fresh
interpreter; values Python cannot hold faithfully are refused with exit status 2 and one line naming the pointer.
"""

from __future__ import annotations

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
    "const_array": ("3.1.0", "    A: {type: array, const: [1, 2]}\n", "/components/schemas/A/const"),
    "enum_of_objects": ("3.1.0", "    A: {type: object, enum: [{a: 1}]}\n", "/components/schemas/A/enum/0"),
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
