"""Normalise: the effective spec (vendor + overlay) → the document the rendering engine is given, plus a plan.

General rewrites only — nothing here knows about Workflows. Each rewrite fixes a way the engine would otherwise
misread a construct that is common in vendor specs:

* ``fold_annotation_members`` — an ``allOf`` of one inline schema and members that only annotate it (a
  description, a title) becomes that schema with the annotations; otherwise the engine emits an empty class and
  drops the real type (a string map becomes ``class Params(BaseModel): pass``).
* ``check_schema_refs``, ``check_inheritance`` — a ``$ref`` in a schema to something that is not a schema, and an
  ``allOf`` inheritance cycle, are invalid input (exit 2 naming the pointer), not a package that cannot import.
* ``drop_engine_code_keys`` — the engine's own keywords that write a spec's strings as code (``customTypePath``,
  ``x-python-type``, ``customBasePath``...) are dropped with a warning: OpenAPI gives them no meaning.
* ``hoist_operation_schemas``, ``hoist_union_members`` — inline schemas of operations, and inline union members, that
  become classes are moved into named components; left inline the engine names a union's members after the union
  itself and can make it a ``RootModel`` of itself.
* ``merge_inline_objects``, ``split_object_unions``, ``hoist_inline_classes`` — every other inline schema that the
  engine would name after something else than its place (a title, the property alone, the union twice) is merged,
  split into whole members or hoisted and named from its place, so no class name occurs twice in a package.
* ``fit_engine_extensions`` — the engine's own extensions (``x-enum-descriptions``...) that the input writes in
  another shape are brought into the engine's shape or dropped; otherwise the engine refuses the whole document.
* ``name_classes`` — component names become class names: ``x-python-class-name`` when the spec gives one, else
  the name's words joined in PascalCase; dotted names would otherwise become modules and ``from . import X as X_1``.
  Derived names that meet (``M``/``m``) are numbered; two equal given names are an error. Names are ASCII (Python
  NFKC-normalises identifiers) and never a keyword, an imported module's name or a Windows device name.
* ``protected_field_names``, ``name_enum_members`` — attribute and enum member names the engine would get wrong
  (pydantic's protected ``model_dump``, NFKC look-alikes, ``str`` methods), the wire name kept as alias or value.
* ``name_patterns`` — every regex becomes a named module constant (``x-python-pattern-name``, or a name from the
  class and property path of each place that uses it, so that additions never rename one).
* ``lift_item_constraints`` — constraints on scalar array items are rendered inline
  (``list[Annotated[str, Field(pattern=...)]]``) instead of one ``RootModel`` class per constrained item.
* ``json_values`` — a ``const`` array or object, or an ``enum`` holding one, which no ``Literal`` or ``Enum`` holds,
  becomes ``Annotated[T, _json_values.Const(...)]`` (or ``Enum``), checked with JSON equality at run time.
* ``extract_validators`` — object-level rules that no field annotation can say (``minProperties``, an ``anyOf``
  of ``required`` alternatives) become model validators, named and documented by ``x-python-validators``.
"""

from __future__ import annotations

import copy
import hashlib
import itertools
import keyword
import math
import re
import sys
import unicodedata
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.documents import escape_pointer, iter_refs
from generator.errors import CodegenError, CodegenWarning
from generator.structure import classify_regex

__all__ = [
    "SHADOWED_MODULES",
    "WINDOWS_RESERVED",
    "Names",
    "Plan",
    "check_package_name",
    "module_of",
    "normalise",
    "package_name_for",
    "project_urls",
]

_ANNOTATIONS = frozenset({"description", "title", "example", "examples", "deprecated", "readOnly", "writeOnly"})
_STRING_CONSTRAINTS = ("pattern", "minLength", "maxLength")
_NUMBER_CONSTRAINTS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf")
_SCALAR_TYPES = frozenset({"string", "integer", "number", "boolean"})
_CONSTANT = re.compile(r"^[A-Z][A-Z0-9_]*$")
_CLASS = re.compile(r"^[A-Z][A-Za-z0-9_]*$")
# Names the generated modules import; a schema class must not shadow them.
_RESERVED_CLASS_NAMES = frozenset({"BaseModel", "Field", "Enum", "IntEnum", "Any", "Annotated", "Self", "RootModel"})
SHADOWED_MODULES = frozenset(
    {"__future__", "annotated_types", "builtins", "datetime", "decimal", "email_validator", "enum", "ipaddress"}
    | {"os", "pathlib", "pydantic", "pydantic_core", "re", "sys", "typing", "typing_extensions", "uuid"}
)
"""Modules a generated module or its user imports, which no generated module (or package) may be named."""
WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul"} | {f"{port}{n}" for port in ("com", "lpt") for n in "0123456789"}
)
"""File names Windows reserves whatever their extension (compared in lower case)."""

# Keywords whose value is a count: a negative or non-integer one cannot become a pydantic constraint.
_SIZE_KEYWORDS = ("minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties")
# The Python types of JSON values (what a JSON or YAML 1.2 document can hold).
_JSON_TYPES = (str, int, float, bool, type(None), list, dict)
_SPEC_URI = "urn:nexthink-codegen:spec"


_METHOD = re.compile(r"^[a-z][a-z0-9_]*$")
"""A validator method name: lower snake case, so it can never be a dunder, a private name or a class."""

# Extensions the engine passes on to the templates. They share the `x-` namespace of the input only because the
# engine hands nothing else through; an input holding any key with this prefix is refused when it is read
# (`documents.RESERVED_PREFIX`) and again here, so every value under them is one this module wrote.
RESERVED_PREFIX = "x-codegen-"
PATTERN_KEY = "x-codegen-pattern"
ITEM_CONSTRAINTS_KEY = "x-codegen-item-constraints"
KEY_CONSTRAINTS_KEY = "x-codegen-key-constraints"
_KEY_CONSTRAINTS = frozenset({"pattern", "minLength", "maxLength"})
VALIDATORS_KEY = "x-codegen-validators"
ENUM_KEY = "x-codegen-enum"
JSON_VALUES_KEY = "x-codegen-json-values"
# The engine's own extension: this enum becomes a `Literal[...]`, not an `Enum` class.
LITERAL_ENUM_KEY = "x-enum-field-as-literal"


NO_MODELS_NOTE = "The document defines no schema that becomes a model, so this package has none."


# The keywords under which `_walk_schemas` finds subschemas: by name, one, and in a list.
_NAMED_SUBSCHEMAS = ("properties", "patternProperties")
_SINGLE_SUBSCHEMAS = ("items", "additionalProperties", "not")
_LISTED_SUBSCHEMAS = ("allOf", "anyOf", "oneOf")


@dataclass
class Names:
    """Names one generation derived, by the JSON pointer of the schema they came from in the effective spec:
    ``classes`` (inline, hoisted, numbered or suffixed class names) and ``patterns`` (regex constants). Written to the
    manifest and given back to the next generation into the same folder as its lock (``normalise``'s ``lock``)."""

    classes: dict[str, str] = field(default_factory=dict)
    patterns: dict[str, str] = field(default_factory=dict)


@dataclass
class Plan:
    """What the templates need besides the engine's models: package docstring and the named regexes."""

    title: str
    description: str | None
    patterns: dict[str, str] = field(default_factory=dict)
    field_names: dict[str, str] = field(default_factory=dict)
    """Wire name → attribute name for properties whose default attribute pydantic would warn about."""
    names: Names = field(default_factory=Names)
    """The names this generation derived, for the next one's lock (the pipeline keeps those the package defines)."""


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
    pop, push = stack.pop, stack.extend
    while stack:
        schema, where = pop()
        if not isinstance(schema, dict):
            continue
        found.append((schema, where))
        children: list[tuple[Any, str]] = []
        for key in _NAMED_SUBSCHEMAS:
            named = schema.get(key)
            if named:
                for name, sub in named.items():
                    token = (
                        name.replace("~", "~0").replace("/", "~1") if isinstance(name, str) else escape_pointer(name)
                    )
                    children.append((sub, f"{where}/{key}/{token}"))
        for key in _SINGLE_SUBSCHEMAS:
            sub = schema.get(key)
            if isinstance(sub, dict):
                children.append((sub, f"{where}/{key}"))
        for key in _LISTED_SUBSCHEMAS:
            listed = schema.get(key)
            if listed:
                children.extend((sub, f"{where}/{key}/{index}") for index, sub in enumerate(listed))
        if children:
            push(reversed(children))
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
    words = [w for w in re.split(r"[^0-9A-Za-z]+", ascii_fold(name)) if w]
    joined = "".join(w[0].upper() + w[1:] for w in words)
    if not joined:
        joined = "Model"
    if joined[0].isdigit():
        joined = f"Model{joined}"
    return joined


