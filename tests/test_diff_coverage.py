"""The rule table against oasdiff's catalogue, and properties that hold for any pair of documents."""

from __future__ import annotations

import copy
from collections import Counter
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.api_diff import ApiChange
from generator.diff import DEVIATIONS, KINDS, diff_specs, suggest_bump
from generator.diff.kinds import ALIASES
from generator.diff.policy import override_levels
from generator.report import DiffReport, fails
from tests.conftest import ROOT
from tests.oasdiff_coverage import catalogue, coverage


def test_every_oasdiff_check_is_a_row_at_its_level_or_a_documented_deviation() -> None:
    _, other, missing = coverage()
    assert [kind for kind in other + missing if kind not in DEVIATIONS] == []


def test_deviations_are_what_they_say_and_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for kind, (level, _) in DEVIATIONS.items():
        assert (KINDS[kind].level if kind in KINDS else None) == level, kind
        assert f"`{kind}`" in readme, kind


def test_catalogue_is_the_whole_rule_list() -> None:
    assert len(catalogue()) >= 550


NAMES = st.sampled_from(["a", "b", "c"])
LEAF = st.fixed_dictionaries(
    {"type": st.sampled_from(["string", "integer"])},
    optional={
        "enum": st.lists(st.sampled_from(["X", "Y", "Z"]), min_size=1, max_size=3, unique=True),
        "maxLength": st.integers(1, 5),
        "nullable": st.booleans(),
        "pattern": st.sampled_from(["", "^x$", "^y$"]),
        "deprecated": st.booleans(),
    },
)
SCHEMA = st.recursive(
    LEAF,
    lambda inner: (
        st.builds(
            lambda props, required: {
                "type": "object",
                "properties": props,
                "required": sorted(set(required) & set(props)),
            },
            st.dictionaries(NAMES, inner, max_size=3),
            st.lists(NAMES, max_size=3),
        )
        | st.builds(lambda members: {"oneOf": members}, st.lists(inner, min_size=1, max_size=2))
    ),
    max_leaves=6,
)


def document(schema: dict[str, Any], params: list[str], with_body: bool) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "parameters": [{"name": n, "in": "query", "schema": {"type": "string"}} for n in params],
        "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": schema}}}},
    }
    if with_body:
        operation["requestBody"] = {"content": {"application/json": {"schema": schema}}}
    return {"openapi": "3.0.3", "info": {"title": "T", "version": "1"}, "paths": {"/x": {"post": operation}}}


DOCUMENTS = st.builds(document, SCHEMA, st.lists(NAMES, unique=True, max_size=3), st.booleans())
MIRRORED = [("added", "removed"), ("increased", "decreased"), ("became-nullable", "became-not-nullable")]


def _mirror(kind: str) -> str:
    for one, other in MIRRORED:
        if one in kind:
            return kind.replace(one, other)
        if other in kind:
            return kind.replace(other, one)
    return kind


@settings(max_examples=60, deadline=None)
@given(DOCUMENTS)
def test_a_document_against_itself_is_no_change(a: dict[str, Any]) -> None:
    assert diff_specs(a, copy.deepcopy(a)) == []


@settings(max_examples=60, deadline=None)
@given(DOCUMENTS, DOCUMENTS)
def test_additions_one_way_are_removals_the_other_way(a: dict[str, Any], b: dict[str, Any]) -> None:
    """What `diff A B` reports added, `diff B A` reports removed, as often and for the same operation (locations
    of composition members follow the new side's order, so they are not compared)."""
    pairs = {"new-optional-request-parameter": "request-parameter-removed"}
    pairs.update({v: k for k, v in pairs.items()})

    unaliased = {alias: kind for kind, alias in ALIASES.items()}

    def mirrored(kind: str) -> str | None:
        kind = unaliased.get(kind, kind)
        if kind in pairs:
            return pairs[kind]
        if "enum-value" in kind or "media-type" in kind or "one-of" in kind:
            return ALIASES.get(_mirror(kind), _mirror(kind))
        return None

    forward = Counter((mirrored(c.id), c.operation) for c in diff_specs(a, b) if mirrored(c.id))
    backward = Counter((c.id, c.operation) for c in diff_specs(b, a) if mirrored(c.id))
    assert forward == backward


API_IDS = st.lists(
    st.sampled_from(
        [
            "class-added",
            "class-removed",
            "field-removed",
            "field-retyped",
            "field-added-optional",
            "member-added",
            "member-removed",
            "docstring-changed",
            "field-constraint-changed",
        ]
    ),
    max_size=3,
)


@settings(max_examples=60, deadline=None)
@given(
    DOCUMENTS,
    DOCUMENTS,
    API_IDS,
    st.dictionaries(st.sampled_from(sorted(KINDS)), st.sampled_from(["ERR", "WARN", "INFO"]), max_size=3),
)
def test_fail_on_err_exactly_when_the_bump_is_major(
    a: dict[str, Any], b: dict[str, Any], api_ids: list[str], levels: dict[str, str]
) -> None:
    changes = override_levels(diff_specs(a, b), levels)
    api = [ApiChange(kind, kind) for kind in api_ids]
    report = DiffReport(changes, api, bump=suggest_bump(changes, api_ids))
    assert fails(report, "ERR") == (report.bump == "major")
