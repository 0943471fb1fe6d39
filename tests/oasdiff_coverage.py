"""Which of oasdiff's checks (tests/diff_cases/oasdiff-checks.txt) `KINDS` covers with the same id and level,
which it covers at another level (each must be a documented deviation), and which it lacks.

``python -m tests.oasdiff_coverage`` prints the numbers and the missing ids; ``test_diff_coverage.py`` checks the
levels.
"""

from __future__ import annotations

from pathlib import Path

from generator.diff import DEVIATIONS, KINDS

CATALOGUE = Path(__file__).resolve().parent / "diff_cases" / "oasdiff-checks.txt"


def catalogue() -> dict[str, str]:
    """oasdiff id → default level."""
    found = {}
    for line in CATALOGUE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            kind, level = line.lstrip("~").split()
            found[kind] = level
    return found


def coverage() -> tuple[list[str], list[str], list[str]]:
    """(same id and level, same id at another level, missing)."""
    same, other, missing = [], [], []
    for kind, level in catalogue().items():
        if kind not in KINDS:
            missing.append(kind)
        elif KINDS[kind].level == level:
            same.append(kind)
        else:
            other.append(kind)
    return same, other, missing


if __name__ == "__main__":
    same, other, missing = coverage()
    total = len(same) + len(other) + len(missing)
    print(
        f"{total} oasdiff checks listed: {len(same)} same id and level, {len(other)} same id at another level, "
        f"{len(missing)} missing"
    )
    for kind in other:
        print(
            f"  level differs: {kind} (oasdiff {catalogue()[kind]}, here {KINDS[kind].level})"
            f"{' — documented deviation' if kind in DEVIATIONS else ''}"
        )
    for kind in missing:
        print(f"  missing: {kind}")
