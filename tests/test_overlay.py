"""Overlay 1.0 semantics: ordered actions, recursive merge, array append, remove, stale targets."""

from __future__ import annotations

import pytest

from generator.errors import CodegenError
from generator.overlay import apply_overlay, parse_overlay


def _apply(spec: dict, *actions: dict) -> dict:
    return apply_overlay(spec, parse_overlay({"overlay": "1.0.0", "actions": list(actions)}, "o.yaml"), "o.yaml")


def test_update_merges_objects_appends_arrays_and_replaces_scalars() -> None:
    spec = {"a": {"b": 1, "c": {"d": 2}, "e": [1]}}
    result = _apply(spec, {"target": "$.a", "update": {"b": 5, "c": {"x": 3}, "e": [2], "n": "new"}})
    assert result == {"a": {"b": 5, "c": {"d": 2, "x": 3}, "e": [1, 2], "n": "new"}}
    assert spec == {"a": {"b": 1, "c": {"d": 2}, "e": [1]}}  # the input is not changed


def test_remove_deletes_every_selected_node_and_keeps_indexes_right() -> None:
    spec = {"required": ["a", "users", "b", "devices"]}
    result = _apply(spec, {"target": "$.required[?@ == 'users' || @ == 'devices']", "remove": True})
    assert result == {"required": ["a", "b"]}


def test_actions_apply_in_order() -> None:
    spec = {"s": {"$ref": "#/x"}}
    result = _apply(spec, {"target": "$.s['$ref']", "remove": True}, {"target": "$.s", "update": {"type": "string"}})
    assert result == {"s": {"type": "string"}}


def test_stale_action_is_an_error_naming_index_and_description() -> None:
    with pytest.raises(CodegenError) as error:
        _apply({"a": {}}, {"target": "$.a", "update": {}}, {"target": "$.b", "description": "Fix b.", "update": {}})
    assert "action 1 ('Fix b.') is stale" in str(error.value) and error.value.where == "/actions/1/target"


def test_incompatible_update_is_an_error() -> None:
    with pytest.raises(CodegenError, match="merges a dict into a str"):
        _apply({"a": {"b": "text"}}, {"target": "$.a", "update": {"b": {"c": 1}}})


@pytest.mark.parametrize(
    "action",
    [
        {"target": "$.a"},
        {"target": "$.a", "update": {}, "remove": True},
        {"update": {}},
        {"target": "$[", "remove": True},
    ],
)
def test_malformed_actions_are_refused(action: dict) -> None:
    with pytest.raises(CodegenError):
        parse_overlay({"overlay": "1.0.0", "actions": [action]}, "o.yaml")
