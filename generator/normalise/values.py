"""Values Python must hold faithfully: numbers and counts checked, defaults validated against their schema, listed
JSON values (``const``/``enum`` of arrays and objects) given run-time checks, descriptions trimmed, and the enum
and default shapes the engine would misrender rewritten."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from generator.documents import escape_pointer
from generator.errors import CodegenError
from generator.normalise.engine import ENGINE_ENUM_LISTS
from generator.normalise.schemas import (
    ENUM_KEY,
    JSON_TYPES,
    JSON_VALUES_KEY,
    LITERAL_ENUM_KEY,
    NUMBER_CONSTRAINTS,
    add_component,
    hoist_to_component,
    hoisting_walk,
    place_words,
    pointer_of,
    schema_objects,
    schema_places,
    schema_types,
    walk_schemas,
    walk_values,
)

__all__ = [
    "check_defaults",
    "check_values",
    "drop_false_nullable",
    "json_values",
    "keep_enum_values",
    "literal_bool_number_enums",
    "plain_typed_defaults",
    "tidy_values",
    "trim_descriptions",
]

# Keywords whose value is a count: a negative or non-integer one cannot become a pydantic constraint.
_SIZE_KEYWORDS = ("minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties")
_SPEC_URI = "urn:nexthink-codegen:spec"


def keep_enum_values(schema: dict[str, Any]) -> None:
    """Hand the templates a schema's exact enum values (``x-codegen-enum``), for literals the engine did not
    alter."""
    if isinstance(schema.get("enum"), list):
        schema[ENUM_KEY] = list(schema["enum"])


def _finite_number(value: Any, key: str) -> bool:
    """A finite JSON number (or, for 3.0's ``exclusiveMinimum``/``exclusiveMaximum``, a boolean); also ``1e3`` as
    YAML 1.1 reads it (a string), which the engine converts."""
    if isinstance(value, bool):
        return key.startswith("exclusive")
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            return False
    return isinstance(value, (int, float)) and math.isfinite(value)


def _plainly_faithful(root: Any) -> bool:
    """True when ``check_values`` finds nothing to refuse under ``root`` (the same tests, without the pointers an
    error names); False means "walk again, with pointers", never "invalid"."""
    if type(root) is not dict:
        return False
    stack = [root]
    while stack:
        node = stack.pop()
        for value in node.values() if type(node) is dict else node:
            kind = type(value)
            if kind is dict or kind is list:
                stack.append(value)
            elif kind is float:
                if not math.isfinite(value):
                    return False
            elif kind not in _PLAIN_JSON_SCALARS:
                return False
    for schema in schema_objects(root):
        for key in NUMBER_CONSTRAINTS:
            if key in schema and not _finite_number(schema[key], key):
                return False
        for key in _SIZE_KEYWORDS:
            count = schema.get(key)
            if key in schema and (not isinstance(count, int) or isinstance(count, bool) or count < 0):
                return False
    return True


_PLAIN_JSON_SCALARS = frozenset({str, int, bool, type(None)})
"""The exact types of the JSON scalars ``_plainly_faithful`` passes without a closer look (floats are checked)."""


def check_values(schemas: dict[str, Any], file: str | Path) -> None:
    """Refuse what Python code cannot hold faithfully: numbers JSON cannot write (``.inf``, ``nan``, ``1e999``),
    values that are not JSON at all (a YAML ``!!binary``, a set) and negative or fractional counts (``minLength: -1``).
    A ``const`` array or object and an ``enum`` holding one are JSON values Python holds exactly: ``json_values``
    renders them."""
    for name, root in schemas.items():
        if _plainly_faithful(root):
            continue  # nothing to refuse: the walks below, with a pointer for every value, would raise nothing
        base = f"/components/schemas/{escape_pointer(name)}"
        for value, where in walk_values(root, base):
            if isinstance(value, float) and not math.isfinite(value):
                raise CodegenError(file, f"{value} is not a JSON number (infinite or NaN)", where)
            if not isinstance(value, JSON_TYPES):
                raise CodegenError(file, f"a {type(value).__name__} is not a JSON value; quote it", where)
        for schema, where in walk_schemas(root, base):
            for key in NUMBER_CONSTRAINTS:
                if key in schema and not _finite_number(schema[key], key):
                    raise CodegenError(file, f"{key} must be a finite number, not {schema[key]!r}", f"{where}/{key}")
            for key in _SIZE_KEYWORDS:
                count = schema.get(key)
                if key in schema and (not isinstance(count, int) or isinstance(count, bool) or count < 0):
                    raise CodegenError(file, f"{key} must be a non-negative integer, not {count!r}", f"{where}/{key}")


def _nullable(schema: dict[str, Any]) -> bool:
    """Whether ``null`` is a value the schema itself says it accepts (3.0 ``nullable``, 3.1 type list, ``enum``)."""
    if schema.get("nullable") is True or "null" in schema_types(schema):
        return True
    enum = schema.get("enum")
    return isinstance(enum, list) and None in enum


# Keywords that cannot make a default invalid, beside annotations and extensions, by the kind of value: what
# `_plainly_valid_default` judges without loading the validator. `format` asserts nothing: the validator is run
# without a format checker, as JSON Schema's default is.
_ANNOTATION_KEYWORDS = frozenset(
    {"default", "description", "title", "example", "examples", "deprecated", "externalDocs", "xml", "nullable"}
)
_ARRAY_KEYWORDS = frozenset({"type", "items", "minItems", "maxItems", "uniqueItems"})
_EMPTY_OBJECT_KEYWORDS = frozenset({"type", "properties", "additionalProperties", "patternProperties", "maxProperties"})
_SCALAR_KEYWORDS = frozenset({"type", "enum", "format", "minLength", "maxLength"})

# The JSON types a Python value certainly has, in every draft's type checker (a bool is no number; a float, even
# 1.0, is not taken for an integer here: some drafts count it, and the validator is asked then).
_TYPES: dict[type, frozenset[str]] = {
    list: frozenset({"array"}),
    dict: frozenset({"object"}),
    str: frozenset({"string"}),
    bool: frozenset({"boolean"}),
    int: frozenset({"integer", "number"}),
    float: frozenset({"number"}),
}


def _plainly_valid_default(schema: dict[str, Any]) -> bool:
    """True when the default plainly satisfies its schema, so the validator (whose imports cost a tenth of a
    second) need not be loaded. False means "ask the validator", never "invalid"."""
    return _plainly_valid(schema["default"], schema)


def _within(size: int, schema: dict[str, Any], low: str, high: str) -> bool:
    """Whether ``size`` lies within the schema's bounds ``low`` and ``high`` (integers when present)."""
    least, most = schema.get(low, 0), schema.get(high, size)
    return type(least) is int and type(most) is int and least <= size <= most


def _plainly_valid(value: Any, schema: dict[str, Any]) -> bool:
    """Whether ``value`` plainly satisfies ``schema``: its type is one the schema allows, and the schema holds
    nothing else it could fail but what is checked here. That is: a string, boolean or number with at most a
    string's length bounds and an ``enum`` only of strings holding it; an array with at most size bounds and
    ``items`` each of its values plainly satisfies (``uniqueItems`` only for fewer than two); ``{}`` with nothing
    an empty object can fail (no ``required``, ``minProperties``). Never ``$ref``, composition, ``pattern``,
    number bounds: those are the validator's."""
    kind = type(value)
    if kind is list:
        allowed = _ARRAY_KEYWORDS
    elif kind is dict and not value:
        allowed = _EMPTY_OBJECT_KEYWORDS
    elif kind in (str, bool, int, float):
        allowed = _SCALAR_KEYWORDS
    else:
        return False
    for key in schema:
        if (
            key not in allowed
            and key not in _ANNOTATION_KEYWORDS
            and not (isinstance(key, str) and key.startswith("x-"))
        ):
            return False
    if kind is list:
        items = schema.get("items", {})
        if not isinstance(items, dict) or not _within(len(value), schema, "minItems", "maxItems"):
            return False
        if schema.get("uniqueItems") is True and len(value) > 1:
            return False
        if not all(_plainly_valid(item, items) for item in value):
            return False
    if "enum" in schema:
        enum = schema["enum"]
        if kind is not str or not isinstance(enum, list) or value not in [v for v in enum if type(v) is str]:
            return False
    if ("minLength" in schema or "maxLength" in schema) and (
        kind is not str or not _within(len(value), schema, "minLength", "maxLength")
    ):
        return False
    if "type" not in schema:
        return True
    declared, types = schema["type"], _TYPES[kind]
    if isinstance(declared, str):
        return declared in types
    return isinstance(declared, list) and not types.isdisjoint(t for t in declared if isinstance(t, str))


def check_defaults(spec: dict[str, Any], schemas: dict[str, Any], file: str | Path) -> None:
    """Validate every ``default`` against its own schema (``$ref``s followed); a ``default: null`` on a schema
    that is not nullable means "no default" and is dropped (the field is then optional: ``X | None = None``)."""
    version = str(spec.get("openapi", ""))
    registry: Any = None
    validator_class: Any = None
    for name, root in schemas.items():
        for schema, place in schema_places(root, f"/components/schemas/{escape_pointer(name)}"):
            if "default" not in schema:
                continue
            if schema["default"] is None:
                # Accepted where the schema says nullable, even beside a 3.0 `$ref` (whose siblings the validator
                # ignores but the engine reads); elsewhere it means "no default".
                if not _nullable(schema):
                    del schema["default"]
                continue
            if _plainly_valid_default(schema):
                continue
            if registry is None:
                # Imported here, once a default needs validating: the validator's imports (jsonschema and its
                # format checkers) cost a tenth of a second, which a spec without defaults need not pay.
                from openapi_schema_validator import OAS30Validator, OAS31Validator
                from referencing import Registry, Resource
                from referencing.jsonschema import DRAFT4, DRAFT202012

                validator_class = OAS31Validator if version.startswith("3.1") else OAS30Validator
                dialect = DRAFT202012 if version.startswith("3.1") else DRAFT4
                registry = Registry().with_resource(
                    _SPEC_URI, Resource.from_contents(spec, default_specification=dialect)
                )
            where = pointer_of(place)
            validator = validator_class({"$ref": f"{_SPEC_URI}#{where}"}, registry=registry)
            try:
                error = next(iter(validator.iter_errors(schema["default"])), None)
            except Exception:  # noqa: BLE001 - a schema the validator cannot read is judged by the engine instead
                continue
            if error is not None:
                raise CodegenError(
                    file,
                    f"default {schema['default']!r} does not match its schema: {error.message}",
                    f"{where}/default",
                )


def _listed_values(schema: Any) -> list[dict[str, Any]]:
    """The ``const`` or ``enum`` of a schema that no ``Literal`` or ``Enum`` holds (a ``const`` array or object, an
    ``enum`` with an array or an object among its values), as ``[{"const": value}]``, ``[{"enum": values}]`` or
    both, with the checks already taken from it (``x-codegen-json-values``)."""
    if not isinstance(schema, dict):
        return []
    found = list(schema.get(JSON_VALUES_KEY, []))
    if isinstance(schema.get("const"), (list, dict)):
        found.append({"const": schema["const"]})
    enum = schema.get("enum")
    if isinstance(enum, list) and any(isinstance(v, (list, dict)) for v in enum):
        found.append({"enum": enum})
    return found


def _take_listed_values(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """Remove what ``_listed_values`` finds from the schema (with the engine's extensions about its enum members);
    return it."""
    found = _listed_values(schema)
    for check in found:
        schema.pop(next(iter(check)), None)
        if "enum" in check:
            for key in (*ENGINE_ENUM_LISTS, LITERAL_ENUM_KEY):
                schema.pop(key, None)
    schema.pop(JSON_VALUES_KEY, None)
    return found


# Where a subschema sits that is neither a component nor a property, and the word its hoisted name ends with.
_HOISTED_SLOTS = (("items", "item"), ("additionalProperties", "value"))
_HOISTED_LISTS = ("prefixItems", "anyOf", "oneOf")
# What stays on a component when its type moves into a component of its own: its name and its documentation.
_KEPT_ON_WRAPPER = frozenset({"description", "title", "examples", "example", "deprecated", "x-python-class-name"})
# Keywords that make the engine write a component as a model or a map, whose root field drops the extensions.
_OBJECT_LIKE = frozenset(
    {"properties", "additionalProperties", "patternProperties", "propertyNames", "required", "allOf"}
    | {"minProperties", "maxProperties", "discriminator"}
)

# What says more about an object than ``type: object``: without any, the engine writes an empty model.
_TYPED_OBJECT = frozenset(
    {"properties", "additionalProperties", "patternProperties", "allOf", "anyOf", "oneOf", "$ref"}
)


def _json_valued_slots(schema: dict[str, Any], where: str) -> list[tuple[Any, Any, str]]:
    """``(holder, key, name)`` for each subschema of ``schema`` with listed values that no field annotation can
    carry (array items, map values, union and tuple members), with the name it gets as a component of its own."""
    found: list[tuple[Any, Any, str]] = []
    if not _has_json_valued_slot(schema):
        return found  # the common case: no name to build
    words = place_words(where)
    for key, word in _HOISTED_SLOTS:
        if _listed_values(schema.get(key)):
            found.append((schema, key, ".".join([*words, word])))
    patterns = schema.get("patternProperties")
    for index, (regex, sub) in enumerate(patterns.items() if isinstance(patterns, dict) else []):
        if _listed_values(sub):
            found.append((patterns, regex, ".".join([*words, f"value{index + 1}"])))
    for key in _HOISTED_LISTS:
        members = schema.get(key)
        for index, member in enumerate(members if isinstance(members, list) else []):
            if _listed_values(member):
                found.append((members, index, ".".join([*words, f"option{index + 1}"])))
    return found


def _has_json_valued_slot(schema: dict[str, Any]) -> bool:
    """Whether ``_json_valued_slots`` finds anything in ``schema`` (the same tests, without the names)."""
    if any(_listed_values(schema.get(key)) for key, _ in _HOISTED_SLOTS):
        return True
    patterns = schema.get("patternProperties")
    if isinstance(patterns, dict) and any(_listed_values(sub) for sub in patterns.values()):
        return True
    for key in _HOISTED_LISTS:
        members = schema.get(key)
        if isinstance(members, list) and any(_listed_values(member) for member in members):
            return True
    return False


def json_values(schemas: dict[str, Any]) -> None:
    """Render a ``const`` array or object, and an ``enum`` with one among its values, as a type whose values are
    exactly those. The schema loses the keyword and gets ``x-codegen-json-values`` (a list of ``{"const": value}``
    and ``{"enum": values}``), which the templates write as ``Annotated[T, _json_values.Const(value)]`` on the
    property or the component's root, the type ``T`` from the schema's other keywords (``Any`` without any).
    Runs after ``check_defaults``, which checks a default against the values.

    Where no annotation can go, the schema moves: an ``allOf`` member's values go to the schema that holds it (both
    apply); array items, map values, union and tuple members become components named from their place
    (``Holder.shapes.item``); a component the engine writes as a model or a map (whose root drops the annotation)
    keeps its values and documentation and refers to its type, moved to ``<name>.value``."""
    for root in list(schemas.values()):
        for schema in reversed(schema_objects(root)):
            members = schema.get("allOf")
            if not isinstance(members, list):
                continue
            for member in [m for m in members if isinstance(m, dict) and "$ref" not in m]:
                taken = _take_listed_values(member)
                if taken:
                    schema[JSON_VALUES_KEY] = _take_listed_values(schema) + taken
                    if not member:
                        members.remove(member)
            if not members:
                del schema["allOf"]
    for schema, where, queue in hoisting_walk(schemas, _has_json_valued_slot):
        for holder, key, base in _json_valued_slots(schema, where):
            queue.append(hoist_to_component(schemas, holder, key, base))
    for name, root in list(schemas.items()):
        if not _listed_values(root) or not ("object" in schema_types(root) or _OBJECT_LIKE & set(root)):
            continue
        checks = _take_listed_values(root)
        value = {k: root.pop(k) for k in list(root) if k not in _KEPT_ON_WRAPPER}
        if "object" in schema_types(value) and not _TYPED_OBJECT & set(value):
            value["additionalProperties"] = {}  # the same map, which the engine writes as a dict, not an empty model
        root["$ref"] = f"#/components/schemas/{escape_pointer(add_component(schemas, f'{name}.value', value))}"
        root[JSON_VALUES_KEY] = checks
    for root in schemas.values():
        for schema in schema_objects(root):
            if _listed_values(schema):
                schema[JSON_VALUES_KEY] = _take_listed_values(schema)


def tidy_values(schemas: dict[str, Any]) -> None:
    """The four rewrites below, on every schema in one walk: each reads and writes only keys of the schema it is
    given that the others neither read nor write (nor any that holds a subschema), so one walk gives what one walk
    for each gave, while a walk took longer than the four rewrites."""
    for root in schemas.values():
        for schema in schema_objects(root):
            trim_descriptions(schema)
            drop_false_nullable(schema)
            plain_typed_defaults(schema)
            literal_bool_number_enums(schema)


def trim_descriptions(schema: dict[str, Any]) -> None:
    """Strip the white space around ``description`` and ``title``: a YAML block scalar (``description: |``) ends in
    a newline that is layout, not prose, and would otherwise reach the models as ``'...text.\\n'``."""
    for key in ("description", "title"):
        if isinstance(schema.get(key), str):
            schema[key] = schema[key].strip()


def drop_false_nullable(schema: dict[str, Any]) -> None:
    """Remove ``nullable: false``, OpenAPI 3.0's default: it says nothing, but the engine then types an optional
    property without ``| None`` while giving it the default ``None`` (a mypy error, and a model that refuses to be
    built without the property)."""
    if schema.get("nullable") is False:
        del schema["nullable"]


def plain_typed_defaults(schema: dict[str, Any]) -> None:
    """A schema with both a ``format`` and a ``default`` drops the format: the engine would annotate the field
    ``date``/``UUID``/``AnyUrl``/``Decimal`` but write the default as the JSON string or number (``d: date =
    '2024-01-01'``), a type error whose value pydantic never converts (and GitHub's ``format: uri, default: ''``
    has no URL value at all). The field keeps the exact default; ``format`` is an annotation in JSON Schema."""
    if "format" in schema and schema.get("default") is not None:
        del schema["format"]


def literal_bool_number_enums(schema: dict[str, Any]) -> None:
    """An ``enum`` that holds booleans and the numbers 0 or 1 is rendered as a ``Literal``: in a Python ``Enum``
    ``True`` is ``1``, so one member would silently alias another and validation could not tell them apart."""
    values = schema.get("enum")
    if not isinstance(values, list):
        return
    flags = [v for v in values if isinstance(v, bool)]
    if flags and any(not isinstance(v, bool) and isinstance(v, (int, float)) and v in (0, 1) for v in values):
        schema[LITERAL_ENUM_KEY] = True
