"""Normalise: the effective spec (vendor + overlay) → the document the rendering engine is given, plus a plan.

General rewrites only — nothing here knows about Workflows. Each rewrite fixes a way the engine would otherwise
misread a construct that is common in vendor specs:

* ``fold_annotation_members`` — an ``allOf`` of one inline schema and members that only annotate it (a
  description, a title) becomes that schema with the annotations; otherwise the engine emits an empty class and
  drops the real type (a string map becomes ``class Params(BaseModel): pass``).
* ``name_classes`` — component names become class names: ``x-python-class-name`` when the spec gives one, else
  the name's words joined in PascalCase; dotted names would otherwise become modules and ``from . import X as X_1``.
  Two schemas that end up with the same class name are an error.
* ``name_patterns`` — every regex becomes a named module constant (``x-python-pattern-name`` or a name derived
  from the property), emitted once and referenced by name.
* ``lift_item_constraints`` — constraints on scalar array items are rendered inline
  (``list[Annotated[str, Field(pattern=...)]]``) instead of one ``RootModel`` class per constrained item.
* ``extract_validators`` — object-level rules that no field annotation can say (``minProperties``, an ``anyOf``
  of ``required`` alternatives) become model validators, named and documented by ``x-python-validators``.
"""

from __future__ import annotations

import copy
import keyword
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openapi_schema_validator import OAS30Validator, OAS31Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4, DRAFT202012

from generator.documents import escape_pointer, iter_refs
from generator.errors import CodegenError

__all__ = ["Plan", "normalise"]

_ANNOTATIONS = frozenset({"description", "title", "example", "examples", "deprecated", "readOnly", "writeOnly"})
_STRING_CONSTRAINTS = ("pattern", "minLength", "maxLength")
_NUMBER_CONSTRAINTS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf")
_SCALAR_TYPES = frozenset({"string", "integer", "number", "boolean"})
_CONSTANT = re.compile(r"^[A-Z][A-Z0-9_]*$")
_CLASS = re.compile(r"^[A-Z][A-Za-z0-9_]*$")
# Names the generated modules import; a schema class must not shadow them.
_RESERVED_CLASS_NAMES = frozenset({"BaseModel", "Field", "Enum", "IntEnum", "Any", "Annotated", "Self", "RootModel"})

# Keywords whose value is a count: a negative or non-integer one cannot become a pydantic constraint.
_SIZE_KEYWORDS = ("minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties")
# The Python types of JSON values (what a JSON or YAML 1.2 document can hold).
_JSON_TYPES = (str, int, float, bool, type(None), list, dict)
_SPEC_URI = "urn:nexthink-codegen:spec"

# Extensions the engine passes on to the templates.
PATTERN_KEY = "x-codegen-pattern"
ITEM_CONSTRAINTS_KEY = "x-codegen-item-constraints"
KEY_CONSTRAINTS_KEY = "x-codegen-key-constraints"
_KEY_CONSTRAINTS = frozenset({"pattern", "minLength", "maxLength"})
VALIDATORS_KEY = "x-codegen-validators"
ENUM_KEY = "x-codegen-enum"
# The engine's own extension: this enum becomes a `Literal[...]`, not an `Enum` class.
LITERAL_ENUM_KEY = "x-enum-field-as-literal"


@dataclass
class Plan:
    """What the templates need besides the engine's models: package docstring and the named regexes."""

    title: str
    description: str | None
    patterns: dict[str, str] = field(default_factory=dict)


def schema_types(schema: Any) -> list[str]:
    """The types a schema's ``type`` names, as a list: OpenAPI 3.1 allows a list (``[string, 'null']``), 3.0 one
    name; ``[]`` when there is no usable ``type``."""
    declared = schema.get("type") if isinstance(schema, dict) else None
    if isinstance(declared, str):
        return [declared]
    if isinstance(declared, list):
        return [t for t in declared if isinstance(t, str)]
    return []


def _single_type(schema: Any) -> str | None:
    """The one type a schema allows besides ``null``, else None (no type, or a union of several)."""
    types = [t for t in schema_types(schema) if t != "null"]
    return types[0] if len(types) == 1 else None


