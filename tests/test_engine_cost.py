"""The engine call costs no more than the output needs (#13).

The model templates cost one Jinja macro call per field. The engine renders every model through them, some 50,000
fields on GitHub's REST spec. A field used to go through five nested macros of ``templates/datamodel/field.jinja2``;
the declaration macro now writes the common field by itself and calls a helper only for the constraints of a map's
keys or of a list's items. The tests count the macro calls of a generation, which do not depend on the machine's
speed, on fixtures that use each of the macro's branches; the golden tests pin what the calls write.

The engine runs without ``keep_model_order``: with one module per class it would only reorder the classes of a
module that holds a reference cycle, and those come out in the same order without it, whatever the order of the
spec's schemas.
"""

from __future__ import annotations

import ast
import io
from collections import Counter
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import jinja2.runtime
import pytest

from generator.cli import main
from generator.config import ENGINE_OPTIONS, TEMPLATES_DIR

FIXTURES = Path(__file__).resolve().parent / "fixtures"
FIELD_TEMPLATE = TEMPLATES_DIR / "datamodel" / "field.jinja2"
HELPERS = {"key_args", "item_args"}
"""The macros a field calls only when it carries constraints on a map's keys or on a list's items."""


@pytest.fixture
def field_macro_calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[Counter[str]]:
    """The calls of ``field.jinja2``'s macros made while the test runs, by macro name."""
    calls: Counter[str] = Counter()
    call = jinja2.runtime.Macro.__call__

    def counted(self: jinja2.runtime.Macro, *args: Any, **kwargs: Any) -> str:
        if Path(self._func.__code__.co_filename) == FIELD_TEMPLATE:
            calls[self.name] += 1
        return call(self, *args, **kwargs)

    monkeypatch.setattr(jinja2.runtime.Macro, "__call__", counted)
    yield calls


def _generate(spec: Path, out: Path) -> None:
    overlay = spec.parent / "overlay.yaml"
    options = ["--overlay", str(overlay)] if overlay.exists() else ["--no-overlay"]
    with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()) as stderr:
        status = main(["generate", "--spec", str(spec), *options, "--out", str(out), "--package", "models"])
    assert status == 0, stderr.getvalue()


def _files(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != ".codegen-manifest.json"
    }


def _declarations(package: Path) -> list[str]:
    """The annotation of every field declared in the package's classes (a root model's ``root`` included)."""
    found = []
    for module in sorted(package.glob("*.py")):
        for node in ast.parse(module.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ClassDef):
                found += [ast.unparse(s.annotation) for s in node.body if isinstance(s, ast.AnnAssign)]
    return found


@pytest.mark.parametrize(
    "fixture",
    [
        "construct_annotations_31",  # title, examples, deprecated, description, defaults
        "construct_additional_properties_31",  # constraints on a map's keys
        "patterns",  # pattern constants, constraints on a list's items
        "construct_json_values_31",  # values no Literal holds
        "construct_discriminator_31",  # discriminator
        "validators",  # model validators
    ],
)
def test_a_field_is_declared_by_one_macro_call(fixture: str, tmp_path: Path, field_macro_calls: Counter[str]) -> None:
    _generate(FIXTURES / fixture / "spec.yaml", tmp_path)
    declared = _declarations(tmp_path / "models")
    assert declared, "the fixture declares no field"
    assert field_macro_calls["declaration"] == len(declared)
    others = {name for name in field_macro_calls if name != "declaration"}
    assert others <= HELPERS | {"validator_check"}, f"macros called besides the declaration: {sorted(others)}"
    # A helper runs once per constrained map key or list item, each written as an `Annotated[..., Field(...)]`.
    constrained = sum(annotation.count("Annotated[") for annotation in declared)
    assert sum(field_macro_calls[name] for name in HELPERS) <= constrained


_CYCLE = """openapi: 3.1.0
info: {title: Cycle, version: '1'}
paths: {}
components:
  schemas:
    Zebra:
      allOf:
        - $ref: '#/components/schemas/mango'
        - type: object
          properties:
            apple: {$ref: '#/components/schemas/Apple'}
    mango:
      type: object
      properties:
        zebra: {type: array, items: {$ref: '#/components/schemas/Zebra'}}
        kiwi: {$ref: '#/components/schemas/Kiwi'}
    Kiwi:
      oneOf:
        - $ref: '#/components/schemas/Apple'
        - $ref: '#/components/schemas/mango'
    Apple:
      type: object
      properties:
        zebra: {$ref: '#/components/schemas/Zebra'}
        kiwi: {$ref: '#/components/schemas/Kiwi'}
"""
"""A reference cycle of four schemas, listed in no name order, one inheriting another, one a union: the engine puts
its classes into one module."""


@pytest.mark.parametrize("fixture", ["construct_mutual_recursion_31", "construct_recursive_union_31", "recursive_ref"])
def test_the_engine_model_order_option_changes_no_byte(
    fixture: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert ENGINE_OPTIONS["keep_model_order"] is False
    spec = FIXTURES / fixture / "spec.yaml"
    _generate(spec, tmp_path / "without")
    monkeypatch.setitem(ENGINE_OPTIONS, "keep_model_order", True)
    _generate(spec, tmp_path / "with")
    assert _files(tmp_path / "without") == _files(tmp_path / "with")


def test_a_cycle_module_keeps_its_order_without_the_option(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(_CYCLE, encoding="utf-8")
    _generate(spec, tmp_path / "without")
    monkeypatch.setitem(ENGINE_OPTIONS, "keep_model_order", True)
    _generate(spec, tmp_path / "with")
    without = _files(tmp_path / "without")
    assert without == _files(tmp_path / "with")
    assert any(text.count("\nclass ") > 1 for text in without.values()), "no module holds the cycle's classes"
