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
    "ALIASES",
    "DEVIATIONS",
    "ERR",
    "INFO",
    "KINDS",
    "LEVELS",
    "READ_ONLY_GUARDED",
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
    ("api-path-removed-before-sunset", ERR, "path {path} removed before its sunset date {date}", "path-before-sunset"),
    ("api-deprecated-sunset-parse", ERR, "x-sunset {value} of {op} is not a date", "sunset-parse"),
    ("api-path-sunset-parse", ERR, "x-sunset {value} of removed {op} is not a date", "path-sunset-parse"),
    (
        "api-invalid-stability-level",
        ERR,
        "x-stability-level {value} is not draft, alpha, beta or stable",
        "bad-stability",
    ),
    ("api-version-not-bumped", INFO, "a breaking change was found but info.version is still {old}", "version-same"),
    ("api-version-decreased", INFO, "info.version decreased ({old} → {new})", "version-decreased"),
    (
        "api-major-version-not-bumped",
        INFO,
        "a breaking change was found but the major version did not grow ({old} → {new})",
        "version-minor-only",
    ),
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
    ("webhook-removed", ERR, "webhook {name} removed", "webhook-removed"),
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
    (
        "request-parameter-sunset-parse",
        ERR,
        "x-sunset {value} of {where} parameter {name} is not a date",
        "param-sunset-parse",
    ),
    (
        "request-parameter-removed-before-sunset",
        ERR,
        "{where} parameter {name} removed before its sunset date {date}",
        "param-before-sunset",
    ),
    (
        "request-parameter-sunset-deleted",
        ERR,
        "sunset of deprecated {where} parameter {name} deleted",
        "param-sunset-deleted",
    ),
    (
        "request-parameter-sunset-date-changed-too-small",
        ERR,
        "sunset of {where} parameter {name} moved earlier ({old} → {new})",
        "param-sunset-earlier",
    ),
    (
        "new-required-request-default-parameter-to-existing-path",
        ERR,
        "required {where} parameter {name} added to every operation of the path",
        "path-level-parameter-added-required",
    ),
    (
        "new-optional-request-default-parameter-to-existing-path",
        INFO,
        "optional {where} parameter {name} added to every operation of the path",
        "path-level-parameter-added-optional",
    ),
    (
        "new-required-request-header-property",
        ERR,
        "required property {name} added to a header",
        "header-property-added",
    ),
    (
        "request-header-property-became-required",
        ERR,
        "property {name} of a header became required",
        "header-property-required",
    ),
    (
        "request-header-property-became-enum",
        ERR,
        "a header property was restricted to enum values",
        "header-property-enum",
    ),
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
    ("request-body-media-type-schema-added", ERR, "schema added to request media type {media}", "request-schema-added"),
    (
        "request-body-media-type-schema-removed",
        INFO,
        "schema removed from request media type {media}",
        "request-schema-removed",
    ),
    ("request-body-media-type-item-schema-added", ERR, "itemSchema added to {media}", "request-item-schema-added"),
    (
        "request-body-media-type-item-schema-removed",
        INFO,
        "itemSchema removed from {media}",
        "request-item-schema-removed",
    ),
    (
        "response-body-media-type-schema-added",
        INFO,
        "schema added to response media type {media}",
        "response-schema-added",
    ),
    (
        "response-body-media-type-schema-removed",
        ERR,
        "schema removed from response media type {media}",
        "response-schema-removed",
    ),
    ("response-body-media-type-item-schema-added", INFO, "itemSchema added to {media}", "response-item-schema-added"),
    (
        "response-body-media-type-item-schema-removed",
        ERR,
        "itemSchema removed from {media}",
        "response-item-schema-removed",
    ),
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
    ("api-security-component-added", INFO, "security scheme {name} added", "scheme-added"),
    ("api-security-component-removed", INFO, "security scheme {name} removed", "scheme-removed"),
    ("api-security-component-type-changed", INFO, "type of security scheme {name} changed", "scheme-type-changed"),
    ("api-security-component-oauth-url-changed", INFO, "authorizationUrl of {name} changed", "scheme-url-changed"),
    ("api-security-component-oauth-token-url-changed", INFO, "tokenUrl of {name} changed", "scheme-token-url-changed"),
    ("api-security-component-oauth-scope-added", INFO, "scope {scope} added to scheme {name}", "scheme-scope-added"),
    (
        "api-security-component-oauth-scope-removed",
        INFO,
        "scope {scope} removed from scheme {name}",
        "scheme-scope-removed",
    ),
    (
        "api-security-component-oauth-scope-changed",
        INFO,
        "scope {scope} of scheme {name} changed",
        "scheme-scope-changed",
    ),
    # components
    ("component-schema-added", INFO, "schema {name} added", "component-added"),
    ("api-schema-removed", INFO, "schema {name} removed", "component-removed"),
]

