"""Every change kind of `diff`, each on its own base/revision pair, with its level and direction.

The test is driven by ``KINDS``: every row names its test pair. A pair is either a whole-document pair
(``DOCUMENT_CASES``, for paths, parameters, bodies, headers, security) or, for a schema rule, a pair of schema
fragments (``FRAGMENTS``) that is placed at the rule's scope: a request body or one of its properties, a parameter,
a response body or property, a response header, or a component schema no operation reaches.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from generator.diff import KINDS, diff_specs, suggest_bump
from generator.diff.kinds import LIMITS, SCOPES, scope_side

REF = {"$ref": "#/components/schemas/Thing"}
S: dict[str, Any] = {"type": "string"}
INT: dict[str, Any] = {"type": "integer"}
A, B = {"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/B"}


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
    headers: dict[str, Any] | None = None,
    top: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A one-operation document whose schema `Thing` is used by the request, the response, or both."""
    operation: dict[str, Any] = {"operationId": "send", "summary": "Send", "responses": {}}
    if request:
        operation["requestBody"] = {"required": body_required, "content": {media: {"schema": REF}}}
    for status in statuses:
        response_object: dict[str, Any] = {"description": status}
        if response and status.startswith("2"):
            response_object["content"] = {media: {"schema": REF}}
        if headers is not None and status.startswith("2"):
            response_object["headers"] = headers
        operation["responses"][status] = response_object
    if params is not None:
        operation["parameters"] = params
    operation.update(op or {})
    thing = thing if thing is not None else {"type": "object", "properties": {"a": {"type": "string"}}}
    document = {
        "openapi": "3.0.1",
        "info": {"title": "T", "version": "1"},
        "paths": {"/send": {"post": operation}, **(extra_paths or {})},
        "components": {"schemas": {"Thing": thing, "A": obj(x=S), "B": obj(y=S), **(extra_schemas or {})}},
    }
    document.update(top or {})
    return document


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


P = [{"name": "q", "in": "query", "schema": S}]
PR = [{"name": "q", "in": "query", "required": True, "schema": S}]
GET = {"/other": {"get": {"responses": {"200": {"description": "ok"}}}}}
DEPRECATED_GET = {"/other": {"get": {"deprecated": True, "responses": {"200": {"description": "ok"}}}}}
PAST, FUTURE, LATER = "2000-01-01", "2999-01-01", "2999-06-01"
ITEM = {"get": {"parameters": [{"name": "id", "in": "path", "required": True, "schema": S}], "responses": {}}}
ITEM_UID = {"get": {"parameters": [{"name": "uid", "in": "path", "required": True, "schema": S}], "responses": {}}}
OAUTH = {
    "type": "oauth2",
    "flows": {"clientCredentials": {"tokenUrl": "https://t.example/token", "scopes": {"read": "r"}}},
}
OAUTH_WRITE = copy.deepcopy(OAUTH)
OAUTH_WRITE["flows"]["clientCredentials"]["scopes"]["write"] = "w"
KEY = {"type": "apiKey", "in": "header", "name": "X-Key"}


def schemes(**named: Any) -> dict[str, Any]:
    return {"components": {"schemas": {"Thing": obj(a=S), "A": obj(x=S), "B": obj(y=S)}, "securitySchemes": named}}


def hook(body: dict[str, Any]) -> dict[str, Any]:
    """An OpenAPI 3.1 document with one webhook whose payload is ``body``."""
    operation = {"requestBody": {"content": {"application/json": {"schema": body}}}, "responses": {}}
    return {"openapi": "3.1.0", "info": {"title": "T", "version": "1"}, "webhooks": {"done": {"post": operation}}}


H = {"X-Rate": {"schema": INT}}
HR = {"X-Rate": {"required": True, "schema": INT}}

