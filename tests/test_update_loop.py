"""The spec-update loop as a maintainer runs it: changed vendor pages → `update` (classified diff, regenerate) →
`release` → `publish` → a package installed from a local index; plus the pieces it relies on: every stale overlay
action reported at once, and `check` ignoring the caches tools leave in the generated tree."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator.config import GenerateOptions
from generator.manifest import up_to_date
from generator.pipeline import package_files
from generator.write import compare_tree
from tests.conftest import ROOT, run_cli, snapshot, workflows_args
from tests.local_index import fresh_venv, pip_install, running_index
from tests.vendor_update import (
    EPOCH,
    README_MARKERS,
    commit,
    edit_pages,
    first_update_transcript,
    make_checkout,
    release_and_publish,
)


@pytest.fixture
def checkout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = make_checkout(tmp_path / "checkout")
    monkeypatch.chdir(root)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    # The test index takes any credentials; twine, non-interactive, needs some.
    monkeypatch.setenv("TWINE_USERNAME", "maintainer")
    monkeypatch.setenv("TWINE_PASSWORD", "not-a-secret")
    return root


def _clean(root: Path) -> bool:
    status = subprocess.run(
        ["git", "-C", str(root), "status", "--porcelain"], capture_output=True, text=True, check=True
    )
    return status.stdout == ""


# --- check ignores tool litter -----------------------------------------------------------------------------------

LITTER = [
    ".mypy_cache/3.11/nexthink_workflows/__init__.data.json",
    ".ruff_cache/0.6.9/123",
    ".pytest_cache/v/cache/lastfailed",
    "nexthink_workflows/__pycache__/nxt_workflow.cpython-311.pyc",
    "nexthink_workflows.egg-info/PKG-INFO",
    "build/lib/nexthink_workflows/__init__.py",
    "dist/nexthink_workflows-0.0.0.tar.gz",
]


def test_check_ignores_the_caches_and_build_output_tools_leave(checkout: Path) -> None:
    out = checkout / "generated"
    mypy = subprocess.run(
        [str(Path(ROOT / ".venv/bin/python")), "-m", "mypy", "--strict", "nexthink_workflows"],
        cwd=out,
        capture_output=True,
        text=True,
        check=False,
    )
    assert mypy.returncode == 0, mypy.stdout
    assert (out / ".mypy_cache").is_dir()
    for relative in LITTER:
        (out / relative).parent.mkdir(parents=True, exist_ok=True)
        (out / relative).write_text("litter\n")
    options_args = workflows_args(checkout)
    result = run_cli("check", *options_args)
    assert result.status == 0, result.stdout + result.stderr
    # Both ways of answering: the manifest fast path, and the full comparison.
    options = GenerateOptions(
        spec=checkout / "specs/workflows.yaml",
        overlay=checkout / "specs/workflows.overlay.yaml",
        out=out,
        releases=checkout / "specs/releases",
    )
    assert up_to_date(out, options.manifest_key())
    assert compare_tree(out, package_files(options)[0]) == []


@pytest.mark.parametrize("unknown", ["notes.txt", "nexthink_workflows/build/extra.py", "cache/x", "dist.py"])
def test_check_still_reports_any_other_unknown_file(checkout: Path, unknown: str) -> None:
    path = checkout / "generated" / unknown
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("x = 1\n")
    result = run_cli("check", *workflows_args(checkout))
    assert result.status == 1
    assert f"{unknown}: not generated" in result.stdout


# --- every stale overlay action at once ---------------------------------------------------------------------------

TWO_STALE = """overlay: 1.0.0
info: {title: O, version: '1'}
actions:
  - target: $.components.schemas.Gone
    description: Rename the gone schema.
    update: {x-python-class-name: G}
  - target: $.components.schemas.ErrorResponse
    description: Still applies.
    update: {description: An error.}
  - target: $.components.schemas.AlsoGone.properties.x
    description: Tolerate x.
    update: {minLength: 1}