def _is_annotation_only(member: Any) -> bool:
    return isinstance(member, dict) and bool(member) and all(k in _ANNOTATIONS or k.startswith("x-") for k in member)


def _walk_schemas(node: Any, pointer: str) -> list[tuple[dict[str, Any], str]]:
    """Every schema object under a schema, depth first, with its JSON pointer (the schema itself first)."""
    found: list[tuple[dict[str, Any], str]] = []
    stack = [(node, pointer)]
    while stack:
        schema, where = stack.pop()
        if not isinstance(schema, dict):
            continue
        found.append((schema, where))
        children: list[tuple[Any, str]] = []
        for key in ("properties", "patternProperties"):
            for name, sub in (schema.get(key) or {}).items():
                children.append((sub, f"{where}/{key}/{escape_pointer(name)}"))
        for key in ("items", "additionalProperties", "not"):
            if isinstance(schema.get(key), dict):
                children.append((schema[key], f"{where}/{key}"))
        for key in ("allOf", "anyOf", "oneOf"):
            for index, sub in enumerate(schema.get(key) or []):
                children.append((sub, f"{where}/{key}/{index}"))
        stack.extend(reversed(children))
    return found


def fold_annotation_members(schemas: dict[str, Any]) -> None:
    """Replace ``allOf: [inline schema, annotation-only members...]`` by the schema carrying the annotations."""
    for name, root in schemas.items():
        for schema, _ in _walk_schemas(root, f"/components/schemas/{escape_pointer(name)}"):
            members = schema.get("allOf")
            if not isinstance(members, list) or len(members) < 2:
                continue
            structural = [m for m in members if not _is_annotation_only(m)]
            if len(structural) != 1 or "$ref" in structural[0]:
                continue
            del schema["allOf"]
            for member in members:
                if member is not structural[0]:
                    for key, value in member.items():
                        schema.setdefault(key, value)
            for key, value in structural[0].items():
                schema.setdefault(key, value)


def _pascal_case(name: str) -> str:
    words = [w for w in re.split(r"[^0-9A-Za-z]+", name) if w]
    joined = "".join(w[0].upper() + w[1:] for w in words)
    if not joined:
        joined = "Model"
    if joined[0].isdigit():
        joined = f"Model{joined}"
    return joined


def name_classes(spec: dict[str, Any], file: str | Path) -> None:
    """Rename component schemas to their class names and rewrite every ``$ref`` to match."""
    schemas: dict[str, Any] = spec["components"]["schemas"]
    renamed: dict[str, str] = {}
    owner: dict[str, str] = {}
    for name, schema in schemas.items():
        pointer = f"/components/schemas/{escape_pointer(name)}"
        given = schema.get("x-python-class-name") if isinstance(schema, dict) else None
        if given is not None and (not isinstance(given, str) or not _CLASS.match(given) or keyword.iskeyword(given)):
            raise CodegenError(file, f"x-python-class-name {given!r} is not a valid Python class name", pointer)
        class_name = given or _pascal_case(name)
        module_name = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", class_name).lower()
        if keyword.iskeyword(class_name) or keyword.iskeyword(module_name) or class_name in _RESERVED_CLASS_NAMES:
            class_name = f"{class_name}Model"
        if class_name in owner:
            raise CodegenError(
                file, f"schemas {owner[class_name]!r} and {name!r} both become class {class_name!r}", pointer
            )
        owner[class_name] = name
        renamed[name] = class_name
    spec["components"]["schemas"] = {renamed[n]: s for n, s in schemas.items()}
    old_to_new = {f"#/components/schemas/{escape_pointer(o)}": f"#/components/schemas/{n}" for o, n in renamed.items()}
    for where, ref in list(iter_refs(spec)):
        if ref in old_to_new:
            holder: Any = spec
            for raw in where.lstrip("/").split("/")[:-1]:
                token = raw.replace("~1", "/").replace("~0", "~")
                holder = holder[int(token)] if isinstance(holder, list) else holder[token]
            holder["$ref"] = old_to_new[ref]


