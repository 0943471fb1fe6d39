"""The vocabulary every normalise step shares: the internal keys handed to the templates, the plan, the name lock's
record, and walks over a document's schemas (with their JSON pointers) and its data."""

from __future__ import annotations

import copy
import functools
import itertools
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from generator.documents import escape_pointer

__all__ = [
    "DATA_KEYWORDS",
    "ENUM_KEY",
    "ITEM_CONSTRAINTS_KEY",
    "JSON_TYPES",
    "JSON_VALUES_KEY",
    "KEY_CONSTRAINTS",
    "KEY_CONSTRAINTS_KEY",
    "LITERAL_ENUM_KEY",
    "METHODS",
    "NAME_MAPS",
    "NO_MODELS_NOTE",
    "NUMBER_CONSTRAINTS",
    "PATTERN_KEY",
    "RESERVED_PREFIX",
    "SCALAR_TYPES",
    "STRING_CONSTRAINTS",
    "VALIDATORS_KEY",
    "Names",
    "Origins",
    "Place",
    "Plan",
    "add_component",
    "add_component_origins",
    "ascii_fold",
    "ascii_identifier",
    "copy_document",
    "hoist_to_component",
    "hoisting_walk",
    "is_annotation_only",
    "is_inline_class",
    "is_model_schema",
    "origin_of",
    "pascal_case",
    "place_words",
    "pointer_of",
    "schema_node_objects",
    "schema_nodes",
    "schema_objects",
    "schema_origins",
    "schema_places",
    "schema_refs",
    "schema_root_objects",
    "schema_roots",
    "schema_types",
    "single_type",
    "unescape",
    "unique_origins",
    "walk_schemas",
    "walk_values",
]

_ANNOTATIONS = frozenset({"description", "title", "example", "examples", "deprecated", "readOnly", "writeOnly"})
STRING_CONSTRAINTS = ("pattern", "minLength", "maxLength")
NUMBER_CONSTRAINTS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf")
SCALAR_TYPES = frozenset({"string", "integer", "number", "boolean"})
# The Python types of JSON values (what a JSON or YAML 1.2 document can hold).
JSON_TYPES = (str, int, float, bool, type(None), list, dict)

# Extensions the engine passes on to the templates. They share the `x-` namespace of the input only because the
# engine hands nothing else through; an input holding any key with this prefix is refused when it is read
# (`documents.RESERVED_PREFIX`) and again here, so every value under them is one this module wrote.
RESERVED_PREFIX = "x-codegen-"
PATTERN_KEY = "x-codegen-pattern"
ITEM_CONSTRAINTS_KEY = "x-codegen-item-constraints"
KEY_CONSTRAINTS_KEY = "x-codegen-key-constraints"
KEY_CONSTRAINTS = frozenset({"pattern", "minLength", "maxLength"})
VALIDATORS_KEY = "x-codegen-validators"
ENUM_KEY = "x-codegen-enum"
JSON_VALUES_KEY = "x-codegen-json-values"
# The engine's own extension: this enum becomes a `Literal[...]`, not an `Enum` class.
LITERAL_ENUM_KEY = "x-enum-field-as-literal"


NO_MODELS_NOTE = "The document defines no schema that becomes a model, so this package has none."


# The keywords under which `walk_schemas` finds subschemas: by name, one, and in a list.
_NAMED_SUBSCHEMAS = ("properties", "patternProperties")
_SINGLE_SUBSCHEMAS = ("items", "additionalProperties", "not")
_LISTED_SUBSCHEMAS = ("allOf", "anyOf", "oneOf")
_SUBSCHEMA_KEYS = frozenset(_NAMED_SUBSCHEMAS + _SINGLE_SUBSCHEMAS + _LISTED_SUBSCHEMAS)


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


def single_type(schema: Any) -> str | None:
    """The one type a schema allows besides ``null``, else None (no type, or a union of several)."""
    types = [t for t in schema_types(schema) if t != "null"]
    return types[0] if len(types) == 1 else None


def is_annotation_only(member: Any) -> bool:
    return isinstance(member, dict) and bool(member) and all(k in _ANNOTATIONS or k.startswith("x-") for k in member)


def walk_schemas(node: Any, pointer: str) -> list[tuple[dict[str, Any], str]]:
    """Every schema object under a schema, depth first, with its JSON pointer (the schema itself first)."""
    found: list[tuple[dict[str, Any], str]] = []
    stack = [(node, pointer)]
    pop, push = stack.pop, stack.extend
    while stack:
        schema, where = pop()
        if not isinstance(schema, dict):
            continue
        found.append((schema, where))
        if _SUBSCHEMA_KEYS.isdisjoint(schema):
            continue  # a leaf: none of the eight lookups below would find anything
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