# case name → (direction, old document, new document)
DOCUMENT_CASES: dict[str, tuple[str, dict[str, Any], dict[str, Any]]] = {
    "endpoint-added": ("none", spec(), spec(extra_paths=GET)),
    "path-removed": ("none", spec(extra_paths=GET), spec()),
    "path-removed-deprecated": ("none", spec(extra_paths=DEPRECATED_GET), spec()),
    "endpoint-removed": (
        "none",
        spec(extra_paths={"/other": {**GET["/other"], "put": {"responses": {}}}}),
        spec(extra_paths=GET),
    ),
    "endpoint-removed-deprecated": (
        "none",
        spec(extra_paths={"/other": {**GET["/other"], "put": {"deprecated": True, "responses": {}}}}),
        spec(extra_paths=GET),
    ),
    "removed-before-sunset": (
        "none",
        spec(
            extra_paths={"/other": {**GET["/other"], "put": {"deprecated": True, "x-sunset": FUTURE, "responses": {}}}}
        ),
        spec(extra_paths=GET),
    ),
    "endpoint-deprecated": ("none", spec(), spec(op={"deprecated": True})),
    "endpoint-deprecated-with-sunset": ("none", spec(), spec(op={"deprecated": True, "x-sunset": FUTURE})),
    "endpoint-reactivated": ("none", spec(op={"deprecated": True}), spec()),
    "sunset-deleted": ("none", spec(op={"deprecated": True, "x-sunset": FUTURE}), spec(op={"deprecated": True})),
    "sunset-earlier": (
        "none",
        spec(op={"deprecated": True, "x-sunset": LATER}),
        spec(op={"deprecated": True, "x-sunset": FUTURE}),
    ),
    "endpoint-stability-decreased": (
        "none",
        spec(op={"x-stability-level": "stable"}),
        spec(op={"x-stability-level": "beta"}),
    ),
    "endpoint-stability-increased": (
        "none",
        spec(op={"x-stability-level": "beta"}),
        spec(op={"x-stability-level": "stable"}),
    ),
    "operation-id-changed": ("none", spec(), spec(op={"operationId": "post"})),
    "operation-id-added": ("none", spec(op={"operationId": None}), spec()),
    "tag-added": ("none", spec(), spec(op={"tags": ["t"]})),
    "tag-removed": ("none", spec(op={"tags": ["t"]}), spec()),
    "summary-changed": ("none", spec(), spec(op={"summary": "Send it"})),
    "operation-description-changed": ("none", spec(), spec(op={"description": "More."})),
    "webhook-added": ("none", hook(obj(a=S)), {**hook(obj(a=S)), "webhooks": {**hook(S)["webhooks"], "other": {}}}),
    "webhook-removed": ("none", {**hook(obj(a=S)), "webhooks": {**hook(S)["webhooks"], "other": {}}}, hook(obj(a=S))),
    "parameter-added-required": ("request", spec(params=[]), spec(params=PR)),
    "parameter-added-optional": ("request", spec(params=[]), spec(params=P)),
    "path-parameter-added": (
        "request",
        spec(extra_paths={"/a/{id}": {"get": {"responses": {}}}}),
        spec(extra_paths={"/a/{id}": ITEM}),
    ),
    "path-parameter-renamed": (
        "request",
        spec(extra_paths={"/a/{id}": ITEM}),
        spec(extra_paths={"/a/{uid}": ITEM_UID}),
    ),
    "parameter-removed": ("request", spec(params=P), spec(params=[])),
    "parameter-removed-deprecated": ("request", spec(params=[{**P[0], "deprecated": True}]), spec(params=[])),
    "parameter-required": ("request", spec(params=P), spec(params=PR)),
    "parameter-optional": ("request", spec(params=PR), spec(params=P)),
    "parameter-deprecated": ("request", spec(params=P), spec(params=[{**P[0], "deprecated": True}])),
    "parameter-reactivated": ("request", spec(params=[{**P[0], "deprecated": True}]), spec(params=P)),
    "parameter-in-changed": ("request", spec(params=P), spec(params=[{**P[0], "in": "header"}])),
    "body-added-required": ("request", spec(request=False), spec()),
    "body-added-optional": ("request", spec(request=False), spec(body_required=False)),
    "body-removed": ("request", spec(), spec(request=False)),
    "body-required": ("request", spec(body_required=False), spec()),
    "body-optional": ("request", spec(), spec(body_required=False)),
    "request-media-added": ("request", spec(response=False), _two_media(spec(response=False), "requestBody")),
    "request-media-removed": ("request", _two_media(spec(response=False), "requestBody"), spec(response=False)),
    "success-status-added": ("response", spec(statuses=("200",)), spec(statuses=("200", "201"))),
    "status-added": ("response", spec(statuses=("200",)), spec(statuses=("200", "404"))),
    "success-status-removed": ("response", spec(statuses=("200", "201")), spec(statuses=("200",))),
    "status-removed": ("response", spec(), spec(statuses=("200",))),
    "response-media-added": ("response", spec(request=False), _two_media(spec(request=False), "200")),
    "response-media-removed": ("response", _two_media(spec(request=False), "200"), spec(request=False)),
    "header-added": ("response", spec(headers={}), spec(headers=H)),
    "header-removed-required": ("response", spec(headers=HR), spec(headers={})),
    "header-removed-optional": ("response", spec(headers=H), spec(headers={})),
    "header-optional": ("response", spec(headers=HR), spec(headers=H)),
    "header-required": ("response", spec(headers=H), spec(headers=HR)),
    "global-security-added": (
        "request",
        spec(top={"security": [{"k": []}]}),
        spec(top={"security": [{"k": []}, {"o": []}]}),
    ),
    "global-security-removed": (
        "request",
        spec(top={"security": [{"k": []}, {"o": []}]}),
        spec(top={"security": [{"k": []}]}),
    ),
    "global-scope-added": (
        "request",
        spec(top={"security": [{"o": ["r"]}]}),
        spec(top={"security": [{"o": ["r", "w"]}]}),
    ),
    "global-scope-removed": (
        "request",
        spec(top={"security": [{"o": ["r", "w"]}]}),
        spec(top={"security": [{"o": ["r"]}]}),
    ),
    "security-added": ("request", spec(op={"security": [{"k": []}]}), spec(op={"security": [{"k": []}, {"o": []}]})),
    "security-removed": ("request", spec(op={"security": [{"k": []}, {"o": []}]}), spec(op={"security": [{"k": []}]})),
    "security-scope-added": (
        "request",
        spec(op={"security": [{"o": ["r"]}]}),
        spec(op={"security": [{"o": ["r", "w"]}]}),
    ),
    "security-scope-removed": (
        "request",
        spec(op={"security": [{"o": ["r", "w"]}]}),
        spec(op={"security": [{"o": ["r"]}]}),
    ),
    "scheme-added": ("none", spec(top=schemes(k=KEY)), spec(top=schemes(k=KEY, o=OAUTH))),
    "scheme-removed": ("none", spec(top=schemes(k=KEY, o=OAUTH)), spec(top=schemes(k=KEY))),
    "scheme-type-changed": ("none", spec(top=schemes(k=KEY)), spec(top=schemes(k=OAUTH))),
    "scheme-scope-added": ("none", spec(top=schemes(o=OAUTH)), spec(top=schemes(o=OAUTH_WRITE))),
    "scheme-scope-removed": ("none", spec(top=schemes(o=OAUTH_WRITE)), spec(top=schemes(o=OAUTH))),
    "component-added": ("none", spec(), spec(extra_schemas={"New": S})),
    "component-removed": ("none", spec(extra_schemas={"Old": S}), spec()),
}

