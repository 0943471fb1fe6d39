"""Paths and operations: endpoints added, removed (with or without deprecation, before the sunset), deprecated,
reactivated, their stability level, operationId and tags; webhooks; component schemas no operation reaches.

Paths are matched by their template (``/a/{id}`` and ``/a/{uid}`` are the same path with a renamed parameter).
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from generator.diff.bodies import NORMAL, SWAPPED, compare_request_body, compare_responses
from generator.diff.core import Context, as_dict, as_list
from generator.diff.kinds import ERR
from generator.diff.parameters import compare_parameters, path_level_added, sunset
from generator.diff.schemas import Site, compare_schema
from generator.diff.security import compare_operation_security
from generator.documents import escape_pointer

__all__ = ["METHODS", "compare_components", "compare_paths", "compare_version", "compare_webhooks", "path_template"]

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_PARAMETER = re.compile(r"\{([^}]*)\}")
_STABILITY = ("draft", "alpha", "beta", "stable")


def path_template(path: str) -> str:
    """The path with its parameter names blanked: ``/a/{id}`` → ``/a/{}``."""
    return _PARAMETER.sub("{}", path)


def _match_paths(old: dict[str, Any], new: dict[str, Any]) -> dict[str, str]:
    """Old path → new path: the same text, else the one new path with the same template."""
    matched = {path: path for path in old if path in new}
    by_template: dict[str, list[str]] = {}
    for path in new:
        if path not in old:
            by_template.setdefault(path_template(path), []).append(path)
    for path in old:
        if path not in matched:
            candidates = by_template.get(path_template(path), [])
            if len(candidates) == 1:
                matched[path] = candidates.pop()
    return matched


def _operations(item: Any) -> dict[str, dict[str, Any]]:
    item = as_dict(item)
    return {m: item[m] for m in METHODS if isinstance(item.get(m), dict)}


def _removed(ctx: Context, op_item: dict[str, Any], location: str, op: str) -> None:
    if op_item.get("deprecated"):
        date = sunset(op_item.get("x-sunset"))
        if "x-sunset" in op_item and date is None:
            ctx.add("api-path-sunset-parse", location, op, "none", op=op, value=str(op_item["x-sunset"]))
        elif date is not None and date > datetime.date.today():
            ctx.add("api-removed-before-sunset", location, op, "none", op=op, date=date.isoformat())
        else:
            ctx.add("api-removed-with-deprecation", location, op, "none", op=op)
    else:
        ctx.add("api-removed-without-deprecation", location, op, "none", op=op)


def compare_paths(ctx: Context) -> None:
    """Every path and operation of ``paths``."""
    old_paths = {
        k: ctx.deref(ctx.old, v, f"/paths/{escape_pointer(k)}")[0] for k, v in as_dict(ctx.old.get("paths")).items()
    }
    new_paths = {
        k: ctx.deref(ctx.new, v, f"/paths/{escape_pointer(k)}")[0] for k, v in as_dict(ctx.new.get("paths")).items()
    }
    matched = _match_paths(old_paths, new_paths)
    targets = set(matched.values())
    for path, item in new_paths.items():
        if path not in targets:
            for method in _operations(item):
                op = f"{method.upper()} {path}"
                ctx.add("endpoint-added", f"/paths/{escape_pointer(path)}/{method}", op, "none", op=op)
    for path, item in old_paths.items():
        if path in matched:
            continue
        operations = _operations(item)
        where = f"/paths/{escape_pointer(path)}"
        if not operations or not all(o.get("deprecated") for o in operations.values()):
            ctx.add("api-path-removed-without-deprecation", where, None, "none", path=path)
            continue
        dates = [sunset(o.get("x-sunset")) for o in operations.values()]
        future = [d for d in dates if d is not None and d > datetime.date.today()]
        if future:
            ctx.add("api-path-removed-before-sunset", where, None, "none", path=path, date=max(future).isoformat())
        else:
            ctx.add("api-path-removed-with-deprecation", where, None, "none", path=path)
    for old_path, new_path in matched.items():
        renames = _renames(ctx, old_path, new_path)
        _compare_item(
            ctx, old_paths[old_path], new_paths[new_path], f"/paths/{escape_pointer(new_path)}", new_path, renames
        )


def _renames(ctx: Context, old_path: str, new_path: str) -> dict[str, str]:
    renames: dict[str, str] = {}
    for old_name, new_name in zip(_PARAMETER.findall(old_path), _PARAMETER.findall(new_path), strict=False):
        if old_name != new_name:
            renames[old_name] = new_name
            where = f"/paths/{escape_pointer(new_path)}"
            ctx.add("request-path-parameter-renamed", where, None, "request", old=old_name, new=new_name)
    return renames


def _compare_item(
    ctx: Context,
    old_item: Any,
    new_item: Any,
    location: str,
    label: str,
    renames: dict[str, str],
    sides: tuple[str, str] = NORMAL,
) -> None:
    old_ops, new_ops = _operations(old_item), _operations(new_item)
    common = (as_list(as_dict(old_item).get("parameters")), as_list(as_dict(new_item).get("parameters")))
    reported = frozenset(path_level_added(ctx, common[0], common[1], location))
    for method in METHODS:
        op = f"{method.upper()} {label}"
        where = f"{location}/{method}"
        if method in new_ops and method not in old_ops:
            ctx.add("endpoint-added", where, op, "none", op=op)
        elif method in old_ops and method not in new_ops:
            _removed(ctx, old_ops[method], where, op)
        elif method in old_ops:
            context = (common, renames, reported)
            _compare_operation(ctx, old_ops[method], new_ops[method], where, op, context, sides)


def _compare_operation(
    ctx: Context,
    old: dict[str, Any],
    new: dict[str, Any],
    location: str,
    op: str,
    context: tuple[tuple[list[Any], list[Any]], dict[str, str], frozenset[tuple[str, str]]],
    sides: tuple[str, str],
) -> None:
    common, renames, reported = context
    old_id, new_id = old.get("operationId"), new.get("operationId")
    if old_id is not None and old_id != new_id:
        ctx.add("api-operation-id-removed", location, op, "none", old=old_id, new=new_id)
    elif old_id is None and new_id is not None:
        ctx.add("api-operation-id-added", location, op, "none", new=new_id)
    _lifecycle(ctx, old, new, location, op)
    old_tags, new_tags = as_list(old.get("tags")), as_list(new.get("tags"))
    for tag in new_tags:
        if tag not in old_tags:
            ctx.add("api-tag-added", location, op, "none", name=str(tag))
    for tag in old_tags:
        if tag not in new_tags:
            ctx.add("api-tag-removed", location, op, "none", name=str(tag))
    for key, kind in (("summary", "operation-summary-changed"), ("description", "operation-description-changed")):
        if old.get(key) != new.get(key):
            ctx.add(kind, location, op, "none", op=op)
    compare_operation_security(ctx, old, new, location, op)
    params = (common[0] + as_list(old.get("parameters")), common[1] + as_list(new.get("parameters")))
    compare_parameters(ctx, params[0], params[1], location, op, renames, reported)
    compare_request_body(ctx, old.get("requestBody"), new.get("requestBody"), f"{location}/requestBody", op, sides)
    responses = (as_dict(old.get("responses")), as_dict(new.get("responses")))
    compare_responses(ctx, responses[0], responses[1], f"{location}/responses", op, sides)


def _lifecycle(ctx: Context, old: dict[str, Any], new: dict[str, Any], location: str, op: str) -> None:
    old_sunset, new_sunset = sunset(old.get("x-sunset")), sunset(new.get("x-sunset"))
    if new.get("deprecated") and not old.get("deprecated"):
        if "x-sunset" in new and new_sunset is None:
            ctx.add("api-deprecated-sunset-parse", location, op, "none", op=op, value=str(new["x-sunset"]))
        elif new_sunset is not None:
            ctx.add("endpoint-deprecated-with-sunset", location, op, "none", op=op, date=new_sunset.isoformat())
        else:
            ctx.add("endpoint-deprecated", location, op, "none", op=op)
    elif old.get("deprecated") and not new.get("deprecated"):
        ctx.add("endpoint-reactivated", location, op, "none", op=op)
    elif old.get("deprecated") and new.get("deprecated"):
        if old_sunset is not None and new_sunset is None:
            ctx.add("sunset-deleted", location, op, "none", op=op)
        elif old_sunset is not None and new_sunset is not None and new_sunset < old_sunset:
            ctx.add(
                "api-sunset-date-changed-too-small",
                location,
                op,
                "none",
                old=old_sunset.isoformat(),
                new=new_sunset.isoformat(),
            )
    old_level, new_level = old.get("x-stability-level"), new.get("x-stability-level")
    if new_level is not None and new_level not in _STABILITY:
        ctx.add("api-invalid-stability-level", location, op, "none", value=str(new_level))
    elif old_level in _STABILITY and new_level in _STABILITY and old_level != new_level:
        lower = _STABILITY.index(new_level) < _STABILITY.index(old_level)
        kind = "api-stability-decreased" if lower else "api-stability-increased"
        ctx.add(kind, location, op, "none", old=old_level, new=new_level)


def compare_webhooks(ctx: Context) -> None:
    """OpenAPI 3.1 ``webhooks``: added, removed, and compared like operations with the roles swapped."""
    old_hooks, new_hooks = as_dict(ctx.old.get("webhooks")), as_dict(ctx.new.get("webhooks"))
    for name in new_hooks:
        if name not in old_hooks:
            ctx.add("webhook-added", f"/webhooks/{escape_pointer(name)}", None, "none", name=name)
    for name, item in old_hooks.items():
        where = f"/webhooks/{escape_pointer(name)}"
        if name not in new_hooks:
            ctx.add("webhook-removed", where, None, "none", name=name)
            continue
        before, _ = ctx.deref(ctx.old, item, where)
        after, _ = ctx.deref(ctx.new, new_hooks[name], where)
        _compare_item(ctx, before, after, where, f"webhook {name}", {}, SWAPPED)


def compare_components(ctx: Context) -> None:
    """Component schemas added, removed, and those no operation reaches compared on their own."""
    old_schemas = as_dict(as_dict(ctx.old.get("components")).get("schemas"))
    new_schemas = as_dict(as_dict(ctx.new.get("components")).get("schemas"))
    for name in new_schemas:
        if name not in old_schemas:
            ctx.add("component-schema-added", f"/components/schemas/{escape_pointer(name)}", None, "none", name=name)
    for name in old_schemas:
        if name not in new_schemas:
            ctx.add("api-schema-removed", f"/components/schemas/{escape_pointer(name)}", None, "none", name=name)
    for name in old_schemas:
        if name in new_schemas and name not in ctx.reached:
            where = f"/components/schemas/{escape_pointer(name)}"
            compare_schema(ctx, old_schemas[name], new_schemas[name], Site(where, None, "schema"))


def _version(value: Any) -> tuple[int, ...] | None:
    parts = str(value).split("-", 1)[0].split("+", 1)[0].split(".")
    return tuple(int(p) for p in parts) if all(p.isdigit() for p in parts) else None


def compare_version(ctx: Context) -> None:
    """oasdiff's versioning checks, run last: a breaking change with ``info.version`` unchanged, decreased, or
    without a new major version (INFO by default, for teams that version with semver)."""
    if not any(c.level == ERR for c in ctx.changes):
        return
    old_value = as_dict(ctx.old.get("info")).get("version")
    new_value = as_dict(ctx.new.get("info")).get("version")
    old, new = _version(old_value), _version(new_value)
    shown = {"old": str(old_value), "new": str(new_value)}
    if old_value == new_value:
        ctx.add("api-version-not-bumped", "/info/version", None, "none", old=str(old_value))
    elif old is not None and new is not None and new < old:
        ctx.add("api-version-decreased", "/info/version", None, "none", **shown)
    elif old is not None and new is not None and new[:1] <= old[:1]:
        ctx.add("api-major-version-not-bumped", "/info/version", None, "none", **shown)