def schema_objects(node: Any) -> list[dict[str, Any]]:
    """The schema objects ``walk_schemas`` finds under a schema, in the same order, without their pointers: for the
    many steps that never read one, building a pointer for every schema cost three times the walk itself."""
    found: list[dict[str, Any]] = []
    stack = [node]
    pop, push, append = stack.pop, stack.extend, found.append
    while stack:
        schema = pop()
        if not isinstance(schema, dict):
            continue
        append(schema)
        if _SUBSCHEMA_KEYS.isdisjoint(schema):
            continue  # a leaf: none of the eight lookups below would find anything
        children: list[Any] = []
        for key in _NAMED_SUBSCHEMAS:
            named = schema.get(key)
            if named:
                children.extend(named.values())
        for key in _SINGLE_SUBSCHEMAS:
            sub = schema.get(key)
            if isinstance(sub, dict):
                children.append(sub)
        for key in _LISTED_SUBSCHEMAS:
            listed = schema.get(key)
            if listed:
                children.extend(listed)
        if children:
            push(reversed(children))
    return found


def hoisting_walk(
    schemas: dict[str, Any], needs: Callable[[dict[str, Any]], bool]
) -> Iterator[tuple[dict[str, Any], str, list[str]]]:
    """Each schema object of each component, with its pointer and ``queue``: a step that moves a schema into a
    component of its own appends the new component's name to ``queue``, and that component is walked in turn. A
    component none of whose schema objects ``needs`` is skipped before a pointer is built for any of them."""
    queue = list(schemas)
    while queue:
        parent = queue.pop(0)
        if not any(needs(schema) for schema in schema_objects(schemas[parent])):
            continue  # nothing to move: the walk with a pointer for every schema would change nothing
        for schema, where in walk_schemas(schemas[parent], f"/components/schemas/{escape_pointer(parent)}"):
            yield schema, where, queue


def schema_places(node: Any, pointer: str) -> list[tuple[dict[str, Any], Place]]:
    """What ``walk_schemas`` gives, in its order, with each schema's place (``Place``) instead of its pointer:
    ``pointer_of`` gives the pointer ``walk_schemas`` builds, for the schemas a step needs one for."""
    found: list[tuple[dict[str, Any], Place]] = []
    stack: list[tuple[Any, Place]] = [(node, pointer)]
    pop, push, append = stack.pop, stack.extend, found.append
    while stack:
        schema, where = pop()
        if not isinstance(schema, dict):
            continue
        append((schema, where))
        if _SUBSCHEMA_KEYS.isdisjoint(schema):
            continue  # a leaf: none of the eight lookups below would find anything
        children: list[tuple[Any, Place]] = []
        for key in _NAMED_SUBSCHEMAS:
            named = schema.get(key)
            if named:
                holder = (where, key)
                children.extend((sub, (holder, name)) for name, sub in named.items())
        for key in _SINGLE_SUBSCHEMAS:
            sub = schema.get(key)
            if isinstance(sub, dict):
                children.append((sub, (where, key)))
        for key in _LISTED_SUBSCHEMAS:
            listed = schema.get(key)
            if listed:
                holder = (where, key)
                children.extend((sub, (holder, index)) for index, sub in enumerate(listed))
        if children:
            push(reversed(children))
    return found


@functools.lru_cache(maxsize=65536)
def pascal_case(name: str) -> str:
    """``name``'s ASCII words joined in PascalCase (``Model`` when there are none, prefixed when digit-led); cached,
    since the hoisting passes ask for the same place names many times over."""
    words = [w for w in re.split(r"[^0-9A-Za-z]+", ascii_fold(name)) if w]
    joined = "".join(w[0].upper() + w[1:] for w in words)
    if not joined:
        joined = "Model"
    if joined[0].isdigit():
        joined = f"Model{joined}"
    return joined


def unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def schema_roots(spec: dict[str, Any]) -> list[tuple[Any, str]]:
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
                elif isinstance(value, (dict, list)) and key not in DATA_KEYWORDS:
                    stack.append((value, f"{where}/{escape_pointer(key)}"))
        elif isinstance(node, list):
            stack += [(value, f"{where}/{index}") for index, value in enumerate(node)]
    return roots