# Rules for a property whose readOnly/writeOnly or default changes what a change means, and oasdiff's own names
# for a few scoped rules. (id, level, message, test pair)
_GUARDED: list[tuple[str, str, str, str]] = [
    (
        "new-required-request-property-with-default",
        ERR,
        "required property {name} with a default added",
        "with-default-added",
    ),
    (
        "request-property-became-required-with-default",
        ERR,
        "property {name} with a default became required",
        "with-default-required",
    ),
    (
        "response-required-write-only-property-added",
        INFO,
        "required writeOnly property {name} added",
        "wo-added-required",
    ),
    (
        "response-optional-write-only-property-added",
        INFO,
        "optional writeOnly property {name} added",
        "wo-added-optional",
    ),
    (
        "response-required-write-only-property-removed",
        INFO,
        "required writeOnly property {name} removed",
        "wo-removed-required",
    ),
    (
        "response-optional-write-only-property-removed",
        INFO,
        "optional writeOnly property {name} removed",
        "wo-removed-optional",
    ),
    ("response-write-only-property-became-optional", INFO, "writeOnly property {name} became optional", "wo-optional"),
    ("response-write-only-property-became-required", INFO, "writeOnly property {name} became required", "wo-required"),
    ("response-write-only-property-enum-value-added", INFO, "enum value {value} added", "wo-enum-added"),
    ("response-mediatype-enum-value-removed", INFO, "enum value {value} removed", "body-enum-removed"),
]
# readOnly properties are not sent: narrowing one in a request is INFO.
READ_ONLY_GUARDED = (
    "enum-value-removed",
    "max-decreased",
    "exclusive-max-decreased",
    "max-length-decreased",
    "min-increased",
    "exclusive-min-increased",
    "max-items-decreased",
    "max-properties-decreased",
)
for _stem in READ_ONLY_GUARDED:
    _GUARDED.append((f"request-read-only-property-{_stem}", INFO, "", f"ro-{_stem}"))  # message: the stem's
for _side in ("request", "response"):
    for _required in ("required", "optional"):
        for _change in ("read-only", "not-read-only", "write-only", "not-write-only"):
            _guard_level = WARN if (_side, _required, _change) == ("response", "required", "not-write-only") else INFO
            _id = f"{_side}-{_required}-property-became-{_change}"
            _GUARDED.append((_id, _guard_level, f"{_required} property {{name}} became {_change}", _id))
MUTABILITY = ("became-read-only", "became-not-read-only", "became-write-only", "became-not-write-only")
# scoped id → the id oasdiff gives the same change
ALIASES = {"response-body-enum-value-removed": "response-mediatype-enum-value-removed"}

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
    ("multiple-of-set", TIGHTER_REQUEST, "multipleOf {new} set"),
    ("multiple-of-unset", LOOSER_REQUEST, "multipleOf {old} removed"),
    ("multiple-of-changed", (ERR, ERR, WARN), "multipleOf changed ({old} → {new})"),
    ("multiple-of-generalized", LOOSER_REQUEST, "multipleOf generalized ({old} → {new})"),
    ("multiple-of-specialized", TIGHTER_REQUEST, "multipleOf specialized ({old} → {new})"),
    ("unique-items-set", TIGHTER_REQUEST, "uniqueItems set"),
    ("unique-items-unset", LOOSER_REQUEST, "uniqueItems unset"),
    ("type-specialized", TIGHTER_REQUEST, "type narrowed ({old} → {new})"),
    ("list-of-types-widened", (INFO, ERR, INFO), "types {new} added to the list of types"),
    ("list-of-types-narrowed", (ERR, INFO, WARN), "types {old} removed from the list of types"),
    ("pattern-generalized", (INFO, ERR, INFO), "pattern generalized ({old} → {new})"),
    ("wrapped-in-one-of", (ERR, ERR, WARN), "wrapped in a oneOf"),
    ("all-of-added-annotation-only", _SAFE, "allOf member {name} with annotations only added"),
    ("all-of-removed-annotation-only", _SAFE, "allOf member {name} with annotations only removed"),
    ("deprecated-sunset-invalid", (ERR, ERR, ERR), "deprecated with an x-sunset that is not a date ({value})"),
    ("dependent-required-added", TIGHTER_REQUEST, "dependentRequired {name} added"),
    ("dependent-required-removed", LOOSER_REQUEST, "dependentRequired {name} removed"),
    ("dependent-required-changed", (ERR, ERR, WARN), "dependentRequired {name} changed"),
    ("dependent-schema-added", TIGHTER_REQUEST, "dependentSchemas {name} added"),
    ("dependent-schema-removed", LOOSER_REQUEST, "dependentSchemas {name} removed"),
    ("pattern-property-added", TIGHTER_REQUEST, "patternProperties {name} added"),
    ("pattern-property-removed", LOOSER_REQUEST, "patternProperties {name} removed"),
    ("content-media-type-changed", (ERR, ERR, WARN), "contentMediaType changed ({old} → {new})"),
    ("content-encoding-changed", (ERR, ERR, WARN), "contentEncoding changed ({old} → {new})"),
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
    ("prefix-items-added", (INFO, ERR, INFO), "prefixItems item {name} added"),
    ("prefix-items-removed", (ERR, INFO, WARN), "prefixItems item {name} removed"),
    ("description-changed", _SAFE, "description changed"),
    ("title-changed", _SAFE, "title changed ({old} → {new})"),
]