# Fragments of schema rules: stem → (old schema, new schema), placed at each scope by `place`.
STRING_ENUM = {**S, "enum": ["X"]}
FRAGMENTS: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "property-added-required": (obj(a=S), obj(a=S, b=S, required=["b"])),
    "property-added-optional": (obj(a=S), obj(a=S, b=S)),
    "property-removed-required": (obj(a=S, b=S, required=["b"]), obj(a=S)),
    "property-removed-optional": (obj(a=S, b=S), obj(a=S)),
    "property-became-required": (obj(a=S), obj(a=S, required=["a"])),
    "property-became-optional": (obj(a=S, required=["a"]), obj(a=S)),
    "type-changed": (S, INT),
    "type-generalized": (INT, {"type": "number"}),
    "format-changed": (S, {**S, "format": "uuid"}),
    "became-nullable": (S, {**S, "nullable": True}),
    "became-not-nullable": ({**S, "nullable": True}, S),
    "enum-value-added": (STRING_ENUM, {**S, "enum": ["X", "Y"]}),
    "enum-value-removed": ({**S, "enum": ["X", "Y"]}, STRING_ENUM),
    "became-enum": (S, STRING_ENUM),
    "became-not-enum": (STRING_ENUM, S),
    "x-extensible-enum-value-added": ({**S, "x-extensible-enum": ["X"]}, {**S, "x-extensible-enum": ["X", "Y"]}),
    "x-extensible-enum-value-removed": ({**S, "x-extensible-enum": ["X", "Y"]}, {**S, "x-extensible-enum": ["X"]}),
    "pattern-added": (S, {**S, "pattern": "^x$"}),
    "pattern-changed": ({**S, "pattern": "^x$"}, {**S, "pattern": "^y$"}),
    "pattern-removed": ({**S, "pattern": "^x$"}, {**S, "pattern": ""}),
    "multiple-of-changed": ({**INT, "multipleOf": 2}, {**INT, "multipleOf": 3}),
    "default-value-added": (S, {**S, "default": "x"}),
    "default-value-removed": ({**S, "default": "x"}, S),
    "default-value-changed": ({**S, "default": "x"}, {**S, "default": "y"}),
    "const-added": (S, {**S, "const": "x"}),
    "const-removed": ({**S, "const": "x"}, S),
    "const-changed": ({**S, "const": "x"}, {**S, "const": "y"}),
    "became-read-only": (S, {**S, "readOnly": True}),
    "became-not-read-only": ({**S, "readOnly": True}, S),
    "became-write-only": (S, {**S, "writeOnly": True}),
    "became-not-write-only": ({**S, "writeOnly": True}, S),
    "deprecated": (S, {**S, "deprecated": True}),
    "deprecated-with-sunset": (S, {**S, "deprecated": True, "x-sunset": FUTURE}),
    "reactivated": ({**S, "deprecated": True}, S),
    "stability-decreased": ({**S, "x-stability-level": "stable"}, {**S, "x-stability-level": "alpha"}),
    "stability-increased": ({**S, "x-stability-level": "alpha"}, {**S, "x-stability-level": "stable"}),
    "additional-properties-restricted": (obj(a=S), {**obj(a=S), "additionalProperties": False}),
    "additional-properties-relaxed": ({**obj(a=S), "additionalProperties": False}, obj(a=S)),
    "discriminator-added": ({"oneOf": [A, B]}, {"oneOf": [A, B], "discriminator": {"propertyName": "k"}}),
    "discriminator-removed": ({"oneOf": [A, B], "discriminator": {"propertyName": "k"}}, {"oneOf": [A, B]}),
    "discriminator-property-name-changed": (
        {"oneOf": [A, B], "discriminator": {"propertyName": "k"}},
        {"oneOf": [A, B], "discriminator": {"propertyName": "kind"}},
    ),
    "discriminator-mapping-added": (
        {"oneOf": [A, B], "discriminator": {"propertyName": "k", "mapping": {"a": A["$ref"]}}},
        {"oneOf": [A, B], "discriminator": {"propertyName": "k", "mapping": {"a": A["$ref"], "b": B["$ref"]}}},
    ),
    "discriminator-mapping-deleted": (
        {"oneOf": [A, B], "discriminator": {"propertyName": "k", "mapping": {"a": A["$ref"], "b": B["$ref"]}}},
        {"oneOf": [A, B], "discriminator": {"propertyName": "k", "mapping": {"a": A["$ref"]}}},
    ),
    "discriminator-mapping-changed": (
        {"oneOf": [A, B], "discriminator": {"propertyName": "k", "mapping": {"a": A["$ref"]}}},
        {"oneOf": [A, B], "discriminator": {"propertyName": "k", "mapping": {"a": B["$ref"]}}},
    ),
    "prefix-items-added": ({"type": "array", "prefixItems": [S]}, {"type": "array", "prefixItems": [S, INT]}),
    "prefix-items-removed": ({"type": "array", "prefixItems": [S, INT]}, {"type": "array", "prefixItems": [S]}),
    "description-changed": ({**S, "description": "x"}, {**S, "description": "y"}),
    "title-changed": ({**S, "title": "x"}, {**S, "title": "y"}),
}
for _keyword, _stem in (("allOf", "all-of"), ("anyOf", "any-of"), ("oneOf", "one-of")):
    FRAGMENTS[f"{_stem}-added"] = ({_keyword: [A]}, {_keyword: [A, B]})
    FRAGMENTS[f"{_stem}-removed"] = ({_keyword: [A, B]}, {_keyword: [A]})