def schema_root_objects(spec: dict[str, Any]) -> list[Any]:
    """The schemas ``schema_roots`` finds, in its order, without their pointers."""
    roots: list[Any] = []
    schemas = (spec.get("components") or {}).get("schemas")
    if isinstance(schemas, dict):
        roots += schemas.values()
    stack: list[Any] = [spec.get("paths")]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "schema" and isinstance(value, dict):
                    roots.append(value)
                elif isinstance(value, (dict, list)) and key not in DATA_KEYWORDS:
                    stack.append(value)
        elif isinstance(node, list):
            stack += node
    return roots


DATA_KEYWORDS = frozenset({"example", "examples", "default", "enum", "const", "x-examples"})
"""Keywords whose values are data, not schemas: a ``$ref`` key inside them is part of an example."""
NAME_MAPS = frozenset({"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"})


def schema_nodes(schema: Any, pointer: str) -> Iterator[tuple[dict[str, Any], str]]:
    """Every mapping in schema position under ``schema`` (itself, subschemas at any depth, including ones under
    keywords this module does not name), with its JSON pointer; data (examples, defaults, enums, extensions) is
    skipped, and the keys of ``properties`` and the like are names, never keywords. A node may be changed by the
    caller before its children are visited."""
    stack: list[tuple[Any, str, bool]] = [(schema, pointer, False)]
    while stack:
        node, where, names = stack.pop()
        if isinstance(node, list):
            stack += [(value, f"{where}/{index}", False) for index, value in enumerate(node)]
        elif isinstance(node, dict):
            if not names:
                yield node, where
            for key, value in node.items():
                data = not names and (key in DATA_KEYWORDS or key.startswith("x-"))
                if not data and isinstance(value, (dict, list)):
                    stack.append((value, f"{where}/{escape_pointer(key)}", not names and key in NAME_MAPS))


def schema_node_objects(schema: Any) -> list[dict[str, Any]]:
    """The mappings ``schema_nodes`` yields under ``schema``, without their pointers, for a quick look first; unlike
    ``schema_nodes`` the list is made before the caller sees any of them, so it must not change them."""
    found: list[dict[str, Any]] = []
    stack: list[tuple[Any, bool]] = [(schema, False)]
    while stack:
        node, names = stack.pop()
        if isinstance(node, list):
            stack += [(value, False) for value in node]
        elif isinstance(node, dict):
            if not names:
                found.append(node)
            for key, value in node.items():
                if not isinstance(value, (dict, list)):
                    continue  # tested first: most values are scalars
                if names:
                    stack.append((value, False))
                elif not (key in DATA_KEYWORDS or key.startswith("x-")):
                    stack.append((value, key in NAME_MAPS))
    return found


def schema_refs(schema: Any, pointer: str) -> list[tuple[str, str]]:
    """``(pointer of the $ref, target)`` for every ``$ref`` of a schema and its subschemas (``schema_nodes``)."""
    return [
        (f"{where}/$ref", node["$ref"])
        for node, where in schema_nodes(schema, pointer)
        if isinstance(node.get("$ref"), str)
    ]


METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def is_inline_class(schema: Any) -> bool:
    """Whether ``schema`` is written inline and becomes a class of its own (an object with properties, an enum),
    which the engine names after the place it is found."""
    return isinstance(schema, dict) and "$ref" not in schema and ("properties" in schema or "enum" in schema)


def is_model_schema(schema: Any) -> bool:
    """Whether an inline schema would become a class: an object with properties, a composition or an enum."""
    return (
        isinstance(schema, dict)
        and "$ref" not in schema
        and any(key in schema for key in ("properties", "allOf", "oneOf", "anyOf", "enum"))
    )


@functools.lru_cache(maxsize=65536)
def ascii_fold(name: str) -> str:
    """``name`` in ASCII: NFKC (as Python reads identifiers), accents dropped, other characters replaced by ``_``."""
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", name)).encode("ascii", "ignore").decode()
    return re.sub(r"\W", "_", folded).strip("_")


def ascii_identifier(name: str) -> str:
    """``name`` as an ASCII identifier (``ascii_fold``); empty or digit-led results are prefixed with ``field_``."""
    text = ascii_fold(name)
    return text if text and not text[0].isdigit() else f"field_{text}".rstrip("_")


