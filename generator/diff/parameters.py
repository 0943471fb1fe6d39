"""Parameters: added, removed, moved, required, deprecated, and their schemas (scope ``request-parameter``).

Parameters are matched by location and name; path parameters by their position in the path template, so that
``/a/{id}`` → ``/a/{uid}`` is a renamed parameter of the same path, not a removed path and an added one.
"""

from __future__ import annotations

from typing import Any

from generator.diff.core import Context, as_dict
from generator.diff.schemas import Site, compare_schema
from generator.documents import escape_pointer

__all__ = ["compare_parameters", "parameter_schema"]


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


def compare_parameters(
    ctx: Context, old: list[Any], new: list[Any], location: str, op: str, renames: dict[str, str]
) -> None:
    """Compare the parameters of one operation (path-level ones included); ``renames``: old → new path names."""
    before = _index(ctx, ctx.old, old, location, renames)
    after = _index(ctx, ctx.new, new, location, {})
    moved = {name for (_, name) in before} & {name for (_, name) in after}
    for key, param in after.items():
        where = f"{location}/parameters/{key[0]}/{escape_pointer(key[1])}"
        details = {"where": key[0], "name": key[1]}
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
        if param.get("deprecated") and not previous.get("deprecated"):
            ctx.add("request-parameter-deprecated", where, op, "request", **details)
        elif previous.get("deprecated") and not param.get("deprecated"):
            ctx.add("request-parameter-reactivated", where, op, "request", **details)
        site = Site(f"{where}/schema", op, "request-parameter")
        compare_schema(ctx, parameter_schema(previous), parameter_schema(param), site)
    for key, param in before.items():
        if key in after or (key[1] in moved and any(n == key[1] for (_, n) in after)):
            continue
        where = f"{location}/parameters/{key[0]}/{escape_pointer(key[1])}"
        kind = "request-parameter-removed-with-deprecation" if param.get("deprecated") else "request-parameter-removed"
        ctx.add(kind, where, op, "request", where=key[0], name=key[1])
