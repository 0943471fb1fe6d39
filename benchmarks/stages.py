"""Where `generate`'s time goes, by stage: a cProfile of one `generate` per input, read back as a tree of stages.

``python benchmarks/stages.py [--quick] [--json PATH]`` profiles `generate` on the Workflows spec (with its
overlay), a synthetic spec of 1,000 schemas and GitHub's REST spec (the pinned copy the corpus fetcher keeps in
``.corpus-cache/``), each in a fresh interpreter so that start-up and lazy imports are counted as a user pays them.
For each stage the table gives the time spent in it (cProfile's cumulative time of the stage's function as called
from its parent stage), so the numbers are computed, never written by hand. cProfile slows Python code down
(roughly 1.5-2x), evenly enough that the shares are what matter; `benchmarks/run.py` measures the wall times.
`make bench` runs this and puts the tables into benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import pstats
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

# The stages, as (label, function key, parent label). A function key is "path suffix:function name"; a stage's
# time is that function's cumulative time as called from its parent stage's function.
STAGES: list[tuple[str, str, str | None]] = [
    ("generate (in-process)", "generator/cli.py:_run", None),
    ("read + parse documents", "generator/documents.py:read_document", "effective spec"),
    ("read inputs", "generator/pipeline.py:_read_inputs", "package files"),
    ("effective spec", "generator/pipeline.py:effective_spec", "read inputs"),
    ("package files", "generator/pipeline.py:generate_files", "generate (in-process)"),
    ("bundle", "generator/bundle.py:bundle", "effective spec"),
    ("structure + $ref check", "generator/documents.py:require_openapi", "effective spec"),
    ("overlay", "generator/overlay.py:apply_overlay", "effective spec"),
    ("normalise", "generator/normalise/__init__.py:normalise", "read inputs"),
    ("render package", "generator/render.py:render_package", "package files"),
    ("render modules", "generator/render.py:_render_modules", "render package"),
    ("engine (datamodel-codegen)", "generator/render.py:_run_engine", "render modules"),
    ("lay out modules", "generator/render.py:_lay_out", "render modules"),
    ("compose modules", "generator/render.py:_compose_all", "lay out modules"),
    ("partial rendering (modules kept)", "generator/render.py:_render_again", "render package"),
    ("format (one ruff run)", "generator/formatting.py:format_modules", "render package"),
    ("distribution files + REFERENCE.md", "generator/release.py:distribution", "package files"),
    ("manifest", "generator/manifest.py:build_manifest", "package files"),
    ("write tree", "generator/write.py:write_tree", "generate (in-process)"),
]
# Stages whose direct callees are listed too (the sub-steps), when they take at least this share of the total.
EXPAND = {
    "normalise",
    "partial rendering (modules kept)",
    "compose modules",
    "distribution files + REFERENCE.md",
    "bundle",
    "structure + $ref check",
    "read + parse documents",
}
SUB_STEP_SHARE = 0.005


def _key(stats: dict[Any, Any], wanted: str) -> Any:
    path, _, name = wanted.rpartition(":")
    found = [k for k in stats if k[0].endswith(path) and k[2] == name]
    return found[0] if found else None


def _label(key: Any) -> str:
    file, _, name = key
    if file == "~":
        return name.strip("<>").replace("built-in method ", "")
    module = Path(file).stem
    return f"{module}.{name}"


def stage_table(profile: Path, wall: float) -> list[dict[str, Any]]:
    """Rows (stage, depth, seconds, share) from a saved profile of one `generate` that took ``wall`` seconds."""
    stats = pstats.Stats(str(profile)).stats  # type: ignore[attr-defined]
    keys = {label: _key(stats, wanted) for label, wanted, _ in STAGES}
    parents = {label: parent for label, _, parent in STAGES}

    def seconds(label: str) -> float:
        key, parent = keys[label], parents[label]
        if key is None:
            return 0.0
        if parent is None:
            return float(stats[key][3])
        parent_key = keys[parent]
        callers = stats[key][4]
        return float(sum(v[3] for k, v in callers.items() if k == parent_key)) if parent_key else 0.0

    total = seconds("generate (in-process)")
    rows: list[dict[str, Any]] = [
        {"stage": "start-up (interpreter, imports before the command runs)", "depth": 0, "s": max(wall - total, 0.0)}
    ]

    def add(label: str, depth: int) -> None:
        spent = seconds(label)
        if keys[label] is None or spent == 0.0:
            return
        rows.append({"stage": label, "depth": depth, "s": spent})
        children = [child for child, _, parent in STAGES if parent == label]
        for child in sorted(children, key=lambda c: -seconds(c)):
            add(child, depth + 1)
        if label in EXPAND:
            covered = {keys[c] for c in children}
            callees = [
                (k, v[4][keys[label]][3])
                for k, v in stats.items()
                if keys[label] in v[4] and k not in covered and k != keys[label]
            ]
            for callee, spent_in in sorted(callees, key=lambda c: -c[1]):
                if spent_in >= SUB_STEP_SHARE * wall:
                    rows.append({"stage": _label(callee), "depth": depth + 1, "s": float(spent_in)})

    add("generate (in-process)", 0)
    for row in rows:
        row["share"] = row["s"] / wall if wall else 0.0
    return rows


def profile_once(args: list[str], cache: Path | None = None) -> dict[str, Any]:
    """Profile one `generate` in a fresh interpreter (``cache``: its local cache folder); its wall time (s) under
    the profiler and the stage rows."""
    env = {**os.environ, "NEXTHINK_CODEGEN_CACHE": str(cache)} if cache is not None else None
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "profile.out"
        # The command line's own entry point ends the process at once (`cli.run`), before cProfile writes its
        # output: the profiled script calls `main` and exits as usual.
        script = Path(scratch) / "generate.py"
        script.write_text("import sys\nfrom generator.cli import main\nsys.exit(main())\n", encoding="utf-8")
        started = time.perf_counter()
        subprocess.run(
            # One core: the profiler sees this process only, and the shares are read against one core's work.
            [sys.executable, "-m", "cProfile", "-o", str(out), str(script), "generate", *args, "--jobs", "1"],
            cwd=ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
            env=env,
        )
        wall = time.perf_counter() - started
        return {"wall_s": wall, "stages": stage_table(out, wall)}


def inputs(work: Path, *, quick: bool) -> list[tuple[str, list[str]]]:
    """(name, generate arguments) of each profiled input."""
    sys.path.insert(0, str(ROOT))
    from tests.synthetic import synthetic_spec

    count = 100 if quick else 1000
    synthetic = work / f"synthetic-{count}.json"
    synthetic.write_text(json.dumps(synthetic_spec(count)))
    chosen = [
        ("Workflows spec (with the overlay)", ["--out", str(work / "workflows")]),
        (
            f"synthetic, {count:,} schemas",
            ["--spec", str(synthetic), "--no-overlay", "--out", str(work / "synthetic"), "--package", "models"],
        ),
    ]
    github = github_spec() if not quick else None
    if github is not None:
        chosen.append(
            (
                "GitHub REST API (@octokit/openapi)",
                ["--spec", str(github), "--no-overlay", "--out", str(work / "github"), "--package", "models"],
            )
        )
        # Then the same folder regenerated after one schema changed (the run above left it and its record).
        spec = json.loads(github.read_text(encoding="utf-8"))
        label, name = one_schema_changes(spec)[0]
        spec["components"]["schemas"][name]["properties"]["added_by_the_benchmark"] = {"type": "string"}
        changed = work / "changed" / github.name  # the same file name: it is in every module's header
        changed.parent.mkdir()
        changed.write_text(json.dumps(spec), encoding="utf-8")
        chosen.append(
            (
                f"GitHub REST API regenerated after {label}",
                ["--spec", str(changed), "--no-overlay", "--out", str(work / "github"), "--package", "models"],
            )
        )
    return chosen


def _referrers(schemas: dict[str, Any]) -> dict[str, int]:
    """How many other component schemas refer to each one (anywhere in them)."""
    counts = dict.fromkeys(schemas, 0)
    for name, schema in schemas.items():
        for target in set(re.findall(r'"#/components/schemas/([^"/]+)"', json.dumps(schema))) - {name}:
            if target in counts:
                counts[target] += 1
    return counts


def one_schema_changes(spec: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, schema name) of the one-schema changes measured: an object schema no other schema refers to (the
    first in name order), and the schema most others refer to (the costliest single change)."""
    schemas = spec["components"]["schemas"]
    counts = _referrers(schemas)
    leaf = next(n for n in sorted(schemas) if counts[n] == 0 and isinstance(schemas[n].get("properties"), dict))
    hub = max(sorted(schemas), key=lambda n: counts[n])
    return [
        (f"a property added to `{leaf}` (no other schema refers to it)", leaf),
        (f"a property added to `{hub}` ({counts[hub]} schemas refer to it)", hub),
    ]


