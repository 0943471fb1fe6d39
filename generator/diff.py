"""Diff: two OpenAPI documents → the list of changes, each with a stable id, a level and a direction.

Levels mean what they mean in oasdiff: **ERR** breaks a client that followed the old contract, **WARN** may break
one, **INFO** is safe. Direction matters: schemas are compared where operations use them, following ``$ref``s, as
part of a request (what the client sends) or a response (what the client reads). A schema that both sides use is
reported once for each side. Component schemas that no operation reaches are compared too, with direction
``none``.

Every change kind is one row of ``KINDS``: ``id → (level, message template)``. Ids that depend on the side
carry it (``request-property-became-required``); the level table is the single place to read or change policy.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from generator.documents import escape_pointer, resolve_pointer

__all__ = ["KINDS", "Change", "diff_specs", "suggest_bump"]

ERR, WARN, INFO = "ERR", "WARN", "INFO"
LEVELS = (ERR, WARN, INFO)
_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

# id: (level, message). {x} placeholders are filled from the change's details.
KINDS: dict[str, tuple[str, str]] = {
    # paths and operations
    "path-added": (INFO, "path {path} added"),
    "path-removed": (ERR, "path {path} removed"),
    "operation-added": (INFO, "operation {op} added"),
    "operation-removed": (ERR, "operation {op} removed"),
    "operation-id-changed": (WARN, "operationId changed from {old} to {new}"),
    "operation-deprecated": (WARN, "operation {op} deprecated"),
    "operation-summary-changed": (INFO, "summary of {op} changed"),
    "operation-description-changed": (INFO, "description of {op} changed"),
    # parameters
    "request-parameter-added-required": (ERR, "required {where} parameter {name} added"),
    "request-parameter-added-optional": (INFO, "optional {where} parameter {name} added"),
    "request-parameter-removed": (WARN, "{where} parameter {name} removed"),
    "request-parameter-became-required": (ERR, "{where} parameter {name} became required"),
    "request-parameter-became-optional": (INFO, "{where} parameter {name} became optional"),
    "request-parameter-deprecated": (WARN, "{where} parameter {name} deprecated"),
    # request body
    "request-body-added-required": (ERR, "required request body added"),
    "request-body-added-optional": (INFO, "optional request body added"),
    "request-body-removed": (WARN, "request body removed"),
    "request-body-became-required": (ERR, "request body became required"),
    "request-body-became-optional": (INFO, "request body became optional"),
    "request-media-type-added": (INFO, "request media type {media} added"),
    "request-media-type-removed": (ERR, "request media type {media} removed"),
    # responses
    "response-status-added": (INFO, "response status {status} added"),
    "response-success-status-removed": (ERR, "success response status {status} removed"),
    "response-non-success-status-removed": (WARN, "response status {status} removed"),
    "response-media-type-added": (INFO, "response media type {media} added"),
    "response-media-type-removed": (ERR, "response media type {media} removed"),
    # components
    "component-schema-added": (INFO, "schema {name} added"),
    "component-schema-removed": (WARN, "schema {name} removed"),
}

# Schema-level kinds, for each side: (request level, response level, unreached level, message).
_SCHEMA_KINDS: dict[str, tuple[str, str, str, str]] = {
    "property-added-required": (ERR, INFO, INFO, "required property {name} added"),
    "property-added-optional": (INFO, INFO, INFO, "optional property {name} added"),
    "property-removed-required": (WARN, ERR, WARN, "required property {name} removed"),
    "property-removed-optional": (WARN, WARN, INFO, "optional property {name} removed"),
    "property-became-required": (ERR, INFO, WARN, "property {name} became required"),
    "property-became-optional": (INFO, ERR, WARN, "property {name} became optional"),
    "type-changed": (ERR, ERR, WARN, "type changed from {old} to {new}"),
    "format-changed": (WARN, WARN, INFO, "format changed from {old} to {new}"),
    "became-nullable": (INFO, ERR, INFO, "became nullable"),
    "became-not-nullable": (ERR, INFO, INFO, "became not nullable"),
    "enum-value-added": (INFO, WARN, INFO, "enum value {value} added"),
    "enum-value-removed": (ERR, INFO, WARN, "enum value {value} removed"),
    "pattern-added": (ERR, INFO, INFO, "pattern {new} added"),
    "pattern-changed": (WARN, INFO, INFO, "pattern changed from {old} to {new}"),
    "pattern-removed": (INFO, INFO, INFO, "pattern {old} removed"),
    "additional-properties-restricted": (ERR, INFO, WARN, "additionalProperties restricted ({old} → {new})"),
    "additional-properties-relaxed": (INFO, WARN, INFO, "additionalProperties relaxed ({old} → {new})"),
    "default-changed": (WARN, INFO, INFO, "default changed from {old} to {new}"),
    "deprecated": (INFO, INFO, INFO, "deprecated"),
    "description-changed": (INFO, INFO, INFO, "description changed"),
    "title-changed": (INFO, INFO, INFO, "title changed from {old} to {new}"),
}
_LIMITS = {
    # keyword: which way tightens (+1: a larger value tightens, -1: a smaller value tightens)
    "minLength": 1,
    "maxLength": -1,
    "minimum": 1,
    "maximum": -1,
    "exclusiveMinimum": 1,
    "exclusiveMaximum": -1,
    "minItems": 1,
    "maxItems": -1,
    "minProperties": 1,
    "maxProperties": -1,
    "multipleOf": 0,
}
for _keyword in _LIMITS:
    _kebab = "".join(f"-{c.lower()}" if c.isupper() else c for c in _keyword)
    _SCHEMA_KINDS[f"{_kebab}-tightened"] = (ERR, INFO, WARN, f"{_keyword} tightened ({{old}} → {{new}})")
    _SCHEMA_KINDS[f"{_kebab}-loosened"] = (INFO, WARN, INFO, f"{_keyword} loosened ({{old}} → {{new}})")
for _composition, (_added_request, _removed_request) in {
    "allOf": (ERR, INFO),
    "anyOf": (INFO, ERR),
    "oneOf": (INFO, ERR),
}.items():
    _kebab = _composition.lower().replace("of", "-of")
    _response_added = INFO if _composition == "allOf" else WARN
    _response_removed = WARN if _composition == "allOf" else INFO
    _SCHEMA_KINDS[f"{_kebab}-member-added"] = (
        _added_request,
        _response_added,
        INFO,
        f"{_composition} member {{name}} added",
    )
    _SCHEMA_KINDS[f"{_kebab}-member-removed"] = (
        _removed_request,
        _response_removed,
        WARN,
        f"{_composition} member {{name}} removed",
    )

for _kind, (_request, _response, _none, _message) in _SCHEMA_KINDS.items():
    KINDS[f"request-{_kind}"] = (_request, _message)
    KINDS[f"response-{_kind}"] = (_response, _message)
    KINDS[f"schema-{_kind}"] = (_none, _message)


@dataclass(frozen=True)
class _Site:
    """Where a schema comparison stands: its pointer, operation, side, the refs being followed, and its reporter."""

    location: str
    op: str | None
    side: str
    stack: frozenset[str]
    add: Any


@dataclass(frozen=True)
class Change:
    """One difference between the old and the new document."""

    id: str
    level: str
    message: str
    location: str
    operation: str | None
    direction: str

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "level": self.level,
            "message": self.message,
            "location": self.location,
            "operation": self.operation,
            "direction": self.direction,
        }


def _show(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True) if not isinstance(value, str) else repr(value)


class _Differ:
    def __init__(self, old: dict[str, Any], new: dict[str, Any]) -> None:
        self.old, self.new = old, new
        self.changes: list[Change] = []
        self.seen: set[tuple[str, str, str | None, str]] = set()
        self.reached: set[str] = set()

    def add(self, kind: str, location: str, operation: str | None, direction: str, **details: Any) -> None:
        level, template = KINDS[kind]
        key = (kind, location, operation, json.dumps(details, sort_keys=True, default=str))
        if key in self.seen:
            return
        self.seen.add(key)
        message = template.format(**{k: v if isinstance(v, str) else _show(v) for k, v in details.items()})
        where = f"{operation}: " if operation else ""
        self.changes.append(Change(kind, level, f"{where}{message} at {location}", location, operation, direction))

    # --- schemas -----------------------------------------------------------------------------------------
    def _deref(self, document: dict[str, Any], schema: Any, location: str) -> tuple[Any, str]:
        hops = 0
        while isinstance(schema, dict) and isinstance(schema.get("$ref"), str) and hops < 50:
            ref = schema["$ref"]
            location = ref[1:]
            try:
                schema = resolve_pointer(document, location)
            except KeyError:
                return {}, location
            hops += 1
        return schema, location

    def schema(self, old: Any, new: Any, location: str, op: str | None, side: str, stack: frozenset[str]) -> None:
        old, old_location = self._deref(self.old, old, location)
        new, location = self._deref(self.new, new, location)
        guard = f"{old_location}|{location}|{side}|{op}"
        if guard in stack or not isinstance(old, dict) or not isinstance(new, dict):
            return
        stack = stack | {guard}
        if location.startswith("/components/schemas/"):
            self.reached.add(location.split("/")[3])
        prefix = {"request": "request-", "response": "response-"}.get(side, "schema-")

        def add(kind: str, **details: Any) -> None:
            self.add(prefix + kind, location, op, side, **details)

        for key, kind in (("type", "type-changed"), ("format", "format-changed"), ("title", "title-changed")):
            if old.get(key) != new.get(key):
                add(kind, old=old.get(key), new=new.get(key))
        if bool(old.get("nullable")) != bool(new.get("nullable")):
            add("became-nullable" if new.get("nullable") else "became-not-nullable")
        if old.get("description") != new.get("description"):
            add("description-changed")
        if new.get("deprecated") and not old.get("deprecated"):
            add("deprecated")
        if "default" in old and "default" in new and old["default"] != new["default"]:
            add("default-changed", old=old["default"], new=new["default"])
        old_enum, new_enum = old.get("enum") or [], new.get("enum") or []
        if old_enum or new_enum:
            for value in new_enum:
                if value not in old_enum and old_enum:
                    add("enum-value-added", value=value)
            for value in old_enum:
                if value not in new_enum:
                    add("enum-value-removed", value=value)
        if old.get("pattern") != new.get("pattern"):
            if "pattern" not in old:
                add("pattern-added", new=new["pattern"])
            elif "pattern" not in new:
                add("pattern-removed", old=old["pattern"])
            else:
                add("pattern-changed", old=old["pattern"], new=new["pattern"])
        for keyword, direction in _LIMITS.items():
            before, after = old.get(keyword), new.get(keyword)
            if before == after or isinstance(before, bool) or isinstance(after, bool):
                continue
            kebab = "".join(f"-{c.lower()}" if c.isupper() else c for c in keyword)
            if direction == 0:
                tightened = after is not None
            elif before is None:
                tightened = True
            elif after is None:
                tightened = False
            else:
                tightened = (after - before) * direction > 0
            add(f"{kebab}-{'tightened' if tightened else 'loosened'}", old=before, new=after)
        site = _Site(location, op, side, stack, add)
        self._additional(old, new, site)
        self._properties(old, new, site)
        if isinstance(old.get("items"), dict) and isinstance(new.get("items"), dict):
            self.schema(old["items"], new["items"], f"{location}/items", op, side, stack)
        self._compositions(old, new, site)

    def _additional(self, old: dict[str, Any], new: dict[str, Any], site: _Site) -> None:
        add, location, op, side, stack = site.add, site.location, site.op, site.side, site.stack
        before, after = old.get("additionalProperties", True), new.get("additionalProperties", True)
        if isinstance(before, dict) and isinstance(after, dict):
            self.schema(before, after, f"{location}/additionalProperties", op, side, stack)
        elif before != after:
            restricted = after is False or (before is True and isinstance(after, dict))
            add(f"additional-properties-{'restricted' if restricted else 'relaxed'}", old=before, new=after)

    def _properties(self, old: dict[str, Any], new: dict[str, Any], site: _Site) -> None:
        add, location, op, side, stack = site.add, site.location, site.op, site.side, site.stack
        old_props, new_props = old.get("properties") or {}, new.get("properties") or {}
        old_required, new_required = set(old.get("required") or []), set(new.get("required") or [])
        for name in new_props:
            if name not in old_props:
                add("property-added-required" if name in new_required else "property-added-optional", name=name)
        for name in old_props:
            if name not in new_props:
                add("property-removed-required" if name in old_required else "property-removed-optional", name=name)
        for name in old_props:
            if name in new_props:
                if name in new_required and name not in old_required:
                    add("property-became-required", name=name)
                elif name in old_required and name not in new_required:
                    add("property-became-optional", name=name)
                where = f"{location}/properties/{escape_pointer(name)}"
                self.schema(old_props[name], new_props[name], where, op, side, stack)

    def _compositions(self, old: dict[str, Any], new: dict[str, Any], site: _Site) -> None:
        add, location, op, side, stack = site.add, site.location, site.op, site.side, site.stack
        for keyword in ("allOf", "anyOf", "oneOf"):
            old_members, new_members = old.get(keyword) or [], new.get(keyword) or []
            kebab = keyword.lower().replace("of", "-of")
            old_keys = [_member_key(m) for m in old_members]
            new_keys = [_member_key(m) for m in new_members]
            for index, key in enumerate(new_keys):
                if key not in old_keys:
                    add(f"{kebab}-member-added", name=_member_name(new_members[index], index))
            for index, key in enumerate(old_keys):
                if key not in new_keys:
                    add(f"{kebab}-member-removed", name=_member_name(old_members[index], index))
            for index, key in enumerate(new_keys):
                if key in old_keys and isinstance(new_members[index], dict) and "$ref" in new_members[index]:
                    old_member = old_members[old_keys.index(key)]
                    self.schema(old_member, new_members[index], f"{location}/{keyword}/{index}", op, side, stack)

    # --- operations --------------------------------------------------------------------------------------
    def operations(self) -> None:
        old_paths, new_paths = self.old.get("paths") or {}, self.new.get("paths") or {}
        for path in new_paths:
            if path not in old_paths:
                self.add("path-added", f"/paths/{escape_pointer(path)}", None, "none", path=path)
        for path in old_paths:
            if path not in new_paths:
                self.add("path-removed", f"/paths/{escape_pointer(path)}", None, "none", path=path)
        for path in old_paths:
            if path not in new_paths:
                continue
            for method in _METHODS:
                old_op, new_op = old_paths[path].get(method), new_paths[path].get(method)
                op = f"{method.upper()} {path}"
                location = f"/paths/{escape_pointer(path)}/{method}"
                if new_op is not None and old_op is None:
                    self.add("operation-added", location, op, "none", op=op)
                elif old_op is not None and new_op is None:
                    self.add("operation-removed", location, op, "none", op=op)
                elif old_op is not None and new_op is not None:
                    common = (old_paths[path].get("parameters") or [], new_paths[path].get("parameters") or [])
                    self.operation(old_op, new_op, location, op, common)

    def operation(
        self, old: dict[str, Any], new: dict[str, Any], location: str, op: str, common: tuple[list[Any], list[Any]]
    ) -> None:
        if old.get("operationId") != new.get("operationId"):
            self.add(
                "operation-id-changed", location, op, "none", old=old.get("operationId"), new=new.get("operationId")
            )
        if new.get("deprecated") and not old.get("deprecated"):
            self.add("operation-deprecated", location, op, "none", op=op)
        for key, kind in (("summary", "operation-summary-changed"), ("description", "operation-description-changed")):
            if old.get(key) != new.get(key):
                self.add(kind, location, op, "none", op=op)
        self.parameters(
            common[0] + (old.get("parameters") or []), common[1] + (new.get("parameters") or []), location, op
        )
        self.request_body(old.get("requestBody"), new.get("requestBody"), f"{location}/requestBody", op)
        self.responses(old.get("responses") or {}, new.get("responses") or {}, f"{location}/responses", op)

    def parameters(self, old: list[Any], new: list[Any], location: str, op: str) -> None:
        def index(document: dict[str, Any], params: list[Any]) -> dict[tuple[str, str], dict[str, Any]]:
            found = {}
            for raw in params:
                param, _ = self._deref(document, raw, location)
                if isinstance(param, dict) and "name" in param:
                    found[(str(param.get("in")), str(param["name"]))] = param
            return found

        before, after = index(self.old, old), index(self.new, new)
        for key, param in after.items():
            where = f"{location}/parameters/{key[0]}/{escape_pointer(key[1])}"
            if key not in before:
                kind = (
                    "request-parameter-added-required" if param.get("required") else "request-parameter-added-optional"
                )
                self.add(kind, where, op, "request", where=key[0], name=key[1])
                continue
            previous = before[key]
            if param.get("required") and not previous.get("required"):
                self.add("request-parameter-became-required", where, op, "request", where=key[0], name=key[1])
            elif previous.get("required") and not param.get("required"):
                self.add("request-parameter-became-optional", where, op, "request", where=key[0], name=key[1])
            if param.get("deprecated") and not previous.get("deprecated"):
                self.add("request-parameter-deprecated", where, op, "request", where=key[0], name=key[1])
            self.schema(previous.get("schema"), param.get("schema"), f"{where}/schema", op, "request", frozenset())
        for key in before:
            if key not in after:
                where = f"{location}/parameters/{key[0]}/{escape_pointer(key[1])}"
                self.add("request-parameter-removed", where, op, "request", where=key[0], name=key[1])

    def request_body(self, old: Any, new: Any, location: str, op: str) -> None:
        old, _ = self._deref(self.old, old, location)
        new, _ = self._deref(self.new, new, location)
        if not old and not new:
            return
        if not old:
            kind = "request-body-added-required" if new.get("required") else "request-body-added-optional"
            self.add(kind, location, op, "request")
            return
        if not new:
            self.add("request-body-removed", location, op, "request")
            return
        if new.get("required") and not old.get("required"):
            self.add("request-body-became-required", location, op, "request")
        elif old.get("required") and not new.get("required"):
            self.add("request-body-became-optional", location, op, "request")
        self.content(old.get("content") or {}, new.get("content") or {}, f"{location}/content", op, "request")

    def responses(self, old: dict[str, Any], new: dict[str, Any], location: str, op: str) -> None:
        for status in new:
            if status not in old:
                self.add("response-status-added", f"{location}/{status}", op, "response", status=str(status))
        for status in old:
            where = f"{location}/{escape_pointer(str(status))}"
            if status not in new:
                success = str(status).startswith("2")
                kind = "response-success-status-removed" if success else "response-non-success-status-removed"
                self.add(kind, where, op, "response", status=str(status))
                continue
            before, _ = self._deref(self.old, old[status], where)
            after, _ = self._deref(self.new, new[status], where)
            if isinstance(before, dict) and isinstance(after, dict):
                self.content(
                    before.get("content") or {}, after.get("content") or {}, f"{where}/content", op, "response"
                )

    def content(self, old: dict[str, Any], new: dict[str, Any], location: str, op: str, side: str) -> None:
        for media in new:
            if media not in old:
                self.add(f"{side}-media-type-added", f"{location}/{escape_pointer(media)}", op, side, media=media)
        for media in old:
            where = f"{location}/{escape_pointer(media)}"
            if media not in new:
                self.add(f"{side}-media-type-removed", where, op, side, media=media)
            elif isinstance(old[media], dict) and isinstance(new[media], dict):
                self.schema(
                    old[media].get("schema"), new[media].get("schema"), f"{where}/schema", op, side, frozenset()
                )

    def components(self) -> None:
        old_schemas = (self.old.get("components") or {}).get("schemas") or {}
        new_schemas = (self.new.get("components") or {}).get("schemas") or {}
        for name in new_schemas:
            if name not in old_schemas:
                self.add(
                    "component-schema-added", f"/components/schemas/{escape_pointer(name)}", None, "none", name=name
                )
        for name in old_schemas:
            if name not in new_schemas:
                self.add(
                    "component-schema-removed", f"/components/schemas/{escape_pointer(name)}", None, "none", name=name
                )
        for name in old_schemas:
            if name in new_schemas and name not in self.reached:
                where = f"/components/schemas/{escape_pointer(name)}"
                self.schema(old_schemas[name], new_schemas[name], where, None, "none", frozenset())


def _member_key(member: Any) -> str:
    if isinstance(member, dict) and isinstance(member.get("$ref"), str):
        return str(member["$ref"])
    return json.dumps(member, sort_keys=True)


def _member_name(member: Any, index: int) -> str:
    if isinstance(member, dict) and isinstance(member.get("$ref"), str):
        return str(member["$ref"]).rsplit("/", 1)[-1]
    return f"#{index}"


def diff_specs(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """Every change from ``old`` to ``new``, most severe first, then by location."""
    differ = _Differ(old, new)
    differ.operations()
    differ.components()
    order = {level: rank for rank, level in enumerate(LEVELS)}
    return sorted(differ.changes, key=lambda c: (order[c.level], c.operation or "", c.location, c.id))


def _is_doc_only(change_id: str) -> bool:
    return change_id.endswith(("description-changed", "summary-changed", "title-changed"))


def suggest_bump(changes: list[Change], api_changes: Iterable[str] = ()) -> str:
    """``major`` if anything breaks, ``minor`` if anything else than documentation changed, ``patch`` for
    documentation only, ``none`` when nothing changed. ``api_changes`` are the ids of Python API changes."""
    api = list(api_changes)
    if any(c.level == ERR for c in changes) or any(a.endswith(("removed", "retyped")) for a in api):
        return "major"
    if any(not _is_doc_only(c.id) for c in changes) or any(not a.startswith("docstring") for a in api):
        return "minor"
    if changes or api:
        return "patch"
    return "none"