def _unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def _schema_roots(spec: dict[str, Any]) -> list[tuple[Any, str]]:
    """The places that hold schemas: every component schema and every ``schema`` of an operation's parameter,
    request body or response (media types, headers), with their JSON pointers."""
    roots: list[tuple[Any, str]] = []
    schemas = (spec.get("components") or {}).get("schemas")
    if isinstance(schemas, dict):
        roots += [(s, f"/components/schemas/{escape_pointer(n)}") for n, s in schemas.items()]
    stack: list[tuple[Any, str]] = [(spec.get("paths"), "/paths")]
    while stack:
        node, where = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "schema" and isinstance(value, dict):
                    roots.append((value, f"{where}/schema"))
                elif isinstance(value, (dict, list)) and key not in _DATA_KEYWORDS:
                    stack.append((value, f"{where}/{escape_pointer(key)}"))
        elif isinstance(node, list):
            stack += [(value, f"{where}/{index}") for index, value in enumerate(node)]
    return roots


_DATA_KEYWORDS = frozenset({"example", "examples", "default", "enum", "const", "x-examples"})
"""Keywords whose values are data, not schemas: a ``$ref`` key inside them is part of an example."""
_NAME_MAPS = frozenset({"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"})


def _schema_refs(schema: Any, pointer: str) -> list[tuple[str, str]]:
    """``(pointer of the $ref, target)`` for every ``$ref`` of a schema and its subschemas, skipping data
    (examples, defaults, enums, extensions); keys of ``properties`` and the like are names, never skipped."""
    found: list[tuple[str, str]] = []
    stack: list[tuple[Any, str, bool]] = [(schema, pointer, False)]
    while stack:
        node, where, names = stack.pop()
        if isinstance(node, list):
            stack += [(value, f"{where}/{index}", False) for index, value in enumerate(node)]
        elif isinstance(node, dict):
            if not names and isinstance(node.get("$ref"), str):
                found.append((f"{where}/$ref", node["$ref"]))
            for key, value in node.items():
                data = not names and (key in _DATA_KEYWORDS or key.startswith("x-"))
                if not data and isinstance(value, (dict, list)):
                    stack.append((value, f"{where}/{escape_pointer(key)}", not names and key in _NAME_MAPS))
    return found


def check_schema_refs(spec: dict[str, Any], file: str | Path) -> None:
    """Refuse a ``$ref`` inside a schema that points at something that is not a schema (``#``, ``#/info``,
    ``#/paths``): that is invalid OpenAPI, and the engine would render it as a meaningless ``RootModel[Any]``."""
    for root, pointer in _schema_roots(spec):
        for where, ref in _schema_refs(root, pointer):
            target = ref.partition("#")[2] if ref.startswith("#") else None
            if target is None:
                continue
            tokens = [_unescape(t) for t in target.lstrip("/").split("/")] if target else []
            in_components = tokens[:2] == ["components", "schemas"] and len(tokens) > 2
            if not in_components and "schema" not in tokens:
                raise CodegenError(file, f"$ref {ref!r} does not point to a schema", where)


def check_inheritance(schemas: dict[str, Any], file: str | Path) -> None:
    """Refuse ``allOf`` inheritance cycles (``A: allOf [B]``, ``B: allOf [A]``): no class can inherit from itself."""
    prefix = "#/components/schemas/"
    parents: dict[str, list[tuple[str, str]]] = {}
    for name, schema in schemas.items():
        where = f"/components/schemas/{escape_pointer(name)}"
        edges: list[tuple[str, str]] = []
        stack = [(schema, where)]
        while stack:
            node, at = stack.pop()
            members = node.get("allOf") if isinstance(node, dict) else None
            for index, member in enumerate(members if isinstance(members, list) else []):
                ref = member.get("$ref") if isinstance(member, dict) else None
                if isinstance(ref, str) and ref.startswith(prefix) and _unescape(ref[len(prefix) :]) in schemas:
                    edges.append((_unescape(ref[len(prefix) :]), f"{at}/allOf/{index}/$ref"))
                elif isinstance(member, dict):
                    stack.append((member, f"{at}/allOf/{index}"))
        parents[name] = edges
    done: set[str] = set()
    for start in parents:
        if start in done:
            continue
        path: list[str] = [start]
        pending = [iter(parents[start])]
        while pending:
            step = next(pending[-1], None)
            if step is None:
                done.add(path.pop())
                pending.pop()
                continue
            parent, where = step
            if parent in path:
                cycle = " -> ".join([*path[path.index(parent) :], parent])
                raise CodegenError(file, f"allOf inheritance cycle: {cycle}", where)
            if parent not in done:
                path.append(parent)
                pending.append(iter(parents[parent]))


_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def _is_model_schema(schema: Any) -> bool:
    """Whether an inline schema would become a class: an object with properties, a composition or an enum."""
    return (
        isinstance(schema, dict)
        and "$ref" not in schema
        and any(key in schema for key in ("properties", "allOf", "oneOf", "anyOf", "enum"))
    )


def _media_schemas(holder: Any, base: str) -> list[tuple[dict[str, Any], str, str]]:
    """``(holder of the schema, its key, name)`` for each media type schema of a request body or response."""
    content = holder.get("content") if isinstance(holder, dict) else None
    if not isinstance(content, dict):
        return []
    media = [m for m, v in content.items() if isinstance(v, dict) and _is_model_schema(_unwrap_array(v.get("schema")))]
    found = []
    for media_type in media:
        name = base if len(media) == 1 else f"{base}.{media_type.rpartition('/')[2]}"
        found.append((content[media_type], "schema", name))
    return found


def _unwrap_array(schema: Any) -> Any:
    """The item schema of an array of inline items, else the schema itself."""
    if isinstance(schema, dict) and schema.get("type") == "array" and isinstance(schema.get("items"), dict):
        return schema["items"]
    return schema


def _operation_schemas(spec: dict[str, Any]) -> list[tuple[dict[str, Any], str, str]]:
    """Inline schemas of operations and reusable components other than schemas that would become classes:
    ``(holder, key, name)``, named from the operationId (or method and path) and the role."""
    found: list[tuple[dict[str, Any], str, str]] = []

    def parameters(items: Any, base: str) -> None:
        for parameter in items if isinstance(items, list) else []:
            if isinstance(parameter, dict) and isinstance(parameter.get("name"), str):
                if _is_model_schema(_unwrap_array(parameter.get("schema"))):
                    found.append((parameter, "schema", f"{base}.{parameter.get('in', '')}.{parameter['name']}"))

    for section in ("paths", "webhooks"):
        items = spec.get(section)
        for path, item in (items or {}).items() if isinstance(items, dict) else []:
            if not isinstance(item, dict):
                continue
            parameters(item.get("parameters"), path)
            for method in _METHODS:
                operation = item.get(method)
                if not isinstance(operation, dict):
                    continue
                given = operation.get("operationId")
                base = given if isinstance(given, str) and _pascal_case(given) != "Model" else f"{method}.{path}"
                parameters(operation.get("parameters"), base)
                found += _media_schemas(operation.get("requestBody"), f"{base}.request")
                responses = operation.get("responses")
                for status, response in (responses or {}).items() if isinstance(responses, dict) else []:
                    found += _media_schemas(response, f"{base}.response.{status}")
    components: dict[str, Any] = spec["components"]

    def reusable(key: str) -> dict[str, Any]:
        value = components.get(key)
        return value if isinstance(value, dict) else {}

    for key, role in (("requestBodies", "request"), ("responses", "response")):
        for name, value in reusable(key).items():
            found += _media_schemas(value, f"{name}.{role}")
    parameters(list(reusable("parameters").values()), "parameter")
    return found