"""


def test_generate_lists_every_stale_action_one_error_line_each(tmp_path: Path) -> None:
    overlay = tmp_path / "overlay.yaml"
    overlay.write_text(TWO_STALE)
    out = tmp_path / "out"
    assert run_cli("generate", "--out", out).status == 0
    before = snapshot(out)
    result = run_cli("generate", "--overlay", overlay, "--out", out)
    assert result.status == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 2 and all(line.startswith(f"error: {overlay} at /actions/") for line in lines)
    assert "/actions/0/target: action 0 ('Rename the gone schema.') is stale" in lines[0]
    assert "/actions/2/target: action 2 ('Tolerate x.') is stale" in lines[1]
    assert snapshot(out) == before


# --- update ---------------------------------------------------------------------------------------------------------


def test_update_on_unchanged_pages_reports_nothing_and_keeps_the_tree(checkout: Path) -> None:
    result = run_cli("update")
    assert result.status == 0, result.stderr
    assert result.stdout == "ERR: 0, WARN: 0, INFO: 0; suggested bump: none\n"
    assert result.stderr == "wrote specs/workflows.yaml and 22 files to generated\n"
    assert _clean(checkout)


def test_update_markdown_is_the_pull_request_report(checkout: Path) -> None:
    edit_pages(checkout, "additive")
    result = run_cli("update", "--format", "markdown")
    assert result.status == 0, result.stderr
    assert result.stdout.startswith("## Spec diff\n")
    assert "Suggested version bump: **minor**" in result.stdout
    assert "`field-added-optional`: NxtWorkflowDeviceData.serialNumber: str | None added" in result.stdout
    assert run_cli("check").status == 0


def test_update_regenerates_after_a_generator_change_even_without_a_vendor_change(checkout: Path) -> None:
    module = checkout / "generated/nexthink_workflows/nxt_workflow.py"
    module.write_text(module.read_text() + "# stale\n")
    assert run_cli("check").status == 1
    assert run_cli("update").status == 0
    assert run_cli("check").status == 0 and _clean(checkout)


def test_update_with_a_stale_action_writes_nothing_and_lists_them_all(checkout: Path) -> None:
    edit_pages(checkout, "rename")
    edit_pages(checkout, "adopted")
    before = snapshot(checkout / "specs"), snapshot(checkout / "generated")
    result = run_cli("update")
    assert result.status == 2
    overlay = result.stdout[result.stdout.index("Overlay:\n") :].splitlines()[1:]
    assert [line.split(" (")[0] for line in overlay] == ["  INFO action 18", "  WARN action 33", "  WARN action 34"]
    assert "the action can be dropped" in overlay[0] and "stopped applying" in overlay[2]
    assert "field-removed: NxtWorkflow.triggerMethods removed" in result.stdout
    lines = result.stderr.splitlines()
    assert [line.split(" at ")[1].split(":")[0] for line in lines] == ["/actions/33/target", "/actions/34/target"]
    assert all(line.startswith("error: specs/workflows.overlay.yaml at ") and "is stale" in line for line in lines)
    assert (snapshot(checkout / "specs"), snapshot(checkout / "generated")) == before


def test_update_that_fails_to_generate_restores_the_spec(checkout: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator import update

    edit_pages(checkout, "additive")
    before = snapshot(checkout / "specs"), snapshot(checkout / "generated")

    def broken(*args: object) -> None:
        raise OSError(28, "No space left on device", "generated")

    monkeypatch.setattr(update, "write_tree", broken)
    result = run_cli("update")
    assert result.status == 2 and result.stderr.endswith("error: generated: No space left on device\n")
    assert (snapshot(checkout / "specs"), snapshot(checkout / "generated")) == before


# --- the whole loop -------------------------------------------------------------------------------------------------

USE = """
import nexthink_workflows as m, sys
assert m.__file__.startswith(sys.prefix), m.__file__
device = m.NxtWorkflowDeviceData(serialNumber="SN-1", name="laptop")
assert device.serialNumber == "SN-1"
devices = m.NxtWorkflowExecutionRequest.model_fields["devices"].metadata
assert [x.max_length for x in devices if hasattr(x, "max_length")] == [5000], devices
assert m.NxtWorkflowTriggerInfo.model_fields["reason"].description == "Why the workflow was triggered."
assert "triggers" in m.NxtWorkflow.model_fields and "triggerMethods" not in m.NxtWorkflow.model_fields
print("ok")
"""

STEPS = [
    # (the vendor's change, the bump the loop must pick, the version it releases, a line the update report holds)
    ("additive", "minor", "1.1.0", "optional property serialNumber added at /components/schemas/DeviceData"),
    ("breaking", "major", "2.0.0", "maxItems decreased (10000 → 5000)"),
    ("documentation", "patch", "2.0.1", "description changed at /components/schemas/TriggerInfo/properties/reason"),
]


def test_the_loop_from_changed_pages_to_an_installed_package(checkout: Path, tmp_path: Path) -> None:
    packages = tmp_path / "packages"
    with running_index(packages) as index:
        example = first_update_transcript(checkout, index)
        readme = README_MARKERS.search((ROOT / "README.md").read_text(encoding="utf-8"))
        assert readme, "README lacks the update-example markers"
        assert readme.group(2) == example, "refresh it with `make readme-diff`"
        assert "suggested bump: minor" in example
        for edit, bump, version, line in STEPS[1:]:
            edit_pages(checkout, edit)
            update = run_cli("update")
            assert update.status == 0, update.stderr
            assert f"suggested bump: {bump}\n" in update.stdout and line in update.stdout
            assert run_cli("check").status == 0
            commit(checkout, f"vendor update: {edit}")
            release_and_publish(checkout, index, version)

        # The vendor renames a property two overlay actions target: update stops, names both, writes nothing.
        edit_pages(checkout, "rename")
        stopped = run_cli("update")
        assert stopped.status == 2 and stopped.stderr.count("is stale") == 2
        changed = subprocess.run(["git", "status", "--porcelain"], capture_output=True, text=True, check=True)
        assert all(line[3:].startswith("specs/vendor/pages/") for line in changed.stdout.splitlines())
        assert run_cli("check").status == 0
        # The maintainer moves the two actions to the new name; the update then goes through as a major release.
        overlay = checkout / "specs/workflows.overlay.yaml"
        overlay.write_text(overlay.read_text().replace("properties.triggerMethods", "properties.triggers"))
        resumed = run_cli("update")
        assert resumed.status == 0, resumed.stderr
        assert "suggested bump: major" in resumed.stdout and "Overlay:" not in resumed.stdout
        commit(checkout, "vendor update: rename, overlay follows")
        release_and_publish(checkout, index, "3.0.0")

        history = yaml.safe_load((checkout / "specs/releases/index.yaml").read_text())["releases"]
        assert [(r["version"], r["bump"]) for r in history] == [
            ("1.0.0", "major"),
            ("1.1.0", "minor"),
            ("2.0.0", "major"),
            ("2.0.1", "patch"),
            ("3.0.0", "major"),
        ]
        assert len(list(packages.iterdir())) == 10  # each version published once: one sdist, one wheel
        python = fresh_venv(tmp_path / "venv")
        install = pip_install(python, "--index-url", f"{index}/simple/", "nexthink-workflows")
        assert install.returncode == 0, install.stderr
    used = subprocess.run([str(python), "-c", USE], capture_output=True, text=True, check=False)
    assert used.stdout.strip() == "ok", used.stderr
    assert (
        "nexthink_workflows-3.0.0"
        in subprocess.run(
            [
                str(python),
                "-c",
                "import importlib.metadata as m; print('nexthink_workflows-' + m.version('nexthink-workflows'))",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )


# --- the rest of the maintainer's view: make's output, check's options -----------------------------------------------


def test_the_editable_install_of_the_bootstrap_prints_nothing(tmp_path: Path) -> None:
    """`make generate` bootstraps .venv/; the project's editable install there must not print setuptools' banner."""
    plan = subprocess.run(
        ["make", "-n", "-B", ".venv/.installed"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    (recipe,) = [line for line in plan.splitlines() if "--editable" in line]
    assert recipe.startswith(".venv/bin/python -m pip install ")
    # The same command, into a scratch environment instead of the one running the tests.
    python = fresh_venv(tmp_path / "venv")
    command = recipe.replace(".venv/bin/python -m pip", f"{sys.executable} -m pip --python {python}", 1)
    installed = subprocess.run(command, shell=True, cwd=ROOT, capture_output=True, text=True, check=False)
    assert installed.returncode == 0, installed.stderr
    assert installed.stdout + installed.stderr == ""
    assert (tmp_path / "venv/bin/nexthink-codegen").exists()


def test_check_takes_generates_effective_spec_option(tmp_path: Path) -> None:
    out, effective = tmp_path / "out", tmp_path / "effective.yaml"
    assert run_cli("generate", "--out", out, "--effective-spec", effective).status == 0
    assert run_cli("check", "--out", out, "--effective-spec", effective).status == 0
    effective.write_text(effective.read_text().replace("NxtWorkflowStatus", "Edited", 1))
    result = run_cli("check", "--out", out, "--effective-spec", effective)
    assert result.status == 1 and f"--- {effective} (on disk)" in result.stdout
    assert any(line.startswith("-") and "Edited" in line for line in result.stdout.splitlines())


def test_git_ignores_no_committed_file_and_nothing_generate_writes() -> None:
    committed = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    options = GenerateOptions(
        spec=ROOT / "specs/workflows.yaml",
        overlay=ROOT / "specs/workflows.overlay.yaml",
        out=ROOT / "generated",
        releases=ROOT / "specs/releases",
    )
    generated = "".join(f"generated/{name}\n" for name in package_files(options)[0])
    ignored = subprocess.run(
        ["git", "check-ignore", "--no-index", "--stdin"],
        cwd=ROOT,
        input=committed + generated,
        capture_output=True,
        text=True,
        check=False,
    )
    assert ignored.returncode == 1 and ignored.stdout == ""  # 1: no path is ignored