def _derived_pattern_name(pointer: str) -> str:
    tokens = [t.replace("~1", "/").replace("~0", "~") for t in pointer.split("/")]
    for index in range(len(tokens) - 1, 0, -1):
        if tokens[index - 1] == "properties":
            base = tokens[index]
            break
    else:
        base = tokens[3] if len(tokens) > 3 else "value"
    snake = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", base)
    words = [w for w in re.split(r"[^0-9A-Za-z]+", snake) if w]
    name = "_".join(words).upper() or "VALUE"
    return f"{'P_' if name[0].isdigit() else ''}{name}_PATTERN"


def name_patterns(schemas: dict[str, Any], file: str | Path) -> dict[str, str]:
    """Give every regex a constant name (``x-codegen-pattern``); return ``{name: regex}`` in first-use order."""
    by_regex: dict[str, str] = {}
    by_name: dict[str, str] = {}
    pending: list[tuple[dict[str, Any], str]] = []
    for name, root in schemas.items():
        for schema, where in _walk_schemas(root, f"/components/schemas/{escape_pointer(name)}"):
            regex = schema.get("pattern")
            if not isinstance(regex, str):
                continue
            given = schema.get("x-python-pattern-name")
            if given is None:
                pending.append((schema, where))
                continue
            if not isinstance(given, str) or not _CONSTANT.match(given) or keyword.iskeyword(given):
                raise CodegenError(file, f"x-python-pattern-name {given!r} is not an UPPER_CASE identifier", where)
            if by_name.get(given, regex) != regex or by_regex.get(regex, given) != given:
                raise CodegenError(file, f"pattern name {given!r} is given to two different regexes", where)
            by_name[given], by_regex[regex] = regex, given
            schema[PATTERN_KEY] = given
    for schema, where in pending:
        regex = schema["pattern"]
        if regex not in by_regex:
            base = candidate = _derived_pattern_name(where)
            suffix = 2
            while candidate in by_name:
                candidate, suffix = f"{base}_{suffix}", suffix + 1
            by_name[candidate], by_regex[regex] = regex, candidate
        schema[PATTERN_KEY] = by_regex[regex]
    return dict(sorted(by_name.items()))


def lift_item_constraints(schemas: dict[str, Any]) -> None:
    """Move the constraints of inline scalar array items onto the array, for inline ``Annotated`` rendering."""
    for name, root in schemas.items():
        for schema, _ in _walk_schemas(root, f"/components/schemas/{name}"):
            items = schema.get("items")
            if _single_type(schema) != "array" or not isinstance(items, dict):
                continue
            if items.get("nullable") is True or schema_types(items) not in ([t] for t in _SCALAR_TYPES):
                continue
            if "enum" in items or "$ref" in items:
                continue
            keys = _STRING_CONSTRAINTS + _NUMBER_CONSTRAINTS
            lifted = {k: items.pop(k) for k in keys if k in items}
            if PATTERN_KEY in items:
                lifted[PATTERN_KEY] = items.pop(PATTERN_KEY)
            if lifted:
                schema[ITEM_CONSTRAINTS_KEY] = lifted


def lift_key_constraints(schemas: dict[str, Any]) -> None:
    """Move the constraints on a property map's keys (``propertyNames``, or one ``patternProperties`` regex) into
    ``x-codegen-key-constraints``, rendered ``dict[Annotated[str, Field(...)], V]``: the engine writes
    ``constr(...)``, a call that is not a type. A component's own map is left to the engine."""
    for name, root in schemas.items():
        base = f"/components/schemas/{escape_pointer(name)}"
        for schema, where in _walk_schemas(root, base):
            names, patterns = schema.get("propertyNames"), schema.get("patternProperties")
            if where == base or "properties" in schema:
                continue
            if isinstance(names, dict) and names and set(names) <= _KEY_CONSTRAINTS and patterns is None:
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
                continue
            schema.setdefault("type", "object")
            schema[KEY_CONSTRAINTS_KEY] = lifted