def hoist_operation_schemas(spec: dict[str, Any]) -> None:
    """Move inline schemas of operations that would become classes (request bodies, responses, parameters) into
    component schemas, so a document that declares its models only inline still gets them."""
    schemas: dict[str, Any] = spec.setdefault("components", {}).setdefault("schemas", {})
    for place, place_key, place_name in _operation_schemas(spec):
        target = place[place_key]
        array = _unwrap_array(target) is not target
        holder, key = (target, "items") if array else (place, place_key)
        base = f"{place_name}.item" if array else place_name
        name, number = base, 2
        while name in schemas:
            name, number = f"{base}{number}", number + 1
        schemas[name] = holder[key]
        holder[key] = {"$ref": f"#/components/schemas/{escape_pointer(name)}"}


PROTECTED_PREFIXES = ("model_validate", "model_dump")
"""pydantic's protected namespaces: a field whose name starts with one warns on every import."""


def ascii_fold(name: str) -> str:
    """``name`` in ASCII: NFKC (as Python reads identifiers), accents dropped, other characters replaced by ``_``."""
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", name)).encode("ascii", "ignore").decode()
    return re.sub(r"\W", "_", folded).strip("_")


def ascii_identifier(name: str) -> str:
    """``name`` as an ASCII identifier (``ascii_fold``); empty or digit-led results are prefixed with ``field_``."""
    text = ascii_fold(name)
    return text if text and not text[0].isdigit() else f"field_{text}".rstrip("_")


def _attribute_for(prop: str) -> str | None:
    """The attribute a property needs instead of the engine's, or None when the engine's is fine: names in
    pydantic's protected namespace, and non-ASCII names (Python NFKC-normalises identifiers, so ``eﬁle`` would be
    ``efile`` and two properties could become one attribute)."""
    if not prop.isascii():
        attribute = ascii_identifier(prop)
        return (
            f"field_{attribute}" if attribute.startswith(("model_", "_")) or keyword.iskeyword(attribute) else attribute
        )
    attribute = re.sub(r"\W", "_", prop.lower())
    return f"field_{attribute}" if attribute.startswith(PROTECTED_PREFIXES) else None


def protected_field_names(schemas: dict[str, Any]) -> dict[str, str]:
    """``{wire name: attribute name}`` for properties whose default attribute would not work (``_attribute_for``):
    ``model_dump`` → ``field_model_dump``, ``eﬁle`` → ``efile``; the wire name stays the alias. Attribute names are
    unique across the document: numbered when two wire names (``model_dump``, ``Model-Dump``) would share one,
    the plainer wire name first."""
    wire: set[str] = set()
    for name, root in schemas.items():
        for schema, _ in _walk_schemas(root, f"/components/schemas/{escape_pointer(name)}"):
            properties = schema.get("properties")
            wire.update(p for p in (properties if isinstance(properties, dict) else {}) if isinstance(p, str))
    names: dict[str, str] = {}
    taken = set(wire)
    for prop in sorted(wire, key=lambda p: (not p.isascii(), re.sub(r"\W", "_", p) != p, p)):
        base = _attribute_for(prop)
        if base is None:
            continue
        candidate, number = base, 2
        while candidate in taken:
            candidate, number = f"{base}_{number}", number + 1
        taken.add(candidate)
        names[prop] = candidate
    return names


def _becomes_class(member: Any) -> bool:
    """Whether an inline ``oneOf``/``anyOf`` member would become a class of its own (an object with properties or
    an ``allOf``), as opposed to a type written inline or a ``required`` alternative that becomes a validator."""
    return (
        isinstance(member, dict)
        and "$ref" not in member
        and ("properties" in member or "allOf" in member)
        and _requirement_alternative(member) is None
    )


def _member_name(pointer: str, member: dict[str, Any], index: int) -> str:
    """``<component>.<property>...<title or optionN>``: the words of the member's place, for ``name_classes``."""
    tokens = [t.replace("~1", "/").replace("~0", "~") for t in pointer.split("/")[3:]]
    words = [tokens[0]] + [t for before, t in itertools.pairwise(tokens) if before == "properties"]
    title = member.get("title")
    words.append(title if isinstance(title, str) and _pascal_case(title) != "Model" else f"option{index + 1}")
    return ".".join(words)


def hoist_union_members(schemas: dict[str, Any]) -> None:
    """Move inline ``oneOf``/``anyOf`` members that become classes into components of their own.

    Left inline, the engine names every such member after its parent, each in a module of its own, and the union
    can end up referring to itself (``RootModel["OrgRulesetConditions"]`` for a union of three). A hoisted member
    is named from its place: the component, the properties on the way, and its ``title`` or its position."""
    queue = list(schemas)
    while queue:
        parent = queue.pop(0)
        for schema, where in _walk_schemas(schemas[parent], f"/components/schemas/{escape_pointer(parent)}"):
            for key in ("oneOf", "anyOf"):
                members = schema.get(key)
                if not isinstance(members, list):
                    continue
                for index, member in enumerate(members):
                    if not _becomes_class(member):
                        continue
                    base = name = _member_name(f"{where}/{key}/{index}", member, index)
                    number = 2
                    while name in schemas:
                        name, number = f"{base}{number}", number + 1
                    schemas[name] = member
                    members[index] = {"$ref": f"#/components/schemas/{escape_pointer(name)}"}
                    queue.append(name)


def _inherits(schema: Any) -> bool:
    """Whether an inline schema becomes a subclass: an ``allOf`` of two or more members, one of them a ``$ref``."""
    members = schema.get("allOf") if isinstance(schema, dict) else None
    return (
        isinstance(members, list)
        and len(members) >= 2
        and "$ref" not in schema
        and any(isinstance(m, dict) and "$ref" in m for m in members)
    )


def hoist_inherited_properties(schemas: dict[str, Any]) -> None:
    """Move inline property schemas that become subclasses (an ``allOf`` over ``$ref``s) into components of their own.

    The engine names such a class after the property alone, whatever its parent: six responses each with a
    ``links: {allOf: [LinksSelf, LinksPagination]}`` become six classes all named ``Links``, in six modules. A
    hoisted schema is named from its place: the component and the properties on the way (``Response.links``)."""
    queue = list(schemas)
    while queue:
        parent = queue.pop(0)
        for schema, where in _walk_schemas(schemas[parent], f"/components/schemas/{escape_pointer(parent)}"):
            properties = schema.get("properties")
            if not isinstance(properties, dict):
                continue
            for prop, sub in properties.items():
                holder, key, place = properties, prop, f"{where}/properties/{escape_pointer(prop)}"
                if isinstance(sub, dict) and isinstance(sub.get("items"), dict) and not _inherits(sub):
                    holder, key, place = sub, "items", f"{place}/items"
                if not _inherits(holder[key]):
                    continue
                tokens = [_unescape(t) for t in place.split("/")[3:]]
                words = [tokens[0]] + [t for before, t in itertools.pairwise(tokens) if before == "properties"]
                base = name = ".".join(words) + (".item" if key == "items" else "")
                number = 2
                while name in schemas:
                    name, number = f"{base}{number}", number + 1
                schemas[name] = holder[key]
                holder[key] = {"$ref": f"#/components/schemas/{escape_pointer(name)}"}
                queue.append(name)


def _place_words(place: str) -> list[str]:
    """The words of an inline schema's place: the component, then the properties on the way."""
    tokens = [_unescape(t) for t in place.split("/")[3:]]
    return [tokens[0]] + [t for before, t in itertools.pairwise(tokens) if before == "properties"]


