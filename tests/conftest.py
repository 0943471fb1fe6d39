"""Shared helpers: run the CLI in-process, snapshot folders, import a generated package in isolation."""

from __future__ import annotations

import hashlib
import io
import os
import sys
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.cli import main
from generator.manifest import CACHE_ENV

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True, scope="session")
def _local_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The records of `generate` runs go to a folder of the test session, not the user's ~/.cache (subprocesses
    inherit it through the environment)."""
    previous = os.environ.get(CACHE_ENV)
    os.environ[CACHE_ENV] = str(tmp_path_factory.mktemp("codegen-cache"))
    yield
    if previous is None:
        del os.environ[CACHE_ENV]
    else:
        os.environ[CACHE_ENV] = previous


@dataclass
class Result:
    status: int
    stdout: str
    stderr: str


def workflows_args(root: Path = ROOT) -> list[str | Path]:
    """The options that point a command at a checkout's Workflows spec, overlay, output and release history."""
    specs = root / "specs"
    return [
        "--spec",
        specs / "workflows.yaml",
        "--overlay",
        specs / "workflows.overlay.yaml",
        "--out",
        root / "generated",
        "--releases",
        specs / "releases",
    ]


def run_cli(*argv: str | Path) -> Result:
    stdout, stderr = io.StringIO(), io.StringIO()
    with redirect_stdout(stdout), redirect_stderr(stderr):
        try:
            status = main([str(a) for a in argv])
        except SystemExit as exc:  # argparse usage errors and --help
            status = int(exc.code or 0)
    return Result(status, stdout.getvalue(), stderr.getvalue())


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under a folder (hidden ones too) with a hash of its bytes."""
    if not folder.exists():
        return {}
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def workflows() -> Iterator[object]:
    """The committed generated package, imported from generated/."""
    sys.path.insert(0, str(ROOT / "generated"))
    try:
        import nexthink_workflows

        yield nexthink_workflows
    finally:
        sys.path.remove(str(ROOT / "generated"))
