"""The name lock: the names one generation derived, read back by the next generation into the same ``--out``.

Which of two colliding names was "there first" is history, not a function of one spec: when a vendor adds a
component ``JobStatus`` next to an inline ``Job.status`` that already became class ``JobStatus``, the spec alone
would give the newcomer the plain name and renumber the existing class. So the manifest records, for each class
whose name was derived (inline, hoisted, numbered, suffixed) and each regex constant, the JSON pointer of its
source schema and the name it got (``normalise.Names``); the next generation claims those names first.

The record is read from a file anyone can edit, so it is untrusted input: anything that is not a mapping of
pointers to valid identifiers is dropped, and so is every entry whose name another entry also has (``normalise``
further ignores pointers that no longer exist and names that are taken or invalid). A broken record means fresh
names, never an error.
"""

from __future__ import annotations

import keyword
import re
from pathlib import Path
from typing import Any

from generator.manifest import recorded_names
from generator.normalise import Names, module_of

__all__ = ["lock_in", "names_from_json", "names_to_json", "recorded_in"]

_CLASS = re.compile(r"^[A-Z][A-Za-z0-9]*$")
"""A derived class name: PascalCase words, maybe numbered (``normalise`` checks further: no keyword, no suffix)."""
_CONSTANT = re.compile(r"^[A-Z][A-Z0-9_]*_PATTERN(_[0-9A-F]{8})?$")
"""A derived regex constant: ``<PLACE>_PATTERN``, maybe with the digest of its regex."""
_CLASS_STATEMENT = re.compile(r"^class (\w+)\(", re.MULTILINE)
_CONSTANT_STATEMENT = re.compile(r"^(\w+) = ", re.MULTILINE)
_PATTERNS_FILE = "_patterns.py"


def _entries(raw: Any, shape: re.Pattern[str], key: Any) -> dict[str, str]:
    """The valid ``pointer → name`` entries of one section; names met twice (by ``key``) are dropped each time."""
    if not isinstance(raw, dict):
        return {}
    valid = {
        pointer: name
        for pointer, name in raw.items()
        if isinstance(pointer, str)
        and (pointer == "" or pointer.startswith("/"))
        and isinstance(name, str)
        and name.isascii()
        and shape.match(name)
        and not keyword.iskeyword(name)
    }
    counts: dict[str, int] = {}
    for name in valid.values():
        counts[key(name)] = counts.get(key(name), 0) + 1
    return {pointer: name for pointer, name in valid.items() if counts[key(name)] == 1}


def names_from_json(raw: Any) -> Names:
    """The lock held by a manifest's ``names`` value; empty for anything malformed."""
    if not isinstance(raw, dict):
        return Names()
    return Names(
        classes=_entries(raw.get("classes"), _CLASS, module_of),
        patterns=_entries(raw.get("patterns"), _CONSTANT, str),
    )


def lock_in(out: Path) -> Names:
    """The lock recorded by the manifest in ``out``: empty when there is none or it cannot be read."""
    return names_from_json(recorded_names(out))


def names_to_json(names: Names) -> dict[str, dict[str, str]]:
    """The manifest's ``names`` value: both sections sorted by pointer."""
    return {"classes": dict(sorted(names.classes.items())), "patterns": dict(sorted(names.patterns.items()))}


def recorded_in(names: Names, package: dict[str, str]) -> Names:
    """The entries of ``names`` that the rendered ``package`` (``{relative path: text}``) really holds: a class one
    of its modules defines, a constant its regex module defines."""
    classes = {name for text in package.values() for name in _CLASS_STATEMENT.findall(text)}
    constants = set(_CONSTANT_STATEMENT.findall(package.get(_PATTERNS_FILE, "")))
    return Names(
        classes={pointer: name for pointer, name in names.classes.items() if name in classes},
        patterns={pointer: name for pointer, name in names.patterns.items() if name in constants},
    )