_CONSTRAINTS = frozenset(
    {
        "enum",
        "pattern",
        "minLength",
        "maxLength",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
        "minItems",
        "maxItems",
        "uniqueItems",
    }
)
"""Keywords that make the engine write an inline union member as a class of its own (an enum, a constrained type)."""


def _is_constrained_member(schema: Any) -> bool:
    """Whether an inline union member is an enum or a constrained type, which the engine names after the union."""
    return (
        isinstance(schema, dict)
        and not {"$ref", "properties", "allOf", "oneOf", "anyOf"} & set(schema)
        and bool(_CONSTRAINTS & set(schema))
    )


_OBJECT_KEYWORDS = frozenset(
    {"type", "properties", "required", "additionalProperties", "patternProperties", "minProperties", "maxProperties"}
)
"""What an object schema says about its own fields: copied into each member when its union is split."""


def _splits(schema: dict[str, Any], key: str) -> bool:
    """Whether ``schema`` declares properties and a ``oneOf``/``anyOf`` of inline members the engine would merge
    with them into classes all named after the schema twice (``ChecksUpdateRequestChecksUpdateRequest``): every
    member inline, no discriminator, and not an ``anyOf`` of ``required`` alternatives (a validator instead)."""
    members = schema.get(key)
    if not isinstance(schema.get("properties"), dict) or not isinstance(members, list) or not members:
        return False
    if "discriminator" in schema or not all(isinstance(m, dict) and "$ref" not in m for m in members):
        return False
    if key == "anyOf":
        checks = [_requirement_alternative(m) for m in members]
        known = all(c["field"] in schema["properties"] for group in checks if group for c in group)
        if all(c is not None for c in checks) and known:
            return False
    return True


def _merged_member(schema: dict[str, Any], member: dict[str, Any]) -> dict[str, Any]:
    """One member of a split union: the parent's fields with the member's: its properties narrow the parent's
    (both apply: keywords merged, or an ``allOf`` when the parent's is a ``$ref``), its ``required`` add up."""
    merged = copy.deepcopy({k: v for k, v in schema.items() if k in _OBJECT_KEYWORDS})
    merged.setdefault("type", "object")
    for keyword_name, value in copy.deepcopy(member).items():
        if keyword_name == "properties" and isinstance(value, dict):
            properties = merged.setdefault("properties", {})
            for prop, sub in value.items():
                given = properties.get(prop)
                if isinstance(given, dict) and isinstance(sub, dict):
                    properties[prop] = {"allOf": [given, sub]} if "$ref" in given else {**given, **sub}
                else:
                    properties[prop] = sub
        elif keyword_name == "required" and isinstance(value, list):
            required = merged.setdefault("required", [])
            required += [r for r in value if r not in required]
        else:
            merged[keyword_name] = value
    return merged


def split_object_unions(schemas: dict[str, Any]) -> None:
    """Rewrite an object with properties and a ``oneOf``/``anyOf`` of inline members (``_splits``) as a union of
    whole members, each the parent's fields with its own; ``hoist_union_members`` then names each from its place
    (``ChecksUpdateRequestOption1``). The union keeps the parent's annotations."""
    for name, root in schemas.items():
        pending = True
        while pending:  # walked again after each split: the members' copies of the parent's fields are new schemas
            pending = False
            for schema, _ in _walk_schemas(root, f"/components/schemas/{escape_pointer(name)}"):
                key = next((k for k in ("oneOf", "anyOf") if _splits(schema, k)), None)
                if key is None:
                    continue
                schema[key] = [_merged_member(schema, member) for member in schema[key]]
                for keyword_name in _OBJECT_KEYWORDS:
                    schema.pop(keyword_name, None)
                pending = True
                break


def _deep_merge(first: Any, second: Any) -> Any:
    """Two schemas that must both hold, as one: mappings merged key by key (recursively), ``required`` lists
    joined, any other value of the second winning; two different schemas of which one is a ``$ref`` stay both, as
    an ``allOf`` (a ``$ref`` with other keywords beside it would lose them)."""
    if not (isinstance(first, dict) and isinstance(second, dict)):
        return copy.deepcopy(second)
    if ("$ref" in first or "$ref" in second) and first != second:
        return {"allOf": [copy.deepcopy(first), copy.deepcopy(second)]}
    merged = copy.deepcopy(first)
    for key, value in second.items():
        if key == "required" and isinstance(merged.get(key), list) and isinstance(value, list):
            merged[key] = merged[key] + [r for r in value if r not in merged[key]]
        elif key in merged and isinstance(merged[key], dict) and isinstance(value, dict):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def _plain_object(schema: Any) -> bool:
    """An inline object schema without compositions or references anywhere at its top level."""
    return (
        isinstance(schema, dict)
        and isinstance(schema.get("properties"), dict)
        and not {"$ref", "allOf", "oneOf", "anyOf", "discriminator"} & set(schema)
    )


def merge_inline_objects(schemas: dict[str, Any]) -> None:
    """Merge an ``allOf`` of plain inline objects (``_plain_object``) into one object.

    The engine makes such members base classes named by their ``title`` (GitHub's webhook ``Issue`` in many modules)
    and, where two members declare one property differently, merges them into new classes named after the property
    (``IssueAssignee`` for both ``assignee`` and the items of ``assignees``); an ``allOf`` of one such object (a
    nullable ``author`` in GitHub's dereferenced description) becomes a class named after the property alone
    (``Author`` eleven times). Merged here, every nested schema has one
    place, and so one name. The schema's own keywords win over its members'."""
    for name, root in schemas.items():
        for schema, _ in _walk_schemas(root, f"/components/schemas/{escape_pointer(name)}"):
            members = schema.get("allOf")
            if not isinstance(members, list) or not members or "properties" in schema:
                continue
            if not all(_plain_object(m) for m in members):
                continue
            merged: Any = {}
            for member in members:
                merged = _deep_merge(merged, member)
            del schema["allOf"]
            for key, value in merged.items():
                if key == "required" and isinstance(schema.get(key), list):
                    schema[key] = schema[key] + [r for r in value if r not in schema[key]]
                else:
                    schema.setdefault(key, value)


def _is_inline_intersection(schema: Any) -> bool:
    """An ``allOf`` of two or more inline members that say something (not only annotations) and no ``$ref``: the
    engine writes it as a class named after the property alone (readme.com's ``label``, ``slug``)."""
    members = schema.get("allOf") if isinstance(schema, dict) and "$ref" not in schema else None
    return (
        isinstance(members, list)
        and not any(isinstance(m, dict) and "$ref" in m for m in members)
        and sum(1 for m in members if isinstance(m, dict) and not _is_annotation_only(m)) >= 2
    )


def _class_name_of(name: str, schema: Any) -> str:
    """The class name a component will get (before ``name_classes`` numbers any collision)."""
    given = schema.get("x-python-class-name") if isinstance(schema, dict) else None
    return given if isinstance(given, str) else _pascal_case(name)


