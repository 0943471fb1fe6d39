"""Behaviour of the generated Workflows models, and one test per fix of raw datamodel-codegen's output."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from tests.conftest import ROOT

UUID = "123e4567-e89b-12d3-a456-426614174000"
GOLDEN = ROOT / "tests" / "golden"


def test_v1_request_needs_a_target(workflows: Any) -> None:
    with pytest.raises(ValidationError, match="at least one device or user target is required"):
        workflows.NxtWorkflowExecutionRequest(workflowId="#w")
    request = workflows.NxtWorkflowExecutionRequest(workflowId="#w", devices=[UUID])
    assert request.users == [] and request.devices == [UUID]
    assert workflows.NxtWorkflowExecutionRequest(workflowId="#w", users=["S-1-5-21"]).devices == []


def test_v1_request_limits(workflows: Any) -> None:
    with pytest.raises(ValidationError):
        workflows.NxtWorkflowExecutionRequest(workflowId="", devices=[UUID])
    with pytest.raises(ValidationError):
        workflows.NxtWorkflowExecutionRequest(workflowId="#w", devices=[UUID] * 10_001)
    assert len(workflows.NxtWorkflowExecutionRequest(workflowId="#w", devices=["any"] * 10_000).devices) == 10_000


def test_v1_request_round_trips_json(workflows: Any) -> None:
    payload = {"workflowId": "#w", "devices": [UUID], "users": [], "params": {"a": "b"}}
    request = workflows.NxtWorkflowExecutionRequest.model_validate_json(json.dumps(payload))
    assert json.loads(request.model_dump_json()) == payload


def test_v2_selectors(workflows: Any) -> None:
    with pytest.raises(ValidationError, match="at least one of name, uid or collectorUid"):
        workflows.NxtWorkflowDeviceData()
    with pytest.raises(ValidationError):
        workflows.NxtWorkflowUserData(upn="not-an-email")
    with pytest.raises(ValidationError):
        workflows.NxtWorkflowDeviceData(uid="not-a-uuid")
    assert workflows.NxtWorkflowUserData(upn="jane@example.com").upn == "jane@example.com"
    assert workflows.NxtWorkflowUserData(sid="S-1-5-21-1").sid == "S-1-5-21-1"
    request = workflows.NxtWorkflowExternalIdsExecutionRequest(workflowId="#w", devices=[{"name": "laptop-1"}])
    assert request.users == [] and request.devices[0].name == "laptop-1"
    with pytest.raises(ValidationError):
        workflows.NxtWorkflowExternalIdsExecutionRequest(workflowId="#w")


def test_inventory_is_tolerant(workflows: Any) -> None:
    workflow = workflows.NxtWorkflow(
        id="1",
        uuid=UUID,
        name="n",
        status="DRAFT",
        lastUpdateTime="last tuesday",
        triggerMethods={"api": True, "nested": [1, {"x": None}]},
        versions=[{"v": 1}, "2", 3],
    )
    assert workflow.status == "DRAFT" and workflow.lastUpdateTime == "last tuesday"
    assert workflow.triggerMethods == {"api": True, "nested": [1, {"x": None}]}
    minimal = workflows.NxtWorkflow(id="1", uuid=UUID, name="n")
    assert minimal.versions == [] and minimal.triggerMethods is None and minimal.status is None
    with pytest.raises(ValidationError):
        workflows.NxtWorkflow(id="", uuid=UUID, name="n")


def test_responses(workflows: Any) -> None:
    assert workflows.NxtWorkflowThinkletTriggerResponse(requestUuid="request-1").requestUuid == "request-1"
    with pytest.raises(ValidationError):
        workflows.NxtWorkflowExecutionResponse(requestUuid="r", executionsUuids=[])
    with pytest.raises(ValidationError):
        workflows.NxtWorkflowErrorResponse(code="", details="d")
    assert workflows.NxtWorkflowStatus("ACTIVE") is workflows.NxtWorkflowStatus.ACTIVE


def test_field_descriptions_reach_the_json_schema(workflows: Any) -> None:
    schema = workflows.NxtWorkflowExecutionRequest.model_json_schema()
    assert schema["properties"]["workflowId"]["description"] == "The ID of the workflow to execute."
    assert "Nexthink Collector IDs" in schema["properties"]["devices"]["description"]
    info = workflows.NxtWorkflowTriggerInfo.model_json_schema()["properties"]
    assert all(field.get("description") for field in info.values())


def test_package_exports_everything(workflows: Any) -> None:
    assert len([n for n in workflows.__all__ if n.startswith("Nxt")]) == 13
    assert {"UUID_PATTERN", "UPN_PATTERN", "SID_PATTERN"} <= set(workflows.__all__)
    assert (ROOT / "generated/nexthink_workflows/py.typed").exists()


def _source(case: str, module: str) -> str:
    return (GOLDEN / case / "models" / f"{module}.py").read_text()


def test_fix_a_allof_map_with_description_stays_a_string_map() -> None:
    source = _source("allof_map", "request")
    assert "params: dict[str, str] | None" in source and "class Params" not in source
    assert "description='Parameters sent as a string map" in source
    assert not (GOLDEN / "allof_map/models/params.py").exists()


def test_fix_b_dotted_names_are_classes_not_modules() -> None:
    names = sorted(p.name for p in (GOLDEN / "dotted_names/models").iterdir())
    assert names == ["__init__.py", "job.py", "job_filter_kind.py", "job_state.py", "py.typed"]
    source = _source("dotted_names", "job")
    assert "state: JobState" in source and "_1" not in source and "from . import" not in source


def test_fix_c_constrained_items_are_inline_not_root_models() -> None:
    import ast

    source = _source("patterns", "machine")
    assert "RootModel" not in source
    machine = next(n for n in ast.parse(source).body if isinstance(n, ast.ClassDef))
    hints = {n.target.id: ast.unparse(n.annotation) for n in machine.body if isinstance(n, ast.AnnAssign)}
    assert hints["macs"] == "list[Annotated[str, Field(pattern=MACHINE_MACS_PATTERN)]] | None"
    assert hints["ports"] == "list[Annotated[int, Field(ge=1, le=65535)]] | None"
    patterns = _source("patterns", "_patterns")
    assert patterns.count("'^[0-9a-f]{8}$'") == 1  # repeated regex emitted once


def test_root_models_keep_their_patterns_and_item_constraints() -> None:
    """A root model's constraints are declared like a field's: the named pattern constant, inline item
    constraints, and none of normalise's own annotations in the JSON schema."""
    import sys

    assert "root: str = Field(" in _source("patterns", "machine_id")
    assert "pattern=MACHINE_ID_PATTERN" in _source("patterns", "machine_id")
    assert "list[Annotated[str, Field(pattern=MAC_LIST_PATTERN)]]" in _source("patterns", "mac_list")
    sys.path.insert(0, str(GOLDEN / "patterns"))
    try:
        from models import MachineId, MacList  # type: ignore[import-not-found]

        assert MachineId("0123abcd").root == "0123abcd"
        with pytest.raises(ValidationError):
            MachineId("nope")
        assert MacList(["00:11:22:33:44:55"]).model_dump() == ["00:11:22:33:44:55"]
        with pytest.raises(ValidationError):
            MacList(["not a mac"])
        with pytest.raises(ValidationError):
            MacList(["00:11:22:33:44:55"] * 9)
        schemas = repr(MachineId.model_json_schema()) + repr(MacList.model_json_schema())
        assert "x-codegen" not in schemas and "^[0-9a-f]{8}$" in schemas
    finally:
        sys.path.remove(str(GOLDEN / "patterns"))
        for name in [m for m in sys.modules if m == "models" or m.startswith("models.")]:
            del sys.modules[name]


