"""Structure: the shape of an OpenAPI document that the pipeline walks, checked before any stage walks it.

Every stage (bundle, overlay, normalise, the engine, diff) reads paths, operations, parameters, request bodies,
responses, media types and schemas assuming the types OpenAPI gives them. This module checks exactly those types,
once, for `generate` and `diff` alike, and names the JSON pointer of the first value of the wrong kind: a mapping
where a list belongs, a string where a count belongs, a regex no engine can compile. Vendor sloppiness that no
stage trips over (an unknown key, a numeric ``info.version``) is left alone.

It also applies the limits that keep generation quick: enum length, schema count and ``allOf`` chain depth (the
rendering engine's time grows with the cube of the depth of an ``allOf`` chain).
"""

from __future__ import annotations

import functools
import re
import warnings
from pathlib import Path
from typing import Any

from generator.documents import escape_pointer
from generator.errors import CodegenError

__all__ = [
    "MAX_ALLOF_DEPTH",
    "MAX_ENUM_VALUES",
    "MAX_SCHEMAS",
    "check_structure",
    "classify_regex",
]

MAX_ENUM_VALUES = 10_000
"""Values of one ``enum``; GitHub's REST description needs 53, and 10,000 members generate in about 3 s."""
MAX_SCHEMAS = 500_000
"""Schema objects in one document, inline ones included; GitHub's dereferenced REST description holds 271,000."""
MAX_ALLOF_DEPTH = 32
"""Component schemas in one chain of ``allOf`` references (A's allOf names B, whose allOf names C...); the
engine's time grows with the cube of the depth: 32 take about a second even when each names all the
others before it, 400 in a plain chain about four minutes."""

_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_STRINGS = (
    "title",
    "description",
    "format",
    "$ref",
    "$id",
    "$schema",
    "$anchor",
    "$comment",
    "contentMediaType",
    "contentEncoding",
    "x-python-class-name",
    "x-python-pattern-name",
)
_BOOLEANS = ("nullable", "readOnly", "writeOnly", "deprecated", "uniqueItems")
_COUNTS = ("minItems", "maxItems", "minLength", "maxLength", "minProperties", "maxProperties", "minContains")
_NUMBERS = ("minimum", "maximum")
_SCHEMA_MAPS = ("properties", "patternProperties", "definitions", "$defs", "dependentSchemas")
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SUBSCHEMAS = ("not", "contains", "propertyNames", "if", "then", "else")
# Keywords whose value may also be `true`/`false` (JSON Schema's boolean schemas).
_BOOLEAN_SCHEMAS = ("items", "additionalProperties", "additionalItems", "unevaluatedProperties", "unevaluatedItems")
_RUST_ERROR = re.compile(r"^\s*(?:SchemaError: |error: )?")


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    return {dict: "mapping", list: "list", str: "string", int: "integer", float: "number"}.get(
        type(value), type(value).__name__
    )


@functools.lru_cache(maxsize=4096)
def classify_regex(pattern: str) -> tuple[str, str]:
    """Which engine of pydantic can compile a pattern: ``("rust", "")`` for pydantic-core's default Rust engine
    (linear time), ``("python", reason)`` for Python's backtracking ``re`` only (reason: why Rust refuses it), or
    ``("invalid", reason)`` when neither can."""
    from pydantic_core import SchemaValidator, core_schema

    try:
        SchemaValidator(core_schema.str_schema(pattern=pattern, regex_engine="rust-regex"))
        return "rust", ""
    except Exception as exc:  # noqa: BLE001 - pydantic-core's SchemaError: Rust refuses the pattern
        lines = [line for line in str(exc).splitlines() if line.strip()]
        rust_reason = _RUST_ERROR.sub("", lines[-1] if lines else "refused").strip()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            re.compile(pattern)
    except (re.error, OverflowError, RecursionError) as exc:
        return "invalid", str(exc)
    return "python", rust_reason