def _inline_classes(schema: dict[str, Any], where: str, classes: dict[str, str]) -> list[tuple[Any, Any, str, str]]:
    """``(holder, key, place, name)`` for each inline schema directly under ``schema`` that the engine would name
    from something else than its place, so that two of them could get one class name:

    * inline enums and constrained types among ``oneOf``/``anyOf`` members: each named after the union
      (``BudgetBudgetType`` twice, ``IdentIdent`` for each pattern of a path parameter);
    * inline objects as the items of an array among union members: named after the union twice;
    * inline objects as the items of an array property: named after the property in the singular, which is the
      name of a sibling property (``assignees`` items and ``assignee`` both ``IssueAssignee``);
    * a property (or its items) that is an ``allOf`` of inline members (``_is_inline_intersection``);
    * an inline object or enum property, or the inline object or enum values of a map property, whose name after
      its parent's is the class name of a component (``classes``: component → class name): the engine would give
      both one class name (``code-scanning-variant-analysis.status`` and ``code-scanning-variant-analysis-status``),
      while ``name_classes`` numbers them."""
    found: list[tuple[Any, Any, str, str]] = []
    for key in ("oneOf", "anyOf"):
        members = schema.get(key)
        for index, member in enumerate(members if isinstance(members, list) else []):
            place = f"{where}/{key}/{index}"
            if _is_constrained_member(member):
                found.append((members, index, place, _member_name(place, member, index)))
            items = member.get("items") if isinstance(member, dict) and "$ref" not in member else None
            if isinstance(items, dict) and "$ref" not in items and "properties" in items:
                found.append((member, "items", f"{place}/items", f"{_member_name(place, member, index)}.item"))
    properties = schema.get("properties")
    for prop, sub in properties.items() if isinstance(properties, dict) else []:
        place = f"{where}/properties/{escape_pointer(prop)}"
        words = _place_words(place)
        engine_name = classes.get(words[0], "") + "".join(_pascal_case(w) for w in words[1:])
        becomes_class = isinstance(sub, dict) and "$ref" not in sub and ("properties" in sub or "enum" in sub)
        if _is_inline_intersection(sub) or (becomes_class and engine_name in classes.values()):
            found.append((properties, prop, place, ".".join(words)))
            continue
        values = sub.get("additionalProperties") if isinstance(sub, dict) and "$ref" not in sub else None
        named = isinstance(values, dict) and "$ref" not in values and ("properties" in values or "enum" in values)
        if named and "properties" not in sub and engine_name in classes.values():
            found.append((sub, "additionalProperties", f"{place}/additionalProperties", ".".join([*words, "value"])))
            continue
        items = sub.get("items") if isinstance(sub, dict) and "$ref" not in sub else None
        if _is_inline_intersection(items):
            found.append((sub, "items", f"{place}/items", ".".join([*_place_words(place), "item"])))
            continue
        if isinstance(items, dict) and "$ref" not in items and "properties" in items and not _inherits(items):
            place = f"{where}/properties/{escape_pointer(prop)}/items"
            found.append((sub, "items", place, ".".join([*_place_words(place), "item"])))
    return found


def hoist_inline_classes(schemas: dict[str, Any]) -> None:
    """Move inline schemas that the engine would name after something else than their place (``_inline_classes``)
    into components of their own, named from their place, so that every class name is unique in the package and
    does not depend on other schemas of the document."""
    queue = list(schemas)
    classes = {name: _class_name_of(name, schema) for name, schema in schemas.items()}
    while queue:
        parent = queue.pop(0)
        moved: list[str] = []
        for schema, where in _walk_schemas(schemas[parent], f"/components/schemas/{escape_pointer(parent)}"):
            if any(where.startswith(f"{place}/") or where == place for place in moved):
                continue
            for holder, key, place, base in _inline_classes(schema, where, classes):
                name, number = base, 2
                while name in schemas:
                    name, number = f"{base}{number}", number + 1
                classes[name] = _pascal_case(name)
                schemas[name] = holder[key]
                holder[key] = {"$ref": f"#/components/schemas/{escape_pointer(name)}"}
                moved.append(place)
                queue.append(name)


def hoist_colliding_properties(schemas: dict[str, Any]) -> None:
    """Hoist inline object and enum properties whose class names the engine would derive alike from two places
    (``issue.type`` and ``issue_type`` both ``...IssueType``), every one of them, named from its place; ``name_classes``
    then numbers them in the order of their places, the same whatever else the document holds."""
    classes = {name: _class_name_of(name, schema) for name, schema in schemas.items()}
    groups: dict[str, list[tuple[Any, str, str]]] = {}
    for root in list(schemas):
        for schema, where in _walk_schemas(schemas[root], f"/components/schemas/{escape_pointer(root)}"):
            properties = schema.get("properties")
            for prop, sub in properties.items() if isinstance(properties, dict) else []:
                if not (isinstance(sub, dict) and "$ref" not in sub and ("properties" in sub or "enum" in sub)):
                    continue
                words = _place_words(f"{where}/properties/{escape_pointer(prop)}")
                engine_name = classes[root] + "".join(_pascal_case(w) for w in words[1:])
                groups.setdefault(engine_name, []).append((properties, prop, ".".join(words)))
    for places in groups.values():
        if len(places) < 2:
            continue
        for holder, prop, base in places:
            name, number = base, 2
            while name in schemas:
                name, number = f"{base}{number}", number + 1
            schemas[name] = holder[prop]
            holder[prop] = {"$ref": f"#/components/schemas/{escape_pointer(name)}"}


_ENGINE_ENUM_LISTS = ("x-enum-varnames", "x-enum-descriptions", "x-enumNames")
"""The engine's own extensions that it reads as one entry (a string or null) per ``enum`` value."""
_ENGINE_CODE_KEYS = frozenset(
    {
        "customTypePath",
        "customBasePath",
        "x-python-type",
        "x-python-import",
        "x-is-base-class",
        "x-is-classvar",
        "x-python-unserializable",
        "x-python-union-branch",
        "x-propertyNames",
    }
)
"""Keywords only the engine reads, whose values it writes as code (a type, an import path, a base class) or that
change what a field or class is (a ``ClassVar``, a base class, a map's key pattern it escapes its own way): OpenAPI
gives them no meaning and a spec's strings never become code, so they are dropped."""


def drop_engine_code_keys(spec: dict[str, Any], file: str | Path) -> None:
    """Remove the engine's code-writing keywords (``_ENGINE_CODE_KEYS``) from every schema of the document, with
    one warning naming the first place: OpenAPI gives them no meaning, so ignoring them is what the spec says,
    while the engine would import and subclass whatever module path they name."""
    dropped: list[str] = []
    for root, pointer in _schema_roots(spec):
        stack: list[tuple[Any, str, bool]] = [(root, pointer, False)]
        while stack:
            node, where, names = stack.pop()
            if isinstance(node, list):
                stack += [(value, f"{where}/{index}", False) for index, value in enumerate(node)]
            elif isinstance(node, dict):
                if not names:
                    for key in _ENGINE_CODE_KEYS.intersection(node):
                        dropped.append(f"{where}/{escape_pointer(key)}")
                        del node[key]
                for key, value in node.items():
                    data = not names and (key in _DATA_KEYWORDS or key.startswith("x-"))
                    if not data and isinstance(value, (dict, list)):
                        stack.append((value, f"{where}/{escape_pointer(key)}", not names and key in _NAME_MAPS))
    if dropped:
        first = min(dropped)
        more = f" (and {len(dropped) - 1} more)" if len(dropped) > 1 else ""
        message = (
            f"{first.rsplit('/', 1)[1]} ignored{more}: only datamodel-code-generator reads it, "
            "and it would write the value as code or retype the schema"
        )
        warnings.warn(CodegenWarning(file, message, first.rsplit("/", 1)[0]), stacklevel=2)


def fit_engine_extensions(schemas: dict[str, Any]) -> None:
    """Bring the engine's own extensions into the shape it reads, or drop them, wherever the input uses them
    differently: the engine refuses the whole document on one schema whose extension has another shape.

    Scalar writes ``x-enum-descriptions`` as an object (enum value → text); the engine wants a list with one entry
    per value, so an object becomes that list (``None`` for a value it does not describe). Any other shape is
    dropped: the extension only adds names or documentation the engine can do without."""
    for name, root in schemas.items():
        for schema, _ in _walk_schemas(root, f"/components/schemas/{escape_pointer(name)}"):
            values = schema.get("enum")
            for key in _ENGINE_ENUM_LISTS:
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


_STEM = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def module_of(class_name: str) -> str:
    """The module the engine writes a class into: its name in snake case."""
    return _STEM.sub("_", class_name).lower()


def _needs_suffix(class_name: str) -> bool:
    """Whether a class name or its module would be a keyword, shadow a name or module the generated code imports,
    or be a file name Windows reserves."""
    module = module_of(class_name)
    return (
        keyword.iskeyword(class_name)
        or keyword.iskeyword(module)
        or class_name in _RESERVED_CLASS_NAMES
        or module in SHADOWED_MODULES
        or module in WINDOWS_RESERVED
    )


