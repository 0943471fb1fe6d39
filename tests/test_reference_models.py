"""The generated Workflows package reproduces the hand-written reference models class by class.

tests/reference/workflows-object-models.txt is the reference page (copied from shared/reference/); it is parsed
here and every class is compared with the generated one: bases, docstring, fields in order with their annotation,
default and constraints, model validators with their docstrings, enum members.
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

PAGE = Path(__file__).parent / "reference" / "workflows-object-models.txt"
_FIELD = re.compile(r"^(\w+): (.+?)(?: = (.+?))? (?:class-attribute )?instance-attribute$")
_MEMBER = re.compile(r"^(\w+) = '(.*)' class-attribute instance-attribute$")
_VALIDATOR = re.compile(r"^(\w+)\(\) -> Self$")


@dataclass
class RefClass:
    name: str
    bases: str = ""
    doc: list[str] = field(default_factory=list)
    fields: list[tuple[str, str, str | None]] = field(default_factory=list)
    validators: list[tuple[str, str]] = field(default_factory=list)
    members: list[tuple[str, str]] = field(default_factory=list)


def parse_reference() -> list[RefClass]:
    lines = [line.strip() for line in PAGE.read_text(encoding="utf-8").splitlines() if line.strip()]
    classes: list[RefClass] = []
    for index, line in enumerate(lines):
        if line.startswith("Bases: "):
            classes.append(RefClass(lines[index - 1], line.removeprefix("Bases: ")))
            continue
        if not classes or (index + 1 < len(lines) and lines[index + 1].startswith("Bases: ")):
            continue
        current = classes[-1]
        if match := _FIELD.match(line):
            current.fields.append((match[1], match[2], match[3]))
        elif match := _MEMBER.match(line):
            current.members.append((match[1], match[2]))
        elif match := _VALIDATOR.match(line):
            current.validators.append((match[1], lines[index + 1]))
        elif current.validators and current.validators[-1][1] == line:
            continue
        elif not current.fields and not current.members:
            current.doc.append(line)
    return classes


REFERENCE = parse_reference()


def test_reference_page_parses_into_thirteen_classes() -> None:
    assert len(REFERENCE) == 13
    assert all(c.fields or c.members for c in REFERENCE)


def _constraints(info: Any) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for item in info.metadata:
        for name in ("min_length", "max_length", "pattern"):
            value = getattr(item, name, None)
            if value is not None:
                found[name] = value
    return found


def _expected_default(spec: str | None) -> tuple[str, Any]:
    """('required', None) | ('default', value) | ('factory', list) from the reference's `= ...` text."""
    if spec is None:
        return ("required", None)
    if spec == "None" or "default=None" in spec:
        return ("default", None)
    if "default_factory=list" in spec:
        return ("factory", list)
    return ("required", None)


def _expected_constraints(spec: str | None, module: Any) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for name, value in re.findall(r"(min_length|max_length|pattern)=(\w+)", spec or ""):
        found[name] = int(value) if value.isdigit() else getattr(module, value)
    return found


@pytest.mark.parametrize("ref", REFERENCE, ids=lambda c: c.name)
def test_class_matches_reference(ref: RefClass, workflows: Any) -> None:
    cls = getattr(workflows, ref.name)
    assert ", ".join(b.__name__ for b in cls.__bases__) == ref.bases
    assert [p.strip() for p in inspect.cleandoc(cls.__doc__).split("\n\n")] == ref.doc
    if ref.members:
        assert [(m.name, m.value) for m in cls] == ref.members
        return
    assert issubclass(cls, BaseModel)
    assert list(cls.model_fields) == [name for name, _, _ in ref.fields]
    for name, annotation, default in ref.fields:
        info = cls.model_fields[name]
        assert cls.__annotations__[name] == annotation, name
        kind, value = _expected_default(default)
        if kind == "required":
            assert info.is_required(), name
        elif kind == "factory":
            assert info.default_factory is value, name
        else:
            assert info.default is value and info.default_factory is None, name
        assert _constraints(info) == _expected_constraints(default, workflows), name
    validators = cls.__pydantic_decorators__.model_validators
    assert [(n, inspect.getdoc(getattr(cls, n))) for n in validators] == ref.validators