def keep_enum_values(schemas: dict[str, Any]) -> None:
    """Hand the templates each enum's exact values (``x-codegen-enum``), for literals the engine did not alter."""
    for name, root in schemas.items():
        for schema, _ in _walk_schemas(root, f"/components/schemas/{escape_pointer(name)}"):
            if isinstance(schema.get("enum"), list):
                schema[ENUM_KEY] = list(schema["enum"])


def _requirement_alternative(member: Any) -> list[dict[str, str]] | None:
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
            checks = [_requirement_alternative(m) for m in alternatives]
            if all(c is not None for c in checks):
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
            schema[VALIDATORS_KEY] = validators


def _validator(given: Any, keyword_name: str, where: str, file: str | Path, **defaults: Any) -> dict[str, Any]:
    given = given or {}
    if not isinstance(given, dict):
        raise CodegenError(file, f"x-python-validators.{keyword_name} must be a mapping", where)
    method = given.get("name", f"validate_{re.sub(r'(?<!^)(?=[A-Z])', '_', keyword_name).lower()}")
    if not isinstance(method, str) or not method.isidentifier() or keyword.iskeyword(method) or method.startswith("__"):
        raise CodegenError(file, f"validator name {method!r} is not a valid method name", where)
    result = dict(defaults)
    result["name"] = method
    for key in ("docstring", "message"):
        if key in given:
            if not isinstance(given[key], str):
                raise CodegenError(file, f"x-python-validators.{keyword_name}.{key} must be a string", where)
            result[key] = given[key]
    return result


