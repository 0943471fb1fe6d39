"""Diff: two OpenAPI documents → the list of changes, each with a stable id, a level and a direction.

Schemas are compared where operations use them, following ``$ref``s, as part of a request (what the client sends)
or a response (what the client reads); a schema both sides use is reported for each. Component schemas that no
operation reaches are compared too, with direction ``none``. The modules follow the document's concerns:
``paths`` (endpoints, deprecation, webhooks, components), ``parameters``, ``bodies`` (request and response bodies,
media types, response headers), ``schemas`` and ``security``; ``kinds`` holds the one table of rules and ``policy``
what a user may change about the result (levels, ignored changes, paths).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from generator.diff.core import Change, Context
from generator.diff.kinds import DEVIATIONS, ERR, INFO, KINDS, LEVELS, WARN, Kind
from generator.diff.paths import compare_components, compare_paths, compare_version, compare_webhooks
from generator.diff.security import compare_security

__all__ = ["DEVIATIONS", "ERR", "INFO", "KINDS", "LEVELS", "WARN", "Change", "Kind", "diff_specs", "suggest_bump"]

# A Python API change whose id ends so breaks code written against the old package.
_API_BREAKING = ("removed", "retyped")


def sort_changes(changes: Iterable[Change]) -> list[Change]:
    """Most severe first, then by operation, location and id."""
    order = {level: rank for rank, level in enumerate(LEVELS)}
    return sorted(changes, key=lambda c: (order[c.level], c.operation or "", c.location, c.id))


def diff_specs(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """Every change from ``old`` to ``new``, most severe first, then by location."""
    context = Context(old, new)
    compare_paths(context)
    compare_webhooks(context)
    compare_security(context)
    compare_components(context)
    compare_version(context)
    return sort_changes(context.changes)


def _is_doc_only(change_id: str) -> bool:
    return change_id.endswith(("description-changed", "summary-changed", "title-changed"))


def suggest_bump(changes: list[Change], api_changes: Iterable[str] = ()) -> str:
    """``major`` if anything breaks (an ERR change, or a removed or retyped Python name), ``minor`` if anything
    else than documentation changed, ``patch`` for documentation only, ``none`` when nothing changed.
    ``api_changes`` are the ids of Python API changes."""
    api = list(api_changes)
    if any(c.level == ERR for c in changes) or any(a.endswith(_API_BREAKING) for a in api):
        return "major"
    if any(not _is_doc_only(c.id) for c in changes) or any(not a.startswith("docstring") for a in api):
        return "minor"
    if changes or api:
        return "patch"
    return "none"
