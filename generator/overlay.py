"""Overlay: apply an OpenAPI Overlay 1.0 document (RFC 9535 JSONPath targets) to an OpenAPI document.

Semantics follow the Overlay 1.0 specification: actions apply in order; ``update`` merges into each node the
target selects (objects recursively, arrays by appending, other values replaced); ``remove: true`` deletes each
selected node from its parent. An action whose target selects nothing is an error here on purpose: after a vendor
update, a customisation that silently stopped applying is the worst outcome for the people relying on it.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonpath_rfc9535 as jsonpath

from generator.errors import CodegenError

__all__ = ["Action", "apply_overlay", "apply_overlay_report", "parse_overlay"]


@dataclass(frozen=True)
class Action:
    """One overlay action, as written in the overlay document."""

    index: int
    target: str
    description: str
    update: Any = None
    remove: bool = False

    @property
    def label(self) -> str:
        return f"action {self.index} ({self.description!r})" if self.description else f"action {self.index}"


def parse_overlay(document: dict[str, Any], file: str | Path) -> list[Action]:
    """Check the shape of an Overlay 1.0 document and return its actions."""
    version = document.get("overlay")
    if not isinstance(version, str) or not version.startswith("1."):
        raise CodegenError(file, f"not an Overlay 1.x document (overlay: {version!r})", "/overlay")
    raw_actions = document.get("actions")
    if not isinstance(raw_actions, list) or not raw_actions:
        raise CodegenError(file, "an overlay needs a non-empty 'actions' list", "/actions")
    actions = []
    for index, raw in enumerate(raw_actions):
        where = f"/actions/{index}"
        if not isinstance(raw, dict):
            raise CodegenError(file, "an action must be a mapping", where)
        target, description = raw.get("target"), raw.get("description", "")
        if not isinstance(target, str):
            raise CodegenError(file, "an action needs a string 'target'", f"{where}/target")
        if not isinstance(description, str):
            raise CodegenError(file, "'description' must be a string", f"{where}/description")
        remove = raw.get("remove", False)
        if not isinstance(remove, bool):
            raise CodegenError(file, "'remove' must be true or false", f"{where}/remove")
        if remove == ("update" in raw):
            raise CodegenError(file, "an action needs exactly one of 'update' and 'remove: true'", where)
        try:
            jsonpath.compile(target)
        except jsonpath.JSONPathError as exc:
            raise CodegenError(file, f"invalid JSONPath target {target!r}: {exc}", f"{where}/target") from None
        actions.append(Action(index, target, description, raw.get("update"), remove))
    return actions


def _merge(target: Any, update: Any, action: Action, file: str | Path) -> Any:
    """Overlay 1.0 merge of an update value into a target value."""
    if isinstance(target, dict) and isinstance(update, dict):
        for key, value in update.items():
            target[key] = _merge(target[key], value, action, file) if key in target else copy.deepcopy(value)
        return target
    if isinstance(target, list):
        target.extend(copy.deepcopy(update) if isinstance(update, list) else [copy.deepcopy(update)])
        return target
    if isinstance(update, (dict, list)):
        raise CodegenError(
            file,
            f"{action.label} merges a {type(update).__name__} into a {type(target).__name__}",
            f"/actions/{action.index}",
        )
    return update


def _contains(target: Any, update: Any) -> bool:
    """True when merging ``update`` into ``target`` would change nothing: the document already says it."""
    if isinstance(target, dict) and isinstance(update, dict):
        return all(key in target and _contains(target[key], value) for key, value in update.items())
    if isinstance(target, list):
        return all(item in target for item in (update if isinstance(update, list) else [update]))
    return bool(target == update)


def apply_overlay_report(
    spec: dict[str, Any], actions: list[Action], file: str | Path
) -> tuple[dict[str, Any], list[tuple[Action, str]]]:
    """Apply what applies; return the new document and each action's outcome.

    Outcomes: ``applied``; ``stale`` (the target matches nothing); ``redundant`` (an update that the document
    already states at every node it targets, so the action can be dropped).
    """
    result = copy.deepcopy(spec)
    outcomes: list[tuple[Action, str]] = []
    for action in actions:
        nodes = jsonpath.find(action.target, result)
        if not nodes:
            outcomes.append((action, "stale"))
            continue
        if action.remove:
            # Delete from the end so that earlier array indexes stay valid.
            for node in sorted(nodes, key=lambda n: n.location, reverse=True):
                if not node.location:
                    raise CodegenError(file, f"{action.label} cannot remove the root", f"/actions/{action.index}")
                parent: Any = result
                for key in node.location[:-1]:
                    parent = parent[key]
                del parent[node.location[-1]]
            outcomes.append((action, "applied"))
            continue
        redundant = True
        for node in nodes:
            if not isinstance(node.value, (dict, list)):
                raise CodegenError(
                    file,
                    f"{action.label} updates a {type(node.value).__name__}; targets must be objects or arrays",
                    f"/actions/{action.index}/target",
                )
            redundant = redundant and _contains(node.value, action.update)
            _merge(node.value, action.update, action, file)
        outcomes.append((action, "redundant" if redundant else "applied"))
    return result, outcomes


def apply_overlay(spec: dict[str, Any], actions: list[Action], file: str | Path) -> dict[str, Any]:
    """Return a new document: ``spec`` with every action applied in order; a stale action is an error.

    The error names the first stale action and carries every other one in ``also``, so that one run lists them all.

    ``spec`` itself is not changed.
    """
    result, outcomes = apply_overlay_report(spec, actions, file)
    stale = [
        CodegenError(
            file, f"{action.label} is stale: target {action.target} matches nothing", f"/actions/{action.index}/target"
        )
        for action, outcome in outcomes
        if outcome == "stale"
    ]
    if stale:
        raise CodegenError(stale[0].file, stale[0].message, stale[0].where, also=tuple(stale[1:]))
    return result
