"""Refusals and removals before any rewrite: ``$ref``s to what is not a schema, ``allOf`` inheritance cycles, the
project's reserved ``x-codegen-*`` keys, and the engine-only keywords that would write a spec's strings as code."""

from __future__ import annotations

import functools
import warnings
from pathlib import Path
from typing import Any

from generator.documents import escape_pointer
from generator.errors import CodegenError, CodegenWarning
from generator.normalise.schemas import (
    RESERVED_PREFIX,
    schema_node_objects,
    schema_nodes,
    schema_refs,
    schema_root_objects,
    schema_roots,
    unescape,
)

__all__ = [
    "check_inheritance",
    "check_schema_refs",
    "drop_engine_code_keys",
    "refuse_reserved_keys",
]


def check_schema_refs(spec: dict[str, Any], file: str | Path) -> None:
    """Refuse a ``$ref`` inside a schema that points at something that is not a schema (``#``, ``#/info``,
    ``#/paths``): that is invalid OpenAPI, and the engine would render it as a meaningless ``RootModel[Any]``."""
    nodes = (node for root in schema_root_objects(spec) for node in schema_node_objects(root))
    if all(_points_to_schema(node["$ref"]) for node in nodes if isinstance(node.get("$ref"), str)):
        return  # nothing to refuse: the pointers below are only for the error
    for root, pointer in schema_roots(spec):
        for where, ref in schema_refs(root, pointer):
            if not _points_to_schema(ref):
                raise CodegenError(file, f"$ref {ref!r} does not point to a schema", where)


@functools.lru_cache(maxsize=65536)
def _points_to_schema(ref: str) -> bool:
    """Whether a ``$ref`` in a schema may stand there: another file's (bundled already) or a local pointer to a
    component schema or to something under a ``schema`` keyword. Cached: a spec names the same few targets often."""
    target = ref.partition("#")[2] if ref.startswith("#") else None
    if target is None:
        return True
    tokens = [unescape(t) for t in target.lstrip("/").split("/")] if target else []
    in_components = tokens[:2] == ["components", "schemas"] and len(tokens) > 2
    return in_components or "schema" in tokens


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
                if isinstance(ref, str) and ref.startswith(prefix) and unescape(ref[len(prefix) :]) in schemas:
                    edges.append((unescape(ref[len(prefix) :]), f"{at}/allOf/{index}/$ref"))
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
    nodes = (node for root in schema_root_objects(spec) for node in schema_node_objects(root))
    if not any(_ENGINE_CODE_KEYS.intersection(node) for node in nodes):
        return  # nothing to drop: the walk below, with a pointer for every schema, would change nothing
    dropped: list[str] = []
    for root, pointer in schema_roots(spec):
        for node, where in schema_nodes(root, pointer):
            for key in sorted(_ENGINE_CODE_KEYS.intersection(node)):
                dropped.append(f"{where}/{escape_pointer(key)}")
                del node[key]
    if dropped:
        first = min(dropped)
        more = f" (and {len(dropped) - 1} more)" if len(dropped) > 1 else ""
        message = (
            f"{first.rsplit('/', 1)[1]} ignored{more}: only datamodel-code-generator reads it, "
            "and it would write the value as code or retype the schema"
        )
        warnings.warn(CodegenWarning(file, message, first.rsplit("/", 1)[0]), stacklevel=2)


def _any_reserved_key(node: Any) -> bool:
    """Whether a mapping under ``node`` has a key ``refuse_reserved_keys`` refuses (the same test, no pointers)."""
    stack = [node] if isinstance(node, (dict, list)) else []
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            for key, value in current.items():
                if isinstance(key, str) and key.startswith(RESERVED_PREFIX):
                    return True
                if isinstance(value, (dict, list)):
                    stack.append(value)
        else:
            for value in current:
                if isinstance(value, (dict, list)):
                    stack.append(value)
    return False


def refuse_reserved_keys(schemas: dict[str, Any], file: str | Path) -> None:
    """Refuse any ``x-codegen-*`` key in the schemas: those keys carry this module's annotations only."""
    if not _any_reserved_key(schemas):
        return  # nothing to refuse: the walk below builds a pointer for every value, for the error
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
