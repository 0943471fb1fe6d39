"""Rewrite the README's example diff report from the tool's own output (`make readme-diff`)."""

from __future__ import annotations

import io
import re
from contextlib import redirect_stdout
from pathlib import Path

from generator.cli import main

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

if __name__ == "__main__":
    output = io.StringIO()
    with redirect_stdout(output):
        main(ARGS)
    readme = ROOT / "README.md"
    pattern = re.compile(r"(<!-- diff-example:start -->\n).*?(<!-- diff-example:end -->)", re.DOTALL)
    text = readme.read_text(encoding="utf-8")
    if not pattern.search(text):
        raise SystemExit("README.md lacks the diff-example markers")
    readme.write_text(pattern.sub(lambda m: m.group(1) + output.getvalue() + m.group(2), text), encoding="utf-8")
    print("rewrote the diff example in README.md")