def github_spec() -> Path | None:
    """GitHub's REST spec, the copy pinned (version and integrity) by tests/corpus/pins.toml; None without npm."""
    sys.path.insert(0, str(ROOT))
    from tests.corpus.fetch import fetch, load_pins

    try:
        return fetch([p for p in load_pins() if p.name == "github-rest"])["github-rest"]
    except (OSError, RuntimeError, subprocess.CalledProcessError):
        return None


def markdown(results: dict[str, dict[str, Any]]) -> list[str]:
    """The profile section of benchmarks/README.md: one table per input."""
    lines: list[str] = []
    for name, result in results.items():
        lines += [
            f"### {name}: {result['wall_s']:.2f} s under the profiler",
            "",
            "| stage | s | share |",
            "| --- | --- | --- |",
        ]
        for row in result["stages"]:
            indent = "&nbsp;&nbsp;" * row["depth"] + ("└ " if row["depth"] else "")
            lines.append(f"| {indent}{row['stage']} | {row['s']:.3f} | {row['share']:.0%} |")
        lines.append("")
    return lines


def run(quick: bool = False) -> dict[str, dict[str, Any]]:
    """Profile every input; ``{input name: {wall_s, stages}}``."""
    results = {}
    with tempfile.TemporaryDirectory() as scratch:
        for name, args in inputs(Path(scratch), quick=quick):
            print(f"  profiling {name}", flush=True)
            results[name] = profile_once(args, Path(scratch) / "cache")
    return results


def main() -> int:
    """Profile, print the tables, and optionally save them as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a 100-schema synthetic spec, no GitHub spec")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    results = run(args.quick)
    print("\n".join(markdown(results)))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
