"""The generated code passes ruff and mypy --strict, for the Workflows package and every golden fixture."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGES = [
    ROOT / "generated" / "nexthink_workflows",
    *sorted(p for p in (ROOT / "tests/golden").glob("*/*") if p.is_dir()),
]
BIN = Path(sys.executable).parent


# UP042 (use StrEnum) is ignored on purpose: the reference models declare `(str, Enum)`, whose str() differs.
# E501 is ignored: a long description is one string literal, which no formatter splits.
RUFF = ["check", "--isolated", "--no-cache", "--select", "E,F,W,I,UP,B,RUF", "--ignore", "UP042,E501"]


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.parent.name)
def test_ruff_check(package: Path) -> None:
    result = subprocess.run(
        [BIN / "ruff", *RUFF, package],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_project_code_passes_ruff_and_mypy_strict() -> None:
    lint = subprocess.run(
        [BIN / "ruff", "check", "--no-cache", "generator", "tests", "benchmarks"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert lint.returncode == 0, lint.stdout + lint.stderr
    types = subprocess.run(
        [sys.executable, "-m", "mypy", "generator"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert types.returncode == 0, types.stdout + types.stderr


def test_mypy_strict(tmp_path: Path) -> None:
    args = [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", str(tmp_path)]
    for package in PACKAGES:
        result = subprocess.run([*args, package.name], cwd=package.parent, capture_output=True, text=True, check=False)
        assert result.returncode == 0, f"{package}:\n{result.stdout}{result.stderr}"


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.parent.name)
def test_no_text_keeps_the_trailing_newline_of_a_yaml_block_scalar(package: Path) -> None:
    for module in package.glob("*.py"):
        text = module.read_text(encoding="utf-8")
        assert "\\n'" not in text and '\\n"' not in text, module