def _walk_values(node: Any, pointer: str) -> list[tuple[Any, str]]:
    """Every value under ``node`` (mappings and lists included), with its JSON pointer."""
    found: list[tuple[Any, str]] = []
    stack = [(node, pointer)]
    while stack:
        value, where = stack.pop()
        found.append((value, where))
        if isinstance(value, dict):
            stack.extend((v, f"{where}/{escape_pointer(str(k))}") for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((v, f"{where}/{i}") for i, v in enumerate(value))
    return found


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


def check_values(schemas: dict[str, Any], file: str | Path) -> None:
    """Refuse what Python code cannot hold faithfully: numbers JSON cannot write (``.inf``, ``nan``, ``1e999``),
    values that are not JSON at all (a YAML ``!!binary``, a set), negative or fractional counts (``minLength: -1``),
    and constants no ``Literal`` or ``Enum`` can hold (a ``const`` array or object, an ``enum`` of objects), which
    the engine would otherwise drop silently."""
    for name, root in schemas.items():
        base = f"/components/schemas/{escape_pointer(name)}"
        for value, where in _walk_values(root, base):
            if isinstance(value, float) and not math.isfinite(value):
                raise CodegenError(file, f"{value} is not a JSON number (infinite or NaN)", where)
            if not isinstance(value, _JSON_TYPES):
                raise CodegenError(file, f"a {type(value).__name__} is not a JSON value; quote it", where)
        for schema, where in _walk_schemas(root, base):
            for key in _NUMBER_CONSTRAINTS:
                if key in schema and not _finite_number(schema[key], key):
                    raise CodegenError(file, f"{key} must be a finite number, not {schema[key]!r}", f"{where}/{key}")
            if isinstance(schema.get("const"), (list, dict)):
                raise CodegenError(file, "a const array or object has no Python Literal form", f"{where}/const")
            enum = schema.get("enum")
            for index, member in enumerate(enum if isinstance(enum, list) else []):
                if isinstance(member, dict):
                    raise CodegenError(file, "an enum of objects has no Python Enum form", f"{where}/enum/{index}")
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


def check_defaults(spec: dict[str, Any], schemas: dict[str, Any], file: str | Path) -> None:
    """Validate every ``default`` against its own schema (``$ref``s followed); a ``default: null`` on a schema
    that is not nullable means "no default" and is dropped (the field is then optional: ``X | None = None``)."""
    version = str(spec.get("openapi", ""))
    validator_class: Any = OAS31Validator if version.startswith("3.1") else OAS30Validator
    dialect = DRAFT202012 if version.startswith("3.1") else DRAFT4
    registry: Any = None
    for name, root in schemas.items():
        for schema, where in _walk_schemas(root, f"/components/schemas/{escape_pointer(name)}"):
            if "default" not in schema:
                continue
            if schema["default"] is None:
                # Accepted where the schema says nullable, even beside a 3.0 `$ref` (whose siblings the validator
                # ignores but the engine reads); elsewhere it means "no default".
                if not _nullable(schema):
                    del schema["default"]
                continue
            if registry is None:
                registry = Registry().with_resource(
                    _SPEC_URI, Resource.from_contents(spec, default_specification=dialect)
                )
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


def plain_typed_defaults(schemas: dict[str, Any]) -> None:
    """A schema with both a ``format`` and a ``default`` drops the format: the engine would annotate the field
    ``date``/``UUID``/``AnyUrl``/``Decimal`` but write the default as the JSON string or number (``d: date =
    '2024-01-01'``), a type error whose value pydantic never converts (and GitHub's ``format: uri, default: ''``
    has no URL value at all). The field keeps the exact default; ``format`` is an annotation in JSON Schema."""
    for name, root in schemas.items():
        for schema, _ in _walk_schemas(root, f"/components/schemas/{escape_pointer(name)}"):
            if "format" in schema and schema.get("default") is not None:
                del schema["format"]


def literal_bool_number_enums(schemas: dict[str, Any]) -> None:
    """An ``enum`` that holds booleans and the numbers 0 or 1 is rendered as a ``Literal``: in a Python ``Enum``
    ``True`` is ``1``, so one member would silently alias another and validation could not tell them apart."""
    for name, root in schemas.items():
        for schema, _ in _walk_schemas(root, f"/components/schemas/{escape_pointer(name)}"):
            values = schema.get("enum")
            if not isinstance(values, list):
                continue
            flags = [v for v in values if isinstance(v, bool)]
            if flags and any(not isinstance(v, bool) and isinstance(v, (int, float)) and v in (0, 1) for v in values):
                schema[LITERAL_ENUM_KEY] = True


def _signature(schema: Any) -> Any:
    """What decides a property's Python type: its ``$ref``, or its types, format, enum and items (not its bounds)."""
    if not isinstance(schema, dict):
        return repr(schema)
    if "$ref" in schema:
        return ("ref", schema["$ref"], schema.get("nullable"))
    enum = schema.get("enum")
    return (
        tuple(sorted(schema_types(schema))),
        schema.get("format"),
        schema.get("nullable"),
        repr(enum) if enum is not None else None,
        _signature(schema.get("items")) if "items" in schema else None,
        tuple(
            sorted(k for k in ("oneOf", "anyOf", "allOf", "properties", "additionalProperties", "const") if k in schema)
        ),
    )


def _inherited_properties(schemas: dict[str, Any], schema: Any, seen: set[int]) -> tuple[dict[str, Any], list[str]]:
    """The properties and required names a schema declares itself and through its ``allOf`` members."""
    if not isinstance(schema, dict) or id(schema) in seen:
        return {}, []
    seen.add(id(schema))
    properties: dict[str, Any] = {}
    required: list[str] = []
    for member in schema.get("allOf") or []:
        target = member
        if isinstance(member, dict) and isinstance(member.get("$ref"), str):
            target = schemas.get(member["$ref"].removeprefix("#/components/schemas/"))
        more, needed = _inherited_properties(schemas, target, seen)
        properties.update(more)
        required.extend(n for n in needed if n not in required)
    declared = schema.get("properties")
    properties.update(declared if isinstance(declared, dict) else {})
    own = schema.get("required")
    required.extend(n for n in (own if isinstance(own, list) else []) if n not in required)
    return properties, required


def flatten_retyped_overrides(schemas: dict[str, Any]) -> None:
    """An ``allOf`` child that redeclares a parent's property with another type becomes one flat object.

    A subclass cannot narrow a field to an unrelated type (``size: int`` in the parent, ``size: str`` in the child
    is a type error); the flat class holds the parent's properties and the child's own declarations, which win."""
    for schema in schemas.values():
        members = schema.get("allOf")
        if not isinstance(members, list) or not any(isinstance(m, dict) and "$ref" in m for m in members):
            continue
        inherited: dict[str, Any] = {}
        for member in members:
            if isinstance(member, dict) and isinstance(member.get("$ref"), str):
                parent = schemas.get(member["$ref"].removeprefix("#/components/schemas/"))
                inherited.update(_inherited_properties(schemas, parent, {id(schema)})[0])
        own: dict[str, Any] = {}
        for member in members:
            if isinstance(member, dict) and "$ref" not in member and isinstance(member.get("properties"), dict):
                own.update(member["properties"])
        if not any(key in inherited and _signature(inherited[key]) != _signature(own[key]) for key in own):
            continue
        properties, required = _inherited_properties(schemas, schema, set())
        del schema["allOf"]
        for member in members:
            if isinstance(member, dict) and "$ref" not in member:
                for key, value in member.items():
                    if key not in ("properties", "required"):
                        schema.setdefault(key, value)
        schema["type"] = "object"
        schema["properties"] = properties
        if required:
            schema["required"] = required


def drop_unused_tag_enums(spec: dict[str, Any]) -> None:
    """A discriminated union's own copy of its tag property (``properties: {type: {$ref: PartType}}`` beside
    ``oneOf`` + ``discriminator``) is dropped, since each branch's tag becomes a ``Literal``; an enum schema that
    nothing else references is then not generated."""
    schemas: dict[str, Any] = spec["components"]["schemas"]
    candidates: set[str] = set()
    for schema in schemas.values():
        tag = schema.get("discriminator")
        properties = schema.get("properties")
        if not isinstance(tag, dict) or not isinstance(properties, dict) or "properties" in tag:
            continue
        name = tag.get("propertyName")
        branches = schema.get("oneOf") or schema.get("anyOf")
        if not isinstance(name, str) or not isinstance(branches, list) or not branches or set(properties) != {name}:
            continue
        if not all(isinstance(b, dict) and "$ref" in b for b in branches):
            continue
        ref = properties[name].get("$ref") if isinstance(properties[name], dict) else None
        del schema["properties"]
        if schema.get("required") == [name]:
            del schema["required"]
        if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
            candidates.add(ref.removeprefix("#/components/schemas/"))
    if not candidates:
        return
    used = {ref.removeprefix("#/components/schemas/") for _, ref in iter_refs(spec)}
    for name in sorted(candidates - used):
        if isinstance(schemas.get(name), dict) and "enum" in schemas[name]:
            del schemas[name]


def normalise(effective: dict[str, Any], file: str | Path) -> tuple[dict[str, Any], Plan]:
    """Return the engine's input document (component schemas only) and the rendering plan."""
    spec = copy.deepcopy(effective)
    components = spec.get("components")
    if not isinstance(components, dict) or not isinstance(components.get("schemas"), dict):
        raise CodegenError(file, "no component schemas to generate models from", "/components/schemas")
    for name, schema in components["schemas"].items():
        if not isinstance(schema, dict):
            raise CodegenError(file, "a schema must be a mapping", f"/components/schemas/{escape_pointer(name)}")
    check_values(components["schemas"], file)
    check_defaults(spec, components["schemas"], file)
    plain_typed_defaults(components["schemas"])
    literal_bool_number_enums(components["schemas"])
    name_classes(spec, file)
    drop_unused_tag_enums(spec)
    schemas = spec["components"]["schemas"]
    fold_annotation_members(schemas)
    flatten_retyped_overrides(schemas)
    patterns = name_patterns(schemas, file)
    lift_item_constraints(schemas)
    lift_key_constraints(schemas)
    keep_enum_values(schemas)
    extract_validators(schemas, file)
    info: dict[str, Any] = spec["info"] if isinstance(spec.get("info"), dict) else {}
    title = str(info.get("title") or "API")
    description = info.get("description") if isinstance(info.get("description"), str) else None
    engine_input = {
        "openapi": spec["openapi"],
        "info": {"title": title, "version": "0"},
        "paths": {},
        "components": {"schemas": schemas},
    }
    return engine_input, Plan(title=title, description=description, patterns=patterns)
