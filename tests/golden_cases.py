"""The golden cases: each generates a package (or an expected error) that is pinned under tests/golden/<case>/.

`make golden` (python -m tests.golden_cases --rewrite) rewrites them from the generator; review the diff.
"""

from __future__ import annotations

import argparse
import io
import json
import shutil
import sys
import tempfile
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

from generator.cli import main
from generator.manifest import MANIFEST

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
GOLDEN = ROOT / "tests" / "golden"
ERROR_FILE = "error.txt"


@dataclass(frozen=True)
class Case:
    name: str
    spec: Path
    overlay: Path | None
    package: str = "models"

    def argv(self, out: Path) -> list[str]:
        overlay = ["--overlay", str(self.overlay)] if self.overlay else ["--no-overlay"]
        return ["generate", "--spec", str(self.spec), *overlay, "--out", str(out), "--package", self.package]


def cases() -> list[Case]:
    found = [
        Case("workflows", ROOT / "specs/workflows.yaml", ROOT / "specs/workflows.overlay.yaml", "nexthink_workflows")
    ]
    for folder in sorted(p for p in FIXTURES.iterdir() if p.is_dir()):
        overlay = folder / "overlay.yaml"
        found.append(Case(folder.name, folder / "spec.yaml", overlay if overlay.exists() else None))
    return found


def run(case: Case, out: Path) -> dict[str, str]:
    """Generate a case into ``out``; return the files (path relative to ``out`` → text), or the error line."""
    stdout, stderr = io.StringIO(), io.StringIO()
    with redirect_stdout(stdout), redirect_stderr(stderr):
        status = main(case.argv(out))
    if status != 0:
        # The error names files by the path they were given; pin it relative to the repository.
        return {ERROR_FILE: stderr.getvalue().replace(str(ROOT) + "/", "")}
    return comparable(
        {
            p.relative_to(out).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(out.rglob("*"))
            if p.is_file() and "__pycache__" not in p.parts
        }
    )


def comparable(files: dict[str, str]) -> dict[str, str]:
    """The files as the golden test compares them: the manifest only by the file hashes it records, since its
    input paths depend on where the case runs and its toolchain hash on every change of the generator's code."""
    if MANIFEST in files:
        recorded = json.loads(files[MANIFEST])
        files = {**files, MANIFEST: json.dumps(recorded.get("files", recorded), indent=2) + "\n"}
    return files


def expected(case: Case) -> dict[str, str]:
    folder = GOLDEN / case.name
    return {
        p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def rewrite() -> None:
    for case in cases():
        with tempfile.TemporaryDirectory() as tmp:
            files = run(case, Path(tmp))
        target = GOLDEN / case.name
        shutil.rmtree(target, ignore_errors=True)
        for relative, text in files.items():
            path = target / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        print(f"rewrote {target.relative_to(ROOT)} ({len(files)} files)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--rewrite", action="store_true", required=True, help="rewrite tests/golden/ from the generator"
    )
    parser.parse_args()
    rewrite()
    sys.exit(0)
