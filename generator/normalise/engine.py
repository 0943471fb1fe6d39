"""The engine's own extensions brought into the shape it reads, and constraints it would misplace lifted to where the
templates write them inline (array items, map keys)."""

from __future__ import annotations

from typing import Any

from generator.normalise.schemas import (
    ITEM_CONSTRAINTS_KEY,
    KEY_CONSTRAINTS,
    KEY_CONSTRAINTS_KEY,
    LITERAL_ENUM_KEY,
    NUMBER_CONSTRAINTS,
    PATTERN_KEY,
    SCALAR_TYPES,
    STRING_CONSTRAINTS,
    schema_objects,
    schema_types,
    single_type,
)

__all__ = [
    "ENGINE_ENUM_LISTS",
    "fit_engine_extensions",
    "lift_item_constraints",
    "lift_key_constraints",
]

ENGINE_ENUM_LISTS = ("x-enum-varnames", "x-enum-descriptions", "x-enumNames")
"""The engine's own extensions that it reads as one entry (a string or null) per ``enum`` value."""


def fit_engine_extensions(schemas: dict[str, Any]) -> None:
    """Bring the engine's own extensions into the shape it reads, or drop them, wherever the input uses them
    differently: the engine refuses the whole document on one schema whose extension has another shape.

    Scalar writes ``x-enum-descriptions`` as an object (enum value → text); the engine wants a list with one entry
    per value, so an object becomes that list (``None`` for a value it does not describe). Any other shape is
    dropped: the extension only adds names or documentation the engine can do without."""
    for root in schemas.values():
        for schema in schema_objects(root):
            values = schema.get("enum")
            for key in ENGINE_ENUM_LISTS:
                if key not in schema:
                    continue
                given = schema[key]
                if isinstance(given, dict) and isinstance(values, list):
                    by_text = {str(k): v for k, v in given.items()}
                    given = [by_text.get(str(v)) for v in values]
                    schema[key] = [v if isinstance(v, str) else None for v in given]
                elif not (isinstance(given, list) and all(v is None or isinstance(v, str) for v in given)):
                    del schema[key]
            if LITERAL_ENUM_KEY in schema and not isinstance(schema[LITERAL_ENUM_KEY], bool):
                del schema[LITERAL_ENUM_KEY]


def lift_item_constraints(schema: dict[str, Any]) -> None:
    """Move the constraints of a schema's inline scalar array items onto the array, for inline ``Annotated``
    rendering."""
    items = schema.get("items")
    if single_type(schema) != "array" or not isinstance(items, dict):
        return
    if items.get("nullable") is True or schema_types(items) not in ([t] for t in SCALAR_TYPES):
        return
    if "enum" in items or "$ref" in items:
        return
    keys = STRING_CONSTRAINTS + NUMBER_CONSTRAINTS
    lifted = {k: items.pop(k) for k in keys if k in items}
    if PATTERN_KEY in items:
        lifted[PATTERN_KEY] = items.pop(PATTERN_KEY)
    if lifted:
        schema[ITEM_CONSTRAINTS_KEY] = lifted


def lift_key_constraints(schema: dict[str, Any], component: bool) -> None:
    """Move the constraints on a property map's keys (``propertyNames``, or one ``patternProperties`` regex) into
    ``x-codegen-key-constraints``, rendered ``dict[Annotated[str, Field(...)], V]``: the engine writes
    ``constr(...)``, a call that is not a type. A component's own map (``component``) is left to the engine."""
    names, patterns = schema.get("propertyNames"), schema.get("patternProperties")
    if component or "properties" in schema:
        return
    if isinstance(names, dict) and names and set(names) <= KEY_CONSTRAINTS and patterns is None:
        lifted = dict(names)
        del schema["propertyNames"]
    elif (
        isinstance(patterns, dict)
        and len(patterns) == 1
        and names is None
        and schema.get("additionalProperties", False) is False
    ):
        ((regex, values),) = patterns.items()
        lifted = {"pattern": regex}
        del schema["patternProperties"]
        schema["additionalProperties"] = values
    else:
        return
    schema.setdefault("type", "object")
    schema[KEY_CONSTRAINTS_KEY] = lifted
