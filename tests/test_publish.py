"""Build, release and publish: reproducible archives, versions and changelogs from the spec diff, and a real
publish → pip install round trip against a package index started on 127.0.0.1 by the test itself."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

from generator.dist import simple_index_url
from generator.documents import dump_yaml
from tests.conftest import ROOT, run_cli, workflows_args
from tests.local_index import fresh_venv, pip_install, running_index

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


def test_wheel_installs_into_a_fresh_venv_and_validates(built: Path, tmp_path: Path) -> None:
    python = fresh_venv(tmp_path / "venv")
    install = pip_install(python, "--no-index", str(next(built.glob("*.whl"))))
    assert install.returncode == 0, install.stderr
    used = subprocess.run([str(python), "-c", USE], capture_output=True, text=True, check=False)
    assert used.stdout.strip() == "ok", used.stderr


@pytest.mark.parametrize(
    ("upload", "simple"),
    [
        (None, "https://pypi.org/simple/"),
        ("https://upload.pypi.org/legacy/", "https://pypi.org/simple/"),
        ("https://test.pypi.org/legacy/", "https://test.pypi.org/simple/"),
        ("http://127.0.0.1:8080/", "http://127.0.0.1:8080/simple/"),
        ("https://example.org/pypi", "https://example.org/pypi/simple/"),
    ],
)
def test_the_simple_api_asked_before_an_upload(upload: str | None, simple: str) -> None:
    assert simple_index_url(upload) == simple


def test_publish_refuses_the_unreleased_version(built: Path) -> None:
    result = run_cli("publish", "--dist", built, "--releases", ROOT / "specs/releases", "--repository-url", "http://x/")
    assert result.status == 2 and result.stderr.count("\n") == 1
    assert "nothing released yet (version 0.0.0)" in result.stderr


def test_publish_without_archives_is_exit_2(repo: Path) -> None:
    assert run_cli("release", "--dist", repo / "dist").status == 0
    result = run_cli("publish", "--dist", repo / "nothing", "--repository-url", "http://x/")
    assert result.status == 2 and "holds no sdist and wheel of nexthink_workflows 1.0.0" in result.stderr


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


def test_release_dry_run_works_on_any_tree_and_the_release_lists_every_blocker(repo: Path) -> None:
    (repo / "specs/notes.txt").write_text("not committed yet\n")
    (repo / "specs/more/todo.txt").parent.mkdir()
    (repo / "specs/more/todo.txt").write_text("neither\n")
    module = repo / "generated/nexthink_workflows/nxt_workflow_status.py"
    module.write_text(module.read_text() + "# edited\n")
    subprocess.run(["git", "mv", "specs/vendor/README.md", "specs/vendor/SNAPSHOT.md"], check=True)
    dry = run_cli("release", "--dry-run")
    assert dry.status == 0, dry.stderr
    assert dry.stdout.startswith("would release 1.0.0 (major): first release")
    tail = dry.stdout[dry.stdout.index("the real release would be refused until these 5 path(s)") :]
    blockers = [
        "generated/nexthink_workflows/nxt_workflow_status.py (stale: differs from what generate writes)",
        "generated/nexthink_workflows/nxt_workflow_status.py (uncommitted changes)",
        "specs/vendor/SNAPSHOT.md (uncommitted changes)",
        "specs/more/todo.txt (uncommitted changes)",
        "specs/notes.txt (uncommitted changes)",
    ]
    assert sorted(tail.splitlines()[1:]) == sorted(f"  {blocker}" for blocker in blockers)
    real = run_cli("release")
    assert real.status == 2 and real.stdout == ""
    assert real.stderr.startswith("error: release: refused: 5 path(s) are stale or uncommitted: ")
    assert real.stderr.count("\n") == 1
    for blocker in blockers:
        assert blocker in real.stderr
    assert not (repo / "specs/releases").exists() and not (repo / "dist").exists()


def test_release_dry_run_outside_git_says_it_cannot_tell(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("specs", "generated"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", ".*cache"))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    dry = run_cli("release", "--dry-run")
    assert dry.status == 0 and "git status failed: fatal: not a git repository" in dry.stdout, dry.stderr
    assert "(cannot tell what is committed)" in dry.stdout
    assert run_cli("release").status == 2


def test_release_refuses_a_stale_tree_even_when_committed(repo: Path) -> None:
    module = repo / "generated/nexthink_workflows/nxt_workflow_status.py"
    module.write_text(module.read_text() + "# edited\n")
    _commit(repo, "hand edit")
    stale = run_cli("release")
    assert stale.status == 2 and "nxt_workflow_status.py (stale" in stale.stderr
    assert "(uncommitted changes)" not in stale.stderr


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


def _index_files(packages: Path) -> list[str]:
    return sorted(p.name for p in packages.iterdir())


def test_each_release_into_one_dist_is_published_exactly_once(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TWINE_USERNAME", "maintainer")
    monkeypatch.setenv("TWINE_PASSWORD", "s3cret-token-never-printed")
    dist, packages = repo / "dist", tmp_path / "packages"
    with running_index(packages) as index:
        upload = ["--repository-url", f"{index}/", "--dist", dist]
        refused = run_cli("publish", *upload)
        assert refused.status == 2 and "nothing released yet (version 0.0.0)" in refused.stderr
        expected: list[str] = []
        for change, version in ((None, "1.0.0"), ("add-optional", "1.1.0"), ("break", "2.0.0")):
            if change:
                _edit_spec(repo, change)
            assert run_cli("release", "--dist", dist).status == 0
            _commit(repo, f"release {version}")
            result = run_cli("publish", *upload)
            assert result.status == 0, result.stderr
            archives = [f"nexthink_workflows-{version}-py3-none-any.whl", f"nexthink_workflows-{version}.tar.gz"]
            assert result.stdout == f"published {version}: {archives[1]}, {archives[0]}\n"
            expected = sorted([*expected, *archives])
            assert _index_files(packages) == expected  # only this version's archives went up
            again = run_cli("publish", *upload)
            assert again.status == 2 and again.stderr.count("\n") == 1
            assert f"nexthink-workflows {version} is already on the index" in again.stderr
            for output in (result, refused, again):
                assert "s3cret" not in output.stdout + output.stderr
        assert len(list(dist.iterdir())) == 6  # every release's archives stay in the one dist/
        python = fresh_venv(tmp_path / "venv")
        install = pip_install(python, "--index-url", f"{index}/simple/", "nexthink-workflows")
        assert install.returncode == 0, install.stderr
    used = subprocess.run(
        [str(python), "-c", USE + "assert 'priority' in m.NxtWorkflowExternalIdsExecutionRequest.model_fields\n"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert used.stdout.strip() == "ok", used.stderr


def test_twine_error_is_its_own_line_without_terminal_codes(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TWINE_USERNAME", "maintainer")
    monkeypatch.setenv("TWINE_PASSWORD", "s3cret-token-never-printed")
    assert run_cli("release", "--dist", repo / "dist").status == 0
    with running_index(tmp_path / "packages") as index:
        upload = ["--repository-url", f"{index}/", "--dist", repo / "dist"]
        assert run_cli("publish", *upload).status == 0
        # An index URL that does not know the project lets the upload through; the index then refuses it.
        result = run_cli("publish", *upload, "--index-url", f"{index}/nowhere/")
        with_userinfo = index.replace("http://", "http://maintainer:url-s3cret@")
        in_url = run_cli(
            "publish",
            "--repository-url",
            f"{with_userinfo}/",
            "--dist",
            repo / "dist",
            "--index-url",
            f"{index}/nowhere/",
        )
    assert result.status == 2 and result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"error: twine upload: failed: HTTPError: 400 Bad Request from {index}/")
    assert "\x1b" not in result.stderr and "s3cret" not in result.stderr
    assert in_url.status == 2 and "s3cret" not in in_url.stdout + in_url.stderr, in_url.stderr


def test_twine_error_line_from_colored_output(monkeypatch: pytest.MonkeyPatch) -> None:
    """What twine 7 printed to a pipe before --no-color (captured): the ERROR line and its continuation, cleaned."""
    from generator.dist import _twine_error

    monkeypatch.setenv("TWINE_PASSWORD", "pw-in-env")
    captured = (
        "Uploading distributions to http://127.0.0.1:49335/\n"
        "Uploading nexthink_workflows-0.0.0-py3-none-any.whl\n"
        "\x1b[33mWARNING \x1b[0m Error during upload. Retry with the --verbose option for more details. \n"
        "\x1b[31mERROR   \x1b[0m HTTPError: 400 Bad Request from http://user:pw@127.0.0.1:49335/                \n"
        "         Bad Request (pw-in-env)                                                 \n"
    )
    assert _twine_error(captured) == "HTTPError: 400 Bad Request from http://***@127.0.0.1:49335/ Bad Request (***)"
