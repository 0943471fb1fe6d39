"""Every change kind of `diff`, each on a small spec pair, with its level and direction."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from generator.diff import KINDS, diff_specs, suggest_bump

REF = {"$ref": "#/components/schemas/Thing"}


def spec(
    thing: dict[str, Any] | None = None,
    *,
    request: bool = True,
    response: bool = True,
    params: list[dict[str, Any]] | None = None,
    body_required: bool = True,
    statuses: tuple[str, ...] = ("200", "400"),
    media: str = "application/json",
    extra_paths: dict[str, Any] | None = None,
    op: dict[str, Any] | None = None,
    extra_schemas: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A one-operation document whose schema `Thing` is used by the request, the response, or both."""
    operation: dict[str, Any] = {"operationId": "send", "summary": "Send", "responses": {}}
    if request:
        operation["requestBody"] = {"required": body_required, "content": {media: {"schema": REF}}}
    for status in statuses:
        content = {media: {"schema": REF}} if response and status.startswith("2") else {}
        operation["responses"][status] = {"description": status, **({"content": content} if content else {})}
    if params is not None:
        operation["parameters"] = params
    operation.update(op or {})
    thing = thing if thing is not None else {"type": "object", "properties": {"a": {"type": "string"}}}
    return {
        "openapi": "3.0.1",
        "info": {"title": "T", "version": "1"},
        "paths": {"/send": {"post": operation}, **(extra_paths or {})},
        "components": {"schemas": {"Thing": thing, **(extra_schemas or {})}},
    }


def obj(**props: Any) -> dict[str, Any]:
    required = props.pop("required", None)
    schema: dict[str, Any] = {"type": "object", "properties": props}
    if required:
        schema["required"] = required
    return schema


def _two_media(document: dict[str, Any], where: str) -> dict[str, Any]:
    """The same document with an XML media type beside the JSON one, in the request body or a response."""
    operation = document["paths"]["/send"]["post"]
    holder = operation["requestBody"] if where == "requestBody" else operation["responses"][where]
    holder["content"]["application/xml"] = {"schema": REF}
    return document


S = {"type": "string"}
P = [{"name": "q", "in": "query", "schema": S}]
PR = [{"name": "q", "in": "query", "required": True, "schema": S}]
GET = {"/other": {"get": {"responses": {"200": {"description": "ok"}}}}}

# (id, level, direction, old document, new document)
CASES: list[tuple[str, str, str, dict[str, Any], dict[str, Any]]] = [
    ("path-added", "INFO", "none", spec(), spec(extra_paths=GET)),
    ("path-removed", "ERR", "none", spec(extra_paths=GET), spec()),
    ("operation-added", "INFO", "none", spec(extra_paths={"/other": {}}), spec(extra_paths=GET)),
    ("operation-removed", "ERR", "none", spec(extra_paths=GET), spec(extra_paths={"/other": {}})),
    ("operation-id-changed", "WARN", "none", spec(), spec(op={"operationId": "post"})),
    ("operation-deprecated", "WARN", "none", spec(), spec(op={"deprecated": True})),
    ("operation-summary-changed", "INFO", "none", spec(), spec(op={"summary": "Send it"})),
    ("operation-description-changed", "INFO", "none", spec(), spec(op={"description": "More."})),
    ("request-parameter-added-required", "ERR", "request", spec(params=[]), spec(params=PR)),
    ("request-parameter-added-optional", "INFO", "request", spec(params=[]), spec(params=P)),
    ("request-parameter-removed", "WARN", "request", spec(params=P), spec(params=[])),
    ("request-parameter-became-required", "ERR", "request", spec(params=P), spec(params=PR)),
    ("request-parameter-became-optional", "INFO", "request", spec(params=PR), spec(params=P)),
    ("request-parameter-deprecated", "WARN", "request", spec(params=P), spec(params=[{**P[0], "deprecated": True}])),
    ("request-body-added-required", "ERR", "request", spec(request=False), spec()),
    ("request-body-added-optional", "INFO", "request", spec(request=False), spec(body_required=False)),
    ("request-body-removed", "WARN", "request", spec(), spec(request=False)),
    ("request-body-became-required", "ERR", "request", spec(body_required=False), spec()),
    ("request-body-became-optional", "INFO", "request", spec(), spec(body_required=False)),
    ("response-status-added", "INFO", "response", spec(statuses=("200",)), spec(statuses=("200", "404"))),
    ("response-success-status-removed", "ERR", "response", spec(statuses=("200", "201")), spec(statuses=("200",))),
    ("response-non-success-status-removed", "WARN", "response", spec(), spec(statuses=("200",))),
    (
        "request-media-type-added",
        "INFO",
        "request",
        spec(response=False),
        _two_media(spec(response=False), "requestBody"),
    ),
    (
        "request-media-type-removed",
        "ERR",
        "request",
        _two_media(spec(response=False), "requestBody"),
        spec(response=False),
    ),
    ("response-media-type-added", "INFO", "response", spec(request=False), _two_media(spec(request=False), "200")),
    ("response-media-type-removed", "ERR", "response", _two_media(spec(request=False), "200"), spec(request=False)),
    ("component-schema-added", "INFO", "none", spec(), spec(extra_schemas={"New": S})),
    ("component-schema-removed", "WARN", "none", spec(extra_schemas={"Old": S}), spec()),
]


