"""Parameters: added, removed, moved, required, deprecated, and their schemas (scope ``request-parameter``).

Parameters are matched by location and name; path parameters by their position in the path template, so that
``/a/{id}`` → ``/a/{uid}`` is a renamed parameter of the same path, not a removed path and an added one.
"""

from __future__ import annotations

import datetime
from typing import Any

from generator.diff.core import Context, as_dict
from generator.diff.schemas import Site, compare_schema
from generator.documents import escape_pointer

__all__ = ["compare_parameters", "parameter_schema", "path_level_added", "sunset"]


def parameter_schema(param: dict[str, Any]) -> Any:
    """The schema of a parameter: ``schema``, or the schema of its single ``content`` entry."""
    if "schema" in param:
        return param["schema"]
    for media in as_dict(param.get("content")).values():
        if isinstance(media, dict):
            return media.get("schema")
    return None


def _index(
    ctx: Context, document: dict[str, Any], params: list[Any], location: str, renames: dict[str, str]
) -> dict[tuple[str, str], dict[str, Any]]:
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for raw in params:
        param, _ = ctx.deref(document, raw, location)
        if isinstance(param, dict) and isinstance(param.get("name"), str):
            where, name = str(param.get("in")), param["name"]
            if where == "path":
                name = renames.get(name, name)
            found[(where, name)] = param
    return found


def sunset(value: Any) -> datetime.date | None:
    """An ``x-sunset`` value as a date, or None when it is not one."""
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _lifecycle(
    ctx: Context, previous: dict[str, Any], param: dict[str, Any], where: str, op: str, details: dict[str, str]
) -> None:
    if param.get("deprecated") and not previous.get("deprecated"):
        if "x-sunset" in param and sunset(param["x-sunset"]) is None:
            ctx.add("request-parameter-sunset-parse", where, op, "request", value=str(param["x-sunset"]), **details)
        else:
            ctx.add("request-parameter-deprecated", where, op, "request", **details)
    elif previous.get("deprecated") and not param.get("deprecated"):
        ctx.add("request-parameter-reactivated", where, op, "request", **details)
    elif previous.get("deprecated") and param.get("deprecated"):
        old_sunset, new_sunset = sunset(previous.get("x-sunset")), sunset(param.get("x-sunset"))
        if old_sunset is not None and "x-sunset" not in param:
            ctx.add("request-parameter-sunset-deleted", where, op, "request", **details)
        elif old_sunset is not None and new_sunset is not None and new_sunset < old_sunset:
            dates = {"old": old_sunset.isoformat(), "new": new_sunset.isoformat()}
            ctx.add("request-parameter-sunset-date-changed-too-small", where, op, "request", **dates, **details)


def path_level_added(ctx: Context, old: list[Any], new: list[Any], location: str) -> set[tuple[str, str]]:
    """Report the parameters added at the path level (to every operation of an existing path); their keys."""
    before, after = _index(ctx, ctx.old, old, location, {}), _index(ctx, ctx.new, new, location, {})
    added = set()
    for key, param in after.items():
        if key not in before:
            added.add(key)
            required = "required" if param.get("required") else "optional"
            where = f"{location}/parameters/{key[0]}/{escape_pointer(key[1])}"
            kind = f"new-{required}-request-default-parameter-to-existing-path"
            ctx.add(kind, where, None, "request", where=key[0], name=key[1])
    return added


def compare_parameters(
    ctx: Context,
    old: list[Any],
    new: list[Any],
    location: str,
    op: str,
    renames: dict[str, str],
    reported: frozenset[tuple[str, str]] = frozenset(),
) -> None:
    """Compare the parameters of one operation (path-level ones included); ``renames``: old → new path names;
    ``reported``: parameters already reported as added to the whole path."""
    before = _index(ctx, ctx.old, old, location, renames)
    after = _index(ctx, ctx.new, new, location, {})
    moved = {name for (_, name) in before} & {name for (_, name) in after}
    for key, param in after.items():
        where = f"{location}/parameters/{key[0]}/{escape_pointer(key[1])}"
        details = {"where": key[0], "name": key[1]}
        if key not in before and key in reported:
            continue
        if key not in before:
            previous = next((p for (w, n), p in before.items() if n == key[1] and (w, n) not in after), None)
            if previous is not None and key[1] in moved:
                ctx.add(
                    "request-parameter-in-changed",
                    where,
                    op,
                    "request",
                    name=key[1],
                    old=previous.get("in"),
                    new=key[0],
                )
            elif key[0] == "path":
                ctx.add("new-request-path-parameter", where, op, "request", name=key[1])
            elif param.get("required"):
                ctx.add("new-required-request-parameter", where, op, "request", **details)
            else:
                ctx.add("new-optional-request-parameter", where, op, "request", **details)
            continue
        previous = before[key]
        if param.get("required") and not previous.get("required"):
            ctx.add("request-parameter-became-required", where, op, "request", **details)
        elif previous.get("required") and not param.get("required"):
            ctx.add("request-parameter-became-optional", where, op, "request", **details)
        _lifecycle(ctx, previous, param, where, op, details)
        site = Site(f"{where}/schema", op, "request-parameter", header=key[0] == "header")
        compare_schema(ctx, parameter_schema(previous), parameter_schema(param), site)
    for key, param in before.items():
        if key in after or (key[1] in moved and any(n == key[1] for (_, n) in after)):
            continue
        where = f"{location}/parameters/{key[0]}/{escape_pointer(key[1])}"
        details = {"where": key[0], "name": key[1]}
        date = sunset(param.get("x-sunset"))
        if param.get("deprecated") and date is not None and date > datetime.date.today():
            ctx.add("request-parameter-removed-before-sunset", where, op, "request", date=date.isoformat(), **details)
        elif param.get("deprecated"):
            ctx.add("request-parameter-removed-with-deprecation", where, op, "request", **details)
        else:
            ctx.add("request-parameter-removed", where, op, "request", **details)
