"""`make corpus`: every document of the corpus through the quality bar, as a table, checked against the known failures.

The corpus is the pinned npm documents of ``pins.toml`` (fetched and verified by ``fetch.py``) and every Nexthink API
whose pages the project holds (Workflows in ``specs/vendor/pages/``, the others in ``tests/vendor_pages/``), each
ingested with ``nexthink-codegen ingest --api NAME`` first. ``known_failures.toml`` names the documents expected to
fail, the step where and a part of the error line; a document that fails anywhere else, or that now passes, makes the
run fail (exit 1), so the list is pruned as fixes land.

``python -m tests.corpus.run [--fast] [--generator project|raw] [NAME ...]``
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

from tests.bar import GENERATORS, BarResult, first_error_line, run_bar
from tests.corpus.fetch import ROOT, fetch, load_pins

__all__ = [
    "KNOWN_FAILURES",
    "TABLE_HEADER",
    "Document",
    "Expectation",
    "cell",
    "corpus",
    "expectations",
    "judge",
    "nexthink_apis",
    "run_document",
    "table_row",
]

KNOWN_FAILURES = Path(__file__).with_name("known_failures.toml")
WORKFLOWS_PAGES = ROOT / "specs" / "vendor" / "pages"
OTHER_PAGES = ROOT / "tests" / "vendor_pages"
INGEST_TIMEOUT_SECONDS = 300


@dataclass(frozen=True)
class Document:
    """One document of the corpus: a pinned npm spec (``spec`` once fetched) or a Nexthink API's pages."""

    name: str
    source: str
    fast: bool
    spec: Path | None = None
    pages: Path | None = None
    api: str | None = None


@dataclass(frozen=True)
class Expectation:
    """A known failure: the step where the document fails, a part of its first error line, and why."""

    step: str
    error: str
    reason: str


def nexthink_apis() -> dict[str, Path]:
    """Every Nexthink API whose pages the project holds (``<api>.md``, not the README), with their folder."""
    apis = {"workflows": WORKFLOWS_PAGES}
    apis.update({page.stem: OTHER_PAGES for page in sorted(OTHER_PAGES.glob("*.md")) if page.name != "README.md"})
    return dict(sorted(apis.items()))


def corpus(fast: bool = False, names: list[str] | None = None) -> list[Document]:
    """The documents to run (every one, or the fast subset), the npm ones fetched into the cache."""
    documents = [
        Document(f"nexthink-{api}", f"Nexthink docs pages ({pages.relative_to(ROOT)})", True, pages=pages, api=api)
        for api, pages in nexthink_apis().items()
    ]
    pins = [p for p in load_pins() if (p.fast or not fast) and (not names or p.name in names)]
    specs = fetch(pins)
    documents += [Document(p.name, f"npm {p.package}@{p.version} {p.path}", p.fast, spec=specs[p.name]) for p in pins]
    return [d for d in documents if (d.fast or not fast) and (not names or d.name in names)]


def expectations(path: Path = KNOWN_FAILURES) -> dict[str, Expectation]:
    """The known failures: document name → where and why it is expected to fail."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return {name: Expectation(entry["step"], entry["error"], entry["reason"]) for name, entry in data.items()}


def _ingest(document: Document, work: Path) -> Path | BarResult:
    assert document.pages is not None and document.api is not None
    spec = work / f"{document.api}.yaml"
    command = [sys.executable, "-m", "generator", "ingest", "--docs", str(document.pages), "--api", document.api]
    ran = subprocess.run(
        [*command, "--out", str(spec)], capture_output=True, text=True, check=False, timeout=INGEST_TIMEOUT_SECONDS
    )
    if ran.returncode != 0:
        return BarResult(document.name, "ingest", first_error_line(ran.stderr) or f"exit status {ran.returncode}")
    return spec


def run_document(document: Document, generator: str = "project") -> BarResult:
    """The bar's result for one document (Nexthink APIs are ingested from their pages first)."""
    with tempfile.TemporaryDirectory(prefix="corpus-") as scratch:
        spec = document.spec if document.spec is not None else _ingest(document, Path(scratch))
        if isinstance(spec, BarResult):
            return spec
        return run_bar(spec, document.name, generator)


def judge(result: BarResult, expected: Expectation | None) -> str | None:
    """None when the result is what the known-failures list says; otherwise what disagrees."""
    if expected is None:
        return None if result.passed else f"fails at {result.step}, not a known failure"
    if result.passed:
        return f"known failure at {expected.step} now passes: remove it from {KNOWN_FAILURES.name}"
    if result.step != expected.step or expected.error not in result.error:
        return f"expected to fail at {expected.step} with {expected.error!r}, failed at {result.step}"
    return None


def cell(text: str) -> str:
    """Text made safe for one cell of a Markdown table."""
    return text.replace("|", "\\|").replace("\n", " ")


TABLE_HEADER = (
    "| document | result | failing step | first error | seconds | examples | known failure |\n"
    "| --- | --- | --- | --- | --- | --- | --- |"
)


def table_row(result: BarResult, known: dict[str, Expectation]) -> str:
    """One line of the corpus table."""
    row = [result.document, "pass" if result.passed else "FAIL", result.step or "", cell(result.error)]
    expected = "yes" if result.document in known else ""
    return "| " + " | ".join([*row, str(result.seconds), str(result.examples), expected]) + " |"


def main(argv: list[str] | None = None) -> int:
    """Run the corpus, print the table, exit 1 when a result disagrees with the known failures."""
    parser = argparse.ArgumentParser(description="Run the corpus through the quality bar.")
    parser.add_argument("names", nargs="*", help="documents to run (default: all)")
    parser.add_argument("--fast", action="store_true", help="only the subset that `make test` runs")
    parser.add_argument("--generator", choices=GENERATORS, default="project")
    args = parser.parse_args(argv)
    known = expectations() if args.generator == "project" else {}
    print(TABLE_HEADER)
    disagreements = []
    for document in corpus(args.fast, args.names or None):
        result = run_document(document, args.generator)
        verdict = judge(result, known.get(document.name)) if args.generator == "project" else None
        if verdict:
            disagreements.append(f"{document.name}: {verdict}")
        print(table_row(result, known), flush=True)
    for line in disagreements:
        print(f"UNEXPECTED {line}", file=sys.stderr)
    return 1 if disagreements else 0


if __name__ == "__main__":
    sys.exit(main())