def _claim(base: str, taken: set[str]) -> str:
    """``base``, or ``base`` numbered from 2 up, whichever is first free (compared by module name, since two
    classes whose modules differ only in case would be one file on a case-insensitive file system)."""
    candidate, number = base, 2
    while module_of(candidate) in taken:
        candidate, number = f"{base}{number}", number + 1
    taken.add(module_of(candidate))
    return candidate


def check_package_name(name: str) -> None:
    """Refuse a package name that is not a plain ASCII identifier, is a keyword (``class``, ``None``), would shadow
    a module the generated code imports (``typing``, ``pydantic``) or is a file name Windows reserves."""
    problem = (
        "is not a valid Python package name"
        if not (name.isascii() and name.isidentifier()) or keyword.iskeyword(name)
        else "would shadow a module the generated code imports"
        if name in SHADOWED_MODULES or name in sys.stdlib_module_names
        else "is a file name Windows reserves"
        if name.lower() in WINDOWS_RESERVED
        else None
    )
    if problem:
        raise CodegenError("--package", f"{name!r} {problem}")


_URL = re.compile(r"^https?://[^\s\"'\\<>]+$")
PROJECT_URLS_KEY = "x-python-project-urls"


def package_name_for(spec: dict[str, Any]) -> str:
    """The default package name: the words of ``info.title`` in snake case (``Nexthink Workflows`` →
    ``nexthink_workflows``), ``models`` when there are none; suffixed ``_models`` where the name would be refused."""
    info: dict[str, Any] = spec["info"] if isinstance(spec.get("info"), dict) else {}
    title = re.sub("['\u2019]", "", str(info.get("title") or ""))  # GitHub's → githubs, not github_s
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", title)).encode("ascii", "ignore").decode()
    words = [w.lower() for w in re.split(r"[^0-9A-Za-z]+", folded) if w]
    name = "_".join(words) or "models"
    name = f"models_{name}" if name[0].isdigit() else name
    try:
        check_package_name(name)
    except CodegenError:
        name = f"{name}_models"
    return name


def project_urls(spec: dict[str, Any], file: str | Path) -> dict[str, str]:
    """The distribution's project URLs (label → URL): ``info.x-python-project-urls`` when the spec (or its
    overlay) gives them, else ``externalDocs.url`` as ``Documentation``, else none. Only http(s) URLs."""
    info: dict[str, Any] = spec["info"] if isinstance(spec.get("info"), dict) else {}
    given = info.get(PROJECT_URLS_KEY)
    if given is not None:
        where = f"/info/{PROJECT_URLS_KEY}"
        if not isinstance(given, dict) or not all(isinstance(k, str) and k.isprintable() for k in given):
            raise CodegenError(file, "project URLs must map a label to a URL", where)
        for label, url in given.items():
            if not isinstance(url, str) or not _URL.match(url):
                raise CodegenError(file, "a project URL must be an http(s) URL", f"{where}/{escape_pointer(label)}")
        return dict(given)
    docs = spec.get("externalDocs")
    url = docs.get("url") if isinstance(docs, dict) else None
    return {"Documentation": url} if isinstance(url, str) and _URL.match(url) else {}


Origins = dict[int, tuple[Any, str]]
"""``id`` of a schema mapping → (the mapping, kept alive so the id stays its own; its pointer in the effective spec)."""


def schema_origins(spec: dict[str, Any]) -> Origins:
    """Every mapping of the document (outside data keywords such as ``example``) with its JSON pointer, the first
    place it is met: the hoisting steps move mappings, not copies, so a class's schema still tells where it came
    from when it is named."""
    found: Origins = {}
    stack: list[tuple[Any, str]] = [(spec, "")]
    while stack:
        node, where = stack.pop()
        if isinstance(node, dict):
            if id(node) in found:
                continue
            found[id(node)] = (node, where)
            for key, value in node.items():
                if isinstance(value, (dict, list)) and key not in _DATA_KEYWORDS:
                    stack.append((value, f"{where}/{escape_pointer(key)}"))
        elif isinstance(node, list):
            stack += [(item, f"{where}/{index}") for index, item in enumerate(node) if isinstance(item, (dict, list))]
    return found


def add_component_origins(schemas: dict[str, Any], origins: Origins) -> None:
    """Give the schemas an earlier rewrite created (the members of a split union) the pointer of their place under
    the component's own origin."""
    for name, root in schemas.items():
        base = origins.get(id(root), (None, f"/components/schemas/{escape_pointer(name)}"))[1]
        for schema, where in _walk_schemas(root, base):
            found = origins.get(id(schema))
            if found is None or found[0] is not schema:
                origins[id(schema)] = (schema, where)


def _origin(schema: Any, origins: Origins | None) -> str | None:
    found = origins.get(id(schema)) if origins is not None else None
    return found[1] if found is not None and found[0] is schema else None


def _unique_origins(schemas: dict[str, Any], origins: Origins | None) -> dict[str, str]:
    """Component name → origin pointer, for the components whose origin no other component shares."""
    pointers = {name: _origin(schema, origins) for name, schema in schemas.items()}
    counts: dict[str | None, int] = {}
    for pointer in pointers.values():
        counts[pointer] = counts.get(pointer, 0) + 1
    return {name: pointer for name, pointer in pointers.items() if pointer is not None and counts[pointer] == 1}


def name_classes(
    spec: dict[str, Any], file: str | Path, lock: dict[str, str] | None = None, origins: Origins | None = None
) -> dict[str, str]:
    """Rename component schemas to their class names and rewrite every ``$ref`` to match; return the derived names
    (``{origin pointer: class name}`` of every component whose class name is not its own name).

    Names given by ``x-python-class-name`` are claimed first, and two equal given names are an error. Then the
    names of ``lock`` (the previous generation's derived names, by origin pointer) for the components that still
    come from those pointers, when valid and free, so that a schema added later never takes a name an existing
    class had. Derived names that collide (``InputMessage`` and ``input.Message``, ``M`` and ``m``) are numbered
    from 2: the schema whose name already is its class name keeps it, the others follow in the order of their
    names in the spec."""
    schemas: dict[str, Any] = spec["components"]["schemas"]
    renamed: dict[str, str] = {}
    wanted: dict[str, str] = {}
    owner: dict[str, str] = {}
    taken: set[str] = set()
    pointers = _unique_origins(schemas, origins)
    for name, schema in schemas.items():
        pointer = f"/components/schemas/{escape_pointer(name)}"
        given = schema.get("x-python-class-name") if isinstance(schema, dict) else None
        if given is None:
            class_name = _pascal_case(name)
            wanted[name] = f"{class_name}Model" if _needs_suffix(class_name) else class_name
            continue
        if not isinstance(given, str) or not _CLASS.match(given) or keyword.iskeyword(given):
            raise CodegenError(file, f"x-python-class-name {given!r} is not a valid Python class name", pointer)
        given = f"{given}Model" if _needs_suffix(given) else given
        if module_of(given) in owner:
            raise CodegenError(
                file, f"schemas {owner[module_of(given)]!r} and {name!r} both become class {given!r}", pointer
            )
        owner[module_of(given)] = name
        taken.add(module_of(given))
        renamed[name] = given
    for name in wanted:
        locked = (lock or {}).get(pointers.get(name, ""))
        if locked is not None and _valid_class_name(locked) and module_of(locked) not in taken:
            taken.add(module_of(locked))
            renamed[name] = locked
    for name in sorted((n for n in wanted if n not in renamed), key=lambda n: (n != wanted[n], n)):
        renamed[name] = _claim(wanted[name], taken)
    spec["components"]["schemas"] = {renamed[n]: s for n, s in schemas.items()}
    old_to_new = {f"#/components/schemas/{escape_pointer(o)}": f"#/components/schemas/{n}" for o, n in renamed.items()}
    for where, ref in list(iter_refs(spec)):
        if ref in old_to_new:
            holder: Any = spec
            for raw in where.lstrip("/").split("/")[:-1]:
                token = raw.replace("~1", "/").replace("~0", "~")
                holder = holder[int(token)] if isinstance(holder, list) else holder[token]
            holder["$ref"] = old_to_new[ref]
    return {pointers[n]: renamed[n] for n in wanted if n in pointers and renamed[n] != n}