def place_words(place: str) -> list[str]:
    """The words of an inline schema's place: the component, then the properties on the way."""
    tokens = [unescape(t) for t in place.split("/")[3:]]
    return [tokens[0]] + [t for before, t in itertools.pairwise(tokens) if before == "properties"]


Place = Any
"""Where a mapping was met: its JSON pointer (a string), or ``(the place of its container, its key or index)``,
which ``pointer_of`` turns into the pointer when one is asked for (few are: building every one cost more than the
walk that finds them)."""
Origins = dict[int, tuple[Any, Place]]
"""``id`` of a schema mapping → (the mapping, kept alive so the id stays its own; its place in the effective spec)."""


def pointer_of(place: Place) -> str:
    """The JSON pointer of a ``Place``."""
    keys: list[Any] = []
    while not isinstance(place, str):
        place, key = place
        keys.append(key)
    return place + "".join(f"/{escape_pointer(key)}" for key in reversed(keys))


def schema_origins(spec: dict[str, Any]) -> Origins:
    """Every mapping of the document (outside data keywords such as ``example``) with its place (``Place``), the
    first place it is met: the hoisting steps move mappings, not copies, so a class's schema still tells where it
    came from when it is named."""
    found: Origins = {}
    stack: list[tuple[Any, Place]] = [(spec, "")]
    while stack:
        node, where = stack.pop()
        if isinstance(node, dict):
            if id(node) in found:
                continue
            found[id(node)] = (node, where)
            for key, value in node.items():
                if isinstance(value, (dict, list)) and key not in DATA_KEYWORDS:
                    stack.append((value, (where, key)))
        elif isinstance(node, list):
            stack += [(item, (where, index)) for index, item in enumerate(node) if isinstance(item, (dict, list))]
    return found


def add_component_origins(schemas: dict[str, Any], origins: Origins) -> None:
    """Give the schemas an earlier rewrite created (the members of a split union) the pointer of their place under
    the component's own origin."""
    for name, root in schemas.items():
        if all(origins.get(id(schema), (None,))[0] is schema for schema in schema_objects(root)):
            continue  # every schema has its origin: the walk below, with a pointer for every schema, would add none
        base = pointer_of(origins.get(id(root), (None, f"/components/schemas/{escape_pointer(name)}"))[1])
        for schema, where in walk_schemas(root, base):
            found = origins.get(id(schema))
            if found is None or found[0] is not schema:
                origins[id(schema)] = (schema, where)


def origin_of(schema: Any, origins: Origins | None) -> str | None:
    found = origins.get(id(schema)) if origins is not None else None
    return pointer_of(found[1]) if found is not None and found[0] is schema else None


def unique_origins(schemas: dict[str, Any], origins: Origins | None) -> dict[str, str]:
    """Component name → origin pointer, for the components whose origin no other component shares."""
    pointers = {name: origin_of(schema, origins) for name, schema in schemas.items()}
    counts: dict[str | None, int] = {}
    for pointer in pointers.values():
        counts[pointer] = counts.get(pointer, 0) + 1
    return {name: pointer for name, pointer in pointers.items() if pointer is not None and counts[pointer] == 1}


def walk_values(node: Any, pointer: str) -> list[tuple[Any, str]]:
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


_IMMUTABLE_SCALARS = (str, int, float, bool, type(None))


def copy_document(value: Any, memo: dict[int, Any]) -> Any:
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
                item if type(item) in _IMMUTABLE_SCALARS else copy_document(item, memo)
            )
        return copied
    if kind is list:
        found = memo.get(id(value))
        if found is not None:
            return found
        listed: list[Any] = []
        memo[id(value)] = listed
        listed.extend(item if type(item) in _IMMUTABLE_SCALARS else copy_document(item, memo) for item in value)
        return listed
    if kind in _IMMUTABLE_SCALARS:
        return value
    return copy.deepcopy(value)


def add_component(schemas: dict[str, Any], base: str, schema: Any) -> str:
    """Add ``schema`` as a component named ``base``, numbered (``base2``...) when that name is taken; return it."""
    name, number = base, 2
    while name in schemas:
        name, number = f"{base}{number}", number + 1
    schemas[name] = schema
    return name


def hoist_to_component(schemas: dict[str, Any], holder: Any, key: Any, base: str) -> str:
    """Move ``holder[key]`` into a component named from ``base`` (``add_component``) and put a ``$ref`` to it in its
    place; return the component's name."""
    name = add_component(schemas, base, holder[key])
    holder[key] = {"$ref": f"#/components/schemas/{escape_pointer(name)}"}
    return name