ARRAY = {"type": "array", "items": S}
FRAGMENTS.update(
    {
        "deprecated-sunset-invalid": (S, {**S, "deprecated": True, "x-sunset": "soon"}),
        "list-of-types-widened": ({"type": ["string", "integer"]}, {"type": ["string", "integer", "boolean"]}),
        "list-of-types-narrowed": ({"type": ["string", "integer", "boolean"]}, {"type": ["string", "integer"]}),
        "multiple-of-set": (INT, {**INT, "multipleOf": 2}),
        "multiple-of-unset": ({**INT, "multipleOf": 2}, INT),
        "multiple-of-generalized": ({**INT, "multipleOf": 4}, {**INT, "multipleOf": 2}),
        "multiple-of-specialized": ({**INT, "multipleOf": 2}, {**INT, "multipleOf": 4}),
        "pattern-generalized": ({**S, "pattern": "^x$"}, {**S, "pattern": ".*"}),
        "pattern-property-added": ({"type": "object"}, {"type": "object", "patternProperties": {"^x": S}}),
        "pattern-property-removed": ({"type": "object", "patternProperties": {"^x": S}}, {"type": "object"}),
        "dependent-schema-added": (
            {"type": "object"},
            {"type": "object", "dependentSchemas": {"a": {"required": ["b"]}}},
        ),
        "dependent-schema-removed": (
            {"type": "object", "dependentSchemas": {"a": {"required": ["b"]}}},
            {"type": "object"},
        ),
        "dependent-required-added": ({"type": "object"}, {"type": "object", "dependentRequired": {"a": ["b"]}}),
        "dependent-required-removed": ({"type": "object", "dependentRequired": {"a": ["b"]}}, {"type": "object"}),
        "dependent-required-changed": (
            {"type": "object", "dependentRequired": {"a": ["b"]}},
            {"type": "object", "dependentRequired": {"a": ["c"]}},
        ),
        "content-media-type-changed": (
            {**S, "contentMediaType": "application/json"},
            {**S, "contentMediaType": "text/xml"},
        ),
        "content-encoding-changed": ({**S, "contentEncoding": "base64"}, {**S, "contentEncoding": "base32"}),
        "type-specialized": ({"type": "number"}, INT),
        "unique-items-set": (ARRAY, {**ARRAY, "uniqueItems": True}),
        "unique-items-unset": ({**ARRAY, "uniqueItems": True}, ARRAY),
        "wrapped-in-one-of": (A, {"oneOf": [A, B]}),
        "all-of-added-annotation-only": ({"allOf": [A]}, {"allOf": [A, {"description": "d"}]}),
        "all-of-removed-annotation-only": ({"allOf": [A, {"description": "d"}]}, {"allOf": [A]}),
    }
)
KEYWORD_VALUES: dict[str, tuple[Any, Any]] = {
    "contains": (S, INT),
    "propertyNames": ({"pattern": "^a"}, {"pattern": "^b"}),
    "unevaluatedProperties": (False, S),
    "unevaluatedItems": (False, S),
    "contentSchema": (obj(a=S), obj(b=S)),
    "if": ({"required": ["a"]}, {"required": ["b"]}),
    "then": ({"required": ["a"]}, {"required": ["b"]}),
    "else": ({"required": ["a"]}, {"required": ["b"]}),
    "not": (INT, {"type": "boolean"}),
}
for _keyword, (_one, _other) in KEYWORD_VALUES.items():
    _stem = "".join(f"-{c.lower()}" if c.isupper() else c for c in _keyword)
    FRAGMENTS[f"{_stem}-added"] = ({}, {_keyword: _one})
    FRAGMENTS[f"{_stem}-removed"] = ({_keyword: _one}, {})
    FRAGMENTS[f"{_stem}-changed"] = ({_keyword: _one}, {_keyword: _other})
