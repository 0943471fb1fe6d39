"""`nexthink-codegen diff` end to end: inputs from files and git, formats, exit status, Python API, overlay."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_cli
from tests.readme_diff import ARGS as README_DIFF_ARGS
from tests.readme_diff import DEVIATIONS_MARKERS, deviations_table

SPEC = ROOT / "specs/workflows.yaml"
NEXT = ROOT / "tests/diff_cases/workflows-next.yaml"
OVERLAY = ROOT / "specs/workflows.overlay.yaml"


def test_spec_against_itself_is_no_change() -> None:
    result = run_cli("diff", SPEC, SPEC, "--format", "json", "--fail-on", "INFO", "--overlay", OVERLAY)
    assert result.status == 0
    assert json.loads(result.stdout) == {
        "changes": [],
        "python_api": [],
        "python_api_absent": None,
        "overlay": [],
        "stale_ignores": [],
        "bump": "none",
    }


def test_json_shape_and_levels_on_a_workflows_update() -> None:
    result = run_cli("diff", SPEC, NEXT, "--format", "json")
    report = json.loads(result.stdout)
    assert set(report) == {"changes", "python_api", "python_api_absent", "overlay", "stale_ignores", "bump"}
    assert report["bump"] == "major"
    for change in report["changes"]:
        assert set(change) == {"id", "level", "message", "location", "operation", "direction"}
        assert change["level"] in {"ERR", "WARN", "INFO"} and change["location"].startswith("/")
    by_id = {(c["id"], c["operation"]) for c in report["changes"]}
    assert ("request-property-max-items-decreased", "POST /api/v1/workflows/execute") in by_id
    assert ("response-property-enum-value-added", "GET /api/v1/workflows") in by_id
    assert ("request-parameter-removed", "GET /api/v1/workflows") in by_id


def test_python_api_effect_on_a_workflows_update() -> None:
    report = json.loads(run_cli("diff", SPEC, NEXT, "--format", "json", "--overlay", OVERLAY).stdout)
    api = {(a["id"], a["message"]) for a in report["python_api"]}
    assert ("member-added", "NxtWorkflowStatus.DRAFT member added") in api
    assert ("field-removed", "NxtWorkflow.triggerMethods removed") in api
    assert {a["level"] for a in report["python_api"] if a["id"] == "field-removed"} == {"ERR"}
    assert (
        "field-constraint-changed",
        "NxtWorkflowExecutionRequest.devices: max_length=10000 → max_length=5000",
    ) in api
    assert ("field-added-optional", "NxtWorkflowDeviceData.serialNumber: str | None added") in api


def test_overlay_staleness_and_redundancy_on_a_workflows_update() -> None:
    report = json.loads(run_cli("diff", SPEC, NEXT, "--format", "json", "--overlay", OVERLAY).stdout)
    findings = {(f["level"], f["target"]) for f in report["overlay"]}
    assert ("WARN", "$.components.schemas.Workflow.properties.triggerMethods['$ref']") in findings
    redundant = [f for f in report["overlay"] if f["level"] == "INFO"]
    assert [f["target"] for f in redundant] == [
        "$.components.schemas[?@.properties.devices && @.properties.users].properties.workflowId"
    ]


@pytest.mark.parametrize(("fail_on", "status"), [("ERR", 1), ("WARN", 1), ("INFO", 1), (None, 0)])
def test_fail_on(fail_on: str | None, status: int) -> None:
    args = ["diff", SPEC, NEXT] + (["--fail-on", fail_on] if fail_on else [])
    assert run_cli(*args).status == status


def test_fail_on_err_passes_when_only_safe_changes(tmp_path: Path) -> None:
    text = SPEC.read_text().replace("summary: List workflows", "summary: List the workflows")
    (tmp_path / "new.yaml").write_text(text)
    result = run_cli("diff", SPEC, tmp_path / "new.yaml", "--fail-on", "ERR")
    assert result.status == 0 and "operation-summary-changed" in result.stdout
    assert "suggested bump: patch" in result.stdout


def test_rev_path_reads_from_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = tmp_path / "repo"
    (repo / "specs").mkdir(parents=True)
    shutil.copy(SPEC, repo / "specs/workflows.yaml")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    subprocess.run([*git, "-C", str(repo), "add", "."], check=True)
    subprocess.run([*git, "-C", str(repo), "commit", "-qm", "spec"], check=True)
    shutil.copy(NEXT, repo / "specs/workflows.yaml")
    monkeypatch.chdir(repo)
    result = run_cli("diff", "HEAD:specs/workflows.yaml", "specs/workflows.yaml", "--format", "json")
    assert result.status == 0 and json.loads(result.stdout)["bump"] == "major"
    missing = run_cli("diff", "HEAD:specs/nothing.yaml", "specs/workflows.yaml")
    assert missing.status == 2 and missing.stderr.startswith("error: HEAD:specs/nothing.yaml: cannot read from git")


def test_bad_input_is_exit_2(tmp_path: Path) -> None:
    (tmp_path / "swagger.yaml").write_text("swagger: '2.0'\n")
    result = run_cli("diff", SPEC, tmp_path / "swagger.yaml")
    assert result.status == 2 and result.stderr.count("\n") == 1 and "Swagger 2.0" in result.stderr


def test_readme_report_is_the_tools_own_output(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    readme = (ROOT / "README.md").read_text()
    match = re.search(r"<!-- diff-example:start -->\n(.*?)<!-- diff-example:end -->", readme, re.DOTALL)
    assert match, "README lacks the diff example markers"
    expected = run_cli(*README_DIFF_ARGS)
    assert match.group(1) == expected.stdout, "refresh it with `make readme-diff`"
    table = DEVIATIONS_MARKERS.search(readme)
    assert table and table.group(0).split("\n", 1)[1].rsplit("\n", 1)[0] + "\n" == deviations_table()


def test_ci_recipe_runs_ingest_check_and_diff() -> None:
    recipe = (ROOT / ".github/workflows/spec-review.yml").read_text()
    for step in ("nexthink-codegen ingest", "nexthink-codegen check", "--fail-on ERR", "--format markdown"):
        assert step in recipe


MINIMAL = "openapi: 3.1.0\ninfo: {title: T, version: '1'}\n"
NO_COMPONENTS = MINIMAL + "paths:\n  /a:\n    get:\n      responses: {'200': {description: ok}}\n"
INLINE_ONLY = (
    MINIMAL
    + "paths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n"
    + "          content: {application/json: {schema: {type: object, properties: {a: {type: string}}}}}\n"
)
INLINE_NARROWED = INLINE_ONLY.replace("{a: {type: string}}", "{a: {type: integer}}")


# An allOf inheritance cycle is valid OpenAPI, but no Python class hierarchy can express it: the generator refuses
# to render it, and the diff must still compare the documents.
CYCLE = (
    NO_COMPONENTS
    + "components:\n  schemas:\n    A: {allOf: [{$ref: '#/components/schemas/B'}]}\n"
    + "    B: {allOf: [{$ref: '#/components/schemas/A'}]}\n"
)


@pytest.mark.parametrize(
    ("old", "new", "expected", "api"),
    [
        (MINIMAL, MINIMAL, [], []),
        (MINIMAL, NO_COMPONENTS, ["endpoint-added"], []),
        (NO_COMPONENTS, INLINE_ONLY, ["response-media-type-added"], ["class-added"]),
        (INLINE_ONLY, INLINE_NARROWED, ["response-property-type-changed", "api-version-not-bumped"], ["field-retyped"]),
    ],
)
def test_documents_without_component_schemas_are_compared_with_their_python_api(
    tmp_path: Path, old: str, new: str, expected: list[str], api: list[str]
) -> None:
    (tmp_path / "old.yaml").write_text(old)
    (tmp_path / "new.yaml").write_text(new)
    result = run_cli("diff", tmp_path / "old.yaml", tmp_path / "new.yaml", "--format", "json")
    assert result.status == 0, result.stderr
    report = json.loads(result.stdout)
    assert [c["id"] for c in report["changes"]] == expected
    assert [c["id"] for c in report["python_api"]] == api and report["python_api_absent"] is None


def test_documents_the_generator_cannot_render_are_still_compared(tmp_path: Path) -> None:
    (tmp_path / "old.yaml").write_text(NO_COMPONENTS)
    (tmp_path / "new.yaml").write_text(CYCLE)
    result = run_cli("diff", tmp_path / "old.yaml", tmp_path / "new.yaml", "--format", "json")
    assert result.status == 0, result.stderr
    report = json.loads(result.stdout)
    assert [c["id"] for c in report["changes"]] == ["component-schema-added", "component-schema-added"]
    assert report["python_api"] == [] and "allOf inheritance cycle" in report["python_api_absent"]
    text = run_cli("diff", tmp_path / "old.yaml", tmp_path / "new.yaml", "--format", "markdown").stdout
    assert text.count("Not computed: the generator cannot render") == 1


def test_fail_on_err_counts_a_python_api_break(tmp_path: Path) -> None:
    """With the only spec ERR lowered, the removed field of the Python API still makes the bump major and
    `--fail-on ERR` fail; `--fail-on ERR` fails exactly when the bump is major."""
    lowered = ["--level", "request-property-max-items-decreased=INFO"]
    result = run_cli("diff", SPEC, NEXT, "--format", "json", "--overlay", OVERLAY, *lowered)
    report = json.loads(result.stdout)
    assert all(c["level"] != "ERR" for c in report["changes"])
    assert report["bump"] == "major"
    assert run_cli("diff", SPEC, NEXT, "--overlay", OVERLAY, "--fail-on", "ERR", *lowered).status == 1


def test_level_override_and_bad_level() -> None:
    result = run_cli("diff", SPEC, NEXT, "--format", "json", "--level", "response-property-enum-value-added=ERR")
    levels = {
        c["level"] for c in json.loads(result.stdout)["changes"] if c["id"] == "response-property-enum-value-added"
    }
    assert levels == {"ERR"}
    bad = run_cli("diff", SPEC, NEXT, "--level", "no-such-kind=ERR")
    assert bad.status == 2 and bad.stderr.count("\n") == 1 and "not a change kind" in bad.stderr


def test_match_path_keeps_only_matching_paths() -> None:
    result = run_cli("diff", SPEC, NEXT, "--format", "json", "--match-path", "/execute$")
    operations = {c["operation"] for c in json.loads(result.stdout)["changes"]}
    assert operations and all(op is None or op.endswith("/execute") for op in operations)
    assert run_cli("diff", SPEC, NEXT, "--match-path", "(").status == 2


def test_ignore_file_accepts_changes_and_reports_stale_entries(tmp_path: Path) -> None:
    ignore = tmp_path / "ignore.yaml"
    ignore.write_text(
        "ignore:\n"
        "  - id: request-property-max-items-decreased\n"
        "    location: /components/schemas/ExecutionRequest/properties/devices\n"
        "    reason: the server never accepted more than 5000\n"
        "  - id: request-parameter-removed\n"
        "    location: /nowhere\n"
        "    reason: stale\n"
    )
    report = json.loads(run_cli("diff", SPEC, NEXT, "--format", "json", "--ignore", ignore).stdout)
    assert "request-property-max-items-decreased" not in {c["id"] for c in report["changes"]}
    assert [e["location"] for e in report["stale_ignores"]] == ["/nowhere"]
    markdown = run_cli("diff", SPEC, NEXT, "--format", "markdown", "--ignore", ignore).stdout
    assert "### Ignore entries that match nothing" in markdown and "/nowhere" in markdown
    ignore.write_text("ignore:\n  - id: x\n")
    bad = run_cli("diff", SPEC, NEXT, "--ignore", ignore)
    assert bad.status == 2 and "/ignore/0" in bad.stderr


def test_github_format_is_workflow_commands() -> None:
    lines = run_cli("diff", SPEC, NEXT, "--format", "github", "--overlay", OVERLAY).stdout.splitlines()
    assert "::error title=request-property-max-items-decreased::POST /api/v1/workflows/execute: maxItems" in lines[0]
    assert any(line.startswith("::error title=python-api field-removed::NxtWorkflow.triggerMethods") for line in lines)
    assert any(line.startswith("::warning title=response-property-enum-value-added::") for line in lines)
    assert lines[-1] == "::notice title=suggested bump::major"
    assert all(line.startswith("::") and "\n" not in line for line in lines)