_DERIVED_CLASS = re.compile(r"^[A-Z][A-Za-z0-9]*$")
"""The shape of every derived class name (words joined in PascalCase, maybe numbered): never an underscore."""
_DERIVED_PATTERN = re.compile(r"^[A-Z][A-Z0-9_]*_PATTERN(_[0-9A-F]{8})?$")
"""The shape of every derived regex constant: ``<PLACE>_PATTERN``, maybe with a digest of its regex."""


def _valid_class_name(name: str) -> bool:
    """Whether a recorded class name may be used as it is: a derived class name's shape, and no suffix needed."""
    return name.isascii() and bool(_DERIVED_CLASS.match(name)) and not _needs_suffix(name)


def engine_named_classes(schemas: dict[str, Any], origins: Origins | None) -> dict[str, str]:
    """``{origin pointer: class name}`` the engine will give the inline object and enum properties it names itself
    (its parent-scoped naming: the parent's class name and the property's words, ``Job`` + ``status`` →
    ``JobStatus``), for properties reached from a component through ``properties`` only. A name predicted twice, or
    equal to a component's class name, is left out; the pipeline keeps only those the package really defines."""
    found: dict[str, str] = {}
    for name, root in schemas.items():
        for schema, where in _walk_schemas(root, f"/components/schemas/{escape_pointer(name)}"):
            tokens = where.split("/")[4:]
            if tokens[-1:] == ["additionalProperties"]:  # the values of a map property: named after the property
                tokens = tokens[:-1]
            inline = isinstance(schema, dict) and "$ref" not in schema and ("properties" in schema or "enum" in schema)
            if not tokens or not inline or len(tokens) % 2 or any(t != "properties" for t in tokens[::2]):
                continue
            pointer = _origin(schema, origins)
            if pointer is not None:
                found[pointer] = name + "".join(_pascal_case(_unescape(t)) for t in tokens[1::2])
    counts: dict[str, int] = {}
    for class_name in found.values():
        counts[class_name] = counts.get(class_name, 0) + 1
    return {p: n for p, n in found.items() if counts[n] == 1 and n not in schemas and _valid_class_name(n)}


def _derived_pattern_name(pointer: str) -> str:
    """``<SCHEMA>_<PROPERTY>..._PATTERN``: the class and the properties on the way to the schema holding the regex."""
    tokens = [_unescape(t) for t in pointer.split("/")[3:]]
    words = [tokens[0]] + [t for before, t in itertools.pairwise(tokens) if before == "properties"]
    snake = "_".join(_STEM.sub("_", ascii_identifier(word)) for word in words)
    name = "_".join(w for w in re.split(r"[^0-9A-Za-z]+", snake) if w).upper() or "VALUE"
    return f"{'P_' if name[0].isdigit() else ''}{name}_PATTERN"


def name_patterns(
    schemas: dict[str, Any], file: str | Path, lock: dict[str, str] | None = None, origins: Origins | None = None
) -> tuple[dict[str, str], dict[str, str]]:
    """Give every regex a constant name (``x-codegen-pattern``); return ``{name: regex}`` sorted by name, and the
    derived names (``{origin pointer: name}``).

    A regex named by ``x-python-pattern-name`` uses that name wherever it occurs. Any other occurrence gets the name
    ``lock`` (the previous generation's derived names) gives its origin pointer, when valid and still free; else a
    name from its own place (class and property path: ``MACHINE_PARENT_ID_PATTERN``), so adding schemas or
    properties never renames an existing constant. Two different regexes that want one name (rare: only names that
    meet after sanitising) are both suffixed with a digest of their regex, which does not depend on their order."""
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
    derived: dict[str, str] = {}
    claimed: set[int] = set()
    for schema, _ in pending:
        pointer = _origin(schema, origins)
        locked = (lock or {}).get(pointer or "")
        regex = schema["pattern"]
        if pointer is None or locked is None or regex in by_regex or not _DERIVED_PATTERN.match(locked):
            continue
        if by_name.get(locked, regex) != regex:
            continue
        by_name[locked] = regex
        schema[PATTERN_KEY] = derived[pointer] = locked
        claimed.add(id(schema))
    wanted: dict[str, set[str]] = {}
    for schema, where in pending:
        if schema["pattern"] not in by_regex and id(schema) not in claimed:
            wanted.setdefault(_derived_pattern_name(where), set()).add(schema["pattern"])
    for schema, where in pending:
        regex = schema["pattern"]
        if regex in by_regex:
            schema[PATTERN_KEY] = by_regex[regex]
            continue
        if id(schema) in claimed:
            continue
        name = _derived_pattern_name(where)
        if len(wanted[name]) > 1 or by_name.get(name, regex) != regex:
            name = f"{name}_{hashlib.sha256(regex.encode()).hexdigest()[:8].upper()}"
        by_name[name] = regex
        schema[PATTERN_KEY] = name
        pointer = _origin(schema, origins)
        if pointer is not None:
            derived[pointer] = name
    return dict(sorted(by_name.items())), derived


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


_STR_ATTRIBUTES = frozenset(name for name in dir(str) if not name.startswith("_"))
"""Methods of ``str``: a member of a ``(str, Enum)`` named ``upper`` would shadow one (mypy refuses it)."""