_LIMIT_BASES = {"Length": S, "imum": INT, "Items": {"type": "array", "items": S}, "Properties": {"type": "object"}}
for _keyword, (_stem, _way) in LIMITS.items():
    _base = next((v for k, v in _LIMIT_BASES.items() if _keyword.endswith(k)), {"type": "array", "contains": S})
    _low, _high = ({**_base, _keyword: 2}, {**_base, _keyword: 5})
    FRAGMENTS[f"{_stem}-increased"] = (_low, _high)
    FRAGMENTS[f"{_stem}-decreased"] = (_high, _low)
    FRAGMENTS[f"{_stem}-set"] = (_base, _low)
    FRAGMENTS[f"{_stem}-unset"] = (_low, _base)


def place(scope: str, fragment: dict[str, Any]) -> dict[str, Any]:
    """A document with ``fragment`` at ``scope``: a request body, a property of one, a query parameter, …"""
    wrapped = {"type": "object", "properties": {"p": fragment}}
    inner = wrapped if scope.endswith("-property") else fragment
    operation: dict[str, Any] = {"responses": {"200": {"description": "ok"}}}
    if scope.startswith("request-parameter"):
        operation["parameters"] = [{"name": "q", "in": "query", "schema": inner}]
    elif scope.startswith("request"):
        operation["requestBody"] = {"content": {"application/json": {"schema": inner}}}
    elif scope.startswith("response-header"):
        operation["responses"]["200"]["headers"] = {"X-H": {"schema": inner}}
    elif scope.startswith("response"):
        operation["responses"]["200"]["content"] = {"application/json": {"schema": inner}}
    schemas: dict[str, Any] = {"A": obj(x=S), "B": obj(y=S)}
    if scope == "schema":
        schemas["Unused"] = fragment
    return {
        "openapi": "3.1.0",
        "info": {"title": "T", "version": "1"},
        "paths": {"/send": {"post": operation}},
        "components": {"schemas": schemas},
    }


def placed(scope: str, old: dict[str, Any], new: dict[str, Any]) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """A document case: ``old``/``new`` placed at ``scope``."""
    return scope_side(scope), place(scope, copy.deepcopy(old)), place(scope, copy.deepcopy(new))


def _media(where: str, old: dict[str, Any], new: dict[str, Any]) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """The same operation with media type objects ``old`` and ``new`` in its request body or 200 response."""
    documents = []
    for media in (old, new):
        document = spec(request=where == "request", response=where == "response")
        operation = document["paths"]["/send"]["post"]
        holder = operation["requestBody"] if where == "request" else operation["responses"]["200"]
        holder["content"] = {"application/json": media}
        documents.append(document)
    return where, documents[0], documents[1]


