"""What a user may change about a diff's result: levels (``--level ID=LEVEL``), ignored changes (``--ignore FILE``)
and the paths looked at (``--match-path REGEX``). Pure functions over lists of changes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from generator.diff.core import Change
from generator.diff.kinds import KINDS, LEVELS
from generator.errors import CodegenError

__all__ = ["IgnoreEntry", "apply_ignores", "match_paths", "override_levels", "parse_ignores", "parse_levels"]


def parse_levels(values: list[str]) -> dict[str, str]:
    """``["ID=LEVEL", …]`` → ``{id: level}``; an unknown id or level is bad input."""
    levels: dict[str, str] = {}
    for value in values:
        kind, sep, level = value.partition("=")
        if not sep or level not in LEVELS:
            raise CodegenError("--level", f"{value!r} is not ID=LEVEL with LEVEL one of {', '.join(LEVELS)}")
        if kind not in KINDS:
            raise CodegenError("--level", f"{kind!r} is not a change kind")
        levels[kind] = level
    return levels


def override_levels(changes: list[Change], levels: dict[str, str]) -> list[Change]:
    """The changes with the levels the user set for their ids."""
    return [replace(c, level=levels[c.id]) if c.id in levels else c for c in changes]


@dataclass(frozen=True)
class IgnoreEntry:
    """One accepted change: its id, where (a JSON pointer), optionally the operation, and why it is accepted."""

    id: str
    location: str
    reason: str
    operation: str | None = None

    def matches(self, change: Change) -> bool:
        """True when ``change`` is the one this entry accepts."""
        if change.id != self.id or change.location != self.location:
            return False
        return self.operation is None or self.operation == change.operation

    def as_json(self) -> dict[str, Any]:
        """The entry as a JSON object."""
        return {"id": self.id, "location": self.location, "operation": self.operation, "reason": self.reason}


def parse_ignores(document: Any, source: str) -> list[IgnoreEntry]:
    """The entries of an ignore file: ``{ignore: [{id, location, reason, operation?}, …]}``."""
    entries = document.get("ignore") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        raise CodegenError(source, "an ignore file is a mapping with an `ignore` list", "/ignore")
    found = []
    for index, entry in enumerate(entries):
        pointer = f"/ignore/{index}"
        if not isinstance(entry, dict):
            raise CodegenError(source, "an ignore entry is a mapping", pointer)
        for key in ("id", "location", "reason"):
            if not isinstance(entry.get(key), str) or not entry[key].strip():
                raise CodegenError(source, f"an ignore entry needs a non-empty string `{key}`", pointer)
        operation = entry.get("operation")
        if operation is not None and not isinstance(operation, str):
            raise CodegenError(source, "`operation` is a string such as 'GET /items'", pointer)
        found.append(IgnoreEntry(entry["id"], entry["location"], entry["reason"], operation))
    return found


def apply_ignores(changes: list[Change], entries: list[IgnoreEntry]) -> tuple[list[Change], list[IgnoreEntry]]:
    """The changes no entry accepts, and the entries that accept no change any more (stale)."""
    used: set[int] = set()
    kept = []
    for change in changes:
        hits = [i for i, entry in enumerate(entries) if entry.matches(change)]
        used.update(hits)
        if not hits:
            kept.append(change)
    return kept, [entry for i, entry in enumerate(entries) if i not in used]


def match_paths(changes: list[Change], pattern: str) -> list[Change]:
    """The changes of the paths that ``pattern`` (a regular expression, searched) matches; changes that belong to
    no path (components, security schemes) are kept."""
    try:
        regex = re.compile(pattern)
    except re.error as exc:
        raise CodegenError("--match-path", f"{pattern!r} is not a regular expression: {exc}") from None
    kept = []
    for change in changes:
        path = change.operation.split(" ", 1)[1] if change.operation and " " in change.operation else None
        if path is None and change.location.startswith("/paths/"):
            path = change.location.split("/")[2].replace("~1", "/").replace("~0", "~")
        if path is None or regex.search(path):
            kept.append(change)
    return kept
