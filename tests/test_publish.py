"""Build, release and publish: reproducible archives, versions and changelogs from the spec diff, and a real
publish → pip install round trip against a package index started on 127.0.0.1 by the test itself."""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from generator.documents import dump_yaml
from tests.conftest import ROOT, run_cli, workflows_args

BIN = Path(sys.executable).parent
GIT = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"]


def _hashes(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    result = run_cli("build", *workflows_args(), "--dist", dist)
    assert result.status == 0, result.stderr
    return dist


def test_build_gives_one_wheel_and_one_sdist_that_are_reproducible(built: Path, tmp_path: Path) -> None:
    names = sorted(p.name for p in built.iterdir())
    assert len(names) == 2 and names[0].endswith(".whl") and names[1].endswith(".tar.gz")
    again = run_cli("build", *workflows_args(), "--dist", tmp_path)
    assert again.status == 0
    assert _hashes(built) == _hashes(tmp_path)
    check = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", *map(str, built.iterdir())],
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0, check.stdout


def test_wheel_carries_types_pydantic_requirement_and_docs(built: Path) -> None:
    wheel = next(built.glob("*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        metadata = archive.read(next(n for n in names if n.endswith("METADATA"))).decode()
    assert "nexthink_workflows/py.typed" in names
    assert "Requires-Dist: pydantic>=2" in metadata and "Requires-Python: >=3.11" in metadata
    sdist = subprocess.run(
        ["tar", "tzf", str(next(built.glob("*.tar.gz")))], capture_output=True, text=True, check=True
    )
    for name in ("REFERENCE.md", "CHANGELOG.md", "LICENSE", "README.md", "nexthink_workflows/py.typed"):
        assert any(line.endswith(name) for line in sdist.stdout.splitlines()), name


def _fresh_venv(folder: Path) -> Path:
    """A new virtual environment that sees pydantic (from this one) but not the generated package."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(folder)], check=True)
    purelib = subprocess.run(
        [str(folder / "bin/python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    Path(purelib, "pydantic-from-test.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return folder / "bin/python"


USE = """
import nexthink_workflows as m, sys
assert m.__file__.startswith(sys.prefix), m.__file__
request = m.NxtWorkflowExecutionRequest.model_validate_json('{"workflowId": "#w", "devices": ["d1"]}')
assert request.users == []
try:
    m.NxtWorkflowExecutionRequest(workflowId="#w")
except ValueError:
    print("ok")
"""


def _pip_install(python: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """pip (this environment's) installing into another environment, without dependencies."""
    command = [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps", *args]
    return subprocess.run(command, capture_output=True, text=True, check=False)


def test_wheel_installs_into_a_fresh_venv_and_validates(built: Path, tmp_path: Path) -> None:
    python = _fresh_venv(tmp_path / "venv")
    install = _pip_install(python, "--no-index", str(next(built.glob("*.whl"))))
    assert install.returncode == 0, install.stderr
    used = subprocess.run([str(python), "-c", USE], capture_output=True, text=True, check=False)
    assert used.stdout.strip() == "ok", used.stderr


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def package_index(tmp_path: Path) -> Iterator[str]:
    """A real pypiserver on 127.0.0.1 and a free port, accepting uploads without authentication."""
    packages = tmp_path / "packages"
    packages.mkdir()
    port = _free_port()
    server = subprocess.Popen(
        [str(BIN / "pypi-server"), "run", "--host", "127.0.0.1", "-p", str(port), "-a", ".", "-P", ".", str(packages)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise AssertionError("pypiserver did not start")
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_publish_then_pip_install_from_the_local_index(
    built: Path, package_index: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TWINE_USERNAME", "maintainer")
    monkeypatch.setenv("TWINE_PASSWORD", "s3cret-token-never-printed")
    result = run_cli("publish", "--repository-url", f"{package_index}/", "--dist", built)
    assert result.status == 0, result.stderr
    assert "s3cret" not in result.stdout + result.stderr
    python = _fresh_venv(tmp_path / "venv")
    install = _pip_install(python, "--index-url", f"{package_index}/simple/", "nexthink-workflows")
    assert install.returncode == 0, install.stderr
    used = subprocess.run([str(python), "-c", USE], capture_output=True, text=True, check=False)
    assert used.stdout.strip() == "ok", used.stderr


def test_publish_without_archives_is_exit_2(tmp_path: Path) -> None:
    result = run_cli("publish", "--dist", tmp_path / "nothing")
    assert result.status == 2 and "run `nexthink-codegen build` first" in result.stderr


# --- release ---------------------------------------------------------------------------------------------------


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository holding a copy of specs/ and generated/, as a maintainer's checkout would."""
    for name in ("specs", "generated"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", ".mypy_cache"))
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    subprocess.run([*GIT, "-C", str(tmp_path), "add", "."], check=True)
    subprocess.run([*GIT, "-C", str(tmp_path), "commit", "-qm", "start"], check=True)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764288000")
    return tmp_path


def _commit(repo: Path, message: str) -> None:
    subprocess.run([*GIT, "-C", str(repo), "add", "-A"], check=True)
    subprocess.run([*GIT, "-C", str(repo), "commit", "-qm", message], check=True)


def test_release_dry_run_prints_version_and_why(repo: Path) -> None:
    result = run_cli("release", "--dry-run")
    assert result.status == 0, result.stderr
    assert result.stdout.startswith("would release 1.0.0 (major): first release")
    assert subprocess.run(["git", "status", "--porcelain"], capture_output=True, text=True, check=True).stdout == ""


def test_release_refuses_uncommitted_or_stale(repo: Path) -> None:
    (repo / "specs/notes.txt").write_text("not committed yet\n")
    dirty = run_cli("release", "--dry-run")
    assert dirty.status == 2 and "uncommitted changes" in dirty.stderr
    (repo / "specs/notes.txt").unlink()
    module = repo / "generated/nexthink_workflows/nxt_workflow_status.py"
    module.write_text(module.read_text() + "# edited\n")
    _commit(repo, "hand edit")
    stale = run_cli("release", "--dry-run")
    assert stale.status == 2 and "is stale" in stale.stderr


def _edit_spec(repo: Path, change: str) -> None:
    spec_path = repo / "specs/workflows.yaml"
    spec = yaml.safe_load(spec_path.read_text())
    schemas = spec["components"]["schemas"]
    if change == "add-optional":
        schemas["DeviceData"]["properties"]["serialNumber"] = {"type": "string", "description": "Serial number."}
    elif change == "docs":
        schemas["TriggerInfo"]["properties"]["reason"]["description"] = "Why the workflow was triggered."
    elif change == "break":
        request = schemas["ExternalIdsExecutionRequest"]
        request["properties"]["priority"] = {"type": "integer", "minimum": 1, "description": "Priority."}
        request["required"].append("priority")
    spec_path.write_text(dump_yaml(spec))
    assert run_cli("generate").status == 0
    _commit(repo, change)


def test_release_over_a_history_of_spec_versions(repo: Path) -> None:
    versions = []
    for change in (None, "add-optional", "docs", "break"):
        if change:
            _edit_spec(repo, change)
        result = run_cli("release", "--dist", repo / "dist")
        assert result.status == 0, result.stderr
        versions.append(yaml.safe_load((repo / "specs/releases/index.yaml").read_text())["releases"][-1]["version"])
        _commit(repo, f"release {versions[-1]}")
    assert versions == ["1.0.0", "1.1.0", "1.1.1", "2.0.0"]
    changelog = (repo / "generated/CHANGELOG.md").read_text()
    assert changelog.index("## 2.0.0 (major)") < changelog.index("## 1.1.1 (patch)") < changelog.index("## 1.1.0")
    entry = changelog[changelog.index("## 2.0.0") : changelog.index("## 1.1.1")]
    assert "### Breaking changes" in entry and "required property priority added" in entry
    assert "NxtWorkflowExternalIdsExecutionRequest.priority" in entry
    assert entry.index("### Breaking changes") < entry.index("### Python API")
    assert "optional property serialNumber added" in changelog and "First release" in changelog
    assert 'version = "2.0.0"' in (repo / "generated/pyproject.toml").read_text()
    assert sorted(p.name for p in (repo / "dist").iterdir())[-2:] == [
        "nexthink_workflows-2.0.0-py3-none-any.whl",
        "nexthink_workflows-2.0.0.tar.gz",
    ]
    assert run_cli("release", "--dry-run").stdout.startswith("nothing changed since the last release")
    assert run_cli("check").status == 0
    assert os.environ["SOURCE_DATE_EPOCH"] == "1764288000"