def schema_case(kind: str, old: dict[str, Any], new: dict[str, Any], request: str, response: str) -> None:
    """Add the request-side and response-side cases of one schema-level kind."""
    CASES.append((f"request-{kind}", request, "request", spec(old, response=False), spec(new, response=False)))
    CASES.append((f"response-{kind}", response, "response", spec(old, request=False), spec(new, request=False)))


schema_case("property-added-required", obj(a=S), obj(a=S, b=S, required=["b"]), "ERR", "INFO")
schema_case("property-added-optional", obj(a=S), obj(a=S, b=S), "INFO", "INFO")
schema_case("property-removed-required", obj(a=S, b=S, required=["b"]), obj(a=S), "WARN", "ERR")
schema_case("property-removed-optional", obj(a=S, b=S), obj(a=S), "WARN", "WARN")
schema_case("property-became-required", obj(a=S), obj(a=S, required=["a"]), "ERR", "INFO")
schema_case("property-became-optional", obj(a=S, required=["a"]), obj(a=S), "INFO", "ERR")
schema_case("type-changed", obj(a=S), obj(a={"type": "integer"}), "ERR", "ERR")
schema_case("format-changed", obj(a=S), obj(a={"type": "string", "format": "uuid"}), "WARN", "WARN")
schema_case("became-nullable", obj(a=S), obj(a={**S, "nullable": True}), "INFO", "ERR")
schema_case("became-not-nullable", obj(a={**S, "nullable": True}), obj(a=S), "ERR", "INFO")
schema_case("enum-value-added", obj(a={**S, "enum": ["X"]}), obj(a={**S, "enum": ["X", "Y"]}), "INFO", "WARN")
schema_case("enum-value-removed", obj(a={**S, "enum": ["X", "Y"]}), obj(a={**S, "enum": ["X"]}), "ERR", "INFO")
schema_case("pattern-added", obj(a=S), obj(a={**S, "pattern": "^x$"}), "ERR", "INFO")
schema_case("pattern-changed", obj(a={**S, "pattern": "^x$"}), obj(a={**S, "pattern": "^y$"}), "WARN", "INFO")
schema_case("pattern-removed", obj(a={**S, "pattern": "^x$"}), obj(a=S), "INFO", "INFO")
schema_case("default-changed", obj(a={**S, "default": "x"}), obj(a={**S, "default": "y"}), "WARN", "INFO")
schema_case("deprecated", obj(a=S), obj(a={**S, "deprecated": True}), "INFO", "INFO")
schema_case("description-changed", obj(a={**S, "description": "x"}), obj(a={**S, "description": "y"}), "INFO", "INFO")
schema_case("title-changed", obj(a={**S, "title": "x"}), obj(a={**S, "title": "y"}), "INFO", "INFO")
closed = {**obj(a=S), "additionalProperties": False}
schema_case("additional-properties-restricted", obj(a=S), closed, "ERR", "INFO")
schema_case("additional-properties-relaxed", closed, obj(a=S), "INFO", "WARN")
STR_LIST = {"type": "array", "items": S}
for keyword, kebab, low, high, base in [
    ("minLength", "min-length", 1, 3, S),
    ("maxLength", "max-length", 3, 10, S),
    ("minimum", "minimum", 1, 5, {"type": "integer"}),
    ("maximum", "maximum", 5, 50, {"type": "integer"}),
    ("minItems", "min-items", 1, 2, STR_LIST),
    ("maxItems", "max-items", 10, 100, STR_LIST),
    ("minProperties", "min-properties", 1, 2, {"type": "object"}),
    ("maxProperties", "max-properties", 2, 5, {"type": "object"}),
]:
    loose, tight = (low, high) if keyword.startswith("min") else (high, low)
    schema_case(f"{kebab}-tightened", obj(a={**base, keyword: loose}), obj(a={**base, keyword: tight}), "ERR", "INFO")
    schema_case(f"{kebab}-loosened", obj(a={**base, keyword: tight}), obj(a={**base, keyword: loose}), "INFO", "WARN")
