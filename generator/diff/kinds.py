"""The change kinds of `diff`: one table, one row per rule — id, default level, message, and its test pair.

Levels mean what they mean in oasdiff: **ERR** breaks a client that followed the old contract, **WARN** may break
one, **INFO** is safe. Where oasdiff has a check for the same change, the row uses oasdiff's id and default level;
``DEVIATIONS`` lists the deliberate differences (each with its reason, shown in the README).

Schema rules depend on where the schema sits: a request body (``request-body-…``) or one of its properties
(``request-property-…``), a parameter (``request-parameter-…``, ``request-parameter-property-…``), a response
body or property (``response-body-…``, ``response-property-…``), a response header (``response-header-…``,
``response-header-property-…``), or a component schema that no operation reaches (``schema-…``). Such a rule is
written once with three levels — request side, response side, unreached — and expands into one row per scope.
The test pair of a scoped rule is a pair of schema fragments that ``tests/test_diff_kinds.py`` places at every
scope.
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = [
    "DEVIATIONS",
    "ERR",
    "INFO",
    "KINDS",
    "LEVELS",
    "REQUEST_SCOPES",
    "RESPONSE_SCOPES",
    "SCOPES",
    "WARN",
    "Kind",
    "scope_side",
]

ERR, WARN, INFO = "ERR", "WARN", "INFO"
LEVELS = (ERR, WARN, INFO)

REQUEST_SCOPES = ("request-body", "request-property", "request-parameter", "request-parameter-property")
RESPONSE_SCOPES = ("response-body", "response-property", "response-header", "response-header-property")
SCOPES = (*REQUEST_SCOPES, *RESPONSE_SCOPES, "schema")


def scope_side(scope: str) -> str:
    """``request``, ``response`` or ``none``: the side a scope belongs to."""
    if scope in REQUEST_SCOPES:
        return "request"
    if scope in RESPONSE_SCOPES:
        return "response"
    return "none"


class Kind(NamedTuple):
    """One rule: its default level, its message template (``{x}`` from the change's details) and the name of the
    base/revision pair in ``tests/test_diff_kinds.py`` that triggers it."""

    level: str
    message: str
    case: str


# Rules that do not depend on where a schema sits: (id, level, message, test pair).
_FIXED: list[tuple[str, str, str, str]] = [
    # paths and operations
    ("endpoint-added", INFO, "endpoint {op} added", "endpoint-added"),
    ("api-path-removed-without-deprecation", ERR, "path {path} removed without deprecation", "path-removed"),
    ("api-path-removed-with-deprecation", INFO, "path {path} removed after deprecation", "path-removed-deprecated"),
    ("api-removed-without-deprecation", ERR, "endpoint {op} removed without deprecation", "endpoint-removed"),
    ("api-removed-with-deprecation", INFO, "endpoint {op} removed after deprecation", "endpoint-removed-deprecated"),
    ("api-removed-before-sunset", ERR, "endpoint {op} removed before its sunset date {date}", "removed-before-sunset"),
    ("endpoint-deprecated", INFO, "endpoint {op} deprecated", "endpoint-deprecated"),
    (
        "endpoint-deprecated-with-sunset",
        INFO,
        "endpoint {op} deprecated, sunset {date}",
        "endpoint-deprecated-with-sunset",
    ),
    ("endpoint-reactivated", INFO, "endpoint {op} reactivated", "endpoint-reactivated"),
    ("sunset-deleted", ERR, "sunset date of {op} deleted while it stays deprecated", "sunset-deleted"),
    ("api-sunset-date-changed-too-small", ERR, "sunset date moved earlier ({old} → {new})", "sunset-earlier"),
    ("api-stability-decreased", ERR, "stability level decreased ({old} → {new})", "endpoint-stability-decreased"),
    ("api-stability-increased", INFO, "stability level increased ({old} → {new})", "endpoint-stability-increased"),
    ("api-operation-id-removed", INFO, "operationId {old} removed and replaced with {new}", "operation-id-changed"),
    ("api-operation-id-added", INFO, "operationId {new} added", "operation-id-added"),
    ("api-tag-added", INFO, "tag {name} added", "tag-added"),
    ("api-tag-removed", INFO, "tag {name} removed", "tag-removed"),
    ("operation-summary-changed", INFO, "summary of {op} changed", "summary-changed"),
    ("operation-description-changed", INFO, "description of {op} changed", "operation-description-changed"),
    ("webhook-added", INFO, "webhook {name} added", "webhook-added"),
    ("webhook-removed", WARN, "webhook {name} removed", "webhook-removed"),
    # parameters
    ("new-required-request-parameter", ERR, "required {where} parameter {name} added", "parameter-added-required"),
    ("new-optional-request-parameter", INFO, "optional {where} parameter {name} added", "parameter-added-optional"),
    ("new-request-path-parameter", ERR, "path parameter {name} added", "path-parameter-added"),
    ("request-path-parameter-renamed", INFO, "path parameter {old} renamed {new}", "path-parameter-renamed"),
    ("request-parameter-removed", WARN, "{where} parameter {name} removed", "parameter-removed"),
    (
        "request-parameter-removed-with-deprecation",
        INFO,
        "{where} parameter {name} removed after deprecation",
        "parameter-removed-deprecated",
    ),
    ("request-parameter-became-required", ERR, "{where} parameter {name} became required", "parameter-required"),
    ("request-parameter-became-optional", INFO, "{where} parameter {name} became optional", "parameter-optional"),
    ("request-parameter-deprecated", INFO, "{where} parameter {name} deprecated", "parameter-deprecated"),
    ("request-parameter-reactivated", INFO, "{where} parameter {name} reactivated", "parameter-reactivated"),
    # oasdiff: an object parameter may be serialised several ways, some of which accept the new type
    ("request-parameter-property-type-changed", WARN, "type changed ({old} → {new})", "type-changed"),
    ("request-parameter-in-changed", ERR, "parameter {name} moved from {old} to {new}", "parameter-in-changed"),
    # request body
    ("request-body-added-required", ERR, "required request body added", "body-added-required"),
    ("request-body-added-optional", INFO, "optional request body added", "body-added-optional"),
    ("request-body-removed", ERR, "request body removed", "body-removed"),
    ("request-body-became-required", ERR, "request body became required", "body-required"),
    ("request-body-became-optional", INFO, "request body became optional", "body-optional"),
    ("request-body-media-type-added", INFO, "request media type {media} added", "request-media-added"),
    ("request-body-media-type-removed", ERR, "request media type {media} removed", "request-media-removed"),
    # responses
    ("response-success-status-added", INFO, "response status {status} added", "success-status-added"),
    ("response-non-success-status-added", INFO, "response status {status} added", "status-added"),
    ("response-success-status-removed", ERR, "success response status {status} removed", "success-status-removed"),
    ("response-non-success-status-removed", INFO, "response status {status} removed", "status-removed"),
    ("response-media-type-added", INFO, "response media type {media} added", "response-media-added"),
    ("response-media-type-removed", ERR, "response media type {media} removed", "response-media-removed"),
    # response headers
    ("response-header-added", INFO, "response header {name} added", "header-added"),
    ("required-response-header-removed", ERR, "required response header {name} removed", "header-removed-required"),
    ("optional-response-header-removed", WARN, "optional response header {name} removed", "header-removed-optional"),
    ("response-header-became-optional", ERR, "response header {name} became optional", "header-optional"),
    ("response-header-became-required", INFO, "response header {name} became required", "header-required"),
    # security
    ("api-global-security-added", INFO, "global security requirement {name} added", "global-security-added"),
    ("api-global-security-removed", ERR, "global security requirement {name} removed", "global-security-removed"),
    ("api-global-security-scope-added", ERR, "scope {scope} added to global {name}", "global-scope-added"),
    ("api-global-security-scope-removed", INFO, "scope {scope} removed from global {name}", "global-scope-removed"),
    ("api-security-added", INFO, "security requirement {name} added", "security-added"),
    ("api-security-removed", ERR, "security requirement {name} removed", "security-removed"),
    ("api-security-scope-added", ERR, "scope {scope} added to {name}", "security-scope-added"),
    ("api-security-scope-removed", INFO, "scope {scope} removed from {name}", "security-scope-removed"),
    ("security-scheme-added", INFO, "security scheme {name} added", "scheme-added"),
    ("security-scheme-removed", INFO, "security scheme {name} removed", "scheme-removed"),
    ("security-scheme-type-changed", INFO, "type of security scheme {name} changed", "scheme-type-changed"),
    ("security-scheme-scope-added", INFO, "scope {scope} added to scheme {name}", "scheme-scope-added"),
    ("security-scheme-scope-removed", INFO, "scope {scope} removed from scheme {name}", "scheme-scope-removed"),
    # components
    ("component-schema-added", INFO, "schema {name} added", "component-added"),
    ("api-schema-removed", INFO, "schema {name} removed", "component-removed"),
]

# Rules that depend on the side only, not on body or property: (id per side, levels, message, test fragment).
_SIDED: list[tuple[tuple[str, str, str], tuple[str, str, str], str, str]] = [
    (
        ("new-required-request-property", "response-required-property-added", "schema-required-property-added"),
        (ERR, INFO, INFO),
        "required property {name} added",
        "property-added-required",
    ),
    (
        ("new-optional-request-property", "response-optional-property-added", "schema-optional-property-added"),
        (INFO, INFO, INFO),
        "optional property {name} added",
        "property-added-optional",
    ),
    (
        ("request-property-removed", "response-required-property-removed", "schema-required-property-removed"),
        (WARN, ERR, WARN),
        "required property {name} removed",
        "property-removed-required",
    ),
    (
        (
            "request-optional-property-removed",
            "response-optional-property-removed",
            "schema-optional-property-removed",
        ),
        (WARN, INFO, INFO),
        "optional property {name} removed",
        "property-removed-optional",
    ),
    (
        ("request-property-became-required", "response-property-became-required", "schema-property-became-required"),
        (ERR, INFO, WARN),
        "property {name} became required",
        "property-became-required",
    ),
    (
        ("request-property-became-optional", "response-property-became-optional", "schema-property-became-optional"),
        (INFO, ERR, WARN),
        "property {name} became optional",
        "property-became-optional",
    ),
]

TIGHTER_REQUEST, LOOSER_REQUEST = (ERR, INFO, WARN), (INFO, ERR, INFO)
_CHANGED = (WARN, WARN, INFO)
_SAFE = (INFO, INFO, INFO)

# Rules written once per scope: (stem, (request, response, unreached) levels, message). The test fragment is the
# stem's name.
_SCOPED: list[tuple[str, tuple[str, str, str], str]] = [
    ("type-changed", (ERR, ERR, WARN), "type changed ({old} → {new})"),
    ("type-generalized", (INFO, ERR, INFO), "type widened ({old} → {new})"),
    ("format-changed", _CHANGED, "format changed ({old} → {new})"),
    ("became-nullable", (INFO, ERR, INFO), "became nullable"),
    ("became-not-nullable", (ERR, INFO, INFO), "became not nullable"),
    ("enum-value-added", (INFO, WARN, INFO), "enum value {value} added"),
    ("enum-value-removed", (ERR, INFO, WARN), "enum value {value} removed"),
    ("became-enum", (ERR, INFO, WARN), "restricted to the enum values {new}"),
    ("became-not-enum", (INFO, WARN, INFO), "no longer restricted to enum values"),
    ("x-extensible-enum-value-removed", (ERR, INFO, WARN), "x-extensible-enum value {value} removed"),
    ("x-extensible-enum-value-added", _SAFE, "x-extensible-enum value {value} added"),
    ("pattern-added", (ERR, INFO, INFO), "pattern {new} added"),
    ("pattern-changed", _CHANGED, "pattern changed ({old} → {new})"),
    ("pattern-removed", (INFO, ERR, INFO), "pattern {old} removed"),
    ("multiple-of-changed", _CHANGED, "multipleOf changed ({old} → {new})"),
    ("default-value-added", _SAFE, "default {new} added"),
    ("default-value-removed", _SAFE, "default {old} removed"),
    ("default-value-changed", _SAFE, "default changed ({old} → {new})"),
    ("const-added", (ERR, INFO, WARN), "const {new} added"),
    ("const-removed", (INFO, ERR, INFO), "const {old} removed"),
    ("const-changed", (ERR, ERR, WARN), "const changed ({old} → {new})"),
    ("became-read-only", _SAFE, "became readOnly"),
    ("became-not-read-only", _SAFE, "no longer readOnly"),
    ("became-write-only", _SAFE, "became writeOnly"),
    ("became-not-write-only", _SAFE, "no longer writeOnly"),
    ("deprecated", _SAFE, "deprecated"),
    ("deprecated-with-sunset", _SAFE, "deprecated, sunset {date}"),
    ("reactivated", _SAFE, "reactivated (no longer deprecated)"),
    ("stability-decreased", (ERR, ERR, ERR), "stability level decreased ({old} → {new})"),
    ("stability-increased", _SAFE, "stability level increased ({old} → {new})"),
    ("additional-properties-restricted", TIGHTER_REQUEST, "additionalProperties restricted ({old} → {new})"),
    ("additional-properties-relaxed", (INFO, WARN, INFO), "additionalProperties relaxed ({old} → {new})"),
    ("all-of-added", (ERR, INFO, INFO), "allOf member {name} added"),
    ("all-of-removed", (INFO, ERR, WARN), "allOf member {name} removed"),
    ("any-of-added", (INFO, ERR, INFO), "anyOf member {name} added"),
    ("any-of-removed", (ERR, INFO, WARN), "anyOf member {name} removed"),
    ("one-of-added", (INFO, ERR, INFO), "oneOf member {name} added"),
    ("one-of-removed", (ERR, INFO, WARN), "oneOf member {name} removed"),
    ("discriminator-added", _SAFE, "discriminator added"),
    ("discriminator-removed", _SAFE, "discriminator removed"),
    ("discriminator-property-name-changed", _SAFE, "discriminator propertyName changed ({old} → {new})"),
    ("discriminator-mapping-added", _SAFE, "discriminator mapping {name} added"),
    ("discriminator-mapping-deleted", _SAFE, "discriminator mapping {name} deleted"),
    ("discriminator-mapping-changed", _SAFE, "discriminator mapping {name} changed ({old} → {new})"),
    ("prefix-items-added", TIGHTER_REQUEST, "prefixItems item {name} added"),
    ("prefix-items-removed", LOOSER_REQUEST, "prefixItems item {name} removed"),
    ("description-changed", _SAFE, "description changed"),
    ("title-changed", _SAFE, "title changed ({old} → {new})"),
]

# JSON Schema 2020-12 keywords compared as a whole (their subschemas are compared where they have properties):
# setting one narrows what is accepted, dropping one widens it, changing one may do either.
KEYWORDS_2020 = (
    "contains",
    "dependentRequired",
    "dependentSchemas",
    "patternProperties",
    "propertyNames",
    "unevaluatedProperties",
    "unevaluatedItems",
    "contentMediaType",
    "contentEncoding",
    "contentSchema",
    "if",
    "then",
    "else",
    "not",
)

# Numeric limits: keyword → (oasdiff's stem, +1 when a larger value tightens / -1 when a smaller one does).
LIMITS: dict[str, tuple[str, int]] = {
    "minLength": ("min-length", 1),
    "maxLength": ("max-length", -1),
    "minimum": ("min", 1),
    "maximum": ("max", -1),
    "exclusiveMinimum": ("exclusive-min", 1),
    "exclusiveMaximum": ("exclusive-max", -1),
    "minItems": ("min-items", 1),
    "maxItems": ("max-items", -1),
    "minProperties": ("min-properties", 1),
    "maxProperties": ("max-properties", -1),
    "minContains": ("min-contains", 1),
    "maxContains": ("max-contains", -1),
}


def kebab(keyword: str) -> str:
    """``dependentRequired`` → ``dependent-required``."""
    return "".join(f"-{c.lower()}" if c.isupper() else c for c in keyword)


for _keyword in KEYWORDS_2020:
    _stem = kebab(_keyword)
    _SCOPED.append((f"{_stem}-added", TIGHTER_REQUEST, f"{_keyword} added"))
    _SCOPED.append((f"{_stem}-removed", LOOSER_REQUEST, f"{_keyword} removed"))
    _SCOPED.append((f"{_stem}-changed", _CHANGED, f"{_keyword} changed"))
for _keyword, (_stem, _way) in LIMITS.items():
    _tighter, _looser = ("increased", "decreased") if _way > 0 else ("decreased", "increased")
    _SCOPED.append((f"{_stem}-{_tighter}", TIGHTER_REQUEST, f"{_keyword} {_tighter} ({{old}} → {{new}})"))
    _SCOPED.append((f"{_stem}-{_looser}", LOOSER_REQUEST, f"{_keyword} {_looser} ({{old}} → {{new}})"))
    _SCOPED.append((f"{_stem}-set", TIGHTER_REQUEST, f"{_keyword} set to {{new}}"))
    _SCOPED.append((f"{_stem}-unset", LOOSER_REQUEST, f"{_keyword} {{old}} removed"))


def _level(levels: tuple[str, str, str], side: str) -> str:
    return levels[("request", "response", "none").index(side)]


def _table() -> dict[str, Kind]:
    table: dict[str, Kind] = {}

    def row(kind_id: str, kind: Kind) -> None:
        if kind_id in table:
            raise ValueError(f"duplicate change kind {kind_id}")
        table[kind_id] = kind

    for kind_id, level, message, case in _FIXED:
        row(kind_id, Kind(level, message, case))
    for ids, levels, message, case in _SIDED:
        for kind_id, side in zip(ids, ("request", "response", "none"), strict=True):
            row(kind_id, Kind(_level(levels, side), message, case))
    for stem, levels, message in _SCOPED:
        for scope in SCOPES:
            if f"{scope}-{stem}" not in table:  # a parameter's own `deprecated` is the same rule as its schema's
                row(f"{scope}-{stem}", Kind(_level(levels, scope_side(scope)), message, stem))
    return table


KINDS: dict[str, Kind] = _table()

# oasdiff ids whose level here differs on purpose, with the reason (rendered into the README).
DEVIATIONS: dict[str, tuple[str, str]] = {
    "response-property-enum-value-added": (
        WARN,
        "the generated enums are closed: a value the old models do not know fails validation of the response",
    ),
    "response-body-enum-value-added": (WARN, "as above, for an enum at the root of a response body"),
    "response-header-enum-value-added": (WARN, "as above, for a response header"),
    "request-optional-property-removed": (
        WARN,
        "oasdiff reports a removed request property as request-property-removed (WARN) whether required or not; "
        "here the optional case has its own id, at the same level",
    ),
}
