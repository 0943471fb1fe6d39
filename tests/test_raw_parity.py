"""At least as well as raw datamodel-codegen: every constraint raw's models put in their JSON schema, ours do too.

For each golden fixture, raw datamodel-codegen's models (its CLI, default settings) and the golden package are
compared with ``tests/parity.py``: each constraint of a raw class must be in our class of the same name, or
anywhere in the package when ours names it otherwise. A rule this project states another way (a model validator
instead of a keyword inside an ``anyOf``) is listed in ``STATED_OTHERWISE`` with the reason.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.parity import constraints, generate_raw, missing

FIXTURES = ROOT / "tests" / "fixtures"
GOLDEN = ROOT / "tests" / "golden"
CASES = sorted(p.name for p in FIXTURES.iterdir() if (GOLDEN / p.name / "models").is_dir())
# (fixture, keyword, JSON value) that ours states otherwise, with the reason.
STATED_OTHERWISE = {
    ("validators", "minItems", "1"): "an anyOf of required + minItems becomes a model validator",
    ("construct_annotations_31", "minLength", "1"): (
        "`format: uri` with `default: ''` is a plain str keeping its default; raw's AnyUrl (minLength 1) rejects it"
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_every_constraint_raw_states_ours_states(case: str, tmp_path: Path) -> None:
    """Per class where both name one (raw's ``MacList`` against ours), and over the whole document."""
    error = generate_raw(FIXTURES / case / "spec.yaml", tmp_path)
    if error is not None:
        pytest.skip(f"raw datamodel-codegen fails on this fixture: {error}")
    raw = constraints(tmp_path, "raw_models")
    if isinstance(raw, str):
        pytest.skip(f"raw datamodel-codegen's models do not import: {raw}")
    ours = constraints(GOLDEN / case, "models")
    assert not isinstance(ours, str), ours
    assert ours or not raw
    gaps = {(name, k, v) for name, k, v in missing(raw, ours) if (case, k, v) not in STATED_OTHERWISE}
    assert not gaps, f"raw datamodel-codegen states {sorted(gaps)}; the generated package does not"


def test_a_lost_constraint_is_found(tmp_path: Path) -> None:
    """The comparison itself: a class whose pattern exists only under an ``x-`` key (as a root model's item
    pattern once did) is reported, and one whose pattern is there is not."""
    module = tmp_path / "lost.py"
    module.write_text(
        "from typing import Annotated\n"
        "from pydantic import Field, RootModel\n"
        "class Kept(RootModel[list[Annotated[str, Field(pattern='^a$')]]]):\n    pass\n"
        "class Lost(RootModel[list[str]]):\n"
        "    root: list[str] = Field(json_schema_extra={'x-codegen-item-constraints': {'pattern': '^a$'}})\n"
    )
    found = constraints(tmp_path, "lost")
    assert not isinstance(found, str), found
    raw = {"Kept": {("pattern", '"^a$"')}, "Lost": {("pattern", '"^a$"')}}
    assert missing(raw, found) == {("Lost", "pattern", '"^a$"')}


def test_the_exceptions_are_still_needed() -> None:
    """Each listed exception names a fixture that exists, so the list cannot outlive what it excuses."""
    assert {case for case, _, _ in STATED_OTHERWISE} <= set(CASES)
