"""Regeneration on the real-world corpus: after one schema changed, `generate` into the last output (modules kept,
``generator.reuse``) writes byte for byte what a full generation writes.

``python -m tests.corpus.reuse [--fast] [--changes N] [NAME ...]`` (``make corpus-reuse``): for each document that
generates, a first `generate`; then, N times, one schema (chosen by a seeded draw over the component schemas) gains
a property (an object) or a description (anything else), and the changed spec is generated into a copy of the
first output with this machine's record (modules may be kept) and into another copy with an empty local cache
(everything rendered, on one core). The first generation, on every core (a large spec is rendered in parts side by
side, ``generator.split``), is compared the same way with one on one core. Prints one row per comparison; exit
status 1 when any pair differs.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from generator.documents import parse_document
from generator.manifest import CACHE_ENV
from tests.corpus.run import ROOT, BarResult, Document, _ingest, corpus

__all__ = ["main"]

GENERATE_TIMEOUT_SECONDS = 900
KEPT = "modules kept as the last generate wrote them"


def _tree(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _generate(spec: Path, out: Path, cache: Path, *options: str) -> tuple[int, str, float]:
    started = time.perf_counter()
    ran = subprocess.run(
        [
            *(sys.executable, "-m", "generator", "generate", "--spec", str(spec), "--no-overlay", "--out", str(out)),
            *options,
        ],
        cwd=ROOT,
        env={**os.environ, CACHE_ENV: str(cache)},
        capture_output=True,
        text=True,
        check=False,
        timeout=GENERATE_TIMEOUT_SECONDS,
    )
    return ran.returncode, ran.stdout + ran.stderr, time.perf_counter() - started


def _objects_in_paths(document: dict[str, Any]) -> list[str]:
    """The pointer of every object schema (one with ``properties``) under ``paths``."""
    found, stack = [], [(document.get("paths"), "/paths")]
    while stack:
        node, pointer = stack.pop()
        if isinstance(node, dict):
            if isinstance(node.get("properties"), dict) and pointer.count("/schema") == 1:
                found.append(pointer)
            stack += [(v, f"{pointer}/{k.replace('~', '~0').replace('/', '~1')}") for k, v in node.items()]
        elif isinstance(node, list):
            stack += [(v, f"{pointer}/{i}") for i, v in enumerate(node)]
    return sorted(found)


def _change(document: dict[str, Any], pointer: str) -> None:
    schema: Any = document
    for escaped in pointer.split("/")[1:]:
        token = escaped.replace("~1", "/").replace("~0", "~")
        schema = schema[int(token)] if isinstance(schema, list) else schema[token]
    if isinstance(schema, dict) and isinstance(schema.get("properties"), dict):
        schema["properties"]["added_by_the_corpus_check"] = {"type": "string"}
    elif isinstance(schema, dict) and "$ref" not in schema:
        schema["description"] = f"{schema.get('description') or ''} Changed by the corpus check.".strip()


def check_document(document: Document, changes: int, work: Path) -> list[list[str]]:
    """The rows of one document: change, whether modules were kept, times, and whether the outputs are equal."""
    source = document.spec if document.spec is not None else _ingest(document, work)
    if isinstance(source, BarResult):
        return [[document.name, "-", "does not ingest", "", "", ""]]
    # The spec as JSON (valid YAML too) under its own file name, which every module's header names: the first
    # generation and each change read the same text but for the change.
    original = parse_document(source.read_text(encoding="utf-8"), str(source))
    spec = work / "spec" / source.name
    spec.parent.mkdir(parents=True)
    spec.write_text(json.dumps(original), encoding="utf-8")
    base, cache = work / "base" / "out", work / "base-cache"
    status, output, seconds_parts = _generate(spec, base, cache)
    if status != 0:
        return [[document.name, "-", f"does not generate: {output.strip().splitlines()[-1][:80]}", "", "", ""]]
    # The first generation may render in parts side by side (``generator.split``): it must equal one rendering.
    one = work / "one" / "out"
    status_one, said_one, seconds_one = _generate(spec, one, work / "one-cache", "--jobs", "1")
    equal = status_one == 0 and _tree(base) == _tree(one)
    rows = [
        [
            document.name,
            "(none: every core against one)",
            "in full",
            f"{seconds_parts:.1f}",
            f"{seconds_one:.1f}",
            "yes" if equal else f"NO (exit {status_one}: {said_one.strip()[-120:]})",
        ]
    ]
    schemas = sorted((original.get("components") or {}).get("schemas") or {})
    # A document without component schemas (dereferenced) has its schemas in its operations: change those.
    places = [f"/components/schemas/{n}" for n in schemas] or _objects_in_paths(original)
    for name in random.Random(document.name).sample(places, min(changes, len(places))):
        changed = json.loads(json.dumps(original))
        _change(changed, name)
        spec.write_text(json.dumps(changed), encoding="utf-8")
        kept, full = work / "kept" / "out", work / "full" / "out"
        for folder, copy in ((base, kept), (base, full), (cache, work / "kept-cache")):
            shutil.rmtree(copy, ignore_errors=True)
            shutil.copytree(folder, copy)
        shutil.rmtree(work / "empty-cache", ignore_errors=True)
        status_kept, said, seconds_kept = _generate(spec, kept, work / "kept-cache")
        status_full, said_full, seconds_full = _generate(spec, full, work / "empty-cache", "--jobs", "1")
        equal = status_kept == status_full and (status_kept != 0 or _tree(kept) == _tree(full))
        rows.append(
            [
                document.name,
                name.removeprefix("/components/schemas/"),
                "kept" if KEPT in said else "rendered in full",
                f"{seconds_kept:.1f}",
                f"{seconds_full:.1f}",
                "yes" if equal else f"NO (exit {status_kept}/{status_full}: {(said + said_full).strip()[-120:]})",
            ]
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fast", action="store_true", help="the fast subset of the corpus")
    parser.add_argument("--changes", type=int, default=3, help="one-schema changes per document (default 3)")
    parser.add_argument("names", nargs="*", help="only these documents")
    parser.add_argument("--record", type=Path, help="also write the table here (make corpus-reuse: " + RECORD + ")")
    args = parser.parse_args(argv)
    lines = [
        "| document | schema changed | regeneration | ours (s) | full, `--jobs 1` (s) | byte-identical |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    print("\n".join(lines), flush=True)
    failed = False
    for document in corpus(args.fast, args.names or None):
        with tempfile.TemporaryDirectory(prefix="corpus-reuse-") as scratch:
            for row in check_document(document, args.changes, Path(scratch)):
                lines.append("| " + " | ".join(row) + " |")
                print(lines[-1], flush=True)
                failed = failed or row[-1].startswith("NO")
    if args.record is not None:
        args.record.write_text(_record(lines, args.changes), encoding="utf-8")
    return 1 if failed else 0


RECORD = "benchmarks/corpus-reuse.md"


def _record(table: list[str], changes: int) -> str:
    rows = [row for row in table[2:] if "| (none: every core against one) |" not in row]
    first = [row for row in table[2:] if row not in rows]
    kept = sum("| kept |" in row for row in rows)
    equal = sum(row.endswith("| yes |") for row in rows)
    return "\n".join(
        [
            "# Regeneration on the corpus",
            "",
            "Written by `make corpus-reuse` (`tests/corpus/reuse.py`). For each corpus document that generates,",
            f"{changes} seeded one-schema changes, each generated into a copy of the first output with this machine's",
            "record (modules a change cannot affect kept) and into a copy with an empty local cache (everything",
            'rendered), the two trees compared file by file. "rendered in full": the regeneration could not show a',
            "partial rendering equal (a package with import cycles has `_internal` modules, which belong to no one",
            "schema), and rendered everything. The full generations run on one core (`--jobs 1`); the first",
            "generation of each document ran on every core (a large spec is rendered in parts side by side) and is",
            'compared with one on one core in the row "(none: every core against one)".',
            "",
            f"{len(rows)} changes: {equal} byte-identical to a full generation, {kept} with modules kept.",
            f"{len(first)} first generations on every core: {sum(r.endswith('| yes |') for r in first)} byte-identical"
            " to one on one core.",
            "",
            *table,
            "",
        ]
    )


if __name__ == "__main__":
    sys.exit(main())