class _Checker:
    """One walk over a document; raises a CodegenError at the first value of the wrong kind."""

    def __init__(self, file: str | Path, version: str) -> None:
        self.file = file
        self.openapi_31 = version.startswith("3.1.")
        self.schemas = 0

    def fail(self, where: str, message: str) -> CodegenError:
        return CodegenError(self.file, message, where or "/")

    def expect(self, value: Any, kind: type | tuple[type, ...], where: str, name: str) -> None:
        if not _is_kind(value, kind):
            raise self.fail(where, f"must be {name}, found {_kind(value)}")

    def optional(self, node: dict[str, Any], key: str, kind: type | tuple[type, ...], where: str, name: str) -> Any:
        value = node.get(key)
        if key in node and not _is_kind(value, kind):  # the pointer is built for the error only
            raise self.fail(f"{where}/{escape_pointer(key)}", f"must be {name}, found {_kind(value)}")
        return value

    def mapping_of(self, node: dict[str, Any], key: str, where: str, each: Any) -> None:
        value = self.optional(node, key, dict, where, "a mapping")
        prefix = f"{where}/{escape_pointer(key)}/"
        for name, item in (value or {}).items():
            each(item, prefix + escape_pointer(name))

    def list_of(self, node: dict[str, Any], key: str, where: str, each: Any) -> None:
        value = self.optional(node, key, list, where, "a list")
        prefix = f"{where}/{escape_pointer(key)}/"
        for index, item in enumerate(value or []):
            each(item, f"{prefix}{index}")

    # OpenAPI objects

    def document(self, doc: dict[str, Any]) -> None:
        info = self.optional(doc, "info", dict, "", "a mapping")
        if info is not None:
            for key in ("title", "description"):
                self.optional(info, key, str, "/info", "a string")
            self.optional(info, "version", (str, int, float), "/info", "a string")
        self.mapping_of(doc, "paths", "", self.path_item)
        components = self.optional(doc, "components", dict, "", "a mapping")
        if components is not None:
            where = "/components"
            self.mapping_of(components, "schemas", where, self.schema)
            self.mapping_of(components, "responses", where, self.response)
            self.mapping_of(components, "parameters", where, self.parameter)
            self.mapping_of(components, "headers", where, self.parameter)
            self.mapping_of(components, "requestBodies", where, self.request_body)
            self.allof_depth(components.get("schemas") or {})

    def path_item(self, item: Any, where: str) -> None:
        self.expect(item, dict, where, "a path item (a mapping)")
        self.optional(item, "$ref", str, where, "a string")
        self.list_of(item, "parameters", where, self.parameter)
        for method in _METHODS:
            if method in item:
                self.operation(item[method], f"{where}/{method}")

    def operation(self, operation: Any, where: str) -> None:
        self.expect(operation, dict, where, "an operation (a mapping)")
        for key in ("operationId", "summary", "description"):
            self.optional(operation, key, str, where, "a string")
        self.optional(operation, "deprecated", bool, where, "a boolean")
        self.list_of(operation, "parameters", where, self.parameter)
        if "requestBody" in operation:
            self.request_body(operation["requestBody"], f"{where}/requestBody")
        self.mapping_of(operation, "responses", where, self.response)

    def parameter(self, parameter: Any, where: str) -> None:
        self.expect(parameter, dict, where, "a parameter (a mapping)")
        for key in ("$ref", "name", "in", "description"):
            self.optional(parameter, key, str, where, "a string")
        for key in ("required", "deprecated"):
            self.optional(parameter, key, bool, where, "a boolean")
        if "schema" in parameter:
            self.schema(parameter["schema"], f"{where}/schema")
        self.mapping_of(parameter, "content", where, self.media_type)

    def request_body(self, body: Any, where: str) -> None:
        self.expect(body, dict, where, "a request body (a mapping)")
        self.optional(body, "$ref", str, where, "a string")
        self.optional(body, "description", str, where, "a string")
        self.optional(body, "required", bool, where, "a boolean")
        self.mapping_of(body, "content", where, self.media_type)

    def response(self, response: Any, where: str) -> None:
        self.expect(response, dict, where, "a response (a mapping)")
        self.optional(response, "$ref", str, where, "a string")
        self.optional(response, "description", str, where, "a string")
        self.mapping_of(response, "content", where, self.media_type)
        self.mapping_of(response, "headers", where, self.parameter)

    def media_type(self, media: Any, where: str) -> None:
        self.expect(media, dict, where, "a media type object (a mapping)")
        if media.get("schema") is not None:  # ``schema: null`` (Directus) says no schema, as an absent one does
            self.schema(media["schema"], f"{where}/schema")

    # Schemas

    def schema(self, schema: Any, where: str, boolean_allowed: bool = False) -> None:
        if boolean_allowed and isinstance(schema, bool):
            return
        self.expect(schema, dict, where, "a schema (a mapping)")
        self.schemas += 1
        if self.schemas > MAX_SCHEMAS:
            raise self.fail(where, f"more than {MAX_SCHEMAS} schemas in one document (the limit)")
        # Each ``optional`` check only where its key is present: a schema holds few of the keys checked, and the
        # calls for absent ones were most of the time this walk took.
        for key in _STRINGS:
            if key in schema:
                self.optional(schema, key, str, where, "a string")
        for key in _BOOLEANS:
            if key in schema:
                self.optional(schema, key, bool, where, "a boolean")
        for key in _COUNTS:
            if key in schema and self.optional(schema, key, int, where, "a non-negative integer") < 0:
                raise self.fail(f"{where}/{key}", f"must be a non-negative integer, found {schema[key]}")
        for key in _NUMBERS:
            if key in schema:
                self.optional(schema, key, (int, float), where, "a number")
        for key in ("exclusiveMinimum", "exclusiveMaximum"):
            if key in schema:
                self.optional(schema, key, (bool, int, float), where, "a boolean or a number")
        multiple = self.optional(schema, "multipleOf", (int, float), where, "a positive number")
        if multiple is not None and multiple <= 0:
            raise self.fail(f"{where}/multipleOf", f"must be a positive number, found {multiple}")
        kind = schema.get("type")
        if "type" in schema and not isinstance(kind, str):
            self.expect(kind, list, f"{where}/type", "a string or a list of strings")
            for index, item in enumerate(kind):
                self.expect(item, str, f"{where}/type/{index}", "a string")
        required = self.optional(schema, "required", list, where, "a list of property names")
        for index, item in enumerate(required or []):
            self.expect(item, str, f"{where}/required/{index}", "a property name (a string)")
        enum = self.optional(schema, "enum", list, where, "a list")
        if enum is not None and len(enum) > MAX_ENUM_VALUES:
            raise self.fail(f"{where}/enum", f"{len(enum)} values; an enum is limited to {MAX_ENUM_VALUES}")
        if "pattern" in schema:
            self.expect(schema["pattern"], str, f"{where}/pattern", "a string (a regex)")
            self.regex(schema["pattern"], f"{where}/pattern")
        self.optional(schema, "x-python-validators", dict, where, "a mapping")
        discriminator = self.optional(schema, "discriminator", dict, where, "a mapping")
        if discriminator is not None:
            self.optional(discriminator, "propertyName", str, f"{where}/discriminator", "a string")
            targets = self.optional(discriminator, "mapping", dict, f"{where}/discriminator", "a mapping")
            for name, target in (targets or {}).items():
                self.expect(target, str, f"{where}/discriminator/mapping/{escape_pointer(name)}", "a $ref string")
        for key in _SCHEMA_MAPS:
            if key in schema:
                self.mapping_of(schema, key, where, self.schema)
        for regex in schema.get("patternProperties") or {}:
            self.regex(regex, f"{where}/patternProperties/{escape_pointer(regex)}")
        for key in _SCHEMA_LISTS:
            if key in schema:
                self.list_of(schema, key, where, self.schema)
        for key in _SUBSCHEMAS:
            if key in schema:
                self.schema(schema[key], f"{where}/{key}", boolean_allowed=self.openapi_31)
        for key in _BOOLEAN_SCHEMAS:
            value = schema.get(key)
            if key == "items" and isinstance(value, list):  # draft-04 tuple form
                self.list_of(schema, key, where, self.schema)
            elif key in schema:
                self.schema(value, f"{where}/{key}", boolean_allowed=True)

    def regex(self, pattern: str, where: str) -> None:
        verdict, reason = classify_regex(pattern)
        if verdict == "invalid":
            raise self.fail(where, f"invalid regex {pattern!r}: {reason}")

    def allof_depth(self, schemas: dict[str, Any]) -> None:
        """Refuse an ``allOf`` chain through more than MAX_ALLOF_DEPTH component schemas."""
        prefix = "#/components/schemas/"
        edges: dict[str, list[str]] = {}
        for name, schema in schemas.items():
            targets: list[str] = []
            stack = [schema]
            while stack:
                node = stack.pop()
                if isinstance(node, dict):
                    for member in node.get("allOf") or []:
                        ref = member.get("$ref") if isinstance(member, dict) else None
                        if isinstance(ref, str) and ref.startswith(prefix):
                            targets.append(ref[len(prefix) :].replace("~1", "/").replace("~0", "~"))
                    stack.extend(v for v in node.values() if isinstance(v, (dict, list)))
                elif isinstance(node, list):
                    stack.extend(node)
            edges[name] = targets
        depth: dict[str, int] = {}
        for start in edges:
            # Iterative depth-first search; a schema met again on the current path (a cycle) counts as depth 0.
            stack2: list[tuple[str, int]] = [(start, 0)]
            on_path: set[str] = set()
            while stack2:
                name, index = stack2.pop()
                if name in depth:
                    continue
                on_path.add(name)
                children = [t for t in edges.get(name, []) if t in edges]
                if index < len(children):
                    stack2.append((name, index + 1))
                    child = children[index]
                    if child not in depth and child not in on_path:
                        stack2.append((child, 0))
                    continue
                on_path.discard(name)
                depth[name] = 1 + max((depth.get(c, 0) for c in children), default=0)
                if depth[name] > MAX_ALLOF_DEPTH:
                    raise self.fail(
                        f"/components/schemas/{escape_pointer(name)}",
                        f"allOf chain through more than {MAX_ALLOF_DEPTH} schemas (the limit)",
                    )


def _is_kind(value: Any, kind: type | tuple[type, ...]) -> bool:
    """Whether ``value`` is of ``kind``; a boolean is no number unless ``kind`` names ``bool``."""
    return isinstance(value, kind) and not (isinstance(value, bool) and bool not in _as_tuple(kind))


def _as_tuple(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


def check_structure(document: dict[str, Any], file: str | Path) -> None:
    """Refuse, with the JSON pointer of the first offending value, a document whose OpenAPI objects the pipeline
    walks (info, paths, operations, parameters, request bodies, responses, media types, schemas) have the wrong
    types, whose regexes no engine compiles, or which exceeds the enum, schema count or allOf depth limits."""
    _Checker(file, str(document.get("openapi", ""))).document(document)
