"""Ingest: the vendor's documentation pages (Markdown with ```json OpenAPI fragments) → one canonical OpenAPI document.

Canonical form, so that the same pages always give the same bytes and a vendor change shows up as a small diff:

* top-level keys in OpenAPI order: ``openapi, info, servers, security, tags, paths, components``;
* ``paths`` sorted by path, operations in HTTP-method order (get, put, post, delete, options, head, patch, trace);
* ``components`` sections in OpenAPI order, the names inside each section sorted;
* servers and tags in the order they are first met (pages sorted by path, fragments in page order);
* inside an operation or a schema, keys keep the vendor's order (property order is field order in the models).

Two fragments that define the same thing differently are an error naming both pages.

An ``operationId`` that several *different* operations share (each page is a complete document of its own, so the
vendor can reuse ``execute`` for ``/api/v1/.../execute`` and ``/api/v2/.../execute`` on two pages) is made unique
by one rule, :func:`unique_operation_ids`: every holder's id becomes ``<id>-<method>-<path words>``
(``execute-post-api-v1-nql-execute``), and the vendor's id stays beside it in ``x-vendor-operation-id``. No holder
is preferred, so the names do not depend on page order, and a new page can only rename the operations that share
its id.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator import documents
from generator.documents import escape_pointer, require_openapi
from generator.errors import CodegenError
from generator.safeio import NotRegularFileError, TooLargeError, read_regular_bytes

__all__ = ["VENDOR_OPERATION_ID", "Fragment", "find_pages", "ingest", "read_fragments", "unique_operation_ids"]

_FENCE = re.compile(r"^```json[ \t]*\n(.*?)^```", re.MULTILINE | re.DOTALL)
_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
VENDOR_OPERATION_ID = "x-vendor-operation-id"
"""Where a renamed operation keeps the ``operationId`` the vendor gave it."""
_PATH_WORDS = re.compile(r"[^A-Za-z0-9]+")
_TOP_LEVEL = ("openapi", "info", "servers", "security", "tags", "paths", "components")
_COMPONENT_SECTIONS = (
    "schemas",
    "responses",
    "parameters",
    "examples",
    "requestBodies",
    "headers",
    "securitySchemes",
    "links",
    "callbacks",
)


@dataclass(frozen=True)
class Fragment:
    """One ```json block of a documentation page: its parsed content and where it stands."""

    page: str
    line: int
    document: dict[str, Any]

    @property
    def origin(self) -> str:
        return f"{self.page}:{self.line}"


def find_pages(docs: Path, api: str) -> list[Path]:
    """The pages of one API in a documentation folder: ``<api>.md`` and ``<api>/*.md``, sorted by path."""
    if not docs.is_dir():
        raise CodegenError(docs, "documentation folder not found")
    pages = [p for p in [docs / f"{api}.md"] if p.is_file()] + sorted((docs / api).glob("*.md"))
    if not pages:
        raise CodegenError(docs, f"no pages for the {api!r} API ({api}.md or {api}/*.md)")
    return pages


def read_fragments(page: Path, name: str) -> list[Fragment]:
    """Parse every ```json block of one page; each must be a JSON object."""
    try:
        text = read_regular_bytes(page, documents.MAX_BYTES).decode("utf-8")
    except NotRegularFileError as exc:
        raise CodegenError(name, f"is {exc.kind}, expected a regular file") from None
    except TooLargeError:
        raise CodegenError(name, f"page larger than {documents.MAX_BYTES} bytes") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CodegenError(name, f"cannot read page: {exc}") from None
    fragments = []
    for match in _FENCE.finditer(text):
        line = text.count("\n", 0, match.start(1)) + 1
        try:
            document = json.loads(match.group(1))
        except json.JSONDecodeError as exc:
            raise CodegenError(name, f"invalid JSON in fragment: {exc.msg}", f"line {line + exc.lineno - 1}") from None
        if not isinstance(document, dict):
            raise CodegenError(name, "JSON fragment is not an object", f"line {line}")
        fragments.append(Fragment(name, line, document))
    return fragments


class _Merger:
    """Accumulates fragments, remembering which fragment defined each named thing first."""

    def __init__(self) -> None:
        self.single: dict[str, tuple[Any, str]] = {}
        self.servers: list[Any] = []
        self.tags: dict[str, tuple[Any, str]] = {}
        self.operations: dict[tuple[str, str], tuple[Any, str]] = {}
        self.path_items: dict[tuple[str, str], tuple[Any, str]] = {}
        self.components: dict[tuple[str, str], tuple[Any, str]] = {}

    @staticmethod
    def _claim(table: dict[Any, tuple[Any, str]], key: Any, value: Any, origin: str, what: str) -> None:
        if key not in table:
            table[key] = (value, origin)
        elif table[key][0] != value:
            first = table[key][1]
            raise CodegenError(origin.split(":")[0], f"{what} differs from the one in {first} (fragment at {origin})")

    def add(self, fragment: Fragment) -> None:
        doc, origin = fragment.document, fragment.origin
        version = doc.get("openapi")
        if not isinstance(version, str) or not version.startswith("3."):
            raise CodegenError(fragment.page, "fragment is not an OpenAPI 3 document", f"line {fragment.line}")
        for key in ("openapi", "info", "security"):
            if key in doc:
                self._claim(self.single, key, doc[key], origin, f"'{key}'")
        for server in doc.get("servers", []):
            if server not in self.servers:
                self.servers.append(server)
        for tag in doc.get("tags", []):
            self._claim(self.tags, tag.get("name"), tag, origin, f"tag {tag.get('name')!r}")
        for path, item in (doc.get("paths") or {}).items():
            for key, value in item.items():
                table = self.operations if key in _METHODS else self.path_items
                what = f"operation {key.upper()} {path}" if key in _METHODS else f"'{key}' of path {path}"
                self._claim(table, (path, key), value, origin, what)
        for section, entries in (doc.get("components") or {}).items():
            for name, value in entries.items():
                self._claim(self.components, (section, name), value, origin, f"components/{section}/{name}")

    def document(self) -> dict[str, Any]:
        values = {key: value for key, (value, _) in self.single.items()}
        if self.servers:
            values["servers"] = self.servers
        if self.tags:
            values["tags"] = [tag for tag, _ in self.tags.values()]
        paths: dict[str, dict[str, Any]] = {}
        for path in sorted({p for p, _ in self.operations} | {p for p, _ in self.path_items}):
            item = {k: v for (p, k), (v, _) in sorted(self.path_items.items()) if p == path}
            item.update({m: self.operations[(path, m)][0] for m in _METHODS if (path, m) in self.operations})
            paths[path] = item
        values["paths"] = paths
        components: dict[str, dict[str, Any]] = {}
        sections = {s for s, _ in self.components}
        for section in [s for s in _COMPONENT_SECTIONS if s in sections] + sorted(sections - set(_COMPONENT_SECTIONS)):
            components[section] = {n: v for (s, n), (v, _) in sorted(self.components.items()) if s == section}
        if components:
            values["components"] = components
        return {key: values[key] for key in _TOP_LEVEL if key in values}


def unique_operation_ids(document: dict[str, Any], spec_name: str | Path) -> dict[str, Any]:
    """The document with every ``operationId`` that several operations share replaced by a unique one.

    Each holder of a shared id gets ``<id>-<method>-<path words>`` and keeps the vendor's id in
    ``x-vendor-operation-id``; an id used once is left alone. A new id that is still not unique is an error.
    """
    holders: dict[str, list[tuple[str, str]]] = {}
    for path, item in document.get("paths", {}).items():
        for method in _METHODS:
            operation = item.get(method)
            if isinstance(operation, dict) and isinstance(operation.get("operationId"), str):
                holders.setdefault(operation["operationId"], []).append((path, method))
    shared = {name: places for name, places in holders.items() if len(places) > 1}
    if not shared:
        return document
    taken = {name for name, places in holders.items() if len(places) == 1}
    paths = dict(document["paths"])
    for name, places in shared.items():
        for path, method in places:
            new = f"{name}-{method}-{_PATH_WORDS.sub('-', path).strip('-')}"
            if new in taken:
                where = f"/paths/{escape_pointer(path)}/{method}/operationId"
                raise CodegenError(spec_name, f"operationId {name!r} is shared, and {new!r} is taken too", where)
            taken.add(new)
            renamed: dict[str, Any] = {}
            for key, value in paths[path][method].items():
                renamed.update({key: new, VENDOR_OPERATION_ID: name} if key == "operationId" else {key: value})
            paths[path] = {**paths[path], method: renamed}
    return {**document, "paths": paths}


def ingest(fragments: list[Fragment], spec_name: str | Path) -> dict[str, Any]:
    """Merge fragments into one canonical OpenAPI document and check it (structure, $refs, the OpenAPI schema)."""
    if not fragments:
        raise CodegenError(spec_name, "the pages hold no ```json fragments")
    merger = _Merger()
    for fragment in fragments:
        merger.add(fragment)
    document = unique_operation_ids(merger.document(), spec_name)
    require_openapi(document, spec_name)
    # Imported here: the validator is slow to import and only ingest needs it.
    from openapi_spec_validator import validate
    from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

    try:
        validate(document)
    except OpenAPIValidationError as exc:
        where = "/" + "/".join(escape_pointer(p) for p in exc.absolute_path) if exc.absolute_path else None
        raise CodegenError(spec_name, f"merged document is not valid OpenAPI: {exc.message}", where) from None
    return document
