"""Golden files: every case generates exactly the files pinned under tests/golden/<case>/."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from tests.golden_cases import Case, cases, comparable, expected, run


@pytest.mark.parametrize("case", cases(), ids=lambda c: c.name)
def test_generated_tree_matches_golden(case: Case, tmp_path: Path) -> None:
    actual = comparable(run(case, tmp_path / "out"))
    golden = comparable(expected(case))
    assert golden, f"no golden files for {case.name}: run `make golden`"
    problems = []
    for relative in sorted(set(actual) | set(golden)):
        if relative not in actual:
            problems.append(f"missing: {relative}")
        elif relative not in golden:
            problems.append(f"extra: {relative}")
        elif actual[relative] != golden[relative]:
            diff = difflib.unified_diff(
                golden[relative].splitlines(keepends=True),
                actual[relative].splitlines(keepends=True),
                fromfile=f"golden/{relative}",
                tofile=f"generated/{relative}",
            )
            problems.append("".join(diff))
    assert not problems, "generated output differs from tests/golden (run `make golden` and review):\n" + "\n".join(
        problems
    )


def test_committed_package_is_the_workflows_golden() -> None:
    root = Path(__file__).resolve().parent.parent
    golden = expected(cases()[0])
    committed = {
        p.relative_to(root / "generated").as_posix(): p.read_text(encoding="utf-8")
        for p in sorted((root / "generated").rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }
    assert comparable(committed) == comparable(golden)
