"""What every part of the diff shares: the ``Change`` record and the ``Context`` that collects changes."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from generator.diff.kinds import KINDS
from generator.documents import resolve_pointer

__all__ = ["Change", "Context", "as_dict", "as_list", "show"]

MAX_REF_HOPS = 50
SCHEMAS = "/components/schemas/"


@dataclass(frozen=True)
class Change:
    """One difference between the old and the new document."""

    id: str
    level: str
    message: str
    location: str
    operation: str | None
    direction: str

    def as_json(self) -> dict[str, Any]:
        """The change as a JSON object."""
        return {
            "id": self.id,
            "level": self.level,
            "message": self.message,
            "location": self.location,
            "operation": self.operation,
            "direction": self.direction,
        }


def show(value: Any) -> str:
    """A value as it appears in a message: strings quoted, anything else as compact JSON."""
    if isinstance(value, str):
        return repr(value)
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def as_dict(value: Any) -> dict[str, Any]:
    """``value`` when it is a mapping, else an empty one (a valid document may leave any section out)."""
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    """``value`` when it is a list, else an empty one."""
    return value if isinstance(value, list) else []


@dataclass
class Context:
    """The two documents being compared and the changes found so far."""

    old: dict[str, Any]
    new: dict[str, Any]
    changes: list[Change] = field(default_factory=list)
    seen: set[tuple[str, str, str | None, str]] = field(default_factory=set)
    reached: set[str] = field(default_factory=set)

    def add(self, kind: str, location: str, operation: str | None, direction: str, **details: Any) -> None:
        """Record one change of ``kind`` (a row of ``KINDS``), once per kind, place, operation and details."""
        level, template, _ = KINDS[kind]
        key = (kind, location, operation, json.dumps(details, sort_keys=True, default=str))
        if key in self.seen:
            return
        self.seen.add(key)
        message = template.format(**{k: v if isinstance(v, str) else show(v) for k, v in details.items()})
        where = f"{operation}: " if operation else ""
        self.changes.append(Change(kind, level, f"{where}{message} at {location}", location, operation, direction))

    def deref(self, document: dict[str, Any], value: Any, location: str) -> tuple[Any, str]:
        """Follow local ``$ref``s from ``value``; the target and its pointer (``{}`` for a dangling one). Every
        component schema passed on the way counts as reached by an operation."""
        hops = 0
        while isinstance(value, dict) and isinstance(value.get("$ref"), str) and hops < MAX_REF_HOPS:
            ref = value["$ref"]
            if not ref.startswith("#"):
                return {}, location
            location = ref[1:]
            if location.startswith(SCHEMAS):
                self.reached.add(location[len(SCHEMAS) :].split("/", 1)[0].replace("~1", "/").replace("~0", "~"))
            try:
                value = resolve_pointer(document, location)
            except (KeyError, IndexError, TypeError, ValueError):
                return {}, location
            hops += 1
        return value, location
