"""Object-level rules no field annotation can say (``minProperties``, an ``anyOf`` of ``required`` alternatives),
turned into model validators named and documented by ``x-python-validators``."""

from __future__ import annotations

import keyword
import re
from pathlib import Path
from typing import Any

from generator.documents import escape_pointer
from generator.errors import CodegenError
from generator.normalise.schemas import VALIDATORS_KEY

__all__ = [
    "extract_validators",
    "requirement_alternative",
]

_METHOD = re.compile(r"^[a-z][a-z0-9_]*$")
"""A validator method name: lower snake case, so it can never be a dunder, a private name or a class."""


def requirement_alternative(member: Any) -> list[dict[str, str]] | None:
    """A member of ``anyOf`` that only requires properties (optionally non-empty) → its checks, else None."""
    if not isinstance(member, dict) or set(member) - {"required", "properties", "description"}:
        return None
    required = member.get("required")
    if not isinstance(required, list) or not required or not all(isinstance(r, str) for r in required):
        return None
    props = member.get("properties") or {}
    if not isinstance(props, dict) or set(props) - set(required):
        return None
    checks = []
    for prop in required:
        extra = props.get(prop) or {}
        if set(extra) - {"minItems", "minLength", "minProperties"}:
            return None
        checks.append({"field": prop, "check": "nonempty" if any(v >= 1 for v in extra.values()) else "present"})
    return checks


def extract_validators(schemas: dict[str, Any], file: str | Path) -> None:
    """Turn ``minProperties`` and an ``anyOf`` of ``required`` alternatives into model validators."""
    for name, schema in schemas.items():
        if not isinstance(schema, dict) or not isinstance(schema.get("properties"), dict):
            continue
        where = f"/components/schemas/{escape_pointer(name)}"
        names = schema.get("x-python-validators") or {}
        if not isinstance(names, dict):
            raise CodegenError(file, "x-python-validators must map a keyword to {name, docstring, message}", where)
        validators = []
        alternatives = schema.get("anyOf")
        if isinstance(alternatives, list) and alternatives:
            checks = [requirement_alternative(m) for m in alternatives]
            # A rule naming a property the schema does not declare has no field to check: left to the engine.
            known = all(c["field"] in schema["properties"] for group in checks if group for c in group)
            if all(c is not None for c in checks) and known:
                del schema["anyOf"]
                fields = ", ".join(c["field"] for group in checks if group for c in group)
                validators.append(
                    _validator(
                        names.get("anyOf"),
                        "anyOf",
                        where,
                        file,
                        mode="any_of",
                        alternatives=checks,
                        docstring=f"Require at least one of: {fields}.",
                        message=f"at least one of {fields} is required",
                    )
                )
        minimum = schema.get("minProperties")
        if isinstance(minimum, int) and minimum > 0:
            del schema["minProperties"]
            fields = ", ".join(schema["properties"])
            validators.append(
                _validator(
                    names.get("minProperties"),
                    "minProperties",
                    where,
                    file,
                    mode="min_properties",
                    count=minimum,
                    fields=list(schema["properties"]),
                    docstring=f"Require at least {minimum} of: {fields}.",
                    message=f"at least {minimum} of {fields} must be set",
                )
            )
        if validators:
            _refuse_clashing_validators(validators, schema["properties"], file, where)
            schema[VALIDATORS_KEY] = validators


def _refuse_clashing_validators(
    validators: list[dict[str, Any]], properties: dict[str, Any], file: str | Path, where: str
) -> None:
    """A validator method must not replace a field, a pydantic ``BaseModel`` attribute or another validator."""
    from pydantic import BaseModel

    taken = {name for prop in properties for name in (prop, re.sub(r"\W", "_", prop), f"{prop}_", f"field_{prop}")}
    seen: set[str] = set()
    for validator in validators:
        method = validator["name"]
        if method in taken:
            raise CodegenError(file, f"validator name {method!r} is also the name of a field", where)
        if hasattr(BaseModel, method):
            raise CodegenError(file, f"validator name {method!r} would replace pydantic's BaseModel.{method}", where)
        if method in seen:
            raise CodegenError(file, f"validator name {method!r} is given to two validators", where)
        seen.add(method)


def _validator(given: Any, keyword_name: str, where: str, file: str | Path, **defaults: Any) -> dict[str, Any]:
    given = given or {}
    if not isinstance(given, dict):
        raise CodegenError(file, f"x-python-validators.{keyword_name} must be a mapping", where)
    method = given.get("name", f"validate_{re.sub(r'(?<!^)(?=[A-Z])', '_', keyword_name).lower()}")
    if not isinstance(method, str) or not _METHOD.match(method) or keyword.iskeyword(method):
        raise CodegenError(file, f"validator name {method!r} is not a valid method name (lower_snake_case)", where)
    result = dict(defaults)
    result["name"] = method
    for key in ("docstring", "message"):
        if key in given:
            if not isinstance(given[key], str):
                raise CodegenError(file, f"x-python-validators.{keyword_name}.{key} must be a string", where)
            result[key] = given[key]
    return result