def _versioned(old: str, new: str) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """A breaking change (a property became required) between two `info.version`s."""
    before, after = spec(obj(a=S)), spec(obj(a=S, required=["a"]))
    before["info"]["version"], after["info"]["version"] = old, new
    return "none", before, after


IMPLICIT = {"type": "oauth2", "flows": {"implicit": {"authorizationUrl": "https://a.example/1", "scopes": {"r": "x"}}}}
IMPLICIT_MOVED = copy.deepcopy(IMPLICIT)
IMPLICIT_MOVED["flows"]["implicit"]["authorizationUrl"] = "https://a.example/2"
OAUTH_MOVED = copy.deepcopy(OAUTH)
OAUTH_MOVED["flows"]["clientCredentials"]["tokenUrl"] = "https://t.example/other"
OAUTH_RENAMED = copy.deepcopy(OAUTH)
OAUTH_RENAMED["flows"]["clientCredentials"]["scopes"]["read"] = "read everything"
HEADER_OBJ = [{"name": "X-Obj", "in": "header", "schema": obj(a=S)}]
SUNSET_P = [{**P[0], "deprecated": True, "x-sunset": FUTURE}]
OTHER_PUT = {"put": {"deprecated": True, "x-sunset": "soon", "responses": {}}}
WO = {**S, "writeOnly": True}
DOCUMENT_CASES.update(
    {
        "path-before-sunset": (
            "none",
            spec(extra_paths={"/other": {"get": {"deprecated": True, "x-sunset": FUTURE, "responses": {}}}}),
            spec(),
        ),
        "sunset-parse": ("none", spec(), spec(op={"deprecated": True, "x-sunset": "soon"})),
        "path-sunset-parse": (
            "none",
            spec(extra_paths={"/other": {**GET["/other"], **OTHER_PUT}}),
            spec(extra_paths=GET),
        ),
        "bad-stability": ("none", spec(), spec(op={"x-stability-level": "gamma"})),
        "version-same": _versioned("1.0.0", "1.0.0"),
        "version-decreased": _versioned("2.0.0", "1.0.0"),
        "version-minor-only": _versioned("1.0.0", "1.1.0"),
        "param-sunset-parse": (
            "request",
            spec(params=P),
            spec(params=[{**P[0], "deprecated": True, "x-sunset": "soon"}]),
        ),
        "param-before-sunset": ("request", spec(params=SUNSET_P), spec(params=[])),
        "param-sunset-deleted": ("request", spec(params=SUNSET_P), spec(params=[{**P[0], "deprecated": True}])),
        "param-sunset-earlier": (
            "request",
            spec(params=[{**P[0], "deprecated": True, "x-sunset": LATER}]),
            spec(params=SUNSET_P),
        ),
        "path-level-parameter-added-required": (
            "request",
            spec(extra_paths=GET),
            spec(extra_paths={"/other": {**GET["/other"], "parameters": PR}}),
        ),
        "path-level-parameter-added-optional": (
            "request",
            spec(extra_paths=GET),
            spec(extra_paths={"/other": {**GET["/other"], "parameters": P}}),
        ),
        "header-property-added": (
            "request",
            spec(params=HEADER_OBJ),
            spec(params=[{**HEADER_OBJ[0], "schema": obj(a=S, b=S, required=["b"])}]),
        ),
        "header-property-required": (
            "request",
            spec(params=HEADER_OBJ),
            spec(params=[{**HEADER_OBJ[0], "schema": obj(a=S, required=["a"])}]),
        ),
        "header-property-enum": (
            "request",
            spec(params=HEADER_OBJ),
            spec(params=[{**HEADER_OBJ[0], "schema": obj(a=STRING_ENUM)}]),
        ),
        "request-schema-added": _media("request", {}, {"schema": S}),
        "request-schema-removed": _media("request", {"schema": S}, {}),
        "request-item-schema-added": _media("request", {"schema": S}, {"schema": S, "itemSchema": S}),
        "request-item-schema-removed": _media("request", {"schema": S, "itemSchema": S}, {"schema": S}),
        "response-schema-added": _media("response", {}, {"schema": S}),
        "response-schema-removed": _media("response", {"schema": S}, {}),
        "response-item-schema-added": _media("response", {"schema": S}, {"schema": S, "itemSchema": S}),
        "response-item-schema-removed": _media("response", {"schema": S, "itemSchema": S}, {"schema": S}),
        "scheme-url-changed": ("none", spec(top=schemes(i=IMPLICIT)), spec(top=schemes(i=IMPLICIT_MOVED))),
        "scheme-token-url-changed": ("none", spec(top=schemes(o=OAUTH)), spec(top=schemes(o=OAUTH_MOVED))),
        "scheme-scope-changed": ("none", spec(top=schemes(o=OAUTH)), spec(top=schemes(o=OAUTH_RENAMED))),
        "with-default-added": placed("request-body", obj(a=S), obj(a=S, b={**S, "default": "x"}, required=["b"])),
        "with-default-required": placed(
            "request-body", obj(a={**S, "default": "x"}), obj(a={**S, "default": "x"}, required=["a"])
        ),
        "wo-added-required": placed("response-body", obj(a=S), obj(a=S, b=WO, required=["b"])),
        "wo-added-optional": placed("response-body", obj(a=S), obj(a=S, b=WO)),
        "wo-removed-required": placed("response-body", obj(a=S, b=WO, required=["b"]), obj(a=S)),
        "wo-removed-optional": placed("response-body", obj(a=S, b=WO), obj(a=S)),
        "wo-optional": placed("response-body", obj(a=WO, required=["a"]), obj(a=WO)),
        "wo-required": placed("response-body", obj(a=WO), obj(a=WO, required=["a"])),
        "wo-enum-added": placed(
            "response-body",
            obj(a={**STRING_ENUM, "writeOnly": True}),
            obj(a={**S, "enum": ["X", "Y"], "writeOnly": True}),
        ),
        "body-enum-removed": placed("response-body", {**S, "enum": ["X", "Y"]}, STRING_ENUM),
    }
)
for _stem in (
    "enum-value-removed",
    "max-decreased",
    "exclusive-max-decreased",
    "max-length-decreased",
    "min-increased",
    "exclusive-min-increased",
    "max-items-decreased",
    "max-properties-decreased",
):
    _old, _new = FRAGMENTS[_stem]
    DOCUMENT_CASES[f"ro-{_stem}"] = placed(
        "request-body", obj(a={**_old, "readOnly": True}), obj(a={**_new, "readOnly": True})
    )
