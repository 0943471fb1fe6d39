"""`check` tells when generated/ is stale; `ingest` rebuilds the committed spec byte for byte."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from generator.documents import dump_yaml
from generator.errors import CodegenError
from generator.ingest import Fragment, ingest
from tests.conftest import ROOT, run_cli, workflows_args


def test_check_passes_on_the_committed_package() -> None:
    result = run_cli("check", *workflows_args())
    assert result.status == 0, result.stdout + result.stderr


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    for name in ("specs", "generated"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", ".*cache"))
    return tmp_path


def _check(root: Path) -> object:
    return run_cli("check", *workflows_args(root))


def test_check_fails_after_a_generated_file_is_edited(copy: Path) -> None:
    module = copy / "generated/nexthink_workflows/nxt_workflow_status.py"
    module.write_text(module.read_text().replace("INACTIVE = 'INACTIVE'", "INACTIVE = 'DISABLED'"))
    result = _check(copy)
    assert result.status == 1  # type: ignore[attr-defined]
    assert "nxt_workflow_status.py" in result.stdout and "-    INACTIVE = 'DISABLED'" in result.stdout  # type: ignore[attr-defined]


def test_check_fails_after_the_overlay_is_edited(copy: Path) -> None:
    overlay = copy / "specs/workflows.overlay.yaml"
    overlay.write_text(overlay.read_text().replace("description: Workflow activation status.", "description: Status."))
    result = _check(copy)
    assert result.status == 1  # type: ignore[attr-defined]
    assert "nxt_workflow_status.py" in result.stdout  # type: ignore[attr-defined]


def test_check_fails_on_extra_and_missing_files(copy: Path) -> None:
    (copy / "generated/nexthink_workflows/stray.py").write_text("x = 1\n")
    (copy / "generated/nexthink_workflows/py.typed").unlink()
    result = _check(copy)
    assert result.status == 1  # type: ignore[attr-defined]
    assert "stray.py: not generated" in result.stdout and "py.typed: missing" in result.stdout  # type: ignore[attr-defined]


def test_generate_then_check_round_trip(tmp_path: Path) -> None:
    assert run_cli("generate", "--out", tmp_path).status == 0
    assert run_cli("check", "--out", tmp_path).status == 0


def test_ingest_reproduces_the_committed_spec(tmp_path: Path) -> None:
    out = tmp_path / "workflows.yaml"
    result = run_cli("ingest", "--docs", ROOT / "specs/vendor/pages", "--out", out)
    assert result.status == 0, result.stderr
    assert out.read_bytes() == (ROOT / "specs/workflows.yaml").read_bytes()


def test_ingested_spec_has_every_operation_and_schema() -> None:
    spec = yaml.safe_load((ROOT / "specs/workflows.yaml").read_text())
    operations = {op["operationId"] for item in spec["paths"].values() for op in item.values()}
    assert operations == {"executeEA", "executeEAWithExternalIds", "triggerThinklet", "getAllWorkflows", "getWorkflow"}
    assert len(spec["components"]["schemas"]) == 13
    assert list(spec) == ["openapi", "info", "servers", "security", "tags", "paths", "components"]
    assert spec["components"]["securitySchemes"]["publicApiAuth"]["type"] == "oauth2"
    assert list(spec["paths"]) == sorted(spec["paths"])
    assert list(spec["components"]["schemas"]) == sorted(spec["components"]["schemas"])


def test_ingest_ignores_page_order() -> None:
    pages = sorted((ROOT / "specs/vendor/pages").rglob("*.md"))
    from generator.ingest import read_fragments

    fragments = [f for page in pages for f in read_fragments(page, page.name)]
    forward = dump_yaml(ingest(fragments, "spec"))
    backward = dump_yaml(ingest(list(reversed(fragments)), "spec"))
    assert yaml.safe_load(forward) == yaml.safe_load(backward)
    assert yaml.safe_load(forward) == yaml.safe_load((ROOT / "specs/workflows.yaml").read_text())


def test_conflicting_fragments_name_both_pages() -> None:
    base = {"openapi": "3.0.1", "info": {"title": "T", "version": "1"}, "paths": {}}
    one = Fragment("pages/a.md", 3, {**base, "components": {"schemas": {"S": {"type": "string"}}}})
    two = Fragment("pages/b.md", 9, {**base, "components": {"schemas": {"S": {"type": "integer"}}}})
    with pytest.raises(CodegenError) as error:
        ingest([one, two], "spec.yaml")
    assert "pages/a.md:3" in str(error.value) and "pages/b.md:9" in str(error.value)


def test_ingest_bad_json_names_page_and_line(tmp_path: Path) -> None:
    docs = tmp_path / "pages"
    (docs / "workflows").mkdir(parents=True)
    (docs / "workflows/models.md").write_text('# Models\n\n```json\n{"openapi": "3.0.1",\n  oops}\n```\n')
    before = (ROOT / "specs/workflows.yaml").read_bytes()
    result = run_cli("ingest", "--docs", docs, "--out", tmp_path / "out.yaml")
    assert result.status == 2 and result.stderr.count("\n") == 1
    assert "workflows/models.md at line 5: invalid JSON" in result.stderr
    assert not (tmp_path / "out.yaml").exists()
    assert (ROOT / "specs/workflows.yaml").read_bytes() == before


def test_effective_spec_is_written_for_review(tmp_path: Path) -> None:
    effective = tmp_path / "effective.yaml"
    assert run_cli("generate", "--out", tmp_path / "out", "--effective-spec", effective).status == 0
    spec = yaml.safe_load(effective.read_text())
    request = spec["components"]["schemas"]["ExecutionRequest"]
    assert request["required"] == ["workflowId"]
    assert request["anyOf"][0] == {"required": ["devices"], "properties": {"devices": {"minItems": 1}}}
    assert spec["components"]["schemas"]["DeviceData"]["minProperties"] == 1
