"""Schemas: two JSON Schemas compared keyword by keyword, following ``$ref``s, at a scope that gives the ids.

A schema is compared where it is used: its scope (``request-body``, ``response-property``, ``schema``…) names the
change and its side decides the level. Nullability is read the same way from OpenAPI 3.0 (``nullable: true``) and
3.1 (``type: [X, 'null']``, or a ``oneOf``/``anyOf`` with a ``{type: 'null'}`` member). Members of ``allOf``/
``anyOf``/``oneOf`` are matched by ``$ref``, then by equal content, then by position among the inline ones, so a
change inside an inline member is reported as that change rather than as one member removed and another added.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from generator.diff.core import Context, as_dict, as_list
from generator.diff.kinds import ALIASES, KEYWORDS_2020, LIMITS, READ_ONLY_GUARDED, kebab, scope_side
from generator.documents import escape_pointer

__all__ = ["Site", "compare_schema", "nested_scope"]

_NESTED = {
    "request-body": "request-property",
    "request-parameter": "request-parameter-property",
    "response-body": "response-property",
    "response-header": "response-header-property",
}
_SIDE_INDEX = {"request": 0, "response": 1, "none": 2}
_SIDED_IDS = {
    "property-added-required": (
        "new-required-request-property",
        "response-required-property-added",
        "schema-required-property-added",
    ),
    "property-added-optional": (
        "new-optional-request-property",
        "response-optional-property-added",
        "schema-optional-property-added",
    ),
    "property-removed-required": (
        "request-property-removed",
        "response-required-property-removed",
        "schema-required-property-removed",
    ),
    "property-removed-optional": (
        "request-optional-property-removed",
        "response-optional-property-removed",
        "schema-optional-property-removed",
    ),
    "property-became-required": (
        "request-property-became-required",
        "response-property-became-required",
        "schema-property-became-required",
    ),
    "property-became-optional": (
        "request-property-became-optional",
        "response-property-became-optional",
        "schema-property-became-optional",
    ),
}
# Keys that may sit beside a single-member oneOf/anyOf with a null alternative without changing what it means.
_ANNOTATIONS = frozenset(
    {"description", "title", "default", "deprecated", "example", "examples", "nullable", "readOnly", "writeOnly"}
)
_STABILITY = ("draft", "alpha", "beta", "stable")
_COMPOSITIONS = (("allOf", "all-of"), ("anyOf", "any-of"), ("oneOf", "one-of"))


def nested_scope(scope: str) -> str:
    """The scope of what a schema at ``scope`` contains (a body's properties are ``…-property``)."""
    return _NESTED.get(scope, scope)


@dataclass(frozen=True)
class Site:
    """Where a schema comparison stands: pointer, operation, scope, the refs being followed, whether the schema is
    a property and then whether it is required (``None``: not a property), and whether it sits in a header."""

    location: str
    op: str | None
    scope: str
    stack: frozenset[str] = frozenset()
    required: bool | None = None
    header: bool = False

    def at(self, location: str, scope: str | None = None, required: bool | None = None) -> Site:
        """The same comparison one level down."""
        return Site(location, self.op, scope or self.scope, self.stack, required, self.header)


def kind_id(site: Site, stem: str, schema: dict[str, Any]) -> str:
    """The id of a scoped rule at ``site``, where oasdiff names the change after a guard or under its own name:
    a readOnly property of a request, a writeOnly property of a response, a property of a header parameter."""
    if site.scope == "request-property" and schema.get("readOnly") is True and stem in READ_ONLY_GUARDED:
        return f"request-read-only-property-{stem}"
    if site.scope == "response-property" and schema.get("writeOnly") is True and stem == "enum-value-added":
        return "response-write-only-property-enum-value-added"
    if site.header and site.scope == "request-parameter-property" and stem == "became-enum":
        return "request-header-property-became-enum"
    scoped = f"{site.scope}-{stem}"
    return ALIASES.get(scoped, scoped)


def _is_null(member: Any) -> bool:
    return isinstance(member, dict) and member.get("type") == "null" and len(member) == 1


def _split_null(schema: dict[str, Any]) -> tuple[Any, bool]:
    """The schema without its null alternative, and whether null is allowed (3.0 or 3.1 spelling)."""
    nullable = schema.get("nullable") is True
    kind = schema.get("type")
    if isinstance(kind, list) and "null" in kind:
        rest = [t for t in kind if t != "null"]
        schema = {k: v for k, v in schema.items() if k != "type"}
        if rest:
            schema["type"] = rest[0] if len(rest) == 1 else rest
        nullable = True
    for keyword in ("oneOf", "anyOf"):
        members = schema.get(keyword)
        if isinstance(members, list) and any(_is_null(m) for m in members):
            nullable = True
            rest = [m for m in members if not _is_null(m)]
            if len(rest) == 1 and set(schema) - {keyword} <= _ANNOTATIONS:
                return rest[0], nullable
            schema = {**schema, keyword: rest}
    return schema, nullable


def _types(schema: dict[str, Any]) -> frozenset[str] | None:
    """The set of types a schema names (``None``: no ``type``, any type)."""
    kind = schema.get("type")
    if isinstance(kind, str):
        return frozenset({kind})
    if isinstance(kind, list):
        return frozenset(t for t in kind if isinstance(t, str) and t != "null")
    return None


def _shown_types(types: frozenset[str] | None) -> str:
    return "any" if types is None else "|".join(sorted(types)) or "any"


def _widened(old: frozenset[str] | None, new: frozenset[str] | None) -> bool:
    if new is None:
        return True
    if old is None:
        return False
    return old < new or (old == {"integer"} and new == {"number"})


def _narrowed(old: frozenset[str] | None, new: frozenset[str] | None) -> bool:
    return _widened(new, old)


def _is_list(schema: dict[str, Any]) -> bool:
    kind = schema.get("type")
    return isinstance(kind, list) and len([t for t in kind if t != "null"]) > 1


_MATCH_ALL = frozenset({".*", "^.*$", "^.*", ".*$", "(.*)", "^(.*)$"})


def _number(value: Any) -> float | None:
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def _pattern(schema: dict[str, Any]) -> str | None:
    """The pattern, where an empty one means none."""
    pattern = schema.get("pattern")
    return pattern if isinstance(pattern, str) and pattern else None


def _key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def _member_name(member: Any, index: int) -> str:
    if isinstance(member, dict) and isinstance(member.get("$ref"), str):
        return str(member["$ref"]).rsplit("/", 1)[-1]
    return f"#{index}"


def match_members(old: list[Any], new: list[Any]) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """Pairs of (old index, new index) for the same member, then the new ones added and the old ones removed.

    A member is the same by ``$ref``, else by equal content, else by position among the remaining inline members.
    """
    pairs: list[tuple[int, int]] = []
    free_old, free_new = list(range(len(old))), list(range(len(new)))

    def claim(same: Callable[[Any, Any], bool]) -> None:
        for i in list(free_old):
            for j in free_new:
                if same(old[i], new[j]):
                    pairs.append((i, j))
                    free_old.remove(i)
                    free_new.remove(j)
                    break

    def ref(member: Any) -> str | None:
        return member.get("$ref") if isinstance(member, dict) and isinstance(member.get("$ref"), str) else None

    claim(lambda a, b: ref(a) is not None and ref(a) == ref(b))
    claim(lambda a, b: _key(a) == _key(b))
    claim(lambda a, b: ref(a) is None and ref(b) is None)
    return sorted(pairs), free_new, free_old


def compare_schema(ctx: Context, old: Any, new: Any, site: Site) -> None:
    """Every change from ``old`` to ``new`` at ``site``."""
    if _wrapped(ctx, old, new, site):
        return
    old, old_location = ctx.deref(ctx.old, old, site.location)
    new, location = ctx.deref(ctx.new, new, site.location)
    if not isinstance(old, dict) or not isinstance(new, dict):
        return
    old, old_nullable = _split_null(old)
    new, new_nullable = _split_null(new)
    old, old_location = ctx.deref(ctx.old, old, old_location)
    new, location = ctx.deref(ctx.new, new, location)
    if not isinstance(old, dict) or not isinstance(new, dict):
        return
    guard = f"{old_location}|{location}|{site.scope}|{site.op}|{site.required}"
    if guard in site.stack:
        return
    site = Site(location, site.op, site.scope, site.stack | {guard}, site.required, site.header)
    direction = scope_side(site.scope)

    def add(stem: str, **details: Any) -> None:
        ctx.add(kind_id(site, stem, new), location, site.op, direction, **details)

    if old_nullable != new_nullable:
        add("became-nullable" if new_nullable else "became-not-nullable")
    _type(old, new, add)
    _values(old, new, add)
    _limits(old, new, add)
    _lifecycle(ctx, old, new, site, add)
    _additional(ctx, old, new, site, add)
    _properties(ctx, old, new, site)
    _items(ctx, old, new, site, add)
    _compositions(ctx, old, new, site, add)
    _discriminator(old, new, add)
    _keywords_2020(ctx, old, new, site, add)


def _wrapped(ctx: Context, old: Any, new: Any, site: Site) -> bool:
    """A ``$ref`` that became a ``oneOf`` holding it: reported as wrapped, then compared with that member."""
    if not (isinstance(old, dict) and isinstance(new, dict) and isinstance(old.get("$ref"), str)):
        return False
    members = new.get("oneOf")
    if "$ref" in new or not isinstance(members, list) or len(members) < 2 or any(_is_null(m) for m in members):
        return False
    for index, member in enumerate(members):
        if isinstance(member, dict) and member.get("$ref") == old["$ref"]:
            ctx.add(f"{site.scope}-wrapped-in-one-of", site.location, site.op, scope_side(site.scope))
            compare_schema(ctx, old, member, site.at(f"{site.location}/oneOf/{index}", required=site.required))
            return True
    return False


def _type(old: dict[str, Any], new: dict[str, Any], add: Callable[..., None]) -> None:
    old_types, new_types = _types(old), _types(new)
    implied = {"object": "properties", "array": "items"}
    if old_types != new_types:
        only = next(iter(new_types)) if new_types and len(new_types) == 1 else None
        if old_types is None and only in implied and implied[only] in old:
            pass
        elif (_is_list(old) or _is_list(new)) and old_types is not None and new_types is not None:
            if new_types - old_types:
                add("list-of-types-widened", new="|".join(sorted(new_types - old_types)))
            if old_types - new_types:
                add("list-of-types-narrowed", old="|".join(sorted(old_types - new_types)))
        else:
            shown = {"old": _shown_types(old_types), "new": _shown_types(new_types)}
            if _widened(old_types, new_types):
                add("type-generalized", **shown)
            elif _narrowed(old_types, new_types):
                add("type-specialized", **shown)
            else:
                add("type-changed", **shown)
    if old.get("format") != new.get("format"):
        add("format-changed", old=old.get("format"), new=new.get("format"))


def _listed_values(old: list[Any], new: list[Any], stem: str, add: Callable[..., None]) -> None:
    """``<stem>-added`` for each value only ``new`` lists, then ``<stem>-removed`` for each only ``old`` lists."""
    for value in new:
        if value not in old:
            add(f"{stem}-added", value=value)
    for value in old:
        if value not in new:
            add(f"{stem}-removed", value=value)


def _values(old: dict[str, Any], new: dict[str, Any], add: Callable[..., None]) -> None:
    old_enum = old.get("enum") if isinstance(old.get("enum"), list) else None
    new_enum = new.get("enum") if isinstance(new.get("enum"), list) else None
    if old_enum is None and new_enum is not None:
        add("became-enum", new=new_enum)
    elif old_enum is not None and new_enum is None:
        add("became-not-enum")
    elif old_enum is not None and new_enum is not None:
        _listed_values(old_enum, new_enum, "enum-value", add)
    old_open, new_open = as_list(old.get("x-extensible-enum")), as_list(new.get("x-extensible-enum"))
    _listed_values(old_open, new_open, "x-extensible-enum-value", add)
    old_pattern, new_pattern = _pattern(old), _pattern(new)
    if old_pattern != new_pattern:
        if old_pattern is None:
            add("pattern-added", new=new_pattern)
        elif new_pattern is None:
            add("pattern-removed", old=old_pattern)
        elif new_pattern in _MATCH_ALL:
            add("pattern-generalized", old=old_pattern, new=new_pattern)
        else:
            add("pattern-changed", old=old_pattern, new=new_pattern)
    for keyword, stem in (("default", "default-value"), ("const", "const")):
        if keyword in old and keyword not in new:
            add(f"{stem}-removed", old=old[keyword])
        elif keyword in new and keyword not in old:
            add(f"{stem}-added", new=new[keyword])
        elif keyword in old and _key(old[keyword]) != _key(new[keyword]):
            add(f"{stem}-changed", old=old[keyword], new=new[keyword])


def _limits(old: dict[str, Any], new: dict[str, Any], add: Callable[..., None]) -> None:
    for keyword, (stem, _) in LIMITS.items():
        before, after = _number(old.get(keyword)), _number(new.get(keyword))
        if before == after:
            continue
        if before is None:
            add(f"{stem}-set", new=after)
        elif after is None:
            add(f"{stem}-unset", old=before)
        else:
            add(f"{stem}-{'increased' if after > before else 'decreased'}", old=before, new=after)
    before, after = _number(old.get("multipleOf")), _number(new.get("multipleOf"))
    if before != after:
        if before is None:
            add("multiple-of-set", new=after)
        elif after is None:
            add("multiple-of-unset", old=before)
        elif before % after == 0:
            add("multiple-of-generalized", old=before, new=after)
        elif after % before == 0:
            add("multiple-of-specialized", old=before, new=after)
        else:
            add("multiple-of-changed", old=before, new=after)
    if bool(old.get("uniqueItems")) != bool(new.get("uniqueItems")):
        add("unique-items-set" if new.get("uniqueItems") else "unique-items-unset")


def _sunset_valid(value: Any) -> bool:
    if isinstance(value, datetime.date):
        return True
    try:
        datetime.date.fromisoformat(str(value)[:10])
    except ValueError:
        return False
    return True


def _lifecycle(ctx: Context, old: dict[str, Any], new: dict[str, Any], site: Site, add: Callable[..., None]) -> None:
    side = scope_side(site.scope)
    for keyword, stem in (("readOnly", "read-only"), ("writeOnly", "write-only")):
        if bool(old.get(keyword)) != bool(new.get(keyword)):
            change = stem if new.get(keyword) else f"not-{stem}"
            if site.required is not None and side != "none":
                required = "required" if site.required else "optional"
                name = site.location.rsplit("/", 1)[-1]
                kind = f"{side}-{required}-property-became-{change}"
                ctx.add(kind, site.location, site.op, side, name=name)
            else:
                add(f"became-{change}")
    if new.get("deprecated") and not old.get("deprecated"):
        sunset = new.get("x-sunset")
        if sunset is not None and not _sunset_valid(sunset):
            add("deprecated-sunset-invalid", value=str(sunset))
        elif sunset is not None:
            add("deprecated-with-sunset", date=str(sunset))
        else:
            add("deprecated")
    elif old.get("deprecated") and not new.get("deprecated"):
        add("reactivated")
    old_level, new_level = old.get("x-stability-level"), new.get("x-stability-level")
    if old_level in _STABILITY and new_level in _STABILITY and old_level != new_level:
        lower = _STABILITY.index(new_level) < _STABILITY.index(old_level)
        add(f"stability-{'decreased' if lower else 'increased'}", old=old_level, new=new_level)
    if old.get("description") != new.get("description"):
        add("description-changed")
    if old.get("title") != new.get("title"):
        add("title-changed", old=old.get("title"), new=new.get("title"))


def _additional(ctx: Context, old: dict[str, Any], new: dict[str, Any], site: Site, add: Callable[..., None]) -> None:
    before, after = old.get("additionalProperties", True), new.get("additionalProperties", True)
    before = True if before == {} else before
    after = True if after == {} else after
    if isinstance(before, dict) and isinstance(after, dict):
        where = f"{site.location}/additionalProperties"
        compare_schema(ctx, before, after, site.at(where, nested_scope(site.scope)))
    elif before != after:
        restricted = after is False or (before is True and isinstance(after, dict))
        add(f"additional-properties-{'restricted' if restricted else 'relaxed'}", old=before, new=after)


def _flag(ctx: Context, document: dict[str, Any], schema: Any, keyword: str) -> bool:
    target, _ = ctx.deref(document, schema, "")
    return isinstance(target, dict) and target.get(keyword) is True


def _has_default(ctx: Context, schema: Any) -> bool:
    target, _ = ctx.deref(ctx.new, schema, "")
    return isinstance(target, dict) and "default" in target


def _property_kind(ctx: Context, site: Site, rule: str, old_schema: Any, new_schema: Any) -> str:
    """The id of a property rule: by side, then oasdiff's guarded variants (writeOnly in a response, a default in
    a request, a property of a header parameter)."""
    side = scope_side(site.scope)
    if side == "response" and (
        _flag(ctx, ctx.old, old_schema, "writeOnly") or _flag(ctx, ctx.new, new_schema, "writeOnly")
    ):
        guarded = {
            "property-added-required": "response-required-write-only-property-added",
            "property-added-optional": "response-optional-write-only-property-added",
            "property-removed-required": "response-required-write-only-property-removed",
            "property-removed-optional": "response-optional-write-only-property-removed",
            "property-became-optional": "response-write-only-property-became-optional",
            "property-became-required": "response-write-only-property-became-required",
        }
        return guarded[rule]
    if site.header and site.scope == "request-parameter":
        if rule == "property-added-required":
            return "new-required-request-header-property"
        if rule == "property-became-required":
            return "request-header-property-became-required"
    if side == "request" and _has_default(ctx, new_schema):
        if rule == "property-added-required":
            return "new-required-request-property-with-default"
        if rule == "property-became-required":
            return "request-property-became-required-with-default"
    return _SIDED_IDS[rule][_SIDE_INDEX[side]]


def _properties(ctx: Context, old: dict[str, Any], new: dict[str, Any], site: Site) -> None:
    old_props, new_props = as_dict(old.get("properties")), as_dict(new.get("properties"))
    old_required = {r for r in as_list(old.get("required")) if isinstance(r, str)}
    new_required = {r for r in as_list(new.get("required")) if isinstance(r, str)}
    side = scope_side(site.scope)

    def add(rule: str, name: str) -> None:
        kind = _property_kind(ctx, site, rule, old_props.get(name), new_props.get(name))
        ctx.add(kind, site.location, site.op, side, name=name)

    for name in new_props:
        if name not in old_props:
            add("property-added-required" if name in new_required else "property-added-optional", name)
    for name in old_props:
        if name not in new_props:
            add("property-removed-required" if name in old_required else "property-removed-optional", name)
            continue
        if name in new_required and name not in old_required:
            add("property-became-required", name)
        elif name in old_required and name not in new_required:
            add("property-became-optional", name)
        where = f"{site.location}/properties/{escape_pointer(name)}"
        inner = site.at(where, nested_scope(site.scope), required=name in new_required)
        compare_schema(ctx, old_props[name], new_props[name], inner)


def _items(ctx: Context, old: dict[str, Any], new: dict[str, Any], site: Site, add: Callable[..., None]) -> None:
    inner = nested_scope(site.scope)
    if isinstance(old.get("items"), dict) and isinstance(new.get("items"), dict):
        compare_schema(ctx, old["items"], new["items"], site.at(f"{site.location}/items", inner))
    old_prefix, new_prefix = as_list(old.get("prefixItems")), as_list(new.get("prefixItems"))
    for index in range(min(len(old_prefix), len(new_prefix))):
        where = f"{site.location}/prefixItems/{index}"
        compare_schema(ctx, old_prefix[index], new_prefix[index], site.at(where, inner))
    for index in range(len(old_prefix), len(new_prefix)):
        add("prefix-items-added", name=f"#{index}")
    for index in range(len(new_prefix), len(old_prefix)):
        add("prefix-items-removed", name=f"#{index}")


def _compositions(ctx: Context, old: dict[str, Any], new: dict[str, Any], site: Site, add: Callable[..., None]) -> None:
    for keyword, stem in _COMPOSITIONS:
        old_members = [m for m in as_list(old.get(keyword)) if not _is_null(m)]
        new_members = [m for m in as_list(new.get(keyword)) if not _is_null(m)]
        pairs, added, removed = match_members(old_members, new_members)
        for index in added:
            only = keyword == "allOf" and _annotation_only(ctx, ctx.new, new_members[index])
            add(f"{stem}-added{'-annotation-only' if only else ''}", name=_member_name(new_members[index], index))
        for index in removed:
            only = keyword == "allOf" and _annotation_only(ctx, ctx.old, old_members[index])
            add(f"{stem}-removed{'-annotation-only' if only else ''}", name=_member_name(old_members[index], index))
        for i, j in pairs:
            compare_schema(ctx, old_members[i], new_members[j], site.at(f"{site.location}/{keyword}/{j}"))


def _annotation_only(ctx: Context, document: dict[str, Any], member: Any) -> bool:
    target, _ = ctx.deref(document, member, "")
    return isinstance(target, dict) and bool(target) and set(target) <= _ANNOTATIONS


def _discriminator(old: dict[str, Any], new: dict[str, Any], add: Callable[..., None]) -> None:
    before, after = old.get("discriminator"), new.get("discriminator")
    if not isinstance(before, dict) and not isinstance(after, dict):
        return
    if not isinstance(before, dict):
        add("discriminator-added")
        return
    if not isinstance(after, dict):
        add("discriminator-removed")
        return
    if before.get("propertyName") != after.get("propertyName"):
        add("discriminator-property-name-changed", old=before.get("propertyName"), new=after.get("propertyName"))
    old_map, new_map = as_dict(before.get("mapping")), as_dict(after.get("mapping"))
    for name in new_map:
        if name not in old_map:
            add("discriminator-mapping-added", name=name)
        elif old_map[name] != new_map[name]:
            add("discriminator-mapping-changed", name=name, old=old_map[name], new=new_map[name])
    for name in old_map:
        if name not in new_map:
            add("discriminator-mapping-deleted", name=name)


def _keywords_2020(
    ctx: Context, old: dict[str, Any], new: dict[str, Any], site: Site, add: Callable[..., None]
) -> None:
    for keyword in KEYWORDS_2020:
        stem = kebab(keyword)
        if keyword in new and keyword not in old:
            add(f"{stem}-added")
        elif keyword in old and keyword not in new:
            add(f"{stem}-removed")
        elif keyword in old and _key(old[keyword]) != _key(new[keyword]):
            add(f"{stem}-changed")
    for keyword, stem in (("contentMediaType", "content-media-type"), ("contentEncoding", "content-encoding")):
        if old.get(keyword) != new.get(keyword):
            add(f"{stem}-changed", old=old.get(keyword), new=new.get(keyword))
    before, after = as_dict(old.get("dependentRequired")), as_dict(new.get("dependentRequired"))
    for name in after:
        if name not in before:
            add("dependent-required-added", name=name)
        elif _key(before[name]) != _key(after[name]):
            add("dependent-required-changed", name=name)
    for name in before:
        if name not in after:
            add("dependent-required-removed", name=name)
    for keyword, stem in (("dependentSchemas", "dependent-schema"), ("patternProperties", "pattern-property")):
        before, after = as_dict(old.get(keyword)), as_dict(new.get(keyword))
        for name in after:
            if name not in before:
                add(f"{stem}-added", name=name)
        for name in before:
            if name not in after:
                add(f"{stem}-removed", name=name)
            else:
                where = f"{site.location}/{keyword}/{escape_pointer(name)}"
                compare_schema(ctx, before[name], after[name], site.at(where, nested_scope(site.scope)))
