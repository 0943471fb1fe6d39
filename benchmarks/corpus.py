"""`make corpus`: the corpus through the quality bar, for this project and for raw datamodel-codegen 0.89.

For every document of the corpus (tests/corpus: pinned npm specs and the Nexthink APIs), the same bar
(tests/bar.py: generate, import with -W error, resolve ``__all__``, build every schema, validate examples,
ruff, mypy --strict) is applied to the package this project generates (``generate --no-overlay``) and to the
single module raw datamodel-codegen writes (its CLI, pydantic v2, Python 3.11 syntax, constraints as Field
arguments). Prints this project's table, writes both to benchmarks/corpus.md (and the numbers to
benchmarks/corpus.json), and exits 1 when this project's results disagree with tests/corpus/known_failures.toml.

``python benchmarks/corpus.py [--fast] [NAME ...]``
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.bar import BarResult  # noqa: E402 - the checkout's tests package, after its path is known
from tests.corpus.run import (  # noqa: E402
    TABLE_HEADER,
    cell,
    corpus,
    expectations,
    judge,
    run_document,
    table_row,
)

HERE = ROOT / "benchmarks"
RESULTS_MD = HERE / "corpus.md"
RESULTS_JSON = HERE / "corpus.json"


def _outcome(result: BarResult) -> str:
    return "pass" if result.passed else f"fails at {result.step}: {cell(result.error)}"


def _numbers(result: BarResult) -> dict[str, object]:
    return {key: value for key, value in asdict(result).items() if key != "details"}


def render(rows: list[tuple[str, str, BarResult, BarResult]]) -> str:
    """benchmarks/corpus.md: the counts, then one line per document for both generators."""
    ours = sum(r[2].passed for r in rows)
    raw = sum(r[3].passed for r in rows)
    raw_but_layout = sum(r[3].passed or r[3].step == "format" for r in rows)
    lines = [
        "# The corpus through the quality bar",
        "",
        "Written by `make corpus` (`benchmarks/corpus.py`). For every document, the same bar (`tests/bar.py`):",
        "generate, import every module in a fresh interpreter with `-W error`, resolve every `__all__` name, build",
        "every model's JSON schema, validate and round-trip the spec's own examples, `ruff check`, `mypy --strict`,",
        "then the layout: `ruff format --check` with the package's own settings (ruff's defaults where it has none,",
        "as for raw output), so generated files are what the formatter a user runs would leave them.",
        "This project: `generate --no-overlay`. Raw: the `datamodel-codegen` CLI, single module,",
        "`pydantic_v2.BaseModel`, Python 3.11 syntax, `--field-constraints` (its default `constr()` fails mypy).",
        f"datamodel-code-generator {metadata.version('datamodel-code-generator')}, "
        f"pydantic {metadata.version('pydantic')}.",
        "",
        "| generator | documents passing the bar |",
        "| --- | --- |",
        f"| nexthink-codegen | {ours} of {len(rows)} |",
        f"| raw datamodel-codegen | {raw} of {len(rows)} |",
        "",
        f"Without the layout step (every step but `format`): nexthink-codegen "
        f"{sum(r[2].passed or r[2].step == 'format' for r in rows)} of {len(rows)}, raw datamodel-codegen "
        f"{raw_but_layout} of {len(rows)}.",
        "",
        "| document | source | nexthink-codegen | raw datamodel-codegen |",
        "| --- | --- | --- | --- |",
    ]
    lines += [f"| {name} | {cell(source)} | {_outcome(o)} | {_outcome(r)} |" for name, source, o, r in rows]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Run both generators over the corpus; write the results; exit 1 on a disagreement with the known failures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="documents to run (default: all)")
    parser.add_argument("--fast", action="store_true", help="only the subset that `make test` runs")
    args = parser.parse_args(argv)
    known = expectations()
    rows = []
    disagreements = []
    print(TABLE_HEADER)
    for document in corpus(args.fast, args.names or None):
        ours = run_document(document, "project")
        print(table_row(ours, known), flush=True)
        verdict = judge(ours, known.get(document.name))
        if verdict:
            disagreements.append(f"{document.name}: {verdict}")
        raw = run_document(document, "raw")
        rows.append((document.name, document.source, ours, raw))
    if not args.names and not args.fast:
        RESULTS_MD.write_text(render(rows), encoding="utf-8")
        numbers = [{"document": n, "source": s, "ours": _numbers(o), "raw": _numbers(r)} for n, s, o, r in rows]
        RESULTS_JSON.write_text(json.dumps(numbers, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {RESULTS_MD.relative_to(ROOT)} and {RESULTS_JSON.relative_to(ROOT)}")
    passing = (sum(r[2].passed for r in rows), sum(r[3].passed for r in rows))
    print(f"passing the bar: nexthink-codegen {passing[0]} of {len(rows)}, raw datamodel-codegen {passing[1]}")
    for line in disagreements:
        print(f"UNEXPECTED {line}", file=sys.stderr)
    return 1 if disagreements else 0


if __name__ == "__main__":
    sys.exit(main())