for _side in ("request", "response"):
    for _required in ("required", "optional"):
        for _change, _keyword in (
            ("read-only", "readOnly"),
            ("not-read-only", "readOnly"),
            ("write-only", "writeOnly"),
            ("not-write-only", "writeOnly"),
        ):
            _flagged = {**S, _keyword: True}
            _before, _after = (S, _flagged) if not _change.startswith("not-") else (_flagged, S)
            _names = ["a"] if _required == "required" else None
            DOCUMENT_CASES[f"{_side}-{_required}-property-became-{_change}"] = placed(
                f"{_side}-body", obj(a=_before, required=_names), obj(a=_after, required=_names)
            )


def _scope_of(kind: str) -> str:
    """The scope a rule id belongs to (the one whose rest is the rule's stem; sided ids by their side)."""
    for scope in SCOPES:
        if kind.startswith(f"{scope}-") and kind[len(scope) + 1 :] == KINDS[kind].case:
            return scope
    return "schema" if kind.startswith("schema-") else "request-body" if "request" in kind else "response-body"


def case_for(kind: str) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """(expected direction, old document, new document) of the test pair a ``KINDS`` row names."""
    case = KINDS[kind].case
    if case in DOCUMENT_CASES:
        return DOCUMENT_CASES[case]
    scope = _scope_of(kind)
    old, new = FRAGMENTS[case]
    return scope_side(scope), place(scope, copy.deepcopy(old)), place(scope, copy.deepcopy(new))


# oasdiff's versioning checks follow any breaking change of a pair whose info.version stays the same
VERSION_IDS = {"api-version-not-bumped"}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_change_kind(kind: str) -> None:
    direction, old, new = case_for(kind)
    changes = diff_specs(copy.deepcopy(old), copy.deepcopy(new))
    found = [c for c in changes if c.id == kind]
    assert found, f"{kind} not reported; got {[c.id for c in changes]}"
    assert {(c.level, c.direction) for c in found} == {(KINDS[kind].level, direction)}
    assert all(c.location.startswith("/") for c in found)


def test_every_row_names_an_existing_pair() -> None:
    for kind, row in KINDS.items():
        assert row.case in DOCUMENT_CASES or row.case in FRAGMENTS, kind


def test_shared_schema_is_reported_for_each_side() -> None:
    changes = diff_specs(spec(obj(a=S)), spec(obj(a=S, required=["a"])))
    became = {(c.id, c.level, c.direction) for c in changes if c.id.endswith("property-became-required")}
    assert became == {
        ("request-property-became-required", "ERR", "request"),
        ("response-property-became-required", "INFO", "response"),
    }


