"""Request and response bodies: presence, requiredness, status codes, media types, headers, and their schemas.

``sides`` lets webhooks reuse this with the roles swapped: in a webhook the API sends the request and reads the
response, so its request body is compared as a response (what the subscriber reads) and vice versa.
"""

from __future__ import annotations

from typing import Any

from generator.diff.core import Context, as_dict
from generator.diff.parameters import parameter_schema
from generator.diff.schemas import Site, compare_schema
from generator.documents import escape_pointer

__all__ = ["NORMAL", "SWAPPED", "compare_headers", "compare_request_body", "compare_responses"]

# (scope of a request body, scope of a response body)
NORMAL = ("request-body", "response-body")
SWAPPED = ("response-body", "request-body")


def compare_request_body(
    ctx: Context, old: Any, new: Any, location: str, op: str, sides: tuple[str, str] = NORMAL
) -> None:
    """Compare the ``requestBody`` of one operation."""
    old, _ = ctx.deref(ctx.old, old, location)
    new, _ = ctx.deref(ctx.new, new, location)
    old, new = as_dict(old), as_dict(new)
    if not old and not new:
        return
    if not old:
        kind = "request-body-added-required" if new.get("required") else "request-body-added-optional"
        ctx.add(kind, location, op, "request")
        return
    if not new:
        ctx.add("request-body-removed", location, op, "request")
        return
    if new.get("required") and not old.get("required"):
        ctx.add("request-body-became-required", location, op, "request")
    elif old.get("required") and not new.get("required"):
        ctx.add("request-body-became-optional", location, op, "request")
    _content(ctx, as_dict(old.get("content")), as_dict(new.get("content")), f"{location}/content", op, sides[0])


def compare_responses(
    ctx: Context, old: dict[str, Any], new: dict[str, Any], location: str, op: str, sides: tuple[str, str] = NORMAL
) -> None:
    """Compare the ``responses`` of one operation: status codes, then each common response."""
    for status in new:
        if status not in old:
            success = str(status).startswith("2")
            kind = "response-success-status-added" if success else "response-non-success-status-added"
            ctx.add(kind, f"{location}/{escape_pointer(str(status))}", op, "response", status=str(status))
    for status in old:
        where = f"{location}/{escape_pointer(str(status))}"
        if status not in new:
            success = str(status).startswith("2")
            kind = "response-success-status-removed" if success else "response-non-success-status-removed"
            ctx.add(kind, where, op, "response", status=str(status))
            continue
        before, _ = ctx.deref(ctx.old, old[status], where)
        after, _ = ctx.deref(ctx.new, new[status], where)
        if isinstance(before, dict) and isinstance(after, dict):
            _content(
                ctx, as_dict(before.get("content")), as_dict(after.get("content")), f"{where}/content", op, sides[1]
            )
            compare_headers(ctx, as_dict(before.get("headers")), as_dict(after.get("headers")), f"{where}/headers", op)


def _content(ctx: Context, old: dict[str, Any], new: dict[str, Any], location: str, op: str, scope: str) -> None:
    side = "request" if scope.startswith("request") else "response"
    prefix = "request-body" if side == "request" else "response"
    for media in new:
        if media not in old:
            ctx.add(f"{prefix}-media-type-added", f"{location}/{escape_pointer(media)}", op, side, media=media)
    for media in old:
        where = f"{location}/{escape_pointer(media)}"
        if media not in new:
            ctx.add(f"{prefix}-media-type-removed", where, op, side, media=media)
        elif isinstance(old[media], dict) and isinstance(new[media], dict):
            for keyword, stem in (("schema", "schema"), ("itemSchema", "item-schema")):
                before, after = old[media].get(keyword), new[media].get(keyword)
                if before is None and after is not None:
                    ctx.add(f"{side}-body-media-type-{stem}-added", where, op, side, media=media)
                elif before is not None and after is None:
                    ctx.add(f"{side}-body-media-type-{stem}-removed", where, op, side, media=media)
                else:
                    compare_schema(ctx, before, after, Site(f"{where}/{keyword}", op, scope))


def compare_headers(ctx: Context, old: dict[str, Any], new: dict[str, Any], location: str, op: str) -> None:
    """Compare the headers of one response: added, removed, requiredness and schema (scope ``response-header``)."""
    for name in new:
        if name not in old:
            ctx.add("response-header-added", f"{location}/{escape_pointer(name)}", op, "response", name=name)
    for name in old:
        where = f"{location}/{escape_pointer(name)}"
        before, _ = ctx.deref(ctx.old, old[name], where)
        before = as_dict(before)
        if name not in new:
            kind = "required-response-header-removed" if before.get("required") else "optional-response-header-removed"
            ctx.add(kind, where, op, "response", name=name)
            continue
        after, _ = ctx.deref(ctx.new, new[name], where)
        after = as_dict(after)
        if before.get("required") and not after.get("required"):
            ctx.add("response-header-became-optional", where, op, "response", name=name)
        elif after.get("required") and not before.get("required"):
            ctx.add("response-header-became-required", where, op, "response", name=name)
        site = Site(f"{where}/schema", op, "response-header")
        compare_schema(ctx, parameter_schema(before), parameter_schema(after), site)