def test_fix_d_recursive_trigger_methods_accepts_any_value(workflows: Any) -> None:
    annotations = workflows.NxtWorkflow.__annotations__
    assert annotations["triggerMethods"] == "Any" and annotations["versions"] == "list[Any]"
    # The generator itself keeps genuine recursion working when the spec means it:
    assert "children: list[Node] | None" in _source("recursive_ref", "node")


def test_fix_e_targets_are_not_both_required(workflows: Any) -> None:
    fields = workflows.NxtWorkflowExecutionRequest.model_fields
    assert not fields["devices"].is_required() and not fields["users"].is_required()


def test_validators_from_standard_keywords(tmp_path: Path) -> None:
    import sys

    sys.path.insert(0, str(GOLDEN / "validators"))
    try:
        from models import Selector, Send  # type: ignore[import-not-found]

        with pytest.raises(ValidationError, match="at least one recipient is required"):
            Send(subject="hi")
        assert Send(cc=["a"]).to == []
        with pytest.raises(ValidationError, match="at least 1 of name, serial must be set"):
            Selector()
        assert Selector(serial="x").serial == "x"
    finally:
        sys.path.remove(str(GOLDEN / "validators"))
        for name in [m for m in sys.modules if m == "models" or m.startswith("models.")]:
            del sys.modules[name]


def test_descriptions_with_quotes_and_backslashes_stay_inert() -> None:
    import ast

    source = _source("descriptions", "note")
    tree = ast.parse(source)
    note = next(n for n in tree.body if isinstance(n, ast.ClassDef))
    assert ast.get_docstring(note) == (
        'Ends with a quote " and holds """ triple quotes, \'\'\' too, a backslash \\ and \\n.'
    )