def test_changes_inside_compositions_and_items_are_found() -> None:
    old = spec(obj(a={"type": "array", "items": {"anyOf": [A]}}))
    new = copy.deepcopy(old)
    new["components"]["schemas"]["A"] = obj(x={**S, "maxLength": 3})
    changes = diff_specs(old, new)
    assert any(
        c.id == "request-property-max-length-set" and c.location == "/components/schemas/A/properties/x"
        for c in changes
    )


@pytest.mark.parametrize("keyword", ["allOf", "anyOf", "oneOf"])
def test_change_inside_an_inline_member_is_that_change(keyword: str) -> None:
    old = spec(obj(a={keyword: [obj(x=S), obj(y=S)]}), response=False)
    new = spec(obj(a={keyword: [obj(x={**S, "maxLength": 3}), obj(y=S)]}), response=False)
    ids = {c.id for c in diff_specs(old, new)} - VERSION_IDS
    assert ids == {"request-property-max-length-set"}


def test_something_that_becomes_an_enum_is_reported() -> None:
    changes = diff_specs(spec(params=P), spec(params=[{**P[0], "schema": STRING_ENUM}]))
    assert [(c.id, c.level) for c in changes] == [
        ("request-parameter-became-enum", "ERR"),
        ("api-version-not-bumped", "INFO"),
    ]


def test_renamed_path_parameter_is_the_same_path() -> None:
    changes = diff_specs(spec(extra_paths={"/a/{id}": ITEM}), spec(extra_paths={"/a/{uid}": ITEM_UID}))
    assert [c.id for c in changes] == ["request-path-parameter-renamed"]


def test_empty_pattern_is_no_pattern() -> None:
    assert diff_specs(spec(obj(a=S)), spec(obj(a={**S, "pattern": ""}))) == []


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (S, {"type": ["string", "null"]}, "became-nullable"),
        ({"type": ["string", "null"]}, S, "became-not-nullable"),
        (A, {"oneOf": [A, {"type": "null"}]}, "became-nullable"),
        ({"anyOf": [A, {"type": "null"}]}, A, "became-not-nullable"),
        ({**S, "nullable": True}, {"type": ["string", "null"]}, None),
    ],
)
def test_openapi_31_nullability_reads_like_30(old: dict[str, Any], new: dict[str, Any], expected: str | None) -> None:
    changes = diff_specs(place("response-property", old), place("response-property", new))
    ids = [c.id for c in changes if c.id not in VERSION_IDS]
    assert ids == ([f"response-property-{expected}"] if expected else [])


def test_webhook_payload_is_compared_as_what_the_subscriber_reads() -> None:
    changes = diff_specs(hook(obj(a=S, required=["a"])), hook(obj(a=S)))
    assert [(c.id, c.level) for c in changes] == [
        ("response-property-became-optional", "ERR"),
        ("api-version-not-bumped", "INFO"),
    ]


def test_messages_name_what_changed() -> None:
    changes = diff_specs(spec(obj(a=STRING_ENUM)), spec(obj(a={**S, "enum": ["X", "NEW_VALUE"]})))
    assert any("NEW_VALUE" in c.message and c.operation == "POST /send" for c in changes)


def test_documents_without_paths_or_components_compare() -> None:
    bare = {"openapi": "3.1.0", "info": {"title": "T", "version": "1"}}
    assert diff_specs(bare, bare) == []
    assert [c.id for c in diff_specs(bare, {**bare, "paths": GET})] == ["endpoint-added"]


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


def test_table_is_json_friendly() -> None:
    assert json.dumps({k: list(v) for k, v in KINDS.items()})


def test_path_items_by_ref_are_followed() -> None:
    item = {"get": {"responses": {"200": {"description": "ok", "content": {"application/json": {"schema": REF}}}}}}

    def document(thing: dict[str, Any]) -> dict[str, Any]:
        return {
            "openapi": "3.1.0",
            "info": {"title": "T", "version": "1"},
            "paths": {"/a": {"$ref": "#/components/pathItems/A"}},
            "components": {"pathItems": {"A": item}, "schemas": {"Thing": thing}},
        }

    changes = diff_specs(document(obj(a=S, required=["a"])), document(obj(a=S)))
    assert ("response-property-became-optional", "GET /a") in {(c.id, c.operation) for c in changes}


def test_component_names_with_slashes_are_not_compared_twice() -> None:
    old = spec(extra_schemas={"a/b": obj(x=S)})
    old["components"]["schemas"]["Thing"] = {"$ref": "#/components/schemas/a~1b"}
    new = copy.deepcopy(old)
    new["components"]["schemas"]["a/b"] = obj(x=INT)
    kinds = [c.id for c in diff_specs(old, new)]
    assert "schema-type-changed" not in kinds and "request-property-type-changed" in kinds