A, B = {"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/B"}
for keyword, kebab, added, removed in [
    ("allOf", "all-of", ("ERR", "INFO"), ("INFO", "WARN")),
    ("anyOf", "any-of", ("INFO", "WARN"), ("ERR", "INFO")),
    ("oneOf", "one-of", ("INFO", "WARN"), ("ERR", "INFO")),
]:
    schema_case(f"{kebab}-member-added", obj(a={keyword: [A]}), obj(a={keyword: [A, B]}), *added)
    schema_case(f"{kebab}-member-removed", obj(a={keyword: [A, B]}), obj(a={keyword: [A]}), *removed)
for case in CASES:
    for document in case[3:]:
        document["components"]["schemas"].setdefault("A", obj(x=S))
        document["components"]["schemas"].setdefault("B", obj(y=S))


@pytest.mark.parametrize(("kind", "level", "direction", "old", "new"), CASES, ids=[c[0] for c in CASES])
def test_change_kind(kind: str, level: str, direction: str, old: dict[str, Any], new: dict[str, Any]) -> None:
    changes = diff_specs(copy.deepcopy(old), copy.deepcopy(new))
    found = [c for c in changes if c.id == kind]
    assert found, f"{kind} not reported; got {[c.id for c in changes]}"
    assert {(c.level, c.direction) for c in found} == {(level, direction)}
    assert KINDS[kind][0] == level
    assert all(c.location.startswith("/") for c in found)


def test_at_least_forty_distinct_kinds_are_covered() -> None:
    assert len({c[0] for c in CASES}) >= 40


def test_shared_schema_is_reported_for_each_side() -> None:
    changes = diff_specs(spec(obj(a=S)), spec(obj(a=S, required=["a"])))
    became = {(c.id, c.level, c.direction) for c in changes if c.id.endswith("property-became-required")}
    assert became == {
        ("request-property-became-required", "ERR", "request"),
        ("response-property-became-required", "INFO", "response"),
    }


def test_changes_inside_compositions_and_items_are_found() -> None:
    old = spec(obj(a={"type": "array", "items": {"anyOf": [A]}}), extra_schemas={"A": obj(x=S)})
    new = copy.deepcopy(old)
    new["components"]["schemas"]["A"] = obj(x={**S, "maxLength": 3})
    changes = diff_specs(old, new)
    assert any(
        c.id == "request-max-length-tightened" and c.location == "/components/schemas/A/properties/x" for c in changes
    )


def test_messages_name_what_changed() -> None:
    changes = diff_specs(spec(obj(a={**S, "enum": ["X"]})), spec(obj(a={**S, "enum": ["X", "NEW_VALUE"]})))
    assert any("NEW_VALUE" in c.message and c.operation == "POST /send" for c in changes)


def test_identical_specs_have_no_change_and_no_bump() -> None:
    assert diff_specs(spec(), spec()) == []
    assert suggest_bump([]) == "none"


@pytest.mark.parametrize(
    ("old", "new", "bump"),
    [
        (spec(obj(a=S)), spec(obj(a=S, required=["a"])), "major"),
        (spec(), spec(extra_paths=GET), "minor"),
        (spec(), spec(op={"description": "Docs only."}), "patch"),
        (spec(), spec(), "none"),
    ],
)
def test_bump(old: dict[str, Any], new: dict[str, Any], bump: str) -> None:
    assert suggest_bump(diff_specs(old, new)) == bump
