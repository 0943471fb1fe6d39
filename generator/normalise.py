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
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.documents import escape_pointer, iter_refs
from generator.errors import CodegenError, CodegenWarning
from generator.structure import classify_regex

__all__ = ["Plan", "normalise"]

_ANNOTATIONS = frozenset({"description", "title", "example", "examples", "deprecated", "readOnly", "writeOnly"})
_STRING_CONSTRAINTS = ("pattern", "minLength", "maxLength")
_NUMBER_CONSTRAINTS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf")
_SCALAR_TYPES = frozenset({"string", "integer", "number", "boolean"})
_CONSTANT = re.compile(r"^[A-Z][A-Z0-9_]*$")
_CLASS = re.compile(r"^[A-Z][A-Za-z0-9_]*$")
# Names the generated modules import; a schema class must not shadow them.
_RESERVED_CLASS_NAMES = frozenset({"BaseModel", "Field", "Enum", "IntEnum", "Any", "Annotated", "Self", "RootModel"})

_METHOD = re.compile(r"^[a-z][a-z0-9_]*$")
"""A validator method name: lower snake case, so it can never be a dunder, a private name or a class."""

# Extensions the engine passes on to the templates. They share the `x-` namespace of the input only because the
# engine hands nothing else through; an input holding any key with this prefix is refused when it is read
# (`documents.RESERVED_PREFIX`) and again here, so every value under them is one this module wrote.
RESERVED_PREFIX = "x-codegen-"
PATTERN_KEY = "x-codegen-pattern"
ITEM_CONSTRAINTS_KEY = "x-codegen-item-constraints"
VALIDATORS_KEY = "x-codegen-validators"
ENUM_KEY = "x-codegen-enum"


@dataclass
class Plan:
    """What the templates need besides the engine's models: package docstring and the named regexes."""

    title: str
    description: str | None
    patterns: dict[str, str] = field(default_factory=dict)


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
            _check_regex_engine(regex, f"{where}/pattern", file)
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


def _check_regex_engine(regex: str, where: str, file: str | Path) -> None:
    """Warn about a regex that needs Python's backtracking engine (a `CodegenWarning`, an error under
    `--strict-regex`); refuse one the Rust engine rejects for which the engine would not select Python's."""
    verdict, reason = classify_regex(regex)
    if verdict == "invalid":
        raise CodegenError(file, f"invalid regex {regex!r}: {reason}", where)
    if verdict != "python":
        return
    from datamodel_code_generator._regex_syntax import needs_python_engine  # the pinned engine's own decision

    if not needs_python_engine(regex, row="model"):
        raise CodegenError(file, f"regex {regex!r} is refused by pydantic's Rust engine: {reason}", where)
    message = (
        f"regex {regex!r} needs Python's backtracking engine (Rust's: {reason}); "
        "validation time can grow exponentially with the input"
    )
    warnings.warn(CodegenWarning(file, message, where), stacklevel=2)


def refuse_reserved_keys(schemas: dict[str, Any], file: str | Path) -> None:
    """Refuse any ``x-codegen-*`` key in the schemas: those keys carry this module's annotations only."""
    stack: list[tuple[Any, str]] = [(schemas, "/components/schemas")]
    while stack:
        node, where = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                inner = f"{where}/{escape_pointer(key)}"
                if isinstance(key, str) and key.startswith(RESERVED_PREFIX):
                    raise CodegenError(file, f"{key!r}: keys starting with {RESERVED_PREFIX!r} are reserved", inner)
                stack.append((value, inner))
        elif isinstance(node, list):
            stack.extend((value, f"{where}/{index}") for index, value in enumerate(node))


def lift_item_constraints(schemas: dict[str, Any]) -> None:
    """Move the constraints of inline scalar array items onto the array, for inline ``Annotated`` rendering."""
    for name, root in schemas.items():
        for schema, _ in _walk_schemas(root, f"/components/schemas/{name}"):
            items = schema.get("items")
            if schema.get("type") != "array" or not isinstance(items, dict) or items.get("type") not in _SCALAR_TYPES:
                continue
            if "enum" in items or "$ref" in items:
                continue
            keys = _STRING_CONSTRAINTS + _NUMBER_CONSTRAINTS
            lifted = {k: items.pop(k) for k in keys if k in items}
            if PATTERN_KEY in items:
                lifted[PATTERN_KEY] = items.pop(PATTERN_KEY)
            if lifted:
                schema[ITEM_CONSTRAINTS_KEY] = lifted


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


def normalise(effective: dict[str, Any], file: str | Path) -> tuple[dict[str, Any], Plan]:
    """Return the engine's input document (component schemas only) and the rendering plan."""
    spec = copy.deepcopy(effective)
    components = spec.get("components")
    if not isinstance(components, dict) or not isinstance(components.get("schemas"), dict):
        raise CodegenError(file, "no component schemas to generate models from", "/components/schemas")
    for name, schema in components["schemas"].items():
        if not isinstance(schema, dict):
            raise CodegenError(file, "a schema must be a mapping", f"/components/schemas/{escape_pointer(name)}")
    refuse_reserved_keys(components["schemas"], file)
    name_classes(spec, file)
    schemas = spec["components"]["schemas"]
    fold_annotation_members(schemas)
    patterns = name_patterns(schemas, file)
    lift_item_constraints(schemas)
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
