"""`--no-overlay` works on other OpenAPI documents: the vendor's other APIs are ingested and generated as they are.

tests/vendor_pages/ holds the pages of four more Nexthink APIs from the same documentation snapshot.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import run_cli

PAGES = Path(__file__).parent / "vendor_pages"
APIS = sorted(p.stem for p in PAGES.glob("*.md"))


@pytest.mark.parametrize("api", APIS)
def test_other_vendor_api_generates_importable_typed_models(api: str, tmp_path: Path) -> None:
    spec = tmp_path / f"{api}.yaml"
    assert run_cli("ingest", "--docs", PAGES, "--api", api, "--out", spec).status == 0
    result = run_cli("generate", "--spec", spec, "--no-overlay", "--out", tmp_path / "out", "--package", "models")
    assert result.status == 0, result.stderr
    check = run_cli("check", "--spec", spec, "--no-overlay", "--out", tmp_path / "out", "--package", "models")
    assert check.status == 0, check.stdout
    command = [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", str(tmp_path / ".mypy")]
    typed = subprocess.run([*command, "models"], cwd=tmp_path / "out", capture_output=True, text=True, check=False)
    assert typed.returncode == 0, typed.stdout
    imported = subprocess.run(
        [sys.executable, "-c", "import models; print(len(models.__all__))"],
        cwd=tmp_path / "out",
        capture_output=True,
        text=True,
        check=False,
    )
    assert imported.returncode == 0 and int(imported.stdout) > 0, imported.stderr
