"""Rewrite the README's example diff report from the tool's own output (`make readme-diff`)."""

from __future__ import annotations

import io
import re
from contextlib import redirect_stdout
from pathlib import Path

from generator.cli import main
from generator.diff import DEVIATIONS

ROOT = Path(__file__).resolve().parent.parent
ARGS = [
    "diff",
    "specs/workflows.yaml",
    "tests/diff_cases/workflows-next.yaml",
    "--overlay",
    "specs/workflows.overlay.yaml",
    "--format",
    "markdown",
]

DEVIATIONS_MARKERS = re.compile(r"(<!-- diff-deviations:start -->\n).*?(<!-- diff-deviations:end -->)", re.DOTALL)


def deviations_table() -> str:
    """The README's table of deliberate deviations from oasdiff, from ``DEVIATIONS``."""
    groups: dict[tuple[str | None, str], list[str]] = {}
    for kind, (level, reason) in DEVIATIONS.items():
        groups.setdefault((level, reason), []).append(f"`{kind}`")
    rows = ["| ids | level here | why |", "| --- | --- | --- |"]
    for (level, reason), kinds in groups.items():
        rows.append(f"| {', '.join(kinds)} | {level or 'none'} | {reason} |")
    return "\n".join(rows) + "\n"


if __name__ == "__main__":
    output = io.StringIO()
    with redirect_stdout(output):
        main(ARGS)
    readme = ROOT / "README.md"
    pattern = re.compile(r"(<!-- diff-example:start -->\n).*?(<!-- diff-example:end -->)", re.DOTALL)
    text = readme.read_text(encoding="utf-8")
    if not pattern.search(text):
        raise SystemExit("README.md lacks the diff-example markers")
    text = pattern.sub(lambda m: m.group(1) + output.getvalue() + m.group(2), text)
    if not DEVIATIONS_MARKERS.search(text):
        raise SystemExit("README.md lacks the diff-deviations markers")
    text = DEVIATIONS_MARKERS.sub(lambda m: m.group(1) + deviations_table() + m.group(2), text)
    readme.write_text(text, encoding="utf-8")
    print("rewrote the diff example in README.md")