def name_enum_members(schemas: dict[str, Any]) -> None:
    """Give enums with non-ASCII values ASCII member names (``x-enum-varnames``): Python NFKC-normalises
    identifiers, so members ``K`` (Kelvin sign) and ``K`` would be one name defined twice. Values that are names of
    ``str`` methods (``upper``, ``count``) get a ``_`` suffix. Values stay exact."""
    for name, root in schemas.items():
        for schema, _ in _walk_schemas(root, f"/components/schemas/{escape_pointer(name)}"):
            values = schema.get("enum")
            if not isinstance(values, list) or "x-enum-varnames" in schema:
                continue
            if not any(isinstance(v, str) and (not v.isascii() or v in _STR_ATTRIBUTES) for v in values):
                continue
            members: dict[int, str] = {}
            # ASCII values first, so that they keep the plain names whatever non-ASCII values join them.
            for index in sorted(range(len(values)), key=lambda i: (not str(values[i]).isascii(), i)):
                base = ascii_identifier(str(values[index]))
                base = f"{base}_" if keyword.iskeyword(base) or base in _STR_ATTRIBUTES else base
                candidate, number = base, 2
                while candidate in members.values():
                    candidate, number = f"{base}_{number}", number + 1
                members[index] = candidate
            schema["x-enum-varnames"] = [members[i] for i in range(len(values))]


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
    values that are not JSON at all (a YAML ``!!binary``, a set) and negative or fractional counts (``minLength: -1``).
    A ``const`` array or object and an ``enum`` holding one are JSON values Python holds exactly: ``json_values``
    renders them."""
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


# Keywords that cannot make an empty array or an empty object invalid, beside annotations and extensions: what
# `_plainly_valid_default` accepts without loading the validator.
_ANNOTATION_KEYWORDS = frozenset(
    {"default", "description", "title", "example", "examples", "deprecated", "externalDocs", "xml", "nullable"}
)
_EMPTY_ARRAY_KEYWORDS = frozenset({"type", "items", "maxItems", "uniqueItems"})
_EMPTY_OBJECT_KEYWORDS = frozenset({"type", "properties", "additionalProperties", "patternProperties", "maxProperties"})


def _plainly_valid_default(schema: dict[str, Any]) -> bool:
    """True when the default is ``[]`` or ``{}`` and the schema holds nothing an empty value can fail (its type
    allows it; no ``minItems``, ``required``, ``$ref``, composition...): the validator would find no error, so it
    need not be loaded. False means "ask the validator", never "invalid"."""
    default = schema["default"]
    if type(default) is list and not default:
        kind, allowed = "array", _EMPTY_ARRAY_KEYWORDS
    elif type(default) is dict and not default:
        kind, allowed = "object", _EMPTY_OBJECT_KEYWORDS
    else:
        return False
    for key in schema:
        if (
            key not in allowed
            and key not in _ANNOTATION_KEYWORDS
            and not (isinstance(key, str) and key.startswith("x-"))
        ):
            return False
    declared = schema.get("type", kind)
    return declared == kind or (isinstance(declared, list) and kind in declared)


def check_defaults(spec: dict[str, Any], schemas: dict[str, Any], file: str | Path) -> None:
    """Validate every ``default`` against its own schema (``$ref``s followed); a ``default: null`` on a schema
    that is not nullable means "no default" and is dropped (the field is then optional: ``X | None = None``)."""
    version = str(spec.get("openapi", ""))
    registry: Any = None
    validator_class: Any = None
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
            for key in (*_ENGINE_ENUM_LISTS, LITERAL_ENUM_KEY):
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
    words = _place_words(where)
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


def _add_component(schemas: dict[str, Any], base: str, schema: dict[str, Any]) -> str:
    """Add ``schema`` as a component named ``base`` (numbered when taken); return its name."""
    name, number = base, 2
    while name in schemas:
        name, number = f"{base}{number}", number + 1
    schemas[name] = schema
    return name


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
    for name, root in list(schemas.items()):
        for schema, _ in reversed(_walk_schemas(root, f"/components/schemas/{escape_pointer(name)}")):
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
    queue = list(schemas)
    while queue:
        parent = queue.pop(0)
        for schema, where in _walk_schemas(schemas[parent], f"/components/schemas/{escape_pointer(parent)}"):
            for holder, key, base in _json_valued_slots(schema, where):
                name = _add_component(schemas, base, holder[key])
                holder[key] = {"$ref": f"#/components/schemas/{escape_pointer(name)}"}
                queue.append(name)
    for name, root in list(schemas.items()):
        if not _listed_values(root) or not ("object" in schema_types(root) or _OBJECT_LIKE & set(root)):
            continue
        checks = _take_listed_values(root)
        value = {k: root.pop(k) for k in list(root) if k not in _KEPT_ON_WRAPPER}
        if "object" in schema_types(value) and not _TYPED_OBJECT & set(value):
            value["additionalProperties"] = {}  # the same map, which the engine writes as a dict, not an empty model
        root["$ref"] = f"#/components/schemas/{escape_pointer(_add_component(schemas, f'{name}.value', value))}"
        root[JSON_VALUES_KEY] = checks
    for name, root in schemas.items():
        for schema, _ in _walk_schemas(root, f"/components/schemas/{escape_pointer(name)}"):
            if _listed_values(schema):
                schema[JSON_VALUES_KEY] = _take_listed_values(schema)


def trim_descriptions(schemas: dict[str, Any]) -> None:
    """Strip the white space around every ``description`` and ``title``: a YAML block scalar (``description: |``)
    ends in a newline that is layout, not prose, and would otherwise reach the models as ``'...text.\\n'``."""
    for name, root in schemas.items():
        for schema, _ in _walk_schemas(root, f"/components/schemas/{escape_pointer(name)}"):
            for key in ("description", "title"):
                if isinstance(schema.get(key), str):
                    schema[key] = schema[key].strip()


def drop_false_nullable(schemas: dict[str, Any]) -> None:
    """Remove ``nullable: false``, OpenAPI 3.0's default: it says nothing, but the engine then types an optional
    property without ``| None`` while giving it the default ``None`` (a mypy error, and a model that refuses to be
    built without the property)."""
    for name, root in schemas.items():
        for schema, _ in _walk_schemas(root, f"/components/schemas/{escape_pointer(name)}"):
            if schema.get("nullable") is False:
                del schema["nullable"]


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


_IMMUTABLE_SCALARS = (str, int, float, bool, type(None))


def _copy_document(value: Any, memo: dict[int, Any]) -> Any:
    """What ``copy.deepcopy`` returns for a parsed document, faster: mappings and lists are copied (a node reached
    twice, as a YAML alias makes it, is copied once and shared in the copy, as deepcopy does), JSON scalars are
    shared (they are immutable), anything else goes through ``copy.deepcopy``."""
    kind = type(value)
    if kind is dict:
        found = memo.get(id(value))
        if found is not None:
            return found
        copied: dict[Any, Any] = {}
        memo[id(value)] = copied
        for key, item in value.items():
            copied[key if type(key) in _IMMUTABLE_SCALARS else copy.deepcopy(key)] = (
                item if type(item) in _IMMUTABLE_SCALARS else _copy_document(item, memo)
            )
        return copied
    if kind is list:
        found = memo.get(id(value))
        if found is not None:
            return found
        listed: list[Any] = []
        memo[id(value)] = listed
        listed.extend(item if type(item) in _IMMUTABLE_SCALARS else _copy_document(item, memo) for item in value)
        return listed
    if kind in _IMMUTABLE_SCALARS:
        return value
    return copy.deepcopy(value)


def normalise(effective: dict[str, Any], file: str | Path, lock: Names | None = None) -> tuple[dict[str, Any], Plan]:
    """Return the engine's input document (component schemas only) and the rendering plan.

    ``lock``: the names a previous generation derived (``Plan.names``), kept for the schemas that still come from
    the same pointers; a pointer that no longer exists, or a name that is not a valid identifier or is taken, is
    ignored and the schema named afresh."""
    spec = _copy_document(effective, {})
    components = spec.setdefault("components", {})
    if not isinstance(components, dict):
        raise CodegenError(file, "components must be a mapping", "/components")
    if not isinstance(components.setdefault("schemas", {}), dict):
        raise CodegenError(file, "component schemas must be a mapping", "/components/schemas")
    for name, schema in components["schemas"].items():
        if not isinstance(schema, dict):
            raise CodegenError(file, "a schema must be a mapping", f"/components/schemas/{escape_pointer(name)}")
    refuse_reserved_keys(components["schemas"], file)
    check_schema_refs(spec, file)
    drop_engine_code_keys(spec, file)
    check_inheritance(components["schemas"], file)
    origins = schema_origins(spec)
    hoist_operation_schemas(spec)
    merge_inline_objects(components["schemas"])
    split_object_unions(components["schemas"])
    add_component_origins(components["schemas"], origins)
    hoist_union_members(components["schemas"])
    hoist_inline_classes(components["schemas"])
    hoist_colliding_properties(components["schemas"])
    hoist_inherited_properties(components["schemas"])
    fit_engine_extensions(components["schemas"])
    check_values(components["schemas"], file)
    check_defaults(spec, components["schemas"], file)
    json_values(components["schemas"])
    trim_descriptions(components["schemas"])
    drop_false_nullable(components["schemas"])
    plain_typed_defaults(components["schemas"])
    literal_bool_number_enums(components["schemas"])
    lock = lock or Names()
    class_names = name_classes(spec, file, lock.classes, origins)
    drop_unused_tag_enums(spec)
    schemas = spec["components"]["schemas"]
    fold_annotation_members(schemas)
    flatten_retyped_overrides(schemas)
    patterns, pattern_names = name_patterns(schemas, file, lock.patterns, origins)
    names = Names(class_names | engine_named_classes(schemas, origins), pattern_names)
    lift_item_constraints(schemas)
    name_enum_members(schemas)
    lift_key_constraints(schemas)
    keep_enum_values(schemas)
    extract_validators(schemas, file)
    info: dict[str, Any] = spec["info"] if isinstance(spec.get("info"), dict) else {}
    title = str(info.get("title") or "API")
    description = info.get("description") if isinstance(info.get("description"), str) else None
    if not schemas:
        description = f"{description or f'Models for the {title} API.'}\n\n{NO_MODELS_NOTE}"
    engine_input = {
        "openapi": spec["openapi"],
        "info": {"title": title, "version": "0"},
        "paths": {},
        "components": {"schemas": schemas},
    }
    plan = Plan(title=title, description=description, patterns=patterns, names=names)
    plan.field_names = protected_field_names(schemas)
    return engine_input, plan