# JSON Schema 2020-12 keywords compared as a whole (their subschemas are compared where they have properties):
# setting one narrows what is accepted, dropping one widens it, changing one may do either.
KEYWORDS_2020 = (
    "contains",
    "propertyNames",
    "unevaluatedProperties",
    "unevaluatedItems",
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
    _SCOPED.append((f"{_stem}-changed", _CHANGED, f"{_keyword} changed"))  # project's own: oasdiff has none
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

    stems = {stem: message for stem, _, message in _SCOPED}
    for kind_id, level, message, case in _FIXED + _GUARDED:
        stem = kind_id.removeprefix("request-read-only-property-")
        row(kind_id, Kind(level, message or stems[stem], case))
    for ids, levels, message, case in _SIDED:
        for kind_id, side in zip(ids, ("request", "response", "none"), strict=True):
            row(kind_id, Kind(_level(levels, side), message, case))
    for stem, levels, message in _SCOPED:
        for scope in SCOPES:
            if f"{scope}-{stem}" in table or f"{scope}-{stem}" in ALIASES:  # e.g. a parameter's own
                continue  # `deprecated` is the same rule as its schema's
            if stem in MUTABILITY and scope.endswith("-property"):
                continue  # a property's readOnly/writeOnly is reported with its requiredness (_GUARDED)
            row(f"{scope}-{stem}", Kind(_level(levels, scope_side(scope)), message, stem))
    return table


KINDS: dict[str, Kind] = _table()

_SUNSET_POLICY = (
    "not checked: oasdiff's deprecation policy (how many days a deprecated API must live before its sunset, per "
    "stability level) is the API owner's rule; a client generator reviews a vendor's spec it cannot change, so a "
    "deprecation is INFO and a sunset date matters only when it is deleted, moved earlier or not a date"
)
_COMPATIBLE = (
    "not separate: a type or format change that oasdiff judges compatible is reported here by what it does to the "
    "set of accepted values: type-generalized, type-specialized, type-changed or format-changed"
)
_MEDIA_RANGE = (
    "not separate: a media type replaced by a range or a narrower one (application/* ↔ application/json) is "
    "reported as one media type removed (ERR) and one added (INFO), the stricter reading"
)
# oasdiff ids that are absent from KINDS or differ from oasdiff on purpose: id → (level here or None, reason).
# Rendered into the README by `make readme-diff`.
DEVIATIONS: dict[str, tuple[str | None, str]] = {
    "request-optional-property-removed": (
        WARN,
        "an id of this project: oasdiff reports any removed request property as request-property-removed (WARN); "
        "here the optional case has its own id, at the same level",
    ),
    **{
        f"{where}-{check}": (None, _SUNSET_POLICY)
        for where in ("api", "request-parameter", "request-property", "response-property")
        for check in ("deprecated-sunset-missing", "sunset-date-too-small")
    },
    **{
        f"{where}-type-compatible": (None, _COMPATIBLE)
        for where in ("request-body", "request-property", "response-body", "response-property", "response-header")
    },
    **{f"response-media-type-name-{c}": (None, _MEDIA_RANGE) for c in ("changed", "generalized", "specialized")},
    "response-body-media-type-item-schema-removed-untyped": (
        None,
        "not separate: an OpenAPI 3.2 itemSchema removed is response-body-media-type-item-schema-removed (ERR) "
        "whether or not the schema had a type",
    ),
}
